package fe

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"example.org/smartcity/analysis/frame"
	"gonum.org/v1/gonum/stat/distuv"
)

// largeLevel is x = 1e6 + N(0,1), y = 2x + N(0,1) on n rows in 10 clusters
// g (seeded): a regressor whose spread is 1e-6 of its level.
func largeLevel(n int) *frame.Frame {
	rng := rand.New(rand.NewPCG(7, 11))
	x, y, g := make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range x {
		x[i] = 1e6 + rng.NormFloat64()
		y[i] = 2*x[i] + rng.NormFloat64()
		g[i] = float64(i % 10)
	}
	d := frame.New("large_level")
	d.SetFloat("x", x)
	d.SetFloat("y", y)
	d.SetFloat("g", g)
	return d
}

// mean2 is the mean of v, refined by a second pass.
func mean2(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	m := s / float64(len(v))
	c := 0.0
	for _, x := range v {
		c += x - m
	}
	return m + c/float64(len(v))
}

func TestLargeLevelWithoutFixedEffects(t *testing.T) {
	// Expected values: the closed-form simple regression on centred data,
	// b = Sxy/Sxx, a = ȳ - b x̄, and the variances from the influence of
	// each row on (a, b): ψ_b = (x_i - x̄) e_i / Sxx, ψ_a = e_i/n - x̄ ψ_b;
	// iid V = s² [[1/n + x̄²/Sxx, -x̄/Sxx], [., 1/Sxx]], HC1 V = n/(n-2)
	// Σ ψ ψ', CRV1 V = G/(G-1) (n-1)/(n-2) Σ_g (Σ_{i∈g} ψ)(Σ_{i∈g} ψ)'.
	// Tolerance 1e-9 relative.
	const n = 200
	d := largeLevel(n)
	x, _ := d.Float("x")
	y, _ := d.Float("y")
	g, _ := d.Float("g")
	mx, my := mean2(x), mean2(y)
	var sxx, sxy, tss float64
	for i := range x {
		sxx += (x[i] - mx) * (x[i] - mx)
		sxy += (x[i] - mx) * (y[i] - my)
		tss += (y[i] - my) * (y[i] - my)
	}
	b := sxy / sxx
	a := my - b*mx
	e := make([]float64, n)
	rss := 0.0
	for i := range e {
		e[i] = (y[i] - my) - b*(x[i]-mx)
		rss += e[i] * e[i]
	}
	psiA, psiB := make([]float64, n), make([]float64, n)
	for i := range e {
		psiB[i] = (x[i] - mx) * e[i] / sxx
		psiA[i] = e[i]/n - mx*psiB[i]
	}
	// vAA, vAB, vBB of Σ over groups of the summed influences.
	outer := func(group func(i int) int, groups int) (aa, ab, bb float64) {
		sa, sb := make([]float64, groups), make([]float64, groups)
		for i := range e {
			sa[group(i)] += psiA[i]
			sb[group(i)] += psiB[i]
		}
		for k := range sa {
			aa += sa[k] * sa[k]
			ab += sa[k] * sb[k]
			bb += sb[k] * sb[k]
		}
		return aa, ab, bb
	}
	s2 := rss / (n - 2)
	hAA, hAB, hBB := outer(func(i int) int { return i }, n)
	cAA, cAB, cBB := outer(func(i int) int { return int(g[i]) }, 10)
	hc, cc := float64(n)/(n-2), 10.0/9*float64(n-1)/(n-2)
	cases := []struct {
		name       string
		opt        Options
		aa, ab, bb float64
		df         int
	}{
		{"iid", Options{Vcov: "iid"}, s2 * (1.0/n + mx*mx/sxx), -s2 * mx / sxx, s2 / sxx, n - 2},
		{"HC1", Options{Vcov: "hetero"}, hc * hAA, hc * hAB, hc * hBB, n - 2},
		{"CRV1 by g", Options{Cluster: []string{"g"}}, cc * cAA, cc * cAB, cc * cBB, 9},
	}
	f, _ := ParseFormula("y ~ x")
	for _, c := range cases {
		r, err := Fit(d, f, c.opt)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if len(r.Collinear) > 0 || len(r.Terms) != 2 || r.Terms[1] != "x" {
			t.Fatalf("%s: terms %v, collinear %v; want (Intercept), x and none", c.name,
				r.Terms, r.Collinear)
		}
		const tol = 1e-9
		if !relClose(r.Coef[0], a, tol) || !relClose(r.Coef[1], b, tol) {
			t.Errorf("%s: coef %.15g %.15g, want %.15g %.15g", c.name, r.Coef[0], r.Coef[1], a, b)
		}
		if !relClose(r.Vcov.At(0, 0), c.aa, tol) || !relClose(r.Vcov.At(0, 1), c.ab, tol) ||
			!relClose(r.Vcov.At(1, 1), c.bb, tol) {
			t.Errorf("%s: vcov %.15g %.15g %.15g, want %.15g %.15g %.15g", c.name,
				r.Vcov.At(0, 0), r.Vcov.At(0, 1), r.Vcov.At(1, 1), c.aa, c.ab, c.bb)
		}
		if !relClose(r.SE[1], math.Sqrt(c.bb), tol) || r.DF != c.df || r.DFResid != n-2 {
			t.Errorf("%s: SE %.15g DF %d DFResid %d, want %.15g %d %d", c.name, r.SE[1], r.DF,
				r.DFResid, math.Sqrt(c.bb), c.df, n-2)
		}
		if !relClose(r.RSS, rss, tol) || !relClose(r.R2, 1-rss/tss, tol) || !math.IsNaN(r.R2Within) {
			t.Errorf("%s: RSS %.15g R2 %.15g within %v, want %.15g %.15g NaN", c.name, r.RSS,
				r.R2, r.R2Within, rss, 1-rss/tss)
		}
		// The interval and the Wald test follow from the mapped-back
		// coefficient and variance: F(1, DF) of x is t².
		w, err := r.Wald([]string{"x"})
		if err != nil {
			t.Fatal(err)
		}
		tx := b / math.Sqrt(c.bb)
		if !relClose(w.Stat, tx*tx, tol) || !relClose(r.Stat[1], tx, tol) {
			t.Errorf("%s: Wald F %.15g t %.15g, want %.15g %.15g", c.name, w.Stat, r.Stat[1],
				tx*tx, tx)
		}
		q := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(c.df)}.Quantile(0.975)
		lo, hi := r.ConfInt(0.95)
		for k, v := range [][2]float64{{a, c.aa}, {b, c.bb}} {
			wlo, whi := v[0]-q*math.Sqrt(v[1]), v[0]+q*math.Sqrt(v[1])
			if !relClose(lo[k], wlo, tol) || !relClose(hi[k], whi, tol) {
				t.Errorf("%s: interval %d [%.15g, %.15g], want [%.15g, %.15g]", c.name, k,
					lo[k], hi[k], wlo, whi)
			}
		}
	}
}

