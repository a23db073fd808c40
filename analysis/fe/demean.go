package fe

import (
	"fmt"
	"math"
	"runtime"
	"sync"
)

// Defaults of the iterative demeaning solver, used when Options.Tol or
// Options.MaxIter is zero.
var (
	// DefaultTol is the convergence tolerance: the solver stops when no
	// fixed-effect coefficient of a column moved by more than DefaultTol
	// times the column's standard deviation in the last sweep. It is 10^4
	// times stricter than fixest's default (1e-6), so that coefficients
	// agree with exact solutions to about eight digits.
	DefaultTol = 1e-10
	// DefaultMaxIter is the largest number of sweeps (one sweep updates
	// every fixed-effect dimension once).
	DefaultMaxIter = 10000
)

// Demeaner projects fixed effects out of columns: Demean returns the
// residual of the weighted least-squares fit of a column on the dummies of
// every fixed-effect dimension. Build it once for a set of groups and reuse
// it for many columns (placebo permutations, bootstraps, event studies).
// A Demeaner is safe for concurrent use.
type Demeaner struct {
	n       int
	groups  [][]int32
	levels  []int
	weights []float64 // nil: every weight is 1
	wsum    [][]float64
	exact   bool
	layout  gridOrder
	tol     float64
	maxIter int
}

// Convergence reports how a demeaning went.
type Convergence struct {
	// Exact is true when the projection was computed in closed form (one
	// dimension, or a balanced two-way panel without weights).
	Exact bool
	// Iterations counts the solver's sweeps; 0 when Exact.
	Iterations int
	Converged  bool
}

// NonConvergenceError is returned when the iterative demeaning did not meet
// its tolerance within the iteration limit.
type NonConvergenceError struct {
	Iterations int
	Tol        float64
	// Change is the largest relative change of a fixed-effect coefficient
	// in the last sweep.
	Change float64
}

func (e *NonConvergenceError) Error() string {
	return fmt.Sprintf("fixed-effect demeaning did not converge in %d iterations "+
		"(last relative change %.3g, tolerance %.3g); raise MaxIter or Tol, or check "+
		"for fixed effects that are nearly collinear", e.Iterations, e.Change, e.Tol)
}

// NewDemeaner prepares the projection on the fixed effects given by groups:
// groups[d][i] is the level, 0 <= level, of observation i in dimension d.
// Codes need not be dense, but a level's count of observations is kept for
// every code up to the largest. If weights is nil all weights are 1;
// otherwise it must have one non-negative entry per observation. Options.Tol
// and Options.MaxIter set the solver; other fields are ignored. Groups of
// different lengths are a programming error and panic; a negative code or
// weight is returned as an error.
func NewDemeaner(groups [][]int32, weights []float64, opt Options) (*Demeaner, error) {
	d := &Demeaner{groups: groups, weights: weights, tol: opt.Tol, maxIter: opt.MaxIter}
	if d.tol <= 0 {
		d.tol = DefaultTol
	}
	if d.maxIter <= 0 {
		d.maxIter = DefaultMaxIter
	}
	d.n = -1
	for _, g := range groups {
		if d.n >= 0 && len(g) != d.n {
			panic(fmt.Sprintf("fe: NewDemeaner: group slices of lengths %d and %d", d.n, len(g)))
		}
		d.n = len(g)
	}
	if weights != nil {
		if d.n >= 0 && len(weights) != d.n {
			panic(fmt.Sprintf("fe: NewDemeaner: %d weights for %d observations", len(weights), d.n))
		}
		d.n = len(weights)
		for i, w := range weights {
			if !(w >= 0) || math.IsInf(w, 0) {
				return nil, fmt.Errorf("fe: weight %v at observation %d: "+
					"weights must be finite and non-negative", w, i)
			}
		}
	}
	if d.n < 0 {
		d.n = 0
	}

	// A balanced panel stored unit by unit (or period by period) in order
	// needs neither counting nor a check of its cells.
	if len(groups) == 2 && (weights == nil || constant(weights) && weights[0] > 0) {
		if slow, fast, lay := gridLayout(groups[0], groups[1]); lay != noGrid {
			d.weights, d.layout, d.exact = nil, lay, true
			d.levels = []int{slow, fast}
			if lay == periodMajor {
				d.levels = []int{fast, slow}
			}
			d.wsum = make([][]float64, 2)
			for k := range d.wsum {
				d.wsum[k] = make([]float64, d.levels[k])
				for l := range d.wsum[k] {
					d.wsum[k][l] = float64(d.n / d.levels[k])
				}
			}
			return d, nil
		}
	}

	d.levels = make([]int, len(groups))
	d.wsum = make([][]float64, len(groups))
	for k, g := range groups {
		max := int32(-1)
		for i, c := range g {
			if c < 0 {
				return nil, fmt.Errorf("fe: fixed-effect dimension %d: negative level %d "+
					"at observation %d", k, c, i)
			}
			if c > max {
				max = c
			}
		}
		d.levels[k] = int(max) + 1
		ws := make([]float64, d.levels[k])
		if weights == nil {
			for _, c := range g {
				ws[c]++
			}
		} else {
			for i, c := range g {
				ws[c] += weights[i]
			}
		}
		d.wsum[k] = ws
	}
	if weights != nil && constant(weights) && weights[0] > 0 {
		// Equal weights change nothing in the projection.
		d.weights = nil
		for k := range d.wsum {
			for l := range d.wsum[k] {
				d.wsum[k][l] /= weights[0]
			}
		}
	}
	d.exact = len(groups) <= 1 || (len(groups) == 2 && d.weights == nil && d.balanced())
	return d, nil
}

