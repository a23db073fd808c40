package fe

import (
	"math"
	"sort"
)

// iterate solves for the fixed-effect coefficients by block Gauss-Seidel
// sweeps (each sweep sets every dimension's coefficients to the group means
// of what the other dimensions leave), accelerated every second sweep by the
// Irons and Tuck (1969) extrapolation. The iteration runs on the
// coefficients of all dimensions but the largest, which is recomputed from
// them in every sweep; the residual is formed once at the end.
func (d *Demeaner) iterate(dst, src [][]float64) (Convergence, error) {
	K := len(src)
	D := len(d.groups)

	// Largest dimension first: its coefficients are not part of the state.
	ord := make([]int, D)
	for i := range ord {
		ord[i] = i
	}
	sort.SliceStable(ord, func(a, b int) bool { return d.levels[ord[a]] > d.levels[ord[b]] })

	sx := make([][]float64, D)
	for _, k := range ord {
		sx[k] = d.groupSums(k, src)
	}
	scale := make([]float64, K)
	for j, x := range src {
		scale[j] = stdDev(x)
		if scale[j] == 0 {
			scale[j] = 1
		}
	}

	// The state holds the coefficients of ord[1:], one block per dimension.
	off := make([]int, D)
	size := 0
	for _, k := range ord[1:] {
		off[k] = size
		size += d.levels[k] * K
	}
	view := func(s []float64, k int) []float64 { return s[off[k] : off[k]+d.levels[k]*K] }
	x0 := make([]float64, size)
	fx := make([]float64, size)
	gx := make([]float64, size)
	a0 := make([]float64, d.levels[ord[0]]*K)
	cur := make([][]float64, D)

	sweep := func(in, out []float64) {
		for _, k := range ord[1:] {
			cur[k] = view(in, k)
		}
		d.update(ord[0], cur, sx[ord[0]], a0, K)
		cur[ord[0]] = a0
		for _, k := range ord[1:] {
			o := view(out, k)
			d.update(k, cur, sx[k], o, K)
			cur[k] = o
		}
	}
	change := func(a, b []float64) float64 {
		m := 0.0
		for e := range a {
			if c := math.Abs(a[e]-b[e]) / scale[e%K]; c > m {
				m = c
			}
		}
		return m
	}

	conv := Convergence{}
	var final []float64
	var ch float64
	for final == nil {
		if conv.Iterations >= d.maxIter {
			return conv, &NonConvergenceError{Iterations: conv.Iterations, Tol: d.tol, Change: ch}
		}
		sweep(x0, fx)
		conv.Iterations++
		if ch = change(x0, fx); ch <= d.tol {
			final = fx
			break
		}
		if conv.Iterations >= d.maxIter {
			return conv, &NonConvergenceError{Iterations: conv.Iterations, Tol: d.tol, Change: ch}
		}
		sweep(fx, gx)
		conv.Iterations++
		if ch = change(fx, gx); ch <= d.tol {
			final = gx
			break
		}
		ironsTuck(x0, fx, gx, K)
	}
	conv.Converged = true

	// Residual: x minus every dimension's coefficient.
	for _, k := range ord[1:] {
		cur[k] = view(final, k)
	}
	cur[ord[0]] = a0
	for j := range src {
		x, y := src[j], dst[j]
		copy(y, x)
		for k := 0; k < D; k++ {
			a, g := cur[k], d.groups[k]
			if K == 1 {
				for i, c := range g {
					y[i] -= a[c]
				}
				continue
			}
			for i, c := range g {
				y[i] -= a[int(c)*K+j]
			}
		}
	}
	return conv, nil
}

// update sets out to the coefficients of dimension k given the current
// coefficients of the others: the weighted group means of x minus the other
// dimensions' effects.
func (d *Demeaner) update(k int, cur [][]float64, sxk, out []float64, K int) {
	copy(out, sxk)
	g := d.groups[k]
	w := d.weights
	for o := range d.groups {
		if o == k {
			continue
		}
		a, h := cur[o], d.groups[o]
		switch {
		case K == 1 && w == nil:
			for i, c := range g {
				out[c] -= a[h[i]]
			}
		case K == 1:
			for i, c := range g {
				out[c] -= w[i] * a[h[i]]
			}
		case w == nil:
			for i, c := range g {
				oc, hc := int(c)*K, int(h[i])*K
				for j := 0; j < K; j++ {
					out[oc+j] -= a[hc+j]
				}
			}
		default:
			for i, c := range g {
				oc, hc := int(c)*K, int(h[i])*K
				for j := 0; j < K; j++ {
					out[oc+j] -= w[i] * a[hc+j]
				}
			}
		}
	}
	d.means(k, out, K)
}

// ironsTuck replaces x by the Irons-Tuck extrapolation of the sequence
// x, fx = F(x), gx = F(F(x)), column by column (entries e with e%K == j):
//
//	x' = gx - (<Δgx, Δ²x> / <Δ²x, Δ²x>) Δgx,  Δgx = gx - fx,  Δ²x = gx - 2fx + x.
func ironsTuck(x, fx, gx []float64, K int) {
	for j := 0; j < K; j++ {
		var num, den float64
		for e := j; e < len(x); e += K {
			dg := gx[e] - fx[e]
			d2 := dg - fx[e] + x[e]
			num += dg * d2
			den += d2 * d2
		}
		c := 0.0
		if den > 0 {
			c = num / den
		}
		for e := j; e < len(x); e += K {
			x[e] = gx[e] - c*(gx[e]-fx[e])
		}
	}
}

func stdDev(x []float64) float64 {
	if len(x) == 0 {
		return 0
	}
	var m float64
	for _, v := range x {
		m += v
	}
	m /= float64(len(x))
	var s float64
	for _, v := range x {
		s += (v - m) * (v - m)
	}
	return math.Sqrt(s / float64(len(x)))
}
