package analysis

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLoadStudyAndTables loads the committed twin through LoadStudy (as
// the notebooks do) and writes every table and a figure to a temporary
// folder.
func TestLoadStudyAndTables(t *testing.T) {
	s, err := LoadStudy("..")
	if err != nil {
		t.Fatal(err)
	}
	if !s.Synthetic() || s.Truth == nil || !strings.Contains(s.DataNote(), "SYNTHETIC") {
		t.Fatalf("the committed data should be the labelled twin: %q", s.DataNote())
	}
	if len(s.TrueRegions()) != 4 || len(s.TrueClasses()) != 4 || len(s.TrueEventTimes()) == 0 {
		t.Errorf("truth: regions %v classes %v", s.TrueRegions(), s.TrueClasses())
	}
	dir := t.TempDir()
	b, err := Baseline(s.Frame, Design{})
	if err != nil {
		t.Fatal(err)
	}
	md, err := SaveTable(dir, "baseline", BaselineTable(b))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(md, "Pilot × post") || !strings.Contains(md, "Hausman") {
		t.Errorf("baseline table:\n%s", md)
	}
	for _, ext := range []string{"md", "tex", "csv"} {
		if _, err := os.Stat(filepath.Join(dir, "baseline."+ext)); err != nil {
			t.Error(err)
		}
	}
	batch, err := AddBatches(s.Frame, Design{}, 2013)
	if err != nil {
		t.Fatal(err)
	}
	same, err := Baseline(s.Frame, Design{SameProvince: true})
	if err != nil {
		t.Fatal(err)
	}
	if md := RobustnessTable(b, batch, same).Markdown(); !strings.Contains(md,
		"| + 2013 batch | Same-province controls |") {
		t.Errorf("robustness table:\n%s", md)
	}
	var hs []*HeteroResult
	for _, sp := range Splits {
		h, err := Heterogeneity(s.Frame, Design{}, sp, HeteroOptions{})
		if err != nil {
			t.Fatal(err)
		}
		hs = append(hs, h)
	}
	if md := HeteroTable(hs, nil).Markdown(); !strings.Contains(md, "Northeast") {
		t.Errorf("heterogeneity table:\n%s", md)
	}
	es, err := EventStudy(s.Frame, Design{}, EventOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if md := EventTable("Index", es).Markdown(); !strings.Contains(md, "k = 9") {
		t.Errorf("event table:\n%s", md)
	}
	p, err := es.Chart(chartEventOptions(s.TrueEventTimes()))
	if err != nil {
		t.Fatal(err)
	}
	png, err := SaveFigure(dir, "es", p)
	if err != nil || len(png) == 0 {
		t.Fatal(err)
	}
}

// TestClaimsOnTwin evaluates the claims on the committed twin with small
// resampling sizes; the verdicts depend on the data, so the test checks
// that every claim is evaluated and carries the twin's truth where the
// twin defines one.
func TestClaimsOnTwin(t *testing.T) {
	s, err := LoadStudy("..")
	if err != nil {
		t.Fatal(err)
	}
	cs, err := Claims(s.Frame, s, ClaimOptions{Draws: 20, Permutations: 50})
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 15 {
		t.Fatalf("%d claims, want 15", len(cs))
	}
	if math.Abs(cs[0].Truth-s.Truth.ATT2012.ATT) > 0 || !math.IsNaN(cs[2].Truth) {
		t.Errorf("truth column: %v, %v", cs[0].Truth, cs[2].Truth)
	}
	md := ClaimsMarkdown(cs)
	if !strings.Contains(md, "true value (twin)") || strings.Count(md, "\n") != 17 {
		t.Errorf("claims table:\n%s", md)
	}
}
