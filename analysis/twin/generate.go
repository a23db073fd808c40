package twin

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"

	"example.org/smartcity/analysis/frame"
	"example.org/smartcity/analysis/panel"
)

// spec says how one codebook variable is generated: its transformed scale
// (log of the value, or logit of a percentage or share), the cross-city
// median (original scale) and spread (transformed scale) of its level at
// the anchor years 2006, 2012 and 2021, and the loading on the latent
// factor (indicators) or covariate (controls). The spread is the
// interdecile range of the transformed level over 2 × 1.2816, the standard
// deviation of a normal with that range. Medians and spreads of gdp_pc,
// road_pc, industry and finance follow data/reference/CALIBRATION.md (the
// share of the non-secondary part of GDP that is tertiary is set so that
// the tertiary share of GDP comes close to it); the others are set to
// typical yearbook magnitudes.
type spec struct {
	tr      string     // "log", "pct" (logit of x/100) or "share" (logit of x)
	med, sd [3]float64 // at 2006, 2012 and 2021
	lam     float64    // loading on the dimension factor (indicators) or covariate (controls)
}

var anchorYears = a3(2006, 2012, 2021)

func a3(a, b, c float64) [3]float64 { return [3]float64{a, b, c} }

var specs = map[string]spec{
	"gdp_pc":             {"log", a3(13070, 33150, 57510), a3(0.712, 0.625, 0.484), 0.92},
	"tertiary_share":     {"share", a3(0.675, 0.72, 0.79), a3(0.45, 0.45, 0.45), 0.6},
	"wage":               {"log", a3(18000, 42000, 98000), a3(0.2, 0.2, 0.18), 0.6},
	"retail_pc":          {"log", a3(5000, 11500, 24000), a3(0.55, 0.5, 0.45), 0.8},
	"revenue_pc":         {"log", a3(800, 2600, 4800), a3(0.75, 0.7, 0.65), 0.8},
	"hospital_beds":      {"log", a3(30, 40, 62), a3(0.3, 0.3, 0.3), 0.55},
	"doctors":            {"log", a3(15, 19, 28), a3(0.3, 0.3, 0.3), 0.55},
	"teachers":           {"log", a3(88, 85, 92), a3(0.2, 0.2, 0.2), 0.35},
	"pension_coverage":   {"pct", a3(9, 14, 24), a3(0.6, 0.6, 0.6), 0.7},
	"green_coverage":     {"pct", a3(33, 38.5, 41.5), a3(0.3, 0.3, 0.3), 0.5},
	"park_pc":            {"log", a3(7.5, 11, 14.5), a3(0.38, 0.38, 0.38), 0.5},
	"so2_pc":             {"log", a3(110, 80, 14), a3(0.9, 0.9, 0.9), 0.45},
	"wastewater_pc":      {"log", a3(12, 9, 4.5), a3(0.8, 0.8, 0.8), 0.4},
	"garbage_treatment":  {"pct", a3(62, 88, 99.5), a3(1.0, 1.0, 1.0), 0.5},
	"library_books":      {"log", a3(38, 55, 95), a3(0.55, 0.55, 0.55), 0.6},
	"college_students":   {"log", a3(110, 160, 230), a3(1.1, 1.1, 1.1), 0.7},
	"education_share":    {"pct", a3(17, 18.5, 18), a3(0.2, 0.2, 0.2), 0.3},
	"culture_employment": {"log", a3(0.9, 0.85, 0.95), a3(0.35, 0.35, 0.35), 0.4},
	"road_pc":            {"log", a3(10.8, 14.84, 21.43), a3(0.454, 0.426, 0.353), 0.5},
	"water_penetration":  {"pct", a3(88, 96, 98.8), a3(0.9, 0.9, 0.9), 0.5},
	"gas_penetration":    {"pct", a3(76, 90, 97.5), a3(1.0, 1.0, 1.0), 0.5},
	"buses":              {"log", a3(6.5, 9, 12), a3(0.4, 0.4, 0.4), 0.6},
	"drainage":           {"log", a3(7, 9, 11.5), a3(0.35, 0.35, 0.35), 0.5},
	"internet_users":     {"log", a3(5, 15, 38), a3(0.55, 0.55, 0.55), 0.6},

	"fiscal":   {"share", a3(0.11, 0.15, 0.20), a3(0.45, 0.45, 0.45), -0.5},
	"fdi":      {"log", a3(0.02, 0.018, 0.008), a3(0.8, 0.8, 0.8), 0.5},
	"industry": {"pct", a3(45.67, 50.49, 39.51), a3(0.533, 0.442, 0.455), 0.2},
	"finance":  {"log", a3(1.631, 1.753, 2.628), a3(0.332, 0.372, 0.363), 0.5},
}

