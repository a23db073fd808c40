package chart

import (
	"errors"
	"fmt"
	"image/color"
	"math"
	"os"
	"strconv"
	"sync"

	xfont "golang.org/x/image/font/opentype"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Default sizes of a figure: 6.5 x 4 inches (one column of a journal
// page), rasterised at 100 dots per inch for PNG.
var (
	DefaultWidth  = 6.5 * vg.Inch
	DefaultHeight = 4 * vg.Inch
	DefaultDPI    = 100
)

// DefaultFontSize is the size of tick labels; titles, axis labels and
// legends are scaled from it.
var DefaultFontSize = vg.Points(10)

// Greys used by every chart. They are far enough apart to stay distinct
// when printed in greyscale; lines are also told apart by dash pattern
// and glyph shape, never by colour alone.
var (
	Black     = color.Gray{Y: 0}
	DarkGrey  = color.Gray{Y: 90}
	MidGrey   = color.Gray{Y: 150}
	LightGrey = color.Gray{Y: 215}
	White     = color.Gray{Y: 255}
)

// Dash patterns for lines 0, 1, 2, ... of a chart.
var dashes = [][]vg.Length{
	nil,
	{vg.Points(5), vg.Points(3)},
	{vg.Points(1.5), vg.Points(2)},
	{vg.Points(6), vg.Points(2), vg.Points(1.5), vg.Points(2)},
	{vg.Points(9), vg.Points(3)},
}

// Glyph shapes for series 0, 1, 2, ...
var glyphs = []draw.GlyphDrawer{
	draw.CircleGlyph{},
	draw.TriangleGlyph{},
	draw.SquareGlyph{},
	draw.RingGlyph{},
	draw.PlusGlyph{},
	draw.CrossGlyph{},
}

// Greys for series 0, 1, 2, ...
var greys = []color.Color{Black, DarkGrey, MidGrey, Black, DarkGrey, MidGrey}

// Style is the look shared by all charts. Its zero value is the default:
// English labels, the Liberation Serif font at DefaultFontSize.
type Style struct {
	// Lang selects the language of the built-in labels: "" or "en" for
	// English, "zh" for Simplified Chinese (needs a CJK font).
	Lang string

	// FontSize is the size of tick labels; 0 means DefaultFontSize.
	FontSize vg.Length
}

// ErrNoCJKFont is returned when Chinese labels are asked for and no CJK
// font is installed.
var ErrNoCJKFont = errors.New("chart: Chinese labels need a CJK font, and none " +
	"was found; install one with 'apt-get install fonts-noto-cjk' (or " +
	"fonts-wqy-microhei), or use English labels (Style.Lang \"en\")")

// cjkFontFiles are the places where Debian's CJK font packages put their
// fonts, in order of preference.
var cjkFontFiles = []string{
	"/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
	"/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
	"/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
	"/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
}

// cjkTypeface is the name under which a CJK font is registered in
// gonum/plot's font cache.
const cjkTypeface = "SmartcityCJK"

var (
	cjkOnce sync.Once
	cjkErr  error
)

// loadCJK registers the first CJK font found in the default font cache.
func loadCJK() error {
	cjkOnce.Do(func() {
		cjkErr = ErrNoCJKFont
		for _, path := range cjkFontFiles {
			raw, err := os.ReadFile(path)
			if err != nil {
				continue
			}
			var face *xfont.Font
			if coll, err := xfont.ParseCollection(raw); err == nil && coll.NumFonts() > 0 {
				face, err = coll.Font(0)
				if err != nil {
					// Retry on a realigned copy of the first font.
					if one, err := extractTTC(raw, 0); err == nil {
						face, _ = xfont.Parse(one)
					}
				}
			}
			if face == nil {
				continue
			}
			font.DefaultCache.Add(font.Collection{{
				Font: font.Font{Typeface: cjkTypeface},
				Face: face,
			}})
			cjkErr = nil
			return
		}
	})
	return cjkErr
}

// CJKAvailable reports whether Chinese labels can be drawn.
func CJKAvailable() bool { return loadCJK() == nil }

func (s Style) fontSize() vg.Length {
	if s.FontSize > 0 {
		return s.FontSize
	}
	return DefaultFontSize
}

func (s Style) typeface() (font.Font, error) {
	switch s.Lang {
	case "", "en":
		return plot.DefaultFont, nil
	case "zh":
		if err := loadCJK(); err != nil {
			return font.Font{}, err
		}
		return font.Font{Typeface: cjkTypeface}, nil
	}
	return font.Font{}, fmt.Errorf("chart: unknown label language %q; use \"en\" or \"zh\"", s.Lang)
}

// newPlot returns an empty plot with the style's fonts and the given
// title and axis labels.
func (s Style) newPlot(title, xlabel, ylabel string) (*plot.Plot, error) {
	fnt, err := s.typeface()
	if err != nil {
		return nil, err
	}
	size := s.fontSize()
	p := plot.New()
	p.BackgroundColor = White

	p.Title.Text = title
	p.Title.TextStyle.Font = font.From(fnt, size*1.2)
	p.Title.Padding = size / 2
	p.X.Label.Text = xlabel
	p.Y.Label.Text = ylabel
	for _, ax := range []*plot.Axis{&p.X, &p.Y} {
		ax.Label.TextStyle.Font = font.From(fnt, size*1.1)
		ax.Tick.Label.Font = font.From(fnt, size)
		ax.Color = Black
		ax.Tick.Color = Black
		ax.Tick.Marker = niceTicks{}
	}
	p.Legend.TextStyle.Font = font.From(fnt, size)
	p.Legend.Top = true
	p.Legend.Left = true
	p.Legend.Padding = size / 3
	p.Legend.ThumbnailWidth = size * 2.5
	return p, nil
}

// text returns the built-in label key in the style's language.
func (s Style) text(key string) string {
	if s.Lang == "zh" {
		if t, ok := labelsZH[key]; ok {
			return t
		}
	}
	if t, ok := labelsEN[key]; ok {
		return t
	}
	panic("chart: no label " + key)
}

// or returns v unless it is empty, else the built-in label key.
func (s Style) or(v, key string) string {
	if v != "" {
		return v
	}
	return s.text(key)
}

var labelsEN = map[string]string{
	"estimate":      "Estimate",
	"ci":            "%g%% confidence interval",
	"reference":     "Reference period",
	"pilot":         "Pilot year",
	"truth":         "True effect",
	"relative_time": "Years relative to the pilot year",
	"effect":        "Effect on the governance index (index points)",
	"coef":          "Coefficient (index points)",
	"es_title":      "Dynamic effect of the pilot",
	"forest_title":  "Effect of the pilot by subgroup",
	"perm_title":    "Permutation distribution of the estimate",
	"perm_x":        "Estimate under permuted pilot status (index points)",
	"count":         "Number of draws",
	"observed":      "Observed",
	"support_title": "Common support of the propensity score",
	"pscore":        "Propensity score",
	"density":       "Density",
	"before":        "Before matching",
	"after":         "After matching",
	"treated":       "Treated",
	"control":       "Control",
	"trend_title":   "Mean outcome by group",
	"year":          "Year",
	"mean_index":    "Mean governance index",
}

var labelsZH = map[string]string{
	"estimate":      "估计值",
	"ci":            "%g%% 置信区间",
	"reference":     "基准期",
	"pilot":         "试点年份",
	"truth":         "真实效应",
	"relative_time": "相对试点年份的年数",
	"effect":        "对治理指数的影响",
	"coef":          "系数",
	"es_title":      "试点政策的动态效应",
	"forest_title":  "分组的试点效应",
	"perm_title":    "置换检验的估计值分布",
	"perm_x":        "随机分配试点后的估计值",
	"count":         "次数",
	"observed":      "实际估计值",
	"support_title": "倾向得分的共同支撑",
	"pscore":        "倾向得分",
	"density":       "密度",
	"before":        "匹配前",
	"after":         "匹配后",
	"treated":       "处理组",
	"control":       "对照组",
	"trend_title":   "分组的结果均值",
	"year":          "年份",
	"mean_index":    "治理指数均值",
}

// lineStyle returns the style of the i-th line of a chart.
func lineStyle(i int) draw.LineStyle {
	return draw.LineStyle{
		Color:  greys[i%len(greys)],
		Width:  vg.Points(1.2),
		Dashes: dashes[i%len(dashes)],
	}
}

// glyphStyle returns the glyph of the i-th series of a chart.
func glyphStyle(i int) draw.GlyphStyle {
	return draw.GlyphStyle{
		Color:  greys[i%len(greys)],
		Radius: vg.Points(3),
		Shape:  glyphs[i%len(glyphs)],
	}
}

// checkFinite returns an error naming the first value of vs that is NaN or
// infinite.
func checkFinite(what string, vs []float64) error {
	for i, v := range vs {
		if err := plotter.CheckFloats(v); err != nil {
			return fmt.Errorf("chart: %s[%d] = %v: values must be finite", what, i, v)
		}
	}
	return nil
}

// niceTicks labels the multiples of a round step (1, 2 or 5 times a power of
// ten) chosen to give four to six labels, so that zero is labelled whenever
// it lies in the range, and puts an unlabelled tick halfway between labels.
// It is every chart's default; axes of whole periods use intTicks instead.
type niceTicks struct{}

// Ticks implements plot.Ticker.
func (niceTicks) Ticks(min, max float64) []plot.Tick {
	if !(max > min) || math.IsInf(max-min, 0) {
		return plot.DefaultTicks{}.Ticks(min, max)
	}
	raw := (max - min) / 5
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := 10 * mag
	for _, m := range []float64{1, 2, 5} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	prec := int(math.Max(0, -math.Floor(math.Log10(step)+1e-9)))
	eps := step * 1e-9
	var ts []plot.Tick
	for k := math.Floor(min/step + 1e-9); k*step <= max+eps; k++ {
		v := k * step
		if math.Abs(v) < eps {
			v = 0
		}
		if v >= min-eps {
			ts = append(ts, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', prec, 64)})
		}
		if h := v + step/2; h >= min && h <= max {
			ts = append(ts, plot.Tick{Value: h})
		}
	}
	return ts
}
