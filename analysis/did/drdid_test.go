package did

import (
	"math"
	"math/rand/v2"
	"testing"

	"example.org/smartcity/analysis/frame"
)

// Source: testdata/drdid_reference.csv, written by testdata/drdid_reference.py
// (statsmodels 0.13.5 Logit and OLS for the first steps, the Sant'Anna and
// Zhao (2020) formulas written out in numpy): mpdta, lemp ~ lpop, never-
// treated comparisons, varying base period. Tolerances: ATT 1e-8, SE 1e-6.
func TestCovariateMethodsMpdta(t *testing.T) {
	ref, err := frame.ReadCSV("testdata/drdid_reference.csv")
	if err != nil {
		t.Fatal(err)
	}
	methods, _ := ref.Text("method")
	controls, _ := ref.Text("control")
	bases, _ := ref.Text("base")
	groups, _ := ref.Float("group")
	times, _ := ref.Float("time")
	atts, _ := ref.Float("att")
	ses, _ := ref.Float("se")
	spec := mpdtaSpec
	spec.Covariates = []string{"lpop"}
	d := readMpdta(t)
	got := map[string]*Result{}
	for _, m := range []string{"reg", "ipw", "dr"} {
		if got[m], err = CallawaySantAnna(d, spec, Options{Method: m}); err != nil {
			t.Fatal(m, err)
		}
	}
	checked := 0
	for i, m := range methods {
		if m == "none" || controls[i] != "never" || bases[i] != "varying" {
			continue
		}
		for _, c := range got[m].Cells {
			if c.Group != int(groups[i]) || c.Time != int(times[i]) {
				continue
			}
			checked++
			if math.Abs(c.ATT-atts[i]) > tolPoint || math.Abs(c.SE-ses[i]) > tolSE {
				t.Errorf("%s ATT(%d,%d) = %.12g (se %.12g), want %.12g (se %.12g)", m,
					c.Group, c.Time, c.ATT, c.SE, atts[i], ses[i])
			}
		}
	}
	if checked != 36 {
		t.Errorf("checked %d cells, want 36", checked)
	}
}

// With a constant as the only covariate, the three covariate estimators
// reduce to the unconditional DiD: same ATT and same influence function.
func TestCovariateMethodsConstantOnly(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	n := 200
	c := twoByTwo{dy: make([]float64, n), d: make([]bool, n), x: make([]float64, n), p: 1}
	for i := range c.dy {
		c.d[i] = i%3 == 0
		c.dy[i] = rng.NormFloat64()
		if c.d[i] {
			c.dy[i] += 0.7
		}
		c.x[i] = 1
	}
	att0, f0 := meanDiff(c)
	for name, est := range map[string]func(twoByTwo) (float64, []float64, error){
		"reg": regDID, "ipw": ipwDID, "dr": drDID} {
		att, f, err := est(c)
		if err != nil {
			t.Fatal(name, err)
		}
		if math.Abs(att-att0) > 1e-12 {
			t.Errorf("%s: ATT %.15g, unconditional %.15g", name, att, att0)
		}
		for i := range f {
			if math.Abs(f[i]-f0[i]) > 1e-10 {
				t.Fatalf("%s: influence %d = %.15g, unconditional %.15g", name, i, f[i], f0[i])
			}
		}
	}
}

// With one binary covariate (and the constant) both first steps are
// saturated: the regression fits the comparison cell means exactly and the
// logit the cell shares, so outcome regression, IPW and DR give the same
// ATT (the cell-reweighted DiD), and their standard errors agree too.
func TestCovariateMethodsSaturated(t *testing.T) {
	d := readMpdta(t)
	lpop, _ := d.Float("lpop")
	big := make([]float64, len(lpop))
	for i, v := range lpop {
		if v > 3.5 {
			big[i] = 1
		}
	}
	d.SetFloat("big", big)
	spec := mpdtaSpec
	spec.Covariates = []string{"big"}
	var res []*Result
	for _, m := range []string{"reg", "ipw", "dr"} {
		r, err := CallawaySantAnna(d, spec, Options{Method: m})
		if err != nil {
			t.Fatal(m, err)
		}
		res = append(res, r)
	}
	for k := range res[0].Cells {
		a := res[0].Cells[k]
		for _, r := range res[1:] {
			b := r.Cells[k]
			if math.Abs(a.ATT-b.ATT) > 1e-10 || math.Abs(a.SE-b.SE) > 1e-8 {
				t.Errorf("ATT(%d,%d): reg %.12g (%.10g), other %.12g (%.10g)", a.Group, a.Time,
					a.ATT, a.SE, b.ATT, b.SE)
			}
		}
	}
}

func TestCovariateOverlapError(t *testing.T) {
	// A covariate that separates treated from comparison units: the logit
	// cannot converge (or the scores reach 1), and the error says so.
	d := readMpdta(t)
	g, _ := d.Float("first.treat")
	sep := make([]float64, len(g))
	for i, v := range g {
		if v > 0 {
			sep[i] = 1
		}
	}
	d.SetFloat("sep", sep)
	spec := mpdtaSpec
	spec.Covariates = []string{"sep"}
	_, err := CallawaySantAnna(d, spec, Options{Method: "dr"})
	if err == nil {
		t.Fatal("no error for a covariate that separates the groups")
	}
	t.Log(err)
}

// Source: testdata/drdid_reference.csv, rows "none" (numpy, same script):
// unconditional ATT(g,t) under every comparison group and base period.
// Tolerances: ATT 1e-8, SE 1e-6.
func TestControlAndBaseVariantsMpdta(t *testing.T) {
	ref, err := frame.ReadCSV("testdata/drdid_reference.csv")
	if err != nil {
		t.Fatal(err)
	}
	methods, _ := ref.Text("method")
	controls, _ := ref.Text("control")
	bases, _ := ref.Text("base")
	groups, _ := ref.Float("group")
	times, _ := ref.Float("time")
	atts, _ := ref.Float("att")
	ses, _ := ref.Float("se")
	d := readMpdta(t)
	for _, control := range []string{"never", "notyet"} {
		for _, base := range []string{"varying", "universal"} {
			res, err := CallawaySantAnna(d, mpdtaSpec, Options{Control: control, Base: base})
			if err != nil {
				t.Fatal(err)
			}
			k := 0
			for i := range methods {
				if methods[i] != "none" || controls[i] != control || bases[i] != base {
					continue
				}
				c := res.Cells[k]
				k++
				if c.Group != int(groups[i]) || c.Time != int(times[i]) {
					t.Fatalf("%s/%s: cell (%d,%d), want (%v,%v)", control, base, c.Group,
						c.Time, groups[i], times[i])
				}
				if math.Abs(c.ATT-atts[i]) > tolPoint || math.Abs(c.SE-ses[i]) > tolSE {
					t.Errorf("%s/%s ATT(%d,%d) = %.12g (se %.12g), want %.12g (se %.12g)",
						control, base, c.Group, c.Time, c.ATT, c.SE, atts[i], ses[i])
				}
				if c.Reference != (atts[i] == 0 && ses[i] == 0) {
					t.Errorf("%s/%s ATT(%d,%d): reference flag %v", control, base, c.Group,
						c.Time, c.Reference)
				}
			}
			if k != len(res.Cells) {
				t.Errorf("%s/%s: %d cells, reference has %d", control, base, len(res.Cells), k)
			}
		}
	}
}