func TestLargeLevelWithFixedEffects(t *testing.T) {
	// Expected: the within regression in closed form, b = Σ ẍ ÿ / Σ ẍ²
	// with ẍ = x - (mean of x in its group g), iid SE sqrt(RSS/(n-G-1) /
	// Σ ẍ²). The spread of x is 1e-6 of its level; it is not absorbed by g.
	// Tolerance 1e-9 relative.
	const n = 200
	d := largeLevel(n)
	x, _ := d.Float("x")
	y, _ := d.Float("y")
	g, _ := d.Float("g")
	var mx, my [10]float64
	for i := range x {
		mx[int(g[i])] += (x[i] - 1e6) / (n / 10)
		my[int(g[i])] += (y[i] - 2e6) / (n / 10)
	}
	var sxx, sxy float64
	for i := range x {
		k := int(g[i])
		sxx += (x[i] - 1e6 - mx[k]) * (x[i] - 1e6 - mx[k])
		sxy += (x[i] - 1e6 - mx[k]) * (y[i] - 2e6 - my[k])
	}
	b := sxy / sxx
	rss := 0.0
	for i := range x {
		k := int(g[i])
		e := (y[i] - 2e6 - my[k]) - b*(x[i]-1e6-mx[k])
		rss += e * e
	}
	se := math.Sqrt(rss / (n - 10 - 1) / sxx)
	f, _ := ParseFormula("y ~ x | g")
	r, err := Fit(d, f, Options{Vcov: "iid"})
	if err != nil {
		t.Fatal(err)
	}
	if r.Index("x") != 0 || !relClose(r.Coef[0], b, 1e-9) || !relClose(r.SE[0], se, 1e-9) {
		t.Errorf("terms %v coef %v SE %v, want x %.15g (%.15g)", r.Terms, r.Coef, r.SE, b, se)
	}
}

