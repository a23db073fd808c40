package did_test

import (
	"fmt"

	"example.org/smartcity/analysis/did"
	"example.org/smartcity/analysis/frame"
)

// Callaway and Sant'Anna on the did package's example data: county teen
// employment and minimum-wage increases.
func ExampleCallawaySantAnna() {
	d, err := frame.ReadCSV("testdata/mpdta.csv")
	if err != nil {
		panic(err)
	}
	spec := did.Spec{Y: "lemp", Unit: "countyreal", Time: "year", Group: "first.treat"}
	res, err := did.CallawaySantAnna(d, spec, did.Options{Bootstrap: 999, Seed: 1})
	if err != nil {
		panic(err)
	}
	c := res.Cells[0]
	fmt.Printf("ATT(%d,%d) = %.4f (analytic se %.4f)\n", c.Group, c.Time, c.ATT, c.SEAnalytic)
	simple, _ := res.Aggregate("simple")
	fmt.Printf("simple ATT = %.4f (analytic se %.4f)\n", simple.Overall.Estimate,
		simple.Overall.SEAnalytic)
	// Output:
	// ATT(2004,2004) = -0.0105 (analytic se 0.0233)
	// simple ATT = -0.0400 (analytic se 0.0120)
}

func ExampleBacon() {
	d, err := frame.ReadCSV("testdata/math_reform.csv")
	if err != nil {
		panic(err)
	}
	res, err := did.Bacon(d, "incearn_ln", "reform_math", "state", "class")
	if err != nil {
		panic(err)
	}
	for _, s := range res.Summary {
		fmt.Printf("%-25s weight %.5f\n", s.Type, s.Weight)
	}
	// Output:
	// Earlier vs Later Treated  weight 0.06353
	// Later vs Earlier Treated  weight 0.05265
	// Treated vs Untreated      weight 0.88382
}
