package placebo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"

	"example.org/smartcity/analysis/fe"
	"example.org/smartcity/analysis/frame"
)

// Options controls a permutation test. The zero value is 1,000 random
// draws with seed 0 and the default fixed-effects options.
type Options struct {
	// Draws is the number of random permutations; 0 means 1000.
	Draws int

	// Seed seeds the PCG generator of the permutations (math/rand/v2,
	// rand.NewPCG(Seed, 0)); the same seed gives the same draws.
	Seed uint64

	// Exact enumerates every distinct assignment instead of drawing at
	// random; an error is returned if there are more than MaxExact.
	Exact bool

	// MaxExact bounds the enumeration; 0 means 100,000.
	MaxExact int

	// FE passes the model's options (weights, clusters, solver) to the
	// fixed-effects fit of the observed estimate.
	FE fe.Options
}

func (o Options) draws() int {
	if o.Draws <= 0 {
		return 1000
	}
	return o.Draws
}

func (o Options) maxExact() int {
	if o.MaxExact <= 0 {
		return 100000
	}
	return o.MaxExact
}

// Result is a permutation distribution of a coefficient (or of a
// difference of coefficients) and its p-values.
type Result struct {
	Term     string    // the coefficient tested
	Observed float64   // the estimate on the real assignment
	Draws    []float64 // the estimate under each permuted assignment, in draw order

	// PValue is the two-sided p-value: with B random draws of which
	// NExtreme have |b| >= |observed|,
	//
	//	p = (1 + NExtreme) / (1 + B),
	//
	// counting the observed assignment as one draw of the permutation
	// distribution (Phipson and Smyth 2010); it is never 0 and the test it
	// defines has exact level. With Exact, Draws holds every distinct
	// assignment, the real one included, and p = NExtreme / len(Draws).
	// Ties are counted as extreme, with a relative tolerance of 1e-9 for
	// rounding.
	PValue float64
	// PLower and PUpper are the one-sided p-values for b <= observed and
	// b >= observed, by the same rule.
	PLower, PUpper float64
	NExtreme       int
	Rule           string // the p-value rule in words

	Exact  bool
	Seed   uint64
	Mode   string // what was permuted
	NUnits int
	NObs   int
	// NFailed counts draws whose permuted column was collinear with the
	// fixed effects; they are left out of Draws and of the p-values.
	NFailed int
	Notes   []string
}

