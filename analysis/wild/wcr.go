package wild

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"example.org/smartcity/analysis/fe"
	"example.org/smartcity/analysis/frame"
	"gonum.org/v1/gonum/mat"
)

// Options configures WCR. The zero value is invalid only in Cluster and
// Param, which must be set; otherwise it means Rademacher weights, 999
// draws, seed 0, the null hypothesis beta = 0 and a 95% interval.
type Options struct {
	Cluster string // cluster column (required)
	Param   string // the coefficient tested, as written in the formula (required)
	// Weights is "rademacher" (the default: -1 or 1 with equal
	// probability) or "webb" (Webb 2023: +-sqrt(1/2), +-1, +-sqrt(3/2),
	// each with probability 1/6), better with very few clusters.
	Weights string
	// Draws is the number of bootstrap draws; 0 means 999. When every
	// pattern of weights (2^G for Rademacher, 6^G for Webb, G clusters) is
	// no more than Draws, all patterns are enumerated instead: the p-value
	// and interval are then exact and do not depend on the seed.
	Draws int
	Seed  uint64
	// Null is the value of the coefficient under the null hypothesis.
	Null float64
	// Level is the confidence level of the interval; 0 means 0.95.
	Level float64
}

// Result is a wild cluster restricted bootstrap test of one coefficient.
type Result struct {
	Param    string
	Estimate float64
	// SE and Stat are the coefficient's CRV1 standard error and t
	// statistic for the null, from the fixed-effects fit.
	SE, Stat float64
	Null     float64
	// PValue is the symmetric bootstrap p-value: the share of draws whose
	// |t*| is at least |t|.
	PValue float64
	// ConfLow and ConfHigh bound the set of values not rejected at Level
	// (test inversion); an infinite bound means the test cannot reject
	// however far the value (too few clusters for this level).
	ConfLow, ConfHigh float64
	Draws             int
	Enumerated        bool // every weight pattern used: exact, seed-free
	Clusters          int
	Weights           string
	Seed              uint64
	Fit               *fe.Result
	Notes             []string
}

// WCR tests H0: beta_Param = Null in the linear model f (with its fixed
// effects) by the wild cluster restricted bootstrap (Cameron, Gelbach and
// Miller 2008; the fast algebra of Roodman, MacKinnon, Nielsen and Webb
// 2019): residuals of the model estimated under the null are multiplied by
// one random weight per cluster, the model is re-estimated on each
// bootstrap sample and its CRV1 t statistic for the null compared with the
// original one. The confidence interval collects the values of the
// coefficient that the test does not reject at 1-Level, found by bisection
// on the bootstrap p-value as a function of the null.
//
// Each draw costs O(G^2) after G projections of the data on the fixed
// effects and other regressors, so the test is cheap for the few clusters
// it is meant for; the p-value for any null is a function of five sums per
// draw. The original fit and the bootstrap share the CRV1 small-sample
// factor, which therefore cancels. Rows that the fit drops (missing values)
// are dropped here too. Observation weights are not supported.
func WCR(d *frame.Frame, f fe.Formula, opt Options) (*Result, error) {
	if opt.Cluster == "" || opt.Param == "" {
		return nil, fmt.Errorf("wild: the cluster column and the tested coefficient are required")
	}
	switch opt.Weights {
	case "":
		opt.Weights = "rademacher"
	case "rademacher", "webb":
	default:
		return nil, fmt.Errorf("wild: weights %q: want rademacher or webb", opt.Weights)
	}
	if opt.Draws == 0 {
		opt.Draws = 999
	}
	if opt.Draws < 0 {
		return nil, fmt.Errorf("wild: %d draws: want a positive number", opt.Draws)
	}
	if opt.Level == 0 {
		opt.Level = 0.95
	}
	if !(opt.Level > 0 && opt.Level < 1) {
		return nil, fmt.Errorf("wild: confidence level %v is not between 0 and 1", opt.Level)
	}

	fit, err := fe.Fit(d, f, fe.Options{Cluster: []string{opt.Cluster}})
	if err != nil {
		return nil, err
	}
	k := fit.Index(opt.Param)
	if k < 0 {
		for _, c := range fit.Collinear {
			if c == opt.Param {
				return nil, fmt.Errorf("%s: %s is collinear with the fixed effects or other "+
					"regressors and was dropped; it cannot be tested", d.Source, opt.Param)
			}
		}
		return nil, fmt.Errorf("wild: %q is not a term of %s (terms %v)", opt.Param, f, fit.Terms)
	}
	sub := d
	if fit.Rows != nil {
		sub = d.Rows(fit.Rows)
	}
	p, err := prepare(sub, f, fit, k, opt.Cluster)
	if err != nil {
		return nil, err
	}

	res := &Result{Param: opt.Param, Estimate: fit.Coef[k], SE: fit.SE[k], Null: opt.Null,
		Clusters: p.G, Weights: opt.Weights, Seed: opt.Seed, Fit: fit}
	res.Stat = (res.Estimate - opt.Null) / res.SE
	if math.Abs(p.beta-res.Estimate) > 1e-8*math.Max(1, math.Abs(res.Estimate)) {
		return nil, fmt.Errorf("wild: internal check failed: partialled-out coefficient %.12g, "+
			"fit %.12g", p.beta, res.Estimate)
	}

	v, draws, enumerated := weightMatrix(p.G, opt)
	res.Draws, res.Enumerated = draws, enumerated
	if enumerated {
		res.Notes = append(res.Notes, fmt.Sprintf("all %d %s weight patterns of %d clusters "+
			"enumerated: the p-value and interval are exact and do not depend on the seed",
			draws, opt.Weights, p.G))
	} else {
		res.Notes = append(res.Notes, fmt.Sprintf("%d random %s draws (seed %d) over %d "+
			"clusters", draws, opt.Weights, opt.Seed, p.G))
	}
	st := p.stats(v, draws)

	pval := func(b0 float64) float64 {
		t := (res.Estimate - b0) / res.SE
		return st.pValue(b0, t)
	}
	res.PValue = pval(opt.Null)
	alpha := 1 - opt.Level
	res.ConfLow = invert(pval, res.Estimate, -res.SE, alpha)
	res.ConfHigh = invert(pval, res.Estimate, res.SE, alpha)
	if math.IsInf(res.ConfLow, 0) || math.IsInf(res.ConfHigh, 0) {
		why := fmt.Sprintf("%d clusters are too few for a test at this level", p.G)
		if enumerated {
			// A pattern and its negative give the same |t*|, so every
			// p-value is a multiple of 2/draws.
			why = fmt.Sprintf("with %d clusters and all %d weight patterns the smallest "+
				"attainable p-value is %.3g", p.G, draws, 2/float64(draws))
		}
		res.Notes = append(res.Notes, fmt.Sprintf("the test does not reject at level %g for "+
			"any value on one side: %s", alpha, why))
	}
	return res, nil
}

