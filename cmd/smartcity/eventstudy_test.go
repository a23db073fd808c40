package main

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"
)

const mpdtaPath = "../../analysis/eventstudy/testdata/mpdta.csv"

// TestEventStudyCommand runs the command on mpdta and checks the JSON
// against REFERENCE.md's event study (R 4.2.2 plm/estimatr; rel_2 coef
// -0.131794857754, SE 0.0288374073901; tolerance 1e-8 and 1e-7 relative).
func TestEventStudyCommand(t *testing.T) {
	var out, errb bytes.Buffer
	code := run([]string{"eventstudy", "--data", mpdtaPath, "--y", "lemp", "--unit", "countyreal",
		"--time", "year", "--first-treat", "first.treat", "--format", "json"}, &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var res eventJSON
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Coefficients) != 8 || res.PreTrend == nil || res.PreTrend.DF1 != 3 {
		t.Fatalf("got %d coefficients, pretrend %+v", len(res.Coefficients), res.PreTrend)
	}
	for _, c := range res.Coefficients {
		switch c.RelativeTime {
		case 2:
			if math.Abs(*c.Estimate/-0.131794857754-1) > 1e-8 || math.Abs(*c.StdError/0.0288374073901-1) > 1e-7 {
				t.Errorf("rel_2: %v (%v)", *c.Estimate, *c.StdError)
			}
		case -1:
			if !c.Reference || c.StdError != nil || c.Estimate == nil || *c.Estimate != 0 {
				t.Errorf("reference period: %+v", c)
			}
		}
	}
}

func TestEventStudyCommandUsage(t *testing.T) {
	for _, args := range [][]string{
		{"eventstudy", "--data", mpdtaPath},
		{"eventstudy", "--data", mpdtaPath, "--y", "lemp", "--unit", "countyreal", "--time", "year",
			"--first-treat", "first.treat", "--window", "-2"},
		{"eventstudy", "--data", mpdtaPath, "--y", "lemp", "--unit", "countyreal", "--time", "year",
			"--first-treat", "first.treat", "--format", "xml"},
	} {
		var out, errb bytes.Buffer
		if code := run(args, &out, &errb); code != 2 {
			t.Errorf("%q: exit %d, want 2 (usage error)", args, code)
		}
	}
	var out, errb bytes.Buffer
	code := run([]string{"eventstudy", "--data", mpdtaPath, "--y", "nope", "--unit", "countyreal",
		"--time", "year", "--first-treat", "first.treat"}, &out, &errb)
	if code != 1 || !bytes.Contains(errb.Bytes(), []byte("nope")) {
		t.Errorf("missing column: exit %d, stderr %q", code, errb.String())
	}
}

// A window wider than the data has periods without observations; their
// estimate is not a number and must come out as JSON null, not fail the
// encoder. mpdta's relative periods run from -4 to 3.
func TestEventStudyCommandEmptyPeriod(t *testing.T) {
	var out, errb bytes.Buffer
	code := run([]string{"eventstudy", "--data", mpdtaPath, "--y", "lemp", "--unit", "countyreal",
		"--time", "year", "--first-treat", "first.treat", "--window", "-6,3", "--format", "json"},
		&out, &errb)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var res struct {
		Coefficients []struct {
			RelativeTime int      `json:"relative_time"`
			Estimate     *float64 `json:"estimate"`
		} `json:"coefficients"`
	}
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Coefficients) != 10 || res.Coefficients[0].RelativeTime != -6 ||
		res.Coefficients[0].Estimate != nil || res.Coefficients[9].Estimate == nil {
		t.Errorf("coefficients %+v: want -6..3, null where not estimated", res.Coefficients)
	}
}
