package analysis

import (
	"example.org/smartcity/analysis/chart"
	"example.org/smartcity/analysis/psm"
)

func psmReplace() psm.Options { return psm.Options{Match: psm.MatchOptions{Replace: true}} }

func chartSupport() chart.SupportOptions { return chart.SupportOptions{} }

func chartPermutation() chart.PermutationOptions { return chart.PermutationOptions{} }

func chartEventOptions(truth []chart.EventTruth) chart.EventStudyOptions {
	return chart.EventStudyOptions{Truth: truth}
}
