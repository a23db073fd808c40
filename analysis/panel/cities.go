package panel

import (
	"bytes"
	"fmt"
	"sort"
	"strconv"

	"example.org/smartcity/analysis/frame"
	"example.org/smartcity/data"
)

// City is one row of the reference table of Chinese prefecture-level units
// (data/reference/cities.csv, 2021-22 boundaries).
type City struct {
	Code              int    // GB/T 2260 six-digit code, e.g. 130100
	Name              string // Chinese name
	ProvinceCode      int
	ProvinceName      string
	UnitType          string // 直辖市, 地级市, 自治州, 地区 or 盟
	Region4           string // East, Central, West or Northeast
	CoastalProvince   bool
	CoastalCity       bool // sea-adjacent city
	ProvincialCapital bool
	SubProvincial     bool
	Municipality      bool
	CentralCity       bool // provincial capital or sub-provincial city
}

// Regions lists the four NBS regions in the order tables show them.
var Regions = []string{"East", "Central", "West", "Northeast"}

// Cities is a reference table indexed by city code.
type Cities struct {
	List   []City // sorted by code
	byCode map[int]int
}

// Lookup returns the city with the given code.
func (c *Cities) Lookup(code int) (City, bool) {
	i, ok := c.byCode[code]
	if !ok {
		return City{}, false
	}
	return c.List[i], true
}

// ReferenceCities returns the reference table embedded in the program
// (data/reference/cities.csv).
func ReferenceCities() *Cities {
	c, err := ParseCities(data.Cities, "data/reference/cities.csv")
	if err != nil {
		panic("panel: embedded city table: " + err.Error())
	}
	return c
}

// LoadCities reads a reference table with the columns of
// data/reference/cities.csv.
func LoadCities(path string) (*Cities, error) {
	f, err := frame.ReadCSV(path)
	if err != nil {
		return nil, err
	}
	return citiesFromFrame(f)
}

// ParseCities reads a reference table from CSV bytes; source names it in
// errors.
func ParseCities(b []byte, source string) (*Cities, error) {
	f, err := frame.ReadCSVFrom(bytes.NewReader(b), source)
	if err != nil {
		return nil, err
	}
	return citiesFromFrame(f)
}

func citiesFromFrame(f *frame.Frame) (*Cities, error) {
	text := map[string][]string{}
	for _, name := range []string{"city_code", "city_name", "province_code", "province_name",
		"unit_type", "region4", "coastal_province", "coastal_city", "provincial_capital",
		"sub_provincial", "municipality", "central_city"} {
		v, err := f.Text(name)
		if err != nil {
			return nil, err
		}
		text[name] = v
	}
	flag := func(col string, i int) (bool, error) {
		switch text[col][i] {
		case "0":
			return false, nil
		case "1":
			return true, nil
		}
		return false, &frame.CellError{Source: f.Source, Line: f.Line(i), Column: col,
			Value: text[col][i], Reason: "expected 0 or 1"}
	}
	code := func(col string, i int) (int, error) {
		v, err := strconv.Atoi(text[col][i])
		if err != nil || v < 100000 || v > 999999 {
			return 0, &frame.CellError{Source: f.Source, Line: f.Line(i), Column: col,
				Value: text[col][i], Reason: "expected a six-digit code"}
		}
		return v, nil
	}
	out := &Cities{byCode: map[int]int{}}
	for i := 0; i < f.Len(); i++ {
		var c City
		var err error
		if c.Code, err = code("city_code", i); err != nil {
			return nil, err
		}
		if c.ProvinceCode, err = code("province_code", i); err != nil {
			return nil, err
		}
		c.Name, c.ProvinceName = text["city_name"][i], text["province_name"][i]
		c.UnitType, c.Region4 = text["unit_type"][i], text["region4"][i]
		okRegion := false
		for _, r := range Regions {
			okRegion = okRegion || r == c.Region4
		}
		if !okRegion {
			return nil, &frame.CellError{Source: f.Source, Line: f.Line(i), Column: "region4",
				Value: c.Region4, Reason: fmt.Sprintf("expected one of %v", Regions)}
		}
		for _, p := range []struct {
			col string
			dst *bool
		}{{"coastal_province", &c.CoastalProvince}, {"coastal_city", &c.CoastalCity},
			{"provincial_capital", &c.ProvincialCapital}, {"sub_provincial", &c.SubProvincial},
			{"municipality", &c.Municipality}, {"central_city", &c.CentralCity}} {
			if *p.dst, err = flag(p.col, i); err != nil {
				return nil, err
			}
		}
		if _, dup := out.byCode[c.Code]; dup {
			return nil, &frame.CellError{Source: f.Source, Line: f.Line(i), Column: "city_code",
				Value: text["city_code"][i], Reason: "city code appears twice"}
		}
		out.byCode[c.Code] = len(out.List)
		out.List = append(out.List, c)
	}
	sort.Slice(out.List, func(a, b int) bool { return out.List[a].Code < out.List[b].Code })
	for i, c := range out.List {
		out.byCode[c.Code] = i
	}
	return out, nil
}