// Permutation tests the coefficient of the treatment term treat of the
// fixed-effects model f by randomization inference: the units' treatment
// paths are permuted across units and the model re-estimated for each
// permutation, holding everything else fixed.
//
// When every unit's treatment is 0/1 and never switches off, a path is its
// first treated period (or "never") and unit u is given the start period
// of the unit it is permuted with, D(u,t) = 1[t >= g]; this works on
// unbalanced panels. Otherwise the whole path is moved, D(u,t) = D(pi(u),
// t), which needs every unit to be observed in the same periods.
//
// The observed estimate is fe.Fit's; each draw re-uses the demeaned
// outcome and controls (see the solver in this package) so it costs one
// demeaning of the permuted column. That is valid only when nothing but
// the treatment term depends on the assignment: a fixed effect or weight
// built on the treatment column is refused with an error. Controls derived
// from the treatment (an interaction of it with another column, say) are
// not detected and stay at their observed values in every draw; leave them
// out of f. Permutation returns the distribution
// for a chart and p-values whose rule is stated in Result.PValue.
func Permutation(d *frame.Frame, f fe.Formula, treat, unit, time string,
	opt Options) (*Result, error) {
	if err := fixedWithPermutation(f, opt.FE, treat); err != nil {
		return nil, err
	}
	r0, err := fe.Fit(d, f, opt.FE)
	if err != nil {
		return nil, err
	}
	j := r0.Index(treat)
	if j < 0 {
		return nil, fmt.Errorf("placebo: %q is not an estimated regressor of %s (terms %v, collinear %v)",
			treat, f, r0.Terms, r0.Collinear)
	}
	s, err := newSample(d, f, treat, unit, time, opt.FE, r0)
	if err != nil {
		return nil, err
	}
	sv, err := newSolver(s.groups, s.w, s.y, s.x, opt.FE)
	if err != nil {
		return nil, err
	}
	paths, err := newPaths(s)
	if err != nil {
		return nil, err
	}

	res := &Result{Term: treat, Observed: r0.Coef[j], Seed: opt.Seed, Mode: paths.mode,
		NUnits: len(paths.units), NObs: len(s.rows)}
	own, err := sv.coef(s.d)
	if err != nil {
		return nil, err
	}
	if math.Abs(own-res.Observed) > 1e-6*math.Max(1, math.Abs(res.Observed)) {
		return nil, fmt.Errorf("placebo: internal check failed: re-estimated coefficient %.10g "+
			"differs from the fit's %.10g", own, res.Observed)
	}

	col := make([]float64, len(s.rows))
	draw := func(assign []int) error {
		paths.column(col, assign)
		b, err := sv.coef(col)
		if err != nil {
			return err
		}
		if math.IsNaN(b) {
			res.NFailed++
			return nil
		}
		res.Draws = append(res.Draws, b)
		return nil
	}
	if opt.Exact {
		res.Exact = true
		if err := enumerate(paths.types, opt.maxExact(), draw); err != nil {
			return nil, err
		}
	} else {
		rng := rand.New(rand.NewPCG(opt.Seed, 0))
		assign := append([]int(nil), paths.types...)
		for b := 0; b < opt.draws(); b++ {
			copy(assign, paths.types)
			rng.Shuffle(len(assign), func(i, j int) { assign[i], assign[j] = assign[j], assign[i] })
			if err := draw(assign); err != nil {
				return nil, err
			}
		}
	}
	res.pvalues()
	if res.NFailed > 0 {
		res.Notes = append(res.Notes, fmt.Sprintf(
			"%d permutations gave a treatment column collinear with the fixed effects: left out", res.NFailed))
	}
	return res, nil
}

// pvalues fills the p-values from Observed and Draws.
func (r *Result) pvalues() {
	tol := 1e-9 * math.Max(math.Abs(r.Observed), 1e-300)
	var ext, lo, hi int
	for _, b := range r.Draws {
		if math.Abs(b) >= math.Abs(r.Observed)-tol {
			ext++
		}
		if b <= r.Observed+tol {
			lo++
		}
		if b >= r.Observed-tol {
			hi++
		}
	}
	r.NExtreme = ext
	B := float64(len(r.Draws))
	if r.Exact {
		r.PValue, r.PLower, r.PUpper = float64(ext)/B, float64(lo)/B, float64(hi)/B
		r.Rule = "exact: share of all distinct assignments with |b| >= |observed|"
		return
	}
	r.PValue = (1 + float64(ext)) / (1 + B)
	r.PLower, r.PUpper = (1+float64(lo))/(1+B), (1+float64(hi))/(1+B)
	r.Rule = "(1 + #{|b| >= |observed|}) / (1 + draws)"
}

// paths holds each unit's treatment path as a type, so that a permutation
// is a rearrangement of the types across units.
type paths struct {
	mode   string
	units  []string              // distinct units in order of first appearance
	unitOf []int                 // unit index of every row
	types  []int                 // path type of every unit
	start  []float64             // start period of each type (start mode), +Inf for never
	table  []map[float64]float64 // path of each type by period (path mode)
	time   []float64
}