// dimensionDevelopment is the share of baseline development in each
// dimension's persistent city level (the rest is a city draw unrelated to
// pilot selection).
var dimensionDevelopment = map[string]float64{"economy": 0.9, "livelihood": 0.4,
	"ecology": 0.3, "culture": 0.4, "municipal": 0.4}

const (
	// baseShare is the weight of a variable's baseline part in its level:
	// level = baseShare × baseline part + (1 - baseShare) × dynamic part
	// (see the package comment).
	baseShare = 0.5

	trendSD    = 0.1  // city-specific trend of a factor over the whole period
	arRho      = 0.6  // AR(1) coefficient of the factor shock
	arSD       = 0.07 // innovation sd of the factor shock
	cellNoise  = 0.08 // year noise of a variable, in its cross-city sd
	popMedian  = 338.5
	popSD      = 0.63  // log-population spread, CALIBRATION.md 2006 p90/p50
	popRWSD    = 0.025 // yearly random-walk shock of log population
	censusSD   = 0.04  // 2010 census re-benchmarking of log population
	popGrowth0 = 0.0015
)

func anchor(v [3]float64, year float64) float64 {
	k := 0
	if year > anchorYears[1] {
		k = 1
	}
	return v[k] + (year-anchorYears[k])*(v[k+1]-v[k])/(anchorYears[k+1]-anchorYears[k])
}

// forward maps a value on the original scale to the transformed scale.
func (s spec) forward(x float64) float64 {
	switch s.tr {
	case "log":
		return math.Log(x)
	case "pct":
		return logit(x / 100)
	}
	return logit(x)
}

func (s spec) inverse(z float64) float64 {
	switch s.tr {
	case "log":
		return math.Exp(z)
	case "pct":
		return 100 / (1 + math.Exp(-z))
	}
	return 1 / (1 + math.Exp(-z))
}

// slope is d inverse / dz at z.
func (s spec) slope(z float64) float64 {
	switch s.tr {
	case "log":
		return math.Exp(z)
	case "pct":
		p := 1 / (1 + math.Exp(-z))
		return 100 * p * (1 - p)
	}
	p := 1 / (1 + math.Exp(-z))
	return p * (1 - p)
}

// clip keeps a level inside the variable's range: above a small floor for
// a log variable, strictly inside (0, 100) or (0, 1) for a percentage or
// share (the level is a weighted sum, and the population term can push it
// out). It reports whether it moved the value.
func (s spec) clip(x float64) (float64, bool) {
	lo, hi := 1e-3*math.Min(s.med[0], math.Min(s.med[1], s.med[2])), math.Inf(1)
	switch s.tr {
	case "pct":
		lo, hi = 0.01, 99.99
	case "share":
		lo, hi = 1e-4, 1-1e-4
	}
	switch {
	case x < lo:
		return lo, true
	case x > hi:
		return hi, true
	}
	return x, false
}

// center is the transformed-scale median of the spec in year.
func (s spec) center(year float64) float64 {
	var m [3]float64
	for k, v := range s.med {
		m[k] = s.forward(v)
	}
	return anchor(m, year)
}