// gridOrder says how a balanced two-way panel is stored.
type gridOrder int

const (
	noGrid      gridOrder = iota
	unitMajor             // rows u*T + t: dimension 0 varies slowly
	periodMajor           // rows t*U + u: dimension 1 varies slowly
)

// gridLayout recognises the two orders of a full grid: codes (u, t) at row
// u*T+t, or at row t*U+u. It returns the slow and fast dimensions' sizes.
func gridLayout(g0, g1 []int32) (slow, fast int, order gridOrder) {
	if s, f, ok := rowMajor(g0, g1); ok {
		return s, f, unitMajor
	}
	if s, f, ok := rowMajor(g1, g0); ok {
		return s, f, periodMajor
	}
	return 0, 0, noGrid
}

// rowMajor reports whether slow[i] = i / F and fast[i] = i % F for some F.
func rowMajor(slow, fast []int32) (int, int, bool) {
	n := len(fast)
	f := 0
	for f < n && fast[f] == int32(f) {
		f++
	}
	if f == 0 || n%f != 0 {
		return 0, 0, false
	}
	s := n / f
	i := 0
	for u := 0; u < s; u++ {
		blk, sb := fast[i:i+f], slow[i:i+f]
		for t := range blk {
			if blk[t] != int32(t) || sb[t] != int32(u) {
				return 0, 0, false
			}
		}
		i += f
	}
	return s, f, true
}

func constant(v []float64) bool {
	for _, x := range v {
		if x != v[0] {
			return false
		}
	}
	return true
}

// balanced reports whether two dimensions form a full grid: every pair of
// levels is observed exactly once.
func (d *Demeaner) balanced() bool {
	l0, l1 := d.levels[0], d.levels[1]
	if l0*l1 != d.n {
		return false
	}
	seen := make([]uint64, (d.n+63)/64)
	g0, g1 := d.groups[0], d.groups[1]
	for i := range g0 {
		c := int(g0[i])*l1 + int(g1[i])
		if seen[c>>6]&(1<<(c&63)) != 0 {
			return false
		}
		seen[c>>6] |= 1 << (c & 63)
	}
	return true
}

// Exact reports whether the projection is computed in closed form.
func (d *Demeaner) Exact() bool { return d.exact }

// Levels returns the number of levels of each dimension.
func (d *Demeaner) Levels() []int { return append([]int(nil), d.levels...) }

