package report

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"example.org/smartcity/analysis/fe"
)

// Model is one column of a table: estimates and the facts printed below
// them. FromFE and FromRandom fill it from the estimators of package fe;
// other estimators can fill it by hand.
type Model struct {
	// Name heads the column; empty gives "(1)", "(2)", ...
	Name string
	// Outcome is the dependent variable, shown under the name.
	Outcome string
	Terms   []string
	Coef    []float64
	SE      []float64
	P       []float64
	NObs    int
	// R2 and R2Within are left blank when NaN.
	R2, R2Within float64
	// FixedEffects names the model's fixed effects, as written in its
	// formula.
	FixedEffects []string
	// Vcov describes the standard errors, e.g. "CRV1 (nested), clustered by city".
	Vcov string
}

// FromFE describes a fitted fixed-effects model.
func FromFE(name string, r *fe.Result) Model {
	return Model{
		Name: name, Outcome: r.Formula.Y, Terms: r.Terms, Coef: r.Coef, SE: r.SE, P: r.P,
		NObs: r.NObs, R2: r.R2, R2Within: r.R2Within,
		FixedEffects: r.Formula.FE, Vcov: r.VcovType,
	}
}

// FromRandom describes a random-effects model (R² left blank).
func FromRandom(name string, r *fe.RandomEffects) Model {
	return Model{
		Name: name, Outcome: r.Formula.Y, Terms: r.Terms, Coef: r.Coef, SE: r.SE, P: r.P,
		NObs: r.NObs, R2: math.NaN(), R2Within: math.NaN(),
		Vcov: "iid (random effects, Swamy-Arora; unit " + r.Unit + ")",
	}
}

// Options sets what a table shows. The zero value shows every term of
// every model with three decimals and the stars * p<0.1, ** p<0.05,
// *** p<0.01.
type Options struct {
	Title string
	// Terms lists the terms to show, in order; empty means every term of
	// every model (except Controls) in order of first appearance.
	Terms []string
	// Labels renames terms for display.
	Labels map[string]string
	// Controls lists terms summarized by one "Controls" row (Yes when the
	// model has any of them) instead of being shown.
	Controls []string
	// Digits is the number of decimals of coefficients and standard
	// errors; 0 means 3.
	Digits int
	// Stars are the p-value thresholds for one, two, three stars (in any
	// order: the largest gives one star); nil means 0.1, 0.05, 0.01.
	Stars []float64
	// Notes are printed under the table after the variance note.
	Notes []string
}

// Table is a regression table ready to render.
type Table struct {
	title   string
	header  []string // model names, one per model
	outcome []string
	body    []row
	notes   []string
}

type rowKind int

const (
	coefRow rowKind = iota
	seRow
	ruleRow // a horizontal rule between the estimates and the facts
	factRow
)

// row is one line of the table. label is plain text; special labels
// ("R2", "Within R2") are typeset by each format.
type row struct {
	kind  rowKind
	label string
	cells []string
}