// baseAnchor is the anchor year whose distribution the baseline part
// takes: the year of the lowest median, or for a percentage or share that
// approaches its upper bound (median above one half) the year of the
// highest, so that the baseline part never holds a level that a later
// (or earlier) year cannot reach.
func (s spec) baseAnchor() int {
	k := 0
	up := s.tr != "log" && math.Max(s.med[0], math.Max(s.med[1], s.med[2])) > s.half()
	for j := 1; j < 3; j++ {
		if up && s.med[j] > s.med[k] || !up && s.med[j] < s.med[k] {
			k = j
		}
	}
	return k
}

func (s spec) half() float64 {
	if s.tr == "pct" {
		return 50
	}
	return 0.5
}

func logit(p float64) float64 { return math.Log(p / (1 - p)) }

// world holds the generated levels, without and with the policy;
// [variable][row].
type world struct {
	x0, x1  [][]float64
	sd      [][]float64 // transformed-scale cross-city spread of the variable at the row's year
	clipped int         // levels moved into the variable's range
}

// Generate builds a twin from cfg. It takes well under a second; the
// Monte Carlo checks of the estimators call it many times.
func Generate(cfg Config) (*Twin, error) {
	cfg = cfg.withDefaults()
	if cfg.LastYear < cfg.FirstYear+3 {
		return nil, fmt.Errorf("twin: years %d-%d: need at least four years", cfg.FirstYear, cfg.LastYear)
	}
	ref := panel.ReferenceCities()
	el := Eligible(ref)
	total := 0
	for _, b := range cfg.Batches {
		if b.Size < 0 || b.Year < cfg.FirstYear+1 || b.Year > cfg.LastYear {
			return nil, fmt.Errorf("twin: batch %+v: size must be >= 0 and the year within %d-%d",
				b, cfg.FirstYear+1, cfg.LastYear)
		}
		total += b.Size
	}
	nCentral := 0
	for _, c := range el {
		if c.CentralCity {
			nCentral++
		}
	}
	if cfg.Cities < nCentral || cfg.Cities > len(el) {
		return nil, fmt.Errorf("twin: %d cities: choose between %d and %d", cfg.Cities, nCentral, len(el))
	}
	if total >= cfg.Cities {
		return nil, fmt.Errorf("twin: batches take %d of %d cities: none left as controls",
			total, cfg.Cities)
	}
	cities := selectCities(ref, cfg.Cities)
	cb := panel.DefaultCodebook()
	tw := &Twin{Config: cfg, Cities: cities, Codebook: cb}
	g := newGen(cfg, cities, cb)
	tw.Pilots = g.assign()
	w := g.outcomes()
	g.dirt(w)
	tw.Panel, tw.Y0 = g.frames(w)
	tw.clipped = w.clipped
	if err := tw.computeTruth(); err != nil {
		return nil, err
	}
	return tw, nil
}

type gen struct {
	cfg    Config
	cities []panel.City
	cb     *panel.Codebook
	T      int
	seed   uint64

	dev, size []float64 // standardized baseline development and log population
	first     []int     // pilot year, 0 for never
	ell       [][]float64
}

func newGen(cfg Config, cities []panel.City, cb *panel.Codebook) *gen {
	g := &gen{cfg: cfg, cities: cities, cb: cb, T: cfg.LastYear - cfg.FirstYear + 1, seed: cfg.Seed}
	r := g.rng(1)
	n := len(cities)
	shift := map[string]float64{"East": 0.35, "Central": -0.2, "West": -0.35, "Northeast": 0.05}
	g.dev, g.size = make([]float64, n), make([]float64, n)
	for i, c := range cities {
		g.dev[i] = 0.6*b2f(c.CentralCity) + 0.35*b2f(c.CoastalCity) + shift[c.Region4] +
			0.75*r.NormFloat64()
	}
	standardize(g.dev)
	for i, c := range cities {
		g.size[i] = 0.9*b2f(c.CentralCity) + 0.2*g.dev[i] + 0.8*r.NormFloat64()
	}
	standardize(g.size)
	return g
}

