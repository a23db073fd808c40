package fe

import (
	"fmt"
	"math"
	"runtime"
	"sort"
	"strings"
	"sync"

	"example.org/smartcity/analysis/frame"
)

// design is a model's data after rows with missing values (and, if asked,
// singletons) are removed: the columns of the estimation sample.
type design struct {
	nRows    int   // rows of the input frame
	rows     []int // frame rows kept, in order; nil when every row is kept
	y        []float64
	x        [][]float64
	fe       [][]int32 // dense codes per fixed effect
	feLevels []int
	cl       [][]int32 // dense codes per cluster column
	clLevels []int
	w        []float64 // nil: no weights
	drops    []Drop
	single   int  // singletons found (dropped or not)
	dropped1 bool // singletons were dropped
}

// Drop counts rows removed from the estimation sample for one reason.
type Drop struct {
	Reason string
	Rows   int
}

// rowFilter keeps, for every row, the first reason to drop it (0 = keep).
type rowFilter struct {
	code    []uint16
	reasons []string
}

func (r *rowFilter) reason(s string) uint16 {
	for i, t := range r.reasons {
		if t == s {
			return uint16(i + 1)
		}
	}
	r.reasons = append(r.reasons, s)
	return uint16(len(r.reasons))
}

func (r *rowFilter) mark(i int, c uint16) {
	if r.code[i] == 0 {
		r.code[i] = c
	}
}

// termData is a term's values with the rows where it is missing (NaN) or,
// under log, not positive.
type termData struct {
	v            []float64
	miss, nonpos []int32
	err          error
}

// termValues computes a term ("x" or "log(x)"); it only reads d, so
// several run at once.
func termValues(d *frame.Frame, t string) termData {
	_, col, isLog := splitLog(t)
	v, err := d.Float(col)
	if err != nil {
		return termData{err: err}
	}
	var td termData
	if !isLog {
		for i, x := range v {
			if x != x {
				td.miss = append(td.miss, int32(i))
			}
		}
		td.v = v
		return td
	}
	out := make([]float64, len(v))
	for i, x := range v {
		switch {
		case x != x:
			td.miss = append(td.miss, int32(i))
			out[i] = x
		case x <= 0:
			td.nonpos = append(td.nonpos, int32(i))
			out[i] = math.NaN()
		default:
			out[i] = math.Log(x)
		}
	}
	td.v = out
	return td
}

// termColumn returns a term's values and marks the rows it cannot use.
func termColumn(t string, td termData, rf *rowFilter) ([]float64, error) {
	if td.err != nil {
		return nil, td.err
	}
	_, col, _ := splitLog(t)
	if len(td.miss) > 0 {
		c := rf.reason("missing value in " + col)
		for _, i := range td.miss {
			rf.mark(int(i), c)
		}
	}
	if len(td.nonpos) > 0 {
		c := rf.reason("log of a value <= 0 in " + col)
		for _, i := range td.nonpos {
			rf.mark(int(i), c)
		}
	}
	return td.v, nil
}

// groupValues codes a fixed-effect or cluster term (a column or an
// interaction a^b^...) as dense levels; a row missing in any part gets -1.
// It only reads d, so several run at once.
func groupValues(d *frame.Frame, t string) coded {
	parts := strings.Split(t, "^")
	var codes []int32
	levels := 0
	for _, p := range parts {
		c, lv, err := d.FactorCodes(p)
		if err != nil {
			return coded{err: err}
		}
		if codes == nil {
			codes, levels = c, lv
			continue
		}
		codes, levels = combine(codes, levels, c, lv)
	}
	g := coded{codes: codes, levels: levels}
	for i, c := range codes {
		if c < 0 {
			g.miss = append(g.miss, int32(i))
		}
	}
	return g
}

// groupColumn returns a grouping term's codes and marks the rows where it
// is missing.
func groupColumn(t string, g coded, rf *rowFilter) ([]int32, int, error) {
	if g.err != nil {
		return nil, 0, g.err
	}
	if len(g.miss) > 0 {
		c := rf.reason("missing value in " + t)
		for _, i := range g.miss {
			rf.mark(int(i), c)
		}
	}
	return g.codes, g.levels, nil
}

// coded is a grouping column coded as levels 0..levels-1 (-1 at the rows
// in miss). A column used as both a fixed effect and a cluster is coded
// once.
type coded struct {
	codes  []int32
	levels int
	miss   []int32
	err    error
}

