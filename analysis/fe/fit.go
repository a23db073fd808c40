package fe

import (
	"fmt"
	"math"
	"strings"

	"example.org/smartcity/analysis/frame"
	"gonum.org/v1/gonum/mat"
)

// collinearTol is the relative size below which a regressor's Cholesky pivot
// counts as zero: the regressor is then a linear combination of the fixed
// effects and the regressors before it (fixest uses the same threshold).
const collinearTol = 1e-10

// Result is a fitted model. Slices indexed by term follow Terms: the
// regressors that were estimated, in formula order, with "(Intercept)"
// first when the model has no fixed effects. Terms dropped as collinear are
// listed in Collinear, not in Terms.
type Result struct {
	Formula Formula
	Terms   []string
	Coef    []float64
	SE      []float64
	Stat    []float64 // t statistics
	P       []float64 // two-sided p-values from Student's t with DF degrees of freedom
	// ConfLow and ConfHigh bound the confidence intervals at Level.
	ConfLow, ConfHigh []float64
	Vcov              *mat.SymDense
	NObs              int
	NClusters         int // clusters of the first cluster column; 0 if not clustered
	DFResid           int // N minus slopes minus fixed-effect parameters
	R2, R2Within      float64
	// Notes is the account of the fit in words: rows dropped and why,
	// singletons, collinear terms, the demeaning, the variance estimator.
	Notes      []string
	Iterations int
	Converged  bool

	// VcovType names the variance estimator, e.g. "CRV1 (nested), clustered by city".
	VcovType string
	Vce      string // "iid", "hetero" or "cluster"
	SSC      string
	Cluster  []string
	// ClusterSizes counts the clusters of each cluster column.
	ClusterSizes []int
	// DF is the degrees of freedom of the t statistics: G-1 for clustered
	// errors (G the smaller number of clusters), DFResid otherwise.
	DF    int
	Level float64
	// FixedEffects describes each fixed-effect dimension.
	FixedEffects []FixedEffect
	// FEParams counts the fixed-effect parameters that are identified
	// (levels minus redundancies).
	FEParams int
	// Singletons counts observations alone in a level of a fixed effect;
	// they were removed when SingletonsDropped.
	Singletons        int
	SingletonsDropped bool
	Collinear         []string
	// RowsDropped counts the rows of the input that were not used, by reason.
	RowsDropped []Drop
	NRows       int // rows of the input frame
	// Rows lists the frame rows used, in order; nil when every row was used.
	Rows []int
	// Resid holds the residuals of the estimation sample (in the order of
	// Rows); Weights is the weight column, if any.
	Resid       []float64
	Weights     string
	RSS, TSS    float64
	ExactDemean bool
	Sigma       float64 // residual standard error, sqrt(RSS/DFResid)
	XtXInv      *mat.SymDense
}

// FixedEffect is one fixed-effect dimension of a fitted model.
type FixedEffect struct {
	Name   string
	Levels int
	// Nested is true when every level lies within one cluster, so that
	// the nested small-sample rule does not count it.
	Nested bool
}

