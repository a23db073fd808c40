package analysis

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"example.org/smartcity/analysis/eventstudy"
	"example.org/smartcity/analysis/frame"
	"example.org/smartcity/analysis/report"
)

// termLabels are the display names of the study's terms.
var termLabels = map[string]string{
	"did":         "Pilot × post",
	"did_batches": "Pilot × post (2012 and 2013 batches)",
	"lnpop":       "Log population",
	"fiscal":      "Fiscal expenditure / GDP",
	"fdi":         "FDI / GDP",
	"industry":    "Secondary industry share",
	"finance":     "Loans and deposits / GDP",
}

// Exportable is a table that renders as Markdown, LaTeX and CSV: a
// regression table (*report.Table) or a plain one (*TextTable).
type Exportable interface {
	Markdown() string
	LaTeX() string
	CSV() string
}

// SaveTable writes t to dir as name.md, name.tex and name.csv
// (atomically) and returns the Markdown for display.
func SaveTable(dir, name string, t Exportable) (string, error) {
	for _, f := range []struct{ ext, text string }{
		{"md", t.Markdown()}, {"tex", t.LaTeX()}, {"csv", t.CSV()},
	} {
		path := filepath.Join(dir, name+"."+f.ext)
		err := frame.WriteFileAtomic(path, func(w io.Writer) error {
			_, err := io.WriteString(w, f.text)
			return err
		})
		if err != nil {
			return "", err
		}
	}
	return t.Markdown(), nil
}

// BaselineTable lays out the baseline models: (1) without and (2) with
// controls, and (3) random effects for reference beside the Hausman test.
func BaselineTable(b *BaselineResult) *report.Table {
	models := []report.Model{
		report.FromFE("(1) FE", b.WithoutControls),
		report.FromFE("(2) FE + controls", b.WithControls),
	}
	if b.Hausman != nil {
		models = append(models, report.FromRandom("(3) RE + controls", b.Hausman.RE))
	}
	notes := []string{b.Sample.Note()}
	if h := b.Hausman; h != nil {
		notes = append(notes,
			fmt.Sprintf("Hausman test, FE vs RE (city effects; model (2) without "+
				"year effects): chi2(%d) = %.3f, p = %.4f", h.DF, h.Stat, h.P))
	}
	terms := append([]string{b.Design.Treat}, b.Design.Controls...)
	return report.New(models, report.Options{
		Title: "Baseline difference in differences: the pilot and the governance index",
		Terms: terms, Labels: termLabels, Digits: 4, Notes: notes,
	})
}

// RobustnessTable lays out the robustness models with controls side by
// side with the baseline, in this order: the 2013 batch added (batch),
// PSM-DID with each matching design given (psms), and the baseline model
// with controls restricted to the pilots' provinces (same, fitted with
// Design.SameProvince). Nil models are skipped. It panics if same was not
// fitted with Design.SameProvince.
func RobustnessTable(b *BaselineResult, batch *BatchResult, same *BaselineResult,
	psms ...*PSMDIDResult) *report.Table {
	models := []report.Model{report.FromFE("Baseline", b.WithControls)}
	labels := map[string]string{}
	for k, v := range termLabels {
		labels[k] = v
	}
	if batch != nil {
		m := report.FromFE("+ 2013 batch", batch.WithControls)
		m.Terms = renameTerm(m.Terms, batch.Term, b.Design.Treat)
		models = append(models, m)
	}
	for _, p := range psms {
		if p != nil {
			models = append(models, report.FromFE("PSM-DID ("+p.Options.Design+")", p.WithControls))
		}
	}
	notes := []string{"Every model: city and year fixed effects, the controls of the baseline, " +
		"errors clustered by city. PSM-DID: weighted by the matching weights."}
	if same != nil {
		if !same.Design.SameProvince {
			panic("analysis: RobustnessTable: the same-province model was not fitted with " +
				"Design.SameProvince")
		}
		m := report.FromFE("Same-province controls", same.WithControls)
		m.Terms = renameTerm(m.Terms, same.Design.Treat, b.Design.Treat)
		models = append(models, m)
		notes = append(notes, fmt.Sprintf("Same-province controls: only the never-pilot cities "+
			"of provinces with a pilot city of the %d batch; %d never-pilot cities (%d rows) of "+
			"other provinces left out.", same.Design.PilotYear, same.Sample.OtherProvinceCities,
			same.Sample.OtherProvinceRows))
	}
	return report.New(models, report.Options{
		Title: "Robustness of the baseline estimate",
		Terms: []string{b.Design.Treat}, Controls: b.Design.Controls, Labels: labels, Digits: 4,
		Notes: notes,
	})
}

