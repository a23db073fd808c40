package analysis

import (
	"math"
	"strings"
	"testing"
)

// The simulated panel's effects are known (simEffects); with 200 cities the
// baseline estimate is the city-weighted mean of the regional effects of
// the 2012 pilots. The tests check recovery within the 95% interval.

func simTruth(t *testing.T, n int, seed uint64) float64 {
	t.Helper()
	d := simulate(n, seed)
	ft, _ := d.Float("first_treat")
	reg, _ := d.Text("region4")
	yr, _ := d.Float("year")
	sum, k := 0.0, 0
	for i := range ft {
		if ft[i] == 2012 && yr[i] >= 2012 {
			sum += simEffects[reg[i]]
			k++
		}
	}
	return sum / float64(k)
}

func TestBaselineSimulated(t *testing.T) {
	d := simulate(200, 1)
	b, err := Baseline(d, simDesign)
	if err != nil {
		t.Fatal(err)
	}
	truth := simTruth(t, 200, 1)
	for _, wc := range []bool{false, true} {
		e := b.Effect(wc)
		if !e.Covers(truth) {
			t.Errorf("controls %v: %v [%v, %v] misses the truth %v", wc, e.Coef, e.Low, e.High,
				truth)
		}
	}
	lnpop := coefOf(b.WithControls, "lnpop")
	if !lnpop.Covers(-0.02) {
		t.Errorf("lnpop %v [%v, %v], true slope -0.02", lnpop.Coef, lnpop.Low, lnpop.High)
	}
	if b.Hausman == nil || b.Hausman.DF < 3 || math.IsNaN(b.Hausman.P) {
		t.Errorf("Hausman test: %+v", b.Hausman)
	}
	// Later batches are left out of the baseline sample and counted.
	if b.Sample.DroppedCities == 0 || b.Sample.Cities+b.Sample.DroppedCities != 200 {
		t.Errorf("sample: %+v", b.Sample)
	}
	if b.WithControls.NClusters != b.Sample.Cities {
		t.Errorf("%d clusters for %d cities", b.WithControls.NClusters, b.Sample.Cities)
	}
}

func TestDropPilots(t *testing.T) {
	d := simulate(120, 2)
	r, err := DropPilots(d, simDesign, DropOptions{Draws: 40, Seed: 9})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Coef) != 40 || r.Failed != 0 {
		t.Fatalf("%d draws, %d failed", len(r.Coef), r.Failed)
	}
	if r.Dropped != int(math.Round(0.2*float64(r.Pilots))) {
		t.Errorf("dropped %d of %d", r.Dropped, r.Pilots)
	}
	// Every draw differs from the full-sample estimate but stays close.
	for i, c := range r.Coef {
		if c == r.Full.Coef || math.Abs(c-r.Full.Coef) > 4*r.Full.SE {
			t.Errorf("draw %d: %v, full sample %v (s.e. %v)", i, c, r.Full.Coef, r.Full.SE)
		}
	}
	if !(r.Q025 <= r.Median && r.Median <= r.Q975) || r.ShareSignificant < 0 || r.ShareSignificant > 1 {
		t.Errorf("summary: %+v", r)
	}
	// Same seed, same draws.
	r2, err := DropPilots(d, simDesign, DropOptions{Draws: 40, Seed: 9})
	if err != nil {
		t.Fatal(err)
	}
	for i := range r.Coef {
		if r.Coef[i] != r2.Coef[i] {
			t.Fatalf("draw %d differs between runs with the same seed", i)
		}
	}
}

func TestAddBatches(t *testing.T) {
	d := simulate(200, 3)
	r, err := AddBatches(d, simDesign, 2013)
	if err != nil {
		t.Fatal(err)
	}
	// Truth: mean regional effect over treated cells of both batches.
	ft, _ := d.Float("first_treat")
	reg, _ := d.Text("region4")
	yr, _ := d.Float("year")
	sum, k := 0.0, 0
	for i := range ft {
		if (ft[i] == 2012 || ft[i] == 2013) && yr[i] >= ft[i] {
			sum += simEffects[reg[i]]
			k++
		}
	}
	e := r.Effect(true)
	if truth := sum / float64(k); !e.Covers(truth) {
		t.Errorf("with 2013: %v [%v, %v] misses %v", e.Coef, e.Low, e.High, truth)
	}
	if !strings.Contains(r.Sample.Note(), "left out") {
		t.Errorf("2015 batch not reported as left out: %s", r.Sample.Note())
	}
}

