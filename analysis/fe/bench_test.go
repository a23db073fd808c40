package fe

import (
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"

	"example.org/smartcity/analysis/frame"
)

// benchPanel builds the benchmark design in memory: units x periods rows
// with unit and year effects, a treatment dummy (half the units treated
// from the middle period on), two controls and noise; seed fixed. Rows
// are dropped at random with probability drop (0 gives a balanced panel).
func benchPanel(units, periods int, drop float64) *frame.Frame {
	rng := rand.New(rand.NewPCG(20120101, uint64(units)))
	n := units * periods
	cols := make([][]float64, 6)
	for k := range cols {
		cols[k] = make([]float64, 0, n)
	}
	ue := make([]float64, units)
	for u := range ue {
		ue[u] = rng.NormFloat64()
	}
	for u := 0; u < units; u++ {
		treated := u%2 == 0
		for t := 0; t < periods; t++ {
			if drop > 0 && rng.Float64() < drop {
				continue
			}
			d := 0.0
			if treated && t >= periods/2 {
				d = 1
			}
			x1 := rng.NormFloat64() + 0.3*ue[u]
			x2 := rng.NormFloat64()
			y := ue[u] + 0.05*float64(t) + 0.5*d + 0.3*x1 - 0.2*x2 + rng.NormFloat64()
			for k, v := range []float64{float64(u + 1), float64(2000 + t), y, d, x1, x2} {
				cols[k] = append(cols[k], v)
			}
		}
	}
	f := frame.New("bench")
	for k, name := range []string{"unit", "year", "y", "treat", "x1", "x2"} {
		f.SetFloat(name, cols[k])
	}
	return f
}

func benchmarkFit(b *testing.B, units, periods int, drop float64) {
	d := benchPanel(units, periods, drop)
	f, _ := ParseFormula("y ~ treat + x1 + x2 | unit + year")
	opt := Options{Cluster: []string{"unit"}}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r, err := Fit(d, f, opt)
		if err != nil {
			b.Fatal(err)
		}
		if i == 0 {
			b.ReportMetric(float64(r.Iterations), "iterations")
		}
	}
}

// The study's size (172 cities x 16 years), then 200k and 2M rows of
// 20 periods; set FE_BENCH_LARGE=1 for 10M rows.
func BenchmarkFitBalanced(b *testing.B) {
	sizes := []struct{ units, periods int }{{172, 16}, {10000, 20}, {100000, 20}}
	if os.Getenv("FE_BENCH_LARGE") != "" {
		sizes = append(sizes, struct{ units, periods int }{500000, 20})
	}
	for _, s := range sizes {
		b.Run(fmt.Sprintf("N=%d", s.units*s.periods), func(b *testing.B) {
			benchmarkFit(b, s.units, s.periods, 0)
		})
	}
}

// Unbalanced panels (10% of rows missing) take the iterative solver.
func BenchmarkFitUnbalanced(b *testing.B) {
	for _, units := range []int{10000, 100000} {
		b.Run(fmt.Sprintf("N=%d", units*20*9/10), func(b *testing.B) {
			benchmarkFit(b, units, 20, 0.1)
		})
	}
}

// BenchmarkReadCSV reads the 2M-row panel written with 15 significant
// digits, as R's write.csv and data.table's fwrite write numbers.
func BenchmarkReadCSV(b *testing.B) {
	d := benchPanel(100000, 20, 0)
	path := b.TempDir() + "/panel.csv"
	err := frame.WriteFileAtomic(path, func(w io.Writer) error {
		names := d.Names()
		fmt.Fprintln(w, strings.Join(names, ","))
		cols := make([][]float64, len(names))
		for k, n := range names {
			cols[k], _ = d.Float(n)
		}
		buf := make([]byte, 0, 128)
		for i := 0; i < d.Len(); i++ {
			buf = buf[:0]
			for k := range cols {
				if k > 0 {
					buf = append(buf, ',')
				}
				buf = strconv.AppendFloat(buf, cols[k][i], 'g', 15, 64)
			}
			buf = append(buf, '\n')
			if _, err := w.Write(buf); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	st, _ := os.Stat(path)
	b.SetBytes(st.Size())
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := frame.ReadCSV(path); err != nil {
			b.Fatal(err)
		}
	}
}
