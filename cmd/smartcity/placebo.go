package main

import (
	"encoding/json"
	"fmt"
	"io"

	"example.org/smartcity/analysis/fe"
	"example.org/smartcity/analysis/frame"
	"example.org/smartcity/analysis/placebo"
)

func init() {
	register(command{
		name:    "placebo",
		summary: "placebo test: permutation of treatment paths across units",
		run:     runPlacebo,
	})
}

type placeboJSON struct {
	Observed float64 `json:"observed"`
	PValue   float64 `json:"p_value"`
	Draws    int     `json:"draws"`
}

func runPlacebo(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("placebo", stderr)
	data := fs.String("data", "", "CSV file of the panel (required)")
	formula := fs.String("formula", "", `model, e.g. "y ~ d + x | unit + year" (required)`)
	treat := fs.String("treat", "", "treatment term of the formula whose paths are permuted (required)")
	unit := fs.String("unit", "", "unit column (required)")
	tcol := fs.String("time", "", "period column (required)")
	draws := fs.Int("draws", 1000, "number of random permutations")
	seed := fs.Uint64("seed", 0, "seed of the permutations")
	cluster := fs.String("cluster", "", "cluster column of the observed fit (default: --unit)")
	format := fs.String("format", "text", "output format: text or json")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := requireFlags("--data", *data, "--formula", *formula, "--treat", *treat,
		"--unit", *unit, "--time", *tcol); err != nil {
		return err
	}
	if err := checkFormat(*format, "text", "json"); err != nil {
		return err
	}
	if *draws < 1 {
		return usageError{fmt.Sprintf("--draws %d: want 1 or more", *draws)}
	}
	f, err := fe.ParseFormula(*formula)
	if err != nil {
		return usageError{err.Error()}
	}
	if *cluster == "" {
		*cluster = *unit
	}

	d, err := frame.ReadCSV(*data)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "placebo: %d permutations of %s across %s (seed %d)\n", *draws, *treat, *unit, *seed)
	r, err := placebo.Permutation(d, f, *treat, *unit, *tcol, placebo.Options{Draws: *draws, Seed: *seed,
		FE: fe.Options{Cluster: []string{*cluster}}})
	if err != nil {
		return err
	}

	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(placeboJSON{Observed: r.Observed, PValue: r.PValue, Draws: len(r.Draws)})
	}
	fmt.Fprintf(stdout, "Permutation test of %s in %s\n", *treat, f)
	fmt.Fprintf(stdout, "permuted: %s, %d units, %d observations, seed %d\n",
		r.Mode, r.NUnits, r.NObs, r.Seed)
	fmt.Fprintf(stdout, "observed coefficient  %.6g\n", r.Observed)
	fmt.Fprintf(stdout, "draws                 %d\n", len(r.Draws))
	fmt.Fprintf(stdout, "|draw| >= |observed|  %d\n", r.NExtreme)
	fmt.Fprintf(stdout, "p-value (two-sided)   %.4f   rule: %s\n", r.PValue, r.Rule)
	fmt.Fprintf(stdout, "p-value (draw <= obs) %.4f\n", r.PLower)
	fmt.Fprintf(stdout, "p-value (draw >= obs) %.4f\n", r.PUpper)
	for _, n := range r.Notes {
		fmt.Fprintf(stdout, "note: %s\n", n)
	}
	return nil
}
