package did

import (
	"fmt"
	"math"
	"sort"

	"example.org/smartcity/analysis/frame"
)

// Spec names the columns of a long panel: one row per unit and period.
// Group holds the first period in which the unit is treated, 0 for a unit
// never treated. Covariates, when given, enter the outcome regression and/or
// the propensity score with a constant; their values are taken in the
// earlier of the two periods of each comparison.
type Spec struct {
	Y, Unit, Time, Group string
	Covariates           []string
}

// Options configures CallawaySantAnna. The zero value gives the defaults of
// the R package did: never-treated comparison units, a varying base period,
// the doubly robust method when there are covariates, no anticipation,
// analytic standard errors, 95% intervals, and an error for an unbalanced
// panel.
type Options struct {
	// Control is "never" (never-treated units; the default) or "notyet"
	// (never-treated units and units not yet treated by the later of the
	// current and the base period, plus Anticipation).
	Control string
	// Base is "varying" (the default: pre-treatment cells compare period t
	// with t-1) or "universal" (every cell compares with period g-1, whose
	// cell is then the zero reference).
	Base string
	// Method is "dr" (the default), "reg" or "ipw"; see drDID, regDID and
	// ipwDID. Without covariates all three give the same estimate.
	Method string
	// Anticipation is the number of periods (in the units of the time
	// column) before g in which units may already react.
	Anticipation int
	// Bootstrap is the number of multiplier-bootstrap draws; 0 means
	// analytic standard errors and pointwise intervals only.
	Bootstrap int
	// Seed seeds the bootstrap (PCG).
	Seed uint64
	// Multiplier is "mammen" (the default, as in did) or "rademacher".
	Multiplier string
	// Level is the confidence level; 0 means 0.95.
	Level float64
	// DropIncomplete drops units missing a period, an outcome or a
	// covariate (as did does with a warning) instead of failing.
	DropIncomplete bool
}

// Cell is one group-time average treatment effect ATT(g,t).
type Cell struct {
	Group, Time int
	Base        int  // base (pre-treatment) period of the comparison
	Post        bool // Time >= Group
	// Reference marks the cell of period g-1 under a universal base
	// period: zero by construction, standard error zero.
	Reference bool
	ATT       float64
	// SE is the bootstrap standard error when a bootstrap was run, else
	// the analytic one; SEAnalytic is always the analytic one.
	SE, SEAnalytic     float64
	ConfLow, ConfHigh  float64 // uniform band when bootstrapped, else pointwise
	NTreated, NControl int
}

// Result holds the ATT(g,t) estimates and what is needed to aggregate them.
type Result struct {
	Spec    Spec
	Options Options // with defaults filled in
	Cells   []Cell
	Units   int   // units used
	Periods []int // periods used
	Groups  []int // treated groups (first-treatment periods) estimated
	// GroupShare[i] is the share of units in Groups[i], the weight P(G=g)
	// of the aggregations.
	GroupShare []float64
	// CritVal is the critical value of the intervals of Cells: a normal
	// quantile, or the bootstrap's uniform critical value.
	CritVal float64
	Uniform bool
	Notes   []string

	inf   *influence
	cohUn []int // cohort index of each unit (in the internal order)
	boot  *bootDraws
}

// influence stores the influence functions of all cells, scaled so that
// the analytic standard error of cell k is sqrt(sum_i inf_ik^2)/N. Units
// are ordered by cohort (treated cohorts ascending, never-treated last);
// cohort c spans units start[c] to start[c+1]-1, and only the cells whose
// 2x2 comparison uses cohort c have non-zero values there: cells[c] lists
// them, vals[c][j] holds the column of cells[c][j] on cohort c.
type influence struct {
	n     int
	start []int
	cells [][]int
	vals  [][][]float64
}