// Len returns the number of observations.
func (d *Demeaner) Len() int { return d.n }

// Demean writes src with the fixed effects projected out into dst (which may
// be src). It panics if the lengths differ from the Demeaner's; it returns a
// *NonConvergenceError if the iterative solver did not converge.
func (d *Demeaner) Demean(dst, src []float64) error {
	_, err := d.DemeanColumns([][]float64{dst}, [][]float64{src})
	return err
}

// DemeanColumns demeans several columns in one go, which reads the group
// codes once per sweep for all of them: dst[k] receives src[k] with the
// fixed effects projected out (dst[k] may be src[k]). The iteration stops
// when every column has converged. Large problems are split by columns
// over GOMAXPROCS goroutines.
func (d *Demeaner) DemeanColumns(dst, src [][]float64) (Convergence, error) {
	conv, _, err := d.demean(dst, src, false)
	return conv, err
}

// demean is DemeanColumns; with wantSS it also returns each source
// column's (weighted) sum of squares, computed in the same pass.
func (d *Demeaner) demean(dst, src [][]float64, wantSS bool) (Convergence, []float64, error) {
	if len(dst) != len(src) {
		panic("fe: DemeanColumns: dst and src hold different numbers of columns")
	}
	for k := range src {
		if len(src[k]) != d.n || len(dst[k]) != d.n {
			panic(fmt.Sprintf("fe: DemeanColumns: column %d has length %d/%d, want %d",
				k, len(src[k]), len(dst[k]), d.n))
		}
	}
	ss := make([]float64, len(src))
	if len(src) == 0 {
		return Convergence{Exact: d.exact, Converged: true}, ss, nil
	}

	// Split the columns among workers when there is enough work.
	workers := runtime.GOMAXPROCS(0)
	if d.n < 1<<16 {
		workers = 1
	}
	workers = min(workers, len(src))
	if workers > 1 {
		convs := make([]Convergence, workers)
		errs := make([]error, workers)
		var wg sync.WaitGroup
		for w := 0; w < workers; w++ {
			lo, hi := w*len(src)/workers, (w+1)*len(src)/workers
			wg.Add(1)
			go func() {
				defer wg.Done()
				var part []float64
				convs[w], part, errs[w] = d.demean1(dst[lo:hi], src[lo:hi], wantSS)
				copy(ss[lo:hi], part)
			}()
		}
		wg.Wait()
		conv := Convergence{Exact: d.exact, Converged: true}
		for w := range convs {
			if errs[w] != nil {
				return convs[w], nil, errs[w]
			}
			conv.Iterations = max(conv.Iterations, convs[w].Iterations)
		}
		return conv, ss, nil
	}
	return d.demean1(dst, src, wantSS)
}

func (d *Demeaner) demean1(dst, src [][]float64, wantSS bool) (Convergence, []float64, error) {
	ss := make([]float64, len(src))
	if d.layout != noGrid {
		for k := range src {
			ss[k] = d.grid(dst[k], src[k])
		}
		return Convergence{Exact: true, Converged: true}, ss, nil
	}
	if wantSS {
		for k, x := range src {
			ss[k] = weightedSS(x, d.weights)
		}
	}
	switch {
	case len(d.groups) == 0:
		for k := range src {
			copy(dst[k], src[k])
		}
		return Convergence{Exact: true, Converged: true}, ss, nil
	case len(d.groups) == 1:
		for k := range src {
			d.oneWay(dst[k], src[k])
		}
		return Convergence{Exact: true, Converged: true}, ss, nil
	case d.exact:
		for k := range src {
			d.balancedTwoWay(dst[k], src[k])
		}
		return Convergence{Exact: true, Converged: true}, ss, nil
	}
	conv, err := d.iterate(dst, src)
	return conv, ss, err
}

