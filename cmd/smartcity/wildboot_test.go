package main

import "testing"

// Ten firms: 2^10 = 1024 Rademacher patterns, enumerated when --draws is
// 1024; the p-value is then a multiple of 1/1024 whatever the seed.
func TestWildBootJSON(t *testing.T) {
	args := []string{"wildboot", "--data", "../../analysis/wild/testdata/grunfeld.csv",
		"--formula", "inv ~ value + capital | firm + year", "--cluster", "firm",
		"--param", "capital", "--draws", "1024", "--format", "json"}
	a := runJSON(t, append(args, "--seed", "1")...)
	b := runJSON(t, append(args, "--seed", "2")...)
	if a["enumerated"] != true || a["draws"].(float64) != 1024 || a["p_value"] != b["p_value"] ||
		a["conf_low"] != b["conf_low"] {
		t.Errorf("seed 1: %v\nseed 2: %v", a, b)
	}
	for _, k := range []string{"estimate", "p_value", "conf_low", "conf_high"} {
		if _, ok := a[k].(float64); !ok {
			t.Errorf("%s = %v", k, a[k])
		}
	}
}
