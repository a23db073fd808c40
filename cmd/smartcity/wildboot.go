package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"

	"example.org/smartcity/analysis/fe"
	"example.org/smartcity/analysis/frame"
	"example.org/smartcity/analysis/wild"
)

func init() {
	register(command{
		name:    "wildboot",
		summary: "wild cluster restricted bootstrap p-value and interval for one coefficient",
		run:     runWildBoot,
	})
}

type wildJSON struct {
	Param      string   `json:"param"`
	Estimate   float64  `json:"estimate"`
	StdError   float64  `json:"std_error"`
	Statistic  float64  `json:"statistic"`
	Null       float64  `json:"null"`
	PValue     float64  `json:"p_value"`
	ConfLow    *float64 `json:"conf_low"`  // null when unbounded
	ConfHigh   *float64 `json:"conf_high"` // null when unbounded
	Draws      int      `json:"draws"`
	Enumerated bool     `json:"enumerated"`
	Clusters   int      `json:"n_clusters"`
	Weights    string   `json:"weights"`
	Seed       uint64   `json:"seed"`
	Notes      []string `json:"notes"`
}

func finiteOrNil(v float64) *float64 {
	if math.IsInf(v, 0) || math.IsNaN(v) {
		return nil
	}
	return &v
}

func runWildBoot(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("wildboot", stderr)
	data := fs.String("data", "", "CSV file (required)")
	formula := fs.String("formula", "", `model, e.g. "y ~ did + lnpop | city + year" (required)`)
	cluster := fs.String("cluster", "", "cluster column (required)")
	param := fs.String("param", "", "coefficient to test, as written in the formula (required)")
	weights := fs.String("weights", "rademacher", "bootstrap weights: rademacher or webb")
	draws := fs.Int("draws", 999, "bootstrap draws (all patterns are enumerated when fewer)")
	seed := fs.Uint64("seed", 1, "seed of the random draws")
	null := fs.Float64("null", 0, "value of the coefficient under the null hypothesis")
	level := fs.Float64("level", 0.95, "confidence level of the interval")
	format := fs.String("format", "text", "output format: text or json")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := requireFlags("--data", *data, "--formula", *formula, "--cluster", *cluster,
		"--param", *param); err != nil {
		return err
	}
	if err := checkFormat(*format, "text", "json"); err != nil {
		return err
	}
	if *weights != "rademacher" && *weights != "webb" {
		return usageError{fmt.Sprintf("--weights %q: want rademacher or webb", *weights)}
	}
	if *draws <= 0 {
		return usageError{fmt.Sprintf("--draws %d: want a positive number", *draws)}
	}
	f, err := fe.ParseFormula(*formula)
	if err != nil {
		return usageError{fmt.Sprintf("--formula: %v", err)}
	}

	fmt.Fprintf(stderr, "reading %s\n", *data)
	d, err := frame.ReadCSV(*data)
	if err != nil {
		return err
	}
	res, err := wild.WCR(d, f, wild.Options{Cluster: *cluster, Param: *param, Weights: *weights,
		Draws: *draws, Seed: *seed, Null: *null, Level: *level})
	if err != nil {
		return err
	}
	if *format == "text" {
		var b strings.Builder
		fmt.Fprintf(&b, "wild cluster restricted bootstrap: %s, clustered by %s (%d clusters)\n",
			f, *cluster, res.Clusters)
		fmt.Fprintf(&b, "%-20s %12s %12s %10s %10s %12s %12s\n", "term", "estimate",
			"std.error", "t", "p (boot)", "conf.low", "conf.high")
		fmt.Fprintf(&b, "%-20s %12.6f %12.6f %10.4f %10.4f %12.6f %12.6f\n", res.Param,
			res.Estimate, res.SE, res.Stat, res.PValue, res.ConfLow, res.ConfHigh)
		fmt.Fprintf(&b, "H0: %s = %g; %.0f%% interval by test inversion\n", res.Param, res.Null,
			100**level)
		for _, n := range res.Notes {
			fmt.Fprintf(&b, "note: %s\n", n)
		}
		_, err := io.WriteString(stdout, b.String())
		return err
	}
	out := wildJSON{Param: res.Param, Estimate: res.Estimate, StdError: res.SE,
		Statistic: res.Stat, Null: res.Null, PValue: res.PValue,
		ConfLow: finiteOrNil(res.ConfLow), ConfHigh: finiteOrNil(res.ConfHigh),
		Draws: res.Draws, Enumerated: res.Enumerated, Clusters: res.Clusters,
		Weights: res.Weights, Seed: res.Seed, Notes: res.Notes}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
