package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"

	"example.org/smartcity/analysis/panel"
)

func init() {
	register(command{
		name:    "validate",
		summary: "check a panel file (CSV or XLSX) against the codebook; print problems and coverage",
		run:     runValidate,
	})
}

func runValidate(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("validate", stderr)
	pilots := fs.String("pilots", "", "also check this pilot list (city_code, batch, pilot_year)")
	codebook := fs.String("codebook", "", "codebook CSV (default: the embedded data/codebook.csv)")
	first := fs.Int("first-year", 2006, "first study year")
	last := fs.Int("last-year", 2021, "last study year")
	format := fs.String("format", "text", "output format: text or json")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: smartcity validate [flags] FILE")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err.Error()}
	}
	if fs.NArg() != 1 {
		return usageError{"validate takes exactly one panel file"}
	}
	if err := checkFormat(*format, "text", "json"); err != nil {
		return err
	}
	cb := panel.DefaultCodebook()
	if *codebook != "" {
		var err error
		if cb, err = panel.LoadCodebook(*codebook); err != nil {
			return err
		}
	}
	cities := panel.ReferenceCities()
	opt := panel.ValidateOptions{FirstYear: *first, LastYear: *last}

	f, err := panel.ReadTable(fs.Arg(0))
	if err != nil {
		return err
	}
	var problems []panel.Problem
	collect := func(err error) error {
		var ve *panel.ValidationError
		if errors.As(err, &ve) {
			problems = append(problems, ve.Problems...)
			return nil
		}
		return err
	}
	if err := collect(panel.Validate(f, cb, cities, opt)); err != nil {
		return err
	}
	if *pilots != "" {
		if _, err := panel.ReadPilots(*pilots, cities, opt); collect(err) != nil {
			return err
		}
	}
	cov := panel.Summarize(f, cb)

	if *format == "json" {
		type problem struct {
			File   string `json:"file"`
			Line   int    `json:"line"`
			Column string `json:"column"`
			Value  string `json:"value"`
			Kind   string `json:"kind"`
			Reason string `json:"reason"`
		}
		out := struct {
			Valid    bool           `json:"valid"`
			Problems []problem      `json:"problems"`
			Coverage panel.Coverage `json:"coverage"`
		}{Valid: len(problems) == 0, Problems: []problem{}, Coverage: cov}
		for _, p := range problems {
			out.Problems = append(out.Problems, problem{p.Source, p.Line, p.Column, p.Value,
				string(p.Kind), p.Reason})
		}
		b, err := json.MarshalIndent(out, "", "  ")
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, string(b))
	} else {
		for _, p := range problems {
			fmt.Fprintln(stdout, p.String())
		}
		fmt.Fprintf(stdout, "%s: %d rows, %d cities, %d years (%d-%d)\n", fs.Arg(0), cov.Rows,
			cov.Cities, cov.Years, cov.FirstYear, cov.LastYear)
		fmt.Fprintf(stdout, "%-20s %8s %8s %8s\n", "variable", "missing", "cells", "share")
		for _, v := range cov.Variables {
			share := 0.0
			if v.Cells > 0 {
				share = float64(v.Missing) / float64(v.Cells)
			}
			fmt.Fprintf(stdout, "%-20s %8d %8d %7.2f%%\n", v.Variable, v.Missing, v.Cells, 100*share)
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("%d problem(s) found", len(problems))
	}
	fmt.Fprintln(stderr, "no problems found")
	return nil
}