// rng returns the generator of one part of the design, so that changing one
// part leaves the draws of the others alone.
func (g *gen) rng(stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(g.seed, stream))
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func standardize(x []float64) {
	var m, s float64
	for _, v := range x {
		m += v
	}
	m /= float64(len(x))
	for _, v := range x {
		s += (v - m) * (v - m)
	}
	s = math.Sqrt(s / float64(len(x)-1))
	for i := range x {
		x[i] = (x[i] - m) / s
	}
}

// assign ranks cities by logit score plus Gumbel noise and cuts the ranking
// into the batches.
func (g *gen) assign() []panel.Pilot {
	r := g.rng(2)
	n := len(g.cities)
	type key struct {
		i int
		k float64
	}
	keys := make([]key, n)
	for i, c := range g.cities {
		s := logitIncome*g.dev[i] + logitPop*g.size[i] + logitCoastal*b2f(c.CoastalCity) +
			logitCentral*b2f(c.CentralCity)
		u := r.Float64()
		for u == 0 {
			u = r.Float64()
		}
		keys[i] = key{i, s - math.Log(-math.Log(u))}
	}
	sort.SliceStable(keys, func(a, b int) bool { return keys[a].k > keys[b].k })
	g.first = make([]int, n)
	var out []panel.Pilot
	pos := 0
	for bi, b := range g.cfg.Batches {
		for k := 0; k < b.Size; k++ {
			i := keys[pos].i
			pos++
			g.first[i] = b.Year
			out = append(out, panel.Pilot{CityCode: g.cities[i].Code, Batch: bi + 1, Year: b.Year})
		}
	}
	sort.Slice(out, func(a, b int) bool { return out[a].CityCode < out[b].CityCode })
	return out
}

// effect returns the shift of dimension d's factor for city i in year y, in
// factor standard deviations, before the city multiplier.
func (g *gen) effect(i int, d string, year int) float64 {
	if g.first[i] == 0 || year < g.first[i] {
		return 0
	}
	c := g.cities[i]
	e := float64(year - g.first[i])
	m := regionEffect[c.Region4]
	if c.CentralCity {
		m += centralBoost
	}
	m *= dimensionEffect[d] * (1 - math.Exp(-(e+1)/rampYears))
	return g.cfg.EffectScale * m
}

// series is one variable of one city over the years before it is turned
// into levels: its baseline level, the dynamic part on the standardized
// transformed scale without and with the policy, and the population term
// in level units.
type series struct {
	base       float64
	eps0, eps1 []float64
	pop        []float64
}

