package placebo

import (
	"fmt"
	"math"
	"strings"

	"example.org/smartcity/analysis/fe"
	"example.org/smartcity/analysis/frame"
	"gonum.org/v1/gonum/mat"
)

// sample is the estimation sample of a fixed-effects model, in the form
// needed to re-estimate one coefficient many times: the columns of the
// outcome and regressors, the fixed-effect codes and the weights, all on
// the rows that the full fit used.
type sample struct {
	rows   []int       // frame rows, in order
	y      []float64   // outcome
	x      [][]float64 // regressors other than the treatment term
	d      []float64   // the treatment term
	groups [][]int32   // fixed-effect codes
	w      []float64   // weights; nil when unweighted
	unit   []string    // unit of every row
	time   []float64   // period of every row
}

// newSample reads the columns of f on the rows of the fitted model r.
func newSample(data *frame.Frame, f fe.Formula, treat, unit, time string, opt fe.Options,
	r *fe.Result) (*sample, error) {
	s := &sample{rows: r.Rows}
	if s.rows == nil {
		s.rows = make([]int, data.Len())
		for i := range s.rows {
			s.rows[i] = i
		}
	}
	var err error
	if s.y, err = termValues(data, f.Y, s.rows); err != nil {
		return nil, err
	}
	for _, t := range f.X {
		v, err := termValues(data, t, s.rows)
		if err != nil {
			return nil, err
		}
		if t == treat {
			s.d = v
		} else {
			s.x = append(s.x, v)
		}
	}
	for _, g := range f.FE {
		codes, err := groupCodes(data, g, s.rows)
		if err != nil {
			return nil, err
		}
		s.groups = append(s.groups, codes)
	}
	if opt.Weights != "" {
		if s.w, err = termValues(data, opt.Weights, s.rows); err != nil {
			return nil, err
		}
	}
	units, err := data.Text(unit)
	if err != nil {
		return nil, err
	}
	times, err := data.Float(time)
	if err != nil {
		return nil, err
	}
	for _, i := range s.rows {
		if units[i] == "" || math.IsNaN(times[i]) {
			return nil, &frame.CellError{Source: data.Source, Line: data.Line(i),
				Column: unit + "/" + time, Reason: "unit or period missing"}
		}
		s.unit = append(s.unit, units[i])
		s.time = append(s.time, times[i])
	}
	return s, nil
}

// termValues returns column t, or the logarithm of the column for a term
// log(name), on the given rows.
func termValues(d *frame.Frame, t string, rows []int) ([]float64, error) {
	name, isLog := t, false
	if strings.HasPrefix(t, "log(") && strings.HasSuffix(t, ")") {
		name, isLog = t[4:len(t)-1], true
	}
	v, err := d.Float(name)
	if err != nil {
		return nil, err
	}
	out := make([]float64, len(rows))
	for k, i := range rows {
		out[k] = v[i]
		if isLog {
			out[k] = math.Log(v[i])
		}
	}
	return out, nil
}

// groupCodes codes a fixed effect, a column or an interaction a^b, on the
// given rows as dense levels 0, 1, ...
func groupCodes(d *frame.Frame, t string, rows []int) ([]int32, error) {
	var keys [][]int32
	for _, part := range strings.Split(t, "^") {
		codes, _, err := d.Factor(strings.TrimSpace(part))
		if err != nil {
			return nil, err
		}
		keys = append(keys, codes)
	}
	out := make([]int32, len(rows))
	seen := map[string]int32{}
	var b strings.Builder
	for k, i := range rows {
		b.Reset()
		for _, c := range keys {
			fmt.Fprintf(&b, "%d,", c[i])
		}
		code, ok := seen[b.String()]
		if !ok {
			code = int32(len(seen))
			seen[b.String()] = code
		}
		out[k] = code
	}
	return out, nil
}

