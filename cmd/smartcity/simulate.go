package main

import (
	"fmt"
	"io"

	"example.org/smartcity/analysis/twin"
)

func init() {
	register(command{
		name:    "simulate",
		summary: "generate the synthetic twin of the study (panel, pilots, true effects)",
		run:     runSimulate,
	})
}

func runSimulate(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("simulate", stderr)
	seed := fs.Uint64("seed", twin.DefaultSeed, "seed of the generator (the default is the committed twin's)")
	out := fs.String("out", "data/synthetic", "folder to write the files into")
	cities := fs.Int("cities", 0, "number of cities (0 = 172)")
	noEffect := fs.Bool("no-effect", false, "set every treatment effect to zero")
	noDirt := fs.Bool("no-dirt", false, "no missing cells and no outliers")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	tw, err := twin.Generate(twin.Config{Seed: *seed, Cities: *cities, NoEffect: *noEffect,
		NoDirt: *noDirt})
	if err != nil {
		return err
	}
	if err := tw.Write(*out); err != nil {
		return err
	}
	tr := tw.Truth
	fmt.Fprintf(stderr, "wrote the synthetic twin (seed %d) to %s\n", *seed, *out)
	fmt.Fprintf(stdout, "SYNTHETIC TWIN (seed %d): %d cities, %d-%d, %d pilot cities\n",
		*seed, tr.Design.Cities, tr.Design.FirstYear, tr.Design.LastYear, len(tw.Pilots))
	fmt.Fprintf(stdout, "true ATT on the index, 2012 batch: %.5f; all batches: %.5f\n",
		tr.ATT2012.ATT, tr.ATTAll.ATT)
	return nil
}
