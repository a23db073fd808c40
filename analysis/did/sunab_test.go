package did

import (
	"math"
	"testing"
)

// Sun and Abraham (2021, section 4): with never-treated controls and a
// balanced panel the interacted regression's cohort x event-time cells are
// Callaway and Sant'Anna's ATT(g, g+e) with never-treated comparisons and a
// universal base period. Both computed here; equal to 1e-8.
func TestSunAbrahamEqualsCSUniversal(t *testing.T) {
	d := readMpdta(t)
	sa, err := SunAbraham(d, mpdtaSpec, SAOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cs, err := CallawaySantAnna(d, mpdtaSpec, Options{Base: "universal"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[[2]int]float64{}
	for _, c := range cs.Cells {
		if !c.Reference {
			want[[2]int{c.Group, c.Time - c.Group}] = c.ATT
		}
	}
	if len(sa.Cells) != len(want) {
		t.Fatalf("%d Sun-Abraham cells, %d Callaway-Sant'Anna cells", len(sa.Cells), len(want))
	}
	for _, c := range sa.Cells {
		w, ok := want[[2]int{c.Group, c.EventTime}]
		if !ok || math.Abs(c.Estimate-w) > 1e-8 {
			t.Errorf("cell (%d, e=%d): %.12g, Callaway-Sant'Anna %.12g", c.Group, c.EventTime,
				c.Estimate, w)
		}
	}
	// The event-time effects average the cells with cohort shares; with
	// equal-size panels those equal the CS dynamic aggregation's weights.
	dyn, err := cs.Aggregate("dynamic")
	if err != nil {
		t.Fatal(err)
	}
	csE := map[int]float64{}
	for _, e := range dyn.Effects {
		csE[e.Key] = e.Estimate
	}
	for _, e := range sa.Effects {
		if math.Abs(e.Estimate-csE[e.EventTime]) > 1e-8 {
			t.Errorf("e=%d: %.12g, CS dynamic %.12g", e.EventTime, e.Estimate, csE[e.EventTime])
		}
		var s float64
		for _, w := range e.Weights {
			s += w
		}
		if math.Abs(s-1) > 1e-12 || !(e.SE > 0) {
			t.Errorf("e=%d: weights sum to %v, SE %v", e.EventTime, s, e.SE)
		}
	}
}

// Without never-treated units the last-treated cohort is the control.
func TestSunAbrahamLastCohortControl(t *testing.T) {
	d := readMpdta(t)
	g, _ := d.Float("first.treat")
	treated := d.Filter(func(i int) bool { return g[i] != 0 })
	sa, err := SunAbraham(treated, mpdtaSpec, SAOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(sa.Groups) != 2 || sa.Groups[1] != 2006 {
		t.Errorf("groups %v, control %q", sa.Groups, sa.Control)
	}

	// The same regression as with the 2007 cohort recoded never treated
	// on the years before 2007, whose cells are CS's never-treated,
	// universal-base ATT(g,t) (1e-8).
	yr, _ := treated.Float("year")
	before := treated.Filter(func(i int) bool { return yr[i] < 2007 })
	bg, _ := before.Float("first.treat")
	recoded := make([]float64, len(bg))
	for i, v := range bg {
		if v != 2007 {
			recoded[i] = v
		}
	}
	before.SetFloat("first.treat", recoded)
	cs, err := CallawaySantAnna(before, mpdtaSpec, Options{Base: "universal"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[[2]int]float64{}
	for _, c := range cs.Cells {
		if !c.Reference {
			want[[2]int{c.Group, c.Time - c.Group}] = c.ATT
		}
	}
	if len(sa.Cells) != len(want) {
		t.Fatalf("%d Sun-Abraham cells, %d Callaway-Sant'Anna cells", len(sa.Cells), len(want))
	}
	for _, c := range sa.Cells {
		if w, ok := want[[2]int{c.Group, c.EventTime}]; !ok || math.Abs(c.Estimate-w) > 1e-8 {
			t.Errorf("cell (%d, e=%d): %.12g, Callaway-Sant'Anna %.12g", c.Group, c.EventTime,
				c.Estimate, w)
		}
	}
}

// Sun-Abraham treats a cohort first treated after the last period as
// never treated, as Callaway-Sant'Anna does: on mpdta cut to 2003-2005 the
// 2006 and 2007 cohorts are both controls, and the cells equal CS's with a
// universal base (1e-8).
func TestSunAbrahamCohortAfterSample(t *testing.T) {
	d := readMpdta(t)
	yr, _ := d.Float("year")
	cut := d.Filter(func(i int) bool { return yr[i] <= 2005 })
	sa, err := SunAbraham(cut, mpdtaSpec, SAOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cs, err := CallawaySantAnna(cut, mpdtaSpec, Options{Base: "universal"})
	if err != nil {
		t.Fatal(err)
	}
	if len(sa.Groups) != 1 || sa.Groups[0] != 2004 {
		t.Fatalf("Sun-Abraham cohorts %v, want [2004]", sa.Groups)
	}
	want := map[[2]int]float64{}
	for _, c := range cs.Cells {
		if !c.Reference {
			want[[2]int{c.Group, c.Time - c.Group}] = c.ATT
		}
	}
	if len(sa.Cells) != len(want) {
		t.Fatalf("%d Sun-Abraham cells, %d Callaway-Sant'Anna cells", len(sa.Cells), len(want))
	}
	for _, c := range sa.Cells {
		if w, ok := want[[2]int{c.Group, c.EventTime}]; !ok || math.Abs(c.Estimate-w) > 1e-8 {
			t.Errorf("cell (%d, e=%d): %.12g, Callaway-Sant'Anna %.12g", c.Group, c.EventTime,
				c.Estimate, w)
		}
	}
}
