package panel

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"testing"

	"example.org/smartcity/analysis/entropy"
)

// The study frame of the committed twin: shape, columns of the contract,
// treatment coding and the report's account of cleaning.
func TestStudyFrameSynthetic(t *testing.T) {
	src, err := DefaultSource("../..")
	if err != nil {
		t.Fatal(err)
	}
	if !src.Synthetic || src.Label != "SYNTHETIC TWIN (seed 20121205)" {
		t.Errorf("source %+v, want the synthetic twin", src)
	}
	f, rep, err := StudyFrame(src, StudyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// 172 cities x 16 years: the twin's design (data/synthetic/README.md).
	if f.Len() != 172*16 || rep.Cities != 172 || rep.RowsAdded != 0 {
		t.Fatalf("rows %d, cities %d, added %d; want 2752, 172, 0", f.Len(), rep.Cities, rep.RowsAdded)
	}
	for _, c := range []string{"city_code", "year", "province_code", "region4", "coastal",
		"central_city", "first_treat", "treat", "post", "did", "index", "index_economy",
		"index_livelihood", "index_ecology", "index_culture", "index_municipal", "lnpop",
		"fiscal", "fdi", "industry", "finance", "d_staggered"} {
		if !f.Has(c) {
			t.Errorf("study frame lacks column %q", c)
		}
	}
	year, _ := f.Float("year")
	ft, _ := f.Float("first_treat")
	treat, _ := f.Float("treat")
	post, _ := f.Float("post")
	did, _ := f.Float("did")
	stag, _ := f.Float("d_staggered")
	idx, _ := f.Float("index")
	treated := 0
	for i := range year {
		if treat[i] != b(ft[i] == 2012) || post[i] != b(year[i] >= 2012) || did[i] != treat[i]*post[i] ||
			stag[i] != b(ft[i] > 0 && year[i] >= ft[i]) {
			t.Fatalf("row %d: first_treat %v year %v: treat %v post %v did %v d_staggered %v",
				i, ft[i], year[i], treat[i], post[i], did[i], stag[i])
		}
		if math.IsNaN(idx[i]) || idx[i] < 0 || idx[i] > 1 {
			t.Fatalf("row %d: index %v", i, idx[i])
		}
		if year[i] == 2006 && treat[i] == 1 {
			treated++
		}
	}
	if treated != 30 {
		t.Errorf("%d cities in the 2012 batch, want 30 (twin.DefaultBatches)", treated)
	}
	var filled, missing, clipped int
	for _, c := range rep.Filled {
		filled += c.Interpolated + c.Extrapolated
		missing += c.Missing
		if c.Unfilled != 0 {
			t.Errorf("%s: %d cells left missing", c.Variable, c.Unfilled)
		}
	}
	for _, c := range rep.Clipped {
		clipped += c.ClippedLow + c.ClippedHigh
	}
	// The twin leaves about 2% of its 79808 variable cells missing.
	if filled != missing || missing < 1000 || missing > 2200 {
		t.Errorf("filled %d of %d missing cells", filled, missing)
	}
	if clipped == 0 || len(rep.Notes) < 3 || rep.IndexMissing != 0 {
		t.Errorf("clipped %d, notes %v, index missing %d", clipped, rep.Notes, rep.IndexMissing)
	}
}

func b(x bool) float64 {
	if x {
		return 1
	}
	return 0
}

func TestDefaultSourceUserData(t *testing.T) {
	root := t.TempDir()
	real := filepath.Join(root, "data", "real")
	if err := os.MkdirAll(real, 0o755); err != nil {
		t.Fatal(err)
	}
	good, _ := os.ReadFile("testdata/good.csv")
	writeFile(t, filepath.Join(real, "panel.csv"), string(good))
	if _, err := DefaultSource(root); err == nil {
		t.Error("panel without pilots accepted")
	}
	writeFile(t, filepath.Join(real, "pilots.csv"), "city_code,batch,pilot_year\n130400,1,2012\n")
	src, err := DefaultSource(root)
	if err != nil {
		t.Fatal(err)
	}
	if src.Synthetic || src.Label != "user data" {
		t.Errorf("source %+v, want user data", src)
	}
	f, rep, err := StudyFrame(src, StudyOptions{FirstYear: 2006, LastYear: 2012})
	if err != nil {
		t.Fatal(err)
	}
	if f.Len() != 14 || rep.RowsAdded != 8 || rep.Pilots != 1 {
		t.Errorf("rows %d, added %d, pilots %d; want 14, 8, 1", f.Len(), rep.RowsAdded, rep.Pilots)
	}
}

func TestStudyFrameErrors(t *testing.T) {
	f, err := ReadTable("testdata/bad/many_errors.csv")
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = Build(Inputs{Panel: f}, StudyOptions{})
	var ve *ValidationError
	if !errors.As(err, &ve) || len(ve.Problems) != 4 {
		t.Errorf("got %v, want the four problems of the file", err)
	}
	// A constant indicator is an error naming it.
	g, _ := ReadTable("testdata/good.csv")
	c, _ := g.Float("teachers")
	for i := range c {
		c[i] = 7
	}
	_, _, err = Build(Inputs{Panel: g}, StudyOptions{FirstYear: 2006, LastYear: 2008})
	var ee *entropy.Error
	if !errors.As(err, &ee) || ee.Indicator != "teachers" {
		t.Errorf("constant indicator: got %v", err)
	}
}

// Rows absent from the file are added and filled; nothing is dropped.
func TestPrepareAddsAbsentRows(t *testing.T) {
	g, _ := ReadTable("testdata/good.csv")
	year, _ := g.Float("year")
	h := g.Filter(func(i int) bool { return year[i] != 2007 })
	p, err := Prepare(h, DefaultCodebook(), StudyOptions{FirstYear: 2006, LastYear: 2008, NoClip: true})
	if err != nil {
		t.Fatal(err)
	}
	if p.Frame.Len() != 6 || p.RowsAdded != 2 {
		t.Fatalf("rows %d added %d, want 6, 2", p.Frame.Len(), p.RowsAdded)
	}
	full, _ := g.Float("gdp_pc")
	got, _ := p.Frame.Float("gdp_pc")
	// 2007 of the first city: midway between 2006 and 2008 (good.csv rows 0, 2).
	if want := (full[0] + full[2]) / 2; math.Abs(got[1]-want) > 1e-9 {
		t.Errorf("interpolated gdp_pc %v, want %v", got[1], want)
	}
	if n := len(p.FilledCells); n != 2*len(DefaultCodebook().Vars) {
		t.Errorf("%d filled cells recorded, want %d", n, 2*len(DefaultCodebook().Vars))
	}
}
