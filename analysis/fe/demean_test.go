package fe

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// denseResidual projects x on the dummies of groups (and nothing else) by
// a dense least-squares solve: the slow, obviously correct demeaning.
func denseResidual(groups [][]int32, w, x []float64) []float64 {
	n := len(x)
	var cols int
	for _, g := range groups {
		m := int32(0)
		for _, c := range g {
			m = max(m, c+1)
		}
		cols += int(m)
	}
	a := mat.NewDense(n, cols, nil)
	b := mat.NewVecDense(n, nil)
	for i := 0; i < n; i++ {
		sw := 1.0
		if w != nil {
			sw = math.Sqrt(w[i])
		}
		off := 0
		for _, g := range groups {
			a.Set(i, off+int(g[i]), sw)
			m := int32(0)
			for _, c := range g {
				m = max(m, c+1)
			}
			off += int(m)
		}
		b.SetVec(i, sw*x[i])
	}
	// Minimum-norm least squares through the SVD handles the redundant
	// dummies.
	var svd mat.SVD
	svd.Factorize(a, mat.SVDThin)
	var coef mat.Dense
	rank := svd.Rank(1e-12)
	svd.SolveTo(&coef, b, rank)
	out := make([]float64, n)
	for i := 0; i < n; i++ {
		s := 0.0
		for j := 0; j < cols; j++ {
			s += a.At(i, j) * coef.At(j, 0)
		}
		sw := 1.0
		if w != nil {
			sw = math.Sqrt(w[i])
		}
		out[i] = x[i] - s/sw
	}
	return out
}

func TestDemeanAgainstDense(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	cases := []struct {
		name     string
		levels   []int
		n        int
		weighted bool
		exact    bool
	}{
		{"one-way", []int{7}, 60, false, true},
		{"two-way unbalanced", []int{15, 6}, 70, false, false},
		{"two-way weighted", []int{15, 6}, 70, true, false},
		{"three-way", []int{12, 5, 4}, 90, false, false},
		{"three-way weighted", []int{12, 5, 4}, 90, true, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			groups := make([][]int32, len(c.levels))
			for k, l := range c.levels {
				groups[k] = make([]int32, c.n)
				for i := range groups[k] {
					// Every level appears: the first l rows take them in turn.
					if i < l {
						groups[k][i] = int32(i)
					} else {
						groups[k][i] = int32(rng.IntN(l))
					}
				}
			}
			var w []float64
			if c.weighted {
				w = make([]float64, c.n)
				for i := range w {
					w[i] = 0.2 + rng.Float64()
				}
			}
			x := make([]float64, c.n)
			for i := range x {
				x[i] = 10 + 3*rng.NormFloat64()
			}
			dm, err := NewDemeaner(groups, w, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if dm.Exact() != c.exact {
				t.Errorf("Exact() = %v, want %v", dm.Exact(), c.exact)
			}
			got := make([]float64, c.n)
			if err := dm.Demean(got, x); err != nil {
				t.Fatal(err)
			}
			want := denseResidual(groups, w, x)
			// Tolerance: the solver stops at 1e-10 relative change; 1e-8
			// absolute on values of standard deviation 3.
			for i := range got {
				if math.Abs(got[i]-want[i]) > 1e-8 {
					t.Fatalf("row %d: got %.12g, want %.12g", i, got[i], want[i])
				}
			}
		})
	}
}

func TestDemeanBalancedExact(t *testing.T) {
	// A full 9 x 4 grid in scrambled order is demeaned in closed form and
	// agrees with the dense projection.
	rng := rand.New(rand.NewPCG(3, 4))
	const U, T = 9, 4
	perm := rng.Perm(U * T)
	g := [][]int32{make([]int32, U*T), make([]int32, U*T)}
	x := make([]float64, U*T)
	for i, p := range perm {
		g[0][i], g[1][i] = int32(p/T), int32(p%T)
		x[i] = rng.NormFloat64()
	}
	dm, err := NewDemeaner(g, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !dm.Exact() {
		t.Fatal("balanced grid not recognised")
	}
	got := make([]float64, len(x))
	if err := dm.Demean(got, x); err != nil {
		t.Fatal(err)
	}
	want := denseResidual(g, nil, x)
	for i := range got {
		if math.Abs(got[i]-want[i]) > 1e-12 {
			t.Fatalf("row %d: got %.15g, want %.15g", i, got[i], want[i])
		}
	}
}

func TestDemeanNonConvergence(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	n := 200
	g := [][]int32{make([]int32, n), make([]int32, n)}
	x := make([]float64, n)
	for i := range x {
		g[0][i], g[1][i] = int32(rng.IntN(40)), int32(rng.IntN(30))
		x[i] = rng.NormFloat64()
	}
	dm, err := NewDemeaner(g, nil, Options{MaxIter: 2, Tol: 1e-14})
	if err != nil {
		t.Fatal(err)
	}
	err = dm.Demean(make([]float64, n), x)
	if _, ok := err.(*NonConvergenceError); !ok {
		t.Fatalf("got %v, want a *NonConvergenceError", err)
	}
}

func TestDemeanGridOrders(t *testing.T) {
	// Balanced panels stored unit by unit and period by period take the
	// block path; both agree with the dense projection.
	rng := rand.New(rand.NewPCG(11, 12))
	const U, T = 7, 5
	for _, order := range []gridOrder{unitMajor, periodMajor} {
		g := [][]int32{make([]int32, U*T), make([]int32, U*T)}
		x := make([]float64, U*T)
		for i := range x {
			if order == unitMajor {
				g[0][i], g[1][i] = int32(i/T), int32(i%T)
			} else {
				g[0][i], g[1][i] = int32(i%U), int32(i/U)
			}
			x[i] = 5 + rng.NormFloat64()
		}
		dm, err := NewDemeaner(g, nil, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if dm.layout != order || !dm.Exact() || dm.Levels()[0] != U || dm.Levels()[1] != T {
			t.Fatalf("order %d: layout %d exact %v levels %v", order, dm.layout, dm.Exact(), dm.Levels())
		}
		got := make([]float64, len(x))
		if err := dm.Demean(got, x); err != nil {
			t.Fatal(err)
		}
		want := denseResidual(g, nil, x)
		for i := range got {
			if math.Abs(got[i]-want[i]) > 1e-12 {
				t.Fatalf("order %d row %d: got %.15g, want %.15g", order, i, got[i], want[i])
			}
		}
	}
}
