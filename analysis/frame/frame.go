package frame

import (
	"fmt"
	"math"
	"sort"
	"strconv"
)

// Column is one named column. Exactly one of Num and Text is non-nil.
type Column struct {
	Name string
	Num  []float64
	Text []string
}

// IsNumeric reports whether the column holds numbers.
func (c *Column) IsNumeric() bool { return c.Text == nil }

// Len returns the number of rows of the column.
func (c *Column) Len() int {
	if c.Text != nil {
		return len(c.Text)
	}
	return len(c.Num)
}

// Frame is a table of named columns of equal length.
//
// Source names where the rows came from (a file name, relative as given);
// it is used in error messages. Lines, when not nil, gives for each row the
// 1-based line of the source file that held it; otherwise row i is taken to
// be line i+2.
type Frame struct {
	Source string
	Lines  []int

	cols []*Column
	pos  map[string]int
	n    int
}

// New returns an empty frame whose rows come from source.
func New(source string) *Frame {
	return &Frame{Source: source, pos: map[string]int{}, n: -1}
}

// Len returns the number of rows.
func (f *Frame) Len() int {
	if f.n < 0 {
		return 0
	}
	return f.n
}

// Names returns the column names in order.
func (f *Frame) Names() []string {
	out := make([]string, len(f.cols))
	for i, c := range f.cols {
		out[i] = c.Name
	}
	return out
}

// Has reports whether the frame has a column called name.
func (f *Frame) Has(name string) bool {
	_, ok := f.pos[name]
	return ok
}

// Column returns the column called name.
func (f *Frame) Column(name string) (*Column, bool) {
	i, ok := f.pos[name]
	if !ok {
		return nil, false
	}
	return f.cols[i], true
}

// Line returns the source line of row i.
func (f *Frame) Line(i int) int {
	if f.Lines != nil {
		return f.Lines[i]
	}
	return i + 2
}

func (f *Frame) noColumn(name string) error {
	return &ColumnError{f.Source, name, "no such column; columns are " + fmt.Sprint(f.Names())}
}

// CellError is a problem with one cell of a frame.
type CellError struct {
	Source string
	Line   int
	Column string
	Value  string
	Reason string
}

func (e *CellError) Error() string {
	return fmt.Sprintf("%s: line %d, column %q: value %q: %s",
		e.Source, e.Line, e.Column, e.Value, e.Reason)
}

// ColumnError is a problem with a whole column (usually: it is absent).
type ColumnError struct {
	Source string
	Column string
	Reason string
}

func (e *ColumnError) Error() string {
	return fmt.Sprintf("%s: column %q: %s", e.Source, e.Column, e.Reason)
}

// Float returns the numeric column called name. It fails when the column is
// absent, or when it holds text; the error then names the first cell that
// is not a number.
func (f *Frame) Float(name string) ([]float64, error) {
	c, ok := f.Column(name)
	if !ok {
		return nil, f.noColumn(name)
	}
	if c.IsNumeric() {
		return c.Num, nil
	}
	for i, s := range c.Text {
		if _, ok := ParseNumber(s); !ok {
			return nil, &CellError{f.Source, f.Line(i), name, s, "not a number"}
		}
	}
	// Every cell parses: the column was text only because it was declared so.
	out := make([]float64, len(c.Text))
	for i, s := range c.Text {
		out[i], _ = ParseNumber(s)
	}
	return out, nil
}

// Text returns the column called name as strings; numbers are formatted with
// the shortest representation that reads back exactly, missing ones as "".
func (f *Frame) Text(name string) ([]string, error) {
	c, ok := f.Column(name)
	if !ok {
		return nil, f.noColumn(name)
	}
	if !c.IsNumeric() {
		return c.Text, nil
	}
	out := make([]string, len(c.Num))
	for i, v := range c.Num {
		out[i] = FormatNumber(v)
	}
	return out, nil
}

func (f *Frame) add(c *Column) {
	n := c.Len()
	if f.n >= 0 && n != f.n {
		panic(fmt.Sprintf("frame: column %q has %d rows, frame has %d", c.Name, n, f.n))
	}
	f.n = n
	if f.pos == nil {
		f.pos = map[string]int{}
	}
	if i, ok := f.pos[c.Name]; ok {
		f.cols[i] = c
		return
	}
	f.pos[c.Name] = len(f.cols)
	f.cols = append(f.cols, c)
}

