package did

import (
	"math"
	"testing"

	"example.org/smartcity/analysis/fe"
	"example.org/smartcity/analysis/frame"
)

// Source: testdata/peers/REFERENCE.md (repository root), section "Goodman-Bacon
// decomposition, math_reform: incearn_ln ~ reform_math | state + class
// (bacondecomp README example)"; control 0 stands for "inf" (never treated).
var mathReformBacon = []Comparison{
	{1984, 0, TreatedVsUntreated, 0.0686226092532, 0.0598483183117},
	{1984, 1985, EarlierVsLater, 0.120129081938, 0.00197845680369},
	{1985, 1984, LaterVsEarlier, 0.0288295745849, 0.00219828533744},
	{1984, 1986, EarlierVsLater, 0.214988178677, 0.000989228401847},
	{1986, 1984, LaterVsEarlier, 0.139750798543, 0.000989228401847},
	{1984, 1987, EarlierVsLater, 0.0978485743205, 0.0133545834249},
	{1987, 1984, LaterVsEarlier, 0.0281854293964, 0.0118707408222},
	{1985, 0, TreatedVsUntreated, -0.0298367565329, 0.241811387118},
	{1985, 1986, EarlierVsLater, 0.0776140928269, 0.00219828533744},
	{1986, 1985, LaterVsEarlier, 0.113904105292, 0.00197845680369},
	{1985, 1987, EarlierVsLater, 0.0102137857013, 0.0395691360739},
	{1987, 1985, LaterVsEarlier, 0.0457558499442, 0.0316553088591},
	{1986, 0, TreatedVsUntreated, 0.00662742348524, 0.0598483183117},
	{1986, 1987, EarlierVsLater, -0.0937449522693, 0.00544075621016},
	{1987, 1986, LaterVsEarlier, -0.109429677327, 0.00395691360739},
	{1987, 0, TreatedVsUntreated, 0.00301062739658, 0.522312596175},
}

func TestBaconMathReform(t *testing.T) {
	d, err := frame.ReadCSV("testdata/math_reform.csv")
	if err != nil {
		t.Fatal(err)
	}
	res, err := Bacon(d, "incearn_ln", "reform_math", "state", "class")
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Comparisons) != len(mathReformBacon) {
		t.Fatalf("%d comparisons, want %d", len(res.Comparisons), len(mathReformBacon))
	}
	var sum, wsum float64
	for k, want := range mathReformBacon {
		got := res.Comparisons[k]
		if got.Treated != want.Treated || got.Control != want.Control || got.Type != want.Type {
			t.Fatalf("comparison %d is %+v, want %+v", k, got, want)
		}
		// Reference values to 1e-8 relative.
		if math.Abs(got.Estimate-want.Estimate) > 1e-8*math.Abs(want.Estimate) ||
			math.Abs(got.Weight-want.Weight) > 1e-8*want.Weight {
			t.Errorf("%d vs %d: estimate %.12g weight %.12g, want %.12g and %.12g",
				want.Treated, want.Control, got.Estimate, got.Weight, want.Estimate, want.Weight)
		}
		sum += got.Weight * got.Estimate
		wsum += got.Weight
	}
	// Theorem 1 of Goodman-Bacon (2021): the weights sum to one and the
	// weighted estimates to the TWFE coefficient (to rounding, 1e-10).
	if math.Abs(wsum-1) > 1e-10 || math.Abs(sum-res.TWFE) > 1e-10 {
		t.Errorf("weights sum to %.15g, weighted estimates %.15g; TWFE %.15g", wsum, sum, res.TWFE)
	}
	// The same coefficient from the fixed-effects package's within
	// regression (an independent route to the TWFE estimate).
	f, err := fe.ParseFormula("incearn_ln ~ reform_math | state + class")
	if err != nil {
		t.Fatal(err)
	}
	fit, err := fe.Fit(d, f, fe.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(fit.Coef[0]-res.TWFE) > 1e-10 {
		t.Errorf("TWFE %.15g, fe.Fit %.15g", res.TWFE, fit.Coef[0])
	}
	// Summary weights by type, REFERENCE.md (rounded to 5 decimals there).
	want := map[string]float64{EarlierVsLater: 0.06353, LaterVsEarlier: 0.05265,
		TreatedVsUntreated: 0.88382}
	for _, s := range res.Summary {
		if math.Abs(s.Weight-want[s.Type]) > 5e-6 {
			t.Errorf("%s: weight %.6f, want %.5f", s.Type, s.Weight, want[s.Type])
		}
	}
}

// Without never-treated units (and with an always-treated group) the
// decomposition still sums to the TWFE coefficient of fe.Fit (1e-10), with
// weights summing to one and no "Treated vs Untreated" comparison.
func TestBaconWithoutNeverTreated(t *testing.T) {
	d, err := frame.ReadCSV("testdata/math_reform.csv")
	if err != nil {
		t.Fatal(err)
	}
	ry, _ := d.Float("reformyr_math")
	class, _ := d.Float("class")
	lo := math.Inf(1)
	for _, c := range class {
		lo = math.Min(lo, c)
	}
	treated := d.Filter(func(i int) bool { return !math.IsNaN(ry[i]) && ry[i] <= 2100 })
	// Make the 1984 cohort always treated in a second data set.
	always := treated.Filter(func(int) bool { return true })
	rm, _ := always.Float("reform_math")
	ary, _ := always.Float("reformyr_math")
	for i := range rm {
		if ary[i] == 1984 {
			rm[i] = 1
		}
	}
	always.SetFloat("reform_math", rm)
	f, err := fe.ParseFormula("incearn_ln ~ reform_math | state + class")
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string]*frame.Frame{"timing only": treated, "always": always} {
		res, err := Bacon(data, "incearn_ln", "reform_math", "state", "class")
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		fit, err := fe.Fit(data, f, fe.Options{})
		if err != nil {
			t.Fatal(err)
		}
		var sum, wsum float64
		for _, c := range res.Comparisons {
			if c.Type == TreatedVsUntreated {
				t.Errorf("%s: comparison %+v without never-treated units", name, c)
			}
			sum += c.Weight * c.Estimate
			wsum += c.Weight
		}
		if math.Abs(wsum-1) > 1e-10 || math.Abs(sum-fit.Coef[0]) > 1e-10 ||
			math.Abs(res.TWFE-fit.Coef[0]) > 1e-10 {
			t.Errorf("%s: weights %.15g, weighted sum %.15g, TWFE %.15g, fe.Fit %.15g", name,
				wsum, sum, res.TWFE, fit.Coef[0])
		}
	}
}
