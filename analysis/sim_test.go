package analysis

import (
	"fmt"
	"math/rand/v2"

	"example.org/smartcity/analysis/frame"
)

// simEffects are the true effects of the small simulated panel used by the
// unit tests (index points), by region.
var simEffects = map[string]float64{"East": 0.03, "Central": 0.01, "West": 0.01, "Northeast": -0.01}

// simulate builds a small study frame with the study's column names: n
// cities over 2006-2021, regions in turn, the 2012 batch about a third of
// the cities, some 2013 and 2015 pilots, and the pilot effect of the
// city's region from 2012 on. Controls enter with known slopes (lnpop
// -0.02) and city and year effects are large, so that only the two-way
// model recovers the truth.
func simulate(n int, seed uint64) *frame.Frame {
	rng := rand.New(rand.NewPCG(seed, 7))
	regions := []string{"East", "Central", "West", "Northeast"}
	var code, year, prov, coastal, central, ft, treat, post, did, y, lnpop, fiscal []float64
	var region []string
	yearEff := make([]float64, 16)
	for t := range yearEff {
		yearEff[t] = 0.004*float64(t) + 0.01*rng.NormFloat64()
	}
	for c := 0; c < n; c++ {
		r := regions[c%4]
		coast := 0.0
		if r == "East" || (r == "Northeast" && c%3 == 0) {
			coast = 1
		}
		cen := 0.0
		if c%7 == 0 {
			cen = 1
		}
		g := 0.0
		switch u := rng.Float64(); {
		case u < 0.35:
			g = 2012
		case u < 0.45:
			g = 2013
		case u < 0.55:
			g = 2015
		}
		alpha := 0.2 + 0.05*rng.NormFloat64() + 0.02*cen
		popBase := 5.5 + 0.5*rng.NormFloat64()
		for t := 0; t < 16; t++ {
			yr := float64(2006 + t)
			p := popBase + 0.01*float64(t) + 0.02*rng.NormFloat64()
			tr, po := 0.0, 0.0
			if g == 2012 {
				tr = 1
			}
			if yr >= 2012 {
				po = 1
			}
			eff := 0.0
			if g > 0 && yr >= g {
				eff = simEffects[r]
			}
			code = append(code, float64(100000+c))
			year = append(year, yr)
			prov = append(prov, float64(c%10))
			region = append(region, r)
			coastal = append(coastal, coast)
			central = append(central, cen)
			ft = append(ft, g)
			treat = append(treat, tr)
			post = append(post, po)
			did = append(did, tr*po)
			lnpop = append(lnpop, p)
			fiscal = append(fiscal, 0.2+0.05*rng.NormFloat64())
			y = append(y, alpha+yearEff[t]+eff-0.02*(p-popBase)+0.01*rng.NormFloat64())
		}
	}
	f := frame.New(fmt.Sprintf("simulated(%d, %d)", n, seed))
	f.SetFloat("city_code", code)
	f.SetFloat("year", year)
	f.SetFloat("province_code", prov)
	f.SetText("region4", region)
	f.SetFloat("coastal", coastal)
	f.SetFloat("central_city", central)
	f.SetFloat("first_treat", ft)
	f.SetFloat("treat", treat)
	f.SetFloat("post", post)
	f.SetFloat("did", did)
	f.SetFloat("index", y)
	f.SetFloat("lnpop", lnpop)
	f.SetFloat("fiscal", fiscal)
	return f
}

// simDesign is the study design on the simulated frame (two controls).
var simDesign = Design{Controls: []string{"lnpop", "fiscal"}}
