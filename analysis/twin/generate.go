package twin

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strconv"

	"example.org/smartcity/analysis/frame"
	"example.org/smartcity/analysis/panel"
)

// spec says how one codebook variable is generated: on the transformed
// scale z (log of the value, or logit of a percentage or share), the
// cross-city median and spread at the anchor years 2006, 2012 and 2021
// (linear in between and beyond), and the loading on the latent factor.
// Medians and spreads of gdp_pc, tertiary_share, pop, road_pc, industry and
// finance follow data/reference/CALIBRATION.md; the others are set to
// typical yearbook magnitudes.
type spec struct {
	tr      string     // "log", "pct" (logit of x/100) or "share" (logit of x)
	med, sd [3]float64 // at 2006, 2012, 2021, on the original and transformed scale
	lam     float64    // loading on the dimension factor (indicators) or covariate (controls)
}

var anchorYears = [3]float64{2006, 2012, 2021}

var specs = map[string]spec{
	"gdp_pc":             {"log", [3]float64{13070, 33150, 57510}, [3]float64{0.83, 0.72, 0.57}, 0.92},
	"tertiary_share":     {"share", [3]float64{0.675, 0.72, 0.79}, [3]float64{0.45, 0.45, 0.45}, 0.6},
	"wage":               {"log", [3]float64{18000, 42000, 98000}, [3]float64{0.2, 0.2, 0.18}, 0.6},
	"retail_pc":          {"log", [3]float64{5000, 11500, 24000}, [3]float64{0.55, 0.5, 0.45}, 0.8},
	"revenue_pc":         {"log", [3]float64{800, 2600, 4800}, [3]float64{0.75, 0.7, 0.65}, 0.8},
	"hospital_beds":      {"log", [3]float64{30, 40, 62}, [3]float64{0.3, 0.3, 0.3}, 0.55},
	"doctors":            {"log", [3]float64{15, 19, 28}, [3]float64{0.3, 0.3, 0.3}, 0.55},
	"teachers":           {"log", [3]float64{88, 85, 92}, [3]float64{0.2, 0.2, 0.2}, 0.35},
	"pension_coverage":   {"pct", [3]float64{9, 14, 24}, [3]float64{0.6, 0.6, 0.6}, 0.7},
	"green_coverage":     {"pct", [3]float64{33, 38.5, 41.5}, [3]float64{0.3, 0.3, 0.3}, 0.5},
	"park_pc":            {"log", [3]float64{7.5, 11, 14.5}, [3]float64{0.38, 0.38, 0.38}, 0.5},
	"so2_pc":             {"log", [3]float64{110, 80, 14}, [3]float64{0.9, 0.9, 0.9}, 0.45},
	"wastewater_pc":      {"log", [3]float64{12, 9, 4.5}, [3]float64{0.8, 0.8, 0.8}, 0.4},
	"garbage_treatment":  {"pct", [3]float64{62, 88, 99.5}, [3]float64{1.0, 1.0, 1.0}, 0.5},
	"library_books":      {"log", [3]float64{38, 55, 95}, [3]float64{0.55, 0.55, 0.55}, 0.6},
	"college_students":   {"log", [3]float64{110, 160, 230}, [3]float64{1.1, 1.1, 1.1}, 0.7},
	"education_share":    {"pct", [3]float64{17, 18.5, 18}, [3]float64{0.2, 0.2, 0.2}, 0.3},
	"culture_employment": {"log", [3]float64{0.9, 0.85, 0.95}, [3]float64{0.35, 0.35, 0.35}, 0.4},
	"road_pc":            {"log", [3]float64{10.8, 14.84, 21.43}, [3]float64{0.45, 0.42, 0.32}, 0.5},
	"water_penetration":  {"pct", [3]float64{88, 96, 98.8}, [3]float64{0.9, 0.9, 0.9}, 0.5},
	"gas_penetration":    {"pct", [3]float64{76, 90, 97.5}, [3]float64{1.0, 1.0, 1.0}, 0.5},
	"buses":              {"log", [3]float64{6.5, 9, 12}, [3]float64{0.4, 0.4, 0.4}, 0.6},
	"drainage":           {"log", [3]float64{7, 9, 11.5}, [3]float64{0.35, 0.35, 0.35}, 0.5},
	"internet_users":     {"log", [3]float64{5, 15, 38}, [3]float64{0.55, 0.55, 0.55}, 0.6},

	"fiscal":   {"share", [3]float64{0.11, 0.15, 0.20}, [3]float64{0.45, 0.45, 0.45}, -0.5},
	"fdi":      {"log", [3]float64{0.02, 0.018, 0.008}, [3]float64{0.8, 0.8, 0.8}, 0.5},
	"industry": {"pct", [3]float64{45.67, 50.49, 39.51}, [3]float64{0.55, 0.5, 0.5}, 0.2},
	"finance":  {"log", [3]float64{1.631, 1.753, 2.628}, [3]float64{0.41, 0.43, 0.456}, 0.5},
}

