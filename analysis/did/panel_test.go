package did

import (
	"strings"
	"testing"
)

// A unit missing a period is refused with an error naming it, unless the
// caller asks to drop incomplete units; then the result says so and the
// estimate equals the one on the panel without that unit.
func TestUnbalancedPanel(t *testing.T) {
	d := readMpdta(t)
	// Drop county 8001's row for 2005 (line 4 of the file).
	drop := d.Filter(func(i int) bool { return d.Line(i) != 4 })
	_, err := CallawaySantAnna(drop, mpdtaSpec, Options{})
	if err == nil || !strings.Contains(err.Error(), "unit 8001") ||
		!strings.Contains(err.Error(), "period 2005") {
		t.Fatalf("error %v, want one naming unit 8001 and period 2005", err)
	}
	got, err := CallawaySantAnna(drop, mpdtaSpec, Options{DropIncomplete: true})
	if err != nil {
		t.Fatal(err)
	}
	if got.Units != 499 || len(got.Notes) == 0 || !strings.Contains(got.Notes[0], "8001") {
		t.Errorf("units %d, notes %q", got.Units, got.Notes)
	}
	ids, _ := d.Float("countyreal")
	without := d.Filter(func(i int) bool { return ids[i] != 8001 })
	want, err := CallawaySantAnna(without, mpdtaSpec, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for k := range want.Cells {
		if got.Cells[k].ATT != want.Cells[k].ATT || got.Cells[k].SE != want.Cells[k].SE {
			t.Errorf("cell %d: %+v, want %+v", k, got.Cells[k], want.Cells[k])
		}
	}
}

func TestBadInput(t *testing.T) {
	d := readMpdta(t)
	g, _ := d.Float("first.treat")
	g2 := append([]float64(nil), g...)
	g2[1] = 2006 // county 8001 is 2007 on its other rows
	d.SetFloat("first.treat", g2)
	_, err := CallawaySantAnna(d, mpdtaSpec, Options{})
	if err == nil || !strings.Contains(err.Error(), "line 3") {
		t.Errorf("error %v, want one naming line 3", err)
	}
	d.SetFloat("first.treat", g)
	if _, err := CallawaySantAnna(d, mpdtaSpec, Options{Control: "sometimes"}); err == nil {
		t.Error("no error for an unknown control group")
	}
	never := d.Filter(func(i int) bool { return g[i] != 0 })
	if _, err := CallawaySantAnna(never, mpdtaSpec, Options{}); err == nil ||
		!strings.Contains(err.Error(), "never-treated") {
		t.Errorf("error %v, want one about the missing never-treated units", err)
	}
	// Not-yet-treated comparisons still work: the last cohort (2007) is
	// the comparison, periods from 2007 on are dropped.
	r, err := CallawaySantAnna(never, mpdtaSpec, Options{Control: "notyet"})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Groups) != 2 || r.Periods[len(r.Periods)-1] != 2006 {
		t.Errorf("groups %v periods %v", r.Groups, r.Periods)
	}
}

// With anticipation and no never-treated unit, the last cohort cannot serve
// as comparison in the periods in which it may already react: they are
// dropped (did: periods t < max(g) - anticipation are kept).
func TestNoNeverTreatedAnticipation(t *testing.T) {
	d := readMpdta(t)
	g, _ := d.Float("first.treat")
	never := d.Filter(func(i int) bool { return g[i] != 0 })
	r, err := CallawaySantAnna(never, mpdtaSpec, Options{Control: "notyet", Anticipation: 1})
	if err != nil {
		t.Fatal(err)
	}
	if last := r.Periods[len(r.Periods)-1]; last != 2005 {
		t.Errorf("last period kept %d, want 2005 (2007 less one period of anticipation)", last)
	}
}