// groupSums returns, for dimension k, the weighted sums of every column by
// level, laid out as s[level*K+column].
func (d *Demeaner) groupSums(k int, src [][]float64) []float64 {
	K := len(src)
	s := make([]float64, d.levels[k]*K)
	g := d.groups[k]
	if K == 1 {
		x := src[0]
		if d.weights == nil {
			for i, c := range g {
				s[c] += x[i]
			}
		} else {
			w := d.weights
			for i, c := range g {
				s[c] += w[i] * x[i]
			}
		}
		return s
	}
	for j, x := range src {
		if d.weights == nil {
			for i, c := range g {
				s[int(c)*K+j] += x[i]
			}
		} else {
			w := d.weights
			for i, c := range g {
				s[int(c)*K+j] += w[i] * x[i]
			}
		}
	}
	return s
}

// means turns group sums into group means in place; empty levels get 0.
func (d *Demeaner) means(k int, s []float64, K int) {
	for l, w := range d.wsum[k] {
		inv := 0.0
		if w > 0 {
			inv = 1 / w
		}
		for j := 0; j < K; j++ {
			s[l*K+j] *= inv
		}
	}
}

func (d *Demeaner) oneWay(y, x []float64) {
	m := d.groupSums(0, [][]float64{x})
	d.means(0, m, 1)
	g := d.groups[0]
	for i, c := range g {
		y[i] = x[i] - m[c]
	}
}

// grid is balancedTwoWay for a panel in one of the two grid orders: it
// reads only the values, block by block. It returns Σx².
func (d *Demeaner) grid(y, x []float64) float64 {
	slowDim, fastDim := 0, 1
	if d.layout == periodMajor {
		slowDim, fastDim = 1, 0
	}
	S, F := d.levels[slowDim], d.levels[fastDim]
	ms := make([]float64, S)
	mf := make([]float64, F)
	ss := 0.0
	for b := 0; b < S; b++ {
		blk := x[b*F : (b+1)*F]
		mf := mf[:len(blk)]
		s := 0.0
		for t, v := range blk {
			s += v
			ss += v * v
			mf[t] += v
		}
		ms[b] = s / float64(F)
	}
	grand := 0.0
	for _, v := range mf {
		grand += v
	}
	grand /= float64(d.n)
	for t := range mf {
		mf[t] = mf[t]/float64(S) - grand
	}
	for b := 0; b < S; b++ {
		blk, out := x[b*F:(b+1)*F], y[b*F:(b+1)*F]
		out = out[:len(blk)]
		mf := mf[:len(blk)]
		a := ms[b]
		for t, v := range blk {
			out[t] = v - a - mf[t]
		}
	}
	return ss
}

// balancedTwoWay is the closed form for a full grid without weights:
// x - mean_unit - mean_period + mean. One pass gathers both sets of sums,
// one more writes the result.
func (d *Demeaner) balancedTwoWay(y, x []float64) {
	g0, g1 := d.groups[0], d.groups[1]
	m0 := make([]float64, d.levels[0])
	m1 := make([]float64, d.levels[1])
	x = x[:len(g0)]
	g1 = g1[:len(g0)]
	// Sums over runs of equal codes are kept in registers: data sorted by
	// unit (or by period) then avoids a chain of loads and stores on the
	// same element.
	cur0, cur1 := g0[0], g1[0]
	var acc0, acc1 float64
	for i, c := range g0 {
		v := x[i]
		if c != cur0 {
			m0[cur0] += acc0
			cur0, acc0 = c, 0
		}
		acc0 += v
		if c1 := g1[i]; c1 != cur1 {
			m1[cur1] += acc1
			cur1, acc1 = c1, 0
		}
		acc1 += v
	}
	m0[cur0] += acc0
	m1[cur1] += acc1
	grand := 0.0
	for _, v := range m1 {
		grand += v
	}
	grand /= float64(d.n)
	d.means(0, m0, 1)
	d.means(1, m1, 1)
	// Fold the grand mean into the period means.
	for l := range m1 {
		m1[l] -= grand
	}
	y = y[:len(g0)]
	for i, c := range g0 {
		y[i] = x[i] - m0[c] - m1[g1[i]]
	}
}