func TestConstantRegressorDropped(t *testing.T) {
	// A column constant to working precision is collinear with the
	// intercept or the fixed effects and is dropped: an exact constant, a
	// constant whose weighted mean is not exact (0.1*3 under uneven
	// weights), and spread 1e-9 of the level (below R's 1e-7 on norms); so
	// is a shifted copy of another regressor. A spread of 1e-6 is kept.
	const n = 60
	rng := rand.New(rand.NewPCG(5, 9))
	cols := map[string][]float64{}
	for _, name := range []string{"y", "x", "w", "g", "exact", "tenth", "tiny", "shifted", "small"} {
		cols[name] = make([]float64, n)
	}
	for i := 0; i < n; i++ {
		x := rng.NormFloat64()
		cols["y"][i] = x + rng.NormFloat64()
		cols["x"][i] = x
		cols["w"][i] = 0.5 + rng.Float64()
		cols["g"][i] = float64(i % 6)
		cols["exact"][i] = 1e6 + 0.5
		cols["tenth"][i] = 0.1 * 3
		cols["tiny"][i] = 1e6 + 1e-3*rng.NormFloat64()
		cols["shifted"][i] = x + 1e6
		cols["small"][i] = 1e6 + rng.NormFloat64()
	}
	d := frame.New("constants")
	for _, name := range []string{"y", "x", "w", "g", "exact", "tenth", "tiny", "shifted", "small"} {
		d.SetFloat(name, cols[name])
	}
	for _, c := range []struct {
		formula string
		weights string
	}{
		{"y ~ x + exact + tenth + tiny + shifted + small", ""},
		{"y ~ x + exact + tenth + tiny + shifted + small", "w"},
		{"y ~ x + exact + tenth + tiny + shifted + small | g", "w"},
	} {
		f, _ := ParseFormula(c.formula)
		r, err := Fit(d, f, Options{Weights: c.weights})
		if err != nil {
			t.Fatalf("%s: %v", c.formula, err)
		}
		got := strings.Join(r.Collinear, " ")
		if got != "exact tenth tiny shifted" || r.Index("small") < 0 || r.Index("x") < 0 {
			t.Errorf("%s (weights %q): collinear %q, terms %v; want exact tenth tiny shifted "+
				"dropped, x and small kept", c.formula, c.weights, got, r.Terms)
		}
	}
}

