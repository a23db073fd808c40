package clean

import (
	"fmt"
	"math"
)

// Method says how a missing cell was filled.
type Method int

const (
	Interpolated Method = iota + 1 // between two observed years
	Extrapolated                   // before the first or after the last observed year
)

func (m Method) String() string {
	switch m {
	case Interpolated:
		return "interpolated"
	case Extrapolated:
		return "extrapolated"
	}
	return fmt.Sprintf("Method(%d)", int(m))
}

// FillOptions controls gap filling. The zero value interpolates inside the
// observed span and extrapolates at both ends.
type FillOptions struct {
	// NoExtrapolate leaves the years before a series' first and after its
	// last observation missing.
	NoExtrapolate bool
}

// Fill records one filled cell: its position in the series, the method and
// whether the value had to be moved into the variable's valid range.
type Fill struct {
	Index   int
	Method  Method
	Value   float64
	Bounded bool
}

// FillSeries fills the missing values (NaN) of one city's series y observed
// at times t (strictly increasing) in place, and returns what it filled.
//
// A gap between two observations is filled on the straight line joining
// them. A gap at either end is extrapolated on the straight line through the
// two nearest observations, as Stata's ipolate with the epolate option does;
// with a single observation the end gaps stay missing. Filled values are
// moved into [lo, hi] when they fall outside (NaN bounds are open), which
// keeps extrapolated shares and counts valid; such cells are marked
// Bounded. It panics when t and y differ in length.
func FillSeries(t, y []float64, lo, hi float64, opt FillOptions) []Fill {
	if len(t) != len(y) {
		panic(fmt.Sprintf("clean: FillSeries with %d times and %d values", len(t), len(y)))
	}
	var obs []int
	for i, v := range y {
		if !math.IsNaN(v) {
			obs = append(obs, i)
		}
	}
	if len(obs) == 0 || len(obs) == len(y) {
		return nil
	}
	var out []Fill
	set := func(i int, v float64, m Method) {
		f := Fill{Index: i, Method: m}
		if !math.IsNaN(lo) && v < lo {
			v, f.Bounded = lo, true
		}
		if !math.IsNaN(hi) && v > hi {
			v, f.Bounded = hi, true
		}
		y[i], f.Value = v, v
		out = append(out, f)
	}
	line := func(a, b, i int) float64 {
		return y[a] + (t[i]-t[a])*(y[b]-y[a])/(t[b]-t[a])
	}

	first, last := obs[0], obs[len(obs)-1]
	canExtrapolate := !opt.NoExtrapolate && len(obs) >= 2
	if canExtrapolate {
		for i := 0; i < first; i++ {
			set(i, line(obs[0], obs[1], i), Extrapolated)
		}
	}
	for k := 0; k+1 < len(obs); k++ {
		a, b := obs[k], obs[k+1]
		for i := a + 1; i < b; i++ {
			set(i, line(a, b, i), Interpolated)
		}
	}
	if canExtrapolate {
		n := len(obs)
		for i := last + 1; i < len(y); i++ {
			set(i, line(obs[n-2], obs[n-1], i), Extrapolated)
		}
	}
	return out
}
