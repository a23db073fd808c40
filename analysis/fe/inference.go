package fe

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// pValueT is the two-sided p-value of t under Student's t with df degrees
// of freedom; NaN when df < 1.
func pValueT(t float64, df int) float64 {
	if df < 1 || math.IsNaN(t) {
		return math.NaN()
	}
	return 2 * distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(df)}.Survival(math.Abs(t))
}

// ConfInt returns confidence intervals at level (for example 0.9) for every
// term: coef ± q SE with q the (1+level)/2 quantile of Student's t with DF
// degrees of freedom. It panics if level is not in (0, 1).
func (r *Result) ConfInt(level float64) (lo, hi []float64) {
	if !(level > 0 && level < 1) {
		panic(fmt.Sprintf("fe: ConfInt: level %v not in (0, 1)", level))
	}
	q := math.NaN()
	if r.DF >= 1 {
		q = distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(r.DF)}.Quantile((1 + level) / 2)
	}
	lo = make([]float64, len(r.Coef))
	hi = make([]float64, len(r.Coef))
	for j, b := range r.Coef {
		lo[j] = b - q*r.SE[j]
		hi[j] = b + q*r.SE[j]
	}
	return lo, hi
}

// Wald is a joint test that several coefficients are zero.
type Wald struct {
	Terms []string
	// Stat is the F statistic W/q with q = DF1 restrictions, referred to
	// F(DF1, DF2); DF2 is the Result's DF (G-1 when clustered).
	Stat     float64
	DF1, DF2 int
	P        float64
	// Chi2 = q·Stat is the Wald statistic, with PChi2 its p-value under
	// the chi-squared distribution with q degrees of freedom.
	Chi2, PChi2 float64
}

// Wald tests that the coefficients of terms are jointly zero with the
// model's variance estimate: W = b' V^-1 b. An unknown or dropped term, or
// a singular V for these terms, is an error.
func (r *Result) Wald(terms []string) (Wald, error) {
	w := Wald{Terms: append([]string(nil), terms...)}
	q := len(terms)
	if q == 0 {
		return w, fmt.Errorf("Wald test of no terms")
	}
	idx := make([]int, q)
	for k, t := range terms {
		idx[k] = r.Index(t)
		if idx[k] < 0 {
			return w, fmt.Errorf("Wald test: term %q is not among the estimated terms %v", t, r.Terms)
		}
	}
	v := mat.NewSymDense(q, nil)
	b := mat.NewVecDense(q, nil)
	for a, i := range idx {
		b.SetVec(a, r.Coef[i])
		for c, j := range idx[:a+1] {
			v.SetSym(c, a, r.Vcov.At(j, i))
		}
	}
	var ch mat.Cholesky
	if !ch.Factorize(v) {
		return w, fmt.Errorf("Wald test of %v: the variance matrix of these terms is singular", terms)
	}
	var x mat.VecDense
	if err := ch.SolveVecTo(&x, b); err != nil {
		return w, fmt.Errorf("Wald test of %v: %v", terms, err)
	}
	w.Chi2 = mat.Dot(b, &x)
	w.DF1, w.DF2 = q, r.DF
	w.Stat = w.Chi2 / float64(q)
	w.PChi2 = distuv.ChiSquared{K: float64(q)}.Survival(w.Chi2)
	w.P = math.NaN()
	if w.DF2 >= 1 {
		w.P = distuv.F{D1: float64(q), D2: float64(w.DF2)}.Survival(w.Stat)
	}
	return w, nil
}
