package frame

import (
	"fmt"
	"math"
	"testing"
)

func TestFactorNumeric(t *testing.T) {
	// Integer columns take the counting path, others the hashing path; both
	// give sorted levels and -1 for missing cells.
	cases := []struct {
		v      []float64
		codes  string
		levels string
	}{
		{[]float64{2006, 2004, math.NaN(), 2006, 1e6}, "[1 0 -1 1 2]", "[2004 2006 1e+06]"},
		{[]float64{0.5, -1, 0.5}, "[1 0 1]", "[-1 0.5]"},
		{[]float64{3, 1e12, 3}, "[0 1 0]", "[3 1e+12]"},
		{[]float64{math.NaN()}, "[-1]", "[]"},
	}
	for _, c := range cases {
		f := New("t")
		f.SetFloat("x", c.v)
		codes, levels, err := f.Factor("x")
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(codes) != c.codes || fmt.Sprint(levels) != c.levels {
			t.Errorf("%v: codes %v levels %v, want %s %s", c.v, codes, levels, c.codes, c.levels)
		}
		codes2, n, err := f.FactorCodes("x")
		if err != nil || fmt.Sprint(codes2) != c.codes || n != len(levels) {
			t.Errorf("FactorCodes(%v) = %v, %d, %v", c.v, codes2, n, err)
		}
	}
}
