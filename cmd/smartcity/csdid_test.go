package main

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"
)

func runJSON(t *testing.T, args ...string) map[string]any {
	t.Helper()
	var out, errb bytes.Buffer
	if code := run(args, &out, &errb); code != 0 {
		t.Fatalf("%v: exit %d: %s", args, code, errb.String())
	}
	var m map[string]any
	if err := json.Unmarshal(out.Bytes(), &m); err != nil {
		t.Fatalf("%v: %v\n%s", args, err, out.String())
	}
	return m
}

// The JSON carries the documented keys; values from REFERENCE.md's mpdta
// Callaway-Sant'Anna table (ATT(2004,2004) and the simple aggregation).
func TestCSDIDJSON(t *testing.T) {
	m := runJSON(t, "csdid", "--data", "../../analysis/did/testdata/mpdta.csv", "--y", "lemp",
		"--unit", "countyreal", "--time", "year", "--first-treat", "first.treat",
		"--format", "json")
	cells := m["att_gt"].([]any)
	c0 := cells[0].(map[string]any)
	if len(cells) != 12 || c0["group"].(float64) != 2004 || c0["time"].(float64) != 2004 ||
		math.Abs(c0["att"].(float64)+0.010503246221) > 1e-8 ||
		math.Abs(c0["std_error"].(float64)-0.0232510363682) > 1e-6 {
		t.Errorf("att_gt[0] = %v", c0)
	}
	s := m["simple"].(map[string]any)
	if math.Abs(s["estimate"].(float64)+0.0399512751552) > 1e-8 ||
		math.Abs(s["std_error"].(float64)-0.0120340127702) > 1e-6 {
		t.Errorf("simple = %v", s)
	}
	d := m["dynamic"].([]any)[0].(map[string]any)
	g := m["group"].([]any)[0].(map[string]any)
	if d["event_time"].(float64) != -3 || g["group"].(float64) != 2004 {
		t.Errorf("dynamic[0] %v group[0] %v", d, g)
	}
}

func TestCSDIDUsage(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"csdid", "--data", "x.csv"}, &out, &errb); code != 2 {
		t.Errorf("missing flags: exit %d", code)
	}
	if code := run([]string{"csdid", "--data", "../../analysis/did/testdata/mpdta.csv",
		"--y", "lemp", "--unit", "countyreal", "--time", "year", "--first-treat",
		"first.treat", "--control", "bad"}, &out, &errb); code != 2 {
		t.Errorf("bad --control: exit %d", code)
	}
}
