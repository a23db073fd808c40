package analysis

import (
	"fmt"
	"math"
	"strings"

	"example.org/smartcity/analysis/frame"
	"example.org/smartcity/analysis/psm"
)

// Claim is one conclusion of the study stated so that data can check it:
// the estimate it rests on, its interval, the verdict on the data in use,
// and, on the synthetic twin, the true value of the estimand (NaN when the
// twin defines none).
type Claim struct {
	Statement string
	Estimate  float64
	Low, High float64 // 95% interval; NaN when the check is not an interval
	Evidence  string  // the test behind the verdict, in words
	Holds     bool
	Truth     float64
}

// ClaimOptions sets the sizes of the resampling checks; the zero value is
// 500 drop-pilot draws and 1000 permutations, seed 2012.
type ClaimOptions struct {
	Draws, Permutations int
	Seed                uint64
}

// Claims evaluates the study's conclusions on d: the pilot raises
// governance (without and with controls); population lowers it; the
// effect survives each robustness check; coastal > inland; the East
// positive and significant, Central and West not significant, the
// Northeast negative; central cities > the rest and both positive. A
// claim "holds" at the 5% level unless its Evidence says otherwise. s,
// when not nil and synthetic, supplies the true values.
func Claims(d *frame.Frame, s *Study, opt ClaimOptions) ([]Claim, error) {
	if opt.Draws == 0 {
		opt.Draws = 500
	}
	if opt.Permutations == 0 {
		opt.Permutations = 1000
	}
	if opt.Seed == 0 {
		opt.Seed = 2012
	}
	des := Design{}.withDefaults()
	nan := math.NaN()
	truth := func(v float64) float64 {
		if s == nil || s.Truth == nil {
			return nan
		}
		return v
	}
	att, regions, classes := nan, map[string]float64{}, map[string]float64{}
	if s != nil && s.Truth != nil {
		att, regions, classes = s.Truth.ATT2012.ATT, s.TrueRegions(), s.TrueClasses()
	}
	get := func(m map[string]float64, k string) float64 {
		if v, ok := m[k]; ok {
			return truth(v)
		}
		return nan
	}
	var out []Claim
	coefClaim := func(stmt string, c Coef, holds bool, ev string, tr float64) {
		out = append(out, Claim{Statement: stmt, Estimate: c.Coef, Low: c.Low, High: c.High,
			Evidence: ev, Holds: holds, Truth: tr})
	}
	pos := func(c Coef) bool { return c.Coef > 0 && c.P < 0.05 }

	b, err := Baseline(d, des)
	if err != nil {
		return nil, err
	}
	e0, e1 := b.Effect(false), b.Effect(true)
	coefClaim("The pilot raises governance (no controls)", e0, pos(e0),
		fmt.Sprintf("positive, p = %.4f", e0.P), truth(att))
	coefClaim("The pilot raises governance (with controls)", e1, pos(e1),
		fmt.Sprintf("positive, p = %.4f", e1.P), truth(att))
	pop := coefOf(b.WithControls, "lnpop")
	coefClaim("Population lowers governance", pop, pop.Coef < 0 && pop.P < 0.05,
		fmt.Sprintf("negative, p = %.4f", pop.P), nan)

	dr, err := DropPilots(d, des, DropOptions{Draws: opt.Draws, Seed: opt.Seed})
	if err != nil {
		return nil, err
	}
	out = append(out, Claim{Statement: "Robust to dropping 20% of pilot cities",
		Estimate: dr.Mean, Low: dr.Q025, High: dr.Q975,
		Evidence: fmt.Sprintf("%.0f%% of %d draws significant and positive (claim: at least 80%%); "+
			"interval: 2.5%%-97.5%% of the draws", 100*dr.ShareSignificant, len(dr.Coef)),
		Holds: dr.ShareSignificant >= 0.8, Truth: truth(att)})
	batch, err := AddBatches(d, des, 2013)
	if err != nil {
		return nil, err
	}
	eb := batch.Effect(true)
	tAll := nan
	if s != nil && s.Truth != nil {
		tAll = attBatches(s, []int{2012, 2013})
	}
	coefClaim("Robust to adding the 2013 batch", eb, pos(eb), fmt.Sprintf("positive, p = %.4f",
		eb.P), tAll)
	pm, err := PSMDID(d, des,
		PSMOptions{Match: psm.Options{Match: psm.MatchOptions{Replace: true}}})
	if err != nil {
		return nil, err
	}
	ep := pm.Effect(true)
	coefClaim("Robust to PSM-DID (2011 matching)", ep, pos(ep),
		fmt.Sprintf("positive, p = %.4f", ep.P), truth(att))
	pl, err := PermutePilots(d, des, PlaceboOptions{Draws: opt.Permutations, Seed: opt.Seed})
	if err != nil {
		return nil, err
	}
	out = append(out, Claim{Statement: "Survives the permutation placebo", Estimate: pl.Observed,
		Low: nan, High: nan, Evidence: fmt.Sprintf("permutation p = %.4f (%d draws)", pl.PValue,
			len(pl.Draws)),
		Holds: pl.PValue < 0.05, Truth: truth(att)})

	split := func(sp Split) (*HeteroResult, error) {
		return Heterogeneity(d, des, sp,
			HeteroOptions{})
	}
	hc, err := split(SplitCoastal)
	if err != nil {
		return nil, err
	}
	dc := hc.Diffs[0] // inland - coastal
	out = append(out, Claim{Statement: "Coastal > inland", Estimate: -dc.Coef, Low: -dc.High,
		High:     -dc.Low,
		Evidence: fmt.Sprintf("coastal - inland, interacted model p = %.4f (claim: positive, p < 0.05)", dc.P),
		Holds:    -dc.Coef > 0 && dc.P < 0.05, Truth: get(classes, "Coastal") - get(classes,
			"Inland")})
	hr, err := split(SplitRegion)
	if err != nil {
		return nil, err
	}
	for _, g := range hr.Groups {
		e := g.Effect
		switch g.Label {
		case "East":
			coefClaim("East: positive and significant", e, pos(e), fmt.Sprintf("p = %.4f", e.P),
				get(regions, "East"))
		case "Central", "West":
			coefClaim(g.Label+": not significant", e, e.P >= 0.05, fmt.Sprintf("p = %.4f", e.P),
				get(regions, g.Label))
		case "Northeast":
			coefClaim("Northeast: negative", e, e.Coef < 0,
				fmt.Sprintf("estimate < 0 (p = %.4f)", e.P),
				get(regions, "Northeast"))
		}
	}
	hk, err := split(SplitCentral)
	if err != nil {
		return nil, err
	}
	dk := hk.Diffs[0] // other - central
	out = append(out, Claim{Statement: "Central cities > the rest", Estimate: -dk.Coef,
		Low: -dk.High, High: -dk.Low,
		Evidence: fmt.Sprintf("central - other, interacted model p = %.4f (claim: positive, p < 0.05)", dk.P),
		Holds:    -dk.Coef > 0 && dk.P < 0.05, Truth: get(classes,
			"Central cities") - get(classes, "Other cities")})
	for _, g := range hk.Groups {
		coefClaim(g.Label+": positive", g.Effect, g.Effect.Coef > 0,
			fmt.Sprintf("estimate > 0 (p = %.4f)", g.Effect.P), get(classes, g.Label))
	}
	return out, nil
}

