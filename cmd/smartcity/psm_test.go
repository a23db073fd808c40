package main

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"example.org/smartcity/analysis/fe"
	"example.org/smartcity/analysis/frame"
	"example.org/smartcity/analysis/placebo"
)

const lalondePath = "../../analysis/psm/testdata/lalonde.csv"

// TestPSMCommand runs MatchIt's lalonde example (1:1 nearest neighbour
// without replacement) and checks the JSON against
// analysis/psm/testdata/lalonde_reference.json (case nearest_1to1: ATT
// 894.367480270271 from the independent matcher, SE 705.229764061615 from
// statsmodels WLS clustered by pair; tolerances 1e-8 and 1e-7 relative),
// then the weights file.
func TestPSMCommand(t *testing.T) {
	dir := t.TempDir()
	wout := filepath.Join(dir, "matched.csv")
	var out, errb bytes.Buffer
	code := run([]string{"psm", "--data", lalondePath, "--treat", "treat",
		"--covariates", "age,educ,race,married,nodegree,re74,re75", "--outcome", "re78",
		"--weights-out", wout, "--format", "json"}, &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var res map[string]any
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		t.Fatal(err)
	}
	if len(res) != 5 {
		t.Errorf("JSON keys %v, want att, std_error, n_treated, n_controls, n_unmatched", res)
	}
	if att := res["att"].(float64); math.Abs(att/894.367480270271-1) > 1e-8 {
		t.Errorf("att %v", att)
	}
	if se := res["std_error"].(float64); math.Abs(se/705.229764061615-1) > 1e-7 {
		t.Errorf("std_error %v", se)
	}
	if res["n_treated"].(float64) != 185 || res["n_controls"].(float64) != 185 ||
		res["n_unmatched"].(float64) != 0 {
		t.Errorf("counts %v", res)
	}

	d, err := frame.ReadCSV(wout)
	if err != nil {
		t.Fatal(err)
	}
	w, err := d.Float("psm_weight")
	if err != nil {
		t.Fatal(err)
	}
	var sum float64
	var pos int
	for _, v := range w {
		sum += v
		if v > 0 {
			pos++
		}
	}
	if d.Len() != 614 || pos != 370 || sum != 370 {
		t.Errorf("weights file: %d rows, %d positive, sum %v; want 614, 370, 370", d.Len(), pos, sum)
	}
	if !strings.Contains(errb.String(), "matched.csv") {
		t.Errorf("stderr %q should name the weights file", errb.String())
	}
}

func TestPSMCommandPanel(t *testing.T) {
	// A panel where every lalonde row is a unit observed in two years with
	// the same covariates: the baseline design reproduces the
	// cross-sectional matching, and every row of a unit carries its weight.
	d, err := frame.ReadCSV(lalondePath)
	if err != nil {
		t.Fatal(err)
	}
	n := d.Len()
	rows := make([]int, 0, 2*n)
	for i := 0; i < n; i++ {
		rows = append(rows, i)
	}
	for i := 0; i < n; i++ {
		rows = append(rows, i)
	}
	p := d.Rows(rows)
	year := make([]float64, 2*n)
	for i := n; i < 2*n; i++ {
		year[i] = 1
	}
	p.SetFloat("year", year)
	dir := t.TempDir()
	in := filepath.Join(dir, "panel.csv")
	if err := p.WriteCSVFile(in); err != nil {
		t.Fatal(err)
	}
	wout := filepath.Join(dir, "w.csv")
	var out, errb bytes.Buffer
	code := run([]string{"psm", "--data", in, "--treat", "treat",
		"--covariates", "age,educ,race,married,nodegree,re74,re75", "--outcome", "re78",
		"--unit", "id", "--time", "year", "--weights-out", wout, "--format", "json"}, &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var res psmJSON
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		t.Fatal(err)
	}
	// Each unit counted twice with the same outcome: the same difference.
	if math.Abs(res.ATT/894.367480270271-1) > 1e-8 || res.NTreated != 185 {
		t.Errorf("panel: %+v", res)
	}
	wd, err := frame.ReadCSV(wout)
	if err != nil {
		t.Fatal(err)
	}
	w, _ := wd.Float("psm_weight")
	for i := 0; i < n; i++ {
		if w[i] != w[i+n] {
			t.Fatalf("row %d: weight %v in year 0, %v in year 1", i, w[i], w[i+n])
		}
	}
}

func TestPSMCommandErrors(t *testing.T) {
	for _, args := range [][]string{
		{"psm", "--data", lalondePath},
		{"psm", "--data", lalondePath, "--treat", "treat", "--covariates", "age", "--outcome", "re78",
			"--caliper-scale", "pct"},
		{"psm", "--data", lalondePath, "--treat", "treat", "--covariates", "age", "--outcome", "re78",
			"--ratio", "0"},
	} {
		var out, errb bytes.Buffer
		if code := run(args, &out, &errb); code != 2 {
			t.Errorf("%q: exit %d, want 2", args, code)
		}
	}
	var out, errb bytes.Buffer
	code := run([]string{"psm", "--data", lalondePath, "--treat", "treat", "--covariates", "age,nope",
		"--outcome", "re78"}, &out, &errb)
	if code != 1 || !strings.Contains(errb.String(), "nope") {
		t.Errorf("unknown covariate: exit %d, stderr %q", code, errb.String())
	}
}

// TestPlaceboCommand checks the command against the package on a small
// panel: same seed, same observed estimate, p-value and number of draws.
func TestPlaceboCommand(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "p.csv")
	var b strings.Builder
	b.WriteString("unit,year,y,d\n")
	change := []float64{4, 0, 1, -1, 2, 0.5}
	for u, c := range change {
		b.WriteString(string(rune('A'+u)) + ",1,0,0\n")
		dv := "0"
		if u == 0 {
			dv = "1"
		}
		b.WriteString(string(rune('A'+u)) + ",2," + frame.FormatNumber(c) + "," + dv + "\n")
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	code := run([]string{"placebo", "--data", path, "--formula", "y ~ d | unit + year", "--treat", "d",
		"--unit", "unit", "--time", "year", "--draws", "300", "--seed", "7", "--format", "json"}, &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var res placeboJSON
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		t.Fatal(err)
	}
	d, _ := frame.ReadCSV(path)
	f, _ := fe.ParseFormula("y ~ d | unit + year")
	want, err := placebo.Permutation(d, f, "d", "unit", "year",
		placebo.Options{Draws: 300, Seed: 7, FE: fe.Options{Cluster: []string{"unit"}}})
	if err != nil {
		t.Fatal(err)
	}
	// Observed: 4 - mean(0, 1, -1, 2, 0.5) = 3.5, by hand.
	if math.Abs(res.Observed-3.5) > 1e-9 || res.PValue != want.PValue || res.Draws != 300 {
		t.Errorf("got %+v, want observed 3.5, p %v, 300 draws", res, want.PValue)
	}
}
