package psm

import (
	"math"
)

// BalanceRow compares treated and control units on one covariate before
// matching (all units, unweighted) and after (matching weights).
type BalanceRow struct {
	Term   string
	Binary bool // the covariate takes only the values 0 and 1

	MeanTreatedBefore, MeanControlBefore float64
	SMDBefore, VarRatioBefore            float64
	MeanTreatedAfter, MeanControlAfter   float64
	SMDAfter, VarRatioAfter              float64
}

// Balance computes the balance table as MatchIt's summary() does for the
// ATT (and as cobalt's bal.tab with s.d.denom = "treated"):
//
//	SMD = (mean_T - mean_C) / s_T
//
// where the means are weighted by w after matching (unweighted before) and
// s_T is the standard deviation of the covariate among all treated units
// before matching, used for both columns so that the change is due to the
// means alone. For a binary covariate s_T^2 = p(1-p); otherwise it is the
// sample variance (n-1 divisor). When s_T is zero the pooled
// sqrt((s_T^2 + s_C^2)/2) is used; when the mean difference is below
// sqrt(machine epsilon) the raw difference is reported, as MatchIt does.
//
// The variance ratio is var_T / var_C with the weighted "reliability"
// variance sum w (x - m)^2 / (sum w - sum w^2 / sum w) in each group after
// matching; it is NaN for binary covariates, where it carries no more
// information than the means.
//
// x holds the covariate columns, named by names; w the matching weights.
// Balance panics if lengths differ.
func Balance(x [][]float64, names []string, treated []bool, w []float64) []BalanceRow {
	if len(x) != len(names) {
		panic("psm: Balance: len(x) != len(names)")
	}
	rows := make([]BalanceRow, len(x))
	ones := make([]float64, len(treated))
	for i := range ones {
		ones[i] = 1
	}
	for j, c := range x {
		if len(c) != len(treated) || len(w) != len(treated) {
			panic("psm: Balance: column, treatment and weights differ in length")
		}
		r := BalanceRow{Term: names[j], Binary: isBinary(c)}
		sdT := math.Sqrt(groupVar(c, treated, ones, true, r.Binary))
		if !(sdT >= math.Sqrt(eps)) {
			sdC := groupVar(c, treated, ones, false, r.Binary)
			sdT = math.Sqrt((sdT*sdT + sdC) / 2)
		}
		r.MeanTreatedBefore = groupMean(c, treated, ones, true)
		r.MeanControlBefore = groupMean(c, treated, ones, false)
		r.MeanTreatedAfter = groupMean(c, treated, w, true)
		r.MeanControlAfter = groupMean(c, treated, w, false)
		r.SMDBefore = smd(r.MeanTreatedBefore-r.MeanControlBefore, sdT)
		r.SMDAfter = smd(r.MeanTreatedAfter-r.MeanControlAfter, sdT)
		r.VarRatioBefore, r.VarRatioAfter = math.NaN(), math.NaN()
		if !r.Binary {
			r.VarRatioBefore = groupVar(c, treated, ones, true, false) /
				groupVar(c, treated, ones, false, false)
			r.VarRatioAfter = groupVar(c, treated, w, true, false) /
				groupVar(c, treated, w, false, false)
		}
		rows[j] = r
	}
	return rows
}

const eps = 2.220446049250313e-16

func smd(diff, sd float64) float64 {
	if math.Abs(diff) <= math.Sqrt(eps) || !(sd > 0) {
		return diff
	}
	return diff / sd
}

func isBinary(c []float64) bool {
	for _, v := range c {
		if v != 0 && v != 1 {
			return false
		}
	}
	return true
}

func groupMean(c []float64, treated []bool, w []float64, group bool) float64 {
	var s, sw float64
	for i, v := range c {
		if treated[i] == group && w[i] != 0 {
			s += w[i] * v
			sw += w[i]
		}
	}
	return s / sw
}

// groupVar is the weighted variance of c in one group: p(1-p) for a binary
// column, else the reliability-weights variance (n-1 divisor when all
// weights are equal).
func groupVar(c []float64, treated []bool, w []float64, group, binary bool) float64 {
	m := groupMean(c, treated, w, group)
	if binary {
		return m * (1 - m)
	}
	var sw, sw2, ss float64
	for i, v := range c {
		if treated[i] == group && w[i] != 0 {
			sw += w[i]
			sw2 += w[i] * w[i]
			ss += w[i] * (v - m) * (v - m)
		}
	}
	return ss / (sw - sw2/sw)
}
