package main

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const feTestdata = "../../analysis/fe/testdata/"

func relErr(got, want float64) float64 { return math.Abs(got/want - 1) }

// TestEstimateCommand checks the JSON of a clustered TWFE fit against the
// peers' REFERENCE.md, TWFE table, grunfeld rows (R 4.2.2 plm/estimatr/
// sandwich): value 0.117715855083 with CR1 SE nested 0.0108244294769 and
// full 0.0111089155205; tolerance 1e-8 relative.
func TestEstimateCommand(t *testing.T) {
	for _, c := range []struct {
		ssc string
		se  float64
	}{{"nested", 0.0108244294769}, {"full", 0.0111089155205}} {
		var out, errb bytes.Buffer
		code := run([]string{"estimate", "--data", feTestdata + "grunfeld.csv",
			"--formula", "inv ~ value + capital | firm + year", "--cluster", "firm",
			"--ssc", c.ssc, "--format", "json"}, &out, &errb)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errb.String())
		}
		var res estimateJSON
		if err := json.Unmarshal(out.Bytes(), &res); err != nil {
			t.Fatal(err)
		}
		if res.NObs != 200 || res.NClusters != 10 || len(res.Coefficients) != 2 || res.R2Within == nil {
			t.Fatalf("%+v", res)
		}
		v := res.Coefficients[0]
		if v.Term != "value" || relErr(*v.Estimate, 0.117715855083) > 1e-8 ||
			relErr(*v.StdError, c.se) > 1e-8 {
			t.Errorf("%s: %+v", c.ssc, v)
		}
		if !(*v.ConfLow < *v.Estimate && *v.Estimate < *v.ConfHigh) || *v.PValue <= 0 {
			t.Errorf("%s: interval or p-value %+v", c.ssc, v)
		}
	}
}

func TestEstimateFormatsAndErrors(t *testing.T) {
	for _, format := range []string{"text", "markdown", "latex", "html", "csv"} {
		var out, errb bytes.Buffer
		code := run([]string{"estimate", "--data", feTestdata + "produc.csv",
			"--formula", "log(gsp) ~ log(pcap) + unemp | state + year", "--cluster", "state,year",
			"--format", format}, &out, &errb)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", format, code, errb.String())
		}
		if !strings.Contains(out.String(), "two-way clustered by state and year") {
			t.Errorf("%s output lacks the variance note:\n%s", format, out.String())
		}
	}

	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.csv")
	const content = "id,t,y,x\n1,1,1,2\n1,2,2,n/a\n2,1,1,1\n2,2,3,2\n"
	if err := os.WriteFile(bad, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--formula", "y ~ x | id"}, 1, `line 3, column "x": value "n/a": not a number`},
		{[]string{"--formula", "y ~ nope | id"}, 1, `column "nope": no such column`},
		{[]string{"--formula", "y x"}, 2, "no '~'"},
		{[]string{"--formula", "y ~ x", "--ssc", "huge"}, 1, `unknown small-sample rule "huge"`},
		{[]string{"--formula", "y ~ x", "--format", "pdf"}, 2, `unknown --format "pdf"`},
	}
	for _, c := range cases {
		var out, errb bytes.Buffer
		code := run(append([]string{"estimate", "--data", bad}, c.args...), &out, &errb)
		if code != c.code || !strings.Contains(errb.String(), c.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", c.args, code, errb.String(), c.code, c.want)
		}
		if out.Len() > 0 {
			t.Errorf("%v: wrote to stdout on error: %q", c.args, out.String())
		}
	}
}

// TestHausmanCommand: REFERENCE.md, Hausman table, produc row (R 4.2.2,
// plm 2.6-2 phtest): chi2 9.525415635, df 4, p 0.0492276241762.
func TestHausmanCommand(t *testing.T) {
	var out, errb bytes.Buffer
	code := run([]string{"hausman", "--data", feTestdata + "produc.csv",
		"--formula", "log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp",
		"--unit", "state", "--time", "year", "--format", "json"}, &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var h hausmanJSON
	if err := json.Unmarshal(out.Bytes(), &h); err != nil {
		t.Fatal(err)
	}
	if relErr(h.Statistic, 9.525415635) > 1e-8 || h.DF != 4 ||
		relErr(h.PValue, 0.0492276241762) > 1e-8 {
		t.Errorf("%+v", h)
	}
}

// TestEstimateJSONNonFinite: an exact fit has zero standard errors, so t
// statistics are infinite or NaN; JSON cannot hold those, and they must
// come out as null rather than fail the command.
func TestEstimateJSONNonFinite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "exact.csv")
	const content = "g,y,x\n1,2,1\n1,4,2\n2,6,3\n2,8,4\n3,10,5\n" // y = 2x
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	code := run([]string{"estimate", "--data", path, "--formula", "y ~ x", "--cluster", "g",
		"--format", "json"}, &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var res estimateJSON
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		t.Fatal(err)
	}
	x := res.Coefficients[1]
	if x.Term != "x" || x.Estimate == nil || *x.Estimate != 2 || x.StdError == nil ||
		*x.StdError != 0 || x.Statistic != nil {
		t.Errorf("coefficient of x: %s", out.String())
	}
}
