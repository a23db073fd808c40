package chart

import (
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
)

// Scores are propensity scores of treated and control units, with optional
// weights (matching weights after matching; nil means all 1).
type Scores struct {
	Treated, Control               []float64
	TreatedWeights, ControlWeights []float64
}

// SupportOptions configures CommonSupport. The zero value draws 25 bins
// over [0, 1] and the default labels.
type SupportOptions struct {
	Title string // "" = built-in; drawn above the left panel
	Bins  int    // number of bins; 0 = 25
	Style Style
}

// CommonSupport draws the weighted density of the propensity score of
// treated (solid line) and control units (dashed line) before matching
// (left) and after matching (right), on a common [0, 1] axis. It returns
// an error when a group is empty, weights do not match the scores, or a
// score lies outside [0, 1].
func CommonSupport(before, after Scores, opt SupportOptions) (Panels, error) {
	st := opt.Style
	bins := opt.Bins
	if bins <= 0 {
		bins = 25
	}
	var row []*plot.Plot
	for k, s := range []Scores{before, after} {
		key := []string{"before", "after"}[k]
		title := st.text(key)
		if k == 0 && opt.Title != "" {
			title = opt.Title + ": " + title
		}
		ylab := ""
		if k == 0 {
			ylab = st.text("density")
		}
		p, err := st.newPlot(title, st.text("pscore"), ylab)
		if err != nil {
			return Panels{}, err
		}
		p.Title.TextStyle.Font.Size = st.fontSize() * 1.1
		for g, grp := range []struct {
			key  string
			v, w []float64
		}{{"treated", s.Treated, s.TreatedWeights}, {"control", s.Control, s.ControlWeights}} {
			xy, err := density(grp.v, grp.w, bins)
			if err != nil {
				return Panels{}, fmt.Errorf("chart: common support, %s, %s: %w", st.text(key),
					grp.key, err)
			}
			l, err := plotter.NewLine(xy)
			if err != nil {
				return Panels{}, err
			}
			l.LineStyle = lineStyle(g)
			l.StepStyle = plotter.PreStep
			p.Add(l)
			p.Legend.Add(st.text(grp.key), l)
		}
		p.X.Min, p.X.Max = 0, 1
		p.Y.Min = 0
		p.Legend.Left = false
		row = append(row, p)
	}

	// Share the y range so the two panels compare.
	ymax := math.Max(row[0].Y.Max, row[1].Y.Max)
	for _, p := range row {
		p.Y.Max = ymax * 1.05
	}
	return Panels{Rows: [][]*plot.Plot{row}}, nil
}

// density returns a weighted histogram density on [0, 1] as the outline of
// its bars (for a pre-step line).
func density(v, w []float64, bins int) (plotter.XYs, error) {
	if len(v) == 0 {
		return nil, fmt.Errorf("no scores")
	}
	if w != nil && len(w) != len(v) {
		return nil, fmt.Errorf("%d weights for %d scores", len(w), len(v))
	}
	counts := make([]float64, bins)
	total := 0.0
	for i, x := range v {
		if !(x >= 0 && x <= 1) {
			return nil, fmt.Errorf("score %d is %v, outside [0, 1]", i, x)
		}
		wi := 1.0
		if w != nil {
			wi = w[i]
			if !(wi >= 0) || math.IsInf(wi, 0) {
				return nil, fmt.Errorf("weight %d is %v", i, wi)
			}
		}
		b := int(x * float64(bins))
		if b == bins {
			b--
		}
		counts[b] += wi
		total += wi
	}
	if total == 0 {
		return nil, fmt.Errorf("all weights are zero")
	}
	width := 1 / float64(bins)
	xy := make(plotter.XYs, 0, bins+2)
	xy = append(xy, plotter.XY{X: 0, Y: 0})
	for b, c := range counts {
		xy = append(xy, plotter.XY{X: float64(b+1) * width, Y: c / total / width})
	}
	xy[0].Y = xy[1].Y
	return xy, nil
}
