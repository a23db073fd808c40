package chart

import (
	"fmt"
	"image/color"
	"math"
	"sort"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// staggeredLabels are the built-in labels of the staggered-adoption
// charts, by language.
var staggeredLabels = map[string]map[string]string{
	"en": {
		"dyn_title":   "Dynamic effect of the pilots under staggered adoption",
		"dyn_x":       "Years relative to the city's pilot year (e)",
		"dyn_ci":      "Bars: %g%% confidence intervals",
		"dyn_ref":     "Reference period (e = %d)",
		"dyn_pilot":   "Pilot year",
		"bacon_title": "Goodman-Bacon decomposition of the TWFE estimate",
		"bacon_x":     "Weight of the 2x2 comparison",
		"bacon_y":     "2x2 DiD estimate (index points)",
		"bacon_twfe":  "TWFE estimate = %.4f",
	},
	"zh": {
		"dyn_title":   "交错试点下政策的动态效应",
		"dyn_x":       "相对本市试点年份的年数 (e)",
		"dyn_ci":      "误差线: %g%% 置信区间",
		"dyn_ref":     "基准期 (e = %d)",
		"dyn_pilot":   "试点年份",
		"bacon_title": "双向固定效应估计的 Goodman-Bacon 分解",
		"bacon_x":     "2x2 比较的权重",
		"bacon_y":     "2x2 双重差分估计值",
		"bacon_twfe":  "双向固定效应估计 = %.4f",
	},
}

func (s Style) staggeredText(v, key string) string {
	if v != "" {
		return v
	}
	if s.Lang == "zh" {
		return staggeredLabels["zh"][key]
	}
	return staggeredLabels["en"][key]
}

// DynamicSeries is one estimator's dynamic effects: a legend label and its
// points by relative period (the reference period flagged).
type DynamicSeries struct {
	Label  string
	Points []EventPoint
}

// DynamicOptions configures DynamicComparison. The zero value draws the
// built-in labels, 95% in the legend, reference period -1 and automatic
// horizontal offsets.
type DynamicOptions struct {
	Title, XLabel, YLabel string  // "" = built-in labels in Style.Lang
	Level                 float64 // confidence level of the intervals, for the legend; 0 = 0.95

	// Reference is the reference period, marked by a shaded column and a
	// hollow point at zero; 0 means -1.
	Reference int

	// Offset is the horizontal distance between the series at one period,
	// in periods; 0 means 0.6 divided by the number of series.
	Offset float64

	// Truth, when not nil, holds the true effects, drawn as a line.
	Truth []EventTruth

	Style Style
}

// DynamicComparison overlays the dynamic effects of several estimators
// (for example a two-way fixed-effects event study, Callaway-Sant'Anna's
// dynamic aggregation and Sun-Abraham's interaction-weighted estimates):
// at each relative period, one point with its confidence interval per
// estimator, shifted sideways by opt.Offset so that the intervals do not
// overlap, told apart by glyph shape and grey. The reference period is a
// shaded column with a hollow point at zero, the pilot year a dashed
// vertical line between periods -1 and 0, and opt.Truth, when given, a
// dashed line through the true effects at the unshifted periods.
//
// Points of a series may come in any order. It returns an error when
// there is no series, a series has no point, a relative period repeats
// within a series, or a value is not finite.
func DynamicComparison(series []DynamicSeries, opt DynamicOptions) (*plot.Plot, error) {
	if len(series) == 0 {
		return nil, fmt.Errorf("chart: dynamic comparison with no series")
	}
	ref := opt.Reference
	if ref == 0 {
		ref = -1
	}
	level := opt.Level
	if level == 0 {
		level = 0.95
	}
	off := opt.Offset
	if off == 0 {
		off = 0.6 / float64(len(series))
	}
	lo, hi := math.MaxInt, math.MinInt
	ymin, ymax := 0.0, 0.0
	for _, s := range series {
		if len(s.Points) == 0 {
			return nil, fmt.Errorf("chart: dynamic comparison: series %q has no points", s.Label)
		}
		seen := map[int]bool{}
		for _, pt := range s.Points {
			if seen[pt.RelTime] {
				return nil, fmt.Errorf("chart: dynamic comparison: series %q: relative period "+
					"%d appears twice", s.Label, pt.RelTime)
			}
			seen[pt.RelTime] = true
			if pt.Reference {
				continue
			}
			if err := checkFinite(fmt.Sprintf("%s k=%d coef/low/high", s.Label, pt.RelTime),
				[]float64{pt.Coef, pt.Low, pt.High}); err != nil {
				return nil, err
			}
			lo, hi = min(lo, pt.RelTime), max(hi, pt.RelTime)
			ymin, ymax = math.Min(ymin, pt.Low), math.Max(ymax, pt.High)
		}
	}
	for _, t := range opt.Truth {
		if math.IsNaN(t.Effect) || math.IsInf(t.Effect, 0) {
			return nil, fmt.Errorf("chart: true effect at k=%d is %v", t.RelTime, t.Effect)
		}
	}
	if lo > hi {
		return nil, fmt.Errorf("chart: dynamic comparison: no estimated period")
	}
	lo, hi = min(lo, ref), max(hi, ref)

	st := opt.Style
	p, err := st.newPlot(st.staggeredText(opt.Title, "dyn_title"),
		st.staggeredText(opt.XLabel, "dyn_x"), st.or(opt.YLabel, "effect"))
	if err != nil {
		return nil, err
	}

	entries := 0

	// Background marks first: the reference column, zero, the pilot year.
	p.Add(vband{X0: float64(ref) - 0.45, X1: float64(ref) + 0.45, Color: paleGrey})
	p.Add(hline{Y: 0, Line: zeroLine()})
	p.Add(vline{X: -0.5, Label: st.staggeredText("", "dyn_pilot"), Line: markLine(),
		Text: markText(p)})

	if len(opt.Truth) > 0 {
		tr := append([]EventTruth(nil), opt.Truth...)
		sort.Slice(tr, func(i, j int) bool { return tr[i].RelTime < tr[j].RelTime })
		var xy plotter.XYs
		for _, t := range tr {
			if t.RelTime < lo || t.RelTime > hi {
				continue
			}
			xy = append(xy, plotter.XY{X: float64(t.RelTime), Y: t.Effect})
			ymin, ymax = math.Min(ymin, t.Effect), math.Max(ymax, t.Effect)
		}
		if len(xy) > 0 {
			line, err := plotter.NewLine(xy)
			if err != nil {
				return nil, err
			}
			line.LineStyle = draw.LineStyle{Color: DarkGrey, Width: vg.Points(2),
				Dashes: []vg.Length{vg.Points(6), vg.Points(3)}}
			p.Add(line)
			p.Legend.Add(st.text("truth"), line)
			entries++
		}
	}

	for i, s := range series {
		shift := (float64(i) - float64(len(series)-1)/2) * off
		var est plotter.XYs
		var bars errPoints
		for _, pt := range s.Points {
			if pt.Reference {
				continue
			}
			x := float64(pt.RelTime) + shift
			est = append(est, plotter.XY{X: x, Y: pt.Coef})
			bars = append(bars, errPoint{x, pt.Coef, pt.Low, pt.High})
		}
		if len(est) == 0 {
			continue
		}
		gs := seriesGlyph(i)
		eb, err := plotter.NewYErrorBars(bars)
		if err != nil {
			return nil, err
		}
		eb.LineStyle = draw.LineStyle{Color: gs.Color, Width: vg.Points(0.9)}
		eb.CapWidth = vg.Points(2.5)
		sc, err := plotter.NewScatter(est)
		if err != nil {
			return nil, err
		}
		sc.GlyphStyle = gs
		p.Add(eb, sc)
		p.Legend.Add(s.Label, sc)
		entries++
	}

	ring, err := plotter.NewScatter(plotter.XYs{{X: float64(ref), Y: 0}})
	if err != nil {
		return nil, err
	}
	ring.GlyphStyle = draw.GlyphStyle{Color: Black, Radius: vg.Points(3.5), Shape: draw.RingGlyph{}}
	p.Add(ring)
	p.Legend.Add(fmt.Sprintf(st.staggeredText("", "dyn_ref"), ref), bandThumb{paleGrey}, ring)
	p.Legend.Add(fmt.Sprintf(st.staggeredText("", "dyn_ci"), 100*level),
		lineThumb{Color: Black, Width: vg.Points(0.9)})
	entries += 2

	// One tick per period, half a period of padding; room above the data
	// on the left for the legend.
	p.X.Min, p.X.Max = float64(lo)-0.6, float64(hi)+0.6
	p.X.Tick.Marker = intTicks{}
	leftMax := 0.0
	split := float64(lo) + 0.55*float64(hi-lo)
	for _, s := range series {
		for _, pt := range s.Points {
			if !pt.Reference && float64(pt.RelTime) <= split {
				leftMax = math.Max(leftMax, pt.High)
			}
		}
	}
	for _, t := range opt.Truth {
		if float64(t.RelTime) <= split && t.RelTime >= lo {
			leftMax = math.Max(leftMax, t.Effect)
		}
	}
	p.Y.Min, p.Y.Max = padRange(ymin, ymax, leftMax, entries)
	return p, nil
}

// legendShare is the share of the height of a default-size figure's data
// area that one legend entry takes.
const legendShare = 0.042

// padRange returns the y range of a chart whose data span [ymin, ymax]:
// 5% padding, and enough headroom for a top legend of n entries to clear
// under, whose highest data point in the legend's columns is under.
func padRange(ymin, ymax, under float64, n int) (lo, hi float64) {
	span := ymax - ymin
	if span == 0 {
		span = 1
	}
	lo, hi = ymin-0.05*span, ymax+0.05*span
	f := math.Min(0.6, legendShare*float64(n)+0.04)
	// The legend covers the top share f of [lo, hi]; the data under it
	// must stay below hi - f (hi - lo).
	need := (under + 0.07*span - f*lo) / (1 - f)
	return lo, math.Max(hi, need)
}

// seriesGlyphs are the markers of the staggered charts: filled shapes
// first (they stay visible when small), then hollow ones; the hollow
// circle is kept for the reference period.
var seriesGlyphs = []draw.GlyphStyle{
	{Color: Black, Radius: vg.Points(2.8), Shape: draw.CircleGlyph{}},
	{Color: DarkGrey, Radius: vg.Points(3.2), Shape: draw.PyramidGlyph{}},
	{Color: MidGrey, Radius: vg.Points(2.8), Shape: draw.BoxGlyph{}},
	{Color: Black, Radius: vg.Points(2.8), Shape: draw.SquareGlyph{}},
	{Color: DarkGrey, Radius: vg.Points(3.2), Shape: draw.TriangleGlyph{}},
	{Color: Black, Radius: vg.Points(3.2), Shape: draw.CrossGlyph{}},
}

func seriesGlyph(i int) draw.GlyphStyle { return seriesGlyphs[i%len(seriesGlyphs)] }

// paleGrey shades the reference period behind the data.
var paleGrey = color.Gray{Y: 236}

// vband shades the full height of the data area between X0 and X1.
type vband struct {
	X0, X1 float64
	Color  color.Color
}

// Plot implements plot.Plotter.
func (b vband) Plot(c draw.Canvas, p *plot.Plot) {
	tx, _ := p.Transforms(&c)
	x0 := math.Max(float64(tx(b.X0)), float64(c.Min.X))
	x1 := math.Min(float64(tx(b.X1)), float64(c.Max.X))
	if x0 >= x1 {
		return
	}
	r := vg.Rectangle{Min: vg.Point{X: vg.Length(x0), Y: c.Min.Y},
		Max: vg.Point{X: vg.Length(x1), Y: c.Max.Y}}
	c.SetColor(b.Color)
	c.Fill(r.Path())
}

// bandThumb is a legend entry drawn as a filled square.
type bandThumb struct{ Color color.Color }

// Thumbnail implements plot.Thumbnailer.
func (b bandThumb) Thumbnail(c *draw.Canvas) {
	mid := c.Center().X
	h := c.Max.Y - c.Min.Y
	r := vg.Rectangle{Min: vg.Point{X: mid - h/2, Y: c.Min.Y}, Max: vg.Point{X: mid + h/2, Y: c.Max.Y}}
	c.SetColor(b.Color)
	c.Fill(r.Path())
}

// BaconPoint is one 2x2 comparison of a Goodman-Bacon decomposition: its
// type (e.g. "Treated vs Untreated"), weight and estimate, and an optional
// label drawn beside the point ("2013 vs 2012").
type BaconPoint struct {
	Type     string
	Weight   float64
	Estimate float64
	Label    string
}

// BaconOptions configures BaconScatter. The zero value draws the built-in
// labels and no point labels.
type BaconOptions struct {
	Title, XLabel, YLabel string // "" = built-in labels in Style.Lang
	// TWFELabel labels the line of the TWFE estimate; "" = the built-in
	// "TWFE estimate = <value>".
	TWFELabel string
	// PointLabels draws each point's label beside it (they may overlap
	// when points crowd).
	PointLabels bool
	Style       Style
}

// baconTypes fixes the order (and so the glyph) of the comparison types
// of package did.
var baconTypes = []string{
	"Treated vs Untreated",
	"Earlier vs Later Treated",
	"Later vs Earlier Treated",
	"Later vs Always Treated",
}

// BaconScatter draws the Goodman-Bacon (2021) decomposition of a two-way
// fixed-effects estimate: each 2x2 comparison as a point at (weight,
// estimate), glyph shape and grey by comparison type, and the TWFE
// estimate (the weighted mean of the points) as a dashed horizontal line.
// Types appear in the legend in the order Treated vs Untreated, Earlier vs
// Later, Later vs Earlier, Later vs Always Treated, then any other type in
// order of appearance. It returns an error when pts is empty, a weight is
// negative, or a value is not finite.
func BaconScatter(pts []BaconPoint, twfe float64, opt BaconOptions) (*plot.Plot, error) {
	if len(pts) == 0 {
		return nil, fmt.Errorf("chart: Bacon scatter with no comparisons")
	}
	if err := checkFinite("TWFE estimate", []float64{twfe}); err != nil {
		return nil, err
	}
	types := append([]string(nil), baconTypes...)
	byType := map[string]plotter.XYs{}
	wmax := 0.0
	ymin, ymax := math.Min(0, twfe), math.Max(0, twfe)
	for i, pt := range pts {
		if err := checkFinite(fmt.Sprintf("comparison %d weight/estimate", i),
			[]float64{pt.Weight, pt.Estimate}); err != nil {
			return nil, err
		}
		if pt.Weight < 0 {
			return nil, fmt.Errorf("chart: comparison %d (%s) has negative weight %v", i,
				pt.Label, pt.Weight)
		}
		if _, ok := byType[pt.Type]; !ok {
			known := false
			for _, t := range types {
				known = known || t == pt.Type
			}
			if !known {
				types = append(types, pt.Type)
			}
		}
		byType[pt.Type] = append(byType[pt.Type], plotter.XY{X: pt.Weight, Y: pt.Estimate})
		wmax = math.Max(wmax, pt.Weight)
		ymin, ymax = math.Min(ymin, pt.Estimate), math.Max(ymax, pt.Estimate)
	}

	st := opt.Style
	p, err := st.newPlot(st.staggeredText(opt.Title, "bacon_title"),
		st.staggeredText(opt.XLabel, "bacon_x"), st.staggeredText(opt.YLabel, "bacon_y"))
	if err != nil {
		return nil, err
	}
	p.Add(hline{Y: 0, Line: zeroLine()})
	label := opt.TWFELabel
	if label == "" {
		label = fmt.Sprintf(st.staggeredText("", "bacon_twfe"), twfe)
	}
	tl := markLine()
	tl.Width = vg.Points(1.3)
	p.Add(hline{Y: twfe, Line: tl})

	k, entries := 0, 0
	for _, t := range types {
		xy, ok := byType[t]
		if !ok {
			continue
		}
		sc, err := plotter.NewScatter(xy)
		if err != nil {
			return nil, err
		}
		gs := seriesGlyph(k)
		gs.Radius *= 1.5
		sc.GlyphStyle = gs
		p.Add(sc)
		p.Legend.Add(t, sc)
		k++
		entries++
	}
	p.Legend.Add(label, lineThumb(tl))
	entries++
	if opt.PointLabels {
		var xy plotter.XYs
		var names []string
		for _, pt := range pts {
			if pt.Label != "" {
				xy = append(xy, plotter.XY{X: pt.Weight, Y: pt.Estimate})
				names = append(names, pt.Label)
			}
		}
		if len(xy) > 0 {
			ls, err := plotter.NewLabels(plotter.XYLabels{XYs: xy, Labels: names})
			if err != nil {
				return nil, err
			}
			sty := markText(p)
			sty.Font.Size = st.fontSize() * 0.8
			sty.XAlign, sty.YAlign = draw.XLeft, draw.YCenter
			for i := range ls.TextStyle {
				ls.TextStyle[i] = sty
			}
			ls.Offset = vg.Point{X: vg.Points(7)}
			p.Add(ls)
		}
	}

	p.X.Min, p.X.Max = 0, wmax*1.1
	if wmax == 0 {
		p.X.Max = 1
	}
	if opt.PointLabels {
		p.X.Max = wmax * 1.3
	}
	// The legend spans about the left half of the plot.
	under := math.Max(0, twfe)
	for _, pt := range pts {
		if pt.Weight <= 0.55*p.X.Max {
			under = math.Max(under, pt.Estimate)
		}
	}
	p.Y.Min, p.Y.Max = padRange(ymin, ymax, under, entries)
	return p, nil
}
