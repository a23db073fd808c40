package did

import (
	"math"
	"testing"
)

// multiplierOf returns the multiplier of draw b for the unit at position r
// of cohort c.
func (bd *bootDraws) multiplierOf(b, c, r int) float64 {
	if bd.bits[b*bd.nb+bd.blockOff[c]+r/8]>>(r%8)&1 == 1 {
		return bd.hi
	}
	return bd.lo
}

// The table-driven sums must equal the plain sums sum_i v_bi inf_ik computed
// from the same multipliers (to rounding, 1e-9 relative to the scale).
func TestBootstrapSumsMatchDirect(t *testing.T) {
	for _, mult := range []string{"mammen", "rademacher"} {
		res, err := CallawaySantAnna(readMpdta(t), mpdtaSpec,
			Options{Bootstrap: 50, Seed: 3, Multiplier: mult, Control: "notyet"})
		if err != nil {
			t.Fatal(err)
		}
		bd, inf := res.boot, res.inf
		for b := 0; b < bd.b; b++ {
			want := make([]float64, bd.k)
			var tot float64
			for c := range inf.cells {
				for r := 0; r < inf.start[c+1]-inf.start[c]; r++ {
					v := bd.multiplierOf(b, c, r)
					tot += v
					for j, k := range inf.cells[c] {
						want[k] += v * inf.vals[c][j][r]
					}
				}
			}
			for k := range want {
				if math.Abs(bd.s[b*bd.k+k]-want[k]) > 1e-9*float64(inf.n) {
					t.Fatalf("%s draw %d cell %d: %.12g, direct %.12g", mult, b, k,
						bd.s[b*bd.k+k], want[k])
				}
			}
			if math.Abs(bd.v[b]-tot) > 1e-9*float64(inf.n) {
				t.Fatalf("%s draw %d: multiplier sum %.12g, direct %.12g", mult, b, bd.v[b], tot)
			}
		}
	}
}

// The multipliers have mean 0 and variance 1 (Mammen 1993), and with many
// draws the bootstrap standard errors approach the analytic ones.
func TestBootstrapSEApproachesAnalytic(t *testing.T) {
	for _, mult := range []string{"mammen", "rademacher"} {
		lo, hi, p := multiplier(mult)
		if m, v := (1-p)*lo+p*hi, (1-p)*lo*lo+p*hi*hi; math.Abs(m) > 1e-15 || math.Abs(v-1) > 1e-15 {
			t.Fatalf("%s: mean %g variance %g", mult, m, v)
		}
		res, err := CallawaySantAnna(readMpdta(t), mpdtaSpec,
			Options{Bootstrap: 4000, Seed: 11, Multiplier: mult})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range res.Cells {
			// The IQR-based standard error of 4000 draws is within about
			// 3% of the truth; 8% leaves room (this is a fixed draw).
			if r := c.SE / c.SEAnalytic; r < 0.92 || r > 1.08 {
				t.Errorf("%s ATT(%d,%d): bootstrap SE %.5f, analytic %.5f", mult, c.Group,
					c.Time, c.SE, c.SEAnalytic)
			}
		}
		// A uniform band over 12 cells is wider than a pointwise one and
		// narrower than Bonferroni's.
		if res.CritVal <= 1.96 || res.CritVal >= normalQuantile(1-0.025/12) {
			t.Errorf("%s: uniform critical value %.4f", mult, res.CritVal)
		}
	}
}

// The same seed gives the same draws; another seed others.
func TestBootstrapSeeded(t *testing.T) {
	run := func(seed uint64) float64 {
		res, err := CallawaySantAnna(readMpdta(t), mpdtaSpec, Options{Bootstrap: 99, Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		return res.CritVal + res.Cells[0].SE
	}
	if a, b := run(5), run(5); a != b {
		t.Errorf("seed 5 gave %v then %v", a, b)
	}
	if a, b := run(5), run(6); a == b {
		t.Errorf("seeds 5 and 6 gave the same %v", a)
	}
}

func TestQuantileType1(t *testing.T) {
	// R: quantile(1:10, c(.25, .5, .75, .95), type = 1) = 3, 5, 8, 10.
	x := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	for _, c := range []struct{ p, want float64 }{{.25, 3}, {.5, 5}, {.75, 8}, {.95, 10}} {
		if got := quantile1(x, c.p); got != c.want {
			t.Errorf("quantile(%v) = %v, want %v", c.p, got, c.want)
		}
	}
}