func renameTerm(terms []string, from, to string) []string {
	out := append([]string(nil), terms...)
	for i, t := range out {
		if t == from {
			out[i] = to
		}
	}
	return out
}

// HeteroTable lays out the subgroup estimates of several splits, one
// column per subgroup, with the p-values of the difference tests in the
// notes; perm, when not nil, maps a split's name to the permutation
// p-value of its difference. The rows are the pilot dummy and the controls
// of each result's Design (in order of first appearance), the controls
// summarised by one row.
func HeteroTable(hs []*HeteroResult, perm map[string]float64) *report.Table {
	if len(hs) == 0 {
		panic("analysis: HeteroTable with no split")
	}
	var terms, controls []string
	seen := map[string]bool{}
	add := func(list *[]string, names ...string) {
		for _, n := range names {
			if !seen[n] {
				seen[n] = true
				*list = append(*list, n)
			}
		}
	}
	for _, h := range hs {
		if h.Design.Treat == "" {
			panic("analysis: HeteroTable: a result without its Design (build it with " +
				"Heterogeneity)")
		}
		add(&terms, h.Design.Treat)
	}
	for _, h := range hs {
		add(&controls, h.Design.Controls...)
	}

	var models []report.Model
	var notes []string
	for _, h := range hs {
		for _, g := range h.Groups {
			models = append(models, report.FromFE(g.Label, g.Fit))
		}
		n := fmt.Sprintf("%s: equality of subgroups (fully interacted model, clustered): "+
			"F(%d, %d) = %.3f, p = %.4f", h.Split.Name, h.Equality.DF1, h.Equality.DF2,
			h.Equality.Stat, h.Equality.P)
		if p, ok := perm[h.Split.Name]; ok {
			n += fmt.Sprintf("; permutation test of the difference of the first and the "+
				"last subgroup: p = %.4f", p)
		}
		notes = append(notes, n)
	}
	return report.New(models, report.Options{
		Title: "Heterogeneity of the pilot effect",
		Terms: terms, Controls: controls, Labels: termLabels, Digits: 4,
		Notes: notes,
	})
}

// EventTable lays out the event-study coefficients as one column, with the
// joint test of the leads in the notes.
func EventTable(name string, r *eventstudy.Result) *report.Table {
	m := report.FromFE(name, r.Fit)
	labels := map[string]string{}
	var terms []string
	for _, c := range r.Coefs {
		if c.Ref {
			continue
		}
		terms = append(terms, c.Term)
		l := fmt.Sprintf("k = %d", c.RelTime)
		if c.Binned {
			if c.RelTime < 0 {
				l = fmt.Sprintf("k ≤ %d", c.RelTime)
			} else {
				l = fmt.Sprintf("k ≥ %d", c.RelTime)
			}
		}
		labels[c.Term] = l
	}
	notes := []string{fmt.Sprintf("k = year - pilot year; reference k = %d omitted.", r.Reference)}
	if r.PreTrend.DF1 > 0 {
		notes = append(notes, fmt.Sprintf("Joint test of the leads: F(%d, %d) = %.3f, p = %.4f",
			r.PreTrend.DF1, r.PreTrend.DF2, r.PreTrend.Stat, r.PreTrend.P))
	}
	var controls []string
	for _, t := range r.Fit.Terms {
		if !strings.HasPrefix(t, "rel_") {
			controls = append(controls, t)
		}
	}
	return report.New([]report.Model{m}, report.Options{
		Title: "Event study: the pilot effect by year relative to the pilot",
		Terms: terms, Labels: labels, Controls: controls, Digits: 4, Notes: notes,
	})
}

// DropTable summarises the drop-pilots draws in Markdown.
func DropTable(r *DropResult) string {
	var b strings.Builder
	b.WriteString("| statistic | value |\n|---|---:|\n")
	row := func(k string, v string) { fmt.Fprintf(&b, "| %s | %s |\n", k, v) }
	row("full-sample estimate", fmt.Sprintf("%.4f (s.e. %.4f)", r.Full.Coef, r.Full.SE))
	row("draws", fmt.Sprintf("%d (seed %d), %d of %d pilot cities dropped in each",
		len(r.Coef), r.Seed, r.Dropped, r.Pilots))
	row("mean of the estimates", fmt.Sprintf("%.4f", r.Mean))
	row("standard deviation", fmt.Sprintf("%.4f", r.SD))
	row("2.5%, 50%, 97.5% quantiles", fmt.Sprintf("%.4f, %.4f, %.4f", r.Q025, r.Median, r.Q975))
	row(fmt.Sprintf("share significant at %g%% with the same sign", 100*r.Alpha),
		fmt.Sprintf("%.3f", r.ShareSignificant))
	row("share with the same sign", fmt.Sprintf("%.3f", r.ShareSameSign))
	return b.String()
}
