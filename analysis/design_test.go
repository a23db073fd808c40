package analysis

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strings"
	"testing"

	"example.org/smartcity/analysis/frame"
	"example.org/smartcity/analysis/twin"
)

// provinceFrame is a tiny panel (2010-2013) whose cities can be sorted by
// hand:
//
//	city  first pilot  province  baseline (2012)     2012 and 2013 batches
//	1     2012         10        pilot               pilot
//	2     2012         20        pilot               pilot
//	3     never        10        control             control
//	4     never        30        other province      control (city 5 is there)
//	5     2013         30        later batch         pilot
//	6     never        20        control             control
//	7     never        40        other province      other province
//	8     missing      10        control             control
//
// A missing first pilot year means never.
func provinceFrame() *frame.Frame {
	first := map[int]float64{1: 2012, 2: 2012, 5: 2013, 8: math.NaN()}
	prov := map[int]float64{1: 10, 2: 20, 3: 10, 4: 30, 5: 30, 6: 20, 7: 40, 8: 10}
	var code, year, ft, pc []float64
	for c := 1; c <= 8; c++ {
		for y := 2010; y <= 2013; y++ {
			code = append(code, float64(c))
			year = append(year, float64(y))
			ft = append(ft, first[c])
			pc = append(pc, prov[c])
		}
	}
	f := frame.New("provinces.csv")
	f.SetFloat("city_code", code)
	f.SetFloat("year", year)
	f.SetFloat("first_treat", ft)
	f.SetFloat("province_code", pc)
	return f
}

// citiesOf lists the cities of the kept rows, in order.
func citiesOf(t *testing.T, d *frame.Frame, rows []int) []string {
	t.Helper()
	unit, err := d.Text("city_code")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	var out []string
	for _, i := range rows {
		if !seen[unit[i]] {
			seen[unit[i]] = true
			out = append(out, unit[i])
		}
	}
	sort.Strings(out)
	return out
}

func TestSelectCitiesProvinces(t *testing.T) {
	d := provinceFrame()
	const later = "pilots of later batches"
	cases := []struct {
		name     string
		des      Design
		batches  []int
		reason   string
		cities   []string
		treated  int
		dropped  int // cities
		rows     int // rows dropped
		other    int // cities of other provinces
		because  string
		noteTail string
	}{
		{
			name: "every never-pilot city (default)", des: Design{}, batches: []int{2012},
			reason: later, cities: []string{"1", "2", "3", "4", "6", "7", "8"}, treated: 2,
			dropped: 1, rows: 4, because: later,
		},
		{
			name: "same province, baseline batch", des: Design{SameProvince: true},
			batches: []int{2012}, reason: later, cities: []string{"1", "2", "3", "6", "8"},
			treated: 2, dropped: 3, rows: 12, other: 2,
			because: later + " (1 cities, 4 rows); never-pilot cities in provinces (column " +
				`"province_code") without a pilot city of batch 2012 (2 cities, 8 rows)`,
		},
		{
			name: "same province, 2012 and 2013 batches", des: Design{SameProvince: true},
			batches: []int{2012, 2013}, reason: "other batches",
			cities: []string{"1", "2", "3", "4", "5", "6", "8"}, treated: 3, dropped: 1, rows: 4,
			other: 1, because: `never-pilot cities in provinces (column "province_code") ` +
				"without a pilot city of batches 2012, 2013",
		},
	}
	for _, c := range cases {
		s, err := selectCities(d, c.des.withDefaults(), c.batches, c.reason)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got := citiesOf(t, d, s.Rows); !reflect.DeepEqual(got, c.cities) {
			t.Errorf("%s: kept cities %v, want %v", c.name, got, c.cities)
		}
		want := Sample{Rows: s.Rows, Cities: len(c.cities), TreatedCities: c.treated,
			ControlCities: len(c.cities) - c.treated, DroppedRows: c.rows,
			DroppedCities: c.dropped, DroppedBecause: c.because, FirstYear: 2010, Last: 2013,
			OtherProvinceCities: c.other, OtherProvinceRows: 4 * c.other}
		if !reflect.DeepEqual(s, want) {
			t.Errorf("%s: sample\n%+v\nwant\n%+v", c.name, s, want)
		}
		if len(s.Rows) != 4*len(c.cities) {
			t.Errorf("%s: %d rows kept for %d cities", c.name, len(s.Rows), len(c.cities))
		}
	}

	// The account as printed.
	s, _ := selectCities(d, Design{SameProvince: true}.withDefaults(), []int{2012}, later)
	want := "sample: 5 cities (2 pilot, 3 never-pilot), years 2010-2013; 3 cities (12 rows) " +
		"left out: pilots of later batches (1 cities, 4 rows); never-pilot cities in " +
		`provinces (column "province_code") without a pilot city of batch 2012 (2 cities, 8 rows)`
	if got := s.Note(); got != want {
		t.Errorf("note\n%s\nwant\n%s", got, want)
	}
}

