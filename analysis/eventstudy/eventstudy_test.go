package eventstudy

import (
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"example.org/smartcity/analysis/fe"
	"example.org/smartcity/analysis/frame"
)

func readMpdta(t *testing.T) *frame.Frame {
	t.Helper()
	d, err := frame.ReadCSV("testdata/mpdta.csv")
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func mpdtaOptions() Options {
	return Options{Y: "lemp", Unit: "countyreal", Time: "year", FirstTreat: "first.treat"}
}

// TestMpdta compares with REFERENCE.md, "Event study, mpdta: lemp on
// relative-time dummies -4..3 (ref -1) | countyreal + year, clustered by
// countyreal, CR1 nested" (R 4.2.2 with plm/estimatr, cross-checked with
// statsmodels to 1e-12). Tolerance: 1e-8 relative for coefficients, 1e-7
// relative for standard errors.
func TestMpdta(t *testing.T) {
	res, err := Estimate(readMpdta(t), mpdtaOptions())
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		k        int
		coef, se float64
	}{
		{-4, 0.00354932691944, 0.0228285814463},
		{-3, 0.0246235019865, 0.0176793711727},
		{-2, 0.0233548148864, 0.0134366993772},
		{0, -0.0181439269666, 0.0109822182809},
		{1, -0.0434723726285, 0.0175769469944},
		{2, -0.131794857754, 0.0288374073901},
		{3, -0.0922467941819, 0.0323361931631},
	}
	if res.Window != [2]int{-4, 3} || len(res.Coefs) != 8 {
		t.Fatalf("window %v with %d coefficients, want [-4, 3] with 8", res.Window, len(res.Coefs))
	}
	for _, w := range want {
		c, ok := res.At(w.k)
		if !ok {
			t.Fatalf("no coefficient for k=%d", w.k)
		}
		if !close(c.Coef, w.coef, 1e-8) {
			t.Errorf("k=%d: coef %.15g, want %.15g", w.k, c.Coef, w.coef)
		}
		if !close(c.SE, w.se, 1e-7) {
			t.Errorf("k=%d: se %.15g, want %.15g", w.k, c.SE, w.se)
		}
	}
	ref, _ := res.At(-1)
	if !ref.Ref || ref.Coef != 0 {
		t.Errorf("reference period: %+v", ref)
	}
	if res.NObs != 2500 || res.NUnits != 500 || res.NTreatedUnits != 191 {
		t.Errorf("obs %d units %d treated %d, want 2500, 500, 191 (mpdta: 191 treated counties)",
			res.NObs, res.NUnits, res.NTreatedUnits)
	}

	// The joint test of the leads is the Wald statistic of the three lead
	// coefficients, b' V^-1 b / 3, from the fit's own covariance.
	if res.PreTrend.DF1 != 3 {
		t.Fatalf("lead test has %d restrictions, want 3", res.PreTrend.DF1)
	}
	idx := []int{res.Fit.Index("rel_m4"), res.Fit.Index("rel_m3"), res.Fit.Index("rel_m2")}
	b := mat.NewVecDense(3, nil)
	v := mat.NewSymDense(3, nil)
	for i, a := range idx {
		b.SetVec(i, res.Fit.Coef[a])
		for j, c := range idx {
			v.SetSym(i, j, res.Fit.Vcov.At(a, c))
		}
	}
	var x mat.VecDense
	if err := x.SolveVec(v, b); err != nil {
		t.Fatal(err)
	}
	f := mat.Dot(b, &x) / 3
	if !close(res.PreTrend.Stat, f, 1e-10) {
		t.Errorf("lead test F = %v, want b'V^-1b/3 = %v", res.PreTrend.Stat, f)
	}
}

// tiny is a hand-checkable panel: units 1 and 2 are first treated in
// period 3, units 3 and 4 never. In the saturated design each coefficient
// is a difference in differences of group means against period 2:
//
//	treated changes from period 2: t1 (-1+0)/2 = -0.5, t3 (3+3)/2 = 3, t4 (5+7)/2 = 6
//	control changes from period 2: t1 (-1-2)/2 = -1.5, t3 (0+2)/2 = 1, t4 (1+2)/2 = 1.5
//
// so β_-2 = -0.5+1.5 = 1, β_0 = 3-1 = 2, β_1 = 6-1.5 = 4.5.
const tiny = `unit,t,g,y
1,1,3,1
1,2,3,2
1,3,3,5
1,4,3,7
2,1,3,3
2,2,3,3
2,3,3,6
2,4,3,10
3,1,0,2
3,2,0,3
3,3,0,3
3,4,0,4
4,1,0,0
4,2,0,2
4,3,0,4
4,4,0,4
`

