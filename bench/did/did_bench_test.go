// Package didbench times the staggered-adoption estimators on the sizes the
// project's speed goals name. Run with
//
//	go test -run '^$' -bench . -benchtime 20x ./bench/did/
package didbench

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"example.org/smartcity/analysis/did"
	"example.org/smartcity/analysis/frame"
)

// simulate builds a balanced panel of n units over periods 1..T: a quarter
// never treated, the rest first treated in periods 2..T with equal
// probability, unit and period effects, a dynamic effect and noise.
func simulate(n, T int, seed uint64) *frame.Frame {
	rng := rand.New(rand.NewPCG(seed, 1))
	id := make([]float64, 0, n*T)
	per := make([]float64, 0, n*T)
	grp := make([]float64, 0, n*T)
	y := make([]float64, 0, n*T)
	for i := 0; i < n; i++ {
		g := 0
		if rng.Float64() >= 0.25 {
			g = 2 + rng.IntN(T-1)
		}
		a := rng.NormFloat64()
		for t := 1; t <= T; t++ {
			v := a + 0.1*float64(t) + rng.NormFloat64()
			if g > 0 && t >= g {
				v += 0.5 + 0.1*float64(t-g)
			}
			id = append(id, float64(i+1))
			per = append(per, float64(t))
			grp = append(grp, float64(g))
			y = append(y, v)
		}
	}
	f := frame.New("simulated")
	f.SetFloat("id", id)
	f.SetFloat("period", per)
	f.SetFloat("first_treat", grp)
	f.SetFloat("y", y)
	return f
}

var simSpec = did.Spec{Y: "y", Unit: "id", Time: "period", Group: "first_treat"}

func benchCS(b *testing.B, d *frame.Frame, s did.Spec, draws int) {
	b.Helper()
	opt := did.Options{Bootstrap: draws, Seed: 1}
	runtime.GC()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := did.CallawaySantAnna(d, s, opt); err != nil {
			b.Fatal(err)
		}
	}
}

func mpdta(b *testing.B) *frame.Frame {
	d, err := frame.ReadCSV(filepath.Join("..", "..", "analysis", "did", "testdata", "mpdta.csv"))
	if err != nil {
		b.Fatal(err)
	}
	return d
}

var mpdtaSpec = did.Spec{Y: "lemp", Unit: "countyreal", Time: "year", Group: "first.treat"}

// Goal: under 0.2 s.
func BenchmarkCSMpdtaBoot999(b *testing.B) { benchCS(b, mpdta(b), mpdtaSpec, 999) }

func BenchmarkCSMpdtaAnalytic(b *testing.B) { benchCS(b, mpdta(b), mpdtaSpec, 0) }

// Goal: under 0.5 s (the did package's published time for att_gt at this
// size, without a bootstrap).
func BenchmarkCS30kx12Boot999(b *testing.B) { benchCS(b, simulate(30000, 12, 1), simSpec, 999) }

func BenchmarkCS30kx12Analytic(b *testing.B) { benchCS(b, simulate(30000, 12, 1), simSpec, 0) }

// BenchmarkCS30kx12Aggregate adds the four aggregations, bootstrapped.
func BenchmarkCS30kx12Aggregate(b *testing.B) {
	d := simulate(30000, 12, 1)
	opt := did.Options{Bootstrap: 999, Seed: 1}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r, err := did.CallawaySantAnna(d, simSpec, opt)
		if err != nil {
			b.Fatal(err)
		}
		for _, typ := range []string{"simple", "dynamic", "group", "calendar"} {
			if _, err := r.Aggregate(typ); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// TestWriteSimulated writes the 30,000 x 12 panel for the peer timing in
// run.sh when DID_BENCH_WRITE names a file.
func TestWriteSimulated(t *testing.T) {
	path := os.Getenv("DID_BENCH_WRITE")
	if path == "" {
		t.Skip("set DID_BENCH_WRITE=file.csv to write the simulated panel")
	}
	if err := simulate(30000, 12, 1).WriteCSVFile(path); err != nil {
		t.Fatal(err)
	}
}
