package did

import (
	"math"
	"strconv"
	"testing"

	"example.org/smartcity/analysis/frame"
)

func readMpdta(t testing.TB) *frame.Frame {
	t.Helper()
	d, err := frame.ReadCSV("testdata/mpdta.csv")
	if err != nil {
		t.Fatal(err)
	}
	return d
}

var mpdtaSpec = Spec{Y: "lemp", Unit: "countyreal", Time: "year", Group: "first.treat"}

// Tolerances of the reference comparisons: point estimates 1e-8 absolute
// (the values are of order 0.01-0.1), analytic standard errors 1e-6.
const (
	tolPoint = 1e-8
	tolSE    = 1e-6
)

// Source of every number below: testdata/peers/REFERENCE.md (repository root),
// section "Callaway and Sant'Anna, mpdta: lemp, never-treated controls,
// varying base period, no covariates" (R 4.2.2; the ATT(g,t) match the did
// package's README to all printed decimals; standard errors analytic, from
// the influence function).
var mpdtaATTgt = []struct {
	g, t    int
	att, se float64
}{
	{2004, 2004, -0.010503246221, 0.0232510363682},
	{2004, 2005, -0.0704231581031, 0.0309847667573},
	{2004, 2006, -0.137258738889, 0.0364356642877},
	{2004, 2007, -0.100811363085, 0.0343592258347},
	{2006, 2004, 0.00652011242423, 0.0233268051418},
	{2006, 2005, -0.00275081875052, 0.0195585610359},
	{2006, 2006, -0.00459460695286, 0.0177551966593},
	{2006, 2007, -0.0412244715462, 0.0202291807041},
	{2007, 2004, 0.0305066555833, 0.0150335602801},
	{2007, 2005, -0.00272589288612, 0.0163958328955},
	{2007, 2006, -0.0310871193897, 0.0178775113133},
	{2007, 2007, -0.0260544107192, 0.0166554353493},
}

