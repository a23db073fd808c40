package report_test

import (
	"fmt"
	"math"

	"example.org/smartcity/analysis/report"
)

// Two models side by side, as the text table a terminal shows; Markdown,
// HTML, LaTeX and CSV hold the same rows.
func ExampleNew() {
	base := report.Model{Outcome: "index", Terms: []string{"did"}, Coef: []float64{0.0421},
		SE: []float64{0.0102}, P: []float64{0.0001}, NObs: 2752, R2: 0.912, R2Within: 0.046,
		FixedEffects: []string{"city", "year"}, Vcov: "CRV1 (nested), clustered by city"}
	ctrl := base
	ctrl.Terms = []string{"did", "lnpop"}
	ctrl.Coef, ctrl.SE, ctrl.P = []float64{0.0398, 0.2}, []float64{0.0121, 0.1}, []float64{0.003, 0.05}
	ctrl.R2, ctrl.R2Within = 0.915, math.NaN()
	t := report.New([]report.Model{base, ctrl}, report.Options{Controls: []string{"lnpop"}})
	fmt.Print(t.Text())
	// Output:
	// ---------------------------------------
	//                       (1)       (2)
	//                      index     index
	// ---------------------------------------
	// did                 0.042***  0.040***
	//                     (0.010)   (0.012)
	// ---------------------------------------
	// Controls               No       Yes
	// city fixed effects    Yes       Yes
	// year fixed effects    Yes       Yes
	// Observations          2752      2752
	// R2                   0.912     0.915
	// Within R2            0.046
	// ---------------------------------------
	// Standard errors in parentheses: CRV1 (nested), clustered by city.
	// * p<0.1, ** p<0.05, *** p<0.01
}
