package chart

import (
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// PermutationOptions configures Permutation. The zero value draws 40 bins
// and the default labels.
type PermutationOptions struct {
	Title, XLabel, YLabel string // "" = built-in labels in Style.Lang
	Bins                  int    // number of bars; 0 = 40

	// ObservedLabel labels the line at the observed estimate; "" = the
	// built-in "Observed = <value>".
	ObservedLabel string

	Style Style
}

// Permutation draws the distribution of an estimate over permutation (or
// placebo) draws as a histogram, with a dashed vertical line at the
// observed estimate. The axis is widened so that the observed estimate is
// visible even when it lies far outside the draws. It returns an error
// when draws is empty or a value is not finite.
func Permutation(draws []float64, observed float64, opt PermutationOptions) (*plot.Plot, error) {
	if len(draws) == 0 {
		return nil, fmt.Errorf("chart: permutation histogram with no draws")
	}
	if err := checkFinite("draws", draws); err != nil {
		return nil, err
	}
	if err := checkFinite("observed", []float64{observed}); err != nil {
		return nil, err
	}
	st := opt.Style
	p, err := st.newPlot(st.or(opt.Title, "perm_title"), st.or(opt.XLabel, "perm_x"),
		st.or(opt.YLabel, "count"))
	if err != nil {
		return nil, err
	}
	bins := opt.Bins
	if bins <= 0 {
		bins = 40
	}
	h, err := plotter.NewHist(plotter.Values(draws), bins)
	if err != nil {
		return nil, err
	}
	h.FillColor = LightGrey
	h.LineStyle.Color = DarkGrey
	h.LineStyle.Width = vg.Points(0.5)
	p.Add(h, hline{Y: 0, Line: zeroLine()})

	label := opt.ObservedLabel
	if label == "" {
		label = fmt.Sprintf("%s = %.4g", st.text("observed"), observed)
	}
	p.Add(vline{X: observed, Label: label, Line: markLine(), Text: markText(p)})

	lo, hi := plotter.Range(plotter.Values(draws))
	lo, hi = math.Min(lo, observed), math.Max(hi, observed)
	pad := 0.05 * (hi - lo)
	if pad == 0 {
		pad = 1
	}
	p.X.Min, p.X.Max = lo-pad, hi+3*pad
	p.Y.Min = 0
	return p, nil
}
