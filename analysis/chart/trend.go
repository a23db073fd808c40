package chart

import (
	"fmt"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
)

// Series is one line of a chart over time: a label and (X, Y) points.
type Series struct {
	Label string
	X, Y  []float64
}

// TrendOptions configures Trends. The zero value draws the default labels
// and no marker line.
type TrendOptions struct {
	Title, XLabel, YLabel string // "" = built-in labels in Style.Lang

	// Mark, when MarkSet, draws a dashed vertical line at that x (the pilot
	// year), labelled MarkLabel ("" = the built-in "Pilot year").
	Mark      float64
	MarkSet   bool
	MarkLabel string

	Style Style
}

// Trends draws one line with points per series (for example the mean
// governance index of pilot and non-pilot cities by year), told apart by
// dash pattern and glyph shape. It returns an error when there is no
// series, X and Y differ in length, or a value is not finite.
func Trends(series []Series, opt TrendOptions) (*plot.Plot, error) {
	if len(series) == 0 {
		return nil, fmt.Errorf("chart: trend chart with no series")
	}
	st := opt.Style
	p, err := st.newPlot(st.or(opt.Title, "trend_title"), st.or(opt.XLabel, "year"),
		st.or(opt.YLabel, "mean_index"))
	if err != nil {
		return nil, err
	}
	for i, s := range series {
		if len(s.X) != len(s.Y) || len(s.X) == 0 {
			return nil, fmt.Errorf("chart: series %q has %d x and %d y values", s.Label,
				len(s.X), len(s.Y))
		}
		if err := checkFinite(s.Label+" x", s.X); err != nil {
			return nil, err
		}
		if err := checkFinite(s.Label+" y", s.Y); err != nil {
			return nil, err
		}
		xy := make(plotter.XYs, len(s.X))
		for j := range s.X {
			xy[j] = plotter.XY{X: s.X[j], Y: s.Y[j]}
		}
		l, sc, err := plotter.NewLinePoints(xy)
		if err != nil {
			return nil, err
		}
		l.LineStyle = lineStyle(i)
		sc.GlyphStyle = glyphStyle(i)
		p.Add(l, sc)
		p.Legend.Add(s.Label, l, sc)
	}
	if opt.MarkSet {
		p.Add(vline{X: opt.Mark, Label: st.or(opt.MarkLabel, "pilot"), Line: markLine(),
			Text: markText(p)})
	}
	p.X.Tick.Marker = intTicks{}
	return p, nil
}