// prefetch computes every term and grouping column of the model
// concurrently, GOMAXPROCS at a time.
func prefetch(d *frame.Frame, f Formula, opt Options) (map[string]termData, map[string]coded) {
	terms := map[string]termData{}
	groups := map[string]coded{}
	var names []string
	var isGroup []bool
	for _, t := range append([]string{f.Y}, f.X...) {
		if _, ok := terms[t]; !ok {
			terms[t] = termData{}
			names, isGroup = append(names, t), append(isGroup, false)
		}
	}
	for _, t := range append(append([]string(nil), f.FE...), opt.Cluster...) {
		if _, ok := groups[t]; !ok {
			groups[t] = coded{}
			names, isGroup = append(names, t), append(isGroup, true)
		}
	}
	tds := make([]termData, len(names))
	cds := make([]coded, len(names))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for k := range names {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			if isGroup[k] {
				cds[k] = groupValues(d, names[k])
			} else {
				tds[k] = termValues(d, names[k])
			}
		}()
	}
	wg.Wait()
	for k, t := range names {
		if isGroup[k] {
			groups[t] = cds[k]
		} else {
			terms[t] = tds[k]
		}
	}
	return terms, groups
}

// combine codes the pairs (a, b) as dense levels in the order of a, then b.
func combine(a []int32, la int, b []int32, lb int) ([]int32, int) {
	out := make([]int32, len(a))
	span := int64(la) * int64(lb)
	if span <= int64(4*len(a)+1024) {
		idx := make([]int32, span)
		for i := range a {
			if a[i] >= 0 && b[i] >= 0 {
				idx[int64(a[i])*int64(lb)+int64(b[i])] = 1
			}
		}
		n := int32(0)
		for k, v := range idx {
			if v != 0 {
				idx[k] = n
				n++
			}
		}
		for i := range a {
			if a[i] < 0 || b[i] < 0 {
				out[i] = -1
			} else {
				out[i] = idx[int64(a[i])*int64(lb)+int64(b[i])]
			}
		}
		return out, int(n)
	}
	keys := map[int64]int32{}
	for i := range a {
		if a[i] >= 0 && b[i] >= 0 {
			keys[int64(a[i])*int64(lb)+int64(b[i])] = 0
		}
	}
	sorted := make([]int64, 0, len(keys))
	for k := range keys {
		sorted = append(sorted, k)
	}
	sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
	for n, k := range sorted {
		keys[k] = int32(n)
	}
	for i := range a {
		if a[i] < 0 || b[i] < 0 {
			out[i] = -1
		} else {
			out[i] = keys[int64(a[i])*int64(lb)+int64(b[i])]
		}
	}
	return out, len(sorted)
}

// densify renumbers codes 0..L-1 keeping their order; levels that no longer
// occur disappear.
func densify(c []int32, levels int) ([]int32, int) {
	idx := make([]int32, levels)
	for _, v := range c {
		idx[v] = 1
	}
	n := int32(0)
	for k, v := range idx {
		if v != 0 {
			idx[k] = n
			n++
		}
	}
	if int(n) == levels {
		return c, levels
	}
	out := make([]int32, len(c))
	for i, v := range c {
		out[i] = idx[v]
	}
	return out, int(n)
}

