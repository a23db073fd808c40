package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"example.org/smartcity/analysis/fe"
	"example.org/smartcity/analysis/frame"
)

func init() {
	register(command{
		name:    "hausman",
		summary: "Hausman test of fixed against random (Swamy-Arora) unit effects",
		run:     runHausman,
	})
}

type hausmanJSON struct {
	Statistic float64 `json:"statistic"`
	DF        int     `json:"df"`
	PValue    float64 `json:"p_value"`
	// Notes carry what the reader must know to trust the statistic, such as
	// a variance difference that is not positive definite.
	Notes []string `json:"notes"`
}

func runHausman(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("hausman", stderr)
	data := fs.String("data", "", "CSV file of the panel (required)")
	formula := fs.String("formula", "", `model without fixed effects, e.g. "y ~ x1 + x2" (required)`)
	unit := fs.String("unit", "", "unit column (required)")
	tcol := fs.String("time", "", "period column (required; a unit may appear once per period)")
	format := fs.String("format", "text", "output: text or json")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := requireFlags("--data", *data, "--formula", *formula, "--unit", *unit,
		"--time", *tcol); err != nil {
		return err
	}
	if err := checkFormat(*format, "text", "json"); err != nil {
		return err
	}
	f, err := fe.ParseFormula(*formula)
	if err != nil {
		return usageError{err.Error()}
	}
	if len(f.FE) > 0 {
		return usageError{"the formula of a Hausman test has no '|' part: give the unit with --unit"}
	}
	d, err := frame.ReadCSV(*data)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "read %s: %d rows, %d columns\n", d.Source, d.Len(), len(d.Names()))
	h, err := fe.Hausman(d, f, *unit, *tcol)
	if err != nil {
		return err
	}
	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(hausmanJSON{Statistic: h.Stat, DF: h.DF, PValue: h.P,
			Notes: h.Notes})
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Hausman test, fixed vs random unit effects (%s)\n", *unit)
	fmt.Fprintf(&b, "Formula: %s\n", f)
	fmt.Fprintf(&b, "chi2(%d) = %.6g, p = %.6g\n", h.DF, h.Stat, h.P)
	fmt.Fprintf(&b, "Random effects: Swamy-Arora, sigma2_idios %.6g, sigma2_unit %.6g, ",
		h.RE.SigmaIdios2, h.RE.SigmaUnit2)
	if h.RE.Balanced {
		fmt.Fprintf(&b, "theta %.6g\n", h.RE.Theta)
	} else {
		fmt.Fprintf(&b, "theta from %.6g to %.6g\n", h.RE.ThetaMin, h.RE.ThetaMax)
	}
	fmt.Fprintf(&b, "\n%-16s %13s %13s %13s\n", "term", "fixed", "random", "difference")
	for j, t := range h.Terms {
		k := h.RE.Index(t)
		fmt.Fprintf(&b, "%-16s %13.6g %13.6g %13.6g\n", t, h.FE.Coef[j], h.RE.Coef[k],
			h.FE.Coef[j]-h.RE.Coef[k])
	}
	b.WriteString("\nNotes:\n")
	for _, n := range append(append([]string{}, h.RE.Notes...), h.Notes...) {
		b.WriteString("  " + n + "\n")
	}
	b.WriteString("  a small p-value rejects random effects in favour of fixed effects\n")
	_, err = io.WriteString(stdout, b.String())
	return err
}
