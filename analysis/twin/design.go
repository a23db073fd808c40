package twin

import (
	"math/rand/v2"
	"sort"

	"example.org/smartcity/analysis/panel"
)

// DefaultSeed is the seed of the twin committed in data/synthetic/.
const DefaultSeed uint64 = 20121205

// Batch is one pilot batch: the year its cities count as treated from, and
// how many of the sample's cities it takes.
type Batch struct {
	Year int
	Size int
}

// DefaultBatches are the study's three batches. Nationally the 2012 batch
// named 37 prefecture-level cities among 90 pilots; the twin's sample of 172
// data-rich cities over-represents pilot cities, as studies of this policy
// do, so 30 of its cities (17%) are in the 2012 batch.
var DefaultBatches = []Batch{{2012, 30}, {2013, 28}, {2015, 20}}

// Config sets up a twin. Config{Seed: DefaultSeed} is the committed design;
// every zero field means the documented default.
type Config struct {
	Seed      uint64
	Cities    int     // sample size; 0 means 172
	FirstYear int     // 0 means 2006
	LastYear  int     // 0 means 2021
	Batches   []Batch // nil means DefaultBatches

	// EffectScale multiplies every treatment effect; 0 means 1. NoEffect
	// sets all effects to zero (a null twin for size checks).
	EffectScale float64
	NoEffect    bool
	NoDirt      bool // no missing cells and no outliers
}

func (c Config) withDefaults() Config {
	if c.Cities == 0 {
		c.Cities = 172
	}
	if c.FirstYear == 0 {
		c.FirstYear = 2006
	}
	if c.LastYear == 0 {
		c.LastYear = 2021
	}
	if c.Batches == nil {
		c.Batches = append([]Batch(nil), DefaultBatches...)
	}
	if c.EffectScale == 0 {
		c.EffectScale = 1
	}
	if c.NoEffect {
		c.EffectScale = 0
	}
	return c
}

// Effects on the dynamic latent path of a pilot city's indicators, in
// standard deviations of its cross-city spread, once the effect has fully
// built up.
var (
	regionEffect = map[string]float64{"East": 0.75, "Central": 0.075, "West": 0.0,
		"Northeast": -0.45}
	// centralBoost is added to the effect in central cities.
	centralBoost = 0.225
	// dimensionEffect scales the effect by dimension.
	dimensionEffect = map[string]float64{"economy": 1.0, "livelihood": 0.8, "ecology": 0.7,
		"culture": 0.5, "municipal": 1.4}
	// cityEffectSD is the spread of the city-specific multiplier (1 + h).
	cityEffectSD = 0.3
	// rampYears: the effect reaches 1 - exp(-(e+1)/rampYears) of its full
	// size e years after the pilot year.
	rampYears = 3.0
)

// Assignment logit: score = sum of coefficient * covariate (standardized
// baseline log GDP per capita and log population; 0/1 coastal and central).
var (
	logitIncome  = 0.4
	logitPop     = 0.4
	logitCoastal = 0.4
	logitCentral = 0.8
)

// Population: pilot cities' log population grows faster by this much a
// year (the study's finding that population lowers the index then biases
// a DID without controls), and each indicator's level falls, per unit of
// log-population growth, by what a fall of popDrag latent standard
// deviations would do at its baseline median (more people, fewer beds,
// books, roads per head).
var (
	pilotPopGrowth = 0.006
	popDrag        = 2.5
)

// Dirt.
var (
	missingShare = 0.02
	outlierShare = 0.005
)

// excludedProvinces have at most two eligible cities and thin coverage.
var excludedProvinces = map[int]bool{540000: true, 630000: true, 650000: true}

// excludedCities became prefecture-level after 2006 or changed boundaries.
var excludedCities = map[string]bool{
	"三沙市": true, "儋州市": true, "毕节市": true, "铜仁市": true, "日喀则市": true, "昌都市": true,
	"林芝市": true, "山南市": true, "那曲市": true, "海东市": true, "吐鲁番市": true, "哈密市": true,
	"济南市": true, "合肥市": true, "芜湖市": true, "马鞍山市": true,
}

// Eligible returns the cities of the reference table the twin may draw
// (see the package comment), sorted by code.
func Eligible(ref *panel.Cities) []panel.City {
	var out []panel.City
	for _, c := range ref.List {
		if c.UnitType != "地级市" || c.Municipality || excludedCities[c.Name] ||
			excludedProvinces[c.ProvinceCode] {
			continue
		}
		out = append(out, c)
	}
	return out
}

// selectCities returns n eligible cities: every central city, the rest
// spread over provinces by largest remainder and drawn with a generator
// seeded by the province code. It panics if n is out of range.
func selectCities(ref *panel.Cities, n int) []panel.City {
	el := Eligible(ref)
	var central, other []panel.City
	for _, c := range el {
		if c.CentralCity {
			central = append(central, c)
		} else {
			other = append(other, c)
		}
	}
	if n < len(central) || n > len(el) {
		panic("twin: sample size must lie between the number of central cities and of eligible cities")
	}
	byProv := map[int][]panel.City{}
	var provs []int
	for _, c := range other {
		if _, ok := byProv[c.ProvinceCode]; !ok {
			provs = append(provs, c.ProvinceCode)
		}
		byProv[c.ProvinceCode] = append(byProv[c.ProvinceCode], c)
	}
	sort.Ints(provs)
	need := n - len(central)
	quota := map[int]int{}
	type rem struct {
		prov int
		frac float64
	}
	var rems []rem
	given := 0
	for _, p := range provs {
		exact := float64(need) * float64(len(byProv[p])) / float64(len(other))
		q := int(exact)
		quota[p] = q
		given += q
		rems = append(rems, rem{p, exact - float64(q)})
	}
	sort.SliceStable(rems, func(a, b int) bool { return rems[a].frac > rems[b].frac })
	for k := 0; given < need; k++ {
		quota[rems[k].prov]++
		given++
	}
	out := append([]panel.City(nil), central...)
	for _, p := range provs {
		cs := byProv[p]
		r := rand.New(rand.NewPCG(uint64(p), 0x5e1ec7))
		perm := r.Perm(len(cs))
		for _, k := range perm[:quota[p]] {
			out = append(out, cs[k])
		}
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Code < out[b].Code })
	return out
}