func (g *gen) outcomes() *world {
	n, T := len(g.cities), g.T
	rows := n * T
	vars := g.cb.Vars
	w := &world{x0: make([][]float64, len(vars)), x1: make([][]float64, len(vars)),
		sd: make([][]float64, len(vars))}

	// Population.
	r := g.rng(3)
	g.ell = make([][]float64, n)
	for i, c := range g.cities {
		growth := popGrowth0 + 0.004*b2f(c.CentralCity) + 0.01*r.NormFloat64()
		if g.first[i] != 0 {
			growth += pilotPopGrowth
		}
		g.ell[i] = make([]float64, T)
		l := math.Log(popMedian) + popSD*g.size[i]
		for t := 0; t < T; t++ {
			if t > 0 {
				l += growth + popRWSD*r.NormFloat64()
				if g.cfg.FirstYear+t == 2010 {
					l += censusSD * r.NormFloat64()
				}
			}
			g.ell[i][t] = l
		}
	}

	// Latent factors: a persistent level L[d][i] that carries baseline
	// development, and a dynamic path G[d][i][t] (a persistent city draw,
	// a trend and an AR(1) shock) unrelated to pilot selection.
	r = g.rng(4)
	L := map[string][]float64{}
	G := map[string][][]float64{}
	for _, d := range panel.Dimensions {
		c := dimensionDevelopment[d]
		L[d], G[d] = make([]float64, n), make([][]float64, n)
		for i := range g.cities {
			a := r.NormFloat64()
			L[d][i] = c*g.dev[i] + math.Sqrt(1-c*c)*a
			trend := trendSD * r.NormFloat64()
			ar := arSD / math.Sqrt(1-arRho*arRho) * r.NormFloat64()
			G[d][i] = make([]float64, T)
			for t := 0; t < T; t++ {
				if t > 0 {
					ar = arRho*ar + arSD*r.NormFloat64()
				}
				G[d][i][t] = a + trend*float64(t)/float64(T-1) + ar
			}
		}
	}
	mult := make([]float64, n)
	r = g.rng(5)
	for i := range mult {
		mult[i] = math.Max(0, 1+cityEffectSD*r.NormFloat64())
	}

	// Indicators and controls.
	r = g.rng(6)
	for k, v := range vars {
		w.x0[k], w.x1[k], w.sd[k] = make([]float64, rows), make([]float64, rows), make([]float64, rows)
		if v.Name == "pop" {
			for i := range g.cities {
				for t := 0; t < T; t++ {
					w.x0[k][i*T+t] = math.Exp(g.ell[i][t])
					w.x1[k][i*T+t] = w.x0[k][i*T+t]
					w.sd[k][i*T+t] = popSD
				}
			}
			continue
		}
		s, ok := specs[v.Name]
		if !ok {
			panic("twin: no generating spec for codebook variable " + v.Name)
		}
		ba := s.baseAnchor()
		bc, bs := s.forward(s.med[ba]), s.sd[ba]
		sign := float64(v.Direction)
		// Population term: the level falls by the slope of the baseline
		// distribution at its median per unit of latent factor, popDrag
		// factor units per unit of log-population growth.
		drag := 0.0
		if v.Kind == "indicator" {
			drag = popDrag * s.lam * bs * s.slope(bc)
		}
		ser := make([]series, n)
		for i, c := range g.cities {
			u := r.NormFloat64()
			sr := series{eps0: make([]float64, T), eps1: make([]float64, T),
				pop: make([]float64, T)}
			var cov float64
			if v.Kind == "control" {
				switch v.Name {
				case "fiscal":
					cov = g.dev[i]
				case "fdi":
					cov = 0.7*g.dev[i] + 0.7*b2f(c.CoastalCity) - 0.35
				case "industry":
					cov = -0.5*b2f(c.CentralCity) + 0.5*g.dev[i]
				case "finance":
					cov = 0.6*g.dev[i] + 0.8*b2f(c.CentralCity) - 0.15
				}
				sr.base = s.inverse(bc + bs*(s.lam*cov+math.Sqrt(1-s.lam*s.lam)*u))
			} else {
				sr.base = s.inverse(bc + bs*(s.lam*sign*L[v.Dimension][i]+
					math.Sqrt(1-s.lam*s.lam)*u))
			}
			for t := 0; t < T; t++ {
				noise := cellNoise * r.NormFloat64()
				if v.Kind == "control" {
					sr.eps0[t] = u + noise
					sr.eps1[t] = sr.eps0[t]
					continue
				}
				year := g.cfg.FirstYear + t
				f := G[v.Dimension][i][t]
				sr.eps0[t] = s.lam*sign*f + math.Sqrt(1-s.lam*s.lam)*u + noise
				sr.eps1[t] = sr.eps0[t] + s.lam*sign*mult[i]*g.effect(i, v.Dimension, year)
				sr.pop[t] = -sign * drag * (g.ell[i][t] - g.ell[i][0])
			}
			ser[i] = sr
		}

		// The dynamic part's median and spread at each anchor year are set
		// so that the level (without the policy) has the spec's median and
		// spread there; in between they move linearly. An anchor year
		// outside the twin's years is matched in the nearest year.
		var dc, ds [3]float64
		for a, ay := range anchorYears {
			t := int(ay) - g.cfg.FirstYear
			if t < 0 || t >= T {
				t = max(0, min(T-1, t))
			}
			dc[a], ds[a] = calibrate(s, ser, t, a)
		}
		for i := range g.cities {
			sr := ser[i]
			for t := 0; t < T; t++ {
				y := float64(g.cfg.FirstYear + t)
				c, sd := anchor(dc, y), anchor(ds, y)
				row := i*T + t
				var moved bool
				w.x0[k][row], moved = s.level(sr, c, sd, t, sr.eps0[t])
				if moved {
					w.clipped++
				}
				w.x1[k][row], _ = s.level(sr, c, sd, t, sr.eps1[t])
				w.sd[k][row] = anchor(s.sd, y)
			}
		}
	}
	return w
}

