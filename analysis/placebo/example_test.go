package placebo_test

import (
	"fmt"

	"example.org/smartcity/analysis/fe"
	"example.org/smartcity/analysis/frame"
	"example.org/smartcity/analysis/placebo"
)

// Four units over two periods, unit A treated in period 2. Enumerating
// the four assignments of the treatment path gives the exact permutation
// distribution of the DID coefficient.
func ExamplePermutation() {
	d := frame.New("example")
	d.SetText("unit", []string{"A", "A", "B", "B", "C", "C", "D", "D"})
	d.SetFloat("year", []float64{1, 2, 1, 2, 1, 2, 1, 2})
	d.SetFloat("y", []float64{0, 4, 0, 0, 0, 1, 0, -1})
	d.SetFloat("d", []float64{0, 1, 0, 0, 0, 0, 0, 0})
	f, _ := fe.ParseFormula("y ~ d | unit + year")
	r, err := placebo.Permutation(d, f, "d", "unit", "year", placebo.Options{Exact: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("observed %.3f, draws %.3f, p = %.2f\n", r.Observed, r.Draws, r.PValue)
	// Output:
	// observed 4.000, draws [4.000 -1.333 0.000 -2.667], p = 0.25
}
