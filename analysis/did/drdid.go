package did

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// A 2x2 comparison for panel data: n units, each with the change of the
// outcome dy between the base period and the current period, a treated
// indicator d, and covariates x (n rows of p values, row-major, the first
// column a constant). The estimators below return the ATT and its influence
// function in the scale of the sample: the standard error of the ATT is
// sqrt(mean(inf^2)/n).
type twoByTwo struct {
	dy []float64
	d  []bool
	x  []float64
	p  int
}

// Propensity-score trimming of Sant'Anna and Zhao's reference code:
// comparison units with a fitted score at or above psTrim get weight zero,
// and scores are capped at 1-psCap so that no weight divides by zero.
const (
	psTrim      = 0.995
	psCap       = 1e-6
	overlapWarn = 0.999
)

// regDID is the outcome-regression DiD estimator (Heckman, Ichimura and Todd
// 1997; Sant'Anna and Zhao 2020, eq. 2.2):
//
//	ATT = mean_{D=1}(dy - x'b),  b = OLS of dy on x among the comparison units,
//
// with the influence function that accounts for estimating b.
func regDID(c twoByTwo) (float64, []float64, error) {
	n, p := len(c.dy), c.p
	b, xpx, err := olsControls(c)
	if err != nil {
		return 0, nil, err
	}
	out := fitted(c, b)

	var sD, sDdy, sDout float64
	m1 := make([]float64, p) // colMeans(D x)
	for i := 0; i < n; i++ {
		if c.d[i] {
			sD++
			sDdy += c.dy[i]
			sDout += out[i]
			for j := 0; j < p; j++ {
				m1[j] += c.x[i*p+j]
			}
		}
	}
	etaT, etaC := sDdy/sD, sDout/sD
	mD := sD / float64(n)
	for j := range m1 {
		m1[j] /= float64(n)
	}
	// XpX^{-1} M1, so that the OLS estimation effect is a dot product.
	v := solveSym(xpx, m1)

	inf := make([]float64, n)
	for i := 0; i < n; i++ {
		if c.d[i] {
			inf[i] = (c.dy[i]-etaT)/mD - (out[i]-etaC)/mD
			continue
		}
		e := c.dy[i] - out[i]
		var dot float64
		for j := 0; j < p; j++ {
			dot += c.x[i*p+j] * v[j]
		}
		inf[i] = -e * dot / mD
	}
	return etaT - etaC, inf, nil
}

// ipwDID is the standardised (Hajek) inverse-probability-weighted DiD
// estimator of Abadie (2005) in the form of Sant'Anna and Zhao (2020):
// comparison units are weighted by ps/(1-ps) with ps from a logit of D on x,
// the weights normalised to one in each group; the influence function
// accounts for estimating the logit.
func ipwDID(c twoByTwo) (float64, []float64, error) {
	n, p := len(c.dy), c.p
	ps, hinv, err := pscore(c)
	if err != nil {
		return 0, nil, err
	}
	wT, wC := ipwWeights(c, ps)

	var swT, swC, aT, aC float64
	for i := 0; i < n; i++ {
		swT += wT[i]
		swC += wC[i]
		aT += wT[i] * c.dy[i]
		aC += wC[i] * c.dy[i]
	}
	etaT, etaC := aT/swT, aC/swC
	mwT, mwC := swT/float64(n), swC/float64(n)

	m2 := make([]float64, p)
	for i := 0; i < n; i++ {
		f := wC[i] * (c.dy[i] - etaC) / float64(n)
		for j := 0; j < p; j++ {
			m2[j] += f * c.x[i*p+j]
		}
	}
	v := matVec(hinv, m2, float64(n)) // n (X'WX)^{-1} M2

	inf := make([]float64, n)
	for i := 0; i < n; i++ {
		infT := wT[i] * (c.dy[i] - etaT) / mwT
		score := c.dyScore(i, ps[i])
		var dot float64
		for j := 0; j < p; j++ {
			dot += score * c.x[i*p+j] * v[j]
		}
		infC := (wC[i]*(c.dy[i]-etaC) + dot) / mwC
		inf[i] = infT - infC
	}
	return etaT - etaC, inf, nil
}

