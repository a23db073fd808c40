package analysis

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"example.org/smartcity/analysis/frame"
	"example.org/smartcity/analysis/panel"
)

// Design names the columns of the study frame that the models use. The
// zero value is the study's design on the study frame of package panel:
// the governance index on the pilot dummy did = treat × post, city and
// year fixed effects, errors clustered by city, the codebook's controls.
type Design struct {
	Y          string   // outcome; "" = "index"
	Unit       string   // city identifier; "" = "city_code"
	Time       string   // year; "" = "year"
	Treat      string   // the pilot dummy; "" = "did"
	Group      string   // 1 for cities of the baseline pilot batch; "" = "treat"
	FirstTreat string   // pilot year, 0 for never; "" = "first_treat"
	PilotYear  int      // first year of the baseline batch; 0 = 2012
	Controls   []string // nil = DefaultControls()
	Cluster    string   // "" = Unit
	Level      float64  // confidence level; 0 = 0.95

	// SameProvince keeps as controls only the never-pilot cities of the
	// provinces that have a pilot city of the batches in the sample (the
	// baseline batch, or the batches a model adds), so that pilots are
	// compared with cities of their own provinces. The cities left out are
	// counted in the sample's account. False (the default) keeps every
	// never-pilot city of the frame.
	SameProvince bool
	Province     string // province column for SameProvince; "" = "province_code"
}

// DefaultControls returns the study-frame names of the control variables
// in the embedded codebook (lnpop, fiscal, fdi, industry, finance).
func DefaultControls() []string {
	var out []string
	for _, v := range panel.DefaultCodebook().Controls() {
		out = append(out, v.StudyName)
	}
	return out
}

func (d Design) withDefaults() Design {
	def := func(s *string, v string) {
		if *s == "" {
			*s = v
		}
	}
	def(&d.Y, "index")
	def(&d.Unit, "city_code")
	def(&d.Time, "year")
	def(&d.Treat, "did")
	def(&d.Group, "treat")
	def(&d.FirstTreat, "first_treat")
	def(&d.Cluster, d.Unit)
	def(&d.Province, "province_code")
	if d.PilotYear == 0 {
		d.PilotYear = 2012
	}
	if d.Controls == nil {
		d.Controls = DefaultControls()
	}
	if d.Level == 0 {
		d.Level = 0.95
	}
	return d
}

// Sample is the account of a study sample: which cities it holds and which
// rows of the frame it left out, and why.
type Sample struct {
	Rows            []int // rows of the input frame kept
	Cities          int
	TreatedCities   int
	ControlCities   int
	DroppedRows     int
	DroppedCities   int
	DroppedBecause  string
	FirstYear, Last int

	// OtherProvinceCities and OtherProvinceRows count the never-pilot
	// cities (and their rows) left out by Design.SameProvince because no
	// pilot city of the sample lies in their province; they are part of
	// DroppedCities and DroppedRows.
	OtherProvinceCities, OtherProvinceRows int
}

// Note describes the sample in one line.
func (s Sample) Note() string {
	n := fmt.Sprintf("sample: %d cities (%d pilot, %d never-pilot), years %d-%d",
		s.Cities, s.TreatedCities, s.ControlCities, s.FirstYear, s.Last)
	if s.DroppedCities > 0 {
		n += fmt.Sprintf("; %d cities (%d rows) left out: %s", s.DroppedCities, s.DroppedRows,
			s.DroppedBecause)
	}
	return n
}