// buildDesign reads the model's columns from d and removes rows that cannot
// be used.
func buildDesign(d *frame.Frame, f Formula, opt Options) (*design, error) {
	n := d.Len()
	rf := &rowFilter{code: make([]uint16, n)}
	ds := &design{nRows: n}

	terms, groups := prefetch(d, f, opt)
	y, err := termColumn(f.Y, terms[f.Y], rf)
	if err != nil {
		return nil, err
	}
	x := make([][]float64, len(f.X))
	for j, t := range f.X {
		if x[j], err = termColumn(t, terms[t], rf); err != nil {
			return nil, err
		}
	}
	fe := make([][]int32, len(f.FE))
	feLevels := make([]int, len(f.FE))
	for k, t := range f.FE {
		if fe[k], feLevels[k], err = groupColumn(t, groups[t], rf); err != nil {
			return nil, err
		}
	}
	cl := make([][]int32, len(opt.Cluster))
	clLevels := make([]int, len(opt.Cluster))
	for k, t := range opt.Cluster {
		if cl[k], clLevels[k], err = groupColumn(t, groups[t], rf); err != nil {
			return nil, err
		}
	}
	var w []float64
	if opt.Weights != "" {
		if w, err = d.Float(opt.Weights); err != nil {
			return nil, err
		}
		miss, zero := uint16(0), uint16(0)
		for i, v := range w {
			switch {
			case math.IsNaN(v):
				if miss == 0 {
					miss = rf.reason("missing value in " + opt.Weights)
				}
				rf.mark(i, miss)
			case v < 0 || math.IsInf(v, 0):
				return nil, &frame.CellError{Source: d.Source, Line: d.Line(i), Column: opt.Weights,
					Value: frame.FormatNumber(v), Reason: "weights must be finite and non-negative"}
			case v == 0:
				if zero == 0 {
					zero = rf.reason("zero weight in " + opt.Weights)
				}
				rf.mark(i, zero)
			}
		}
	}

	// Singletons, among the rows that survive the missing values.
	if len(fe) > 0 {
		sc := rf.reason("singleton in a fixed effect")
		first := true
		for {
			s := markSingletons(fe, feLevels, rf.code, sc, opt.DropSingletons)
			if first {
				ds.single = s
				first = false
			} else {
				ds.single += s
			}
			if !opt.DropSingletons || s == 0 {
				break
			}
		}
		ds.dropped1 = opt.DropSingletons
	}

	counts := make([]int, len(rf.reasons)+1)
	for _, c := range rf.code {
		counts[c]++
	}
	for r, s := range rf.reasons {
		if counts[r+1] > 0 {
			ds.drops = append(ds.drops, Drop{Reason: s, Rows: counts[r+1]})
		}
	}
	if counts[0] == 0 {
		return nil, fmt.Errorf("%s: no rows left for %s after removing %s",
			d.Source, f, describeDrops(ds.drops))
	}

	if counts[0] == n {
		// Codes from FactorCodes and combine are dense already.
		ds.y, ds.x, ds.fe, ds.feLevels, ds.cl, ds.clLevels, ds.w = y, x, fe, feLevels, cl, clLevels, w
		return ds, nil
	}
	rows := make([]int, 0, counts[0])
	for i, c := range rf.code {
		if c == 0 {
			rows = append(rows, i)
		}
	}
	ds.rows = rows
	ds.y = gatherF(y, rows)
	ds.x = make([][]float64, len(x))
	for j := range x {
		ds.x[j] = gatherF(x[j], rows)
	}
	if w != nil {
		ds.w = gatherF(w, rows)
	}
	ds.fe = make([][]int32, len(fe))
	ds.feLevels = make([]int, len(fe))
	for k := range fe {
		ds.fe[k], ds.feLevels[k] = densify(gatherI(fe[k], rows), feLevels[k])
	}
	ds.cl = make([][]int32, len(cl))
	ds.clLevels = make([]int, len(cl))
	for k := range cl {
		ds.cl[k], ds.clLevels[k] = densify(gatherI(cl[k], rows), clLevels[k])
	}
	return ds, nil
}

// markSingletons finds rows (among those with code 0) alone in a level of
// some fixed effect; if drop is set they get code sc. It returns how many.
func markSingletons(fe [][]int32, levels []int, code []uint16, sc uint16, drop bool) int {
	var single []bool
	for k, g := range fe {
		cnt := make([]int32, levels[k])
		for i, c := range g {
			if code[i] == 0 {
				cnt[c]++
			}
		}
		any1 := false
		for _, n := range cnt {
			any1 = any1 || n == 1
		}
		if !any1 {
			continue
		}
		for i, c := range g {
			if code[i] == 0 && cnt[c] == 1 {
				if single == nil {
					single = make([]bool, len(code))
				}
				single[i] = true
			}
		}
	}
	n := 0
	for i, s := range single {
		if s {
			n++
			if drop {
				code[i] = sc
			}
		}
	}
	return n
}

func describeDrops(ds []Drop) string {
	if len(ds) == 0 {
		return "nothing"
	}
	parts := make([]string, len(ds))
	for i, d := range ds {
		parts[i] = fmt.Sprintf("%d rows (%s)", d.Rows, d.Reason)
	}
	return strings.Join(parts, ", ")
}

func gatherF(v []float64, rows []int) []float64 {
	out := make([]float64, len(rows))
	for k, i := range rows {
		out[k] = v[i]
	}
	return out
}

func gatherI(v []int32, rows []int) []int32 {
	out := make([]int32, len(rows))
	for k, i := range rows {
		out[k] = v[i]
	}
	return out
}
