package fe

import (
	"math"
	"strings"
	"testing"

	"example.org/smartcity/analysis/frame"
)

func TestHausmanReference(t *testing.T) {
	cases := []struct {
		file, formula, unit, time string
		chi2                      float64
		df                        int
		p, theta                  float64
	}{
		// REFERENCE, Hausman table, grunfeld row (R 4.2.2 plm 2.6-2 phtest;
		// plm publishes 2.3303669).
		{"grunfeld.csv", "inv ~ value + capital", "firm", "year",
			2.33036689368, 2, 0.311865446055, 0.86122362074788},
		// REFERENCE, Hausman table, produc row (R 4.2.2 plm 2.6-2 phtest).
		{"produc.csv", "log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp", "state", "year",
			9.525415635, 4, 0.0492276241762, 0.88883528462234},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			d := readTestCSV(t, c.file)
			f, err := ParseFormula(c.formula)
			if err != nil {
				t.Fatal(err)
			}
			h, err := Hausman(d, f, c.unit, c.time)
			if err != nil {
				t.Fatal(err)
			}
			if !relClose(h.Stat, c.chi2, 1e-8) || h.DF != c.df || !relClose(h.P, c.p, 1e-8) {
				t.Errorf("chi2 %.15g df %d p %.15g, want %.15g %d %.15g", h.Stat, h.DF, h.P,
					c.chi2, c.df, c.p)
			}
			if !relClose(h.RE.Theta, c.theta, 1e-8) {
				t.Errorf("theta %.15g, want %.15g", h.RE.Theta, c.theta)
			}
		})
	}
}

func TestHausmanUnbalanced(t *testing.T) {
	// testdata/hausman_unbalanced.R: plm 2.6-2 phtest and the Swamy-Arora
	// random-effects fit (R 4.2.2) on unbalanced panels, where θ differs
	// by unit and σ²_u uses the trace correction. Tolerance 1e-8 relative.
	cases := []struct {
		name     string
		d        func(t *testing.T) *frame.Frame
		formula  string
		unit     string
		chi2, p  float64
		coef, se []float64
	}{
		{"produc without every 7th row", producUnbalanced,
			"log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp", "state",
			8.96458283774729, 0.0619908637801179,
			[]float64{2.10301200341412, 0.00982881467062884, 0.310596880934358,
				0.726353132450518, -0.00579457785360879},
			[]float64{0.13991695530354, 0.0250975614645234, 0.0210551662240525,
				0.026469591407598, 0.000985138909641671}},
		{"grunfeld without every 7th row", func(t *testing.T) *frame.Frame {
			return readTestCSV(t, "grunfeld.csv").Filter(func(i int) bool { return i%7 != 3 })
		}, "inv ~ value + capital", "firm",
			3.07507604293691, 0.214909553347975,
			[]float64{-61.967438299092, 0.111525609250591, 0.318362505177123},
			[]float64{28.8970885322557, 0.0109726081235644, 0.0180293043624419}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, _ := ParseFormula(c.formula)
			h, err := Hausman(c.d(t), f, c.unit, "year")
			if err != nil {
				t.Fatal(err)
			}
			if !relClose(h.Stat, c.chi2, 1e-8) || !relClose(h.P, c.p, 1e-8) ||
				h.DF != len(c.coef)-1 || h.RE.Balanced {
				t.Errorf("chi2 %.15g p %.15g df %d balanced %v, want %.15g %.15g %d false",
					h.Stat, h.P, h.DF, h.RE.Balanced, c.chi2, c.p, len(c.coef)-1)
			}
			for j := range c.coef {
				if !relClose(h.RE.Coef[j], c.coef[j], 1e-8) || !relClose(h.RE.SE[j], c.se[j], 1e-8) {
					t.Errorf("%s: %.15g (%.15g), want %.15g (%.15g)", h.RE.Terms[j],
						h.RE.Coef[j], h.RE.SE[j], c.coef[j], c.se[j])
				}
			}
		})
	}
}

func TestRandomEffectsZeroUnitVariance(t *testing.T) {
	// testdata/hausman_unbalanced.R, last block (plm 2.6-2, R 4.2.2): pure
	// noise on an unbalanced panel gives a negative σ²_u, set to 0, so θ is
	// 0 for every unit; the panel stays unbalanced.
	d := readTestCSV(t, "re_zero_unit_variance.csv")
	f, _ := ParseFormula("y ~ x")
	h, err := Hausman(d, f, "id", "t")
	if err != nil {
		t.Fatal(err)
	}
	re := h.RE
	if re.SigmaUnit2 != 0 || re.ThetaMax != 0 || re.Balanced || !math.IsNaN(re.Theta) {
		t.Errorf("sigma2_u %v theta %v..%v (%v) balanced %v; want 0, 0..0 (NaN), false",
			re.SigmaUnit2, re.ThetaMin, re.ThetaMax, re.Theta, re.Balanced)
	}
	if !strings.Contains(strings.Join(re.Notes, "\n"), "set to 0") {
		t.Errorf("notes %q lack the zeroed unit variance", re.Notes)
	}
	if !relClose(h.Stat, 0.522120832976066, 1e-8) || !relClose(h.P, 0.469938394525426, 1e-8) ||
		!relClose(re.Coef[1], 0.0672837913752593, 1e-8) || !relClose(re.SE[1], 0.139681512423289, 1e-8) {
		t.Errorf("chi2 %.15g p %.15g x %.15g (%.15g)", h.Stat, h.P, re.Coef[1], re.SE[1])
	}
}