// drDID is the locally efficient doubly robust DiD estimator of Sant'Anna
// and Zhao (2020, eq. 3.1), the default of Callaway and Sant'Anna's
// estimator: a logit propensity score fitted by maximum likelihood and a
// linear regression of dy on x among comparison units fitted by OLS,
//
//	ATT = mean_w1(dy - x'b) - mean_w0(dy - x'b),  w1 = D, w0 = ps (1-D)/(1-ps),
//
// each weighted mean normalised by its weights. Its influence function
// accounts for both first steps.
func drDID(c twoByTwo) (float64, []float64, error) {
	n, p := len(c.dy), c.p
	ps, hinv, err := pscore(c)
	if err != nil {
		return 0, nil, err
	}
	b, xpx, err := olsControls(c)
	if err != nil {
		return 0, nil, err
	}
	out := fitted(c, b)
	wT, wC := ipwWeights(c, ps)

	var swT, swC, aT, aC float64
	for i := 0; i < n; i++ {
		r := c.dy[i] - out[i]
		swT += wT[i]
		swC += wC[i]
		aT += wT[i] * r
		aC += wC[i] * r
	}
	etaT, etaC := aT/swT, aC/swC
	mwT, mwC := swT/float64(n), swC/float64(n)

	m1 := make([]float64, p) // colMeans(w.treat x)
	m2 := make([]float64, p) // colMeans(w.cont (dy - out - eta.cont) x)
	m3 := make([]float64, p) // colMeans(w.cont x)
	for i := 0; i < n; i++ {
		r := c.dy[i] - out[i] - etaC
		for j := 0; j < p; j++ {
			xij := c.x[i*p+j] / float64(n)
			m1[j] += wT[i] * xij
			m2[j] += wC[i] * r * xij
			m3[j] += wC[i] * xij
		}
	}
	v1 := solveSym(xpx, m1)
	v3 := solveSym(xpx, m3)
	v2 := matVec(hinv, m2, float64(n))

	inf := make([]float64, n)
	for i := 0; i < n; i++ {
		r := c.dy[i] - out[i]
		var olsDot1, olsDot3, psDot float64
		if !c.d[i] { // the OLS score is zero for treated units
			for j := 0; j < p; j++ {
				olsDot1 += c.x[i*p+j] * v1[j]
				olsDot3 += c.x[i*p+j] * v3[j]
			}
			olsDot1 *= r
			olsDot3 *= r
		}
		score := c.dyScore(i, ps[i])
		for j := 0; j < p; j++ {
			psDot += score * c.x[i*p+j] * v2[j]
		}
		infT := (wT[i]*(r-etaT) - olsDot1) / mwT
		infC := (wC[i]*(r-etaC) + psDot - olsDot3) / mwC
		inf[i] = infT - infC
	}
	return etaT - etaC, inf, nil
}

// dyScore is the logit score factor D - ps of unit i.
func (c twoByTwo) dyScore(i int, ps float64) float64 {
	if c.d[i] {
		return 1 - ps
	}
	return -ps
}

// ipwWeights returns the treated and comparison weights with trimming.
func ipwWeights(c twoByTwo, ps []float64) (wT, wC []float64) {
	n := len(c.dy)
	wT, wC = make([]float64, n), make([]float64, n)
	for i := 0; i < n; i++ {
		if c.d[i] {
			wT[i] = 1
		} else if ps[i] < psTrim {
			wC[i] = ps[i] / (1 - ps[i])
		}
	}
	return wT, wC
}

// olsControls regresses dy on x among the comparison units and returns the
// coefficients and X0'X0/n (n = all units of the comparison).
func olsControls(c twoByTwo) ([]float64, *mat.SymDense, error) {
	n, p := len(c.dy), c.p
	xpx := mat.NewSymDense(p, nil)
	xy := make([]float64, p)
	for i := 0; i < n; i++ {
		if c.d[i] {
			continue
		}
		row := c.x[i*p : i*p+p]
		for a := 0; a < p; a++ {
			xy[a] += row[a] * c.dy[i]
			for b := a; b < p; b++ {
				xpx.SetSym(a, b, xpx.At(a, b)+row[a]*row[b])
			}
		}
	}
	xpx.ScaleSym(1/float64(n), xpx)
	for a := range xy {
		xy[a] /= float64(n)
	}
	var ch mat.Cholesky
	if ok := ch.Factorize(xpx); !ok || ch.Cond() > 1/eps {
		return nil, nil, fmt.Errorf("outcome regression: the covariates of the comparison " +
			"units are collinear or constant; remove some covariates")
	}
	var b mat.VecDense
	if err := ch.SolveVecTo(&b, mat.NewVecDense(p, xy)); err != nil {
		return nil, nil, fmt.Errorf("outcome regression: %v", err)
	}
	return b.RawVector().Data, xpx, nil
}

const eps = 2.220446049250313e-16