// level is the level of one series in year t, given the dynamic part's
// transformed-scale center c and spread sd and its standardized value eps.
func (s spec) level(sr series, c, sd float64, t int, eps float64) (float64, bool) {
	x := baseShare*sr.base + (1-baseShare)*s.inverse(c+sd*eps) + sr.pop[t]
	return s.clip(x)
}

// calibrate returns the center and spread of the dynamic part in year t
// (anchor a) for which the levels without the policy of all cities have
// the spec's median and spread there: the transformed median equals the
// spec's and (q90 - q10) / (2 × 1.2816) of the transformed levels equals
// its sd (both found by regula falsi, the center for each trial spread).
func calibrate(s spec, ser []series, t, a int) (float64, float64) {
	x := make([]float64, len(ser))
	fill := func(c, sd float64) {
		for i, sr := range ser {
			x[i], _ = s.level(sr, c, sd, t, sr.eps0[t])
		}
		slices.Sort(x)
	}
	wantC, wantS := s.forward(s.med[a]), s.sd[a]
	c := wantC
	centerFor := func(sd float64) float64 {
		c = solve(func(c float64) float64 {
			fill(c, sd)
			return s.forward(quantile(x, 0.5)) - wantC
		}, c, 0.5)
		return c
	}
	ls := solve(func(ls float64) float64 {
		centerFor(math.Exp(ls))
		return (s.forward(quantile(x, 0.9))-s.forward(quantile(x, 0.1)))/(2*1.2815516) - wantS
	}, math.Log(wantS), 0.2)
	sd := math.Exp(ls)
	return centerFor(sd), sd
}

// quantile is the type-7 quantile of sorted x.
func quantile(x []float64, p float64) float64 {
	h := p * float64(len(x)-1)
	lo := int(h)
	if lo+1 >= len(x) {
		return x[len(x)-1]
	}
	return x[lo] + (h-float64(lo))*(x[lo+1]-x[lo])
}

// solve finds a root of the increasing function f near x0: it widens
// [x0 - step, x0 + step] until f changes sign, then narrows it by the
// Illinois variant of regula falsi. If no sign change turns up within 40
// widenings it returns the end where |f| is smaller.
func solve(f func(float64) float64, x0, step float64) float64 {
	lo, hi := x0-step, x0+step
	flo, fhi := f(lo), f(hi)
	for k := 0; flo > 0 || fhi < 0; k++ {
		if k == 40 {
			if math.Abs(flo) < math.Abs(fhi) {
				return lo
			}
			return hi
		}
		if flo > 0 {
			lo -= 2 * (hi - lo)
			flo = f(lo)
		} else {
			hi += 2 * (hi - lo)
			fhi = f(hi)
		}
	}
	side := 0
	for it := 0; it < 100; it++ {
		m := (lo*fhi - hi*flo) / (fhi - flo)
		fm := f(m)
		if math.Abs(fm) < 1e-7 || hi-lo < 1e-9 {
			return m
		}
		if fm < 0 {
			lo, flo = m, fm
			if side == -1 {
				fhi /= 2
			}
			side = -1
		} else {
			hi, fhi = m, fm
			if side == 1 {
				flo /= 2
			}
			side = 1
		}
	}
	return (lo + hi) / 2
}