func TestCallawaySantAnnaMpdta(t *testing.T) {
	res, err := CallawaySantAnna(readMpdta(t), mpdtaSpec, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Units != 500 || len(res.Cells) != len(mpdtaATTgt) {
		t.Fatalf("units %d cells %d, want 500 and %d", res.Units, len(res.Cells), len(mpdtaATTgt))
	}
	for k, want := range mpdtaATTgt {
		c := res.Cells[k]
		if c.Group != want.g || c.Time != want.t {
			t.Fatalf("cell %d is (%d,%d), want (%d,%d)", k, c.Group, c.Time, want.g, want.t)
		}
		if math.Abs(c.ATT-want.att) > tolPoint {
			t.Errorf("ATT(%d,%d) = %.12g, want %.12g", want.g, want.t, c.ATT, want.att)
		}
		if math.Abs(c.SE-want.se) > tolSE {
			t.Errorf("SE ATT(%d,%d) = %.12g, want %.12g", want.g, want.t, c.SE, want.se)
		}
	}
}

// Source: REFERENCE.md, same section, aggregation table (analytic SEs).
func TestAggregateMpdta(t *testing.T) {
	res, err := CallawaySantAnna(readMpdta(t), mpdtaSpec, Options{})
	if err != nil {
		t.Fatal(err)
	}
	check := func(name string, got Effect, est, se float64) {
		t.Helper()
		if math.Abs(got.Estimate-est) > tolPoint || math.Abs(got.SE-se) > tolSE {
			t.Errorf("%s: got %.12g (se %.12g), want %.12g (se %.12g)",
				name, got.Estimate, got.SE, est, se)
		}
	}
	simple, err := res.Aggregate("simple")
	if err != nil {
		t.Fatal(err)
	}
	check("simple", simple.Overall, -0.0399512751552, 0.0120340127702)

	dyn, err := res.Aggregate("dynamic")
	if err != nil {
		t.Fatal(err)
	}
	check("dynamic overall", dyn.Overall, -0.0772398214573, 0.0199649890618)
	wantDyn := []struct {
		e       int
		est, se float64
	}{
		{-3, 0.0305066555833, 0.0150335602801},
		{-2, -0.000563084626385, 0.0132916447365},
		{-1, -0.0244587449712, 0.0142364022105},
		{0, -0.0199318167893, 0.0118263640581},
		{1, -0.0509573670652, 0.0168934762687},
		{2, -0.137258738889, 0.0364356642877},
		{3, -0.100811363085, 0.0343592258347},
	}
	if len(dyn.Effects) != len(wantDyn) {
		t.Fatalf("%d event times, want %d", len(dyn.Effects), len(wantDyn))
	}
	for j, w := range wantDyn {
		if dyn.Effects[j].Key != w.e {
			t.Fatalf("event time %d, want %d", dyn.Effects[j].Key, w.e)
		}
		check("dynamic e="+strconv.Itoa(w.e), dyn.Effects[j], w.est, w.se)
	}

	grp, err := res.Aggregate("group")
	if err != nil {
		t.Fatal(err)
	}
	check("group overall", grp.Overall, -0.0310182822287, 0.012446059321)
	wantGrp := []struct {
		g       int
		est, se float64
	}{
		{2004, -0.0797491265747, 0.026367799435},
		{2006, -0.0229095392495, 0.0167033302552},
		{2007, -0.0260544107192, 0.0166554353493},
	}
	for j, w := range wantGrp {
		if grp.Effects[j].Key != w.g {
			t.Fatalf("group %d, want %d", grp.Effects[j].Key, w.g)
		}
		check("group "+strconv.Itoa(w.g), grp.Effects[j], w.est, w.se)
	}
}

// bruteCells computes every ATT(g,t) of the unconditional estimator from
// group means of the long data, following the did package's rules stated
// independently of the wide-panel code: base g-1-a for t >= g or for every
// t under a universal base (then t = g-1-a is the zero reference cell),
// t-1 before treatment under a varying base; comparison units never
// treated, plus under "notyet" the cohorts h != g with h > max(t, base)+a.
func bruteCells(t *testing.T, d *frame.Frame, control, base string, a int) map[[2]int]float64 {
	t.Helper()
	ids, _ := d.Float("countyreal")
	yr, _ := d.Float("year")
	gv, _ := d.Float("first.treat")
	y, _ := d.Float("lemp")
	type key struct{ unit, year int }
	val := map[key]float64{}
	grp := map[int]int{}
	for i := range y {
		val[key{int(ids[i]), int(yr[i])}] = y[i]
		grp[int(ids[i])] = int(gv[i])
	}
	periods := []int{2003, 2004, 2005, 2006, 2007}
	out := map[[2]int]float64{}
	for _, g := range []int{2004, 2006, 2007} {
		for k, tt := range periods {
			if base == "varying" && k == 0 {
				continue
			}
			b := g - 1 - a
			if base == "varying" && tt < g {
				b = periods[k-1]
			}
			if b == tt {
				out[[2]int{g, tt}] = 0
				continue
			}
			var s1, n1, s0, n0 float64
			for u, h := range grp {
				dy := val[key{u, tt}] - val[key{u, b}]
				switch {
				case h == g:
					s1 += dy
					n1++
				case h == 0 || (control == "notyet" && h > max(tt, b)+a):
					s0 += dy
					n0++
				}
			}
			out[[2]int{g, tt}] = s1/n1 - s0/n0
		}
	}
	return out
}

// The cells of every control-group and base-period combination equal the
// brute-force group-mean differences (1e-12), and so do their count.
func TestCallawaySantAnnaCellsBruteForce(t *testing.T) {
	d := readMpdta(t)
	for _, control := range []string{"never", "notyet"} {
		for _, base := range []string{"varying", "universal"} {
			res, err := CallawaySantAnna(d, mpdtaSpec, Options{Control: control, Base: base})
			if err != nil {
				t.Fatal(err)
			}
			want := bruteCells(t, d, control, base, 0)
			if len(res.Cells) != len(want) {
				t.Fatalf("%s/%s: %d cells, want %d", control, base, len(res.Cells), len(want))
			}
			for _, c := range res.Cells {
				w, ok := want[[2]int{c.Group, c.Time}]
				if !ok || math.Abs(c.ATT-w) > 1e-12 {
					t.Errorf("%s/%s ATT(%d,%d) = %.12g, brute force %.12g", control, base,
						c.Group, c.Time, c.ATT, w)
				}
				if c.Reference != (base == "universal" && c.Time == c.Group-1) {
					t.Errorf("%s/%s ATT(%d,%d): reference %v", control, base, c.Group, c.Time,
						c.Reference)
				}
			}
		}
	}
}
