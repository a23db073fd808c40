package analysis

import (
	"math"
	"strings"
	"testing"

	"example.org/smartcity/analysis/chart"
	"example.org/smartcity/analysis/fe"
	"example.org/smartcity/analysis/twin"
)

// The staggered-adoption helpers run on the synthetic twin of the committed
// seed (twin.DefaultSeed), whose true dynamic effects are known
// (twin.Truth.ByEventTimeAll, the mean over pilot cities of index with
// minus index without the policy at each event time).

func TestStaggeredTwin(t *testing.T) {
	d, truth := twinFrame(t, twin.DefaultSeed)
	r, err := Staggered(d, Design{}, StaggeredOptions{})
	if err != nil {
		t.Fatal(err)
	}
	names := []string{NameTWFE, NameCSNever, NameCSNotYet, NameSA}
	if len(r.Estimators) != len(names) {
		t.Fatalf("%d estimators, want %d", len(r.Estimators), len(names))
	}
	for i, e := range r.Estimators {
		if e.Name != names[i] {
			t.Errorf("estimator %d is %q, want %q", i, e.Name, names[i])
		}
		ref, ok := e.At(-1)
		if !ok || !ref.Reference || ref.Estimate != 0 {
			t.Errorf("%s: e = -1 is %+v, want the reference period", e.Name, ref)
		}
		for _, x := range e.Effects {
			if !x.Reference && !(x.Low < x.Estimate && x.Estimate < x.High && x.SE > 0) {
				t.Errorf("%s: e = %d: estimate %v outside [%v, %v] or s.e. %v", e.Name,
					x.EventTime, x.Estimate, x.Low, x.High, x.SE)
			}
		}
	}
	// Every pilot year is kept; the 2015 batch reaches back to e = -9 and
	// the 2012 batch forward to e = 9 (2006-2021).
	if r.Sample.DroppedCities != 0 || r.Sample.TreatedCities != truth.ATTAll.Cities {
		t.Errorf("sample %+v, want every city and %d pilots", r.Sample, truth.ATTAll.Cities)
	}
	if got := eventTimes(r.Estimators); got[0] != -9 || got[len(got)-1] != 9 {
		t.Errorf("event times %v, want -9 to 9", got)
	}

	// Without covariates, on a balanced panel, Sun-Abraham's cells equal
	// Callaway-Sant'Anna's ATT(g,t) with never-treated controls and a
	// universal base period, and both weight cohorts by their size: the
	// event-time effects agree (tolerance 1e-9, rounding of two different
	// computations).
	cs, sa := r.Estimators[1], r.Estimators[3]
	for _, x := range sa.Effects {
		y, ok := cs.At(x.EventTime)
		if !ok || math.Abs(x.Estimate-y.Estimate) > 1e-9 {
			t.Errorf("e = %d: Sun-Abraham %.10f, Callaway-Sant'Anna %.10f", x.EventTime,
				x.Estimate, y.Estimate)
		}
	}

	// Callaway-Sant'Anna's dynamic aggregation weights pilot cities as the
	// twin's truth does, so its 95% intervals should cover the true effect
	// (relative to e = -1) at most event times. 18 intervals: one miss is
	// expected; the twin has a real dip before the pilot (pilot cities'
	// population grows faster and population lowers the index), so up to
	// three misses are allowed and logged.
	want := map[int]float64{}
	for _, tr := range TrueDynamic(&truth) {
		want[tr.RelTime] = tr.Effect
	}
	for _, est := range r.Estimators[1:3] {
		miss, n := 0, 0
		for _, x := range est.Effects {
			if x.Reference {
				continue
			}
			v, ok := want[x.EventTime]
			if !ok {
				t.Fatalf("no true effect at e = %d", x.EventTime)
			}
			n++
			if v < x.Low || v > x.High {
				miss++
				t.Logf("%s: e = %d: %.5f [%.5f, %.5f] misses %.5f", est.Name, x.EventTime,
					x.Estimate, x.Low, x.High, v)
			}
		}
		if n != 18 || miss > 3 {
			t.Errorf("%s: %d of %d intervals miss the true dynamic effect", est.Name, miss, n)
		}
	}

	p, err := r.Chart(TrueDynamic(&truth), chart.DynamicOptions{})
	if err != nil || p == nil {
		t.Fatalf("chart: %v", err)
	}
	md := StaggeredTable(r).Markdown()
	for _, s := range []string{"e = -9", "e = 9", "CS (not yet)", "Sun-Abraham", "universal base"} {
		if !strings.Contains(md, s) {
			t.Errorf("table lacks %q:\n%s", s, md)
		}
	}
}

