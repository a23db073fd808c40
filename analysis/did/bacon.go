package did

import (
	"fmt"
	"sort"

	"example.org/smartcity/analysis/frame"
)

// Comparison types of the Goodman-Bacon decomposition, named as in the
// bacondecomp package.
const (
	TreatedVsUntreated   = "Treated vs Untreated"
	EarlierVsLater       = "Earlier vs Later Treated"
	LaterVsEarlier       = "Later vs Earlier Treated"
	LaterVsAlwaysTreated = "Later vs Always Treated"
)

// Comparison is one 2x2 difference-in-differences of the decomposition.
type Comparison struct {
	Treated int // first treated period of the group acting as treated
	// Control is the first treated period of the comparison group, 0 for
	// the never-treated units.
	Control  int
	Type     string
	Estimate float64
	Weight   float64
}

// TypeSummary sums the decomposition by comparison type: the total weight
// and the weighted mean of the 2x2 estimates.
type TypeSummary struct {
	Type     string
	Weight   float64
	Estimate float64
}

// BaconResult is the Goodman-Bacon decomposition of a two-way fixed-effects
// estimate.
type BaconResult struct {
	// TWFE is the coefficient of the treatment dummy in the regression of
	// y on it with unit and period fixed effects (computed directly by
	// the within transformation of the balanced panel).
	TWFE        float64
	Comparisons []Comparison
	Summary     []TypeSummary
	Units       int
	Periods     []int
}

