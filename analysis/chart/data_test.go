package chart

import (
	"math"
	"testing"
)

func TestMissingnessGolden(t *testing.T) {
	names := []string{"gdp_pc", "tertiary_share", "so2_pc", "pop"}
	p, err := Missingness(names, []float64{0.02, 0.035, 0, 0.01}, MissingOptions{})
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "data_missing.png", p)
	if _, err := Missingness(names, []float64{0.1}, MissingOptions{}); err == nil {
		t.Error("no error for names and shares of different lengths")
	}
	if _, err := Missingness(names[:1], []float64{1.5}, MissingOptions{}); err == nil {
		t.Error("no error for a share above 1")
	}
}

func TestHistogramGolden(t *testing.T) {
	// A fixed, hand-made sample: a triangle of values on [0.1, 0.5].
	var v []float64
	for i := 0; i <= 40; i++ {
		x := 0.1 + 0.01*float64(i)
		for k := 0; k < 20-int(math.Abs(float64(i-20))); k++ {
			v = append(v, x)
		}
	}
	v = append(v, math.NaN())
	p, err := Histogram(v, HistogramOptions{Bins: 20})
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "data_histogram.png", p)
	if _, err := Histogram([]float64{math.NaN()}, HistogramOptions{}); err == nil {
		t.Error("no error for a sample without finite values")
	}
}
