package fe

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

// constantTol is the relative size below which a column's spread counts as
// rounding: a column whose sum of squares about its (weighted) mean is below
// constantTol times its raw sum of squares, that is whose spread is below
// 1e-7 of its level, is constant to working precision and collinear with
// the intercept or the fixed effects. R's lm draws the same line: its QR
// applies the tolerance 1e-7 to column norms.
const constantTol = 1e-14

// weightedMean returns Σ w x / Σ w (the plain mean if w is nil), refined by
// a second pass over x - mean so that the rounding of a large level does
// not stay in the result.
func weightedMean(x, w []float64) float64 {
	if len(x) == 0 {
		return 0
	}
	var s, sw float64
	if w == nil {
		for _, v := range x {
			s += v
		}
		sw = float64(len(x))
	} else {
		for i, v := range x {
			s += w[i] * v
			sw += w[i]
		}
	}
	m := s / sw
	c := 0.0
	if w == nil {
		for _, v := range x {
			c += v - m
		}
	} else {
		for i, v := range x {
			c += w[i] * (v - m)
		}
	}
	return m + c/sw
}

// shifted returns x - c as a new slice.
func shifted(x []float64, c float64) []float64 {
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = v - c
	}
	return out
}

// zeroFloor returns the sum of squares at or below which what is left of
// the column x, after the intercept or the fixed effects (and the
// regressors before it) are projected out, counts as zero:
//
//	max(collinearTol Σ w (x - mean_w)², constantTol Σ w x²)
//
// The first term measures what is left against the column's spread, the
// second catches a column that is constant to working precision, whose
// spread is all rounding.
func zeroFloor(x, w []float64) float64 {
	return math.Max(collinearTol*centeredSS(x, w), constantTol*weightedSS(x, w))
}

// uncentre maps estimates of the model with centred columns,
//
//	y - m_y = c + (X - 1 m')b + e,
//
// back to the model with an intercept, y = a + X b + e: the slopes are
// the same, a = m_y + c - m'b, and every variance matrix V of (c, b)
// becomes A V A' with A = [[1, -m'], [0, I]]. The residuals are the same in
// both parametrisations, so this holds for every variance estimator. The
// intercept is coef[0]; m holds the centres of coef[1:].
func uncentre(coef []float64, my float64, m []float64, vs ...*mat.SymDense) {
	K := len(coef)
	a := my + coef[0]
	for p := 1; p < K; p++ {
		a -= m[p-1] * coef[p]
	}
	coef[0] = a

	A := mat.NewDense(K, K, nil)
	for p := 0; p < K; p++ {
		A.Set(p, p, 1)
	}
	for p := 1; p < K; p++ {
		A.Set(0, p, -m[p-1])
	}
	for _, v := range vs {
		var av, ava mat.Dense
		av.Mul(A, v)
		ava.Mul(&av, A.T())
		for i := 0; i < K; i++ {
			for j := i; j < K; j++ {
				v.SetSym(i, j, (ava.At(i, j)+ava.At(j, i))/2)
			}
		}
	}
}
