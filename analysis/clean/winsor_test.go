package clean

import (
	"math"
	"sort"
	"testing"

	"example.org/smartcity/analysis/frame"
)

func column(t *testing.T, path, name string) []float64 {
	t.Helper()
	f, err := frame.ReadCSV(path)
	if err != nil {
		t.Fatal(err)
	}
	x, err := f.Float(name)
	if err != nil {
		t.Fatal(err)
	}
	return append([]float64(nil), x...)
}

// Expected values: REFERENCE.md of the peer data, "Winsorization at the 1st
// and 99th percentiles, whole sample" (R 4.2.2 quantile types 2 and 7,
// cross-checked with numpy). Tolerance 1e-10 on bounds and means; counts exact.
func TestWinsorizeReference(t *testing.T) {
	cases := []struct {
		file, v     string
		typ         int
		lo, hi      float64
		nLow, nHigh int
		meanAfter   float64
	}{
		{"testdata/mpdta.csv", "lemp", 2, 2.24990483517, 9.37613676197, 25, 25, 5.77172434483},
		{"testdata/mpdta.csv", "lemp", 7, 2.30153148784, 9.36567550391, 25, 25, 5.77213599878},
		{"testdata/produc.csv", "unemp", 2, 3, 13, 3, 7, 6.58566176471},
		{"testdata/produc.csv", "unemp", 7, 3.015, 13, 9, 7, 6.58582720588},
	}
	for _, c := range cases {
		x := column(t, c.file, c.v)
		b := Winsorize(x, nil, WinsorOptions{Type: c.typ})
		if len(b) != 1 {
			t.Fatalf("%s type %d: %d bounds, want 1 pooled", c.v, c.typ, len(b))
		}
		got := b[0]
		if math.Abs(got.Low-c.lo) > 1e-10 || math.Abs(got.High-c.hi) > 1e-10 {
			t.Errorf("%s type %d: bounds %.11f %.11f, want %.11f %.11f", c.v, c.typ, got.Low, got.High, c.lo, c.hi)
		}
		if got.ClippedLow != c.nLow || got.ClippedHigh != c.nHigh {
			t.Errorf("%s type %d: clipped %d low %d high, want %d %d", c.v, c.typ,
				got.ClippedLow, got.ClippedHigh, c.nLow, c.nHigh)
		}
		var m float64
		for _, v := range x {
			m += v
		}
		m /= float64(len(x))
		if math.Abs(m-c.meanAfter) > 1e-10 {
			t.Errorf("%s type %d: mean after %.11f, want %.11f", c.v, c.typ, m, c.meanAfter)
		}
	}
}

func TestWinsorizeDefaultIsType2(t *testing.T) {
	x := column(t, "testdata/produc.csv", "unemp")
	y := append([]float64(nil), x...)
	a := Winsorize(x, nil, WinsorOptions{})
	b := Winsorize(y, nil, WinsorOptions{Lower: 0.01, Upper: 0.99, Type: 2})
	if a[0] != b[0] {
		t.Errorf("zero options %+v differ from explicit 1/99 type 2 %+v", a[0], b[0])
	}
}

func TestWinsorizeByGroup(t *testing.T) {
	nan := math.NaN()
	// Two groups of five; 20/80 percentiles type 7: group 1 bounds 1.8 and
	// 4.2 (h = 0.8 and 3.2 by hand), group 2 the same shifted by 10.
	x := []float64{1, 2, 3, 4, 5, 11, 12, 13, 14, 15, nan}
	g := []int{1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2}
	b := Winsorize(x, g, WinsorOptions{Lower: 0.2, Upper: 0.8, Type: 7, ByGroup: true})
	want := []Bounds{{1, 5, 1.8, 4.2, 1, 1}, {2, 5, 11.8, 14.2, 1, 1}}
	for k := range want {
		if math.Abs(b[k].Low-want[k].Low) > 1e-12 || math.Abs(b[k].High-want[k].High) > 1e-12 ||
			b[k].ClippedLow != 1 || b[k].ClippedHigh != 1 || b[k].N != 5 {
			t.Errorf("group %d: %+v, want %+v", k+1, b[k], want[k])
		}
	}
	if x[0] != 1.8 || x[9] != 14.2 || !math.IsNaN(x[10]) {
		t.Errorf("clipped values %v", x)
	}
}

func TestQuantileType2AveragesAtJumps(t *testing.T) {
	x := []float64{1, 2, 3, 4}
	sort.Float64s(x)
	// n p = 2 exactly: average of the 2nd and 3rd order statistics.
	if q := Quantile(x, 0.5, 2); q != 2.5 {
		t.Errorf("median type 2 = %v, want 2.5", q)
	}
	// n p = 1.2: the 2nd order statistic.
	if q := Quantile(x, 0.3, 2); q != 2 {
		t.Errorf("30%% type 2 = %v, want 2", q)
	}
	if q := Quantile(x, 0.3, 7); math.Abs(q-1.9) > 1e-15 {
		t.Errorf("30%% type 7 = %v, want 1.9", q)
	}
}