func (o *Options) defaults() error {
	switch o.Control {
	case "":
		o.Control = "never"
	case "never", "notyet":
	default:
		return fmt.Errorf("did: control group %q: want never or notyet", o.Control)
	}
	switch o.Base {
	case "":
		o.Base = "varying"
	case "varying", "universal":
	default:
		return fmt.Errorf("did: base period %q: want varying or universal", o.Base)
	}
	switch o.Method {
	case "":
		o.Method = "dr"
	case "dr", "reg", "ipw":
	default:
		return fmt.Errorf("did: method %q: want dr, reg or ipw", o.Method)
	}
	switch o.Multiplier {
	case "":
		o.Multiplier = "mammen"
	case "mammen", "rademacher":
	default:
		return fmt.Errorf("did: multiplier %q: want mammen or rademacher", o.Multiplier)
	}
	if o.Level == 0 {
		o.Level = 0.95
	}
	if o.Level <= 0 || o.Level >= 1 {
		return fmt.Errorf("did: confidence level %v: want a number between 0 and 1", o.Level)
	}
	if o.Bootstrap < 0 {
		return fmt.Errorf("did: %d bootstrap draws: want 0 or more", o.Bootstrap)
	}
	if o.Anticipation < 0 {
		return fmt.Errorf("did: anticipation %d: want 0 or more", o.Anticipation)
	}
	return nil
}

// CallawaySantAnna estimates every group-time average treatment effect
// ATT(g,t) of Callaway and Sant'Anna (2021) on a balanced panel:
//
//	ATT(g,t) = E[Y_t - Y_b | G=g] - E[Y_t - Y_b | C],
//
// where b is the base period (g-1-Anticipation for t >= g, or for every t
// under a universal base; t-1 before treatment under a varying base) and
// C the comparison units (never treated, or not yet treated by
// max(t, b)+Anticipation). With covariates the 2x2 comparison is adjusted
// by regDID, ipwDID or drDID. Standard errors come from the influence
// function, clustered by unit; Options.Bootstrap > 0 adds a multiplier
// bootstrap and a uniform confidence band over all cells.
//
// Units treated in or before the first period are dropped (no pre-period),
// as are units first treated after the last period, which are then never
// treated within the sample; both are noted in Result.Notes. With
// not-yet-treated comparisons and no never-treated unit, the periods from
// the last cohort's first treatment (less Anticipation) on are dropped and
// that cohort serves as comparison. Without never-treated units and Control "never" the
// estimator fails.
func CallawaySantAnna(d *frame.Frame, s Spec, opt Options) (*Result, error) {
	if err := opt.defaults(); err != nil {
		return nil, err
	}
	w, err := readWide(d, s.Y, s.Unit, s.Time, s.Group, s.Covariates, opt.DropIncomplete)
	if err != nil {
		return nil, err
	}
	return estimate(w, s, opt)
}

