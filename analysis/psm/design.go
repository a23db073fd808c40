package psm

import (
	"fmt"
	"math"
	"sort"

	"example.org/smartcity/analysis/frame"
)

// PanelResult is a matching of the units of a panel, with a weight for
// every row so that a difference-in-differences regression can run on the
// matched sample (PSM-DID).
type PanelResult struct {
	Design string    // "baseline" or "yearly"
	Years  []float64 // the year matched on (baseline) or every year (yearly)
	ByYear []*Result // one matching per entry of Years

	// Weights is the matching weight of every row of the frame; rows of
	// units or years left out have 0.
	Weights []float64

	NUnits, NMatchedUnits int // units in the panel; units with positive weight
	Notes                 []string
}

// MatchBaseline matches units once, on their covariates in one baseline
// year, and carries each unit's weight to all of its rows: the design that
// keeps a fixed set of matched cities across the whole panel.
//
// The rows of baseYear (one per unit; a unit with two rows that year is an
// error) are matched by Match. When baseYear is 0 the first year in the
// data is used. Units absent from the baseline year, or dropped there for
// missing values, get weight 0 throughout, and Notes counts them. The
// treatment column must be constant within a unit (a treatment-group
// indicator such as "treat", not the "did" dummy).
func MatchBaseline(d *frame.Frame, spec Spec, unit, time string, baseYear float64,
	opt Options) (*PanelResult, error) {
	units, years, err := panelKeys(d, unit, time)
	if err != nil {
		return nil, err
	}
	if err := constantWithin(d, spec.Treat, unit, units); err != nil {
		return nil, err
	}
	if baseYear == 0 {
		baseYear = math.Inf(1)
		for _, y := range years {
			baseYear = math.Min(baseYear, y)
		}
	}
	var rows []int
	seen := map[string]int{}
	for i, y := range years {
		if y != baseYear {
			continue
		}
		if j, dup := seen[units[i]]; dup {
			return nil, fmt.Errorf("psm: %s: unit %q has two rows in year %v (lines %d and %d)",
				d.Source, units[i], baseYear, d.Line(j), d.Line(i))
		}
		seen[units[i]] = i
		rows = append(rows, i)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("psm: %s: no rows in baseline year %v", d.Source, baseYear)
	}

	des, err := buildDesign(d, spec, rows)
	if err != nil {
		return nil, err
	}
	r, err := des.match(d, opt)
	if err != nil {
		return nil, fmt.Errorf("baseline year %v: %w", baseYear, err)
	}

	out := &PanelResult{Design: "baseline", Years: []float64{baseYear}, ByYear: []*Result{r}}
	unitW := map[string]float64{}
	for _, i := range rows {
		unitW[units[i]] = r.Weights[i]
	}
	out.Weights = make([]float64, d.Len())
	all := map[string]bool{}
	for i, u := range units {
		all[u] = true
		out.Weights[i] = unitW[u]
	}
	out.NUnits = len(all)
	for _, w := range unitW {
		if w > 0 {
			out.NMatchedUnits++
		}
	}
	if missing := len(all) - len(seen); missing > 0 {
		out.Notes = append(out.Notes, fmt.Sprintf(
			"%d units have no row in baseline year %v: weight 0", missing, baseYear))
	}
	out.Notes = append(out.Notes, r.Notes...)
	return out, nil
}

// MatchByYear matches treated to control rows separately within every year
// on that year's covariates; each row gets the weight of its own year's
// matching, so a unit may be matched in some years and not in others.
// An error in any year (separation, no pairs) is returned naming the year.
func MatchByYear(d *frame.Frame, spec Spec, unit, time string, opt Options) (*PanelResult, error) {
	units, years, err := panelKeys(d, unit, time)
	if err != nil {
		return nil, err
	}
	byYear := map[float64][]int{}
	for i, y := range years {
		byYear[y] = append(byYear[y], i)
	}
	out := &PanelResult{Design: "yearly", Weights: make([]float64, d.Len())}
	for y := range byYear {
		out.Years = append(out.Years, y)
	}
	sort.Float64s(out.Years)
	matched := map[string]bool{}
	all := map[string]bool{}
	for _, u := range units {
		all[u] = true
	}
	for _, y := range out.Years {
		des, err := buildDesign(d, spec, byYear[y])
		if err != nil {
			return nil, fmt.Errorf("year %v: %w", y, err)
		}
		r, err := des.match(d, opt)
		if err != nil {
			return nil, fmt.Errorf("year %v: %w", y, err)
		}
		for _, i := range byYear[y] {
			out.Weights[i] = r.Weights[i]
			if r.Weights[i] > 0 {
				matched[units[i]] = true
			}
		}
		out.ByYear = append(out.ByYear, r)
		for _, n := range r.Notes {
			out.Notes = append(out.Notes, fmt.Sprintf("year %v: %s", y, n))
		}
	}
	out.NUnits = len(all)
	out.NMatchedUnits = len(matched)
	return out, nil
}

// panelKeys returns the unit of every row as text and the year as a number;
// missing keys are errors naming the row.
func panelKeys(d *frame.Frame, unit, time string) ([]string, []float64, error) {
	units, err := d.Text(unit)
	if err != nil {
		return nil, nil, err
	}
	years, err := d.Float(time)
	if err != nil {
		return nil, nil, err
	}
	for i := range units {
		if units[i] == "" {
			return nil, nil, &frame.CellError{Source: d.Source, Line: d.Line(i), Column: unit,
				Reason: "unit missing"}
		}
		if math.IsNaN(years[i]) {
			return nil, nil, &frame.CellError{Source: d.Source, Line: d.Line(i), Column: time,
				Reason: "year missing"}
		}
	}
	return units, years, nil
}

// constantWithin checks that column col takes one value within each unit.
func constantWithin(d *frame.Frame, col, unit string, units []string) error {
	v, err := d.Float(col)
	if err != nil {
		return err
	}
	first := map[string]int{}
	for i, u := range units {
		j, ok := first[u]
		if !ok {
			first[u] = i
			continue
		}
		if v[i] != v[j] && !(math.IsNaN(v[i]) && math.IsNaN(v[j])) {
			return &frame.CellError{Source: d.Source, Line: d.Line(i), Column: col,
				Value: frame.FormatNumber(v[i]), Reason: fmt.Sprintf(
					"treatment changes within unit %q (line %d has %s); match on a "+
						"treatment-group indicator that is constant over time",
					u, d.Line(j), frame.FormatNumber(v[j]))}
		}
	}
	return nil
}
