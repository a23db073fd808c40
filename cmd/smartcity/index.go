package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"example.org/smartcity/analysis/clean"
	"example.org/smartcity/analysis/entropy"
	"example.org/smartcity/analysis/frame"
	"example.org/smartcity/analysis/panel"
)

func init() {
	register(command{
		name:    "index",
		summary: "clean the panel and build the entropy-weight governance index",
		run:     runIndex,
	})
}

func runIndex(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("index", stderr)
	root := fs.String("root", ".", "project folder: data/real/ if present, else data/synthetic/")
	pnl := fs.String("panel", "", "panel file (CSV or XLSX); overrides --root")
	pilots := fs.String("pilots", "", "pilot list; required with --panel")
	out := fs.String("out", "", "folder to write index_panel.csv and index_weights.csv into")
	byYear := fs.Bool("by-year", false, "fit the weights year by year instead of pooled")
	shift := fs.Float64("shift", 0, "constant added to scaled values before the entropy (e.g. 0.0001)")
	wtype := fs.Int("winsor-type", 2, "quantile rule for winsorizing: 2 (Stata) or 7 (R)")
	wByYear := fs.Bool("winsor-by-year", false, "winsorize within each year")
	lower := fs.Float64("winsor-lower", 0.01, "lower winsorizing percentile")
	upper := fs.Float64("winsor-upper", 0.99, "upper winsorizing percentile")
	noClip := fs.Bool("no-winsor", false, "do not winsorize")
	noFill := fs.Bool("no-fill", false, "do not fill gaps")
	noExtra := fs.Bool("no-extrapolate", false, "fill gaps inside the observed years only")
	format := fs.String("format", "text", "output format: text or json")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := checkFormat(*format, "text", "json"); err != nil {
		return err
	}
	if *wtype != 2 && *wtype != 7 {
		return usageError{fmt.Sprintf("--winsor-type %d: expected 2 or 7", *wtype)}
	}
	if !(*lower >= 0 && *lower < *upper && *upper <= 1) {
		return usageError{"--winsor-lower and --winsor-upper must satisfy 0 <= lower < upper <= 1"}
	}
	var src panel.Source
	switch {
	case *pnl != "" && *pilots != "":
		src = panel.Source{Label: "user data", Panel: *pnl, Pilots: *pilots}
	case *pnl != "" || *pilots != "":
		return usageError{"--panel and --pilots go together"}
	default:
		var err error
		if src, err = panel.DefaultSource(*root); err != nil {
			return err
		}
	}
	opt := panel.StudyOptions{NoFill: *noFill, Fill: clean.FillOptions{NoExtrapolate: *noExtra},
		NoClip: *noClip, Winsor: clean.WinsorOptions{Lower: *lower, Upper: *upper, Type: *wtype,
			ByGroup: *wByYear}, Index: entropy.Options{Shift: *shift}, IndexByYear: *byYear}
	fmt.Fprintf(stderr, "data: %s (%s)\n", src.Label, filepath.ToSlash(src.Panel))
	f, rep, err := panel.StudyFrame(src, opt)
	if err != nil {
		return err
	}
	for _, n := range rep.Notes {
		fmt.Fprintln(stderr, n)
	}
	weights := weightsFrame(rep)
	if *out != "" {
		if err := os.MkdirAll(*out, 0o755); err != nil {
			return err
		}
		if err := f.WriteCSVFile(filepath.Join(*out, "index_panel.csv")); err != nil {
			return err
		}
		if err := weights.WriteCSVFile(filepath.Join(*out, "index_weights.csv")); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "wrote %s and %s\n", filepath.ToSlash(filepath.Join(*out, "index_panel.csv")),
			filepath.ToSlash(filepath.Join(*out, "index_weights.csv")))
	}
	if *format == "json" {
		type row struct {
			Year       int     `json:"year,omitempty"`
			Indicator  string  `json:"indicator"`
			Dimension  string  `json:"dimension"`
			Direction  int     `json:"direction"`
			Entropy    float64 `json:"entropy"`
			Redundancy float64 `json:"redundancy"`
			Weight     float64 `json:"weight"`
		}
		res := struct {
			Source  string   `json:"source"`
			Notes   []string `json:"notes"`
			Weights []row    `json:"weights"`
		}{Source: src.Label, Notes: rep.Notes}
		for k, m := range rep.Weights {
			y := 0
			if len(rep.WeightYears) > 0 {
				y = rep.WeightYears[k]
			}
			for j, in := range m.Indicators {
				res.Weights = append(res.Weights, row{y, in.Name, in.Dimension, in.Direction,
					m.Entropy[j], m.Redundancy[j], m.Weight[j]})
			}
		}
		b, err := json.MarshalIndent(res, "", "  ")
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, string(b))
		return nil
	}
	fmt.Fprintf(stdout, "entropy weights (%s)\n", src.Label)
	return weights.WriteCSV(stdout)
}

// weightsFrame returns the weights table: one row per indicator (and year,
// when fitted by year).
func weightsFrame(rep *panel.StudyReport) *frame.Frame {
	var year []float64
	var ind, dim, dir []string
	var ent, red, w []float64
	for k, m := range rep.Weights {
		for j, in := range m.Indicators {
			if len(rep.WeightYears) > 0 {
				year = append(year, float64(rep.WeightYears[k]))
			}
			ind = append(ind, in.Name)
			dim = append(dim, in.Dimension)
			dir = append(dir, map[int]string{1: "+", -1: "-"}[in.Direction])
			ent = append(ent, round12(m.Entropy[j]))
			red = append(red, round12(m.Redundancy[j]))
			w = append(w, round12(m.Weight[j]))
		}
	}
	f := frame.New("weights")
	if year != nil {
		f.SetFloat("year", year)
	}
	f.SetText("indicator", ind)
	f.SetText("dimension", dim)
	f.SetText("direction", dir)
	f.SetFloat("entropy", ent)
	f.SetFloat("redundancy", red)
	f.SetFloat("weight", w)
	return f
}

// round12 keeps 12 significant digits, so that printed weights do not
// depend on the last bits of floating-point arithmetic.
func round12(v float64) float64 {
	x, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 12, 64), 64)
	return x
}