// dirt removes cells in runs of one to three years and turns a few
// indicator cells into gross outliers (shifted by 4 to 6 cross-city
// standard deviations on the transformed scale), identically in both
// worlds.
func (g *gen) dirt(w *world) {
	if g.cfg.NoDirt {
		return
	}
	r := g.rng(7)
	T := g.T
	runRate := missingShare * float64(T) / 2
	for k := range g.cb.Vars {
		for i := range g.cities {
			for m := poisson(r, runRate); m > 0; m-- {
				start, length := r.IntN(T), 1+r.IntN(3)
				for t := start; t < start+length && t < T; t++ {
					w.x0[k][i*T+t], w.x1[k][i*T+t] = math.NaN(), math.NaN()
				}
			}
		}
	}
	for k, v := range g.cb.Vars {
		if v.Kind != "indicator" {
			continue
		}
		s := specs[v.Name]
		for row := range w.x0[k] {
			if math.IsNaN(w.x0[k][row]) || r.Float64() >= outlierShare {
				continue
			}
			shift := (4 + 2*r.Float64()) * w.sd[k][row]
			if r.IntN(2) == 0 {
				shift = -shift
			}
			w.x0[k][row], _ = s.clip(s.inverse(s.forward(w.x0[k][row]) + shift))
			w.x1[k][row], _ = s.clip(s.inverse(s.forward(w.x1[k][row]) + shift))
		}
	}
}

func poisson(r *rand.Rand, lambda float64) int {
	l, k, p := math.Exp(-lambda), 0, 1.0
	for {
		p *= r.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

// frames converts both worlds to panels, rounded to the codebook's
// decimals exactly as the CSV file writes them. The first frame is the
// observed panel (with the policy), the second the panel without it.
func (g *gen) frames(w *world) (*frame.Frame, *frame.Frame) {
	n, T := len(g.cities), g.T
	rows := n * T
	mk := func(x [][]float64, source string) *frame.Frame {
		f := frame.New(source)
		codes, years := make([]float64, rows), make([]float64, rows)
		for i, c := range g.cities {
			for t := 0; t < T; t++ {
				codes[i*T+t], years[i*T+t] = float64(c.Code), float64(g.cfg.FirstYear+t)
			}
		}
		f.SetFloat("city_code", codes)
		f.SetFloat("year", years)
		for k, v := range g.cb.Vars {
			col := make([]float64, rows)
			for row, val := range x[k] {
				if !math.IsNaN(val) && v.Name != "tertiary_share" {
					val = roundDecimals(val, v.Decimals)
				}
				col[row] = val
			}
			f.SetFloat(v.Name, col)
		}
		return f
	}
	obs := mk(w.x1, "data/synthetic/"+panel.SyntheticPanel)
	y0 := mk(w.x0, "potential outcomes without the policy")
	// Tertiary share is a share of the non-secondary part of GDP.
	if obs.Has("tertiary_share") && obs.Has("industry") {
		for _, f := range []*frame.Frame{obs, y0} {
			ter, _ := f.Float("tertiary_share")
			ind, _ := f.Float("industry")
			dec := 2
			if v, ok := g.cb.Lookup("tertiary_share"); ok {
				dec = v.Decimals
			}
			for row := range ter {
				other := 100 - ind[row]
				if math.IsNaN(other) {
					other = 100 - specs["industry"].inverse(specs["industry"].center(float64(
						g.cfg.FirstYear+row%T)))
				}
				if !math.IsNaN(ter[row]) {
					ter[row] = roundDecimals(other*ter[row], dec)
				}
			}
		}
	}
	return obs, y0
}

// roundDecimals rounds v to d decimals through its decimal text, so that the
// value equals the one read back from the file.
func roundDecimals(v float64, d int) float64 {
	x, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'f', d, 64), 64)
	return x
}
