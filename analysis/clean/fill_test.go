package clean

import (
	"math"
	"testing"
)

func TestFillSeries(t *testing.T) {
	nan := math.NaN()
	years := []float64{2006, 2007, 2008, 2009, 2010, 2011}
	cases := []struct {
		name   string
		y      []float64
		lo, hi float64
		opt    FillOptions
		want   []float64
		fills  []Method
	}{
		{"inside", []float64{1, nan, nan, 4, 5, 6}, nan, nan, FillOptions{},
			[]float64{1, 2, 3, 4, 5, 6}, []Method{Interpolated, Interpolated}},
		// Ends: the line through the two nearest observations (3, 5 at 2008,
		// 2009: slope 2), as Stata's ipolate, epolate.
		{"ends", []float64{nan, nan, 3, 5, nan, nan}, nan, nan, FillOptions{},
			[]float64{-1, 1, 3, 5, 7, 9}, []Method{Extrapolated, Extrapolated, Extrapolated, Extrapolated}},
		{"bounded", []float64{nan, nan, 3, 5, nan, nan}, 0, 8, FillOptions{},
			[]float64{0, 1, 3, 5, 7, 8}, []Method{Extrapolated, Extrapolated, Extrapolated, Extrapolated}},
		{"no extrapolation", []float64{nan, 2, nan, 4, nan, nan}, nan, nan, FillOptions{NoExtrapolate: true},
			[]float64{nan, 2, 3, 4, nan, nan}, []Method{Interpolated}},
		{"single observation", []float64{nan, nan, 3, nan, nan, nan}, nan, nan, FillOptions{},
			[]float64{nan, nan, 3, nan, nan, nan}, nil},
	}
	for _, c := range cases {
		got := FillSeries(years, c.y, c.lo, c.hi, c.opt)
		for i := range c.want {
			if !(c.y[i] == c.want[i] || math.IsNaN(c.y[i]) && math.IsNaN(c.want[i])) {
				t.Errorf("%s: y = %v, want %v", c.name, c.y, c.want)
				break
			}
		}
		if len(got) != len(c.fills) {
			t.Errorf("%s: %d fills, want %d", c.name, len(got), len(c.fills))
			continue
		}
		for k, f := range got {
			if f.Method != c.fills[k] {
				t.Errorf("%s: fill %d method %v, want %v", c.name, k, f.Method, c.fills[k])
			}
		}
	}
	y := []float64{nan, nan, 3, 5, nan, nan}
	fs := FillSeries(years, y, 0, 8, FillOptions{})
	if !fs[0].Bounded || fs[1].Bounded || !fs[3].Bounded {
		t.Errorf("bounded flags %+v", fs)
	}
}
