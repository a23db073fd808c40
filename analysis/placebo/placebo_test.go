package placebo

import (
	"math"
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"example.org/smartcity/analysis/fe"
	"example.org/smartcity/analysis/frame"
)

// twoPeriods builds units with y = 0 in period 1 and y = change[u] in
// period 2; treated units get d = 1 in period 2.
func twoPeriods(change []float64, treated []bool) *frame.Frame {
	d := frame.New("test")
	var unit []string
	var year, y, dd []float64
	for u, c := range change {
		for t := 1; t <= 2; t++ {
			unit = append(unit, string(rune('A'+u)))
			year = append(year, float64(t))
			if t == 1 {
				y, dd = append(y, 0), append(dd, 0)
				continue
			}
			y = append(y, c)
			if treated[u] {
				dd = append(dd, 1)
			} else {
				dd = append(dd, 0)
			}
		}
	}
	d.SetText("unit", unit)
	d.SetFloat("year", year)
	d.SetFloat("y", y)
	d.SetFloat("d", dd)
	return d
}

func mustFormula(t *testing.T, s string) fe.Formula {
	t.Helper()
	f, err := fe.ParseFormula(s)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func close(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

// Four units, two periods, unit and period effects: the DID coefficient is
// the treated unit's change minus the mean change of the others. With
// changes (4, 0, 1, -1) and unit A treated, the four assignments give
// 4 - 0 = 4, 0 - 4/3, 1 - 1 = 0 and -1 - 5/3 = -8/3; only the real one
// reaches |4|, so the exact p-value is 1/4.
func TestPermutationByHandOneTreated(t *testing.T) {
	d := twoPeriods([]float64{4, 0, 1, -1}, []bool{true, false, false, false})
	r, err := Permutation(d, mustFormula(t, "y ~ d | unit + year"), "d", "unit", "year",
		Options{Exact: true})
	if err != nil {
		t.Fatal(err)
	}
	if !close(r.Observed, 4) {
		t.Errorf("observed %v, want 4", r.Observed)
	}
	want := []float64{4, -4.0 / 3, 0, -8.0 / 3}
	if len(r.Draws) != 4 {
		t.Fatalf("draws %v, want %v", r.Draws, want)
	}
	for i := range want {
		if !close(r.Draws[i], want[i]) {
			t.Errorf("draw %d = %v, want %v", i, r.Draws[i], want[i])
		}
	}
	if r.PValue != 0.25 || r.NExtreme != 1 || r.PUpper != 0.25 || r.PLower != 1 {
		t.Errorf("p %v (extreme %d), upper %v, lower %v; want 1/4, 1, 1/4, 1",
			r.PValue, r.NExtreme, r.PUpper, r.PLower)
	}
}

// Two treated of four, changes (4, 2, 0, -2), A and B treated: the six
// assignments give mean(treated) - mean(controls) = 4, 2, 0, 0, -2, -4;
// |b| >= 4 twice, so p = 2/6.
func TestPermutationByHandTwoTreated(t *testing.T) {
	d := twoPeriods([]float64{4, 2, 0, -2}, []bool{true, true, false, false})
	r, err := Permutation(d, mustFormula(t, "y ~ d | unit + year"), "d", "unit", "year",
		Options{Exact: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Draws) != 6 || !close(r.Observed, 4) {
		t.Fatalf("observed %v, draws %v", r.Observed, r.Draws)
	}
	if r.NExtreme != 2 || !close(r.PValue, 1.0/3) {
		t.Errorf("p %v with %d extreme, want 1/3 with 2", r.PValue, r.NExtreme)
	}
}

// panel simulates a staggered panel with a control x and a true effect of 1,
// seeded.
func panel(seed uint64, units, periods int) *frame.Frame {
	rng := rand.New(rand.NewPCG(seed, 1))
	d := frame.New("sim")
	var unit []string
	var year, y, x, dd, grp, w []float64
	for u := 0; u < units; u++ {
		start := math.Inf(1)
		switch u % 4 {
		case 0:
			start = 4
		case 1:
			start = 6
		}
		ai := rng.NormFloat64()
		g := float64(u % 2)
		for t := 1; t <= periods; t++ {
			xi := rng.NormFloat64() + 0.3*ai
			di := 0.0
			if float64(t) >= start {
				di = 1
			}
			unit = append(unit, "u"+strconv.Itoa(u))
			year = append(year, float64(t))
			x = append(x, xi)
			dd = append(dd, di)
			grp = append(grp, g)
			w = append(w, 0.5+rng.Float64())
			y = append(y, ai+0.1*float64(t)+0.8*xi+1.0*di+rng.NormFloat64())
		}
	}
	d.SetText("unit", unit)
	d.SetFloat("year", year)
	d.SetFloat("y", y)
	d.SetFloat("x", x)
	d.SetFloat("d", dd)
	d.SetFloat("g", grp)
	d.SetFloat("w", w)
	return d
}

// The fast re-estimation (demeaned outcome and controls reused, one
// demeaning of the permuted column) must give fe.Fit's coefficient for a
// permuted column, with and without weights, to 1e-8.
func TestSolverMatchesFit(t *testing.T) {
	d := panel(3, 24, 8)
	f := mustFormula(t, "y ~ d + x | unit + year")
	for _, opt := range []fe.Options{{}, {Weights: "w"}} {
		r0, err := fe.Fit(d, f, opt)
		if err != nil {
			t.Fatal(err)
		}
		s, err := newSample(d, f, "d", "unit", "year", opt, r0)
		if err != nil {
			t.Fatal(err)
		}
		sv, err := newSolver(s.groups, s.w, s.y, s.x, opt)
		if err != nil {
			t.Fatal(err)
		}
		p, err := newPaths(s)
		if err != nil {
			t.Fatal(err)
		}
		assign := append([]int(nil), p.types...)
		rand.New(rand.NewPCG(9, 9)).Shuffle(len(assign), func(i, j int) {
			assign[i], assign[j] = assign[j], assign[i]
		})
		col := make([]float64, len(s.rows))
		p.column(col, assign)
		got, err := sv.coef(col)
		if err != nil {
			t.Fatal(err)
		}
		perm := d.Rows(s.rows)
		perm.SetFloat("d", col)
		r, err := fe.Fit(perm, f, opt)
		if err != nil {
			t.Fatal(err)
		}
		if want := r.Coef[r.Index("d")]; math.Abs(got-want) > 1e-8*math.Max(1, math.Abs(want)) {
			t.Errorf("weights %q: solver %.12g, fe.Fit %.12g", opt.Weights, got, want)
		}
	}
}

func TestPermutationSeeded(t *testing.T) {
	d := panel(5, 40, 8)
	f := mustFormula(t, "y ~ d + x | unit + year")
	opt := Options{Draws: 200, Seed: 42}
	a, err := Permutation(d, f, "d", "unit", "year", opt)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Permutation(d, f, "d", "unit", "year", opt)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a.Draws, b.Draws) || len(a.Draws) != 200 {
		t.Fatal("same seed, different draws (or not 200 draws)")
	}
	ext := 0
	for _, v := range a.Draws {
		if math.Abs(v) >= math.Abs(a.Observed) {
			ext++
		}
	}
	if want := float64(1+ext) / 201; a.PValue != want {
		t.Errorf("p %v, want (1+%d)/201", a.PValue, ext)
	}
	// A true effect of 1 with 40 units: the real assignment is extreme.
	if a.PValue > 0.05 {
		t.Errorf("p %v for a true effect of 1, want < 0.05", a.PValue)
	}
	if a.Mode != "treatment start period of each unit" {
		t.Errorf("mode %q", a.Mode)
	}
}

// Subgroups {A,B} (label 1) and {C,D} (label 0), A and C treated, changes
// (5, 1, 2, 0): within a group of two units the coefficient is the treated
// change minus the control change, so b1 = 4, b0 = 2, observed 2. Of the
// six label arrangements two put both treated units in one group (no
// control there: not identified); the other four give -2, -4, 4, 2 (see
// below). All four have |d| >= 2, so p = 1; two have d >= 2, so the upper
// one-sided p is 1/2.
func TestSubgroupDifferenceByHand(t *testing.T) {
	d := twoPeriods([]float64{5, 1, 2, 0}, []bool{true, false, true, false})
	d.SetFloat("g", []float64{1, 1, 1, 1, 0, 0, 0, 0})
	r, err := SubgroupDifference(d, mustFormula(t, "y ~ d | unit + year"), "d", "unit", "year", "g",
		Options{Exact: true})
	if err != nil {
		t.Fatal(err)
	}
	if !close(r.Coef1, 4) || !close(r.Coef0, 2) || !close(r.Observed, 2) {
		t.Errorf("b1 %v, b0 %v, diff %v; want 4, 2, 2", r.Coef1, r.Coef0, r.Observed)
	}
	// Labels of (A,B,C,D) in lexicographic order: 0011: b1 = C-D = 2,
	// b0 = A-B = 4, d = -2; 0101: B,D without a treated unit, fails;
	// 0110: b1 = C-B = 1, b0 = A-D = 5, d = -4; 1001: b1 = A-D = 5,
	// b0 = C-B = 1, d = 4; 1010: fails; 1100: the real labels, d = 2.
	want := []float64{-2, -4, 4, 2}
	if r.NFailed != 2 || len(r.Draws) != 4 {
		t.Fatalf("draws %v, failed %d; want %v and 2", r.Draws, r.NFailed, want)
	}
	for i := range want {
		if !close(r.Draws[i], want[i]) {
			t.Errorf("draw %d = %v, want %v", i, r.Draws[i], want[i])
		}
	}
	if r.PValue != 1 || r.PUpper != 0.5 {
		t.Errorf("p %v, upper %v; want 1, 1/2", r.PValue, r.PUpper)
	}

	// The observed subgroup coefficients agree with fe.Fit on each half.
	sim := panel(7, 40, 8)
	f := mustFormula(t, "y ~ d + x | unit + year")
	dr, err := SubgroupDifference(sim, f, "d", "unit", "year", "g", Options{Draws: 50, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	gv, _ := sim.Float("g")
	for _, g := range []float64{0, 1} {
		half := sim.Filter(func(i int) bool { return gv[i] == g })
		r, err := fe.Fit(half, f, fe.Options{})
		if err != nil {
			t.Fatal(err)
		}
		want, got := r.Coef[r.Index("d")], dr.Coef0
		if g == 1 {
			got = dr.Coef1
		}
		if math.Abs(got-want) > 1e-8 {
			t.Errorf("group %v: %.12g, fe.Fit %.12g", g, got, want)
		}
	}
}

// Two units, periods 1-4, pilot in 4: on periods 1-3 with the fake pilot
// in 3, the coefficient is the gap y_A - y_B after (5) minus its mean
// before ((1+2)/2): 3.5. Period 4 (100) must not enter.
func TestFakePilotYearByHand(t *testing.T) {
	d := frame.New("test")
	d.SetText("unit", []string{"A", "A", "A", "A", "B", "B", "B", "B"})
	d.SetFloat("year", []float64{1, 2, 3, 4, 1, 2, 3, 4})
	d.SetFloat("y", []float64{1, 2, 6, 100, 0, 0, 1, 0})
	d.SetFloat("treat", []float64{1, 1, 1, 1, 0, 0, 0, 0})
	d.SetFloat("did", []float64{0, 0, 0, 1, 0, 0, 0, 0})
	res, err := FakePilotYears(d, mustFormula(t, "y ~ did | unit + year"), "did", "treat", "year",
		4, []float64{3}, fe.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 || !close(res[0].Coef, 3.5) || res[0].NObs != 6 {
		t.Errorf("fake 3: %+v, want coef 3.5 on 6 rows", res)
	}
	if _, err := FakePilotYears(d, mustFormula(t, "y ~ did | unit + year"), "did", "treat", "year",
		4, []float64{4}, fe.Options{}); err == nil {
		t.Error("fake year equal to the pilot: want an error")
	}
}

// A fixed effect built on the permuted column would change with every
// draw; the demeaned columns could not be reused, so it is refused (and
// likewise the subgroup column in the subgroup test).
func TestPermutationRefusesAssignmentDependentFE(t *testing.T) {
	d := twoPeriods([]float64{4, 0, 1, -1, 2, 3}, []bool{true, true, false, false, true, false})
	g := []float64{1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 0, 0}
	d.SetFloat("g", g)
	const want = "must not depend on the assignment"
	_, err := Permutation(d, mustFormula(t, "y ~ d | unit + d^year"), "d", "unit", "year",
		Options{Draws: 5})
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("fixed effect d^year: error %v", err)
	}
	_, err = SubgroupDifference(d, mustFormula(t, "y ~ d | unit + g^year"), "d", "unit",
		"year", "g", Options{Draws: 5})
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("fixed effect g^year in the subgroup test: error %v", err)
	}
}

// The fake-pilot treatment is group x 1[year >= fake]: a group column that
// is not 0/1 (a first-treatment year) is refused, naming the line.
func TestFakePilotYearGroupNotBinary(t *testing.T) {
	d := frame.New("test")
	d.SetText("unit", []string{"A", "A", "A", "A", "B", "B", "B", "B"})
	d.SetFloat("year", []float64{1, 2, 3, 4, 1, 2, 3, 4})
	d.SetFloat("y", []float64{1, 2, 6, 100, 0, 0, 1, 0})
	d.SetFloat("first", []float64{4, 4, 4, 4, 0, 0, 0, 0})
	d.SetFloat("did", []float64{0, 0, 0, 1, 0, 0, 0, 0})
	_, err := FakePilotYears(d, mustFormula(t, "y ~ did | unit + year"), "did", "first", "year",
		4, []float64{3}, fe.Options{})
	if err == nil || !strings.Contains(err.Error(), "0 or 1") {
		t.Errorf("error %v, want one saying the group must be 0 or 1", err)
	}
}