func TestPooledAgainstR(t *testing.T) {
	// testdata/pooled_reference.R: lm without fixed effects, weights emp,
	// on produc without every 7th row from the 4th, with sandwich 3.0-2
	// (R 4.2.2): coefficients, standard errors and the intercept's row of
	// each variance matrix. Tolerance 1e-8 relative (1e-7 for the
	// intercept's covariances, some of which are small differences).
	terms := []string{"(Intercept)", "log(pcap)", "log(pc)", "log(emp)", "unemp"}
	coef := []float64{1.46990168191012, 0.195965929273244, 0.28004428268253,
		0.604851279461396, -0.00731160087331078}
	want := []struct {
		name    string
		opt     Options
		se, row []float64
	}{
		{"iid (vcov.lm)", Options{Vcov: "iid"},
			[]float64{0.0594026558910599, 0.0150809477884082, 0.00994160641819979,
				0.0160886301502277, 0.00135505458400203},
			[]float64{0.00352867552691167, -0.000506366695363006, -0.000353594709338723,
				0.000727908590772077, 1.16352977918295e-05}},
		{"HC1 (vcovHC HC1)", Options{Vcov: "hetero"},
			[]float64{0.0726769224515131, 0.0169243381764745, 0.0106512610448276,
				0.0198794302449776, 0.0013270328368672},
			[]float64{0.00528193505702324, -0.000857928670554636, -0.000498821315257851,
				0.00118837126302752, 9.17577150653304e-06}},
		{"CR1 by state (vcovCL HC1)", Options{Cluster: []string{"state"}},
			[]float64{0.240520584117247, 0.049484613276276, 0.0320042726488989,
				0.0656695181764511, 0.00187594581615091},
			[]float64{0.0578501513841017, -0.00970715042140999, -0.00551895158720443,
				0.0135265849972301, 0.000123985114288841}},
		{"CR0 two-way state+year (vcovCL HC0, cadjust FALSE)",
			Options{Cluster: []string{"state", "year"}, SSC: "none"},
			[]float64{0.237227518869559, 0.0484049734239584, 0.0303085608797176,
				0.0643782156209804, 0.00217671976459049},
			[]float64{0.0562768957090068, -0.00960390146453316, -0.00518102847303483,
				0.013191938100761, 4.20730947195699e-05}},
	}
	d := producUnbalanced(t)
	unemp, _ := d.Float("unemp")
	big := make([]float64, len(unemp))
	for i, v := range unemp {
		big[i] = v + 1e6
	}
	d.SetFloat("unemp_big", big)
	f, _ := ParseFormula("log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp")
	fb, _ := ParseFormula("log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp_big")
	for _, w := range want {
		opt := w.opt
		opt.Weights = "emp"
		r, err := Fit(d, f, opt)
		if err != nil {
			t.Fatalf("%s: %v", w.name, err)
		}
		if r.NObs != 699 || r.DFResid != 699-5 || !relClose(r.R2, 0.993736246393042, 1e-10) {
			t.Errorf("%s: N %d DFResid %d R2 %.15g, want 699, 694, 0.993736246393042",
				w.name, r.NObs, r.DFResid, r.R2)
		}
		for k, term := range terms {
			if r.Terms[k] != term {
				t.Fatalf("%s: terms %v", w.name, r.Terms)
			}
			if !relClose(r.Coef[k], coef[k], 1e-8) || !relClose(r.SE[k], w.se[k], 1e-8) {
				t.Errorf("%s %s: %.15g (%.15g), want %.15g (%.15g)", w.name, term, r.Coef[k],
					r.SE[k], coef[k], w.se[k])
			}
			if !relClose(r.Vcov.At(0, k), w.row[k], 1e-7) {
				t.Errorf("%s: cov(intercept, %s) %.15g, want %.15g", w.name, term,
					r.Vcov.At(0, k), w.row[k])
			}
		}

		// unemp + 1e6: the slopes and their variances are those of the
		// unshifted model; the intercept is a - 1e6 b_unemp with variance
		// V_aa - 2e6 V_a,unemp + 1e12 V_unemp,unemp (R's values above).
		s, err := Fit(d, fb, opt)
		if err != nil {
			t.Fatalf("%s, shifted: %v", w.name, err)
		}
		if len(s.Collinear) > 0 {
			t.Fatalf("%s, shifted: collinear %v", w.name, s.Collinear)
		}
		a := coef[0] - 1e6*coef[4]
		va := w.se[0]*w.se[0] - 2e6*w.row[4] + 1e12*w.se[4]*w.se[4]
		if !relClose(s.Coef[0], a, 1e-8) || !relClose(s.SE[0], math.Sqrt(va), 1e-8) {
			t.Errorf("%s, shifted: intercept %.15g (%.15g), want %.15g (%.15g)", w.name,
				s.Coef[0], s.SE[0], a, math.Sqrt(va))
		}
		for k := 1; k < 5; k++ {
			if !relClose(s.Coef[k], coef[k], 1e-8) || !relClose(s.SE[k], w.se[k], 1e-8) {
				t.Errorf("%s, shifted %s: %.15g (%.15g), want %.15g (%.15g)", w.name, s.Terms[k],
					s.Coef[k], s.SE[k], coef[k], w.se[k])
			}
		}
		if w.opt.Vcov == "iid" {
			// pooled_reference.R, last lines: lm on the shifted column.
			if !relClose(s.Coef[0], 7313.07077499183, 1e-8) ||
				!relClose(s.SE[0], 1355.04599868866, 1e-8) {
				t.Errorf("shifted intercept %.15g (%.15g), want lm's 7313.07077499183 "+
					"(1355.04599868866)", s.Coef[0], s.SE[0])
			}
		}
	}
}

