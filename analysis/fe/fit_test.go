package fe

import (
	"math"
	"strings"
	"testing"

	"example.org/smartcity/analysis/frame"
)

// produc without every 7th row from the 4th (unbalanced), weighted by emp:
// the iterative, weighted path of the solver.
func producUnbalanced(t *testing.T) *frame.Frame {
	d := readTestCSV(t, "produc.csv")
	return d.Filter(func(i int) bool { return i%7 != 3 })
}

func TestUnbalancedWeightedAgainstR(t *testing.T) {
	// testdata/extra_reference.R: lm with state and year dummies, weights
	// emp, and sandwich 3.0-2 (R 4.2.2); nobs 699.
	terms := []string{"log(pcap)", "log(pc)", "log(emp)", "unemp"}
	coef := []float64{-0.0177825930659424, 0.146097090476209, 0.766439769354749, -0.00419852257968963}
	want := []struct {
		name string
		opt  Options
		se   []float64
	}{
		{"iid (vcov.lm)", Options{Vcov: "iid"},
			[]float64{0.0237789732046961, 0.0256405009955315, 0.0276146339400768, 0.00100785659993475}},
		{"HC1 (vcovHC HC1)", Options{Vcov: "hetero"},
			[]float64{0.027501622826186, 0.0397065976825377, 0.0436152549997632, 0.00152807741643441}},
		{"CR1 full by state (vcovCL HC1)", Options{Cluster: []string{"state"}, SSC: "full"},
			[]float64{0.0606462962782802, 0.0785421599232273, 0.0908015551515598, 0.00328772834495033}},
		{"CR0 two-way state+year (vcovCL HC0, cadjust FALSE)",
			Options{Cluster: []string{"state", "year"}, SSC: "none"},
			[]float64{0.0552357545043282, 0.0804512799451718, 0.0858390283471096, 0.00313586592001527}},
	}
	d := producUnbalanced(t)
	f, err := ParseFormula("log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp | state + year")
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range want {
		opt := w.opt
		opt.Weights = "emp"
		r, err := Fit(d, f, opt)
		if err != nil {
			t.Fatalf("%s: %v", w.name, err)
		}
		if r.NObs != 699 || r.ExactDemean || !r.Converged || r.Iterations == 0 {
			t.Errorf("%s: N %d exact %v converged %v iterations %d", w.name, r.NObs,
				r.ExactDemean, r.Converged, r.Iterations)
		}
		if r.DFResid != 699-68 {
			t.Errorf("%s: DFResid %d, want %d (lm rank 68)", w.name, r.DFResid, 699-68)
		}
		for k, term := range terms {
			j := r.Index(term)
			// 1e-8: the iterative demeaning stops at relative change 1e-10.
			if !relClose(r.Coef[j], coef[k], 1e-8) {
				t.Errorf("%s %s: coef %.15g, want %.15g", w.name, term, r.Coef[j], coef[k])
			}
			if !relClose(r.SE[j], w.se[k], 1e-8) {
				t.Errorf("%s %s: SE %.15g, want %.15g", w.name, term, r.SE[j], w.se[k])
			}
		}
	}
}

func TestNestedRuleOnUnbalancedPanel(t *testing.T) {
	// Nested and full CRV1 differ only in K: their variances are in the
	// ratio (N-K_full)/(N-K_nested), K_nested = slopes + years - 1 + 1.
	d := producUnbalanced(t)
	f, _ := ParseFormula("log(gsp) ~ log(pcap) + unemp | state + year")
	full, err := Fit(d, f, Options{Cluster: []string{"state"}, SSC: "full"})
	if err != nil {
		t.Fatal(err)
	}
	nested, err := Fit(d, f, Options{Cluster: []string{"state"}})
	if err != nil {
		t.Fatal(err)
	}
	n := float64(nested.NObs)
	kFull, kNested := float64(2+48+17-1), float64(2+17)
	ratio := math.Sqrt((n - kFull) / (n - kNested))
	for j := range full.SE {
		if !relClose(nested.SE[j], full.SE[j]*ratio, 1e-12) {
			t.Errorf("%s: nested %.15g, full %.15g x %.6f", nested.Terms[j], nested.SE[j], full.SE[j], ratio)
		}
	}
	if !nested.FixedEffects[0].Nested || nested.FixedEffects[1].Nested {
		t.Errorf("nesting %+v", nested.FixedEffects)
	}
}

