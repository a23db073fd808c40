package main

import (
	"math"
	"os"
	"path/filepath"
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

// Periods numbered from 0 with a group treated in every period: its
// comparisons are "Later vs Always Treated" with control 0 (the period),
// not "never". Four units, periods 0-3: A always treated, B from 2, C and
// D never.
func TestBaconJSONPeriodZero(t *testing.T) {
	csv := "unit,t,y,d\n" +
		"A,0,1,1\nA,1,2,1\nA,2,4,1\nA,3,3,1\n" +
		"B,0,0,0\nB,1,1,0\nB,2,5,1\nB,3,6,1\n" +
		"C,0,0,0\nC,1,2,0\nC,2,1,0\nC,3,3,0\n" +
		"D,0,1,0\nD,1,0,0\nD,2,2,0\nD,3,2,0\n"
	path := filepath.Join(t.TempDir(), "p.csv")
	if err := os.WriteFile(path, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	m := runJSON(t, "bacon", "--data", path, "--y", "y", "--treat", "d", "--unit", "unit",
		"--time", "t", "--format", "json")
	for _, c := range m["comparisons"].([]any) {
		cm := c.(map[string]any)
		if never := cm["control"] == "never"; never != (cm["type"] == "Treated vs Untreated") {
			t.Errorf("comparison %v", cm)
		}
	}
}
