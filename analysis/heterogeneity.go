package analysis

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"example.org/smartcity/analysis/chart"
	"example.org/smartcity/analysis/fe"
	"example.org/smartcity/analysis/frame"
	"gonum.org/v1/plot"
)

// Split is a partition of the cities into subgroups by one column of the
// study frame, with a label for each level.
type Split struct {
	Name   string   // e.g. "Coastal vs inland"
	Column string   // column of the study frame (numeric 0/1 or text)
	Levels []string // levels in display order, as the column's text
	Labels []string // display label of each level
}

// The study's three splits.
var (
	SplitCoastal = Split{Name: "Coastal vs inland", Column: "coastal",
		Levels: []string{"1", "0"}, Labels: []string{"Coastal", "Inland"}}
	SplitRegion = Split{Name: "Region", Column: "region4",
		Levels: []string{"East", "Central", "West", "Northeast"},
		Labels: []string{"East", "Central", "West", "Northeast"}}
	SplitCentral = Split{Name: "Central cities vs the rest", Column: "central_city",
		Levels: []string{"1", "0"}, Labels: []string{"Central cities", "Other cities"}}
)

// Splits lists the study's splits in report order.
var Splits = []Split{SplitCoastal, SplitRegion, SplitCentral}

// Subgroup is the baseline model fitted on the cities of one level.
type Subgroup struct {
	Level, Label string
	Effect       Coef
	Cities       int
	Pilots       int
	Fit          *fe.Result
}

// HeteroResult holds the subgroup estimates of one split and the tests of
// their differences.
type HeteroResult struct {
	Split  Split
	Groups []Subgroup

	// Interacted is the fully interacted model on the pooled sample: the
	// pilot dummy, its interactions with every level but the first,
	// controls interacted with every level, city fixed effects and year
	// fixed effects by level, clustered by city. Its pilot coefficients
	// equal the subgroup estimates; the interactions are the differences
	// from the first level.
	Interacted *fe.Result

	// DiffTerms are the interaction terms, one per level after the first;
	// Diffs their coefficients (level minus first level).
	DiffTerms []string
	Diffs     []Coef

	// Equality is the joint Wald test that every difference is zero.
	Equality fe.Wald

	// Design is the design given, with its defaults filled in, and
	// Options the options (NoControls: the models leave Design.Controls
	// out).
	Design  Design
	Options HeteroOptions

	Sample Sample
	Notes  []string
}

// HeteroOptions configures Heterogeneity. The zero value uses the design's
// controls.
type HeteroOptions struct {
	NoControls bool
}