func TestSelectCitiesProvinceColumn(t *testing.T) {
	// A text province column under another name gives the same sample.
	d := provinceFrame()
	pc, _ := d.Text("province_code")
	names := make([]string, len(pc))
	for i, p := range pc {
		names[i] = "P" + p
	}
	d.SetText("prov", names)
	d.Drop("province_code")
	s, err := selectCities(d, Design{SameProvince: true, Province: "prov"}.withDefaults(),
		[]int{2012}, "later")
	if err != nil {
		t.Fatal(err)
	}
	if got := citiesOf(t, d, s.Rows); !reflect.DeepEqual(got, []string{"1", "2", "3", "6", "8"}) {
		t.Errorf("kept %v", got)
	}
	if !strings.Contains(s.DroppedBecause, `column "prov"`) {
		t.Errorf("reason does not name the column: %s", s.DroppedBecause)
	}
}

func TestSelectCitiesProvinceErrors(t *testing.T) {
	des := Design{SameProvince: true}.withDefaults()
	cellErr := func(name string, err error, line int, value, reason string) {
		t.Helper()
		var ce *frame.CellError
		if !errors.As(err, &ce) || ce.Line != line || ce.Column != "province_code" ||
			ce.Value != value || !strings.Contains(ce.Reason, reason) {
			t.Errorf("%s: got %v, want a cell error at line %d, value %q (%s)", name, err,
				line, value, reason)
		}
	}

	// A missing province of a kept city (city 3, 2011: row 9, line 11 of
	// a file with a header).
	d := provinceFrame()
	pc, _ := d.Float("province_code")
	pc[9] = math.NaN()
	_, err := selectCities(d, des, []int{2012}, "")
	cellErr("missing", err, 11, "", "city 3 has no province")

	// A city in two provinces (city 6 moves in 2013: row 23).
	d = provinceFrame()
	pc, _ = d.Float("province_code")
	pc[23] = 10
	_, err = selectCities(d, des, []int{2012}, "")
	cellErr("moving city", err, 25, "10", "in province 20 on line 24")

	// A city left out by batch needs no province.
	d = provinceFrame()
	pc, _ = d.Float("province_code")
	pc[17] = math.NaN() // city 5, a 2013 pilot
	if _, err := selectCities(d, des, []int{2012}, ""); err != nil {
		t.Errorf("province of a dropped city checked: %v", err)
	}

	// No never-pilot city shares a province with a pilot.
	d = provinceFrame()
	pc, _ = d.Float("province_code")
	for i := range pc {
		if i < 8 { // cities 1 and 2
			pc[i] = 99
		}
	}
	_, err = selectCities(d, des, []int{2012}, "")
	if err == nil || !strings.Contains(err.Error(), "no never-pilot city in the provinces") ||
		!strings.Contains(err.Error(), "5 never-pilot cities of other provinces") {
		t.Errorf("no control left: %v", err)
	}
}

