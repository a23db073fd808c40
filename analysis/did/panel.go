package did

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"example.org/smartcity/analysis/frame"
)

// wide is a balanced panel held unit by unit: value (i, s) of a variable is
// at index i*T+s, where s indexes the sorted periods.
type wide struct {
	source  string
	units   []string  // unit labels, in the order of the rows below
	periods []int     // sorted periods
	group   []int     // first-treatment period per unit, 0 = never treated
	y       []float64 // outcome, n*T
	x       [][]float64
	xnames  []string
	dropped []string // notes on units dropped while balancing
}

func (w *wide) n() int { return len(w.units) }
func (w *wide) t() int { return len(w.periods) }

// readWide builds a balanced wide panel from a long frame. Columns y, unit,
// time and group must exist; time and group must hold whole numbers. When
// dropIncomplete is false, a missing period or value is an error naming the
// unit, period and source line; otherwise the unit is dropped and noted.
// An empty group name gives every unit group 0.
func readWide(d *frame.Frame, y, unit, time, group string, xs []string,
	dropIncomplete bool) (*wide, error) {

	ucode, ulev, err := d.Factor(unit)
	if err != nil {
		return nil, err
	}
	tv, err := d.Float(time)
	if err != nil {
		return nil, err
	}
	var gv []float64
	if group == "" {
		gv = make([]float64, d.Len()) // no treatment timing: every unit 0
	} else if gv, err = d.Float(group); err != nil {
		return nil, err
	}
	yv, err := d.Float(y)
	if err != nil {
		return nil, err
	}
	xv := make([][]float64, len(xs))
	for j, name := range xs {
		if xv[j], err = d.Float(name); err != nil {
			return nil, err
		}
	}

	// Periods and per-row checks.
	pset := map[int]bool{}
	for i, v := range tv {
		if ucode[i] < 0 {
			return nil, &frame.CellError{Source: d.Source, Line: d.Line(i), Column: unit,
				Value: "", Reason: "missing unit identifier"}
		}
		if math.IsNaN(v) || v != math.Trunc(v) {
			return nil, &frame.CellError{Source: d.Source, Line: d.Line(i), Column: time,
				Value: frame.FormatNumber(v), Reason: "period must be a whole number"}
		}
		g := gv[i]
		if math.IsNaN(g) || g != math.Trunc(g) || g < 0 {
			return nil, &frame.CellError{Source: d.Source, Line: d.Line(i), Column: group,
				Value:  frame.FormatNumber(g),
				Reason: "first-treatment period must be a whole number (0 = never treated)"}
		}
		pset[int(v)] = true
	}
	periods := make([]int, 0, len(pset))
	for p := range pset {
		periods = append(periods, p)
	}
	sort.Ints(periods)
	if len(periods) < 2 {
		return nil, fmt.Errorf("%s: column %q has %d distinct period(s); at least 2 are needed",
			d.Source, time, len(periods))
	}
	pidx := make(map[int]int, len(periods))
	for s, p := range periods {
		pidx[p] = s
	}

	n0, T := len(ulev), len(periods)
	row := make([]int32, n0*T)
	for i := range row {
		row[i] = -1
	}
	grp := make([]int, n0)
	for i := range grp {
		grp[i] = -1
	}
	for i := range tv {
		u, s := int(ucode[i]), pidx[int(tv[i])]
		if prev := row[u*T+s]; prev >= 0 {
			return nil, &frame.CellError{Source: d.Source, Line: d.Line(i), Column: time,
				Value: frame.FormatNumber(tv[i]),
				Reason: fmt.Sprintf("unit %s has a second row for this period (first on line %d)",
					ulev[u], d.Line(int(prev)))}
		}
		row[u*T+s] = int32(i)
		g := int(gv[i])
		if grp[u] >= 0 && grp[u] != g {
			return nil, &frame.CellError{Source: d.Source, Line: d.Line(i), Column: group,
				Value: frame.FormatNumber(gv[i]),
				Reason: fmt.Sprintf("unit %s has first-treatment period %d on another row; "+
					"it must be constant within a unit", ulev[u], grp[u])}
		}
		grp[u] = g
	}

	// Completeness: every unit in every period with an outcome and covariates.
	w := &wide{source: d.Source, periods: periods, xnames: xs}
	keep := make([]bool, n0)
	for u := 0; u < n0; u++ {
		problem := ""
		for s := 0; s < T && problem == ""; s++ {
			r := row[u*T+s]
			if r < 0 {
				problem = fmt.Sprintf("no row for period %d", periods[s])
				break
			}
			if math.IsNaN(yv[r]) {
				problem = fmt.Sprintf("missing %s in period %d (line %d)", y, periods[s], d.Line(int(r)))
				break
			}
			for j := range xs {
				if math.IsNaN(xv[j][r]) {
					problem = fmt.Sprintf("missing %s in period %d (line %d)",
						xs[j], periods[s], d.Line(int(r)))
					break
				}
			}
		}
		if problem == "" {
			keep[u] = true
			continue
		}
		if !dropIncomplete {
			return nil, fmt.Errorf("%s: unbalanced panel: unit %s (column %q): %s; "+
				"the estimator needs every unit in every period: remove the incomplete "+
				"units (Callaway-Sant'Anna does so itself with Options.DropIncomplete, "+
				"smartcity csdid --drop-incomplete)", d.Source, ulev[u], unit, problem)
		}
		w.dropped = append(w.dropped, fmt.Sprintf("unit %s: %s", ulev[u], problem))
	}

	for u := 0; u < n0; u++ {
		if !keep[u] {
			continue
		}
		w.units = append(w.units, ulev[u])
		w.group = append(w.group, grp[u])
		for s := 0; s < T; s++ {
			w.y = append(w.y, yv[row[u*T+s]])
		}
	}
	w.x = make([][]float64, len(xs))
	for j := range xs {
		for u := 0; u < n0; u++ {
			if !keep[u] {
				continue
			}
			for s := 0; s < T; s++ {
				w.x[j] = append(w.x[j], xv[j][row[u*T+s]])
			}
		}
	}
	if len(w.units) == 0 {
		return nil, fmt.Errorf("%s: no unit is observed in every period", d.Source)
	}
	return w, nil
}

// subset returns the panel restricted to the units for which keep is true
// and the periods in [0, lastPeriodIdx].
func (w *wide) subset(keep func(i int) bool, lastS int) *wide {
	T := w.t()
	v := &wide{source: w.source, periods: w.periods[:lastS+1], xnames: w.xnames,
		dropped: w.dropped}
	v.x = make([][]float64, len(w.x))
	for i := range w.units {
		if !keep(i) {
			continue
		}
		v.units = append(v.units, w.units[i])
		v.group = append(v.group, w.group[i])
		v.y = append(v.y, w.y[i*T:i*T+lastS+1]...)
		for j := range w.x {
			v.x[j] = append(v.x[j], w.x[j][i*T:i*T+lastS+1]...)
		}
	}
	return v
}

func joinInts(v []int) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = fmt.Sprint(x)
	}
	return strings.Join(s, ", ")
}