func fitted(c twoByTwo, b []float64) []float64 {
	n, p := len(c.dy), c.p
	out := make([]float64, n)
	for i := 0; i < n; i++ {
		var s float64
		for j := 0; j < p; j++ {
			s += c.x[i*p+j] * b[j]
		}
		out[i] = s
	}
	return out
}

// pscore fits a logit of D on x by Newton-Raphson and returns the fitted
// probabilities (capped at 1-psCap) and (X'WX)^{-1} with W = ps(1-ps) at the
// capped scores, as the reference implementation uses.
func pscore(c twoByTwo) ([]float64, *mat.SymDense, error) {
	n, p := len(c.dy), c.p
	beta := make([]float64, p)
	ps := make([]float64, n)
	converged := false
	var ch mat.Cholesky
	for iter := 0; iter < 100; iter++ {
		h := mat.NewSymDense(p, nil)
		g := make([]float64, p)
		for i := 0; i < n; i++ {
			row := c.x[i*p : i*p+p]
			var eta float64
			for j := 0; j < p; j++ {
				eta += row[j] * beta[j]
			}
			pi := 1 / (1 + math.Exp(-eta))
			ps[i] = pi
			wi := pi * (1 - pi)
			r := -pi
			if c.d[i] {
				r = 1 - pi
			}
			for a := 0; a < p; a++ {
				g[a] += r * row[a]
				for b := a; b < p; b++ {
					h.SetSym(a, b, h.At(a, b)+wi*row[a]*row[b])
				}
			}
		}
		if ok := ch.Factorize(h); !ok {
			return nil, nil, fmt.Errorf("propensity score: the logit information matrix " +
				"is singular (covariates collinear, or treated and comparison units " +
				"perfectly separated)")
		}
		var step mat.VecDense
		if err := ch.SolveVecTo(&step, mat.NewVecDense(p, g)); err != nil {
			return nil, nil, fmt.Errorf("propensity score: %v", err)
		}
		var size, scale float64
		for j := 0; j < p; j++ {
			beta[j] += step.AtVec(j)
			size = math.Max(size, math.Abs(step.AtVec(j)))
			scale = math.Max(scale, math.Abs(beta[j]))
		}
		if size <= 1e-12*math.Max(1, scale) {
			converged = true
			break
		}
	}
	if !converged {
		return nil, nil, fmt.Errorf("propensity score: the logit did not converge in 100 " +
			"Newton steps (treated and comparison units nearly separated by the covariates)")
	}

	var maxPS float64
	h := mat.NewSymDense(p, nil)
	for i := 0; i < n; i++ {
		row := c.x[i*p : i*p+p]
		var eta float64
		for j := 0; j < p; j++ {
			eta += row[j] * beta[j]
		}
		pi := math.Min(1/(1+math.Exp(-eta)), 1-psCap)
		ps[i] = pi
		maxPS = math.Max(maxPS, pi)
		wi := pi * (1 - pi)
		for a := 0; a < p; a++ {
			for b := a; b < p; b++ {
				h.SetSym(a, b, h.At(a, b)+wi*row[a]*row[b])
			}
		}
	}
	if maxPS >= overlapWarn {
		return nil, nil, fmt.Errorf("overlap fails: a fitted propensity score is %.6g "+
			"(at least %g); drop covariates or use the outcome-regression method", maxPS,
			overlapWarn)
	}
	if ok := ch.Factorize(h); !ok {
		return nil, nil, fmt.Errorf("propensity score: X'WX is singular")
	}
	var hinv mat.SymDense
	if err := ch.InverseTo(&hinv); err != nil {
		return nil, nil, fmt.Errorf("propensity score: %v", err)
	}
	return ps, &hinv, nil
}

// solveSym returns A^{-1} v for a positive definite A.
func solveSym(a *mat.SymDense, v []float64) []float64 {
	var ch mat.Cholesky
	if !ch.Factorize(a) {
		panic("did: solveSym on a matrix that is not positive definite")
	}
	var out mat.VecDense
	if err := ch.SolveVecTo(&out, mat.NewVecDense(len(v), append([]float64(nil), v...))); err != nil {
		panic("did: " + err.Error())
	}
	return out.RawVector().Data
}

// matVec returns s * A v.
func matVec(a *mat.SymDense, v []float64, s float64) []float64 {
	p := len(v)
	out := make([]float64, p)
	for i := 0; i < p; i++ {
		var t float64
		for j := 0; j < p; j++ {
			t += a.At(i, j) * v[j]
		}
		out[i] = s * t
	}
	return out
}
