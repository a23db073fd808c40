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
	out, err := WeightedDifference(y, m.Treated, m.Weights, m.Subclass)
	if err != nil {
		return out, err
	}
	if m.Subclass != nil {
		out.Vcov = "CR1 clustered by matched pair"
	} else {
		out.Vcov = "HC1 (matching with replacement)"
	}
	return out, nil
}

// WeightedDifference is the weighted least-squares regression of y on an
// intercept and the treatment indicator over the rows with positive weight
// w: the difference of the weighted group means. Its standard error is
// clustered (CR1, factor G/(G-1) (N-1)/(N-2), t with G-1 degrees of
// freedom) when cluster is not nil, with cluster[i] > 0 the cluster of row
// i (a matched pair, or a unit of a panel), and HC1 (factor N/(N-2), t with
// N-2 degrees of freedom) otherwise.
//
// WeightedDifference panics if the lengths differ; a missing outcome on a
// row of positive weight is an error.
func WeightedDifference(y []float64, treated []bool, w []float64, cluster []int) (ATT, error) {
	if len(y) != len(w) || len(treated) != len(w) || (cluster != nil && len(cluster) != len(w)) {
		panic("psm: WeightedDifference: lengths differ")
	}
	var out ATT
	var sw1, sw0, sy1, sy0 float64
	for i, wi := range w {
		if wi <= 0 {
			continue
		}
		if math.IsNaN(y[i]) {
			return out, fmt.Errorf("psm: outcome missing for matched unit %d", i)
		}
		if treated[i] {
			sw1 += wi
			sy1 += wi * y[i]
			out.NTreated++
		} else {
			sw0 += wi
			sy0 += wi * y[i]
			out.NControl++
		}
	}
	if out.NTreated == 0 || out.NControl == 0 {
		return out, fmt.Errorf("psm: the estimate needs weighted treated and control units")
	}
	m1, m0 := sy1/sw1, sy0/sw0
	out.Estimate = m1 - m0

	// With X = [1, d], the slope row of (X'WX)^-1 X'W e is w_i e_i / sw1
	// for treated rows and -w_i e_i / sw0 for controls; the sandwich
	// variance of the slope is the sum of squared (cluster) totals of these
	// influences.
	infl := func(i int) float64 {
		if treated[i] {
			return w[i] * (y[i] - m1) / sw1
		}
		return -w[i] * (y[i] - m0) / sw0
	}
	n := out.NTreated + out.NControl
	const k = 2
	if n <= k {
		return out, fmt.Errorf("psm: %d weighted units; no standard error", n)
	}
	if cluster != nil {
		tot := map[int]float64{}
		var ids []int
		for i, wi := range w {
			if wi > 0 {
				if _, ok := tot[cluster[i]]; !ok {
					ids = append(ids, cluster[i])
				}
				tot[cluster[i]] += infl(i)
			}
		}
		g := len(ids)
		if g < 2 {
			return out, fmt.Errorf("psm: one cluster only; no clustered standard error")
		}
		var meat float64
		for _, id := range ids {
			meat += tot[id] * tot[id]
		}
		c := float64(g) / float64(g-1) * float64(n-1) / float64(n-k)
		out.SE = math.Sqrt(c * meat)
		out.DF = g - 1
		out.NClusters = g
		out.Vcov = "CR1 clustered"
	} else {
		var meat float64
		for i, wi := range w {
			if wi > 0 {
				v := infl(i)
				meat += v * v
			}
		}
		out.SE = math.Sqrt(float64(n) / float64(n-k) * meat)
		out.DF = n - k
		out.Vcov = "HC1"
	}
	out.Stat = out.Estimate / out.SE
	out.P = 2 * distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(out.DF)}.CDF(-math.Abs(out.Stat))
	return out, nil
}
