package panel

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"

	"example.org/smartcity/analysis/entropy"
	"example.org/smartcity/analysis/frame"
)

// Source says where the study's files are. Paths are as given (relative to
// the working directory when relative); empty Cities or Codebook mean the
// tables embedded in the program.
type Source struct {
	Label     string // "SYNTHETIC TWIN (seed N)" or "user data"
	Synthetic bool
	Seed      uint64 // the twin's seed, when Synthetic
	Panel     string // panel.csv or panel.xlsx
	Pilots    string // pilot list
	Truth     string // truth file of the twin; "" for user data
	Cities    string // reference city table; "" = embedded
	Codebook  string // codebook; "" = embedded
}

// The twin's file names inside data/synthetic/.
const (
	SyntheticPanel  = "panel_SYNTHETIC.csv"
	SyntheticPilots = "pilots_SYNTHETIC.csv"
	SyntheticTruth  = "truth_SYNTHETIC.json"
)

// DefaultSource looks for a user's data in root/data/real/: panel.csv or
// panel.xlsx, and pilots.csv or pilots.xlsx (both needed), plus an optional
// codebook.csv. Without it, it falls back to the synthetic twin committed in
// root/data/synthetic/, whose seed it reads from the truth file.
func DefaultSource(root string) (Source, error) {
	real := filepath.Join(root, "data", "real")
	find := func(names ...string) string {
		for _, n := range names {
			p := filepath.Join(real, n)
			if _, err := os.Stat(p); err == nil {
				return p
			}
		}
		return ""
	}
	pnl, pil := find("panel.csv", "panel.xlsx"), find("pilots.csv", "pilots.xlsx")
	switch {
	case pnl != "" && pil != "":
		return Source{Label: "user data", Panel: pnl, Pilots: pil,
			Codebook: find("codebook.csv")}, nil
	case pnl != "" || pil != "":
		return Source{}, fmt.Errorf("%s: found %q but not its partner: user data needs "+
			"panel.csv (or .xlsx) and pilots.csv (or .xlsx)", real, filepath.Base(pnl+pil))
	}
	syn := filepath.Join(root, "data", "synthetic")
	src := Source{Synthetic: true, Panel: filepath.Join(syn, SyntheticPanel),
		Pilots: filepath.Join(syn, SyntheticPilots), Truth: filepath.Join(syn, SyntheticTruth)}
	b, err := os.ReadFile(src.Truth)
	if err != nil {
		return Source{}, fmt.Errorf("no user data in %s and no synthetic twin: %w", real, err)
	}
	var t struct {
		Seed *uint64 `json:"seed"`
	}
	if err := json.Unmarshal(b, &t); err != nil || t.Seed == nil {
		return Source{}, fmt.Errorf("%s: cannot read the twin's seed: %v", src.Truth, err)
	}
	src.Seed = *t.Seed
	src.Label = fmt.Sprintf("SYNTHETIC TWIN (seed %d)", src.Seed)
	return src, nil
}

// StudyReport is the account of what StudyFrame did to the data.
type StudyReport struct {
	Label        string
	Source       string // the panel file
	Rows         int    // rows of the study frame
	Cities       int
	FirstYear    int
	LastYear     int
	RowsInFile   int
	RowsAdded    int // city-years absent from the file, added as missing then filled
	Filled       []FillCount
	Clipped      []ClipCount
	IndexMissing int // rows whose index could not be computed (an indicator still missing)
	Weights      []*entropy.Model
	WeightYears  []int    // years of Weights when fitted year by year
	PilotsAbsent []int    // pilot cities with no row in the panel (left out)
	Pilots       int      // pilot cities in the panel
	Notes        []string // one line per thing a reader should know
	Prepared     *Prepared
}

// Inputs are the raw pieces StudyFrame assembles; Build takes them from
// memory (the synthetic twin uses this), StudyFrame from files.
type Inputs struct {
	Label    string
	Panel    *frame.Frame // as read by ReadTable, not yet validated
	Pilots   []Pilot
	Codebook *Codebook // nil = embedded
	Cities   *Cities   // nil = embedded
}