func estimate(w *wide, s Spec, opt Options) (*Result, error) {
	res := &Result{Spec: s, Options: opt}
	if len(w.dropped) > 0 {
		res.Notes = append(res.Notes, fmt.Sprintf("dropped %d unit(s) not complete in every "+
			"period: %s", len(w.dropped), summarize(w.dropped)))
	}

	// Recode cohorts: treated in or before the first period are dropped,
	// treated after the last period become never treated.
	first, last := w.periods[0], w.periods[w.t()-1]
	var early, late int
	for i, g := range w.group {
		switch {
		case g > 0 && g <= first:
			early++
		case g > last:
			late++
			w.group[i] = 0
		}
	}
	if late > 0 {
		res.Notes = append(res.Notes, fmt.Sprintf("%d unit(s) first treated after the last "+
			"period %d are counted as never treated", late, last))
	}
	if early > 0 {
		res.Notes = append(res.Notes, fmt.Sprintf("dropped %d unit(s) already treated in the "+
			"first period %d (no pre-treatment period)", early, first))
		w = w.subset(func(i int) bool { return w.group[i] == 0 || w.group[i] > first }, w.t()-1)
	}
	hasNever := false
	maxG := 0
	for _, g := range w.group {
		if g == 0 {
			hasNever = true
		}
		maxG = max(maxG, g)
	}
	if !hasNever {
		if opt.Control == "never" {
			return nil, fmt.Errorf("%s: no never-treated unit (first-treatment period 0); "+
				"use not-yet-treated comparison units", w.source)
		}
		// With anticipation the last cohort may react from maxG -
		// Anticipation on, so those periods go too (as in the did package).
		cut := maxG - opt.Anticipation
		lastS := sort.SearchInts(w.periods, cut) - 1
		if lastS < 1 {
			return nil, fmt.Errorf("%s: no never-treated unit and fewer than two periods "+
				"before period %d, from which the last cohort (first treated in %d) may react",
				w.source, cut, maxG)
		}
		res.Notes = append(res.Notes, fmt.Sprintf("no never-treated unit: periods from %d on "+
			"are dropped and the cohort first treated in %d serves as comparison", cut, maxG))
		w = w.subset(func(int) bool { return true }, lastS)
		for i, g := range w.group {
			if g == maxG {
				w.group[i] = 0
			}
		}
	}

	// Order units by cohort, never treated last.
	var groups []int
	seen := map[int]bool{}
	for _, g := range w.group {
		if g > 0 && !seen[g] {
			seen[g] = true
			groups = append(groups, g)
		}
	}
	sort.Ints(groups)
	if len(groups) == 0 {
		return nil, fmt.Errorf("%s: no unit is treated within the sample periods", w.source)
	}
	nc := len(groups) + 1 // cohorts: treated groups, then never treated
	cohortOf := func(g int) int {
		if g == 0 {
			return nc - 1
		}
		return sort.SearchInts(groups, g)
	}
	n, T := w.n(), w.t()
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool {
		return cohortOf(w.group[order[a]]) < cohortOf(w.group[order[b]])
	})
	inf := &influence{n: n, start: make([]int, nc+1), cells: make([][]int, nc),
		vals: make([][][]float64, nc)}
	res.cohUn = make([]int, n)
	for k, i := range order {
		c := cohortOf(w.group[i])
		res.cohUn[k] = c
		inf.start[c+1]++
	}
	for c := 0; c < nc; c++ {
		inf.start[c+1] += inf.start[c]
	}
	// y and covariates in the sorted order.
	ys := make([]float64, n*T)
	xs := make([][]float64, len(w.x))
	for j := range xs {
		xs[j] = make([]float64, n*T)
	}
	for k, i := range order {
		copy(ys[k*T:(k+1)*T], w.y[i*T:(i+1)*T])
		for j := range xs {
			copy(xs[j][k*T:(k+1)*T], w.x[j][i*T:(i+1)*T])
		}
	}

	res.Units, res.Periods, res.Groups = n, w.periods, groups
	res.GroupShare = make([]float64, len(groups))
	for c := range groups {
		res.GroupShare[c] = float64(inf.start[c+1]-inf.start[c]) / float64(n)
	}

	// Every (g, t) cell.
	p := len(xs) + 1
	var noPre []int
	for gi, g := range groups {
		preG := -1 // last period index with period + anticipation < g
		for si, per := range w.periods {
			if per+opt.Anticipation < g {
				preG = si
			}
		}
		if preG < 0 {
			noPre = append(noPre, g)
			continue
		}
		s0 := 1
		if opt.Base == "universal" {
			s0 = 0
		}
		for si := s0; si < T; si++ {
			t := w.periods[si]
			cell := Cell{Group: g, Time: t, Post: g <= t}
			base := si - 1
			if opt.Base == "universal" || g <= t {
				base = preG
			}
			cell.Base = w.periods[base]
			if base == si {
				cell.Reference = true
				res.Cells = append(res.Cells, cell)
				continue
			}

			// Comparison cohorts: never treated, plus the cohorts not yet
			// treated by max(t, base) + anticipation.
			ctrl := []int{nc - 1}
			if opt.Control == "notyet" {
				cut := max(t, w.periods[base]) + opt.Anticipation
				for c, h := range groups {
					if h > cut && h != g {
						ctrl = append(ctrl, c)
					}
				}
			}
			n1 := inf.start[gi+1] - inf.start[gi]
			n0 := 0
			for _, c := range ctrl {
				n0 += inf.start[c+1] - inf.start[c]
			}
			if n1 == 0 || n0 == 0 {
				res.Notes = append(res.Notes, fmt.Sprintf("ATT(%d,%d) skipped: no comparison "+
					"unit", g, t))
				continue
			}
			cell.NTreated, cell.NControl = n1, n0
			coh := append([]int{gi}, ctrl...)

			// Assemble the 2x2 sample.
			m := n1 + n0
			c2 := twoByTwo{dy: make([]float64, 0, m), d: make([]bool, 0, m), p: p}
			xsPer := min(base, si)
			if len(xs) > 0 {
				c2.x = make([]float64, 0, m*p)
			}
			for ci, c := range coh {
				for k := inf.start[c]; k < inf.start[c+1]; k++ {
					c2.dy = append(c2.dy, ys[k*T+si]-ys[k*T+base])
					c2.d = append(c2.d, ci == 0)
					if len(xs) > 0 {
						c2.x = append(c2.x, 1)
						for j := range xs {
							c2.x = append(c2.x, xs[j][k*T+xsPer])
						}
					}
				}
			}
			var att float64
			var f []float64
			var err error
			if len(xs) == 0 {
				att, f = meanDiff(c2)
			} else {
				switch opt.Method {
				case "reg":
					att, f, err = regDID(c2)
				case "ipw":
					att, f, err = ipwDID(c2)
				default:
					att, f, err = drDID(c2)
				}
				if err != nil {
					return nil, fmt.Errorf("%s: ATT(%d,%d): %v", w.source, g, t, err)
				}
			}
			cell.ATT = att

			// Rescale to the whole sample (did: n/n1) and store by cohort.
			k := len(res.Cells)
			scale := float64(n) / float64(m)
			off := 0
			var ss float64
			for _, c := range coh {
				nc := inf.start[c+1] - inf.start[c]
				col := make([]float64, nc)
				for r := range col {
					col[r] = scale * f[off+r]
					ss += col[r] * col[r]
				}
				off += nc
				inf.cells[c] = append(inf.cells[c], k)
				inf.vals[c] = append(inf.vals[c], col)
			}
			cell.SEAnalytic = math.Sqrt(ss) / float64(n)
			res.Cells = append(res.Cells, cell)
		}
	}
	if len(noPre) > 0 {
		res.Notes = append(res.Notes, fmt.Sprintf("group(s) %s have no pre-treatment period "+
			"and are not estimated", joinInts(noPre)))
	}
	res.inf = inf

	z := normalQuantile(0.5 + opt.Level/2)
	res.CritVal = z
	for k := range res.Cells {
		c := &res.Cells[k]
		c.SE = c.SEAnalytic
		c.ConfLow, c.ConfHigh = c.ATT-z*c.SE, c.ATT+z*c.SE
	}
	if opt.Bootstrap > 0 {
		res.boot = drawBootstrap(res, opt)
		lin := make([]linear, len(res.Cells))
		for k := range lin {
			lin[k] = res.newLinear()
			lin[k].a[k] = 1
		}
		se, crit := res.boot.bands(lin, opt.Level)
		res.CritVal, res.Uniform = crit, true
		for k := range res.Cells {
			c := &res.Cells[k]
			c.SE = se[k]
			c.ConfLow, c.ConfHigh = c.ATT-crit*c.SE, c.ATT+crit*c.SE
		}
	}
	return res, nil
}

// meanDiff is the unconditional 2x2 DiD: mean dy of the treated minus mean
// dy of the comparison units, with its influence function in the sample's
// scale (the same as regDID with a constant only).
func meanDiff(c twoByTwo) (float64, []float64) {
	var s1, s0, n1, n0 float64
	for i, v := range c.dy {
		if c.d[i] {
			s1 += v
			n1++
		} else {
			s0 += v
			n0++
		}
	}
	m1, m0 := s1/n1, s0/n0
	n := float64(len(c.dy))
	f := make([]float64, len(c.dy))
	for i, v := range c.dy {
		if c.d[i] {
			f[i] = n * (v - m1) / n1
		} else {
			f[i] = -n * (v - m0) / n0
		}
	}
	return m1 - m0, f
}

func summarize(s []string) string {
	const show = 5
	if len(s) <= show {
		return fmt.Sprint(s)
	}
	return fmt.Sprintf("%v and %d more", s[:show], len(s)-show)
}