func TestTinyByHand(t *testing.T) {
	d, err := frame.ReadCSVFrom(strings.NewReader(tiny), "tiny.csv")
	if err != nil {
		t.Fatal(err)
	}
	res, err := Estimate(d, Options{Y: "y", Unit: "unit", Time: "t", FirstTreat: "g"})
	if err != nil {
		t.Fatal(err)
	}
	for k, want := range map[int]float64{-2: 1, 0: 2, 1: 4.5} {
		c, _ := res.At(k)
		if math.Abs(c.Coef-want) > 1e-12 {
			t.Errorf("k=%d: coef %v, want %v (by hand)", k, c.Coef, want)
		}
		if c.NObs != 2 {
			t.Errorf("k=%d: %d treated observations, want 2", k, c.NObs)
		}
	}

	// A window of [-1, 1] drops the two treated rows of period 1.
	res, err = Estimate(d, Options{Y: "y", Unit: "unit", Time: "t", FirstTreat: "g",
		Window: [2]int{-1, 1}})
	if err != nil {
		t.Fatal(err)
	}
	if res.NObs != 14 || len(res.Coefs) != 3 || res.PreTrend.DF1 != 0 {
		t.Errorf("window [-1, 1]: %d obs, %d coefs, %d leads tested; want 14, 3, 0",
			res.NObs, len(res.Coefs), res.PreTrend.DF1)
	}
	if !strings.Contains(strings.Join(res.Notes, "\n"), "2 observations of treated units outside") {
		t.Errorf("notes do not report the dropped rows: %q", res.Notes)
	}
}

// TestBinning checks that endpoint binning equals a fit on hand-built
// binned dummies: on mpdta with window [-2, 2], k <= -2 pooled into -2 and
// k >= 2 into 2.
func TestBinning(t *testing.T) {
	d := readMpdta(t)
	opt := mpdtaOptions()
	opt.Window, opt.Bin = [2]int{-2, 2}, true
	res, err := Estimate(d, opt)
	if err != nil {
		t.Fatal(err)
	}

	year, _ := d.Float("year")
	g, _ := d.Float("first.treat")
	cols := map[string][]float64{}
	names := []string{"b_m2", "b_0", "b_1", "b_2"}
	for _, n := range names {
		cols[n] = make([]float64, d.Len())
	}
	for i := range year {
		if g[i] == 0 {
			continue
		}
		k := int(year[i] - g[i])
		switch {
		case k <= -2:
			cols["b_m2"][i] = 1
		case k == 0:
			cols["b_0"][i] = 1
		case k == 1:
			cols["b_1"][i] = 1
		case k >= 2:
			cols["b_2"][i] = 1
		}
	}
	for _, n := range names {
		d.SetFloat(n, cols[n])
	}
	fit, err := fe.Fit(d, fe.Formula{Y: "lemp", X: names, FE: []string{"countyreal", "year"}},
		fe.Options{Cluster: []string{"countyreal"}})
	if err != nil {
		t.Fatal(err)
	}
	for i, k := range []int{-2, 0, 1, 2} {
		c, _ := res.At(k)
		if !close(c.Coef, fit.Coef[i], 1e-10) || !close(c.SE, fit.SE[i], 1e-10) {
			t.Errorf("k=%d: %v (%v), hand-built %v (%v)", k, c.Coef, c.SE, fit.Coef[i], fit.SE[i])
		}
	}
	if lo, _ := res.At(-2); !lo.Binned {
		t.Error("k=-2 not marked as binned")
	}
	if res.NObs != 2500 {
		t.Errorf("binning lost rows: %d of 2500", res.NObs)
	}
}

func TestErrors(t *testing.T) {
	d := readMpdta(t)
	opt := mpdtaOptions()
	opt.Window = [2]int{0, 3}
	if _, err := Estimate(d, opt); err == nil || !strings.Contains(err.Error(),
		"reference period -1") {
		t.Errorf("window without the reference: %v", err)
	}
	opt = mpdtaOptions()
	opt.FirstTreat = "nope"
	if _, err := Estimate(d, opt); err == nil || !strings.Contains(err.Error(), "nope") {
		t.Errorf("missing column: %v", err)
	}
	never := d.Rows([]int{0, 1, 2})
	never.SetFloat("first.treat", []float64{0, 0, 0})
	if _, err := Estimate(never, mpdtaOptions()); err == nil || !strings.Contains(err.Error(),
		"ever treated") {
		t.Errorf("no treated unit: %v", err)
	}
}

func close(got, want, rel float64) bool {
	return math.Abs(got-want) <= rel*math.Max(math.Abs(want), 1e-300)
}
