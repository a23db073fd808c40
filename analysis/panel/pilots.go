package panel

import (
	"fmt"
	"sort"
	"strconv"

	"example.org/smartcity/analysis/frame"
)

// Pilot is one city of the pilot list: the batch and the year from which the
// city counts as treated.
type Pilot struct {
	CityCode int
	Batch    int // 1, 2, 3 for the 2012, 2013 and 2015 batches of the study
	Year     int
}

// PilotsFrame returns the pilot list as a frame with columns city_code,
// batch and pilot_year, sorted by city code.
func PilotsFrame(ps []Pilot, source string) *frame.Frame {
	ps = append([]Pilot(nil), ps...)
	sort.Slice(ps, func(a, b int) bool { return ps[a].CityCode < ps[b].CityCode })
	f := frame.New(source)
	c, b, y := make([]float64, len(ps)), make([]float64, len(ps)), make([]float64, len(ps))
	for i, p := range ps {
		c[i], b[i], y[i] = float64(p.CityCode), float64(p.Batch), float64(p.Year)
	}
	f.SetFloat("city_code", c)
	f.SetFloat("batch", b)
	f.SetFloat("pilot_year", y)
	return f
}

// ReadPilots reads a pilot list (CSV or XLSX) with columns city_code, batch
// and pilot_year (other columns, such as city_name, are ignored) and checks
// it: every problem of the file is returned at once in a *ValidationError.
func ReadPilots(path string, cities *Cities, opt ValidateOptions) ([]Pilot, error) {
	f, err := ReadTable(path)
	if err != nil {
		return nil, err
	}
	return PilotsFromFrame(f, cities, opt)
}

// PilotsFromFrame checks a pilot list already read into a frame.
func PilotsFromFrame(f *frame.Frame, cities *Cities, opt ValidateOptions) ([]Pilot, error) {
	y0, y1 := opt.years()
	ve := &ValidationError{Source: f.Source}
	var cols [3][]string
	for k, name := range []string{"city_code", "batch", "pilot_year"} {
		v, err := f.Text(name)
		if err != nil {
			ve.add(Problem{Source: f.Source, Column: name, Kind: MissingColumn,
				Reason: "required column is absent"})
			continue
		}
		cols[k] = v
	}
	if len(ve.Problems) > 0 {
		return nil, ve
	}
	seen := map[int]int{}
	var out []Pilot
	for i := 0; i < f.Len(); i++ {
		line := f.Line(i)
		var p Pilot
		ok := true
		code, err := strconv.Atoi(cols[0][i])
		if err != nil {
			ve.add(Problem{f.Source, line, "city_code", cols[0][i], NotNumeric, "not an integer city code"})
			ok = false
		} else if _, known := cities.Lookup(code); !known {
			ve.add(Problem{f.Source, line, "city_code", cols[0][i], UnknownCity,
				"not in the reference city table"})
			ok = false
		} else if prev, dup := seen[code]; dup {
			ve.add(Problem{f.Source, line, "city_code", cols[0][i], Duplicate,
				fmt.Sprintf("city listed twice (first on line %d)", prev)})
			ok = false
		} else {
			seen[code] = line
		}
		p.CityCode = code
		if p.Batch, err = strconv.Atoi(cols[1][i]); err != nil || p.Batch < 1 {
			ve.add(Problem{f.Source, line, "batch", cols[1][i], NotNumeric, "expected a batch number 1, 2, ..."})
			ok = false
		}
		if p.Year, err = strconv.Atoi(cols[2][i]); err != nil {
			ve.add(Problem{f.Source, line, "pilot_year", cols[2][i], NotNumeric, "not an integer year"})
			ok = false
		} else if p.Year < y0 || p.Year > y1 {
			ve.add(Problem{f.Source, line, "pilot_year", cols[2][i], YearOutOfRange,
				fmt.Sprintf("outside the study years %d-%d", y0, y1)})
			ok = false
		}
		if ok {
			out = append(out, p)
		}
	}
	if len(ve.Problems) > 0 {
		return nil, ve
	}
	sort.Slice(out, func(a, b int) bool { return out[a].CityCode < out[b].CityCode })
	return out, nil
}
