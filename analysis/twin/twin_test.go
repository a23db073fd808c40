package twin

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"testing"

	"example.org/smartcity/analysis/panel"
)

// The committed files regenerate byte for byte from the default seed.
func TestRegeneratesCommittedFiles(t *testing.T) {
	tw, err := Generate(Config{Seed: DefaultSeed})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := tw.Write(dir); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{panel.SyntheticPanel, panel.SyntheticPilots,
		panel.SyntheticTruth, "README.md"} {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join("..", "..", "data", "synthetic", name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from data/synthetic/%s: run 'smartcity simulate' and commit, "+
				"or find the source of non-determinism", name, name)
		}
	}
}

func TestDesign(t *testing.T) {
	tw, err := Generate(Config{Seed: DefaultSeed})
	if err != nil {
		t.Fatal(err)
	}
	d := tw.Truth.Design
	if d.Cities != 172 || d.NeverPilot != 172-30-28-20 || len(tw.Pilots) != 78 {
		t.Errorf("design %+v", d)
	}
	// Every sampled province has never-pilot cities to serve as controls.
	never := map[int]int{}
	pilot := map[int]bool{}
	for _, p := range tw.Pilots {
		pilot[p.CityCode] = true
	}
	for _, c := range tw.Cities {
		if !pilot[c.Code] {
			never[c.ProvinceCode]++
		}
		if c.Municipality || c.UnitType != "地级市" || c.Name == "济南市" {
			t.Errorf("city %d %s should not be in the sample", c.Code, c.Name)
		}
	}
	for _, c := range tw.Cities {
		if never[c.ProvinceCode] == 0 {
			t.Errorf("province %d (%s) has no never-pilot city", c.ProvinceCode, c.ProvinceName)
		}
	}
	// Missing cells: about 2% (design), here between 1.5% and 2.5%.
	share := float64(d.MissingCells) / float64(d.TotalCells)
	if share < 0.015 || share > 0.025 {
		t.Errorf("missing share %.4f", share)
	}
	// The true effect: positive overall, East > Centre, West about zero,
	// Northeast negative, and grows with exposure.
	tr := tw.Truth
	reg := map[string]float64{}
	for _, e := range tr.ByRegionAll {
		reg[e.Group] = e.ATT
	}
	if !(tr.ATT2012.ATT > 0.01 && reg["East"] > reg["Central"] && reg["Northeast"] < 0 &&
		math.Abs(reg["West"]) < 0.3*reg["East"]) {
		t.Errorf("effects %+v by region %v", tr.ATT2012, reg)
	}
	var prev float64
	for _, e := range tr.ByEventTime2012 {
		if e.E < 0 && math.Abs(e.ATT) > 1e-3 {
			t.Errorf("pre-pilot effect %v at e = %d", e.ATT, e.E)
		}
		if e.E >= 0 && e.ATT <= prev {
			t.Errorf("effect at e = %d is %v, not above %v", e.E, e.ATT, prev)
		}
		if e.E >= 0 {
			prev = e.ATT
		}
	}
	// Sub-index effects add up to the index effect.
	var sum float64
	for _, e := range tr.ByDimension2012 {
		sum += e.ATT
	}
	if math.Abs(sum-tr.ATT2012.ATT) > 1e-8 {
		t.Errorf("dimension effects sum to %v, index effect %v", sum, tr.ATT2012.ATT)
	}
}

func TestNoEffectAndSeeds(t *testing.T) {
	tw, err := Generate(Config{Seed: 7, NoEffect: true})
	if err != nil {
		t.Fatal(err)
	}
	if tw.Truth.ATTAll.ATT != 0 {
		t.Errorf("null twin has effect %v", tw.Truth.ATTAll.ATT)
	}
	a, _ := Generate(Config{Seed: 8})
	b, _ := Generate(Config{Seed: 9})
	if a.Truth.ATT2012.ATT == b.Truth.ATT2012.ATT {
		t.Error("two seeds give the same twin")
	}
	// The in-memory study frame equals the one built from files.
	f, rep, err := a.StudyFrame(panel.StudyOptions{})
	if err != nil || f.Len() != 172*16 || rep.Label != "SYNTHETIC TWIN (seed 8)" {
		t.Errorf("study frame: %v, %d rows, label %q", err, f.Len(), rep.Label)
	}
	if _, err := Generate(Config{Seed: 1, Batches: []Batch{{2012, 200}}}); err == nil {
		t.Error("batch larger than the sample accepted")
	}
}

func BenchmarkGenerate(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := Generate(Config{Seed: uint64(i)}); err != nil {
			b.Fatal(err)
		}
	}
}