// problem holds the projected data: xt = M x_k and yt = M y, M projecting
// out the fixed effects and the other regressors, cluster codes, and the
// G x G matrices of the fast algorithm.
type problem struct {
	G     int
	xx    float64 // xt'xt
	beta  float64 // xt'yt / xt'xt
	a, b  []float64
	sy    *mat.Dense // S^y[g][h]
	sx    *mat.Dense // S^x[g][h]
	crv1c float64    // small-sample factor of the fit's CRV1 variance
}

func prepare(d *frame.Frame, f fe.Formula, fit *fe.Result, k int,
	cluster string) (*problem, error) {
	n := d.Len()
	y, err := termValues(d, f.Y)
	if err != nil {
		return nil, err
	}
	cols := make([][]float64, len(fit.Terms))
	for j, t := range fit.Terms {
		if t == "(Intercept)" {
			cols[j] = make([]float64, n)
			for i := range cols[j] {
				cols[j][i] = 1
			}
			continue
		}
		if cols[j], err = termValues(d, t); err != nil {
			return nil, err
		}
	}
	var groups [][]int32
	for _, t := range f.FE {
		c, err := groupCodes(d, t)
		if err != nil {
			return nil, err
		}
		groups = append(groups, c)
	}
	cl, err := groupCodes(d, cluster)
	if err != nil {
		return nil, err
	}
	G := 0
	for _, c := range cl {
		G = max(G, int(c)+1)
	}
	if G < 2 {
		return nil, fmt.Errorf("%s: %d cluster(s) in %q: the bootstrap needs at least 2",
			d.Source, G, cluster)
	}
	dm, err := fe.NewDemeaner(groups, nil, fe.Options{})
	if err != nil {
		return nil, err
	}

	// Demean y and the regressors, then residualise on the other
	// regressors z (Frisch-Waugh-Lovell).
	all := append([][]float64{y}, cols...)
	dst := make([][]float64, len(all))
	for j := range dst {
		dst[j] = make([]float64, n)
	}
	if len(groups) > 0 {
		if _, err := dm.DemeanColumns(dst, all); err != nil {
			return nil, err
		}
	} else {
		for j := range all {
			copy(dst[j], all[j])
		}
	}
	var z [][]float64
	for j := range cols {
		if j != k {
			z = append(z, dst[j+1])
		}
	}
	proj, err := newResidualizer(z)
	if err != nil {
		return nil, err
	}
	project := func(v []float64) error { // v <- M_{D,Z} v, v already demeaned or raw
		if len(groups) > 0 {
			if err := dm.Demean(v, v); err != nil {
				return err
			}
		}
		proj.apply(v)
		return nil
	}
	yt, xt := dst[0], dst[k+1]
	proj.apply(yt)
	proj.apply(xt)

	p := &problem{G: G, a: make([]float64, G), b: make([]float64, G)}
	var xy float64
	for i := 0; i < n; i++ {
		p.xx += xt[i] * xt[i]
		xy += xt[i] * yt[i]
		p.a[cl[i]] += xt[i] * yt[i]
		p.b[cl[i]] += xt[i] * xt[i]
	}
	if p.xx <= 1e-14 {
		return nil, fmt.Errorf("%s: %s has no variation left after the fixed effects and other "+
			"regressors", d.Source, fit.Terms[k])
	}
	p.beta = xy / p.xx

	// The fit's CRV1 factor: se^2 = c sum_g (xt_g'e_g)^2 / xx^2.
	score := make([]float64, G)
	for i := 0; i < n; i++ {
		score[cl[i]] += xt[i] * (yt[i] - p.beta*xt[i])
	}
	var ss float64
	for _, s := range score {
		ss += s * s
	}
	p.crv1c = fit.SE[k] * fit.SE[k] * p.xx * p.xx / ss

	// S[g][h] = sum_{i in h} Q_g,i u_i - b_g (xt_h'u_h)/xx with
	// Q_g = M_{D,Z}(xt restricted to cluster g), for u = yt and u = xt.
	p.sy, p.sx = mat.NewDense(G, G, nil), mat.NewDense(G, G, nil)
	q := make([]float64, n)
	for g := 0; g < G; g++ {
		for i := range q {
			q[i] = 0
			if int(cl[i]) == g {
				q[i] = xt[i]
			}
		}
		if err := project(q); err != nil {
			return nil, err
		}
		rowY, rowX := p.sy.RawRowView(g), p.sx.RawRowView(g)
		for i := 0; i < n; i++ {
			rowY[cl[i]] += q[i] * yt[i]
			rowX[cl[i]] += q[i] * xt[i]
		}
		for h := 0; h < G; h++ {
			rowY[h] -= p.b[g] * p.a[h] / p.xx
			rowX[h] -= p.b[g] * p.b[h] / p.xx
		}
	}
	return p, nil
}

