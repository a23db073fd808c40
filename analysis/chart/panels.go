package chart

import (
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Panels is a grid of plots drawn side by side with aligned data areas.
// Rows holds the plots row by row; every row must have the same length.
// It implements Figure.
type Panels struct {
	Rows [][]*plot.Plot
}

// Draw implements Figure.
func (ps Panels) Draw(c draw.Canvas) {
	c.SetColor(White)
	c.Fill(c.Rectangle.Path())
	if len(ps.Rows) == 0 {
		return
	}
	tiles := draw.Tiles{
		Rows: len(ps.Rows), Cols: len(ps.Rows[0]),
		PadX: vg.Points(8), PadY: vg.Points(8),
		PadTop: vg.Points(4), PadBottom: vg.Points(4),
		PadLeft: vg.Points(4), PadRight: vg.Points(6),
	}
	canvases := plot.Align(ps.Rows, tiles, c)
	for i, row := range ps.Rows {
		for j, p := range row {
			if p != nil {
				p.Draw(canvases[i][j])
			}
		}
	}
}
