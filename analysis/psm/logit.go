package psm

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// LogitOptions controls the fit of the propensity-score model. The zero
// value is the documented default.
type LogitOptions struct {
	// MaxIter is the largest number of IRLS iterations; 0 means 25, the
	// default of R's glm.
	MaxIter int

	// Tol is the convergence tolerance on the relative change of the
	// deviance, |dev - dev_old| / (|dev| + 0.1), the criterion of R's glm.
	// 0 means 1e-10, tighter than glm's 1e-8 so that coefficients agree
	// with other tools to about 1e-8.
	Tol float64
}

func (o LogitOptions) maxIter() int {
	if o.MaxIter <= 0 {
		return 25
	}
	return o.MaxIter
}

func (o LogitOptions) tol() float64 {
	if o.Tol <= 0 {
		return 1e-10
	}
	return o.Tol
}

// LogitResult is a fitted logistic regression
//
//	P(treated_i = 1) = 1 / (1 + exp(-x_i'b)),
//
// with an intercept first. Terms dropped as collinear have a NaN
// coefficient and standard error and are named in Notes.
type LogitResult struct {
	Terms      []string  // "(Intercept)" then the covariates
	Coef       []float64 // maximum-likelihood estimates
	SE         []float64 // sqrt of the diagonal of the inverse information
	Score      []float64 // fitted probabilities, one per row
	Linear     []float64 // linear predictor x_i'b, one per row
	Deviance   float64   // -2 log-likelihood
	NullDev    float64   // deviance of the intercept-only model
	NObs       int
	Iterations int  // IRLS iterations performed
	Converged  bool // the deviance criterion was met within MaxIter
	Notes      []string
}

// Index returns the position of term in Terms, or -1.
func (r *LogitResult) Index(term string) int {
	for i, t := range r.Terms {
		if t == term {
			return i
		}
	}
	return -1
}

// ConvergenceError reports an IRLS fit that did not meet its tolerance.
type ConvergenceError struct {
	Iterations int
	Change     float64 // last relative change of the deviance
	Tol        float64
}

func (e *ConvergenceError) Error() string {
	return fmt.Sprintf("psm: logit did not converge in %d iterations "+
		"(relative deviance change %.3g, tolerance %.3g); raise LogitOptions.MaxIter",
		e.Iterations, e.Change, e.Tol)
}

// Logit fits a logistic regression of the 0/1 vector y on an intercept and
// the columns x (named by names) by iteratively reweighted least squares,
// each step solved by QR as R's glm does, starting from glm's initial
// values mu = (y + 1/2)/2.
//
// Before fitting, Logit checks the data: y must hold only 0 and 1 with both
// present; columns exactly collinear with earlier ones (or constant) are
// dropped and named in Notes; and the design is tested for perfect or
// quasi-complete separation by a linear program (see CheckSeparation). Under
// separation the maximum-likelihood estimate does not exist, so Logit
// returns a *SeparationError naming the covariates instead of iterating
// towards infinite coefficients.
//
// A fit that does not converge in MaxIter iterations returns the result
// together with a *ConvergenceError.
//
// Logit panics if the columns differ in length from y.
func Logit(y []float64, x [][]float64, names []string, opt LogitOptions) (*LogitResult, error) {
	n := len(y)
	if len(x) != len(names) {
		panic("psm: Logit: len(x) != len(names)")
	}
	for j := range x {
		if len(x[j]) != n {
			panic(fmt.Sprintf("psm: Logit: column %q has %d rows, y has %d", names[j], len(x[j]), n))
		}
	}
	var n1 int
	for i, v := range y {
		switch v {
		case 1:
			n1++
		case 0:
		default:
			return nil, fmt.Errorf("psm: treatment must be 0 or 1; row %d has %v", i, v)
		}
	}
	if n1 == 0 || n1 == n {
		return nil, fmt.Errorf("psm: treatment takes one value only (%d treated of %d rows)", n1, n)
	}

	res := &LogitResult{NObs: n}
	res.Terms = append([]string{"(Intercept)"}, names...)
	keep, notes := independentColumns(x, names)
	res.Notes = append(res.Notes, notes...)

	cols := make([][]float64, 0, len(keep)+1)
	one := make([]float64, n)
	for i := range one {
		one[i] = 1
	}
	cols = append(cols, one)
	keptNames := []string{}
	for _, j := range keep {
		cols = append(cols, x[j])
		keptNames = append(keptNames, names[j])
	}

	if err := CheckSeparation(y, cols[1:], keptNames); err != nil {
		return nil, err
	}

	beta, se, it, conv, change, err := irls(y, cols, opt)
	if err != nil {
		return nil, err
	}
	res.Iterations = it
	res.Converged = conv

	p := len(x) + 1
	res.Coef = make([]float64, p)
	res.SE = make([]float64, p)
	for j := range res.Coef {
		res.Coef[j], res.SE[j] = math.NaN(), math.NaN()
	}
	res.Coef[0], res.SE[0] = beta[0], se[0]
	for k, j := range keep {
		res.Coef[j+1], res.SE[j+1] = beta[k+1], se[k+1]
	}

	res.Linear = make([]float64, n)
	res.Score = make([]float64, n)
	ybar := float64(n1) / float64(n)
	for i := 0; i < n; i++ {
		var eta float64
		for k, c := range cols {
			eta += c[i] * beta[k]
		}
		res.Linear[i] = eta
		res.Score[i] = invLogit(eta)
		res.Deviance += unitDeviance(y[i], res.Score[i])
		res.NullDev += unitDeviance(y[i], ybar)
	}
	if !conv {
		return res, &ConvergenceError{Iterations: it, Change: change, Tol: opt.tol()}
	}
	return res, nil
}

