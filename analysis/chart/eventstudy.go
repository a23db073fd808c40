package chart

import (
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// EventPoint is one relative period of an event study: the coefficient on
// the dummy for k = year - pilot year and its confidence interval. The
// reference period has Reference set and coefficient 0 by construction.
type EventPoint struct {
	RelTime   int
	Coef      float64
	Low, High float64
	Reference bool
}

// EventTruth is a known true effect at a relative period (synthetic data).
type EventTruth struct {
	RelTime int
	Effect  float64
}

// EventStudyOptions configures EventStudy. The zero value draws the
// default labels, a 95% band, and the pilot year at k = 0.
type EventStudyOptions struct {
	Title, XLabel, YLabel string  // "" = built-in labels in Style.Lang
	Level                 float64 // confidence level of the intervals, for the legend; 0 = 0.95
	Truth                 []EventTruth
	Style                 Style
}

// EventStudy draws event-study coefficients against relative time: a
// shaded confidence band, error bars with caps, the point estimates, the
// reference period as a hollow point at zero, a dashed vertical line at
// the pilot year (k = 0), and, when opt.Truth is given, the true effects
// as a dashed line with triangles.
//
// Points may come in any order; they are drawn sorted by RelTime. It
// returns an error when pts is empty, a relative period repeats, or a
// value is not finite.
func EventStudy(pts []EventPoint, opt EventStudyOptions) (*plot.Plot, error) {
	if len(pts) == 0 {
		return nil, fmt.Errorf("chart: event study with no coefficients")
	}
	pts = append([]EventPoint(nil), pts...)
	sort.Slice(pts, func(i, j int) bool { return pts[i].RelTime < pts[j].RelTime })
	for i, pt := range pts {
		if i > 0 && pt.RelTime == pts[i-1].RelTime {
			return nil, fmt.Errorf("chart: event study: relative period %d appears twice",
				pt.RelTime)
		}
		if err := checkFinite(fmt.Sprintf("k=%d coef/low/high", pt.RelTime),
			[]float64{pt.Coef, pt.Low, pt.High}); err != nil {
			return nil, err
		}
	}
	st := opt.Style
	p, err := st.newPlot(st.or(opt.Title, "es_title"),
		st.or(opt.XLabel, "relative_time"), st.or(opt.YLabel, "effect"))
	if err != nil {
		return nil, err
	}
	level := opt.Level
	if level == 0 {
		level = 0.95
	}

	// The band runs through every period, the reference one included
	// (where it has zero width), so that gaps do not hide a period.
	band := make(plotter.XYs, 0, 2*len(pts))
	for _, pt := range pts {
		band = append(band, plotter.XY{X: float64(pt.RelTime), Y: pt.High})
	}
	for i := len(pts) - 1; i >= 0; i-- {
		band = append(band, plotter.XY{X: float64(pts[i].RelTime), Y: pts[i].Low})
	}
	poly, err := plotter.NewPolygon(band)
	if err != nil {
		return nil, err
	}
	poly.Color = LightGrey
	poly.LineStyle.Width = 0
	p.Add(hline{Y: 0, Line: zeroLine()}, poly)

	var est plotter.XYs
	var bars errPoints
	var ref plotter.XYs
	for _, pt := range pts {
		x := float64(pt.RelTime)
		if pt.Reference {
			ref = append(ref, plotter.XY{X: x, Y: pt.Coef})
			continue
		}
		est = append(est, plotter.XY{X: x, Y: pt.Coef})
		bars = append(bars, errPoint{x, pt.Coef, pt.Low, pt.High})
	}
	if len(bars) > 0 {
		eb, err := plotter.NewYErrorBars(bars)
		if err != nil {
			return nil, err
		}
		eb.LineStyle = draw.LineStyle{Color: Black, Width: vg.Points(1)}
		eb.CapWidth = vg.Points(5)
		line, sc, err := plotter.NewLinePoints(est)
		if err != nil {
			return nil, err
		}
		line.LineStyle = draw.LineStyle{Color: Black, Width: vg.Points(0.8)}
		sc.GlyphStyle = draw.GlyphStyle{Color: Black, Radius: vg.Points(3),
			Shape: draw.CircleGlyph{}}
		p.Add(eb, line, sc)
		p.Legend.Add(st.text("estimate"), sc)
		p.Legend.Add(fmt.Sprintf(st.text("ci"), 100*level), poly)
	}
	if len(ref) > 0 {
		sc, err := plotter.NewScatter(ref)
		if err != nil {
			return nil, err
		}
		sc.GlyphStyle = draw.GlyphStyle{Color: Black, Radius: vg.Points(3.5),
			Shape: draw.RingGlyph{}}
		p.Add(sc)
		p.Legend.Add(fmt.Sprintf("%s (k = %d)", st.text("reference"),
			pts[indexRef(pts)].RelTime), sc)
	}
	if len(opt.Truth) > 0 {
		tr := append([]EventTruth(nil), opt.Truth...)
		sort.Slice(tr, func(i, j int) bool { return tr[i].RelTime < tr[j].RelTime })
		xy := make(plotter.XYs, len(tr))
		for i, t := range tr {
			if math.IsNaN(t.Effect) || math.IsInf(t.Effect, 0) {
				return nil, fmt.Errorf("chart: true effect at k=%d is %v", t.RelTime, t.Effect)
			}
			xy[i] = plotter.XY{X: float64(t.RelTime), Y: t.Effect}
		}
		line, sc, err := plotter.NewLinePoints(xy)
		if err != nil {
			return nil, err
		}
		line.LineStyle = lineStyle(1)
		line.LineStyle.Color = DarkGrey
		sc.GlyphStyle = draw.GlyphStyle{Color: DarkGrey, Radius: vg.Points(3),
			Shape: draw.TriangleGlyph{}}
		p.Add(line, sc)
		p.Legend.Add(st.text("truth"), line, sc)
	}
	p.Add(vline{X: 0, Label: st.text("pilot"), Line: markLine(), Text: markText(p)})

	// One tick per relative period, padded half a period on each side.
	lo, hi := pts[0].RelTime, pts[len(pts)-1].RelTime
	p.X.Min, p.X.Max = float64(lo)-0.5, float64(hi)+0.5
	p.X.Tick.Marker = intTicks{}
	return p, nil
}

func indexRef(pts []EventPoint) int {
	for i, pt := range pts {
		if pt.Reference {
			return i
		}
	}
	return -1
}

// errPoint is a point with an asymmetric interval, for YErrorBars.
type errPoint struct{ x, y, lo, hi float64 }

type errPoints []errPoint

func (e errPoints) Len() int                        { return len(e) }
func (e errPoints) XY(i int) (float64, float64)     { return e[i].x, e[i].y }
func (e errPoints) YError(i int) (float64, float64) { return e[i].y - e[i].lo, e[i].hi - e[i].y }

// intTicks puts a labelled tick on every integer of the axis range (every
// second or fifth one on long ranges).
type intTicks struct{}

// Ticks implements plot.Ticker.
func (intTicks) Ticks(min, max float64) []plot.Tick {
	lo, hi := int(math.Ceil(min)), int(math.Floor(max))
	step := 1
	if n := hi - lo; n > 30 {
		step = 5
	} else if n > 15 {
		step = 2
	}
	var ts []plot.Tick
	for k := lo; k <= hi; k++ {
		if k%step == 0 {
			ts = append(ts, plot.Tick{Value: float64(k), Label: fmt.Sprint(k)})
		}
	}
	return ts
}
