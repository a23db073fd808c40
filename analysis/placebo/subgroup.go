package placebo

import (
	"fmt"
	"math"
	"math/rand/v2"

	"example.org/smartcity/analysis/fe"
	"example.org/smartcity/analysis/frame"
)

// DiffResult is a permutation test of the difference between the
// treatment coefficients of two subgroups of units.
type DiffResult struct {
	Result // Observed = Coef1 - Coef0; Draws are permuted differences

	Group          string  // the 0/1 unit-level column defining the subgroups
	Coef1, Coef0   float64 // the coefficient in group 1 and in group 0
	Units1, Units0 int     // units in each group
}

// SubgroupDifference tests whether the coefficient of treat differs
// between the units with group = 1 and those with group = 0 (coastal and
// inland cities, say), the permutation test that this literature reports
// beside the fully interacted model (sometimes called Fisher's permutation
// test of coefficient differences).
//
// The model f is estimated separately in each group, with its own fixed
// effects, and the statistic is b1 - b0. Each draw permutes the group
// labels across units (keeping the group sizes), re-splits the sample and
// re-estimates both coefficients. The p-values follow the rule of
// Result.PValue. group must be 0 or 1 and constant within each unit; rows
// are those of the full model's fit of f.
func SubgroupDifference(d *frame.Frame, f fe.Formula, treat, unit, time, group string,
	opt Options) (*DiffResult, error) {
	if err := fixedWithPermutation(f, opt.FE, group); err != nil {
		return nil, err
	}
	r0, err := fe.Fit(d, f, opt.FE)
	if err != nil {
		return nil, err
	}
	if r0.Index(treat) < 0 {
		return nil, fmt.Errorf("placebo: %q is not an estimated regressor of %s", treat, f)
	}
	s, err := newSample(d, f, treat, unit, time, opt.FE, r0)
	if err != nil {
		return nil, err
	}
	gv, err := d.Float(group)
	if err != nil {
		return nil, err
	}

	// Unit-level labels.
	idx := map[string]int{}
	unitOf := make([]int, len(s.rows))
	var labels []int
	for k, i := range s.rows {
		g := gv[i]
		if g != 0 && g != 1 {
			return nil, &frame.CellError{Source: d.Source, Line: d.Line(i), Column: group,
				Value: frame.FormatNumber(g), Reason: "subgroup indicator must be 0 or 1"}
		}
		u, ok := idx[s.unit[k]]
		if !ok {
			u = len(labels)
			idx[s.unit[k]] = u
			labels = append(labels, int(g))
		} else if labels[u] != int(g) {
			return nil, &frame.CellError{Source: d.Source, Line: d.Line(i), Column: group,
				Value: frame.FormatNumber(g), Reason: fmt.Sprintf(
					"subgroup indicator changes within unit %q", s.unit[k])}
		}
		unitOf[k] = u
	}

	out := &DiffResult{Group: group}
	out.Term = treat
	out.Seed = opt.Seed
	out.Mode = "subgroup labels of units"
	out.NUnits = len(labels)
	out.NObs = len(s.rows)
	for _, l := range labels {
		if l == 1 {
			out.Units1++
		} else {
			out.Units0++
		}
	}
	if out.Units1 == 0 || out.Units0 == 0 {
		return nil, fmt.Errorf("placebo: subgroup %q has %d units with 1 and %d with 0; need both",
			group, out.Units1, out.Units0)
	}

	diff := func(lab []int) (b1, b0 float64, err error) {
		if b1, err = subgroupCoef(s, unitOf, lab, 1, opt.FE); err != nil {
			return
		}
		b0, err = subgroupCoef(s, unitOf, lab, 0, opt.FE)
		return
	}
	out.Coef1, out.Coef0, err = diff(labels)
	if err != nil {
		return nil, err
	}
	if math.IsNaN(out.Coef1) || math.IsNaN(out.Coef0) {
		return nil, fmt.Errorf("placebo: %s is not identified within one of the subgroups of %q "+
			"(no treated or no untreated rows there)", treat, group)
	}
	out.Observed = out.Coef1 - out.Coef0

	record := func(lab []int) error {
		b1, b0, err := diff(lab)
		if err != nil {
			return err
		}
		if math.IsNaN(b1) || math.IsNaN(b0) {
			out.NFailed++
			return nil
		}
		out.Draws = append(out.Draws, b1-b0)
		return nil
	}
	if opt.Exact {
		out.Exact = true
		if err := enumerate(labels, opt.maxExact(), record); err != nil {
			return nil, err
		}
	} else {
		rng := rand.New(rand.NewPCG(opt.Seed, 0))
		lab := make([]int, len(labels))
		for b := 0; b < opt.draws(); b++ {
			copy(lab, labels)
			rng.Shuffle(len(lab), func(i, j int) { lab[i], lab[j] = lab[j], lab[i] })
			if err := record(lab); err != nil {
				return nil, err
			}
		}
	}
	out.pvalues()
	if out.NFailed > 0 {
		out.Notes = append(out.Notes, fmt.Sprintf(
			"%d permutations left a subgroup where %s is not identified: left out", out.NFailed, treat))
	}
	return out, nil
}

// subgroupCoef estimates the treatment coefficient on the rows whose unit
// has label want, with the fixed effects re-coded within the subgroup.
func subgroupCoef(s *sample, unitOf, labels []int, want int, opt fe.Options) (float64, error) {
	var rows []int
	for k, u := range unitOf {
		if labels[u] == want {
			rows = append(rows, k)
		}
	}
	pick := func(v []float64) []float64 {
		out := make([]float64, len(rows))
		for a, k := range rows {
			out[a] = v[k]
		}
		return out
	}
	groups := make([][]int32, len(s.groups))
	for g, codes := range s.groups {
		dense := map[int32]int32{}
		groups[g] = make([]int32, len(rows))
		for a, k := range rows {
			c, ok := dense[codes[k]]
			if !ok {
				c = int32(len(dense))
				dense[codes[k]] = c
			}
			groups[g][a] = c
		}
	}
	var w []float64
	if s.w != nil {
		w = pick(s.w)
	}
	x := make([][]float64, len(s.x))
	for j := range s.x {
		x[j] = pick(s.x[j])
	}
	sv, err := newSolver(groups, w, pick(s.y), x, opt)
	if err != nil {
		return math.NaN(), err
	}
	return sv.coef(pick(s.d))
}
