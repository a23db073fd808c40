package analysis

import (
	"fmt"

	"example.org/smartcity/analysis/fe"
	"example.org/smartcity/analysis/frame"
)

// BaselineResult holds the baseline difference-in-differences models: the
// pilot dummy on the governance index with city and year fixed effects,
// errors clustered by city, without (column 1) and with (column 2) the
// controls, preceded by the Hausman test of fixed against random effects.
type BaselineResult struct {
	Hausman *fe.HausmanTest

	WithoutControls *fe.Result
	WithControls    *fe.Result

	Sample Sample
	Design Design
	Notes  []string
}

// Models returns the two models in table order.
func (b *BaselineResult) Models() []*fe.Result {
	return []*fe.Result{b.WithoutControls, b.WithControls}
}

// Effect returns the coefficient on the pilot dummy of the model with
// controls (withControls true) or without.
func (b *BaselineResult) Effect(withControls bool) Coef {
	if withControls {
		return coefOf(b.WithControls, b.Design.Treat)
	}
	return coefOf(b.WithoutControls, b.Design.Treat)
}

// Coef is one estimated coefficient with its inference.
type Coef struct {
	Term      string
	Coef, SE  float64
	Stat, P   float64
	Low, High float64
	NObs      int
	DF        int // degrees of freedom of the t statistic (G-1 when clustered)
}

// Significant reports whether the coefficient differs from zero at the
// level alpha (two-sided).
func (c Coef) Significant(alpha float64) bool { return c.P < alpha }

// Covers reports whether the confidence interval contains v.
func (c Coef) Covers(v float64) bool { return c.Low <= v && v <= c.High }

func coefOf(r *fe.Result, term string) Coef {
	j := r.Index(term)
	if j < 0 {
		panic(fmt.Sprintf("analysis: term %q not in the fit (terms %v)", term, r.Terms))
	}
	return Coef{Term: term, Coef: r.Coef[j], SE: r.SE[j], Stat: r.Stat[j], P: r.P[j],
		Low: r.ConfLow[j], High: r.ConfHigh[j], NObs: r.NObs, DF: r.DF}
}

// fitDID fits y on the treatment dummy (and controls) with unit and year
// fixed effects, clustered as the design says, and checks that the
// treatment coefficient was estimated.
func fitDID(d *frame.Frame, des Design, treat string, controls []string,
	weights string) (*fe.Result, error) {
	f := fe.Formula{Y: des.Y, X: append([]string{treat}, controls...), FE: []string{des.Unit,
		des.Time}}
	r, err := fe.Fit(d, f, fe.Options{Cluster: []string{des.Cluster}, Level: des.Level,
		Weights: weights})
	if err != nil {
		return nil, err
	}
	if r.Index(treat) < 0 {
		return nil, fmt.Errorf("%s: the pilot dummy %q is collinear with the fixed effects or controls; "+
			"notes: %v", d.Source, treat, r.Notes)
	}
	return r, nil
}

// Baseline fits the baseline models on the baseline sample: the cities of
// the baseline pilot batch and the never-pilot cities (later batches are
// left out and counted in Sample). The Hausman test compares the
// within (city fixed effects) and the random-effects (Swamy-Arora)
// estimates of the model with controls, as plm's phtest does; a small
// p-value rejects random effects in favour of fixed effects.
func Baseline(d *frame.Frame, des Design) (*BaselineResult, error) {
	des = des.withDefaults()
	sub, s, err := baselineSample(d, des)
	if err != nil {
		return nil, err
	}
	res := &BaselineResult{Sample: s, Design: des, Notes: []string{s.Note()}}

	res.Hausman, err = hausman(sub, des)
	if err != nil {
		return nil, fmt.Errorf("Hausman test: %w", err)
	}
	res.WithoutControls, err = fitDID(sub, des, des.Treat, nil, "")
	if err != nil {
		return nil, fmt.Errorf("baseline without controls: %w", err)
	}
	res.WithControls, err = fitDID(sub, des, des.Treat, des.Controls, "")
	if err != nil {
		return nil, fmt.Errorf("baseline with controls: %w", err)
	}
	return res, nil
}

// hausman runs the Hausman test of city fixed against city random effects
// for the pilot dummy and the controls. Year dummies are not included:
// in a balanced panel they have no between-city variation, so the
// Swamy-Arora between regression that random effects need cannot include
// them.
func hausman(d *frame.Frame, des Design) (*fe.HausmanTest, error) {
	x := append([]string{des.Treat}, des.Controls...)
	return fe.Hausman(d, fe.Formula{Y: des.Y, X: x}, des.Unit, des.Time)
}