func TestAccountOfDroppedRows(t *testing.T) {
	src := "id,t,y,x,z,w\n" +
		"1,1,1.0,2,5,1\n" +
		"1,2,2.0,3,5,1\n" +
		"1,3,3.5,1,5,1\n" +
		"2,1,,4,5,1\n" + // missing y
		"2,2,2.5,0,5,1\n" + // x = 0: log(x) undefined
		"2,3,4.0,5,5,0\n" + // zero weight
		"3,1,1.0,2,5,1\n" +
		"3,2,2.2,6,5,1\n" +
		"3,3,2.9,7,5,1\n" +
		"4,1,0.5,2,5,1\n" + // unit 4 alone after nothing else: a singleton
		"5,1,0.7,3,5,1\n" +
		"5,2,1.9,4,5,1\n" +
		"5,3,2.4,2,5,1\n"
	d, err := frame.ReadCSVFrom(strings.NewReader(src), "toy.csv")
	if err != nil {
		t.Fatal(err)
	}
	f, _ := ParseFormula("y ~ log(x) + z | id + t")
	r, err := Fit(d, f, Options{Weights: "w"})
	if err != nil {
		t.Fatal(err)
	}
	// Unit 2 loses all three rows (missing y, log(0), zero weight); unit 4
	// has one row, a singleton, which is kept by default.
	if r.NObs != 10 || r.SingletonsDropped {
		t.Errorf("N %d, singletons dropped %v; want 10, false", r.NObs, r.SingletonsDropped)
	}
	want := map[string]int{"missing value in y": 1, "log of a value <= 0 in x": 1,
		"zero weight in w": 1}
	for _, dr := range r.RowsDropped {
		if want[dr.Reason] != dr.Rows {
			t.Errorf("drop %q: %d rows, want %d", dr.Reason, dr.Rows, want[dr.Reason])
		}
		delete(want, dr.Reason)
	}
	if len(want) > 0 {
		t.Errorf("drops not reported: %v", want)
	}
	if len(r.Collinear) != 1 || r.Collinear[0] != "z" || r.Index("z") != -1 {
		t.Errorf("collinear %v (z is constant, absorbed by the fixed effects)", r.Collinear)
	}
	if r.Singletons != 1 {
		t.Errorf("singletons %d, want 1 (unit 4)", r.Singletons)
	}
	notes := strings.Join(r.Notes, "\n")
	for _, s := range []string{"1 of 13 rows dropped: missing value in y",
		"collinear terms dropped: z", "1 singleton observations kept", "standard errors: iid"} {
		if !strings.Contains(notes, s) {
			t.Errorf("notes lack %q:\n%s", s, notes)
		}
	}

	// Dropping singletons removes unit 4's row and nothing else changes.
	r2, err := Fit(d, f, Options{Weights: "w", DropSingletons: true})
	if err != nil {
		t.Fatal(err)
	}
	if r2.NObs != r.NObs-1 || !relClose(r2.Coef[0], r.Coef[0], 1e-10) {
		t.Errorf("dropping singletons: N %d coef %v; kept: N %d coef %v",
			r2.NObs, r2.Coef, r.NObs, r.Coef)
	}
}

func TestFitErrors(t *testing.T) {
	const bad = "id,t,y,x\n1,1,1,2\n1,2,2,abc\n2,1,3,4\n2,2,1,1\n"
	d, err := frame.ReadCSVFrom(strings.NewReader(bad), "bad.csv")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct{ formula, want string }{
		{"y ~ x | id", `bad.csv: line 3, column "x": value "abc": not a number`},
		{"y ~ q | id", `bad.csv: column "q": no such column`},
		{"y ~ t | t", "every regressor"},
	}
	for _, c := range cases {
		f, err := ParseFormula(c.formula)
		if err != nil {
			t.Fatal(err)
		}
		_, err = Fit(d, f, Options{})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", c.formula, err, c.want)
		}
	}
	for _, s := range []string{"y x", "y ~ x | a | b", "y ~ x + ", "y ~ log(x", "y ~ x | a^", "~ x"} {
		if _, err := ParseFormula(s); err == nil {
			t.Errorf("ParseFormula(%q) accepted", s)
		}
	}
	f, err := ParseFormula(" log( gsp ) ~ x1+log(x2) | a ^ b + c")
	if err != nil || f.String() != "log(gsp) ~ x1 + log(x2) | a^b + c" {
		t.Errorf("parsed %v (%v)", f, err)
	}
}

