package wild

import (
	"math"
	"testing"

	"example.org/smartcity/analysis/fe"
	"example.org/smartcity/analysis/frame"
)

func grunfeld(t testing.TB) *frame.Frame {
	t.Helper()
	d, err := frame.ReadCSV("testdata/grunfeld.csv")
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func formula(t testing.TB, s string) fe.Formula {
	t.Helper()
	f, err := fe.ParseFormula(s)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// bruteT re-estimates the model on the bootstrap sample of weight vector v
// (one weight per firm) by a full fixed-effects fit and returns its CRV1 t
// statistic for the null b0: an independent route to each t*.
func bruteT(t testing.TB, d *frame.Frame, resid, fitted []float64, firm []int32, v []float64,
	b0 float64) float64 {
	ystar := make([]float64, len(resid))
	for i := range ystar {
		ystar[i] = fitted[i] + v[firm[i]]*resid[i]
	}
	d.SetFloat("ystar", ystar)
	r, err := fe.Fit(d, formula(t, "ystar ~ value + capital | firm + year"),
		fe.Options{Cluster: []string{"firm"}})
	if err != nil {
		t.Fatal(err)
	}
	k := r.Index("capital")
	return (r.Coef[k] - b0) / r.SE[k]
}

// Every one of the 2^10 Rademacher patterns: the fast t* equal the t
// statistics of full re-estimations (1e-8 relative), and so the exact
// p-value equals the brute-force one, for two nulls.
func TestWCRMatchesBruteForce(t *testing.T) {
	d := grunfeld(t)
	f := formula(t, "inv ~ value + capital | firm + year")
	fit, err := fe.Fit(d, f, fe.Options{Cluster: []string{"firm"}})
	if err != nil {
		t.Fatal(err)
	}
	k := fit.Index("capital")
	firm, _, _ := d.Factor("firm")
	inv, _ := d.Float("inv")
	capital, _ := d.Float("capital")
	for _, b0 := range []float64{0, 0.3} {
		opt := Options{Cluster: "firm", Param: "capital", Draws: 1024, Null: b0}
		res, err := WCR(d, f, opt)
		if err != nil {
			t.Fatal(err)
		}
		if !res.Enumerated || res.Draws != 1024 {
			t.Fatalf("draws %d enumerated %v, want all 1024 patterns", res.Draws, res.Enumerated)
		}

		// Restricted model: inv - b0*capital on value with both effects.
		yr := make([]float64, len(inv))
		for i := range yr {
			yr[i] = inv[i] - b0*capital[i]
		}
		d.SetFloat("yr", yr)
		rf, err := fe.Fit(d, formula(t, "yr ~ value | firm + year"), fe.Options{})
		if err != nil {
			t.Fatal(err)
		}
		fitted := make([]float64, len(inv))
		for i := range fitted {
			fitted[i] = inv[i] - rf.Resid[i]
		}

		p, err := prepare(d, f, fit, k, "firm")
		if err != nil {
			t.Fatal(err)
		}
		v, draws, _ := weightMatrix(p.G, opt)
		st := p.stats(v, draws)
		tObs := (fit.Coef[k] - b0) / fit.SE[k]
		hits := 0
		for b := 0; b < draws; b++ {
			w := make([]float64, p.G)
			for g := range w {
				w[g] = v.At(g, b)
			}
			want := bruteT(t, d, rf.Resid, fitted, firm, w, b0)
			got := st.tStar(b, b0)
			if math.Abs(got-want) > 1e-8*math.Max(1, math.Abs(want)) {
				t.Fatalf("b0 %v pattern %d: t* %.12g, re-estimated %.12g", b0, b, got, want)
			}
			if math.Abs(want) >= math.Abs(tObs)*(1-1e-12) {
				hits++
			}
		}
		if want := float64(hits) / 1024; res.PValue != want {
			t.Errorf("b0 %v: p-value %v, brute force %v", b0, res.PValue, want)
		}
		if math.Abs(res.Stat-tObs) > 1e-12 {
			t.Errorf("t %v, fit %v", res.Stat, tObs)
		}
		// The interval inverts the test: inside it p > alpha, beyond p <= alpha.
		pAt := func(b float64) float64 {
			r, err := WCR(d, f, Options{Cluster: "firm", Param: "capital", Draws: 1024, Null: b})
			if err != nil {
				t.Fatal(err)
			}
			return r.PValue
		}
		eps := 1e-6 * fit.SE[k]
		if pAt(res.ConfLow+eps) <= 0.05 || pAt(res.ConfLow-eps) > 0.05 ||
			pAt(res.ConfHigh-eps) <= 0.05 || pAt(res.ConfHigh+eps) > 0.05 {
			t.Errorf("interval [%v, %v] does not invert the test", res.ConfLow, res.ConfHigh)
		}
	}
}

// Random draws are seeded; Webb weights enumerate 6^G patterns when few.
func TestWCRSeedsAndWebb(t *testing.T) {
	d := grunfeld(t)
	f := formula(t, "inv ~ value + capital | firm + year")
	a, err := WCR(d, f, Options{Cluster: "firm", Param: "value", Draws: 199, Seed: 4})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := WCR(d, f, Options{Cluster: "firm", Param: "value", Draws: 199, Seed: 4})
	c, _ := WCR(d, f, Options{Cluster: "firm", Param: "value", Draws: 199, Seed: 5,
		Weights: "webb"})
	if a.Enumerated || a.PValue != b.PValue || a.ConfLow != b.ConfLow || c.Draws != 199 {
		t.Errorf("seeded runs differ: %+v %+v", a, b)
	}
	// Three clusters (firms 1-3): 6^3 = 216 Webb patterns <= 999.
	firm, _ := d.Float("firm")
	few := d.Filter(func(i int) bool { return firm[i] <= 3 })
	r, err := WCR(few, f, Options{Cluster: "firm", Param: "capital", Weights: "webb"})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Enumerated || r.Draws != 216 || r.Clusters != 3 {
		t.Errorf("draws %d enumerated %v clusters %d", r.Draws, r.Enumerated, r.Clusters)
	}
	if !(r.ConfLow < r.Estimate && r.Estimate < r.ConfHigh) {
		t.Errorf("interval [%v, %v] excludes the estimate %v", r.ConfLow, r.ConfHigh, r.Estimate)
	}
}

func TestWCRErrors(t *testing.T) {
	d := grunfeld(t)
	f := formula(t, "inv ~ value + capital | firm + year")
	if _, err := WCR(d, f, Options{Cluster: "firm", Param: "nothing"}); err == nil {
		t.Error("no error for an unknown term")
	}
	if _, err := WCR(d, f, Options{Cluster: "firm", Param: "value", Weights: "x"}); err == nil {
		t.Error("no error for unknown weights")
	}
}
