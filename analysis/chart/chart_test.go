package chart

import (
	"bytes"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"example.org/smartcity/analysis/chart/charttest"
)

// The inputs below are made up to exercise each chart element; the golden
// PNG files in testdata/ were drawn from them and checked by eye.

func eventPoints() []EventPoint {
	var pts []EventPoint
	for k := -5; k <= 5; k++ {
		c := 0.0
		if k >= 0 {
			c = 0.01 * float64(k+1)
		}
		if k == -1 {
			pts = append(pts, EventPoint{RelTime: k, Reference: true})
			continue
		}
		c += 0.002 * math.Sin(float64(k))
		pts = append(pts, EventPoint{RelTime: k, Coef: c, Low: c - 0.012, High: c + 0.012})
	}
	return pts
}

func TestEventStudyGolden(t *testing.T) {
	var truth []EventTruth
	for k := -5; k <= 5; k++ {
		v := 0.0
		if k >= 0 {
			v = 0.01 * float64(k+1)
		}
		truth = append(truth, EventTruth{k, v})
	}
	p, err := EventStudy(eventPoints(), EventStudyOptions{Truth: truth})
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "eventstudy.png", p)
}

func TestEventStudyErrors(t *testing.T) {
	if _, err := EventStudy(nil, EventStudyOptions{}); err == nil {
		t.Error("no error for an empty event study")
	}
	pts := eventPoints()
	pts[3].High = math.NaN()
	if _, err := EventStudy(pts, EventStudyOptions{}); err == nil {
		t.Error("no error for a NaN bound")
	}
	pts = append(eventPoints(), EventPoint{RelTime: 2})
	if _, err := EventStudy(pts, EventStudyOptions{}); err == nil {
		t.Error("no error for a repeated period")
	}
}

func TestForestGolden(t *testing.T) {
	rows := []Estimate{
		{"East", 0.030, 0.018, 0.042},
		{"Central", 0.006, -0.008, 0.020},
		{"West", 0.004, -0.012, 0.020},
		{"Northeast", -0.015, -0.030, 0.000},
		{"Coastal", 0.028, 0.015, 0.041},
		{"Inland", 0.008, -0.002, 0.018},
	}
	truth := []float64{0.03, 0.005, 0.005, -0.015, math.NaN(), math.NaN()}
	p, err := Forest(rows, ForestOptions{Truth: truth, Pooled: 0.015,
		ShowPooled: true, PooledLabel: "Pooled"})
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "forest.png", p)

	if _, err := Forest(rows, ForestOptions{Truth: truth[:2]}); err == nil {
		t.Error("no error for truth of the wrong length")
	}
}

func TestPermutationGolden(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	draws := make([]float64, 1000)
	for i := range draws {
		draws[i] = 0.004 * rng.NormFloat64()
	}
	p, err := Permutation(draws, 0.015, PermutationOptions{})
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "permutation.png", p)
}

func TestCommonSupportGolden(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	logistic := func(z float64) float64 { return 1 / (1 + math.Exp(-z)) }
	var before, after Scores
	for i := 0; i < 300; i++ {
		before.Treated = append(before.Treated, logistic(0.5+rng.NormFloat64()))
	}
	for i := 0; i < 900; i++ {
		before.Control = append(before.Control, logistic(-1+rng.NormFloat64()))
	}
	after.Treated = before.Treated
	after.Control = before.Control
	after.ControlWeights = make([]float64, len(before.Control))
	for i, s := range before.Control {
		// Weight controls towards the treated distribution.
		after.ControlWeights[i] = s / (1 - s)
	}
	fig, err := CommonSupport(before, after, SupportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "support.png", fig)

	bad := Scores{Treated: []float64{0.2, 1.3}, Control: []float64{0.1}}
	if _, err := CommonSupport(bad, after, SupportOptions{}); err == nil {
		t.Error("no error for a score above 1")
	}
}

func TestTrendsGolden(t *testing.T) {
	var years, pilot, other []float64
	for y := 2006; y <= 2021; y++ {
		years = append(years, float64(y))
		base := 0.2 + 0.005*float64(y-2006)
		other = append(other, base)
		eff := 0.0
		if y >= 2012 {
			eff = 0.004 * float64(y-2011)
		}
		pilot = append(pilot, base+0.03+eff)
	}
	p, err := Trends([]Series{{"Pilot cities", years, pilot}, {"Other cities", years, other}},
		TrendOptions{Mark: 2012, MarkSet: true})
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "trends.png", p)

	if _, err := Trends([]Series{{"x", years, pilot[:3]}}, TrendOptions{}); err == nil {
		t.Error("no error for series of unequal length")
	}
}

// TestRenderDeterministic checks that every format gives the same bytes
// twice, and that Save writes through the extension's format.
func TestRenderDeterministic(t *testing.T) {
	p, err := EventStudy(eventPoints(), EventStudyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range Formats {
		var a, b bytes.Buffer
		if err := Render(&a, p, f, Size{}); err != nil {
			t.Fatal(f, err)
		}
		if err := Render(&b, p, f, Size{}); err != nil {
			t.Fatal(f, err)
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) || a.Len() == 0 {
			t.Errorf("%s: two renderings differ (%d and %d bytes)", f, a.Len(), b.Len())
		}
	}
	dir := t.TempDir()
	paths, err := SaveAll(dir, "es", p, Size{})
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != 3 {
		t.Fatalf("SaveAll wrote %v", paths)
	}
	head, err := os.ReadFile(filepath.Join(dir, "es.pdf"))
	if err != nil || !bytes.HasPrefix(head, []byte("%PDF")) {
		t.Errorf("es.pdf is not a PDF (%v)", err)
	}
	if err := Save(filepath.Join(dir, "es.gif"), p, Size{}); err == nil {
		t.Error("no error for an unknown format")
	}
}

func TestChineseLabels(t *testing.T) {
	p, err := EventStudy(eventPoints(), EventStudyOptions{Style: Style{Lang: "zh"}})
	if CJKAvailable() {
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := Render(&b, p, "png", Size{}); err != nil || b.Len() == 0 {
			t.Fatalf("rendering Chinese labels: %v", err)
		}
		return
	}
	if !errors.Is(err, ErrNoCJKFont) {
		t.Fatalf("without a CJK font: got %v, want ErrNoCJKFont", err)
	}
}

func golden(t *testing.T, name string, fig Figure) {
	t.Helper()
	b, err := PNG(fig, Size{})
	if err != nil {
		t.Fatal(err)
	}
	charttest.Golden(t, name, b)
}
