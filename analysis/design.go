package analysis

import (
	"fmt"
	"math"

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
// batches, and describes the rest as dropped for reason.
func selectCities(d *frame.Frame, des Design, batches []int, reason string) (Sample, error) {
	ft, err := d.Float(des.FirstTreat)
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
	in := map[float64]bool{0: true}
	for _, b := range batches {
		in[float64(b)] = true
	}
	s := Sample{DroppedBecause: reason, FirstYear: math.MaxInt, Last: math.MinInt}
	kept, dropped, treated := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for i, g := range ft {
		if math.IsNaN(g) {
			g = 0
		}
		if !in[g] {
			s.DroppedRows++
			dropped[unit[i]] = true
			continue
		}
		s.Rows = append(s.Rows, i)
		kept[unit[i]] = true
		if g != 0 {
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
	if s.ControlCities == 0 {
		return s, fmt.Errorf("%s: no never-pilot city (column %q is 0 nowhere)", d.Source,
			des.FirstTreat)
	}
	return s, nil
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
