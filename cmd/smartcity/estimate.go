package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"

	"example.org/smartcity/analysis/fe"
	"example.org/smartcity/analysis/frame"
	"example.org/smartcity/analysis/report"
)

func init() {
	register(command{
		name:    "estimate",
		summary: "least squares with fixed effects and clustered standard errors",
		run:     runEstimate,
	})
}

// coefJSON is one coefficient; a value that is not finite (the t statistic
// of a zero standard error, say) is null.
type coefJSON struct {
	Term      string   `json:"term"`
	Estimate  *float64 `json:"estimate"`
	StdError  *float64 `json:"std_error"`
	Statistic *float64 `json:"statistic"`
	PValue    *float64 `json:"p_value"`
	ConfLow   *float64 `json:"conf_low"`
	ConfHigh  *float64 `json:"conf_high"`
}

type estimateJSON struct {
	NObs         int        `json:"nobs"`
	NClusters    int        `json:"n_clusters"`
	R2           *float64   `json:"r2"`
	R2Within     *float64   `json:"r2_within"`
	Coefficients []coefJSON `json:"coefficients"`
	Notes        []string   `json:"notes"`
}

// finite returns nil for NaN or infinite values, which JSON cannot hold.
func finite(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

func runEstimate(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("estimate", stderr)
	data := fs.String("data", "", "CSV file with a header line (required)")
	formula := fs.String("formula", "", `model, e.g. "y ~ x1 + log(x2) | unit + year" (required)`)
	cluster := fs.String("cluster", "",
		"cluster column, or two separated by a comma (two-way clustering)")
	ssc := fs.String("ssc", "nested",
		"small-sample rule for clustered errors: nested, full, slopes or none")
	vcov := fs.String("vcov", "",
		"variance: iid, hetero or cluster (default: cluster with --cluster, else iid)")
	weights := fs.String("weights", "", "column of observation weights")
	dropSingletons := fs.Bool("drop-singletons", false,
		"drop observations alone in a fixed-effect level (default: keep and report them)")
	level := fs.Float64("level", 0.95, "confidence level of the intervals")
	tol := fs.Float64("tol", 0, fmt.Sprintf("demeaning tolerance (default %g)", fe.DefaultTol))
	maxIter := fs.Int("maxiter", 0,
		fmt.Sprintf("demeaning iteration limit (default %d)", fe.DefaultMaxIter))
	format := fs.String("format", "text", "output: text, json, markdown, html, latex or csv")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := requireFlags("--data", *data, "--formula", *formula); err != nil {
		return err
	}
	if err := checkFormat(*format, "text", "json", "markdown", "html", "latex",
		"csv"); err != nil {
		return err
	}
	f, err := fe.ParseFormula(*formula)
	if err != nil {
		return usageError{err.Error()}
	}
	opt := fe.Options{Vcov: *vcov, SSC: *ssc, Weights: *weights, DropSingletons: *dropSingletons,
		Level: *level, Tol: *tol, MaxIter: *maxIter}
	if *cluster != "" {
		for _, c := range strings.Split(*cluster, ",") {
			opt.Cluster = append(opt.Cluster, strings.TrimSpace(c))
		}
	}

	d, err := frame.ReadCSV(*data)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "read %s: %d rows, %d columns\n", d.Source, d.Len(), len(d.Names()))
	r, err := fe.Fit(d, f, opt)
	if err != nil {
		return err
	}

	switch *format {
	case "json":
		out := estimateJSON{NObs: r.NObs, NClusters: r.NClusters, R2: finite(r.R2),
			R2Within: finite(r.R2Within), Notes: r.Notes}
		for j, t := range r.Terms {
			out.Coefficients = append(out.Coefficients, coefJSON{Term: t,
				Estimate: finite(r.Coef[j]), StdError: finite(r.SE[j]),
				Statistic: finite(r.Stat[j]), PValue: finite(r.P[j]),
				ConfLow: finite(r.ConfLow[j]), ConfHigh: finite(r.ConfHigh[j])})
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	case "text":
		return writeEstimateText(stdout, r)
	}
	tab := report.New([]report.Model{report.FromFE("", r)}, report.Options{Notes: r.Notes})
	return tab.Write(stdout, *format)
}

// writeEstimateText prints the fit as a coefficient table with its notes.
func writeEstimateText(w io.Writer, r *fe.Result) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Formula: %s\n", r.Formula)
	fmt.Fprintf(&b, "Observations: %d", r.NObs)
	for k, g := range r.ClusterSizes {
		fmt.Fprintf(&b, "   Clusters (%s): %d", r.Cluster[k], g)
	}
	fmt.Fprintf(&b, "   R2: %.4f", r.R2)
	if !math.IsNaN(r.R2Within) {
		fmt.Fprintf(&b, "   Within R2: %.4f", r.R2Within)
	}
	b.WriteString("\n\n")
	width := len("term")
	for _, t := range r.Terms {
		width = max(width, len(t))
	}
	ci := fmt.Sprintf("%g%% conf. interval", 100*r.Level)
	fmt.Fprintf(&b, "%-*s %13s %13s %9s %9s   %s\n", width, "term", "estimate", "std. error",
		"t", "p", ci)
	for j, t := range r.Terms {
		fmt.Fprintf(&b, "%-*s %13.6g %13.6g %9.3f %9.3g   [%.6g, %.6g]\n", width, t,
			r.Coef[j], r.SE[j], r.Stat[j], r.P[j], r.ConfLow[j], r.ConfHigh[j])
	}
	b.WriteString("\nNotes:\n")
	for _, n := range r.Notes {
		b.WriteString("  " + n + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