func TestConfIntAndWald(t *testing.T) {
	d := mpdta(t)
	f, _ := ParseFormula("lemp ~ treat_post | countyreal + year")
	r, err := Fit(d, f, Options{Cluster: []string{"countyreal"}, Level: 0.9})
	if err != nil {
		t.Fatal(err)
	}
	// Student t quantiles with G-1 = 499 degrees of freedom, from R 4.2.2:
	// qt(c(0.95, 0.975), 499) = 1.64791298406 1.96472939099.
	q := (r.ConfHigh[0] - r.Coef[0]) / r.SE[0]
	if math.Abs(q-1.64791298406) > 1e-9 {
		t.Errorf("90%% interval uses q = %.12f, want qt(0.95, 499) = 1.64791298406", q)
	}
	lo, hi := r.ConfInt(0.95)
	if q95 := (hi[0] - lo[0]) / 2 / r.SE[0]; math.Abs(q95-1.96472939099) > 1e-9 {
		t.Errorf("95%% interval uses q = %.12f, want qt(0.975, 499) = 1.96472939099", q95)
	}
	w, err := r.Wald([]string{"treat_post"})
	if err != nil {
		t.Fatal(err)
	}
	// A Wald test of one term is the square of its t test.
	if !relClose(w.Stat, r.Stat[0]*r.Stat[0], 1e-12) || !relClose(w.P, r.P[0], 1e-9) {
		t.Errorf("Wald %+v vs t %v p %v", w, r.Stat[0], r.P[0])
	}
	if _, err := r.Wald([]string{"nope"}); err == nil {
		t.Error("Wald of an unknown term accepted")
	}
}

func TestInteractedFixedEffects(t *testing.T) {
	// region^year as an interaction gives the same fit as a column that
	// codes each region-year pair by hand.
	d := readTestCSV(t, "produc.csv")
	region, year := col(t, d, "region"), col(t, d, "year")
	ry := make([]float64, d.Len())
	for i := range ry {
		ry[i] = region[i]*10000 + year[i]
	}
	d.SetFloat("region_year", ry)
	a, err := Fit(d, Formula{Y: "log(gsp)", X: []string{"log(pcap)", "unemp"},
		FE: []string{"state", "region^year"}}, Options{Cluster: []string{"state"}})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Fit(d, Formula{Y: "log(gsp)", X: []string{"log(pcap)", "unemp"},
		FE: []string{"state", "region_year"}}, Options{Cluster: []string{"state"}})
	if err != nil {
		t.Fatal(err)
	}
	if a.FixedEffects[1].Levels != 9*17 || a.FEParams != b.FEParams || a.ExactDemean {
		t.Errorf("levels %d, params %d vs %d, exact %v", a.FixedEffects[1].Levels, a.FEParams,
			b.FEParams, a.ExactDemean)
	}
	for j := range a.Coef {
		// Both run the same iterations on the same codes.
		if !relClose(a.Coef[j], b.Coef[j], 1e-12) || !relClose(a.SE[j], b.SE[j], 1e-12) {
			t.Errorf("%s: %v (%v) vs %v (%v)", a.Terms[j], a.Coef[j], a.SE[j], b.Coef[j], b.SE[j])
		}
	}
}

func TestHeteroWithoutResidualDF(t *testing.T) {
	// Three rows, two unit effects and one slope: no residual degrees of
	// freedom. t tests and intervals have no reference distribution, so
	// HC0/HC1 must fail as iid does rather than print NaN p-values.
	d, err := frame.ReadCSVFrom(strings.NewReader("id,y,x\n1,2,1\n1,4,2.5\n2,6,3\n"), "df0.csv")
	if err != nil {
		t.Fatal(err)
	}
	f, _ := ParseFormula("y ~ x | id")
	for _, ssc := range []string{"none", "slopes", "nested"} {
		_, err := Fit(d, f, Options{Vcov: "hetero", SSC: ssc})
		if err == nil || !strings.Contains(err.Error(), "no residual degrees of freedom") {
			t.Errorf("%s: got %v, want an error on the residual degrees of freedom", ssc, err)
		}
	}
}