// SetFloat adds a numeric column, or replaces the column of that name. It
// panics if the length differs from the frame's.
func (f *Frame) SetFloat(name string, v []float64) { f.add(&Column{Name: name, Num: v}) }

// SetText adds a text column, or replaces the column of that name. It panics
// if the length differs from the frame's.
func (f *Frame) SetText(name string, v []string) { f.add(&Column{Name: name, Text: v}) }

// Drop removes the named columns that exist.
func (f *Frame) Drop(names ...string) {
	drop := map[string]bool{}
	for _, n := range names {
		drop[n] = true
	}
	kept := f.cols[:0]
	f.pos = map[string]int{}
	for _, c := range f.cols {
		if !drop[c.Name] {
			f.pos[c.Name] = len(kept)
			kept = append(kept, c)
		}
	}
	f.cols = kept
}

// Rows returns a new frame with the given rows, in the given order. Column
// data is copied; source lines are kept.
func (f *Frame) Rows(rows []int) *Frame {
	g := New(f.Source)
	g.Lines = make([]int, len(rows))
	for k, i := range rows {
		g.Lines[k] = f.Line(i)
	}
	for _, c := range f.cols {
		if c.IsNumeric() {
			v := make([]float64, len(rows))
			for k, i := range rows {
				v[k] = c.Num[i]
			}
			g.SetFloat(c.Name, v)
		} else {
			v := make([]string, len(rows))
			for k, i := range rows {
				v[k] = c.Text[i]
			}
			g.SetText(c.Name, v)
		}
	}
	if len(f.cols) == 0 {
		g.n = len(rows)
	}
	return g
}

// Filter returns the rows for which keep is true, as Rows does.
func (f *Frame) Filter(keep func(i int) bool) *Frame {
	var rows []int
	for i := 0; i < f.Len(); i++ {
		if keep(i) {
			rows = append(rows, i)
		}
	}
	return f.Rows(rows)
}

// Factor codes the column called name as integer groups 0..len(levels)-1.
// Levels are sorted: numerically for a numeric column, as strings for text.
// A missing cell (NaN or "") gets code -1.
func (f *Frame) Factor(name string) (codes []int32, levels []string, err error) {
	c, ok := f.Column(name)
	if !ok {
		return nil, nil, f.noColumn(name)
	}
	codes = make([]int32, c.Len())
	if c.IsNumeric() {
		if levels, ok := factorIntegers(c.Num, codes); ok {
			return codes, levels, nil
		}
		idx := map[float64]int32{}
		var vals []float64
		for _, v := range c.Num {
			if math.IsNaN(v) {
				continue
			}
			if _, ok := idx[v]; !ok {
				idx[v] = 0
				vals = append(vals, v)
			}
		}
		sort.Float64s(vals)
		levels = make([]string, len(vals))
		for k, v := range vals {
			idx[v] = int32(k)
			levels[k] = FormatNumber(v)
		}
		for i, v := range c.Num {
			if math.IsNaN(v) {
				codes[i] = -1
			} else {
				codes[i] = idx[v]
			}
		}
		return codes, levels, nil
	}
	idx := map[string]int32{}
	for _, s := range c.Text {
		if s != "" {
			idx[s] = 0
		}
	}
	levels = make([]string, 0, len(idx))
	for s := range idx {
		levels = append(levels, s)
	}
	sort.Strings(levels)
	for k, s := range levels {
		idx[s] = int32(k)
	}
	for i, s := range c.Text {
		if s == "" {
			codes[i] = -1
		} else {
			codes[i] = idx[s]
		}
	}
	return codes, levels, nil
}

// FactorCodes codes the column called name as Factor does, but returns
// only the number of levels, not their names: the fast path for callers
// that need group codes (fixed effects, clusters) and not labels.
func (f *Frame) FactorCodes(name string) (codes []int32, levels int, err error) {
	c, ok := f.Column(name)
	if !ok {
		return nil, 0, f.noColumn(name)
	}
	if c.IsNumeric() {
		if codes, n, ok := integerCodes(c.Num); ok {
			return codes, n, nil
		}
	}
	codes, lv, err := f.Factor(name)
	return codes, len(lv), err
}

