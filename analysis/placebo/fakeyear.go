package placebo

import (
	"fmt"

	"example.org/smartcity/analysis/fe"
	"example.org/smartcity/analysis/frame"
)

// FakeYear is the estimate of a fake pilot year: the treatment term set to
// group x 1[year >= Year] on the years before the real pilot only.
type FakeYear struct {
	Year                           float64
	Coef, SE, P, ConfLow, ConfHigh float64
	NObs                           int
	Fit                            *fe.Result
}

// FakePilotYears runs the fake-timing placebo: keep the periods before the
// real pilot period, pretend the pilot started in each of fakes instead,
// and re-estimate f there. The treatment term treat (a column name) is
// replaced by group x 1[time >= fake], group being the 0/1 column of the
// pilot units (the treatment group, not the treatment-by-post dummy). With
// parallel pre-trends the fake coefficients should be near zero and not
// significant.
//
// Every fake period must lie strictly inside the pre-pilot periods (after
// the first, so that the fake treatment varies over time, and before
// pilot).
func FakePilotYears(d *frame.Frame, f fe.Formula, treat, group, time string, pilot float64,
	fakes []float64, opt fe.Options) ([]FakeYear, error) {
	found := false
	for _, t := range f.X {
		found = found || t == treat
	}
	if !found {
		return nil, fmt.Errorf("placebo: %q is not a regressor of %s", treat, f)
	}
	tv, err := d.Float(time)
	if err != nil {
		return nil, err
	}
	pre := d.Filter(func(i int) bool { return tv[i] < pilot })
	if pre.Len() == 0 {
		return nil, fmt.Errorf("placebo: no rows before the pilot period %v", pilot)
	}
	ptime, _ := pre.Float(time)
	first := ptime[0]
	for _, t := range ptime {
		first = min(first, t)
	}
	gv, err := pre.Float(group)
	if err != nil {
		return nil, err
	}

	for i, g := range gv {
		if g != 0 && g != 1 {
			return nil, &frame.CellError{Source: d.Source, Line: pre.Line(i), Column: group,
				Value: frame.FormatNumber(g), Reason: "the treatment-group indicator must be " +
					"0 or 1 (a first-treatment period or a missing value is not one)"}
		}
	}

	out := make([]FakeYear, 0, len(fakes))
	for _, fake := range fakes {
		if !(fake > first && fake < pilot) {
			return nil, fmt.Errorf("placebo: fake pilot period %v must lie after %v and before the "+
				"real pilot %v", fake, first, pilot)
		}
		col := make([]float64, pre.Len())
		for i := range col {
			if ptime[i] >= fake {
				col[i] = gv[i]
			}
		}
		pre.SetFloat(treat, col)
		r, err := fe.Fit(pre, f, opt)
		if err != nil {
			return nil, fmt.Errorf("fake pilot period %v: %w", fake, err)
		}
		j := r.Index(treat)
		if j < 0 {
			return nil, fmt.Errorf("fake pilot period %v: %s was dropped as collinear", fake, treat)
		}
		out = append(out, FakeYear{Year: fake, Coef: r.Coef[j], SE: r.SE[j], P: r.P[j],
			ConfLow: r.ConfLow[j], ConfHigh: r.ConfHigh[j], NObs: r.NObs, Fit: r})
	}
	return out, nil
}