func invLogit(eta float64) float64 {
	if eta >= 0 {
		return 1 / (1 + math.Exp(-eta))
	}
	e := math.Exp(eta)
	return e / (1 + e)
}

// unitDeviance is -2 times the log-likelihood contribution of one row.
func unitDeviance(y, mu float64) float64 {
	if y == 1 {
		return -2 * math.Log(mu)
	}
	return -2 * math.Log1p(-mu)
}

// irls runs the Fisher-scoring iterations on the columns cols (intercept
// first) and returns the estimates, their standard errors, the iteration
// count, whether the deviance criterion was met and the last change.
func irls(y []float64, cols [][]float64, opt LogitOptions) (beta, se []float64, it int,
	conv bool, change float64, err error) {
	n, p := len(y), len(cols)
	eta := make([]float64, n)
	mu := make([]float64, n)
	for i := range y {
		mu[i] = (y[i] + 0.5) / 2
		eta[i] = math.Log(mu[i] / (1 - mu[i]))
	}
	devOld := 0.0
	for i := range y {
		devOld += unitDeviance(y[i], mu[i])
	}

	wx := mat.NewDense(n, p, nil)
	wz := mat.NewVecDense(n, nil)
	b := mat.NewVecDense(p, nil)
	var qr mat.QR
	change = math.Inf(1)
	for it = 1; it <= opt.maxIter(); it++ {
		// Weighted least squares of the working response on X with
		// weights mu(1-mu): solve sqrt(W) X b = sqrt(W) z by QR.
		for i := 0; i < n; i++ {
			w := mu[i] * (1 - mu[i])
			sw := math.Sqrt(w)
			z := eta[i] + (y[i]-mu[i])/w
			for k, c := range cols {
				wx.Set(i, k, sw*c[i])
			}
			wz.SetVec(i, sw*z)
		}
		qr.Factorize(wx)
		if err := qr.SolveVecTo(b, false, wz); err != nil {
			return nil, nil, it, false, change, fmt.Errorf("psm: logit step %d: %w", it, err)
		}

		dev := 0.0
		for i := 0; i < n; i++ {
			var e float64
			for k, c := range cols {
				e += c[i] * b.AtVec(k)
			}
			eta[i] = e
			mu[i] = invLogit(e)
			dev += unitDeviance(y[i], mu[i])
		}
		change = math.Abs(dev-devOld) / (math.Abs(dev) + 0.1)
		devOld = dev
		if change < opt.tol() {
			conv = true
			break
		}
	}
	if it > opt.maxIter() {
		it = opt.maxIter()
	}

	// Standard errors from the information matrix X'WX at the estimates.
	info := mat.NewSymDense(p, nil)
	for a := 0; a < p; a++ {
		for c := a; c < p; c++ {
			var s float64
			for i := 0; i < n; i++ {
				s += cols[a][i] * cols[c][i] * mu[i] * (1 - mu[i])
			}
			info.SetSym(a, c, s)
		}
	}
	var chol mat.Cholesky
	if !chol.Factorize(info) {
		return nil, nil, it, conv, change, fmt.Errorf(
			"psm: logit information matrix is not positive definite " +
				"(fitted probabilities at 0 or 1)")
	}
	var inv mat.SymDense
	if err := chol.InverseTo(&inv); err != nil {
		return nil, nil, it, conv, change, fmt.Errorf("psm: inverting the logit information: %w", err)
	}
	beta = make([]float64, p)
	se = make([]float64, p)
	for k := 0; k < p; k++ {
		beta[k] = b.AtVec(k)
		se[k] = math.Sqrt(inv.At(k, k))
	}
	return beta, se, it, conv, change, nil
}

// independentColumns returns the indices of the columns that are linearly
// independent of the intercept and of the columns kept before them, in
// order, and a note for each one dropped. The test is modified Gram-Schmidt
// on centred, scaled columns with a relative tolerance of 1e-9.
func independentColumns(x [][]float64, names []string) (keep []int, notes []string) {
	var basis [][]float64
	for j, c := range x {
		v := centredScaled(c)
		if v == nil {
			notes = append(notes, fmt.Sprintf("covariate %q is constant: dropped", names[j]))
			continue
		}
		for _, q := range basis {
			d := dot(v, q)
			for i := range v {
				v[i] -= d * q[i]
			}
		}
		norm := math.Sqrt(dot(v, v))
		if norm < 1e-9 {
			notes = append(notes, fmt.Sprintf(
				"covariate %q is collinear with the intercept and earlier covariates: dropped", names[j]))
			continue
		}
		for i := range v {
			v[i] /= norm
		}
		basis = append(basis, v)
		keep = append(keep, j)
	}
	return keep, notes
}

// centredScaled returns c minus its mean, scaled to unit length, or nil for
// a constant column.
func centredScaled(c []float64) []float64 {
	var m float64
	for _, v := range c {
		m += v
	}
	m /= float64(len(c))
	out := make([]float64, len(c))
	var ss float64
	for i, v := range c {
		out[i] = v - m
		ss += out[i] * out[i]
	}
	scale := math.Abs(m) + math.Sqrt(ss/float64(len(c)))
	if ss == 0 || math.Sqrt(ss/float64(len(c))) < 1e-12*scale {
		return nil
	}
	norm := math.Sqrt(ss)
	for i := range out {
		out[i] /= norm
	}
	return out
}

func dot(a, b []float64) float64 {
	var s float64
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}
