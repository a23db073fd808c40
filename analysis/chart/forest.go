package chart

import (
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Estimate is a labelled coefficient with its confidence interval.
type Estimate struct {
	Label     string
	Coef      float64
	Low, High float64
}

// ForestOptions configures Forest. The zero value draws the default
// labels, a 95% interval legend and a reference line at zero.
type ForestOptions struct {
	Title, XLabel string  // "" = built-in labels in Style.Lang
	Level         float64 // confidence level, for the legend; 0 = 0.95

	// Pooled, when not NaN and Pooled is set, draws the pooled estimate as a
	// dashed vertical line labelled PooledLabel.
	Pooled      float64
	PooledLabel string
	ShowPooled  bool

	// Truth, when not nil, holds the true effect of each row (NaN = none),
	// drawn as triangles.
	Truth []float64

	Style Style
}

// Forest draws a forest plot: one row per subgroup, top to bottom in the
// order given, with the point estimate and a horizontal confidence
// interval, and a vertical line at zero. It returns an error when rows is
// empty, Truth has the wrong length, or a value is not finite.
func Forest(rows []Estimate, opt ForestOptions) (*plot.Plot, error) {
	if len(rows) == 0 {
		return nil, fmt.Errorf("chart: forest plot with no rows")
	}
	if opt.Truth != nil && len(opt.Truth) != len(rows) {
		return nil, fmt.Errorf("chart: forest plot: %d true effects for %d rows",
			len(opt.Truth), len(rows))
	}
	st := opt.Style
	p, err := st.newPlot(st.or(opt.Title, "forest_title"), st.or(opt.XLabel, "coef"), "")
	if err != nil {
		return nil, err
	}
	level := opt.Level
	if level == 0 {
		level = 0.95
	}

	n := len(rows)
	var pts plotter.XYs
	var bars errPoints
	names := make([]string, n)
	for i, r := range rows {
		if err := checkFinite(r.Label+" coef/low/high", []float64{r.Coef, r.Low,
			r.High}); err != nil {
			return nil, err
		}
		y := float64(n - 1 - i)
		names[n-1-i] = r.Label
		pts = append(pts, plotter.XY{X: r.Coef, Y: y})
		bars = append(bars, errPoint{r.Coef, y, r.Low, r.High})
	}
	eb, err := plotter.NewXErrorBars(xErr(bars))
	if err != nil {
		return nil, err
	}
	eb.LineStyle = draw.LineStyle{Color: Black, Width: vg.Points(1.2)}
	eb.CapWidth = vg.Points(6)
	sc, err := plotter.NewScatter(pts)
	if err != nil {
		return nil, err
	}
	sc.GlyphStyle = draw.GlyphStyle{Color: Black, Radius: vg.Points(3.5), Shape: draw.BoxGlyph{}}
	p.Add(eb, sc)
	p.Legend.Add(st.text("estimate"), sc)
	p.Legend.Add(fmt.Sprintf(st.text("ci"), 100*level), lineThumb(eb.LineStyle))
	p.Add(vline{X: 0, Line: zeroLine()})

	if opt.ShowPooled && !math.IsNaN(opt.Pooled) {
		p.Add(vline{X: opt.Pooled, Label: opt.PooledLabel, Line: markLine(), Text: markText(p)})
	}
	if opt.Truth != nil {
		var tr plotter.XYs
		for i, v := range opt.Truth {
			if !math.IsNaN(v) {
				tr = append(tr, plotter.XY{X: v, Y: float64(n - 1 - i)})
			}
		}
		if len(tr) > 0 {
			ts, err := plotter.NewScatter(tr)
			if err != nil {
				return nil, err
			}
			ts.GlyphStyle = draw.GlyphStyle{Color: DarkGrey, Radius: vg.Points(3.5),
				Shape: draw.TriangleGlyph{}}
			p.Add(ts)
			p.Legend.Add(st.text("truth"), ts)
		}
	}

	p.NominalY(names...)
	// The legend sits in an empty band below the last row.
	p.Y.Min, p.Y.Max = -1.5, float64(n)-0.4
	p.Legend.Top, p.Legend.Left = false, false

	// Make room so that zero is always visible.
	xmin, xmax := math.Inf(1), math.Inf(-1)
	for _, r := range rows {
		xmin, xmax = math.Min(xmin, r.Low), math.Max(xmax, r.High)
	}
	xmin, xmax = math.Min(xmin, 0), math.Max(xmax, 0)
	pad := 0.08 * (xmax - xmin)
	if pad == 0 {
		pad = 1
	}
	p.X.Min, p.X.Max = xmin-pad, xmax+pad
	return p, nil
}

// xErr presents errPoints as XErrorBars input.
type xErr errPoints

func (e xErr) Len() int                        { return len(e) }
func (e xErr) XY(i int) (float64, float64)     { return e[i].x, e[i].y }
func (e xErr) XError(i int) (float64, float64) { return e[i].x - e[i].lo, e[i].hi - e[i].x }
