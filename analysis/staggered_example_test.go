package analysis_test

import (
	"fmt"

	"example.org/smartcity/analysis"
	"example.org/smartcity/analysis/panel"
	"example.org/smartcity/analysis/twin"
)

// twinStudy builds the study frame of the synthetic twin of the committed
// seed.
func twinStudy() (*twin.Twin, error) {
	return twin.Generate(twin.Config{Seed: twin.DefaultSeed})
}

// The Goodman-Bacon decomposition of the TWFE estimate on the twin's three
// pilot batches, summarised by comparison type.
func ExampleBacon() {
	tw, err := twinStudy()
	if err != nil {
		panic(err)
	}
	d, _, err := tw.StudyFrame(panel.StudyOptions{})
	if err != nil {
		panic(err)
	}
	b, err := analysis.Bacon(d, analysis.Design{})
	if err != nil {
		panic(err)
	}
	fmt.Printf("TWFE %.4f from %d comparisons\n", b.TWFE, len(b.Comparisons))
	for _, s := range b.Summary {
		fmt.Printf("%-25s weight %.3f estimate %.4f\n", s.Type, s.Weight, s.Estimate)
	}
	// Output:
	// TWFE 0.0086 from 9 comparisons
	// Earlier vs Later Treated  weight 0.047 estimate 0.0023
	// Later vs Earlier Treated  weight 0.055 estimate 0.0086
	// Treated vs Untreated      weight 0.898 estimate 0.0090
}

// The dynamic effect of the pilots at e = 0..3 by the four estimators,
// beside the twin's true effect.
func ExampleStaggered() {
	tw, err := twinStudy()
	if err != nil {
		panic(err)
	}
	d, _, err := tw.StudyFrame(panel.StudyOptions{})
	if err != nil {
		panic(err)
	}
	r, err := analysis.Staggered(d, analysis.Design{}, analysis.StaggeredOptions{})
	if err != nil {
		panic(err)
	}
	truth := analysis.TrueDynamic(&tw.Truth)
	for e := 0; e <= 3; e++ {
		fmt.Printf("e=%d", e)
		for _, est := range r.Estimators {
			x, _ := est.At(e)
			fmt.Printf(" %.4f", x.Estimate)
		}
		for _, t := range truth {
			if t.RelTime == e {
				fmt.Printf(" (true %.4f)\n", t.Effect)
			}
		}
	}
	// Output:
	// e=0 0.0033 0.0030 0.0034 0.0030 (true 0.0057)
	// e=1 0.0094 0.0101 0.0096 0.0101 (true 0.0107)
	// e=2 0.0093 0.0100 0.0100 0.0100 (true 0.0151)
	// e=3 0.0137 0.0149 0.0149 0.0149 (true 0.0188)
}