// New lays out models side by side.
func New(models []Model, opt Options) *Table {
	digits := opt.Digits
	if digits <= 0 {
		digits = 3
	}
	stars := []float64{0.1, 0.05, 0.01}
	if opt.Stars != nil {
		// Largest first, whatever order they were given in.
		stars = append([]float64(nil), opt.Stars...)
		sort.Sort(sort.Reverse(sort.Float64Slice(stars)))
	}
	t := &Table{title: opt.Title}
	for k, m := range models {
		name := m.Name
		if name == "" {
			name = "(" + strconv.Itoa(k+1) + ")"
		}
		t.header = append(t.header, name)
		t.outcome = append(t.outcome, m.Outcome)
	}

	control := map[string]bool{}
	for _, c := range opt.Controls {
		control[c] = true
	}
	terms := opt.Terms
	if len(terms) == 0 {
		seen := map[string]bool{}
		for _, m := range models {
			for _, s := range m.Terms {
				if !seen[s] && !control[s] {
					seen[s] = true
					terms = append(terms, s)
				}
			}
		}
	}
	for _, term := range terms {
		label := term
		if l, ok := opt.Labels[term]; ok {
			label = l
		}
		cr := row{kind: coefRow, label: label}
		sr := row{kind: seRow}
		for _, m := range models {
			c, s := "", ""
			for j, mt := range m.Terms {
				if mt == term {
					c = num(m.Coef[j], digits) + starsFor(m.P[j], stars)
					s = "(" + num(m.SE[j], digits) + ")"
				}
			}
			cr.cells = append(cr.cells, c)
			sr.cells = append(sr.cells, s)
		}
		t.body = append(t.body, cr, sr)
	}
	t.body = append(t.body, row{kind: ruleRow})

	if len(opt.Controls) > 0 {
		r := row{kind: factRow, label: "Controls"}
		for _, m := range models {
			has := false
			for _, s := range m.Terms {
				has = has || control[s]
			}
			r.cells = append(r.cells, yesNo(has))
		}
		t.body = append(t.body, r)
	}
	var fes []string
	seenFE := map[string]bool{}
	for _, m := range models {
		for _, f := range m.FixedEffects {
			if !seenFE[f] {
				seenFE[f] = true
				fes = append(fes, f)
			}
		}
	}
	for _, f := range fes {
		r := row{kind: factRow, label: f + " fixed effects"}
		for _, m := range models {
			has := false
			for _, g := range m.FixedEffects {
				has = has || g == f
			}
			r.cells = append(r.cells, yesNo(has))
		}
		t.body = append(t.body, r)
	}
	obs := row{kind: factRow, label: "Observations"}
	r2 := row{kind: factRow, label: "R2"}
	r2w := row{kind: factRow, label: "Within R2"}
	anyWithin := false
	for _, m := range models {
		obs.cells = append(obs.cells, strconv.Itoa(m.NObs))
		r2.cells = append(r2.cells, num(m.R2, 3))
		r2w.cells = append(r2w.cells, num(m.R2Within, 3))
		anyWithin = anyWithin || !math.IsNaN(m.R2Within)
	}
	t.body = append(t.body, obs, r2)
	if anyWithin {
		t.body = append(t.body, r2w)
	}

	if n := vcovNote(models, t.header); n != "" {
		t.notes = append(t.notes, n)
	}
	t.notes = append(t.notes, starNote(stars))
	t.notes = append(t.notes, opt.Notes...)
	return t
}

func yesNo(b bool) string {
	if b {
		return "Yes"
	}
	return "No"
}

// num formats v with the given decimals; NaN gives "" and a negative zero
// loses its sign.
func num(v float64, digits int) string {
	if math.IsNaN(v) {
		return ""
	}
	s := strconv.FormatFloat(v, 'f', digits, 64)
	if strings.Trim(s, "-0.") == "" {
		s = strings.TrimPrefix(s, "-")
	}
	return s
}

func starsFor(p float64, thresholds []float64) string {
	n := 0
	for _, th := range thresholds {
		if p < th {
			n++
		}
	}
	return strings.Repeat("*", n)
}

func starNote(thresholds []float64) string {
	parts := make([]string, len(thresholds))
	for k, th := range thresholds {
		parts[k] = strings.Repeat("*", k+1) + " p<" + strconv.FormatFloat(th, 'g', -1, 64)
	}
	return strings.Join(parts, ", ")
}

func vcovNote(models []Model, names []string) string {
	same := true
	for _, m := range models {
		same = same && m.Vcov == models[0].Vcov
	}
	if len(models) == 0 {
		return ""
	}
	if same {
		if models[0].Vcov == "" {
			return ""
		}
		return "Standard errors in parentheses: " + models[0].Vcov + "."
	}
	parts := make([]string, len(models))
	for k, m := range models {
		parts[k] = fmt.Sprintf("%s %s", names[k], m.Vcov)
	}
	return "Standard errors in parentheses: " + strings.Join(parts, "; ") + "."
}
