package fe

import (
	"fmt"
	"math"
	"strings"

	"example.org/smartcity/analysis/frame"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// RandomEffects is a one-way (unit) random-effects model estimated by
// feasible GLS with the Swamy and Arora (1972) variance components, as
// plm(model = "random", random.method = "swar") computes them:
//
//	y_it - θ_i ȳ_i = (1 - θ_i) a + (x_it - θ_i x̄_i)'β + error
//	θ_i = 1 - sqrt(σ²_ε / (σ²_ε + T_i σ²_u))
//
// σ²_ε comes from the within (fixed-effects) residuals, σ²_ε = e_w'e_w /
// (N - n - K_w); σ²_u from the between regression of the unit means on the
// mean regressors, weighted by T_i, with the unbiased degrees-of-freedom
// correction that plm uses for unbalanced panels (it reduces to
// σ²_u = (T e_b'e_b/(n-K-1) - σ²_ε)/T when the panel is balanced). A
// negative σ²_u is set to 0. The variance of the coefficients is
// s² (Z*'Z*)^-1 with s² the GLS residual variance on N - K - 1 degrees of
// freedom.
type RandomEffects struct {
	Formula Formula
	Unit    string
	Terms   []string // "(Intercept)" then the regressors
	Coef    []float64
	SE      []float64
	Stat    []float64
	P       []float64 // from Student's t with DFResid degrees of freedom
	Vcov    *mat.SymDense
	NObs    int
	NUnits  int
	DFResid int
	// SigmaIdios2 and SigmaUnit2 are σ²_ε and σ²_u.
	SigmaIdios2, SigmaUnit2 float64
	// Theta is the GLS weight θ when every unit has the same number of
	// observations, NaN otherwise; ThetaMin and ThetaMax bound it.
	Theta, ThetaMin, ThetaMax float64
	// Balanced is true when every unit has the same number of observations.
	Balanced bool
	Notes    []string
}

// FitRandom estimates the unit random-effects model of f (which must have
// no fixed-effect part) with units given by the column unit. Rows with
// missing values are dropped as in Fit. A regressor that is constant (its
// spread below 1e-7 of its level), has no variation between units, or is a
// combination of the regressors before it, is an error that names it.
func FitRandom(d *frame.Frame, f Formula, unit string) (*RandomEffects, error) {
	re, _, err := fitRandom(d, f, unit)
	return re, err
}

func fitRandom(d *frame.Frame, f Formula, unit string) (*RandomEffects, *Result, error) {
	if len(f.FE) > 0 {
		return nil, nil, fmt.Errorf("random effects: formula %s has fixed effects; give the unit "+
			"separately and leave out the '|' part", f)
	}
	fw := f
	fw.FE = []string{unit}
	within, err := Fit(d, fw, Options{Vcov: "iid"})
	if err != nil {
		return nil, nil, err
	}
	ds, err := buildDesign(d, fw, Options{})
	if err != nil {
		return nil, nil, err
	}
	n := ds.feLevels[0]
	g := ds.fe[0]
	O := len(ds.y)
	K := len(f.X)
	if n <= K+1 {
		return nil, nil, fmt.Errorf("random effects: %d units for %d regressors and an intercept; "+
			"the between regression needs more units", n, K)
	}

	// y and the regressors centred at their means, so that the intercept
	// is (nearly, exactly when balanced) orthogonal to the quasi-demeaned
	// regressors and no normal equations below mix a regressor's level
	// with its spread; uncentre maps the estimates back at the end.
	// Centring changes neither the within nor the between residuals, so
	// the variance components and θ are the same.
	centres := make([]float64, K+1)
	cols := make([][]float64, K+1)
	for j, c := range append([][]float64{ds.y}, ds.x...) {
		centres[j] = weightedMean(c, nil)
		cols[j] = shifted(c, centres[j])
	}
	floor := make([]float64, K)
	for j, x := range ds.x {
		floor[j] = zeroFloor(x, nil)
	}
	if err := randomCollinear(d.Source, cols[1:], floor, nil, f.X, false); err != nil {
		return nil, nil, err
	}

	// Unit means and counts.
	ti := make([]float64, n)
	for _, c := range g {
		ti[c]++
	}
	means := make([][]float64, len(cols))
	for j, c := range cols {
		m := make([]float64, n)
		for i, v := range c {
			m[g[i]] += v
		}
		for u := range m {
			m[u] /= ti[u]
		}
		means[j] = m
	}

	// The unit means' spread against their own, and against the rounding
	// of the observations they average.
	for j, x := range ds.x {
		floor[j] = math.Max(collinearTol*centeredSS(means[j+1], ti),
			constantTol*weightedSS(x, nil))
	}
	if err := randomCollinear(d.Source, means[1:], floor, ti, f.X, true); err != nil {
		return nil, nil, err
	}

	// Between regression of ȳ_i on (1, x̄_i), weighted by T_i.
	zb := mat.NewDense(n, K+1, nil)
	yb := mat.NewVecDense(n, nil)
	for u := 0; u < n; u++ {
		s := math.Sqrt(ti[u])
		zb.Set(u, 0, s)
		for j := 0; j < K; j++ {
			zb.Set(u, j+1, s*means[j+1][u])
		}
		yb.SetVec(u, s*means[0][u])
	}
	var qr mat.QR
	qr.Factorize(zb)
	var bb mat.VecDense
	if err := qr.SolveVecTo(&bb, false, yb); err != nil {
		return nil, nil, fmt.Errorf("random effects: between regression: %v", err)
	}
	var fit mat.VecDense
	fit.MulVec(zb, &bb)
	quad2 := 0.0
	for u := 0; u < n; u++ {
		e := yb.AtVec(u) - fit.AtVec(u)
		quad2 += e * e
	}

	// trace((Σ T_i z̄ z̄')^-1 Σ T_i² z̄ z̄') for the unbiased σ²_u.
	zz := mat.NewSymDense(K+1, nil)
	zz2 := mat.NewDense(K+1, K+1, nil)
	zbar := make([]float64, K+1)
	for u := 0; u < n; u++ {
		zbar[0] = 1
		for j := 0; j < K; j++ {
			zbar[j+1] = means[j+1][u]
		}
		for a := 0; a <= K; a++ {
			for b := a; b <= K; b++ {
				zz.SetSym(a, b, zz.At(a, b)+ti[u]*zbar[a]*zbar[b])
				v := zz2.At(a, b) + ti[u]*ti[u]*zbar[a]*zbar[b]
				zz2.Set(a, b, v)
				zz2.Set(b, a, v)
			}
		}
	}
	var ch mat.Cholesky
	if !ch.Factorize(zz) {
		return nil, nil, fmt.Errorf("random effects: the between regressors are collinear")
	}
	var sol mat.Dense
	if err := ch.SolveTo(&sol, zz2); err != nil {
		return nil, nil, fmt.Errorf("random effects: %v", err)
	}
	tr := mat.Trace(&sol)

	kw := len(within.Terms)
	s2e := within.RSS / float64(O-n-kw)
	mIdNu := float64(n - K - 1)
	mIdEta := float64(O) - tr
	s2u := (quad2 - mIdNu*s2e) / mIdEta
	var notes []string
	if s2u < 0 {
		notes = append(notes, fmt.Sprintf("estimated unit variance %.4g < 0 set to 0", s2u))
		s2u = 0
	}

	// Quasi-demeaned GLS regression.
	theta := make([]float64, n)
	tmin, tmax := math.Inf(1), math.Inf(-1)
	for u := range theta {
		theta[u] = 1 - math.Sqrt(s2e/(s2e+ti[u]*s2u))
		tmin, tmax = math.Min(tmin, theta[u]), math.Max(tmax, theta[u])
	}
	zs := make([][]float64, K+1)
	zs[0] = make([]float64, O)
	for i, c := range g {
		zs[0][i] = 1 - theta[c]
	}
	for j := 1; j <= K; j++ {
		v := make([]float64, O)
		x, m := cols[j], means[j]
		for i, c := range g {
			v[i] = x[i] - theta[c]*m[c]
		}
		zs[j] = v
	}
	ys := make([]float64, O)
	for i, c := range g {
		ys[i] = cols[0][i] - theta[c]*means[0][c]
	}
	cross := crossprod(append(append([][]float64(nil), zs...), ys), nil)
	xtx := make([]float64, 0, (K+1)*(K+1))
	xty := make([]float64, K+1)
	for j := 0; j <= K; j++ {
		xtx = append(xtx, cross[j*(K+2):j*(K+2)+K+1]...)
		xty[j] = cross[j*(K+2)+K+1]
	}
	a := mat.NewSymDense(K+1, xtx)
	var chz mat.Cholesky
	if !chz.Factorize(a) {
		return nil, nil, fmt.Errorf("random effects: the GLS regressors are collinear")
	}
	var coef mat.VecDense
	if err := chz.SolveVecTo(&coef, mat.NewVecDense(K+1, xty)); err != nil {
		return nil, nil, err
	}
	inv := mat.NewSymDense(K+1, nil)
	if err := chz.InverseTo(inv); err != nil {
		return nil, nil, err
	}
	rss := 0.0
	for i := range ys {
		e := ys[i]
		for j := range zs {
			e -= coef.AtVec(j) * zs[j][i]
		}
		rss += e * e
	}
	df := O - K - 1
	v := mat.NewSymDense(K+1, nil)
	v.ScaleSym(rss/float64(df), inv)
	b := make([]float64, K+1)
	for j := range b {
		b[j] = coef.AtVec(j)
	}
	uncentre(b, centres[0], centres[1:], v)

	re := &RandomEffects{
		Formula: f, Unit: unit, Terms: append([]string{"(Intercept)"}, f.X...),
		Vcov: v, NObs: O, NUnits: n, DFResid: df, SigmaIdios2: s2e, SigmaUnit2: s2u,
		ThetaMin: tmin, ThetaMax: tmax, Theta: math.NaN(), Balanced: true,
	}
	for _, t := range ti {
		re.Balanced = re.Balanced && t == ti[0]
	}
	if re.Balanced {
		re.Theta = tmin
	}
	st := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(df)}
	for j, bj := range b {
		se := math.Sqrt(v.At(j, j))
		re.Coef = append(re.Coef, bj)
		re.SE = append(re.SE, se)
		re.Stat = append(re.Stat, bj/se)
		re.P = append(re.P, 2*st.Survival(math.Abs(bj/se)))
	}
	for _, dr := range ds.drops {
		notes = append(notes, fmt.Sprintf("%d of %d rows dropped: %s", dr.Rows, ds.nRows, dr.Reason))
	}
	notes = append(notes, fmt.Sprintf("Swamy-Arora variance components: sigma2_idios %.6g, "+
		"sigma2_unit %.6g", s2e, s2u))
	re.Notes = notes
	return re, within, nil
}