func TestHeterogeneitySimulated(t *testing.T) {
	d := simulate(240, 4)
	h, err := Heterogeneity(d, simDesign, SplitRegion, HeteroOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Groups) != 4 || len(h.Diffs) != 3 || h.Equality.DF1 != 3 {
		t.Fatalf("groups %d, diffs %d, df %d", len(h.Groups), len(h.Diffs), h.Equality.DF1)
	}
	for _, g := range h.Groups {
		if !g.Effect.Covers(simEffects[g.Label]) {
			t.Errorf("%s: %v [%v, %v] misses %v", g.Label, g.Effect.Coef, g.Effect.Low,
				g.Effect.High,
				simEffects[g.Label])
		}
	}
	// The interacted model reproduces the separate fits' point estimates:
	// the first group's coefficient, and each difference.
	base := coefOf(h.Interacted, "did").Coef
	if math.Abs(base-h.Groups[0].Effect.Coef) > 1e-9 {
		t.Errorf("interacted base %v, separate %v", base, h.Groups[0].Effect.Coef)
	}
	for i, df := range h.Diffs {
		want := h.Groups[i+1].Effect.Coef - h.Groups[0].Effect.Coef
		if math.Abs(df.Coef-want) > 1e-9 {
			t.Errorf("difference %d: %v, separate fits give %v", i, df.Coef, want)
		}
	}
	// East (0.03) and Northeast (-0.01) differ by 0.04: the test rejects.
	if h.Equality.P > 0.01 {
		t.Errorf("equality of regions not rejected: p = %v", h.Equality.P)
	}

	for _, s := range []Split{SplitCoastal, SplitCentral} {
		if _, err := Heterogeneity(d, simDesign, s, HeteroOptions{}); err != nil {
			t.Errorf("%s: %v", s.Name, err)
		}
	}
	bad := SplitRegion
	bad.Levels = []string{"East", "Central", "West"}
	bad.Labels = bad.Levels
	if _, err := Heterogeneity(d, simDesign, bad, HeteroOptions{}); err == nil ||
		!strings.Contains(err.Error(), "Northeast") {
		t.Errorf("unlisted level: %v", err)
	}
}

func TestPSMDID(t *testing.T) {
	d := simulate(200, 5)
	truth := simTruth(t, 200, 5)
	for _, design := range []string{"baseline", "yearly"} {
		r, err := PSMDID(d, simDesign, PSMOptions{Design: design, Match: psmReplace()})
		if err != nil {
			t.Fatalf("%s: %v", design, err)
		}
		e := r.Effect(true)
		if !e.Covers(truth) {
			t.Errorf("%s: %v [%v, %v] misses %v", design, e.Coef, e.Low, e.High, truth)
		}
		if len(r.Balance()) == 0 {
			t.Errorf("%s: no balance table", design)
		}
		if _, err := r.SupportChart(chartSupport()); err != nil {
			t.Errorf("%s: support chart: %v", design, err)
		}
	}
}

func TestEventStudySimulated(t *testing.T) {
	d := simulate(200, 6)
	r, err := EventStudy(d, simDesign, EventOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Window != [2]int{-6, 9} {
		t.Errorf("window %v, want [-6, 9] (2006-2021 around 2012)", r.Window)
	}
	truth := simTruth(t, 200, 6) // constant over time in the simulation
	miss := 0
	for _, c := range r.Coefs {
		want := 0.0
		if c.RelTime >= 0 {
			want = truth
		}
		if !c.Ref && !(c.Low <= want && want <= c.High) {
			miss++
		}
	}
	// 15 intervals at 95%: more than 3 misses has probability below 0.5%.
	if miss > 3 {
		t.Errorf("%d of 15 event-time intervals miss the truth", miss)
	}
	if r.PreTrend.DF1 != 5 {
		t.Errorf("lead test on %d leads, want 5", r.PreTrend.DF1)
	}
	series, err := GroupMeans(d, simDesign)
	if err != nil {
		t.Fatal(err)
	}
	if len(series) != 2 || len(series[0].X) != 16 || !strings.HasPrefix(series[0].Label, "Pilot") {
		t.Errorf("group means: %+v", series)
	}
}

func TestPlaceboSimulated(t *testing.T) {
	d := simulate(120, 7)
	r, err := PermutePilots(d, simDesign, PlaceboOptions{Draws: 200, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Baseline(d, simDesign)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(r.Observed-b.Effect(true).Coef) > 1e-9 {
		t.Errorf("observed %v, baseline %v", r.Observed, b.Effect(true).Coef)
	}
	// The simulated effect is about 1.5 s.e. from zero per region mix;
	// permuted estimates centre on zero.
	if len(r.Draws) != 200 || r.PValue <= 0 || r.PValue > 1 {
		t.Errorf("%d draws, p = %v", len(r.Draws), r.PValue)
	}
	if _, err := PermutationChart(r, chartPermutation()); err != nil {
		t.Error(err)
	}
	fy, err := FakePilotYears(d, simDesign, []int{2009, 2010}, PlaceboOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fy {
		if !(f.ConfLow <= 0 && 0 <= f.ConfHigh) && f.P < 0.001 {
			t.Errorf("fake year %v: %v (p %v) on a panel with no pre-trend", f.Year, f.Coef, f.P)
		}
	}
	dr, err := DiffPermutation(d, simDesign, SplitRegion, "East", "Northeast",
		PlaceboOptions{Draws: 100})
	if err != nil {
		t.Fatal(err)
	}
	h, err := Heterogeneity(d, simDesign, SplitRegion, HeteroOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := h.Groups[0].Effect.Coef - h.Groups[3].Effect.Coef
	if math.Abs(dr.Observed-want) > 1e-9 {
		t.Errorf("East - Northeast: permutation observed %v, subgroup fits %v", dr.Observed, want)
	}
}