// StudyFrame reads the source's files, validates them (every problem at
// once, as a *ValidationError), and builds the study frame with Build.
func StudyFrame(src Source, opt StudyOptions) (*frame.Frame, *StudyReport, error) {
	in := Inputs{Label: src.Label}
	var err error
	in.Cities = ReferenceCities()
	if src.Cities != "" {
		if in.Cities, err = LoadCities(src.Cities); err != nil {
			return nil, nil, err
		}
	}
	in.Codebook = opt.Codebook
	if in.Codebook == nil && src.Codebook != "" {
		if in.Codebook, err = LoadCodebook(src.Codebook); err != nil {
			return nil, nil, err
		}
	}
	if in.Panel, err = ReadTable(src.Panel); err != nil {
		return nil, nil, err
	}
	vo := ValidateOptions{FirstYear: opt.FirstYear, LastYear: opt.LastYear}
	if in.Pilots, err = ReadPilots(src.Pilots, in.Cities, vo); err != nil {
		return nil, nil, err
	}
	return Build(in, opt)
}

// Build validates the panel and assembles the study frame: it cleans the
// panel with Prepare, computes the entropy index and sub-indices, derives
// the controls (lnpop = log(pop) and any other codebook transform), and
// joins the pilot list and the reference table. One row per city and study
// year, sorted by city and year. Columns, in order:
//
//	city_code year city_name province_code province_name region4 coastal
//	coastal_province central_city first_treat batch treat post did
//	d_staggered rel_year index index_economy ... index_municipal
//	<controls by study name> <cleaned indicators>
//
// coastal is the sea-adjacent city flag; first_treat is the pilot year (0
// for never-pilot cities); treat marks the first (2012) batch; post is
// year >= 2012; did = treat*post; d_staggered is 1 from a pilot city's own
// pilot year on; rel_year is year - first_treat (NaN for never-pilots).
func Build(in Inputs, opt StudyOptions) (*frame.Frame, *StudyReport, error) {
	cb := in.Codebook
	if cb == nil {
		cb = opt.Codebook
	}
	if cb == nil {
		cb = DefaultCodebook()
	}
	cities := in.Cities
	if cities == nil {
		cities = ReferenceCities()
	}
	vo := ValidateOptions{FirstYear: opt.FirstYear, LastYear: opt.LastYear}
	if err := Validate(in.Panel, cb, cities, vo); err != nil {
		return nil, nil, err
	}
	p, err := Prepare(in.Panel, cb, opt)
	if err != nil {
		return nil, nil, err
	}
	y0, y1 := opt.years()
	rep := &StudyReport{Label: in.Label, Source: in.Panel.Source, RowsInFile: in.Panel.Len(),
		RowsAdded: p.RowsAdded, Filled: p.Filled, Clipped: p.Clipped, Weights: p.Models,
		WeightYears: p.Years, FirstYear: y0, LastYear: y1, Prepared: p}

	f := p.Frame
	n := f.Len()
	codes, _ := f.Float("city_code")
	years, _ := f.Float("year")
	pilotOf := map[int]Pilot{}
	for _, pl := range in.Pilots {
		pilotOf[pl.CityCode] = pl
	}
	inPanel := map[int]bool{}
	for _, c := range codes {
		inPanel[int(c)] = true
	}
	for _, pl := range in.Pilots {
		if !inPanel[pl.CityCode] {
			rep.PilotsAbsent = append(rep.PilotsAbsent, pl.CityCode)
		} else {
			rep.Pilots++
		}
	}
	rep.Cities = len(inPanel)
	rep.Rows = n

	out := frame.New(f.Source)
	out.SetFloat("city_code", codes)
	out.SetFloat("year", years)
	name, pname, region := make([]string, n), make([]string, n), make([]string, n)
	pcode, coastal, coastalProv, central := make([]float64, n), make([]float64, n),
		make([]float64, n), make([]float64, n)
	first, batch, treat, post := make([]float64, n), make([]float64, n), make([]float64, n),
		make([]float64, n)
	did, stag, rel := make([]float64, n), make([]float64, n), make([]float64, n)
	b2f := func(b bool) float64 {
		if b {
			return 1
		}
		return 0
	}
	for i := 0; i < n; i++ {
		c, _ := cities.Lookup(int(codes[i]))
		name[i], pname[i], region[i] = c.Name, c.ProvinceName, c.Region4
		pcode[i] = float64(c.ProvinceCode)
		coastal[i], coastalProv[i], central[i] = b2f(c.CoastalCity), b2f(c.CoastalProvince),
			b2f(c.CentralCity)
		post[i] = b2f(years[i] >= 2012)
		rel[i] = math.NaN()
		if pl, ok := pilotOf[int(codes[i])]; ok {
			first[i], batch[i] = float64(pl.Year), float64(pl.Batch)
			treat[i] = b2f(pl.Year == 2012)
			stag[i] = b2f(years[i] >= float64(pl.Year))
			rel[i] = years[i] - float64(pl.Year)
		}
		did[i] = treat[i] * post[i]
	}
	out.SetText("city_name", name)
	out.SetFloat("province_code", pcode)
	out.SetText("province_name", pname)
	out.SetText("region4", region)
	out.SetFloat("coastal", coastal)
	out.SetFloat("coastal_province", coastalProv)
	out.SetFloat("central_city", central)
	out.SetFloat("first_treat", first)
	out.SetFloat("batch", batch)
	out.SetFloat("treat", treat)
	out.SetFloat("post", post)
	out.SetFloat("did", did)
	out.SetFloat("d_staggered", stag)
	out.SetFloat("rel_year", rel)

	out.SetFloat("index", p.Scores.Index)
	for k, d := range p.Scores.Dimensions {
		out.SetFloat("index_"+d, p.Scores.Sub[k])
	}
	for _, v := range p.Scores.Index {
		if math.IsNaN(v) {
			rep.IndexMissing++
		}
	}
	for _, v := range cb.Controls() {
		x, _ := f.Float(v.Name)
		y := append([]float64(nil), x...)
		if v.Transform == "log" {
			bad := 0
			for i, val := range y {
				if val > 0 {
					y[i] = math.Log(val)
				} else if !math.IsNaN(val) {
					y[i] = math.NaN()
					bad++
				}
			}
			if bad > 0 {
				rep.Notes = append(rep.Notes, fmt.Sprintf(
					"%s: %d non-positive values of %s set missing before the log", v.StudyName, bad, v.Name))
			}
		}
		out.SetFloat(v.StudyName, y)
	}
	for _, v := range cb.Indicators() {
		x, _ := f.Float(v.Name)
		if !out.Has(v.StudyName) {
			out.SetFloat(v.StudyName, x)
		}
	}
	rep.Notes = append(rep.Notes, reportNotes(rep)...)
	return out, rep, nil
}

