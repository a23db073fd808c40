package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"example.org/smartcity/analysis/eventstudy"
	"example.org/smartcity/analysis/frame"
)

func init() {
	register(command{
		name:    "eventstudy",
		summary: "event study: leads and lags around the first treatment year",
		run:     runEventStudy,
	})
}

// eventCoefJSON is one relative period in the JSON output.
type eventCoefJSON struct {
	Term         string   `json:"term"`
	RelativeTime int      `json:"relative_time"`
	Estimate     *float64 `json:"estimate"` // null when not estimated
	StdError     *float64 `json:"std_error"`
	Statistic    *float64 `json:"statistic"`
	PValue       *float64 `json:"p_value"`
	ConfLow      *float64 `json:"conf_low"`
	ConfHigh     *float64 `json:"conf_high"`
	NObs         int      `json:"n_obs"`
	Reference    bool     `json:"reference"`
	Binned       bool     `json:"binned"`
}

type eventJSON struct {
	Coefficients []eventCoefJSON `json:"coefficients"`
	Reference    int             `json:"reference"`
	Window       [2]int          `json:"window"`
	PreTrend     *struct {
		Stat float64 `json:"statistic"`
		DF1  int     `json:"df1"`
		DF2  int     `json:"df2"`
		P    float64 `json:"p_value"`
	} `json:"pretrend_test"`
	NObs      int      `json:"n_obs"`
	NClusters int      `json:"n_clusters"`
	Vcov      string   `json:"vcov"`
	Notes     []string `json:"notes"`
}

func runEventStudy(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("eventstudy", stderr)
	data := fs.String("data", "", "CSV file of the panel (required)")
	y := fs.String("y", "", "outcome column (required)")
	unit := fs.String("unit", "", "unit identifier column (required)")
	tcol := fs.String("time", "", "period column, whole numbers (required)")
	first := fs.String("first-treat", "",
		"first treatment period column, 0 for never treated (required)")
	window := fs.String("window", "", "relative periods a,b to estimate (default: all observed)")
	bin := fs.Bool("bin", false,
		"pool periods outside the window into its end points instead of dropping them")
	controls := fs.String("controls", "", "comma-separated control columns")
	cluster := fs.String("cluster", "", "cluster column (default: the unit column)")
	ref := fs.Int("ref", -1, "reference (omitted) relative period")
	level := fs.Float64("level", 0.95, "confidence level")
	format := fs.String("format", "text", "output format: text or json")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := requireFlags("--data", *data, "--y", *y, "--unit", *unit, "--time", *tcol,
		"--first-treat", *first); err != nil {
		return err
	}
	if err := checkFormat(*format, "text", "json"); err != nil {
		return err
	}
	if *ref == 0 {
		return usageError{"--ref 0: the first treatment period cannot be the reference"}
	}
	opt := eventstudy.Options{Y: *y, Unit: *unit, Time: *tcol, FirstTreat: *first,
		Bin: *bin, Reference: *ref, Cluster: *cluster, Level: *level}
	if *window != "" {
		a, b, ok := strings.Cut(*window, ",")
		lo, err1 := strconv.Atoi(strings.TrimSpace(a))
		hi, err2 := strconv.Atoi(strings.TrimSpace(b))
		if !ok || err1 != nil || err2 != nil {
			return usageError{fmt.Sprintf("--window %q: want two whole numbers a,b such as -5,5", *window)}
		}
		opt.Window = [2]int{lo, hi}
	}
	if *controls != "" {
		for _, c := range strings.Split(*controls, ",") {
			opt.Controls = append(opt.Controls, strings.TrimSpace(c))
		}
	}

	fmt.Fprintf(stderr, "reading %s\n", *data)
	d, err := frame.ReadCSV(*data)
	if err != nil {
		return err
	}
	res, err := eventstudy.Estimate(d, opt)
	if err != nil {
		return err
	}
	if *format == "text" {
		_, err := io.WriteString(stdout, res.String())
		return err
	}

	out := eventJSON{Reference: res.Reference, Window: res.Window, NObs: res.NObs,
		NClusters: res.Fit.NClusters, Vcov: res.Fit.VcovType, Notes: res.Notes}
	if out.Notes == nil {
		out.Notes = []string{}
	}
	for _, c := range res.Coefs {
		out.Coefficients = append(out.Coefficients, eventCoefJSON{
			Term: c.Term, RelativeTime: c.RelTime, Estimate: num(c.Coef),
			StdError: num(c.SE), Statistic: num(c.Stat), PValue: num(c.P),
			ConfLow: num(c.Low), ConfHigh: num(c.High), NObs: c.NObs,
			Reference: c.Ref, Binned: c.Binned,
		})
	}
	if res.PreTrend.DF1 > 0 {
		out.PreTrend = &struct {
			Stat float64 `json:"statistic"`
			DF1  int     `json:"df1"`
			DF2  int     `json:"df2"`
			P    float64 `json:"p_value"`
		}{res.PreTrend.Stat, res.PreTrend.DF1, res.PreTrend.DF2, res.PreTrend.P}
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// num returns nil for a value JSON cannot hold (NaN: not estimated, or the
// reference period), so that it is written as null.
func num(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}