// Bacon decomposes the two-way fixed-effects DiD estimate of Y on the
// binary, absorbing treatment dummy Treat (unit and period fixed effects) on
// a balanced panel into the 2x2 comparisons of Goodman-Bacon (2021,
// Theorem 1): each timing group against the never-treated units, and each
// pair of timing groups k < l as "earlier vs later" (periods before l) and
// "later vs earlier" (periods from k on). Units treated in every period are
// the "always treated" comparison group. The weights are those of the
// theorem, s = (group sizes)^2 x (variance of treatment within the 2x2) /
// (variance of the two-way demeaned treatment), and sum to one; the
// weighted sum of the estimates equals TWFE.
//
// A treatment that switches off, a value other than 0 or 1, a missing value
// or a missing period is an error naming the unit.
func Bacon(d *frame.Frame, y, treat, unit, time string) (*BaconResult, error) {
	w, err := readWide(d, y, unit, time, "", []string{treat}, false)
	if err != nil {
		return nil, err
	}
	n, T := w.n(), w.t()
	D := w.x[0]

	// Timing group of each unit: index of its first treated period, T for
	// never treated.
	timing := make([]int, n)
	for i := 0; i < n; i++ {
		timing[i] = T
		for s := 0; s < T; s++ {
			v := D[i*T+s]
			if v != 0 && v != 1 {
				return nil, fmt.Errorf("%s: column %q: unit %s, period %d: value %v; the "+
					"treatment must be 0 or 1", w.source, treat, w.units[i], w.periods[s], v)
			}
			if v == 1 && timing[i] == T {
				timing[i] = s
			}
			if v == 0 && timing[i] < T {
				return nil, fmt.Errorf("%s: column %q: unit %s is treated in period %d but "+
					"not in %d; the decomposition needs a treatment that stays on",
					w.source, treat, w.units[i], w.periods[timing[i]], w.periods[s])
			}
		}
	}

	// Group sizes and cell means by timing group.
	size := make([]float64, T+1)
	sumY := make([][]float64, T+1) // sumY[g][s]
	for g := range sumY {
		sumY[g] = make([]float64, T)
	}
	for i := 0; i < n; i++ {
		size[timing[i]]++
		for s := 0; s < T; s++ {
			sumY[timing[i]][s] += w.y[i*T+s]
		}
	}
	mean := func(g, from, to int) float64 { // mean of group g over periods [from, to)
		var s float64
		for t := from; t < to; t++ {
			s += sumY[g][t]
		}
		return s / (size[g] * float64(to-from))
	}

	// TWFE by the within transformation: the coefficient is
	// sum(Dtilde y)/sum(Dtilde^2) with Dtilde the two-way demeaned dummy.
	unitMean := make([]float64, n)
	perMean := make([]float64, T)
	var all float64
	for i := 0; i < n; i++ {
		for s := 0; s < T; s++ {
			unitMean[i] += D[i*T+s] / float64(T)
			perMean[s] += D[i*T+s] / float64(n)
			all += D[i*T+s]
		}
	}
	all /= float64(n * T)
	var sxy, sxx float64
	for i := 0; i < n; i++ {
		for s := 0; s < T; s++ {
			dt := D[i*T+s] - unitMean[i] - perMean[s] + all
			sxy += dt * w.y[i*T+s]
			sxx += dt * dt
		}
	}
	if sxx <= 1e-12*float64(n*T) {
		return nil, fmt.Errorf("%s: the treatment %q does not vary after removing unit and "+
			"period means; there is nothing to decompose", w.source, treat)
	}
	res := &BaconResult{TWFE: sxy / sxx, Units: n, Periods: w.periods}
	vD := sxx / float64(n*T)

	var groups []int // timing indices present, treated at some point
	for g := 0; g < T; g++ {
		if size[g] > 0 {
			groups = append(groups, g)
		}
	}
	share := func(g int) float64 { return size[g] / float64(n) }
	dbar := func(g int) float64 { return float64(T-g) / float64(T) }
	label := func(g int) int { return w.periods[g] }

	for a, k := range groups {
		nk, dk := share(k), dbar(k)
		if size[T] > 0 && k > 0 {
			nu := share(T)
			nku := nk / (nk + nu)
			wgt := (nk + nu) * (nk + nu) * nku * (1 - nku) * dk * (1 - dk) / vD
			est := (mean(k, k, T) - mean(k, 0, k)) - (mean(T, k, T) - mean(T, 0, k))
			res.Comparisons = append(res.Comparisons,
				Comparison{label(k), 0, TreatedVsUntreated, est, wgt})
		}
		for _, l := range groups[a+1:] {
			nl, dl := share(l), dbar(l)
			nkl := nk / (nk + nl)
			if k > 0 { // earlier vs later: periods before l
				wgt := (nk + nl) * (1 - dl) * (nk + nl) * (1 - dl) * nkl * (1 - nkl) *
					(dk - dl) / (1 - dl) * (1 - dk) / (1 - dl) / vD
				est := (mean(k, k, l) - mean(k, 0, k)) - (mean(l, k, l) - mean(l, 0, k))
				res.Comparisons = append(res.Comparisons,
					Comparison{label(k), label(l), EarlierVsLater, est, wgt})
			}
			// later vs earlier: periods from k on
			wgt := (nk + nl) * dk * (nk + nl) * dk * nkl * (1 - nkl) *
				dl / dk * (dk - dl) / dk / vD
			est := (mean(l, l, T) - mean(l, k, l)) - (mean(k, l, T) - mean(k, k, l))
			typ := LaterVsEarlier
			if k == 0 {
				typ = LaterVsAlwaysTreated
			}
			res.Comparisons = append(res.Comparisons,
				Comparison{label(l), label(k), typ, est, wgt})
		}
	}

	byType := map[string]*TypeSummary{}
	for _, c := range res.Comparisons {
		s := byType[c.Type]
		if s == nil {
			s = &TypeSummary{Type: c.Type}
			byType[c.Type] = s
		}
		s.Weight += c.Weight
		s.Estimate += c.Weight * c.Estimate
	}
	for _, s := range byType {
		if s.Weight != 0 {
			s.Estimate /= s.Weight
		}
		res.Summary = append(res.Summary, *s)
	}
	sort.Slice(res.Summary, func(i, j int) bool { return res.Summary[i].Type < res.Summary[j].Type })
	return res, nil
}