func reportNotes(r *StudyReport) []string {
	var notes []string
	var missing, interp, extrap, unfilled, low, high int
	for _, c := range r.Filled {
		missing += c.Missing
		interp += c.Interpolated
		extrap += c.Extrapolated
		unfilled += c.Unfilled
	}
	for _, c := range r.Clipped {
		low += c.ClippedLow
		high += c.ClippedHigh
	}
	notes = append(notes, fmt.Sprintf(
		"%d cities x %d years = %d rows (%d rows in the file, %d added as missing)",
		r.Cities, r.LastYear-r.FirstYear+1, r.Rows, r.RowsInFile, r.RowsAdded))
	notes = append(notes, fmt.Sprintf("%d missing cells: %d interpolated, %d extrapolated, %d left missing",
		missing, interp, extrap, unfilled))
	notes = append(notes, fmt.Sprintf(
		"winsorized: %d cells raised to the lower bound, %d lowered to the upper bound", low, high))
	if r.IndexMissing > 0 {
		notes = append(notes, fmt.Sprintf("%d rows have no index: an indicator is still missing", r.IndexMissing))
	}
	if len(r.PilotsAbsent) > 0 {
		notes = append(notes, fmt.Sprintf("%d pilot cities of the list have no row in the panel: %v",
			len(r.PilotsAbsent), r.PilotsAbsent))
	}
	return notes
}