// Heterogeneity estimates the baseline model separately on each level of
// split.Column and tests the differences with the fully interacted model.
// Cities whose level is missing or not listed in split.Levels are an
// error, as is a level with no pilot or no never-pilot city.
func Heterogeneity(d *frame.Frame, des Design, split Split, opt HeteroOptions) (*HeteroResult,
	error) {
	des = des.withDefaults()
	if len(split.Levels) < 2 || len(split.Labels) != len(split.Levels) {
		panic("analysis: a split needs two or more levels, each with a label")
	}
	controls := des.Controls
	if opt.NoControls {
		controls = nil
	}
	sub, s, err := baselineSample(d, des)
	if err != nil {
		return nil, err
	}
	lev, err := sub.Text(split.Column)
	if err != nil {
		return nil, err
	}
	index := map[string]int{}
	for i, l := range split.Levels {
		index[l] = i
	}
	for i, l := range lev {
		if _, ok := index[l]; !ok {
			return nil, &frame.CellError{Source: sub.Source, Line: sub.Line(i),
				Column: split.Column,
				Value:  l, Reason: fmt.Sprintf("not one of the levels %v of the split %q",
					split.Levels, split.Name)}
		}
	}
	res := &HeteroResult{Split: split, Design: des, Options: opt, Sample: s,
		Notes: []string{s.Note()}}

	// Separate fits.
	unit, _ := sub.Text(des.Unit)
	group, err := sub.Float(des.Group)
	if err != nil {
		return nil, err
	}
	for g, l := range split.Levels {
		var rows []int
		cities, pilots := map[string]bool{}, map[string]bool{}
		for i := range lev {
			if lev[i] == l {
				rows = append(rows, i)
				cities[unit[i]] = true
				if group[i] == 1 {
					pilots[unit[i]] = true
				}
			}
		}
		if len(pilots) == 0 || len(pilots) == len(cities) {
			return nil, fmt.Errorf("%s: subgroup %q has %d cities of which %d pilots; "+
				"a subgroup needs both pilot and never-pilot cities", split.Name, split.Labels[g],
				len(cities), len(pilots))
		}
		r, err := fitDID(sub.Rows(rows), des, des.Treat, controls, "")
		if err != nil {
			return nil, fmt.Errorf("%s, subgroup %q: %w", split.Name, split.Labels[g], err)
		}
		res.Groups = append(res.Groups, Subgroup{Level: l, Label: split.Labels[g],
			Effect: coefOf(r, des.Treat), Cities: len(cities), Pilots: len(pilots), Fit: r})
	}

	// The fully interacted model.
	treat, err := sub.Float(des.Treat)
	if err != nil {
		return nil, err
	}
	ind := make([][]float64, len(split.Levels))
	for g := range split.Levels {
		ind[g] = make([]float64, sub.Len())
	}
	for i, l := range lev {
		ind[index[l]][i] = 1
	}
	const grp = "subgroup_"
	sub.SetText(grp, lev)
	var x []string
	x = append(x, des.Treat)
	for g := 1; g < len(split.Levels); g++ {
		name := fmt.Sprintf("%s_x_%s", des.Treat, safeName(split.Levels[g]))
		col := make([]float64, sub.Len())
		for i := range col {
			col[i] = treat[i] * ind[g][i]
		}
		sub.SetFloat(name, col)
		x = append(x, name)
		res.DiffTerms = append(res.DiffTerms, name)
	}
	for _, c := range controls {
		v, err := sub.Float(c)
		if err != nil {
			return nil, err
		}
		for g := range split.Levels {
			name := fmt.Sprintf("%s_x_%s", c, safeName(split.Levels[g]))
			col := make([]float64, sub.Len())
			for i := range col {
				col[i] = v[i] * ind[g][i]
			}
			sub.SetFloat(name, col)
			x = append(x, name)
		}
	}
	f := fe.Formula{Y: des.Y, X: x, FE: []string{des.Unit, des.Time + "^" + grp}}
	r, err := fe.Fit(sub, f, fe.Options{Cluster: []string{des.Cluster}, Level: des.Level})
	if err != nil {
		return nil, fmt.Errorf("%s, interacted model: %w", split.Name, err)
	}
	res.Interacted = r
	for _, t := range res.DiffTerms {
		if r.Index(t) < 0 {
			return nil, fmt.Errorf("%s, interacted model: difference %q not estimable; notes: %v",
				split.Name, t, r.Notes)
		}
		res.Diffs = append(res.Diffs, coefOf(r, t))
	}
	if res.Equality, err = r.Wald(res.DiffTerms); err != nil {
		return nil, fmt.Errorf("%s, equality test: %w", split.Name, err)
	}
	return res, nil
}

// safeName turns a level into a formula-safe name part.
func safeName(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' {
			b.WriteRune(r)
		} else {
			b.WriteRune('_')
		}
	}
	return b.String()
}

// Estimates returns the subgroup estimates for a forest chart.
func (h *HeteroResult) Estimates() []chart.Estimate {
	var out []chart.Estimate
	for _, g := range h.Groups {
		out = append(out, chart.Estimate{Label: g.Label, Coef: g.Effect.Coef, Low: g.Effect.Low,
			High: g.Effect.High})
	}
	return out
}

// Forest draws a forest chart of the subgroup estimates of several splits,
// one row per subgroup in the order given. truth, when not nil, maps a
// subgroup label to its true effect (synthetic data).
func Forest(hs []*HeteroResult, truth map[string]float64, opt chart.ForestOptions) (*plot.Plot,
	error) {
	var rows []chart.Estimate
	for _, h := range hs {
		rows = append(rows, h.Estimates()...)
	}
	if truth != nil {
		opt.Truth = make([]float64, len(rows))
		for i, r := range rows {
			v, ok := truth[r.Label]
			if !ok {
				v = math.NaN()
			}
			opt.Truth[i] = v
		}
	}
	return chart.Forest(rows, opt)
}

// String formats the subgroup estimates and difference tests as text.
func (h *HeteroResult) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n%-16s %10s %10s %8s %22s %7s %7s\n", h.Split.Name,
		"subgroup", "coef", "std. err.", "p", "95% interval", "cities", "pilots")
	for _, g := range h.Groups {
		e := g.Effect
		fmt.Fprintf(&b, "%-16s %10.5f %10.5f %8.4f [%9.5f, %9.5f] %7d %7d\n",
			g.Label, e.Coef, e.SE, e.P, e.Low, e.High, g.Cities, g.Pilots)
	}
	for i, d := range h.Diffs {
		fmt.Fprintf(&b, "difference %s - %s: %.5f (s.e. %.5f, p = %.4f)\n",
			h.Groups[i+1].Label, h.Groups[0].Label, d.Coef, d.SE, d.P)
	}
	w := h.Equality
	fmt.Fprintf(&b, "equality of all subgroups: F(%d, %d) = %.4f, p = %.4f\n", w.DF1, w.DF2,
		w.Stat, w.P)
	return b.String()
}

// sortedKeys returns the keys of m in order (for deterministic output).
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
