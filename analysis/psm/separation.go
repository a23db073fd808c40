package psm

import (
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize/convex/lp"
)

// SeparationError reports perfect or quasi-complete separation: a linear
// combination of the covariates that predicts treatment without error for
// some units and never contradicts it, so that the logit likelihood keeps
// rising as the coefficients go to infinity and no estimate exists.
//
// Covariates names the covariates responsible, found in this order: those
// that separate the groups on their own; else those whose removal restores
// overlap; else, when only the combination separates, all of them.
type SeparationError struct {
	Covariates []string
	Alone      bool // each named covariate separates the groups by itself
}

func (e *SeparationError) Error() string {
	how := "together"
	if e.Alone {
		how = "each on its own"
	}
	return fmt.Sprintf("psm: perfect or quasi-complete separation in the propensity model: "+
		"%s predict treatment without error (%s); the logit estimate does not exist. "+
		"Drop or coarsen these covariates, or restrict the sample to common support",
		strings.Join(e.Covariates, ", "), how)
}

// CheckSeparation tests whether the 0/1 outcome y is separated, completely
// or quasi-completely, by the intercept and the columns x (Albert and
// Anderson 1984). It returns a *SeparationError naming the responsible
// covariates, or nil when the groups overlap and the logit estimate exists.
//
// The test is exact up to rounding: with rows s_i x_i, s_i = 2y_i - 1,
// separation means some b has s_i x_i'b >= 0 for every i and > 0 for one,
// and by Stiemke's theorem that fails exactly when some lambda > 0 has
// sum_i lambda_i s_i x_i = 0. The latter is a feasibility problem in p
// equality constraints, solved by phase one of the simplex method
// (gonum's lp.Simplex) on standardised columns. The approach follows Konis
// (2007), "Linear programming algorithms for detecting separated data in
// binary logistic regression models".
func CheckSeparation(y []float64, x [][]float64, names []string) error {
	if !separated(y, x) {
		return nil
	}

	var alone []string
	for j, c := range x {
		if separatesAlone(y, c) {
			alone = append(alone, names[j])
		}
	}
	if len(alone) > 0 {
		return &SeparationError{Covariates: alone, Alone: true}
	}

	var needed []string
	for j := range x {
		rest := make([][]float64, 0, len(x)-1)
		rest = append(rest, x[:j]...)
		rest = append(rest, x[j+1:]...)
		if !separated(y, rest) {
			needed = append(needed, names[j])
		}
	}
	if len(needed) == 0 {
		needed = append(needed, names...)
	}
	return &SeparationError{Covariates: needed}
}

// separatesAlone reports whether one column with an intercept separates y:
// all controls lie on one side of a threshold and all treated units on the
// other, ties at the threshold allowed, the column not constant.
func separatesAlone(y, c []float64) bool {
	min1, max1 := math.Inf(1), math.Inf(-1)
	min0, max0 := math.Inf(1), math.Inf(-1)
	for i, v := range c {
		if y[i] == 1 {
			min1, max1 = math.Min(min1, v), math.Max(max1, v)
		} else {
			min0, max0 = math.Min(min0, v), math.Max(max0, v)
		}
	}
	if min1 == max1 && min0 == max0 && min1 == min0 {
		return false
	}
	return max0 <= min1 || max1 <= min0
}

// separated solves the phase-one problem
//
//	minimize sum_j a_j  s.t.  sum_i mu_i s_i x_ij + a_j = -sum_i s_i x_ij,
//	                         mu >= 0, a >= 0
//
// (rows with a negative right-hand side multiplied by -1) and reports
// whether its optimum is positive, that is, whether no lambda = 1 + mu > 0
// balances the signed rows.
func separated(y []float64, x [][]float64) bool {
	n := len(y)
	cols := [][]float64{make([]float64, n)}
	for i := range cols[0] {
		cols[0][i] = 1
	}
	for _, c := range x {
		if s := centredScaled(c); s != nil {
			cols = append(cols, s)
		}
	}
	p := len(cols)

	a := mat.NewDense(p, n+p, nil)
	rhs := make([]float64, p)
	for j, c := range cols {
		var r float64
		for i := 0; i < n; i++ {
			r -= sign(y[i]) * c[i]
		}
		flip := 1.0
		if r < 0 {
			flip = -1
		}
		for i := 0; i < n; i++ {
			a.Set(j, i, flip*sign(y[i])*c[i])
		}
		a.Set(j, n+j, 1)
		rhs[j] = flip * r
	}
	cost := make([]float64, n+p)
	basic := make([]int, p)
	for j := 0; j < p; j++ {
		cost[n+j] = 1
		basic[j] = n + j
	}
	scale := 1.0
	for _, r := range rhs {
		scale = math.Max(scale, r)
	}
	opt, _, err := lp.Simplex(cost, a, rhs, 1e-10, basic)
	if err != nil {
		// The problem is feasible (mu = 0) and bounded below by 0, so an
		// error is numerical trouble; treat it as no evidence of
		// separation and let the IRLS fit speak.
		return false
	}
	return opt > 1e-7*scale
}

func sign(y float64) float64 {
	if y == 1 {
		return 1
	}
	return -1
}
