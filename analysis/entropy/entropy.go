package entropy

import (
	"fmt"
	"math"
)

// Indicator names one column of the input and how to read it.
type Indicator struct {
	Name      string
	Dimension string // group for sub-indices; may be empty
	Direction int    // +1: more is better; -1: less is better
}

// Options controls the fit. The zero value adds no shift.
type Options struct {
	// Shift is added to every scaled value before the shares are taken
	// (commonly 0.0001 or 0.01); 0 adds none and counts 0 ln 0 as 0.
	Shift float64
}

// Model is a fitted entropy-weight index.
type Model struct {
	Indicators []Indicator
	Min, Max   []float64 // per indicator, over the rows used
	Entropy    []float64 // e_j
	Redundancy []float64 // d_j = 1 - e_j
	Weight     []float64 // w_j, summing to 1
	Shift      float64
	N          int // rows used: those with every indicator observed
	Dropped    int // rows left out because an indicator was missing
}

// Error is a data problem that makes an indicator unusable.
type Error struct {
	Indicator string
	Reason    string
}

func (e *Error) Error() string {
	return fmt.Sprintf("entropy: indicator %q: %s", e.Indicator, e.Reason)
}

// Fit computes the weights from cols, where cols[j] holds indicator j for
// every row. Rows with a missing value (NaN) in any indicator are left out
// and counted in Dropped. An indicator with no data, or constant over the
// rows used, is an *Error naming it: its weight would be undefined; so is
// an indicator observed only in rows where another one is missing. Fit
// panics when cols and ind differ in length, columns differ in length, or a
// direction is not +1 or -1.
func Fit(cols [][]float64, ind []Indicator, opt Options) (*Model, error) {
	if len(cols) != len(ind) {
		panic(fmt.Sprintf("entropy: %d columns for %d indicators", len(cols), len(ind)))
	}
	if len(ind) == 0 {
		panic("entropy: no indicators")
	}
	n := len(cols[0])
	for j, c := range cols {
		if len(c) != n {
			panic(fmt.Sprintf("entropy: column %d has %d rows, column 0 has %d", j, len(c), n))
		}
		if ind[j].Direction != 1 && ind[j].Direction != -1 {
			panic(fmt.Sprintf("entropy: indicator %q has direction %d", ind[j].Name, ind[j].Direction))
		}
	}
	if opt.Shift < 0 || math.IsNaN(opt.Shift) {
		return nil, fmt.Errorf("entropy: shift %v must be >= 0", opt.Shift)
	}

	for j, c := range cols {
		observed := false
		for _, v := range c {
			if !math.IsNaN(v) && !math.IsInf(v, 0) {
				observed = true
				break
			}
		}
		if !observed {
			return nil, &Error{ind[j].Name, fmt.Sprintf("no data (missing in all %d rows)", n)}
		}
	}

	rows := make([]int, 0, n)
	for i := 0; i < n; i++ {
		ok := true
		for _, c := range cols {
			if math.IsNaN(c[i]) || math.IsInf(c[i], 0) {
				ok = false
				break
			}
		}
		if ok {
			rows = append(rows, i)
		}
	}
	m := len(ind)
	mod := &Model{Indicators: append([]Indicator(nil), ind...), Shift: opt.Shift,
		Min: make([]float64, m), Max: make([]float64, m), Entropy: make([]float64, m),
		Redundancy: make([]float64, m), Weight: make([]float64, m),
		N: len(rows), Dropped: n - len(rows)}
	for j, c := range cols {
		if len(rows) == 0 {
			return nil, &Error{ind[j].Name, fmt.Sprintf(
				"no row has every indicator observed (%d rows); check which indicators are "+
					"missing together", n)}
		}
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, i := range rows {
			lo, hi = math.Min(lo, c[i]), math.Max(hi, c[i])
		}
		if !(hi > lo) {
			return nil, &Error{ind[j].Name, fmt.Sprintf("constant (%v) over the %d rows used", lo, len(rows))}
		}
		mod.Min[j], mod.Max[j] = lo, hi
	}
	if len(rows) < 2 {
		return nil, &Error{ind[0].Name, "fewer than two complete rows"}
	}

	lnN := math.Log(float64(len(rows)))
	var sumD float64
	for j, c := range cols {
		var total float64
		for _, i := range rows {
			total += mod.scaled(j, c[i]) + opt.Shift
		}
		var h float64
		for _, i := range rows {
			p := (mod.scaled(j, c[i]) + opt.Shift) / total
			if p > 0 {
				h -= p * math.Log(p)
			}
		}
		mod.Entropy[j] = h / lnN
		mod.Redundancy[j] = 1 - mod.Entropy[j]
		sumD += mod.Redundancy[j]
	}
	if !(sumD > 0) {
		return nil, &Error{ind[0].Name, "every indicator has entropy 1: no weight can be given"}
	}
	for j := range mod.Weight {
		mod.Weight[j] = mod.Redundancy[j] / sumD
	}
	return mod, nil
}

// scaled returns the min-max scaled value of v for indicator j, by its
// direction, without the shift.
func (m *Model) scaled(j int, v float64) float64 {
	s := (v - m.Min[j]) / (m.Max[j] - m.Min[j])
	if m.Indicators[j].Direction < 0 {
		s = 1 - s
	}
	return s
}

// Scaled returns indicator j's value v on the model's [0, 1] scale (outside
// it when v lies beyond the fitted range).
func (m *Model) Scaled(j int, v float64) float64 { return m.scaled(j, v) }

// Dimensions returns the distinct dimensions of the indicators in order of
// first appearance.
func (m *Model) Dimensions() []string {
	var out []string
	seen := map[string]bool{}
	for _, in := range m.Indicators {
		if !seen[in.Dimension] {
			seen[in.Dimension] = true
			out = append(out, in.Dimension)
		}
	}
	return out
}

// DimensionWeight returns the summed weight of the indicators of dimension d.
func (m *Model) DimensionWeight(d string) float64 {
	var w float64
	for j, in := range m.Indicators {
		if in.Dimension == d {
			w += m.Weight[j]
		}
	}
	return w
}

// Scores is the index of each row and its sub-indices by dimension.
type Scores struct {
	Index      []float64
	Dimensions []string    // as Model.Dimensions
	Sub        [][]float64 // Sub[k][i]: dimension k's part of row i's index
}

// Score computes the index of every row of cols (columns in the model's
// indicator order) with the model's minima, maxima and weights. A row with a
// missing indicator gets NaN. It panics when the number of columns differs
// from the model's.
func (m *Model) Score(cols [][]float64) Scores {
	if len(cols) != len(m.Indicators) {
		panic(fmt.Sprintf("entropy: scoring %d columns with a model of %d indicators",
			len(cols), len(m.Indicators)))
	}
	dims := m.Dimensions()
	pos := map[string]int{}
	for k, d := range dims {
		pos[d] = k
	}
	n := len(cols[0])
	s := Scores{Index: make([]float64, n), Dimensions: dims, Sub: make([][]float64, len(dims))}
	for k := range s.Sub {
		s.Sub[k] = make([]float64, n)
	}
	for j, c := range cols {
		k := pos[m.Indicators[j].Dimension]
		w := m.Weight[j]
		for i, v := range c {
			t := w * m.scaled(j, v)
			s.Sub[k][i] += t
		}
	}
	for i := range s.Index {
		var tot float64
		for k := range s.Sub {
			tot += s.Sub[k][i]
		}
		s.Index[i] = tot
	}
	return s
}