// attBatches is the twin's true ATT over the given batches, weighting each
// batch's ATT by its city-years.
func attBatches(s *Study, batches []int) float64 {
	sum, n := 0.0, 0
	for _, e := range s.Truth.ByBatch {
		for _, b := range batches {
			if e.Group == fmt.Sprint(b) {
				sum += e.ATT * float64(e.Cells)
				n += e.Cells
			}
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return sum / float64(n)
}

// ClaimsMarkdown renders claims as a Markdown table; the truth column
// appears when any claim has a true value.
func ClaimsMarkdown(cs []Claim) string {
	withTruth := false
	for _, c := range cs {
		withTruth = withTruth || !math.IsNaN(c.Truth)
	}
	var b strings.Builder
	b.WriteString("| claim | estimate | 95% interval | evidence | verdict |")
	if withTruth {
		b.WriteString(" true value (twin) |")
	}
	b.WriteString("\n|---|---:|---|---|---|")
	if withTruth {
		b.WriteString("---:|")
	}
	b.WriteString("\n")
	for _, c := range cs {
		iv := ""
		if !math.IsNaN(c.Low) {
			iv = fmt.Sprintf("[%.4f, %.4f]", c.Low, c.High)
		}
		v := "does not hold"
		if c.Holds {
			v = "holds"
		}
		fmt.Fprintf(&b, "| %s | %.4f | %s | %s | %s |", c.Statement, c.Estimate, iv, c.Evidence, v)
		if withTruth {
			if math.IsNaN(c.Truth) {
				b.WriteString(" |")
			} else {
				fmt.Fprintf(&b, " %.4f |", c.Truth)
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}