func newPaths(s *sample) (*paths, error) {
	p := &paths{time: s.time}
	idx := map[string]int{}
	p.unitOf = make([]int, len(s.rows))
	for k, u := range s.unit {
		i, ok := idx[u]
		if !ok {
			i = len(p.units)
			idx[u] = i
			p.units = append(p.units, u)
		}
		p.unitOf[k] = i
	}
	nu := len(p.units)

	// Order each unit's rows by period to test for absorbing 0/1 paths.
	byUnit := make([][]int, nu)
	for k, i := range p.unitOf {
		byUnit[i] = append(byUnit[i], k)
	}
	absorbing := true
	starts := make([]float64, nu)
	for i, ks := range byUnit {
		sort.Slice(ks, func(a, b int) bool { return s.time[ks[a]] < s.time[ks[b]] })
		starts[i] = math.Inf(1)
		prev := 0.0
		for _, k := range ks {
			v := s.d[k]
			if (v != 0 && v != 1) || v < prev {
				absorbing = false
			}
			if v == 1 && math.IsInf(starts[i], 1) {
				starts[i] = s.time[k]
			}
			prev = v
		}
	}

	p.types = make([]int, nu)
	if absorbing {
		p.mode = "treatment start period of each unit"
		typ := map[float64]int{}
		for i, g := range starts {
			t, ok := typ[g]
			if !ok {
				t = len(p.start)
				typ[g] = t
				p.start = append(p.start, g)
			}
			p.types[i] = t
		}
		return p, nil
	}

	p.mode = "treatment path of each unit"
	periods := map[float64]bool{}
	for _, t := range s.time {
		periods[t] = true
	}
	typ := map[string]int{}
	for i, ks := range byUnit {
		if len(ks) != len(periods) {
			return nil, fmt.Errorf("placebo: unit %q has %d of the %d periods; permuting treatment "+
				"paths that switch off needs a balanced panel", p.units[i], len(ks), len(periods))
		}
		key := fmt.Sprint(func() []float64 {
			v := make([]float64, len(ks))
			for a, k := range ks {
				v[a] = s.d[k]
			}
			return v
		}())
		t, ok := typ[key]
		if !ok {
			t = len(p.table)
			typ[key] = t
			m := map[float64]float64{}
			for _, k := range ks {
				m[s.time[k]] = s.d[k]
			}
			p.table = append(p.table, m)
		}
		p.types[i] = t
	}
	return p, nil
}

// column writes the treatment column of every row under the assignment of
// path types to units.
func (p *paths) column(dst []float64, assign []int) {
	for k, i := range p.unitOf {
		t := assign[i]
		if p.start != nil {
			if p.time[k] >= p.start[t] {
				dst[k] = 1
			} else {
				dst[k] = 0
			}
			continue
		}
		dst[k] = p.table[t][p.time[k]]
	}
}

// enumerate calls f with every distinct arrangement of the multiset types,
// in lexicographic order, after checking that there are at most max.
func enumerate(types []int, max int, f func([]int) error) error {
	a := append([]int(nil), types...)
	sort.Ints(a)
	count := 1.0
	counts := map[int]int{}
	for i, t := range a {
		counts[t]++
		count = count * float64(i+1) / float64(counts[t])
	}
	if count > float64(max) {
		return fmt.Errorf("placebo: %.0f distinct assignments exceed the limit %d for exact "+
			"enumeration; use random draws", count, max)
	}
	for {
		if err := f(a); err != nil {
			return err
		}
		// Next permutation in lexicographic order.
		i := len(a) - 2
		for i >= 0 && a[i] >= a[i+1] {
			i--
		}
		if i < 0 {
			return nil
		}
		j := len(a) - 1
		for a[j] <= a[i] {
			j--
		}
		a[i], a[j] = a[j], a[i]
		for l, r := i+1, len(a)-1; l < r; l, r = l+1, r-1 {
			a[l], a[r] = a[r], a[l]
		}
	}
}

// fixedWithPermutation returns an error when a fixed effect or the weight
// column of the model is the column col that a permutation test moves
// across units: the demeaning would then depend on the assignment, and the
// fixed effects could not be held fixed across draws.
func fixedWithPermutation(f fe.Formula, opt fe.Options, col string) error {
	for _, g := range f.FE {
		for _, part := range strings.Split(g, "^") {
			if strings.TrimSpace(part) == col {
				return fmt.Errorf("placebo: the fixed effect %q is built on %q, which the "+
					"permutation moves across units; the fixed effects must not depend on the "+
					"assignment (drop %q from them)", g, col, col)
			}
		}
	}
	if opt.Weights == col {
		return fmt.Errorf("placebo: the weights column is %q, which the permutation moves "+
			"across units; the weights must not depend on the assignment", col)
	}
	return nil
}
