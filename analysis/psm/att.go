package psm

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// ATT is the average treatment effect on the treated estimated on a
// matched sample.
type ATT struct {
	Estimate, SE, Stat, P float64
	DF                    int    // degrees of freedom of the t reference
	Vcov                  string // the variance estimator, in words
	NTreated, NControl    int    // units with positive weight
	NClusters             int    // pairs, for the clustered variance
}

// EstimateATT regresses the outcome y on an intercept and the treatment
// indicator by weighted least squares with the matching weights of m, over
// the units with positive weight. The coefficient is the difference of the
// weighted means, sum_T w y / sum_T w - sum_C w y / sum_C w.
//
// The standard error follows the advice of MatchIt's "Estimating effects"
// guide. Without replacement it is clustered by matched pair (CR1, the
// default of sandwich::vcovCL: factor G/(G-1) (N-1)/(N-2)) and the t test
// has G-1 degrees of freedom. With replacement, where pairs overlap, it is
// the heteroskedasticity-robust HC1 (factor N/(N-2)) with N-2 degrees of
// freedom; it ignores the dependence that reuse of a control creates, so it
// tends to be too small when controls are reused often.
//
// EstimateATT panics if y and m differ in length; NaN outcomes among the
// matched units are an error.
func EstimateATT(y []float64, m *Matching) (ATT, error) {
	if len(y) != len(m.Weights) {
		panic("psm: EstimateATT: outcome and matching differ in length")
	}
	var out ATT
	var sw1, sw0, sy1, sy0 float64
	for i, w := range m.Weights {
		if w <= 0 {
			continue
		}
		if math.IsNaN(y[i]) {
			return out, fmt.Errorf("psm: outcome missing for matched unit %d", i)
		}
		if m.Treated[i] {
			sw1 += w
			sy1 += w * y[i]
			out.NTreated++
		} else {
			sw0 += w
			sy0 += w * y[i]
			out.NControl++
		}
	}
	if out.NTreated == 0 || out.NControl == 0 {
		return out, fmt.Errorf("psm: ATT needs matched treated and control units")
	}
	m1, m0 := sy1/sw1, sy0/sw0
	out.Estimate = m1 - m0

	// With X = [1, d], (X'WX)^-1 X'W e_i for unit i is the influence on
	// the slope: w_i e_i (1/sw1) for treated, -w_i e_i (1/sw0) for controls.
	// The sandwich variance of the slope is the sum of squared cluster
	// totals of these influences.
	infl := func(i int) float64 {
		if m.Treated[i] {
			return m.Weights[i] * (y[i] - m1) / sw1
		}
		return -m.Weights[i] * (y[i] - m0) / sw0
	}
	n := out.NTreated + out.NControl
	const k = 2
	if m.Subclass != nil {
		tot := map[int]float64{}
		for i, w := range m.Weights {
			if w > 0 {
				tot[m.Subclass[i]] += infl(i)
			}
		}
		g := len(tot)
		var meat float64
		for s := 1; s <= len(m.Subclass); s++ {
			if v, ok := tot[s]; ok {
				meat += v * v
			}
		}
		if g < 2 {
			return out, fmt.Errorf("psm: one matched pair only; no clustered standard error")
		}
		c := float64(g) / float64(g-1) * float64(n-1) / float64(n-k)
		out.SE = math.Sqrt(c * meat)
		out.DF = g - 1
		out.NClusters = g
		out.Vcov = "CR1 clustered by matched pair"
	} else {
		var meat float64
		for i, w := range m.Weights {
			if w > 0 {
				v := infl(i)
				meat += v * v
			}
		}
		if n <= k {
			return out, fmt.Errorf("psm: %d matched units; no standard error", n)
		}
		out.SE = math.Sqrt(float64(n) / float64(n-k) * meat)
		out.DF = n - k
		out.Vcov = "HC1 (matching with replacement)"
	}
	out.Stat = out.Estimate / out.SE
	out.P = 2 * distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(out.DF)}.CDF(-math.Abs(out.Stat))
	return out, nil
}
