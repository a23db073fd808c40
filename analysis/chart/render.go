package chart

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgpdf"
	"gonum.org/v1/plot/vg/vgsvg"

	"example.org/smartcity/analysis/frame"
)

// Figure is anything that draws itself on a canvas: a *plot.Plot or a
// Panels of several plots.
type Figure interface {
	Draw(c draw.Canvas)
}

// Size is the size of a rendered figure. Its zero value is DefaultWidth x
// DefaultHeight at DefaultDPI.
type Size struct {
	Width, Height vg.Length
	DPI           int // resolution of PNG output; vector formats ignore it
}

func (s Size) orDefault() Size {
	if s.Width <= 0 {
		s.Width = DefaultWidth
	}
	if s.Height <= 0 {
		s.Height = DefaultHeight
	}
	if s.DPI <= 0 {
		s.DPI = DefaultDPI
	}
	return s
}

// pdfDate is the creation date written into every PDF, so that the same
// figure gives the same bytes whenever it is drawn.
var pdfDate = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// Formats lists the file formats that Render and Save write.
var Formats = []string{"png", "pdf", "svg"}

// Render draws fig and writes it to w in format "png", "pdf" or "svg".
// The output depends only on the figure and the size: PDF files carry a
// fixed creation date and no fonts are looked up on the host unless
// Chinese labels are asked for.
func Render(w io.Writer, fig Figure, format string, size Size) error {
	size = size.orDefault()
	var c interface {
		vg.CanvasWriterTo
	}
	switch strings.ToLower(format) {
	case "png":
		img := vgimg.NewWith(vgimg.UseWH(size.Width, size.Height),
			vgimg.UseDPI(size.DPI), vgimg.UseBackgroundColor(White))
		c = vgimg.PngCanvas{Canvas: img}
	case "svg":
		c = vgsvg.NewWith(vgsvg.UseWH(size.Width, size.Height))
	case "pdf":
		fpdf.SetDefaultCreationDate(pdfDate)
		fpdf.SetDefaultModificationDate(pdfDate)
		c = vgpdf.New(size.Width, size.Height)
	default:
		return fmt.Errorf("chart: unknown figure format %q; use one of %v", format, Formats)
	}
	fig.Draw(draw.New(c))
	_, err := c.WriteTo(w)
	return err
}

// PNG renders fig as PNG bytes.
func PNG(fig Figure, size Size) ([]byte, error) {
	var buf bytes.Buffer
	if err := Render(&buf, fig, "png", size); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Save writes fig to path in the format named by its extension (.png,
// .pdf or .svg). The file is written atomically: path keeps its old
// content unless the whole new figure was written.
func Save(path string, fig Figure, size Size) error {
	format := strings.TrimPrefix(filepath.Ext(path), ".")
	if format == "" {
		return fmt.Errorf("chart: %s: no extension to tell the format; use .png, .pdf or .svg",
			path)
	}
	var buf bytes.Buffer
	if err := Render(&buf, fig, format, size); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return frame.WriteFileAtomic(path, func(w io.Writer) error {
		_, err := w.Write(buf.Bytes())
		return err
	})
}

// SaveAll writes fig as dir/name.png, dir/name.pdf and dir/name.svg and
// returns the paths written.
func SaveAll(dir, name string, fig Figure, size Size) ([]string, error) {
	var paths []string
	for _, f := range Formats {
		p := filepath.Join(dir, name+"."+f)
		if err := Save(p, fig, size); err != nil {
			return paths, err
		}
		paths = append(paths, p)
	}
	return paths, nil
}
