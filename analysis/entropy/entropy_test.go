package entropy

import (
	"errors"
	"math"
	"testing"

	"example.org/smartcity/analysis/frame"
)

// produc1986 returns the 48 states' 1986 values of the eight indicators.
func produc1986(t *testing.T) ([][]float64, []Indicator) {
	t.Helper()
	f, err := frame.ReadCSV("testdata/produc.csv")
	if err != nil {
		t.Fatal(err)
	}
	year, _ := f.Float("year")
	f = f.Filter(func(i int) bool { return year[i] == 1986 })
	names := []string{"pcap", "hwy", "water", "util", "pc", "gsp", "emp", "unemp"}
	var cols [][]float64
	var ind []Indicator
	for _, n := range names {
		x, err := f.Float(n)
		if err != nil {
			t.Fatal(err)
		}
		cols = append(cols, x)
		dir := 1
		if n == "unemp" {
			dir = -1
		}
		ind = append(ind, Indicator{Name: n, Dimension: "all", Direction: dir})
	}
	if len(cols[0]) != 48 {
		t.Fatalf("1986 has %d states, want 48", len(cols[0]))
	}
	return cols, ind
}

// Expected entropies and weights: REFERENCE.md of the peer data, "Entropy
// weights, produc, year 1986" (R 4.2.2, cross-checked with statsmodels
// 0.13.5 to 1e-12). Tolerance 1e-10 absolute.
func TestFitProduc1986(t *testing.T) {
	cols, ind := produc1986(t)
	cases := []struct {
		shift   float64
		entropy []float64
		weight  []float64
	}{
		{0, []float64{0.865942381528, 0.882409529354, 0.848900299409, 0.848102150908,
			0.87496707196, 0.847366911812, 0.861333939692, 0.978665829985},
			[]float64{0.135096253961, 0.118501523948, 0.152270372674, 0.153074704974,
				0.126001643118, 0.153815640467, 0.139740400528, 0.0214994603304}},
		{0.0001, []float64{0.866123691068, 0.882554021253, 0.849127382446, 0.848336458019,
			0.87513295278, 0.847621263789, 0.861544002205, 0.978680714155},
			[]float64{0.135108564666, 0.118527002581, 0.1522613147, 0.153059519138,
				0.126016377793, 0.153781296327, 0.139730406976, 0.0215155178176}},
	}
	for _, c := range cases {
		m, err := Fit(cols, ind, Options{Shift: c.shift})
		if err != nil {
			t.Fatal(err)
		}
		for j := range ind {
			if d := math.Abs(m.Entropy[j] - c.entropy[j]); d > 1e-10 {
				t.Errorf("shift %v, %s: entropy %.12f, want %.12f", c.shift, ind[j].Name, m.Entropy[j], c.entropy[j])
			}
			if d := math.Abs(m.Weight[j] - c.weight[j]); d > 1e-10 {
				t.Errorf("shift %v, %s: weight %.12f, want %.12f", c.shift, ind[j].Name, m.Weight[j], c.weight[j])
			}
		}
		if m.N != 48 || m.Dropped != 0 {
			t.Errorf("N = %d, Dropped = %d, want 48, 0", m.N, m.Dropped)
		}
	}
}

func TestScoreDecomposes(t *testing.T) {
	x := [][]float64{{1, 2, 3, 4}, {4, 3, 2, 2}, {0, 5, 1, 9}}
	ind := []Indicator{{"a", "d1", 1}, {"b", "d1", -1}, {"c", "d2", 1}}
	m, err := Fit(x, ind, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := m.Score(x)
	for i := range s.Index {
		// By construction: index = sum of sub-indices, within [0, 1].
		if d := s.Index[i] - s.Sub[0][i] - s.Sub[1][i]; math.Abs(d) > 1e-15 {
			t.Errorf("row %d: index - sum of sub-indices = %g", i, d)
		}
		if s.Index[i] < 0 || s.Index[i] > 1 {
			t.Errorf("row %d: index %v outside [0, 1]", i, s.Index[i])
		}
	}
	// Hand computation: row 0 of "a" scales to 0, of "b" (negative, max 4) to 0.
	if got := m.Scaled(1, 4); got != 0 {
		t.Errorf("scaled max of a negative indicator = %v, want 0", got)
	}
	if got := m.DimensionWeight("d1") + m.DimensionWeight("d2"); math.Abs(got-1) > 1e-15 {
		t.Errorf("weights sum to %v", got)
	}
}

func TestFitErrors(t *testing.T) {
	nan := math.NaN()
	ind := []Indicator{{"ok", "", 1}, {"flat", "", 1}}
	_, err := Fit([][]float64{{1, 2, 3}, {5, 5, 5}}, ind, Options{})
	var e *Error
	if !errors.As(err, &e) || e.Indicator != "flat" {
		t.Errorf("constant indicator: got %v, want an *Error naming \"flat\"", err)
	}
	_, err = Fit([][]float64{{1, 2, 3}, {nan, nan, nan}}, ind, Options{})
	if !errors.As(err, &e) || e.Indicator != "flat" {
		t.Errorf("indicator without data: got %v, want an *Error naming \"flat\"", err)
	}
	m, err := Fit([][]float64{{1, 2, 3, 4}, {2, nan, 1, 7}}, ind, Options{})
	if err != nil || m.N != 3 || m.Dropped != 1 {
		t.Errorf("row with a missing value: err %v, N %d, Dropped %d; want nil, 3, 1", err, m.N, m.Dropped)
	}
	if s := m.Score([][]float64{{1}, {nan}}); !math.IsNaN(s.Index[0]) {
		t.Errorf("score of a row with a missing indicator = %v, want NaN", s.Index[0])
	}
	if _, err := Fit([][]float64{{1, 2}, {1, 3}}, ind, Options{Shift: -1}); err == nil {
		t.Error("negative shift accepted")
	}
}
