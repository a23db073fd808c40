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
	// TWFE 0.0183 from 9 comparisons
	// Earlier vs Later Treated  weight 0.047 estimate 0.0031
	// Later vs Earlier Treated  weight 0.055 estimate 0.0042
	// Treated vs Untreated      weight 0.898 estimate 0.0199
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
	// e=0 0.0035 0.0033 0.0034 0.0033 (true 0.0058)
	// e=1 0.0102 0.0110 0.0099 0.0110 (true 0.0104)
	// e=2 0.0111 0.0119 0.0115 0.0119 (true 0.0146)
	// e=3 0.0161 0.0176 0.0176 0.0176 (true 0.0178)
}