func TestRandomEffectsLargeLevel(t *testing.T) {
	// Grunfeld with value shifted by 1e9 (its spread becomes 1e-6 of its
	// level): the random-effects slopes, their standard errors and θ are
	// those of the unshifted model, checked against plm in
	// TestHausmanReference; the intercept moves by -1e9 b_value with
	// variance V_aa - 2e9 V_a,value + 1e18 V_value,value. Tolerance 1e-8
	// relative.
	d := readTestCSV(t, "grunfeld.csv")
	f, _ := ParseFormula("inv ~ value + capital")
	ref, err := FitRandom(d, f, "firm")
	if err != nil {
		t.Fatal(err)
	}
	value, _ := d.Float("value")
	big := make([]float64, len(value))
	for i, v := range value {
		big[i] = v + 1e9
	}
	d.SetFloat("value_big", big)
	fb, _ := ParseFormula("inv ~ value_big + capital")
	re, err := FitRandom(d, fb, "firm")
	if err != nil {
		t.Fatal(err)
	}
	if !relClose(re.Theta, ref.Theta, 1e-8) {
		t.Errorf("theta %.15g, want %.15g", re.Theta, ref.Theta)
	}
	for k := 1; k < 3; k++ {
		if !relClose(re.Coef[k], ref.Coef[k], 1e-8) || !relClose(re.SE[k], ref.SE[k], 1e-8) {
			t.Errorf("%s: %.15g (%.15g), want %.15g (%.15g)", re.Terms[k], re.Coef[k], re.SE[k],
				ref.Coef[k], ref.SE[k])
		}
	}
	a := ref.Coef[0] - 1e9*ref.Coef[1]
	va := ref.Vcov.At(0, 0) - 2e9*ref.Vcov.At(0, 1) + 1e18*ref.Vcov.At(1, 1)
	if !relClose(re.Coef[0], a, 1e-8) || !relClose(re.SE[0], math.Sqrt(va), 1e-8) {
		t.Errorf("intercept %.15g (%.15g), want %.15g (%.15g)", re.Coef[0], re.SE[0], a,
			math.Sqrt(va))
	}
}

func TestRandomEffectsCollinear(t *testing.T) {
	// A constant regressor cannot be estimated beside the intercept, and
	// one without variation between units cannot enter the between
	// regression: both are errors that name the regressor.
	d := readTestCSV(t, "grunfeld.csv")
	year, _ := d.Float("year")
	c := make([]float64, len(year))
	for i := range c {
		c[i] = 1e6 + 0.5
	}
	d.SetFloat("const", c)
	for _, k := range []struct{ formula, want string }{
		{"inv ~ value + const", "grunfeld.csv: random effects: cannot estimate const: constant"},
		{"inv ~ value + year", "cannot estimate year: the unit means do not vary"},
	} {
		f, _ := ParseFormula(k.formula)
		_, err := FitRandom(d, f, "firm")
		if err == nil || !strings.Contains(err.Error(), k.want) {
			t.Errorf("%s: error %v, want one naming %q", k.formula, err, k.want)
		}
	}
}
