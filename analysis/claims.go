package analysis

import (
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/gonum/stat/distuv"

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

// ClaimOptions sets the sizes of the resampling checks and the margin of
// the "no effect" claims; the zero value is 500 drop-pilot draws and 1000
// permutations, seed 2012, and a margin of half the absolute baseline
// estimate with controls.
type ClaimOptions struct {
	Draws, Permutations int
	Seed                uint64

	// Margin is the size of effect that the claims "not significant" rule
	// out (see noEffect); 0 means half the absolute baseline estimate with
	// controls.
	Margin float64
}

// Claims evaluates the study's conclusions on d: the pilot raises
// governance (without and with controls); population lowers it; the
// effect survives each robustness check; coastal > inland; the East
// positive and significant, Central and West not significant, the
// Northeast negative; central cities > the rest and both positive. A
// claim "holds" at the 5% level unless its Evidence says otherwise: a
// claim of sign needs the estimate of that sign and p < 0.05 (the sign
// alone would hold by chance half the time); a claim of difference uses
// the fully interacted model's clustered test; a claim of "not
// significant" is read as "no effect" and needs both p >= 0.05 and an
// equivalence test against opt.Margin (see noEffect). s, when not nil and
// synthetic, supplies the true values.
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

	b, err := Baseline(d, des)
	if err != nil {
		return nil, err
	}
	e0, e1 := b.Effect(false), b.Effect(true)
	margin := opt.Margin
	if margin == 0 {
		margin = math.Abs(e1.Coef) / 2
	}
	coefClaim("The pilot raises governance (no controls)", e0, positive(e0),
		fmt.Sprintf("positive, p = %.4f", e0.P), truth(att))
	coefClaim("The pilot raises governance (with controls)", e1, positive(e1),
		fmt.Sprintf("positive, p = %.4f", e1.P), truth(att))
	pop := coefOf(b.WithControls, "lnpop")
	coefClaim("Population lowers governance", pop, negative(pop),
		fmt.Sprintf("negative, p = %.4f", pop.P), nan)

	dr, err := DropPilots(d, des, DropOptions{Draws: opt.Draws, Seed: opt.Seed})
	if err != nil {
		return nil, err
	}
	share := sharePositive(dr)
	out = append(out, Claim{Statement: "Robust to dropping 20% of pilot cities",
		Estimate: dr.Mean, Low: dr.Q025, High: dr.Q975,
		Evidence: fmt.Sprintf("%.0f%% of %d draws significant and positive (claim: at least 80%%); "+
			"interval: 2.5%%-97.5%% of the draws", 100*share, len(dr.Coef)),
		Holds: share >= 0.8, Truth: truth(att)})
	batch, err := AddBatches(d, des, 2013)
	if err != nil {
		return nil, err
	}
	eb := batch.Effect(true)
	tAll := nan
	if s != nil && s.Truth != nil {
		tAll = attBatches(s, []int{2012, 2013})
	}
	coefClaim("Robust to adding the 2013 batch", eb, positive(eb), fmt.Sprintf("positive, p = %.4f",
		eb.P), tAll)
	pm, err := PSMDID(d, des,
		PSMOptions{Match: psm.Options{Match: psm.MatchOptions{Replace: true}}})
	if err != nil {
		return nil, err
	}
	ep := pm.Effect(true)
	coefClaim("Robust to PSM-DID (2011 matching)", ep, positive(ep),
		fmt.Sprintf("positive, p = %.4f", ep.P), truth(att))
	pl, err := PermutePilots(d, des, PlaceboOptions{Draws: opt.Permutations, Seed: opt.Seed})
	if err != nil {
		return nil, err
	}
	out = append(out, Claim{Statement: "Survives the permutation placebo", Estimate: pl.Observed,
		Low: nan, High: nan, Evidence: fmt.Sprintf("positive, permutation p = %.4f (%d draws)",
			pl.PValue, len(pl.Draws)),
		Holds: pl.Observed > 0 && pl.PValue < 0.05, Truth: truth(att)})

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
			coefClaim("East: positive and significant", e, positive(e),
				fmt.Sprintf("positive, p = %.4f", e.P),
				get(regions, "East"))
		case "Central", "West":
			pe := equivalenceP(e, margin)
			coefClaim(g.Label+": not significant (no effect)", e, noEffect(e, margin),
				fmt.Sprintf("p = %.4f (claim: >= 0.05); equivalence to 0 within ±%.4f: "+
					"TOST p = %.4f (claim: < 0.05)", e.P, margin, pe),
				get(regions, g.Label))
		case "Northeast":
			coefClaim("Northeast: negative", e, negative(e),
				fmt.Sprintf("negative, p = %.4f", e.P), get(regions, "Northeast"))
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
		coefClaim(g.Label+": positive", g.Effect, positive(g.Effect),
			fmt.Sprintf("positive, p = %.4f", g.Effect.P), get(classes, g.Label))
	}
	return out, nil
}

// positive reports whether c is positive and significant at 5% (two-sided).
func positive(c Coef) bool { return c.Coef > 0 && c.P < 0.05 }

// negative reports whether c is negative and significant at 5% (two-sided).
func negative(c Coef) bool { return c.Coef < 0 && c.P < 0.05 }

// noEffect is the verdict on a claim that an effect is "not significant",
// read as "there is no effect": the estimate is not significant at 5%
// (p >= 0.05) and the two one-sided tests of equivalence reject effects of
// margin or more in either direction at 5% (equivalenceP < 0.05, that is
// the 90% interval lies inside (-margin, margin)). Without the second
// condition the claim would hold whenever the data are too few to see an
// effect.
func noEffect(c Coef, margin float64) bool {
	return c.P >= 0.05 && equivalenceP(c, margin) < 0.05
}

// equivalenceP is the p-value of the two one-sided tests (Schuirmann 1987)
// of H0: |β| >= margin against |β| < margin, with Student t on c.DF
// degrees of freedom:
//
//	p = max( P(T >= (b + margin)/se), P(T <= (b - margin)/se) )
//
// It is 1 when the margin is not positive or the standard error not finite.
func equivalenceP(c Coef, margin float64) float64 {
	if !(margin > 0) || !(c.SE > 0) || math.IsInf(c.SE, 0) || c.DF < 1 {
		return 1
	}
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(c.DF)}
	lower := t.Survival((c.Coef + margin) / c.SE) // H0: β <= -margin
	upper := t.CDF((c.Coef - margin) / c.SE)      // H0: β >= margin
	return math.Max(lower, upper)
}

// sharePositive is the share of the drop-pilot draws whose estimate is
// positive and significant at the draws' level.
func sharePositive(r *DropResult) float64 {
	if len(r.Coef) == 0 {
		return 0
	}
	n := 0
	for i, c := range r.Coef {
		if c > 0 && r.P[i] < r.Alpha {
			n++
		}
	}
	return float64(n) / float64(len(r.Coef))
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