// drawStats keeps, per draw, the sums from which t*(b0) follows for any b0:
//
//	t*(b0) = (ny - b0 nx) / sqrt(c (AA - 2 b0 AB + b0^2 BB)).
type drawStats struct {
	ny, nx, aa, ab, bb []float64
	c                  float64
}

func (p *problem) stats(v *mat.Dense, draws int) *drawStats {
	var A, B mat.Dense
	A.Mul(p.sy, v) // G x draws
	B.Mul(p.sx, v)
	st := &drawStats{ny: make([]float64, draws), nx: make([]float64, draws),
		aa: make([]float64, draws), ab: make([]float64, draws), bb: make([]float64, draws),
		c: p.crv1c}
	for g := 0; g < p.G; g++ {
		ra, rb, rv := A.RawRowView(g), B.RawRowView(g), v.RawRowView(g)
		for b := 0; b < draws; b++ {
			st.ny[b] += rv[b] * p.a[g]
			st.nx[b] += rv[b] * p.b[g]
			st.aa[b] += ra[b] * ra[b]
			st.ab[b] += ra[b] * rb[b]
			st.bb[b] += rb[b] * rb[b]
		}
	}
	return st
}

// tStar returns the bootstrap t statistic of draw b under the null b0.
func (st *drawStats) tStar(b int, b0 float64) float64 {
	num := st.ny[b] - b0*st.nx[b]
	den := st.c * (st.aa[b] - 2*b0*st.ab[b] + b0*b0*st.bb[b])
	if den <= 0 {
		if num == 0 {
			return 0
		}
		return math.Inf(1)
	}
	return num / math.Sqrt(den)
}

// pValue is the share of draws with |t*(b0)| >= |t|. A relative tolerance
// of 1e-12 counts ties (the draw that reproduces the sample) as extreme.
func (st *drawStats) pValue(b0, t float64) float64 {
	at := math.Abs(t) * (1 - 1e-12)
	var hits int
	for b := range st.ny {
		if math.Abs(st.tStar(b, b0)) >= at {
			hits++
		}
	}
	return float64(hits) / float64(len(st.ny))
}