// selectCities keeps the cities whose first pilot year is 0 (never) or in
// batches, and describes the rest as dropped for reason. With
// des.SameProvince it then leaves out the never-pilot cities of provinces
// without a kept pilot city; a kept city with no province, or with two,
// is an error naming the line.
func selectCities(d *frame.Frame, des Design, batches []int, reason string) (Sample, error) {
	col, err := d.Float(des.FirstTreat)
	if err != nil {
		return Sample{}, err
	}
	unit, err := d.Text(des.Unit)
	if err != nil {
		return Sample{}, err
	}
	year, err := d.Float(des.Time)
	if err != nil {
		return Sample{}, err
	}

	// A missing first pilot year means never; the frame's column is
	// shared, so the recoding works on a copy.
	ft := make([]float64, len(col))
	for i, g := range col {
		if !math.IsNaN(g) {
			ft[i] = g
		}
	}
	in := map[float64]bool{0: true}
	for _, b := range batches {
		in[float64(b)] = true
	}
	s := Sample{DroppedBecause: reason, FirstYear: math.MaxInt, Last: math.MinInt}
	dropped := map[string]bool{}
	for i, g := range ft {
		if !in[g] {
			s.DroppedRows++
			dropped[unit[i]] = true
			continue
		}
		s.Rows = append(s.Rows, i)
	}
	batchCities, batchRows := len(dropped), s.DroppedRows

	if des.SameProvince {
		kept, other, err := sameProvince(d, des, s.Rows, ft, unit)
		if err != nil {
			return s, err
		}
		s.OtherProvinceRows = len(s.Rows) - len(kept)
		s.OtherProvinceCities = len(other)
		s.Rows = kept
		for u := range other {
			dropped[u] = true
		}
		s.DroppedRows += s.OtherProvinceRows
	}
	if s.OtherProvinceCities > 0 {
		why := fmt.Sprintf("never-pilot cities in provinces (column %q) without a pilot city "+
			"of %s", des.Province, batchNames(batches))
		if batchCities > 0 {
			s.DroppedBecause = fmt.Sprintf("%s (%d cities, %d rows); %s (%d cities, %d rows)",
				reason, batchCities, batchRows, why, s.OtherProvinceCities, s.OtherProvinceRows)
		} else {
			s.DroppedBecause = why
		}
	}

	kept, treated := map[string]bool{}, map[string]bool{}
	for _, i := range s.Rows {
		kept[unit[i]] = true
		if ft[i] != 0 {
			treated[unit[i]] = true
		}
		y := int(year[i])
		s.FirstYear, s.Last = min(s.FirstYear, y), max(s.Last, y)
	}
	s.Cities, s.TreatedCities, s.DroppedCities = len(kept), len(treated), len(dropped)
	s.ControlCities = s.Cities - s.TreatedCities
	if s.TreatedCities == 0 {
		return s, fmt.Errorf("%s: no pilot city of batches %v in column %q", d.Source, batches,
			des.FirstTreat)
	}
	if s.ControlCities == 0 && s.OtherProvinceCities > 0 {
		return s, fmt.Errorf("%s: no never-pilot city in the provinces (column %q) of the pilot "+
			"cities; %d never-pilot cities of other provinces left out", d.Source, des.Province,
			s.OtherProvinceCities)
	}
	if s.ControlCities == 0 {
		return s, fmt.Errorf("%s: no never-pilot city (column %q is 0 nowhere)", d.Source,
			des.FirstTreat)
	}
	return s, nil
}

// sameProvince returns the rows of rows that belong to pilot cities
// (ft != 0) or to never-pilot cities of a province with a pilot city, and
// the never-pilot cities left out.
func sameProvince(d *frame.Frame, des Design, rows []int, ft []float64,
	unit []string) ([]int, map[string]bool, error) {
	prov, err := d.Text(des.Province)
	if err != nil {
		return nil, nil, err
	}
	provOf, lineOf := map[string]string{}, map[string]int{}
	pilotProv := map[string]bool{}
	for _, i := range rows {
		p, u := prov[i], unit[i]
		if p == "" {
			return nil, nil, &frame.CellError{Source: d.Source, Line: d.Line(i),
				Column: des.Province, Value: p, Reason: fmt.Sprintf("city %s has no province; "+
					"same-province controls need one for every city", u)}
		}
		if q, seen := provOf[u]; seen && q != p {
			return nil, nil, &frame.CellError{Source: d.Source, Line: d.Line(i),
				Column: des.Province, Value: p, Reason: fmt.Sprintf("city %s is in province %s "+
					"on line %d", u, q, lineOf[u])}
		}
		provOf[u], lineOf[u] = p, d.Line(i)
		if ft[i] != 0 {
			pilotProv[p] = true
		}
	}
	var kept []int
	other := map[string]bool{}
	for _, i := range rows {
		if ft[i] == 0 && !pilotProv[prov[i]] {
			other[unit[i]] = true
			continue
		}
		kept = append(kept, i)
	}
	return kept, other, nil
}

// batchNames writes "batch 2012" or "batches 2012, 2013".
func batchNames(v []int) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = strconv.Itoa(x)
	}
	if len(v) == 1 {
		return "batch " + s[0]
	}
	return "batches " + strings.Join(s, ", ")
}

// baselineSample keeps the baseline batch and the never-pilot cities.
func baselineSample(d *frame.Frame, des Design) (*frame.Frame, Sample, error) {
	s, err := selectCities(d, des, []int{des.PilotYear},
		"pilots of later batches (neither treated nor clean controls)")
	if err != nil {
		return nil, s, err
	}
	return d.Rows(s.Rows), s, nil
}
