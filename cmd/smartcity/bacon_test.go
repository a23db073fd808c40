package main

import (
	"math"
	"testing"
)

// REFERENCE.md, math_reform Bacon table: first row 1984 vs never treated.
func TestBaconJSON(t *testing.T) {
	m := runJSON(t, "bacon", "--data", "../../analysis/did/testdata/math_reform.csv",
		"--y", "incearn_ln", "--treat", "reform_math", "--unit", "state", "--time", "class",
		"--format", "json")
	comps := m["comparisons"].([]any)
	c0 := comps[0].(map[string]any)
	c1 := comps[1].(map[string]any)
	if len(comps) != 16 || c0["control"] != "never" || c1["control"].(float64) != 1985 ||
		c0["type"] != "Treated vs Untreated" ||
		math.Abs(c0["estimate"].(float64)-0.0686226092532) > 1e-8 ||
		math.Abs(c0["weight"].(float64)-0.0598483183117) > 1e-8 {
		t.Errorf("comparisons[0] = %v, [1] = %v", c0, c1)
	}
	var sum float64
	for _, c := range comps {
		cm := c.(map[string]any)
		sum += cm["estimate"].(float64) * cm["weight"].(float64)
	}
	if math.Abs(sum-m["twfe"].(float64)) > 1e-10 {
		t.Errorf("weighted sum %v, twfe %v", sum, m["twfe"])
	}
}