// latent factor: share of the baseline development in each dimension's level.
var dimensionDevelopment = map[string]float64{"economy": 0.9, "livelihood": 0.4,
	"ecology": 0.3, "culture": 0.4, "municipal": 0.4}

// devTrend: the controls finance and industry drift with baseline
// development (richer cities deepen finance and leave industry faster), by
// this many cross-city sds over the period per sd of development.
var devTrend = map[string]float64{"finance": 0.6, "industry": -0.5}

const (
	trendSD    = 0.1  // city-specific trend of a factor over the whole period
	arRho      = 0.6  // AR(1) coefficient of the factor shock
	arSD       = 0.07 // innovation sd of the factor shock
	cellNoise  = 0.08 // year noise of an indicator, in its cross-city sd
	popMedian  = 338.5
	popSD      = 0.63 // log-population spread, CALIBRATION.md 2006 p90/p50
	popRWSD    = 0.02 // yearly random-walk shock of log population
	censusSD   = 0.04 // 2010 census re-benchmarking of log population
	popGrowth0 = -0.001
)

func anchor(v [3]float64, year float64) float64 {
	k := 0
	if year > anchorYears[1] {
		k = 1
	}
	return v[k] + (year-anchorYears[k])*(v[k+1]-v[k])/(anchorYears[k+1]-anchorYears[k])
}