func TestStaggeredVaryingBaseAndCovariates(t *testing.T) {
	d, _ := twinFrame(t, twin.DefaultSeed)
	r, err := Staggered(d, Design{}, StaggeredOptions{Base: "varying",
		Covariates: []string{"lnpop"}, Bootstrap: 199, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	// A varying base period estimates e = -1 (no reference cell there).
	if x, ok := r.Estimators[1].At(-1); !ok || x.Reference {
		t.Errorf("varying base: e = -1 is %+v, want an estimate", x)
	}
	if !r.DynamicNever.Uniform || !strings.Contains(r.Estimators[1].Vcov, "uniform band") {
		t.Errorf("bootstrap: uniform %v, vcov %q", r.DynamicNever.Uniform, r.Estimators[1].Vcov)
	}
	if r.TWFE.Fit.Index("lnpop") < 0 || r.SA.Fit.Index("lnpop") < 0 {
		t.Error("the covariate is not a control of the regressions")
	}
}

func TestStaggeredUnbalanced(t *testing.T) {
	d, _ := twinFrame(t, twin.DefaultSeed)
	codes, _ := d.Text("city_code")
	years, _ := d.Float("year")
	city := codes[40]
	sub := d.Filter(func(i int) bool { return !(codes[i] == city && years[i] == 2010) })
	_, err := Staggered(sub, Design{}, StaggeredOptions{})
	if err == nil || !strings.Contains(err.Error(), city) {
		t.Errorf("unbalanced panel: got %v, want an error naming city %s", err, city)
	}
}

// TestBaconTwin checks the decomposition on the twin: the weights sum to
// one and the weighted sum of the 2x2 estimates equals the coefficient of
// the two-way fixed-effects regression fitted by package fe (tolerance
// 1e-10: both are exact least squares on a balanced panel).
func TestBaconTwin(t *testing.T) {
	d, _ := twinFrame(t, twin.DefaultSeed)
	b, err := Bacon(d, Design{})
	if err != nil {
		t.Fatal(err)
	}
	fit, err := fe.Fit(d, fe.Formula{Y: "index", X: []string{StaggeredTreat},
		FE: []string{"city_code", "year"}}, fe.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var sum, wsum float64
	types := map[string]int{}
	for _, c := range b.Comparisons {
		sum += c.Weight * c.Estimate
		wsum += c.Weight
		types[c.Type]++
	}
	coef := fit.Coef[fit.Index(StaggeredTreat)]
	if math.Abs(sum-coef) > 1e-10 || math.Abs(b.TWFE-coef) > 1e-10 {
		t.Errorf("weighted sum %.12f, Bacon TWFE %.12f, fe.Fit %.12f", sum, b.TWFE, coef)
	}
	if math.Abs(wsum-1) > 1e-12 {
		t.Errorf("weights sum to %.15f", wsum)
	}
	// Three pilot years and never-pilot cities: 3 treated-vs-never and 3
	// pairs each way; no city is treated from the first year.
	if len(b.Comparisons) != 9 || types["Treated vs Untreated"] != 3 ||
		types["Earlier vs Later Treated"] != 3 || types["Later vs Earlier Treated"] != 3 {
		t.Errorf("comparisons by type %v", types)
	}
	tab := BaconTable(b)
	if len(tab.Rows) != len(b.Summary)+len(b.Comparisons)+1 {
		t.Errorf("table has %d rows", len(tab.Rows))
	}
	if _, err := BaconChart(b, chart.BaconOptions{}); err != nil {
		t.Error(err)
	}
}

func TestRegionalWildTwin(t *testing.T) {
	d, _ := twinFrame(t, twin.DefaultSeed)
	rows, err := RegionalWild(d, Design{}, WildOptions{Draws: 999, Seed: 11})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2*(1+len(SplitRegion.Labels)) {
		t.Fatalf("%d rows", len(rows))
	}

	// The clustered p-values are those of the heterogeneity table (same
	// model, same data): tolerance 1e-12.
	h, err := Heterogeneity(d, Design{}, SplitRegion, HeteroOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range h.Groups {
		for _, r := range rows {
			if r.Group == g.Label && r.Cluster == "city_code" {
				if math.Abs(r.PClustered-g.Effect.P) > 1e-12 || math.Abs(r.Coef-g.Effect.Coef) > 1e-12 {
					t.Errorf("%s: coef %v p %v, heterogeneity coef %v p %v", g.Label, r.Coef,
						r.PClustered, g.Effect.Coef, g.Effect.P)
				}
			}
		}
	}

	for _, r := range rows {
		w := r.Wild
		if !(w.PValue > 0 && w.PValue <= 1) || !(w.ConfLow < r.Coef && r.Coef < w.ConfHigh) {
			t.Errorf("%s/%s: p %v, interval [%v, %v] around %v", r.Group, r.Cluster, w.PValue,
				w.ConfLow, w.ConfHigh, r.Coef)
		}
		// Webb weights below FewClusters clusters, enumerated when 6^G is
		// at most the draws.
		wantWebb := w.Clusters < FewClusters
		if (w.Weights == "webb") != wantWebb {
			t.Errorf("%s/%s: %d clusters, weights %s", r.Group, r.Cluster, w.Clusters, w.Weights)
		}
		if wantWebb && math.Pow(6, float64(w.Clusters)) <= 999 && !w.Enumerated {
			t.Errorf("%s/%s: %d clusters not enumerated", r.Group, r.Cluster, w.Clusters)
		}
	}
	// The Northeast's pilots lie in three provinces: 6^3 = 216 Webb
	// patterns, enumerated, so the p-value does not depend on the seed.
	ne := rows[len(rows)-1]
	if ne.Group != "Northeast" || ne.Cluster != "province_code" || !ne.Wild.Enumerated ||
		ne.Wild.Draws != 216 {
		t.Fatalf("last row %s/%s: %d draws, enumerated %v", ne.Group, ne.Cluster, ne.Wild.Draws,
			ne.Wild.Enumerated)
	}
	again, err := RegionalWild(d, Design{}, WildOptions{Draws: 999, Seed: 12,
		Clusters: []string{"province_code"}})
	if err != nil {
		t.Fatal(err)
	}
	if p := again[len(again)-1].Wild.PValue; p != ne.Wild.PValue {
		t.Errorf("enumerated p-value changed with the seed: %v and %v", ne.Wild.PValue, p)
	}
	md := WildTable(rows).Markdown()
	if !strings.Contains(md, "216 (all)") || !strings.Contains(md, "seed 11") {
		t.Errorf("wild table:\n%s", md)
	}
}

func TestTrueDynamic(t *testing.T) {
	tr := &twin.Truth{ByEventTimeAll: []twin.EventEffect{
		{E: -2, ATT: 0.001}, {E: -1, ATT: 0.002}, {E: 0, ATT: 0.012}, {E: 1, ATT: math.NaN()},
	}}
	got := TrueDynamic(tr)
	want := []chart.EventTruth{{RelTime: -2, Effect: -0.001}, {RelTime: -1},
		{RelTime: 0, Effect: 0.01}}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i].RelTime != want[i].RelTime || math.Abs(got[i].Effect-want[i].Effect) > 1e-15 {
			t.Errorf("got %v, want %v", got, want)
		}
	}
	if TrueDynamic(nil) != nil {
		t.Error("truth of real data is not nil")
	}
}

func TestTextTable(t *testing.T) {
	tab := &TextTable{Title: "A & B", Header: []string{"name", "value"},
		Rows:  [][]string{{"x_1 | *", "1.5"}, {"  a, \"b\"", "50%"}},
		Notes: []string{"note #1"}}
	md := tab.Markdown()
	for _, s := range []string{"**A & B**", `x_1 \| \*`, "|:---|---:|", "*note #1*",
		`| &emsp;a, "b" | 50% |`} {
		if !strings.Contains(md, s) {
			t.Errorf("Markdown lacks %q:\n%s", s, md)
		}
	}
	tex := tab.LaTeX()
	for _, s := range []string{`\caption{A \& B}`, `x\_1 | *`, `\quad a, "b" & 50\%`, `note \#1`,
		`\begin{tabular}{lr}`} {
		if !strings.Contains(tex, s) {
			t.Errorf("LaTeX lacks %q:\n%s", s, tex)
		}
	}
	want := "name,value\nx_1 | *,1.5\n\"a, \"\"b\"\"\",50%\n"
	if got := tab.CSV(); got != want {
		t.Errorf("CSV\n%q, want\n%q", got, want)
	}
}