// invert finds the bound of {b0 : p(b0) > alpha} on the side of est given
// by the sign of step, by doubling the step until p <= alpha and then
// bisecting; it returns an infinite bound when p stays above alpha.
func invert(p func(float64) float64, est, step, alpha float64) float64 {
	in, out := est, est+step
	for i := 0; p(out) > alpha; i++ {
		if i > 60 {
			return math.Copysign(math.Inf(1), step)
		}
		in, out = out, out+step*math.Pow(2, float64(i+1))
	}
	for i := 0; i < 200 && math.Abs(out-in) > 1e-12*math.Max(math.Abs(est), math.Abs(step)); i++ {
		mid := (in + out) / 2
		if p(mid) > alpha {
			in = mid
		} else {
			out = mid
		}
	}
	return (in + out) / 2
}

// weightMatrix returns the G x draws matrix of cluster weights: every
// pattern when there are no more patterns than requested draws, else
// random draws from a PCG generator seeded with opt.Seed.
func weightMatrix(G int, opt Options) (*mat.Dense, int, bool) {
	vals := []float64{-1, 1}
	if opt.Weights == "webb" {
		h, s := math.Sqrt(0.5), math.Sqrt(1.5)
		vals = []float64{-s, -1, -h, h, 1, s}
	}
	m := len(vals)
	total := 1.0
	for g := 0; g < G && total <= float64(opt.Draws); g++ {
		total *= float64(m)
	}
	if total <= float64(opt.Draws) {
		draws := int(total)
		v := mat.NewDense(G, draws, nil)
		for b := 0; b < draws; b++ {
			code := b
			for g := 0; g < G; g++ {
				v.Set(g, b, vals[code%m])
				code /= m
			}
		}
		return v, draws, true
	}
	rng := rand.New(rand.NewPCG(opt.Seed, 0x3c1d))
	v := mat.NewDense(G, opt.Draws, nil)
	for b := 0; b < opt.Draws; b++ {
		for g := 0; g < G; g++ {
			v.Set(g, b, vals[rng.IntN(m)])
		}
	}
	return v, opt.Draws, false
}

// termValues evaluates a regressor term: a column or log(column).
func termValues(d *frame.Frame, t string) ([]float64, error) {
	name, isLog := t, false
	if strings.HasPrefix(t, "log(") && strings.HasSuffix(t, ")") {
		name, isLog = strings.TrimSpace(t[4:len(t)-1]), true
	}
	v, err := d.Float(name)
	if err != nil {
		return nil, err
	}
	if !isLog {
		return v, nil
	}
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = math.Log(x)
	}
	return out, nil
}

// groupCodes codes a fixed-effect or cluster term (a column or a^b) as
// dense levels.
func groupCodes(d *frame.Frame, t string) ([]int32, error) {
	parts := strings.Split(t, "^")
	var codes []int32
	for _, part := range parts {
		c, _, err := d.Factor(strings.TrimSpace(part))
		if err != nil {
			return nil, err
		}
		if codes == nil {
			codes = slices.Clone(c)
			continue
		}
		idx := map[[2]int32]int32{}
		for i := range codes {
			key := [2]int32{codes[i], c[i]}
			if _, ok := idx[key]; !ok {
				idx[key] = int32(len(idx))
			}
			codes[i] = idx[key]
		}
	}
	for i, c := range codes {
		if c < 0 {
			return nil, &frame.CellError{Source: d.Source, Line: d.Line(i), Column: t,
				Value: "", Reason: "missing value in a fixed-effect or cluster column"}
		}
	}
	return codes, nil
}

// residualizer projects vectors off the span of a few columns z.
type residualizer struct {
	z  [][]float64
	ch mat.Cholesky
}

func newResidualizer(z [][]float64) (*residualizer, error) {
	r := &residualizer{z: z}
	if len(z) == 0 {
		return r, nil
	}
	p := len(z)
	zz := mat.NewSymDense(p, nil)
	for a := 0; a < p; a++ {
		for b := a; b < p; b++ {
			var s float64
			for i := range z[a] {
				s += z[a][i] * z[b][i]
			}
			zz.SetSym(a, b, s)
		}
	}
	if !r.ch.Factorize(zz) {
		return nil, fmt.Errorf("wild: the other regressors are collinear")
	}
	return r, nil
}

func (r *residualizer) apply(v []float64) {
	p := len(r.z)
	if p == 0 {
		return
	}
	zv := mat.NewVecDense(p, nil)
	for a := 0; a < p; a++ {
		var s float64
		for i, x := range r.z[a] {
			s += x * v[i]
		}
		zv.SetVec(a, s)
	}
	var coef mat.VecDense
	if err := r.ch.SolveVecTo(&coef, zv); err != nil {
		panic("wild: " + err.Error())
	}
	for a := 0; a < p; a++ {
		c := coef.AtVec(a)
		for i := range v {
			v[i] -= c * r.z[a][i]
		}
	}
}
