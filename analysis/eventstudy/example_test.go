package eventstudy_test

import (
	"fmt"
	"strings"

	"example.org/smartcity/analysis/eventstudy"
	"example.org/smartcity/analysis/frame"
)

// Two units first treated in period 3 and two never treated, over four
// periods: each coefficient is a difference in differences of group means
// against period 2, the reference.
func ExampleEstimate() {
	const data = `unit,t,g,y
1,1,3,1
1,2,3,2
1,3,3,5
1,4,3,7
2,1,3,3
2,2,3,3
2,3,3,6
2,4,3,10
3,1,0,2
3,2,0,3
3,3,0,3
3,4,0,4
4,1,0,0
4,2,0,2
4,3,0,4
4,4,0,4
`
	d, err := frame.ReadCSVFrom(strings.NewReader(data), "example.csv")
	if err != nil {
		panic(err)
	}
	r, err := eventstudy.Estimate(d, eventstudy.Options{Y: "y", Unit: "unit", Time: "t",
		FirstTreat: "g"})
	if err != nil {
		panic(err)
	}
	for _, c := range r.Coefs {
		if c.Ref {
			fmt.Printf("k=%2d  reference\n", c.RelTime)
			continue
		}
		fmt.Printf("k=%2d  %s  %.2f\n", c.RelTime, c.Term, c.Coef)
	}
	// Output:
	// k=-2  rel_m2  1.00
	// k=-1  reference
	// k= 0  rel_0  2.00
	// k= 1  rel_1  4.50
}