// Fit estimates the model f on the data d by least squares with the fixed
// effects projected out, and the variance of the coefficients as opt says.
//
// Rows with a missing value in any column the model uses (a NaN, an empty
// cell, a non-positive value under log(), a zero weight) are dropped and
// counted in RowsDropped and Notes. Regressors that are collinear with the
// fixed effects or with earlier regressors are dropped and named in
// Collinear and Notes, and so is a regressor whose spread is below 1e-7 of
// its level (constant to working precision, as R's lm judges it); if none
// is left, Fit returns an error. Without fixed effects, the regressors are
// centred at their means for the estimation and the results mapped back,
// so a large level costs no precision. An unknown column or a non-numeric
// cell is an error naming the file, line, column and value. If the
// iterative demeaning does not converge, Fit returns a
// *NonConvergenceError.
func Fit(d *frame.Frame, f Formula, opt Options) (*Result, error) {
	if err := f.Validate(); err != nil {
		return nil, fmt.Errorf("formula %s: %v", f, err)
	}
	opt, err := opt.normalized()
	if err != nil {
		return nil, err
	}
	ds, err := buildDesign(d, f, opt)
	if err != nil {
		return nil, err
	}
	r := &Result{
		Formula: f, NRows: ds.nRows, NObs: len(ds.y), Rows: ds.rows,
		Vce: opt.Vcov, SSC: opt.SSC, Cluster: opt.Cluster, Level: opt.Level,
		Weights: opt.Weights, Singletons: ds.single, SingletonsDropped: ds.dropped1,
		RowsDropped: ds.drops,
	}
	for k, name := range f.FE {
		r.FixedEffects = append(r.FixedEffects, FixedEffect{Name: name, Levels: ds.feLevels[k]})
	}

	// Project the fixed effects out of y and every regressor at once.
	terms := append([]string(nil), f.X...)
	cols := ds.x
	if len(ds.fe) == 0 {
		ones := make([]float64, len(ds.y))
		for i := range ones {
			ones[i] = 1
		}
		terms = append([]string{"(Intercept)"}, terms...)
		cols = append([][]float64{ones}, cols...)
	}
	floor := make([]float64, len(cols))
	for j, c := range cols {
		floor[j] = zeroFloor(c, ds.w)
	}
	yt, xt := ds.y, cols
	var centres []float64 // of cols[1:], when centred
	var yCentre float64
	if len(ds.fe) > 0 {
		dm, err := NewDemeaner(ds.fe, ds.w, opt)
		if err != nil {
			return nil, err
		}
		src := append([][]float64{ds.y}, cols...)
		dst := make([][]float64, len(src))
		for k := range dst {
			dst[k] = make([]float64, len(ds.y))
		}
		conv, _, err := dm.demean(dst, src, false)
		if err != nil {
			return nil, err
		}
		r.Iterations, r.Converged, r.ExactDemean = conv.Iterations, conv.Converged, conv.Exact
		yt, xt = dst[0], dst[1:]
		if dm.Exact() && len(ds.fe) == 2 {
			// A full grid is connected: one redundant level.
			r.FEParams = ds.feLevels[0] + ds.feLevels[1] - 1
		} else {
			r.FEParams = feParams(ds.fe, ds.feLevels)
		}
	} else {
		// Centre y and the regressors at their means, so that the
		// intercept is orthogonal to them: the collinearity check and the
		// normal equations then see each regressor's spread, not its
		// level (with x = 1e6 + noise of sd 1, the uncentred X'X has a
		// condition number near 1e24). The estimates are mapped back to
		// the uncentred regressors after the variance is computed.
		r.Converged, r.ExactDemean = true, true
		centres = make([]float64, len(cols)-1)
		xt = make([][]float64, len(cols))
		xt[0] = cols[0]
		for j := 1; j < len(cols); j++ {
			centres[j-1] = weightedMean(cols[j], ds.w)
			xt[j] = shifted(cols[j], centres[j-1])
		}
		yCentre = weightedMean(ds.y, ds.w)
		yt = shifted(ds.y, yCentre)
	}

	// Normal equations, with collinear regressors removed. y rides along as
	// the last column, which gives y'y after demeaning.
	all := append(append([][]float64(nil), xt...), yt)
	cross := crossprod(all, ds.w)
	nc := len(all)
	xtx := make([]float64, len(cols)*len(cols))
	xty := make([]float64, len(cols))
	for j := range cols {
		copy(xtx[j*len(cols):(j+1)*len(cols)], cross[j*nc:j*nc+len(cols)])
		xty[j] = cross[j*nc+len(cols)]
	}
	yty := cross[nc*nc-1]
	keep := independent(xtx, floor)
	var kept []int
	for j, ok := range keep {
		if ok {
			kept = append(kept, j)
		} else {
			r.Collinear = append(r.Collinear, terms[j])
		}
	}
	if len(kept) == 0 {
		return nil, fmt.Errorf("%s: every regressor of %s is collinear with the fixed effects "+
			"(or constant); nothing left to estimate", d.Source, f)
	}
	K := len(kept)
	a := mat.NewSymDense(K, nil)
	b := mat.NewVecDense(K, nil)
	xk := make([][]float64, K)
	for p, j := range kept {
		r.Terms = append(r.Terms, terms[j])
		xk[p] = xt[j]
		b.SetVec(p, xty[j])
		for q, l := range kept[:p+1] {
			a.SetSym(q, p, xtx[l*len(cols)+j])
		}
	}
	var chol mat.Cholesky
	if !chol.Factorize(a) {
		return nil, fmt.Errorf("%s: X'X of %s is not positive definite after removing collinear terms",
			d.Source, f)
	}
	var coef mat.VecDense
	if err := chol.SolveVecTo(&coef, b); err != nil {
		return nil, fmt.Errorf("%s: solving the normal equations of %s: %v", d.Source, f, err)
	}
	bread := mat.NewSymDense(K, nil)
	if err := chol.InverseTo(bread); err != nil {
		return nil, fmt.Errorf("%s: inverting X'X of %s: %v", d.Source, f, err)
	}
	r.XtXInv = bread
	r.Coef = make([]float64, K)
	for p := range r.Coef {
		r.Coef[p] = coef.AtVec(p)
	}

	// Residuals and fit.
	e := make([]float64, len(yt))
	r.RSS = residuals(e, yt, xk, r.Coef, ds.w)
	r.Resid = e
	r.TSS = centeredSS(ds.y, ds.w)
	r.R2 = 1 - r.RSS/r.TSS
	r.R2Within = math.NaN()
	if len(ds.fe) > 0 {
		r.R2Within = 1 - r.RSS/yty
	}
	r.DFResid = r.NObs - K - r.FEParams
	if r.DFResid > 0 {
		r.Sigma = math.Sqrt(r.RSS / float64(r.DFResid))
	}

	if err := r.computeVcov(ds, xk, e); err != nil {
		return nil, err
	}
	if centres != nil {
		// kept[0] is the intercept: its floor is below its Σ w.
		m := make([]float64, K-1)
		for p, j := range kept[1:] {
			m[p] = centres[j-1]
		}
		uncentre(r.Coef, yCentre, m, r.Vcov, r.XtXInv)
	}
	r.inference()
	r.writeNotes()
	return r, nil
}