// TestTwinSameProvinceControls checks on the committed twin that with
// same-province controls no control city lies outside the provinces of the
// 2012 pilots, that every never-pilot city inside them is kept, and that
// the account counts the cities left out (counted here from the frame).
func TestTwinSameProvinceControls(t *testing.T) {
	d, _ := twinFrame(t, twin.DefaultSeed)
	b, err := Baseline(d, Design{SameProvince: true})
	if err != nil {
		t.Fatal(err)
	}
	unit, _ := d.Text("city_code")
	prov, _ := d.Text("province_code")
	ft, _ := d.Float("first_treat")
	never := func(i int) bool { return ft[i] == 0 || math.IsNaN(ft[i]) }
	pilotProv := map[string]bool{}
	for i := range ft {
		if ft[i] == 2012 {
			pilotProv[prov[i]] = true
		}
	}
	inside, outside := map[string]bool{}, map[string]bool{}
	for i := range ft {
		if never(i) && pilotProv[prov[i]] {
			inside[unit[i]] = true
		} else if never(i) {
			outside[unit[i]] = true
		}
	}
	if len(outside) == 0 {
		t.Fatal("every never-pilot city of the twin is in a pilot province; the test checks nothing")
	}

	controls := map[string]bool{}
	for _, i := range b.Sample.Rows {
		if !never(i) {
			continue
		}
		controls[unit[i]] = true
		if !pilotProv[prov[i]] {
			t.Errorf("control city %s lies in province %s, which has no 2012 pilot", unit[i],
				prov[i])
		}
	}
	s := b.Sample
	if len(controls) != len(inside) || s.ControlCities != len(inside) {
		t.Errorf("%d control cities (account %d), want the %d never-pilot cities of pilot "+
			"provinces", len(controls), s.ControlCities, len(inside))
	}
	if s.OtherProvinceCities != len(outside) || !strings.Contains(s.Note(),
		fmt.Sprintf("(%d cities, %d rows)", len(outside), s.OtherProvinceRows)) {
		t.Errorf("account: %d other-province cities, want %d; note %s", s.OtherProvinceCities,
			len(outside), s.Note())
	}
	t.Logf("%s", s.Note())

	base, err := Baseline(d, Design{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := s.ControlCities+s.OtherProvinceCities, base.Sample.ControlCities; got != want {
		t.Errorf("%d + %d control cities, the default design has %d", s.ControlCities,
			s.OtherProvinceCities, want)
	}
	if base.Sample.OtherProvinceCities != 0 {
		t.Errorf("default design left out %d cities by province", base.Sample.OtherProvinceCities)
	}
}

// TestStaggeredSameProvince checks that the staggered estimators run on
// the sample the account describes when controls are restricted to the
// pilots' provinces (pilots of any batch). On the twin every never-pilot
// city shares a province with a pilot of some batch, so one is moved to a
// province of its own.
func TestStaggeredSameProvince(t *testing.T) {
	d, _ := twinFrame(t, twin.DefaultSeed)
	unit, _ := d.Text("city_code")
	ft, _ := d.Float("first_treat")
	pc, _ := d.Float("province_code")
	moved := append([]float64(nil), pc...)
	city := ""
	for i := range ft {
		if city == "" && (ft[i] == 0 || math.IsNaN(ft[i])) {
			city = unit[i]
		}
		if unit[i] == city {
			moved[i] = 999
		}
	}
	d.SetFloat("province_code", moved)

	r, err := Staggered(d, Design{SameProvince: true}, StaggeredOptions{})
	if err != nil {
		t.Fatal(err)
	}
	s := r.Sample
	if s.OtherProvinceCities != 1 || s.DroppedCities != 1 || s.DroppedRows != s.OtherProvinceRows ||
		len(s.Rows) != d.Len()-s.DroppedRows {
		t.Errorf("account: %s (%d rows kept of %d)", s.Note(), len(s.Rows), d.Len())
	}
	for _, e := range r.Estimators {
		if e.Name != NameCSNever && e.Name != NameCSNotYet && e.NObs != len(s.Rows) {
			t.Errorf("%s used %d city-years, the sample holds %d", e.Name, e.NObs, len(s.Rows))
		}
	}
}
