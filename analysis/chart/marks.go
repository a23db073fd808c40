package chart

import (
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// vline is a vertical line across the whole data area at X, with an
// optional label at its top. It does not take part in the axis ranges.
type vline struct {
	X     float64
	Label string
	Line  draw.LineStyle
	Text  text.Style
}

// Plot implements plot.Plotter.
func (l vline) Plot(c draw.Canvas, p *plot.Plot) {
	tx, _ := p.Transforms(&c)
	x := tx(l.X)
	if x < c.Min.X || x > c.Max.X {
		return
	}
	c.StrokeLine2(l.Line, x, c.Min.Y, x, c.Max.Y)
	if l.Label != "" {
		// The label goes on the side of the line with more room.
		sty := l.Text
		sty.YAlign = draw.YTop
		at := vg.Point{X: x + vg.Points(3), Y: c.Max.Y - vg.Points(2)}
		sty.XAlign = draw.XLeft
		if x > (c.Min.X+c.Max.X)/2 {
			sty.XAlign = draw.XRight
			at.X = x - vg.Points(3)
		}
		c.FillText(sty, at, l.Label)
	}
}

// hline is a horizontal line across the whole data area at Y.
type hline struct {
	Y    float64
	Line draw.LineStyle
}

// Plot implements plot.Plotter.
func (l hline) Plot(c draw.Canvas, p *plot.Plot) {
	_, ty := p.Transforms(&c)
	y := ty(l.Y)
	if y < c.Min.Y || y > c.Max.Y {
		return
	}
	c.StrokeLine2(l.Line, c.Min.X, y, c.Max.X, y)
}

func zeroLine() draw.LineStyle {
	return draw.LineStyle{Color: MidGrey, Width: vg.Points(0.8)}
}

func markLine() draw.LineStyle {
	return draw.LineStyle{Color: DarkGrey, Width: vg.Points(1),
		Dashes: []vg.Length{vg.Points(4), vg.Points(3)}}
}

// markText is the style of labels beside marker lines.
func markText(p *plot.Plot) text.Style {
	sty := p.X.Tick.Label
	sty.Color = DarkGrey
	return sty
}

// lineThumb is a legend entry drawn as a horizontal line.
type lineThumb draw.LineStyle

// Thumbnail implements plot.Thumbnailer.
func (l lineThumb) Thumbnail(c *draw.Canvas) {
	y := c.Center().Y
	c.StrokeLine2(draw.LineStyle(l), c.Min.X, y, c.Max.X, y)
}