// residuals writes e = y - Σ_j coef_j x_j block by block and returns the
// weighted residual sum of squares.
func residuals(e, y []float64, x [][]float64, coef []float64, w []float64) float64 {
	const block = 2048
	rss := 0.0
	n := len(y)
	for lo := 0; lo < n; lo += block {
		hi := min(lo+block, n)
		eb := e[lo:hi]
		copy(eb, y[lo:hi])
		for j, xj := range x {
			c := coef[j]
			xb := xj[lo:hi]
			for i := range eb {
				eb[i] -= c * xb[i]
			}
		}
		if w == nil {
			for _, v := range eb {
				rss += v * v
			}
		} else {
			wb := w[lo:hi]
			for i, v := range eb {
				rss += wb[i] * v * v
			}
		}
	}
	return rss
}

// crossprod returns X'WX (row-major, K×K), reading the rows in blocks
// that stay in cache.
func crossprod(x [][]float64, w []float64) []float64 {
	K := len(x)
	xtx := make([]float64, K*K)
	if K == 0 {
		return xtx
	}
	n := len(x[0])
	const block = 1024
	var wx [block]float64
	for lo := 0; lo < n; lo += block {
		hi := min(lo+block, n)
		for j := 0; j < K; j++ {
			xj := x[j][lo:hi]
			if w != nil {
				ww := w[lo:hi]
				for i, v := range xj {
					wx[i] = ww[i] * v
				}
			} else {
				copy(wx[:], xj)
			}
			wj := wx[:hi-lo]
			for l := j; l < K; l++ {
				xl := x[l][lo:hi]
				xl = xl[:len(wj)]
				s := 0.0
				for i, v := range wj {
					s += v * xl[i]
				}
				xtx[j*K+l] += s
			}
		}
	}
	for j := 0; j < K; j++ {
		for l := 0; l < j; l++ {
			xtx[j*K+l] = xtx[l*K+j]
		}
	}
	return xtx
}

// independent walks the regressors in order with an incremental Cholesky
// factorization of X'X (after the fixed effects are projected out, or of
// the centred regressors and the intercept) and keeps those whose pivot is
// not negligible. Regressor j is dropped when its own sum of squares is at
// most floor[j] (see zeroFloor: it is constant, or absorbed by the fixed
// effects), or when its pivot is below collinearTol times that sum of
// squares (it is a combination of the regressors kept before it).
func independent(xtx []float64, floor []float64) []bool {
	K := len(floor)
	keep := make([]bool, K)
	L := make([]float64, K*K)
	var kept []int
	for j := 0; j < K; j++ {
		ajj := xtx[j*K+j]
		if ajj <= floor[j] || ajj <= 0 {
			continue
		}
		piv := ajj
		for _, k := range kept {
			piv -= L[j*K+k] * L[j*K+k]
		}
		if piv <= collinearTol*ajj {
			continue
		}
		ljj := math.Sqrt(piv)
		L[j*K+j] = ljj
		for i := j + 1; i < K; i++ {
			s := xtx[i*K+j]
			for _, k := range kept {
				s -= L[i*K+k] * L[j*K+k]
			}
			L[i*K+j] = s / ljj
		}
		keep[j] = true
		kept = append(kept, j)
	}
	return keep
}

