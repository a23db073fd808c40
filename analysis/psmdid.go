package analysis

import (
	"fmt"

	"example.org/smartcity/analysis/chart"
	"example.org/smartcity/analysis/fe"
	"example.org/smartcity/analysis/frame"
	"example.org/smartcity/analysis/psm"
)

// PSMOptions configures PSMDID. The zero value matches once on the
// controls in the year before the pilot, 1:1 nearest neighbour without
// replacement and without a caliper (MatchIt's defaults).
type PSMOptions struct {
	// Design is "baseline" (match once in BaseYear and keep each city's
	// weight in every year) or "yearly" (match within every year); "" is
	// "baseline".
	Design string

	// BaseYear is the year matched on by the baseline design; 0 means the
	// year before the pilot year.
	BaseYear int

	// Covariates of the propensity score; nil means the design's controls.
	Covariates []string

	Match psm.Options
}

// PSMDIDResult is the baseline difference in differences on a matched
// sample, weighted by the matching weights.
type PSMDIDResult struct {
	Matching                      *psm.PanelResult
	WithoutControls, WithControls *fe.Result
	Design                        Design
	Options                       PSMOptions
	Sample                        Sample
	Notes                         []string
}

// Effect returns the coefficient on the pilot dummy.
func (r *PSMDIDResult) Effect(withControls bool) Coef {
	if withControls {
		return coefOf(r.WithControls, r.Design.Treat)
	}
	return coefOf(r.WithoutControls, r.Design.Treat)
}

// PSMDID matches pilot cities to never-pilot cities on a logit propensity
// score (package psm) and fits the baseline models on the matched sample
// with the matching weights as regression weights: rows of unmatched
// cities (weight 0) drop out and are counted in the fits' Notes.
func PSMDID(d *frame.Frame, des Design, opt PSMOptions) (*PSMDIDResult, error) {
	des = des.withDefaults()
	if opt.Design == "" {
		opt.Design = "baseline"
	}
	if opt.BaseYear == 0 {
		opt.BaseYear = des.PilotYear - 1
	}
	if opt.Covariates == nil {
		opt.Covariates = des.Controls
	}
	sub, s, err := baselineSample(d, des)
	if err != nil {
		return nil, err
	}
	spec := psm.Spec{Treat: des.Group, Covariates: opt.Covariates}
	var m *psm.PanelResult
	switch opt.Design {
	case "baseline":
		m, err = psm.MatchBaseline(sub, spec, des.Unit, des.Time, float64(opt.BaseYear), opt.Match)
	case "yearly":
		m, err = psm.MatchByYear(sub, spec, des.Unit, des.Time, opt.Match)
	default:
		return nil, fmt.Errorf("PSM-DID: unknown design %q; use \"baseline\" or \"yearly\"",
			opt.Design)
	}
	if err != nil {
		return nil, fmt.Errorf("PSM-DID matching: %w", err)
	}
	const wcol = "psm_weight"
	sub.SetFloat(wcol, m.Weights)
	res := &PSMDIDResult{Matching: m, Design: des, Options: opt, Sample: s}
	res.Notes = append(res.Notes, s.Note(), fmt.Sprintf("%s matching: %d of %d cities matched",
		opt.Design, m.NMatchedUnits, m.NUnits))
	res.Notes = append(res.Notes, m.Notes...)
	if res.WithoutControls, err = fitDID(sub, des, des.Treat, nil, wcol); err != nil {
		return nil, fmt.Errorf("PSM-DID without controls: %w", err)
	}
	if res.WithControls, err = fitDID(sub, des, des.Treat, des.Controls, wcol); err != nil {
		return nil, fmt.Errorf("PSM-DID with controls: %w", err)
	}
	return res, nil
}

// Balance returns the balance table of the matching (of the baseline
// year, or every year's tables in turn for the yearly design).
func (r *PSMDIDResult) Balance() []psm.BalanceRow {
	var out []psm.BalanceRow
	for _, y := range r.Matching.ByYear {
		out = append(out, y.Balance...)
	}
	return out
}

// SupportChart draws the propensity scores of pilot and never-pilot
// cities before and after matching (pooled over years for the yearly
// design).
func (r *PSMDIDResult) SupportChart(opt chart.SupportOptions) (chart.Panels, error) {
	var before, after chart.Scores
	for _, y := range r.Matching.ByYear {
		s := y.Support
		before.Treated = append(before.Treated, s.TreatedScores...)
		before.Control = append(before.Control, s.ControlScores...)
		after.TreatedWeights = append(after.TreatedWeights, s.TreatedWeights...)
		after.ControlWeights = append(after.ControlWeights, s.ControlWeights...)
	}
	after.Treated, after.Control = before.Treated, before.Control
	return chart.CommonSupport(before, after, opt)
}