// randomCollinear reports the regressors that the random-effects model
// cannot estimate: with an intercept and weights w, the centred columns xc
// (orthogonal to the intercept, which therefore need not enter) must be
// linearly independent, column j's own sum of squares counting as
// zero at or below floor[j] (see independent). It checks the observations
// (between is false) or the unit means, which the between regression
// needs (between is true).
func randomCollinear(source string, xc [][]float64, floor, w []float64, terms []string,
	between bool) error {
	if len(xc) == 0 {
		return nil
	}
	keep := independent(crossprod(xc, w), floor)
	var bad []string
	for j, ok := range keep {
		if !ok {
			bad = append(bad, terms[j])
		}
	}
	if len(bad) == 0 {
		return nil
	}
	if between {
		return fmt.Errorf("%s: random effects: cannot estimate %s: the unit means do not "+
			"vary between units, or are a combination of those of the regressors before "+
			"them, and the between regression needs them; leave them out",
			source, strings.Join(bad, ", "))
	}
	return fmt.Errorf("%s: random effects: cannot estimate %s: constant, or a combination "+
		"of the intercept and the regressors before them; leave them out",
		source, strings.Join(bad, ", "))
}

// HausmanTest compares fixed and random effects.
type HausmanTest struct {
	// Stat is (b_FE - b_RE)' (V_FE - V_RE)^-1 (b_FE - b_RE) over the
	// regressors both models estimate, chi-squared with DF degrees of
	// freedom under the null that the random effects are consistent.
	Stat  float64
	DF    int
	P     float64
	Terms []string
	FE    *Result
	RE    *RandomEffects
	Notes []string
}