// solver re-estimates the coefficient of the treatment term by the
// Frisch-Waugh-Lovell theorem: with the fixed effects projected out of
// every column (a tilde) and M the weighted residual maker of the other
// regressors,
//
//	b = d~' W M y~ / d~' W M d~ ,
//
// so each new treatment column costs one demeaning pass and a few inner
// products; the outcome and the other regressors are demeaned once.
type solver struct {
	dm   *fe.Demeaner
	w    []float64
	xt   [][]float64   // demeaned other regressors
	xtxi *mat.SymDense // (X~'WX~)^-1
	ry   []float64     // M y~
	buf  []float64     // demeaned treatment column
	tmp  *mat.VecDense // X~'W d~
	sol  *mat.VecDense
}

func newSolver(groups [][]int32, w []float64, y []float64, x [][]float64,
	opt fe.Options) (*solver, error) {
	dm, err := fe.NewDemeaner(groups, w, fe.Options{Tol: opt.Tol, MaxIter: opt.MaxIter})
	if err != nil {
		return nil, err
	}
	n := len(y)
	s := &solver{dm: dm, w: w, buf: make([]float64, n)}
	yt := make([]float64, n)
	if err := dm.Demean(yt, y); err != nil {
		return nil, err
	}
	s.xt = make([][]float64, len(x))
	for j := range x {
		s.xt[j] = make([]float64, n)
	}
	if len(x) > 0 {
		if _, err := dm.DemeanColumns(s.xt, x); err != nil {
			return nil, err
		}
	}
	k := len(x)
	s.ry = yt
	if k > 0 {
		xtx := mat.NewSymDense(k, nil)
		for a := 0; a < k; a++ {
			for b := a; b < k; b++ {
				xtx.SetSym(a, b, s.dot(s.xt[a], s.xt[b]))
			}
		}
		var chol mat.Cholesky
		if !chol.Factorize(xtx) {
			return nil, fmt.Errorf("placebo: the control variables are collinear with each other " +
				"or with the fixed effects; drop the redundant ones")
		}
		s.xtxi = mat.NewSymDense(k, nil)
		if err := chol.InverseTo(s.xtxi); err != nil {
			return nil, err
		}
		s.tmp = mat.NewVecDense(k, nil)
		s.sol = mat.NewVecDense(k, nil)
		s.ry = s.residual(yt)
	}
	return s, nil
}

// dot is the weighted inner product a'Wb.
func (s *solver) dot(a, b []float64) float64 {
	var t float64
	if s.w == nil {
		for i := range a {
			t += a[i] * b[i]
		}
		return t
	}
	for i := range a {
		t += s.w[i] * a[i] * b[i]
	}
	return t
}

// residual returns v minus its weighted projection on the demeaned
// regressors.
func (s *solver) residual(v []float64) []float64 {
	for j := range s.xt {
		s.tmp.SetVec(j, s.dot(s.xt[j], v))
	}
	s.sol.MulVec(s.xtxi, s.tmp)
	out := append([]float64(nil), v...)
	for j, c := range s.xt {
		b := s.sol.AtVec(j)
		for i := range out {
			out[i] -= b * c[i]
		}
	}
	return out
}

// coef returns the coefficient of the treatment column d, or NaN when d is
// collinear with the fixed effects and the other regressors.
func (s *solver) coef(d []float64) (float64, error) {
	if err := s.dm.Demean(s.buf, d); err != nil {
		return math.NaN(), err
	}
	num := s.dot(s.buf, s.ry)
	den := s.dot(s.buf, s.buf)
	scale := den
	if s.xtxi != nil {
		for j := range s.xt {
			s.tmp.SetVec(j, s.dot(s.xt[j], s.buf))
		}
		s.sol.MulVec(s.xtxi, s.tmp)
		den -= mat.Dot(s.tmp, s.sol)
	}
	if !(den > 1e-10*scale) || scale == 0 {
		return math.NaN(), nil
	}
	return num / den, nil
}