func weightedSS(x, w []float64) float64 {
	s := 0.0
	if w == nil {
		for _, v := range x {
			s += v * v
		}
		return s
	}
	for i, v := range x {
		s += w[i] * v * v
	}
	return s
}

// centeredSS returns Σ w (x - mean_w)², in one pass on values shifted by
// x[0] so that a large mean does not cancel the digits of the spread.
func centeredSS(x, w []float64) float64 {
	if len(x) == 0 {
		return 0
	}
	x0 := x[0]
	var sw, s1, s2 float64
	if w == nil {
		for _, v := range x {
			d := v - x0
			s1 += d
			s2 += d * d
		}
		sw = float64(len(x))
	} else {
		for i, v := range x {
			d := v - x0
			s1 += w[i] * d
			s2 += w[i] * d * d
			sw += w[i]
		}
	}
	return s2 - s1*s1/sw
}

// feParams counts the identified fixed-effect parameters: for the first two
// dimensions, their levels minus the connected components of the graph that
// joins levels observed together (exact); each further dimension adds its
// levels minus one (exact when it is not nested in the others).
//
// BUG(fe): with three or more fixed-effect dimensions, redundancies beyond
// the first pair are not detected: city + year + province^year counts
// year's levels although province^year spans them, which lowers DFResid
// and raises K of the full and nested rules.
func feParams(fe [][]int32, levels []int) int {
	if len(fe) == 0 {
		return 0
	}
	if len(fe) == 1 {
		return levels[0]
	}
	n := levels[0] + levels[1] - components(fe[0], levels[0], fe[1], levels[1])
	for k := 2; k < len(fe); k++ {
		n += levels[k] - 1
	}
	return n
}

// components counts the connected components of the bipartite graph with an
// edge between a[i] and b[i] for every i.
func components(a []int32, la int, b []int32, lb int) int {
	parent := make([]int32, la+lb)
	for i := range parent {
		parent[i] = int32(i)
	}
	find := func(x int32) int32 {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	comps := la + lb
	prevA, prevB := int32(-1), int32(-1)
	for i := range a {
		if a[i] == prevA && b[i] == prevB {
			continue
		}
		prevA, prevB = a[i], b[i]
		ra, rb := find(a[i]), find(int32(la)+b[i])
		if ra != rb {
			parent[ra] = rb
			comps--
		}
	}
	return comps
}

// Index returns the position of term in Terms, or -1.
func (r *Result) Index(term string) int {
	for i, t := range r.Terms {
		if t == term {
			return i
		}
	}
	return -1
}

func (r *Result) writeNotes() {
	var notes []string
	for _, d := range r.RowsDropped {
		notes = append(notes, fmt.Sprintf("%d of %d rows dropped: %s", d.Rows, r.NRows, d.Reason))
	}
	if len(r.FixedEffects) > 0 {
		switch {
		case r.Singletons == 0:
			notes = append(notes, "no singletons in the fixed effects")
		case r.SingletonsDropped:
			notes = append(notes, fmt.Sprintf("%d singleton observations dropped", r.Singletons))
		default:
			notes = append(notes, fmt.Sprintf("%d singleton observations kept "+
				"(they do not change the coefficients; DropSingletons removes them)", r.Singletons))
		}
	}
	if len(r.Collinear) > 0 {
		notes = append(notes, "collinear terms dropped: "+strings.Join(r.Collinear, ", "))
	}
	if len(r.FixedEffects) > 0 {
		var parts []string
		for _, fe := range r.FixedEffects {
			parts = append(parts, fmt.Sprintf("%s (%d)", fe.Name, fe.Levels))
		}
		how := "exact one-pass demeaning"
		if !r.ExactDemean {
			how = fmt.Sprintf("iterative demeaning converged in %d iterations", r.Iterations)
		}
		notes = append(notes, "fixed effects: "+strings.Join(parts, ", ")+"; "+how)
	}
	if r.Weights != "" {
		notes = append(notes, "weighted by "+r.Weights)
	}
	notes = append(notes, "standard errors: "+r.VcovType)
	r.Notes = notes
}
