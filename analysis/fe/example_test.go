package fe_test

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"example.org/smartcity/analysis/fe"
	"example.org/smartcity/analysis/frame"
)

// A two-way fixed-effects difference in differences on a simulated panel
// of 40 cities over 8 years whose true effect is 0.5, with errors
// clustered by city.
func ExampleFit() {
	rng := rand.New(rand.NewPCG(1, 2))
	var b strings.Builder
	b.WriteString("city,year,y,did\n")
	for c := 1; c <= 40; c++ {
		effect := rng.NormFloat64()
		for t := 2008; t < 2016; t++ {
			did := 0
			if c <= 20 && t >= 2012 {
				did = 1
			}
			y := effect + 0.1*float64(t-2008) + 0.5*float64(did) + 0.2*rng.NormFloat64()
			fmt.Fprintf(&b, "%d,%d,%.6f,%d\n", c, t, y, did)
		}
	}
	d, err := frame.ReadCSVFrom(strings.NewReader(b.String()), "panel.csv")
	if err != nil {
		panic(err)
	}

	f, err := fe.ParseFormula("y ~ did | city + year")
	if err != nil {
		panic(err)
	}
	r, err := fe.Fit(d, f, fe.Options{Cluster: []string{"city"}})
	if err != nil {
		panic(err)
	}
	j := r.Index("did")
	fmt.Printf("did: %.3f (SE %.3f), 95%% CI [%.3f, %.3f]\n",
		r.Coef[j], r.SE[j], r.ConfLow[j], r.ConfHigh[j])
	fmt.Printf("N = %d, clusters = %d, t with %d degrees of freedom\n",
		r.NObs, r.NClusters, r.DF)
	for _, n := range r.Notes {
		fmt.Println(n)
	}
	// Output:
	// did: 0.506 (SE 0.040), 95% CI [0.425, 0.587]
	// N = 320, clusters = 40, t with 39 degrees of freedom
	// no singletons in the fixed effects
	// fixed effects: city (40), year (8); exact one-pass demeaning
	// standard errors: CRV1 (nested), clustered by city
}