// integerIndex checks that v holds whole numbers (or NaN) whose range is
// not much larger than len(v), and marks in idx[x-lo] the values present.
func integerIndex(v []float64) (lo int64, idx []int32, ok bool) {
	first := true
	var hi int64
	for _, x := range v {
		if x != x {
			continue
		}
		if !(x >= -1<<52 && x <= 1<<52) {
			return 0, nil, false
		}
		k := int64(x)
		if float64(k) != x {
			return 0, nil, false
		}
		if first {
			lo, hi, first = k, k, false
		} else if k < lo {
			lo = k
		} else if k > hi {
			hi = k
		}
	}
	if first {
		return 0, []int32{}, true
	}
	span := hi - lo + 1
	if span > int64(4*len(v)+1024) || span > math.MaxInt32 {
		return 0, nil, false
	}
	idx = make([]int32, span)
	for _, x := range v {
		if x == x {
			idx[int64(x)-lo] = 1
		}
	}
	return lo, idx, true
}

// integerCodes codes a column of whole numbers with a compact range in
// two passes when every value of the range occurs (the usual case of unit
// and year identifiers), three otherwise.
func integerCodes(v []float64) ([]int32, int, bool) {
	lo, hi, ok := integerRange(v)
	if !ok {
		return nil, 0, false
	}
	codes := make([]int32, len(v))
	if lo > hi {
		for i := range codes {
			codes[i] = -1
		}
		return codes, 0, true
	}
	seen := make([]bool, hi-lo+1)
	for i, x := range v {
		if x != x {
			codes[i] = -1
			continue
		}
		k := int32(int64(x) - lo)
		codes[i] = k
		seen[k] = true
	}
	idx := make([]int32, len(seen))
	n := int32(0)
	for k, s := range seen {
		idx[k] = n
		if s {
			n++
		}
	}
	if int(n) == len(seen) {
		return codes, int(n), true
	}
	for i, k := range codes {
		if k >= 0 {
			codes[i] = idx[k]
		}
	}
	return codes, int(n), true
}

// integerRange returns the smallest and largest of v's values (NaN
// skipped; lo > hi when there is none) when they are all whole numbers and
// their range is at most 4 len(v) + 1024.
func integerRange(v []float64) (lo, hi int64, ok bool) {
	lo, hi = math.MaxInt64, math.MinInt64
	for _, x := range v {
		if x != x {
			continue
		}
		if !(x >= -1<<52 && x <= 1<<52) {
			return 0, 0, false
		}
		k := int64(x)
		if float64(k) != x {
			return 0, 0, false
		}
		lo = min(lo, k)
		hi = max(hi, k)
	}
	if lo > hi {
		return 1, 0, true
	}
	if hi-lo+1 > int64(4*len(v)+1024) || hi-lo+1 > math.MaxInt32 {
		return 0, 0, false
	}
	return lo, hi, true
}

func fillCodes(v []float64, lo int64, idx []int32, codes []int32) {
	for i, x := range v {
		if x != x {
			codes[i] = -1
		} else {
			codes[i] = idx[int64(x)-lo]
		}
	}
}

// factorIntegers is Factor for a column of integers whose range is not
// much larger than the column: levels are found by counting, not hashing.
// It reports false, leaving codes to the caller, for any other column.
func factorIntegers(v []float64, codes []int32) ([]string, bool) {
	lo, idx, ok := integerIndex(v)
	if !ok {
		return nil, false
	}
	levels := []string{}
	for k, seen := range idx {
		if seen != 0 {
			idx[k] = int32(len(levels))
			levels = append(levels, FormatNumber(float64(lo+int64(k))))
		}
	}
	fillCodes(v, lo, idx, codes)
	return levels, true
}

// ParseNumber reads a numeric cell. Empty cells and the usual missing-value
// markers (NA, NaN, ".", "null") read as NaN with ok true.
func ParseNumber(s string) (float64, bool) {
	switch s {
	case "", "NA", "NaN", "nan", ".", "null", "NULL":
		return math.NaN(), true
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, false
	}
	if math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}

// FormatNumber writes v in the shortest form that reads back to the same
// float64; NaN is written as the empty string.
func FormatNumber(v float64) string {
	if math.IsNaN(v) {
		return ""
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}