// Hausman runs the Hausman (1978) test of unit fixed effects against unit
// random effects (Swamy-Arora) for the model f, as plm's phtest does with
// its defaults: both variance matrices are the models' iid estimates. If
// time is not empty, it names the period column and a unit observed twice
// in one period is an error naming the rows.
//
// BUG(fe): only unit effects are compared (plm's effect = "individual");
// time effects (effect = "twoways") are not supported: the period column
// only checks the panel index.
func Hausman(d *frame.Frame, f Formula, unit, time string) (*HausmanTest, error) {
	if err := f.Validate(); err != nil {
		return nil, fmt.Errorf("formula %s: %v", f, err)
	}
	if time != "" {
		if err := checkPanelIndex(d, unit, time); err != nil {
			return nil, err
		}
	}
	re, within, err := fitRandom(d, f, unit)
	if err != nil {
		return nil, err
	}
	h := &HausmanTest{FE: within, RE: re, Terms: within.Terms}
	q := len(within.Terms)
	diff := mat.NewVecDense(q, nil)
	v := mat.NewDense(q, q, nil)
	ri := make([]int, q)
	for a, t := range within.Terms {
		for j, s := range re.Terms {
			if s == t {
				ri[a] = j
			}
		}
	}
	for a := 0; a < q; a++ {
		diff.SetVec(a, within.Coef[a]-re.Coef[ri[a]])
		for b := 0; b < q; b++ {
			v.Set(a, b, within.Vcov.At(a, b)-re.Vcov.At(ri[a], ri[b]))
		}
	}
	var x mat.VecDense
	if err := x.SolveVec(v, diff); err != nil {
		return nil, fmt.Errorf("Hausman test: V_FE - V_RE is singular: %v", err)
	}
	h.Stat = mat.Dot(diff, &x)
	h.DF = q
	h.P = distuv.ChiSquared{K: float64(q)}.Survival(h.Stat)
	if len(within.Collinear) > 0 {
		h.Notes = append(h.Notes, "not compared (no within variation): "+
			strings.Join(within.Collinear, ", "))
	}
	if h.Stat < 0 {
		h.Notes = append(h.Notes, "V_FE - V_RE is not positive definite; the statistic is negative")
	}
	return h, nil
}

// checkPanelIndex reports a unit observed twice in one period.
func checkPanelIndex(d *frame.Frame, unit, time string) error {
	u, _, err := d.Factor(unit)
	if err != nil {
		return err
	}
	t, lt, err := d.Factor(time)
	if err != nil {
		return err
	}
	seen := map[int64]int{}
	for i := range u {
		if u[i] < 0 || t[i] < 0 {
			continue
		}
		k := int64(u[i])*int64(len(lt)) + int64(t[i])
		if j, ok := seen[k]; ok {
			uv, _ := d.Text(unit)
			tv, _ := d.Text(time)
			return fmt.Errorf("%s: lines %d and %d: unit %s (column %q) "+
				"appears twice in period %s (column %q)",
				d.Source, d.Line(j), d.Line(i), uv[i], unit, tv[i], time)
		}
		seen[k] = i
	}
	return nil
}

// Index returns the position of term in Terms, or -1.
func (r *RandomEffects) Index(term string) int {
	for i, t := range r.Terms {
		if t == term {
			return i
		}
	}
	return -1
}
