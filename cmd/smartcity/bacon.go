package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"example.org/smartcity/analysis/did"
	"example.org/smartcity/analysis/frame"
)

func init() {
	register(command{
		name:    "bacon",
		summary: "Goodman-Bacon decomposition of the two-way fixed-effects DiD estimate",
		run:     runBacon,
	})
}

type baconCompJSON struct {
	Treated  int     `json:"treated"`
	Control  any     `json:"control"` // first treatment period, or "never"
	Type     string  `json:"type"`
	Estimate float64 `json:"estimate"`
	Weight   float64 `json:"weight"`
}

type baconSummaryJSON struct {
	Type     string  `json:"type"`
	Weight   float64 `json:"weight"`
	Estimate float64 `json:"estimate"`
}

type baconJSON struct {
	TWFE        float64            `json:"twfe"`
	Comparisons []baconCompJSON    `json:"comparisons"`
	Summary     []baconSummaryJSON `json:"summary"`
	Units       int                `json:"n_units"`
	Periods     int                `json:"n_periods"`
}

func runBacon(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("bacon", stderr)
	data := fs.String("data", "", "CSV file of a balanced panel (required)")
	y := fs.String("y", "", "outcome column (required)")
	treat := fs.String("treat", "", "0/1 treatment column that stays 1 once on (required)")
	unit := fs.String("unit", "", "unit identifier column (required)")
	tcol := fs.String("time", "", "period column, whole numbers (required)")
	format := fs.String("format", "text", "output format: text or json")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := requireFlags("--data", *data, "--y", *y, "--treat", *treat, "--unit", *unit,
		"--time", *tcol); err != nil {
		return err
	}
	if err := checkFormat(*format, "text", "json"); err != nil {
		return err
	}

	fmt.Fprintf(stderr, "reading %s\n", *data)
	d, err := frame.ReadCSV(*data)
	if err != nil {
		return err
	}
	res, err := did.Bacon(d, *y, *treat, *unit, *tcol)
	if err != nil {
		return err
	}

	if *format == "text" {
		var b strings.Builder
		fmt.Fprintf(&b, "Goodman-Bacon (2021) decomposition of %s on %s | %s + %s: "+
			"%d units, %d periods\n", *y, *treat, *unit, *tcol, res.Units, len(res.Periods))
		fmt.Fprintf(&b, "TWFE estimate %.6f\n\n", res.TWFE)
		fmt.Fprintf(&b, "%-26s %8s %8s %12s %10s\n", "type", "treated", "control",
			"estimate", "weight")
		for _, c := range res.Comparisons {
			ctl := "never"
			if c.Type != did.TreatedVsUntreated {
				ctl = fmt.Sprint(c.Control)
			}
			fmt.Fprintf(&b, "%-26s %8d %8s %12.6f %10.6f\n", c.Type, c.Treated, ctl,
				c.Estimate, c.Weight)
		}
		fmt.Fprintf(&b, "\n%-26s %10s %12s\n", "by type", "weight", "estimate")
		for _, s := range res.Summary {
			fmt.Fprintf(&b, "%-26s %10.6f %12.6f\n", s.Type, s.Weight, s.Estimate)
		}
		_, err := io.WriteString(stdout, b.String())
		return err
	}
	out := baconJSON{TWFE: res.TWFE, Units: res.Units, Periods: len(res.Periods)}
	for _, c := range res.Comparisons {
		// Control is 0 both for the never treated and for units treated
		// from a period numbered 0; the type tells them apart.
		var ctl any = c.Control
		if c.Type == did.TreatedVsUntreated {
			ctl = "never"
		}
		out.Comparisons = append(out.Comparisons, baconCompJSON{c.Treated, ctl, c.Type,
			c.Estimate, c.Weight})
	}
	for _, s := range res.Summary {
		out.Summary = append(out.Summary, baconSummaryJSON(s))
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
