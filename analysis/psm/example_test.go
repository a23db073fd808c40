package psm_test

import (
	"fmt"

	"example.org/smartcity/analysis/psm"
)

// Matching on given scores, 1:1 without replacement: treated units are
// served in descending order of score, each taking the nearest control
// still available.
func ExampleNearestNeighbor() {
	score := []float64{0.9, 0.85, 0.7, 0.6, 0.75, 0.3, 0.1, 0.35}
	treated := []bool{true, false, true, false, false, true, false, false}
	m, err := psm.NearestNeighbor(score, treated, psm.MatchOptions{Ratio: 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, ms := range m.Matches {
		if treated[i] {
			fmt.Printf("treated %d (%.2f): controls %v\n", i, score[i], ms)
		}
	}
	fmt.Printf("weights %.3f\n", m.Weights)
	// Output:
	// treated 0 (0.90): controls [1 3]
	// treated 2 (0.70): controls [4 6]
	// treated 5 (0.30): controls [7]
	// weights [1.000 0.833 1.000 0.833 0.833 1.000 0.833 1.667]
}
