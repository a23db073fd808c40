package chart

import (
	"bytes"
	"math"
	"strings"
	"testing"
)

// The inputs below are made up to exercise each element of the staggered
// charts; the golden PNG files in testdata/ were drawn from them and
// checked by eye.

// dynamicSeries returns three estimators over k = -4..5: a ramp after the
// pilot, estimator i shifted by 0.002*i, intervals widening with |k|, and
// the reference period -1.
func dynamicSeries() []DynamicSeries {
	names := []string{"TWFE event study", "Callaway-Sant'Anna", "Sun-Abraham"}
	var out []DynamicSeries
	for i, n := range names {
		s := DynamicSeries{Label: n}
		for k := -4; k <= 5; k++ {
			if k == -1 {
				s.Points = append(s.Points, EventPoint{RelTime: k, Reference: true})
				continue
			}
			c := 0.002 * float64(i) * math.Cos(float64(k))
			if k >= 0 {
				c += 0.004 * float64(k+1)
			}
			h := 0.004 + 0.0008*math.Abs(float64(k))
			s.Points = append(s.Points, EventPoint{RelTime: k, Coef: c, Low: c - h, High: c + h})
		}
		out = append(out, s)
	}
	return out
}

func TestDynamicComparisonGolden(t *testing.T) {
	var truth []EventTruth
	for k := -4; k <= 5; k++ {
		v := 0.0
		if k >= 0 {
			v = 0.004 * float64(k+1)
		}
		truth = append(truth, EventTruth{RelTime: k, Effect: v})
	}
	p, err := DynamicComparison(dynamicSeries(), DynamicOptions{Truth: truth})
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "staggered_dynamic.png", p)
}

func TestDynamicComparisonErrors(t *testing.T) {
	if _, err := DynamicComparison(nil, DynamicOptions{}); err == nil {
		t.Error("no error for no series")
	}
	s := dynamicSeries()
	s[1].Points[2].Low = math.Inf(-1)
	if _, err := DynamicComparison(s, DynamicOptions{}); err == nil ||
		!strings.Contains(err.Error(), "Callaway-Sant'Anna") {
		t.Errorf("infinite bound: got %v, want an error naming the series", err)
	}
	s = dynamicSeries()
	s[0].Points = append(s[0].Points, EventPoint{RelTime: 3})
	if _, err := DynamicComparison(s, DynamicOptions{}); err == nil {
		t.Error("no error for a repeated period")
	}
	s = dynamicSeries()
	s[2].Points = nil
	if _, err := DynamicComparison(s, DynamicOptions{}); err == nil {
		t.Error("no error for an empty series")
	}
	truth := []EventTruth{{RelTime: 0, Effect: math.NaN()}}
	if _, err := DynamicComparison(dynamicSeries(), DynamicOptions{Truth: truth}); err == nil {
		t.Error("no error for a NaN true effect")
	}
}

// TestDynamicComparisonOffsets checks that the series are drawn side by
// side: changing the offset changes the figure, and the default is
// deterministic.
func TestDynamicComparisonOffsets(t *testing.T) {
	render := func(off float64) []byte {
		p, err := DynamicComparison(dynamicSeries(), DynamicOptions{Offset: off})
		if err != nil {
			t.Fatal(err)
		}
		b, err := PNG(p, Size{})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	a, b := render(0), render(0)
	if !bytes.Equal(a, b) {
		t.Error("two renderings of the same figure differ")
	}
	if bytes.Equal(a, render(0.05)) {
		t.Error("the offset does not change the figure")
	}
}

// baconPoints mimics a decomposition with three timing groups and
// never-treated units.
func baconPoints() []BaconPoint {
	return []BaconPoint{
		{"Treated vs Untreated", 0.34, 0.019, "2012 vs never"},
		{"Treated vs Untreated", 0.33, 0.020, "2013 vs never"},
		{"Treated vs Untreated", 0.23, 0.024, "2015 vs never"},
		{"Earlier vs Later Treated", 0.010, 0.003, "2012 vs 2013"},
		{"Earlier vs Later Treated", 0.021, 0.005, "2012 vs 2015"},
		{"Earlier vs Later Treated", 0.016, 0.001, "2013 vs 2015"},
		{"Later vs Earlier Treated", 0.015, -0.004, "2013 vs 2012"},
		{"Later vs Earlier Treated", 0.025, -0.008, "2015 vs 2012"},
		{"Later vs Earlier Treated", 0.011, 0.002, "2015 vs 2013"},
	}
}

func baconTWFE(pts []BaconPoint) float64 {
	var s, w float64
	for _, p := range pts {
		s += p.Weight * p.Estimate
		w += p.Weight
	}
	return s / w
}

func TestBaconScatterGolden(t *testing.T) {
	pts := baconPoints()
	p, err := BaconScatter(pts, baconTWFE(pts), BaconOptions{})
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "staggered_bacon.png", p)

	p, err = BaconScatter(pts, baconTWFE(pts), BaconOptions{PointLabels: true})
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "staggered_bacon_labels.png", p)
}

func TestBaconScatterErrors(t *testing.T) {
	if _, err := BaconScatter(nil, 0, BaconOptions{}); err == nil {
		t.Error("no error for no comparisons")
	}
	pts := baconPoints()
	pts[4].Weight = -0.1
	if _, err := BaconScatter(pts, 0.01, BaconOptions{}); err == nil ||
		!strings.Contains(err.Error(), "2012 vs 2015") {
		t.Errorf("negative weight: got %v, want an error naming the comparison", err)
	}
	pts = baconPoints()
	pts[0].Estimate = math.NaN()
	if _, err := BaconScatter(pts, 0.01, BaconOptions{}); err == nil {
		t.Error("no error for a NaN estimate")
	}
	if _, err := BaconScatter(baconPoints(), math.Inf(1), BaconOptions{}); err == nil {
		t.Error("no error for an infinite TWFE estimate")
	}
}

func TestStaggeredChineseLabels(t *testing.T) {
	if !CJKAvailable() {
		t.Skip("no CJK font installed")
	}
	st := Style{Lang: "zh"}
	if _, err := DynamicComparison(dynamicSeries(), DynamicOptions{Style: st}); err != nil {
		t.Error(err)
	}
	if _, err := BaconScatter(baconPoints(), 0.01, BaconOptions{Style: st}); err != nil {
		t.Error(err)
	}
}