func (s spec) center(year float64) float64 {
	var m [3]float64
	for k, v := range s.med {
		switch s.tr {
		case "log":
			m[k] = math.Log(v)
		case "pct":
			m[k] = logit(v / 100)
		case "share":
			m[k] = logit(v)
		}
	}
	return anchor(m, year)
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

func logit(p float64) float64 { return math.Log(p / (1 - p)) }

// world holds the generated values on the transformed scale, without and
// with the policy; [variable][row].
type world struct {
	z0, z1 [][]float64
	sd     [][]float64 // cross-city sd of the variable at the row's year
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
		return nil, fmt.Errorf("twin: batches take %d of %d cities: none left as controls", total, cfg.Cities)
	}
	cities := selectCities(ref, cfg.Cities)
	cb := panel.DefaultCodebook()
	tw := &Twin{Config: cfg, Cities: cities, Codebook: cb}
	g := newGen(cfg, cities, cb)
	tw.Pilots = g.assign()
	w := g.outcomes()
	g.dirt(w)
	tw.Panel, tw.Y0 = g.frames(w)
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

func (g *gen) outcomes() *world {
	n, T := len(g.cities), g.T
	rows := n * T
	vars := g.cb.Vars
	w := &world{z0: make([][]float64, len(vars)), z1: make([][]float64, len(vars)),
		sd: make([][]float64, len(vars))}

	// Population.
	r := g.rng(3)
	g.ell = make([][]float64, n)
	for i, c := range g.cities {
		growth := popGrowth0 + 0.004*b2f(c.CentralCity) + 0.005*r.NormFloat64()
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

	// Latent factors F[d][i][t], without the policy.
	r = g.rng(4)
	F := map[string][][]float64{}
	for _, d := range panel.Dimensions {
		c := dimensionDevelopment[d]
		F[d] = make([][]float64, n)
		for i := range g.cities {
			level := c*g.dev[i] + math.Sqrt(1-c*c)*r.NormFloat64()
			trend := trendSD * r.NormFloat64()
			ar := arSD / math.Sqrt(1-arRho*arRho) * r.NormFloat64()
			F[d][i] = make([]float64, T)
			for t := 0; t < T; t++ {
				if t > 0 {
					ar = arRho*ar + arSD*r.NormFloat64()
				}
				tau := float64(t) / float64(T-1)
				F[d][i][t] = level + trend*tau + ar - popDrag*(g.ell[i][t]-g.ell[i][0])
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
	industry := -1
	for k, v := range vars {
		if v.Name == "industry" {
			industry = k
		}
	}
	order := make([]int, 0, len(vars))
	if industry >= 0 {
		order = append(order, industry)
	}
	for k := range vars {
		if k != industry {
			order = append(order, k)
		}
	}
	for _, k := range order {
		v := vars[k]
		s, ok := specs[v.Name]
		w.z0[k], w.z1[k], w.sd[k] = make([]float64, rows), make([]float64, rows), make([]float64, rows)
		if v.Name == "pop" {
			for i := range g.cities {
				for t := 0; t < T; t++ {
					w.z0[k][i*T+t] = g.ell[i][t]
					w.z1[k][i*T+t] = g.ell[i][t]
					w.sd[k][i*T+t] = popSD
				}
			}
			continue
		}
		if !ok {
			panic("twin: no generating spec for codebook variable " + v.Name)
		}
		for i, c := range g.cities {
			u := r.NormFloat64()
			var cov float64
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
			for t := 0; t < T; t++ {
				year := g.cfg.FirstYear + t
				y := float64(year)
				sd := anchor(s.sd, y)
				row := i*T + t
				w.sd[k][row] = sd
				noise := cellNoise * r.NormFloat64()
				if v.Kind == "control" {
					tau := float64(t) / float64(T-1)
					z := s.center(y) + sd*(s.lam*cov+math.Sqrt(1-s.lam*s.lam)*u+noise+
						devTrend[v.Name]*g.dev[i]*tau)
					w.z0[k][row], w.z1[k][row] = z, z
					continue
				}
				f0 := F[v.Dimension][i][t]
				f1 := f0 + mult[i]*g.effect(i, v.Dimension, year)
				sign := float64(v.Direction)
				base := s.center(y) + sd*(math.Sqrt(1-s.lam*s.lam)*u+noise)
				w.z0[k][row] = base + sd*s.lam*sign*f0
				w.z1[k][row] = base + sd*s.lam*sign*f1
			}
		}
	}
	return w
}

// dirt removes cells in runs of one to three years and turns a few
// indicator cells into gross outliers (shifted by 4 to 6 cross-city standard deviations on
// the transformed scale), identically in both worlds.
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
					w.z0[k][i*T+t], w.z1[k][i*T+t] = math.NaN(), math.NaN()
				}
			}
		}
	}
	for k, v := range g.cb.Vars {
		if v.Kind != "indicator" {
			continue
		}
		for row := range w.z0[k] {
			if math.IsNaN(w.z0[k][row]) || r.Float64() >= outlierShare {
				continue
			}
			shift := (4 + 2*r.Float64()) * w.sd[k][row]
			if r.IntN(2) == 0 {
				shift = -shift
			}
			w.z0[k][row] += shift
			w.z1[k][row] += shift
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

// frames converts both worlds to panels on the original scale, rounded to
// the codebook's decimals exactly as the CSV file writes them. The first
// frame is the observed panel (with the policy), the second the panel
// without it.
func (g *gen) frames(w *world) (*frame.Frame, *frame.Frame) {
	n, T := len(g.cities), g.T
	rows := n * T
	mk := func(z [][]float64, source string) *frame.Frame {
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
			s := specs[v.Name]
			if v.Name == "pop" {
				s = spec{tr: "log"}
			}
			x := make([]float64, rows)
			for row, zz := range z[k] {
				val := math.NaN()
				if !math.IsNaN(zz) {
					val = s.inverse(zz)
					if v.Name != "tertiary_share" {
						val = roundDecimals(val, v.Decimals)
					}
				}
				x[row] = val
			}
			f.SetFloat(v.Name, x)
		}
		return f
	}
	obs := mk(w.z1, "data/synthetic/"+panel.SyntheticPanel)
	y0 := mk(w.z0, "potential outcomes without the policy")
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
