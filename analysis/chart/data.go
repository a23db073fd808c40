package chart

import (
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// dataLabels are the built-in labels of the data charts, by language.
var dataLabels = map[string]map[string]string{
	"en": {
		"missing_title": "Missing cells by variable",
		"missing_x":     "Share of city-years missing (%)",
		"hist_title":    "Distribution of the governance index",
		"hist_x":        "Governance index",
		"hist_y":        "City-years",
	},
	"zh": {
		"missing_title": "各变量缺失值比例",
		"missing_x":     "缺失的城市-年份比例 (%)",
		"hist_title":    "治理指数的分布",
		"hist_x":        "治理指数",
		"hist_y":        "城市-年份数",
	},
}

func (s Style) dataText(v, key string) string {
	if v != "" {
		return v
	}
	if s.Lang == "zh" {
		return dataLabels["zh"][key]
	}
	return dataLabels["en"][key]
}

// MissingOptions configures Missingness. The zero value draws the built-in
// labels.
type MissingOptions struct {
	Title, XLabel string
	Style         Style
}

// Missingness draws one horizontal bar per variable: the percentage of its
// cells that are missing (shares are fractions in [0, 1]). Variables are
// drawn top to bottom in the order given. It returns an error when names
// and shares differ in length, there are none, or a share lies outside
// [0, 1].
func Missingness(names []string, shares []float64, opt MissingOptions) (*plot.Plot, error) {
	if len(names) == 0 || len(names) != len(shares) {
		return nil, fmt.Errorf("chart: missingness chart with %d names and %d shares", len(names), len(shares))
	}
	for i, s := range shares {
		if !(s >= 0 && s <= 1) {
			return nil, fmt.Errorf("chart: share of %q is %v, want a fraction in [0, 1]", names[i], s)
		}
	}
	st := opt.Style
	p, err := st.newPlot(st.dataText(opt.Title, "missing_title"), st.dataText(opt.XLabel, "missing_x"), "")
	if err != nil {
		return nil, err
	}
	n := len(names)
	vals := make(plotter.Values, n)
	labels := make([]string, n)
	for i := range names {
		// gonum/plot draws nominal categories bottom-up: reverse so the
		// first variable is on top.
		vals[n-1-i] = 100 * shares[i]
		labels[n-1-i] = names[i]
	}
	bars, err := plotter.NewBarChart(vals, vg.Points(7))
	if err != nil {
		return nil, err
	}
	bars.Horizontal = true
	bars.Color = MidGrey
	bars.LineStyle.Color = DarkGrey
	bars.LineStyle.Width = vg.Points(0.5)
	p.Add(bars)
	p.NominalY(labels...)
	p.X.Min = 0
	p.Legend.Top = false
	return p, nil
}

// HistogramOptions configures Histogram. Bins 0 means 30.
type HistogramOptions struct {
	Title, XLabel, YLabel string
	Bins                  int
	Style                 Style
}

// Histogram draws the distribution of values (for example the index over
// all city-years) as counts in equal-width bins. Missing values (NaN) are
// left out; it returns an error when no finite value remains.
func Histogram(values []float64, opt HistogramOptions) (*plot.Plot, error) {
	var v plotter.Values
	for _, x := range values {
		if !math.IsNaN(x) && !math.IsInf(x, 0) {
			v = append(v, x)
		}
	}
	if len(v) == 0 {
		return nil, fmt.Errorf("chart: histogram of %d values, none finite", len(values))
	}
	bins := opt.Bins
	if bins <= 0 {
		bins = 30
	}
	st := opt.Style
	p, err := st.newPlot(st.dataText(opt.Title, "hist_title"), st.dataText(opt.XLabel, "hist_x"),
		st.dataText(opt.YLabel, "hist_y"))
	if err != nil {
		return nil, err
	}
	h, err := plotter.NewHist(v, bins)
	if err != nil {
		return nil, err
	}
	h.FillColor = LightGrey
	h.LineStyle.Color = DarkGrey
	h.LineStyle.Width = vg.Points(0.5)
	p.Add(h)
	p.Y.Min = 0
	return p, nil
}
