package psm

import (
	"math"
	"strings"
	"testing"

	"example.org/smartcity/analysis/frame"
)

// lalondePanel stacks lalonde twice, as years 2000 and 2001; in 2001 re74
// is rescaled and shifted, so that each year is matched on different
// covariates.
func lalondePanel(t *testing.T) *frame.Frame {
	t.Helper()
	d := readLalonde(t)
	n := d.Len()
	rows := make([]int, 0, 2*n)
	for k := 0; k < 2; k++ {
		for i := 0; i < n; i++ {
			rows = append(rows, i)
		}
	}
	p := d.Rows(rows)
	year := make([]float64, 2*n)
	re74, _ := p.Float("re74")
	re74 = append([]float64(nil), re74...)
	for i := range year {
		year[i] = 2000
		if i >= n {
			year[i] = 2001
			re74[i] = re74[i]*1.5 + float64(i%7)*100
		}
	}
	p.SetFloat("year", year)
	p.SetFloat("re74", re74)
	return p
}

func TestMatchBaselineCarriesWeights(t *testing.T) {
	p := lalondePanel(t)
	spec := Spec{Treat: "treat", Covariates: lalondeSpec.Covariates}
	r, err := MatchBaseline(p, spec, "id", "year", 0, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Years[0] != 2000 || r.NUnits != 614 || r.NMatchedUnits != 370 {
		t.Errorf("years %v, units %d, matched %d; want 2000, 614, 370", r.Years, r.NUnits, r.NMatchedUnits)
	}
	// The base-year matching is the cross-sectional one, and 2001 rows
	// carry the weights of 2000.
	cross, err := Match(readLalonde(t), spec, Options{})
	if err != nil {
		t.Fatal(err)
	}
	n := 614
	for i := 0; i < n; i++ {
		if r.Weights[i] != cross.Weights[i] || r.Weights[i+n] != cross.Weights[i] {
			t.Fatalf("unit row %d: weights %v, %v; want %v", i, r.Weights[i], r.Weights[i+n],
				cross.Weights[i])
		}
	}

	// A treatment that changes within a unit is refused, naming the unit.
	tr, _ := p.Float("treat")
	tr = append([]float64(nil), tr...)
	tr[n] = 1 - tr[n]
	p.SetFloat("treat", tr)
	if _, err := MatchBaseline(p, spec, "id", "year", 0, Options{}); err == nil {
		t.Error("treatment changing within a unit: want an error")
	} else if !strings.Contains(err.Error(), `unit "NSW1"`) {
		t.Errorf("error %q should name unit NSW1", err)
	}
}

func TestMatchByYear(t *testing.T) {
	p := lalondePanel(t)
	spec := Spec{Treat: "treat", Covariates: lalondeSpec.Covariates, Outcome: "re78"}
	r, err := MatchByYear(p, spec, "id", "year", Options{Match: MatchOptions{Ratio: 2}})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.ByYear) != 2 || r.Years[1] != 2001 {
		t.Fatalf("years %v", r.Years)
	}
	yv, _ := p.Float("year")
	for k, y := range r.Years {
		one := p.Filter(func(i int) bool { return yv[i] == y })
		want, err := Match(one, spec, Options{Match: MatchOptions{Ratio: 2}})
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(r.ByYear[k].ATT.Estimate-want.ATT.Estimate) > 1e-9 {
			t.Errorf("year %v: ATT %v, want %v", y, r.ByYear[k].ATT.Estimate, want.ATT.Estimate)
		}
		for j, i := range r.ByYear[k].Rows {
			if r.Weights[i] != want.Weights[j] {
				t.Fatalf("year %v row %d: weight %v, want %v", y, i, r.Weights[i], want.Weights[j])
			}
		}
	}
}
