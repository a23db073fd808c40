package panel

import (
	"fmt"
	"math"
	"sort"

	"example.org/smartcity/analysis/clean"
	"example.org/smartcity/analysis/entropy"
	"example.org/smartcity/analysis/frame"
)

// StudyOptions controls cleaning and the index. The zero value is the
// study's design: years 2006-2021; gaps interpolated and extrapolated along
// each city's years; every indicator and control winsorized at the 1st and
// 99th percentiles of the pooled sample with Stata's quantile rule; entropy
// weights pooled over all city-years with no shift.
type StudyOptions struct {
	FirstYear, LastYear int // 0 means 2006 and 2021

	NoFill bool                // leave gaps missing
	Fill   clean.FillOptions   // how to fill them
	NoClip bool                // skip winsorization
	Winsor clean.WinsorOptions // ByGroup clips within each year

	Index       entropy.Options
	IndexByYear bool // fit weights (and min-max scaling) year by year

	Codebook *Codebook // nil means the source's, else the embedded one
}

func (o StudyOptions) years() (int, int) {
	a, b := o.FirstYear, o.LastYear
	if a == 0 {
		a = 2006
	}
	if b == 0 {
		b = 2021
	}
	return a, b
}

// FillCount says how many cells of one variable gap filling changed.
type FillCount struct {
	Variable     string
	Missing      int // missing before filling (including rows added)
	Interpolated int
	Extrapolated int
	Bounded      int // filled values moved into the codebook's valid range
	Unfilled     int // still missing: fewer than two observations, or no extrapolation
}

// ClipCount says how winsorization changed one variable.
type ClipCount struct {
	Variable    string
	Low, High   float64 // pooled bounds; NaN when clipped year by year
	ClippedLow  int
	ClippedHigh int
}

// Prepared is a cleaned panel together with everything needed to clean and
// score another panel of the same shape the same way: the winsorizing
// bounds and the index model(s).
type Prepared struct {
	// Frame has city_code, year and the codebook's variables, cleaned, one
	// row per city and study year, sorted by city and year.
	Frame    *frame.Frame
	Codebook *Codebook
	Options  StudyOptions
	Bounds   map[string][]clean.Bounds // by variable
	Models   []*entropy.Model          // one pooled model, or one per year
	Years    []int                     // the years of Models when by year
	Scores   entropy.Scores

	RowsAdded   int // city-years absent from the input, added as missing
	Filled      []FillCount
	Clipped     []ClipCount
	FilledCells []FilledCell // every filled cell, sorted by city, year, variable
}

// FilledCell is one cell that gap filling wrote.
type FilledCell struct {
	City, Year int
	Variable   string
	Method     clean.Method
	Value      float64
	Bounded    bool
}

// Prepare cleans a validated panel (numeric city_code, year and codebook
// columns; see Validate) and fits the index. The panel is made rectangular
// over its cities and the study years: an absent city-year becomes a row of
// missing cells, counted in RowsAdded. Rows outside the study years are an
// error (Validate reports them first).
func Prepare(raw *frame.Frame, cb *Codebook, opt StudyOptions) (*Prepared, error) {
	p := &Prepared{Codebook: cb, Options: opt, Bounds: map[string][]clean.Bounds{}}
	f, added, err := rectangle(raw, cb, opt)
	if err != nil {
		return nil, err
	}
	p.Frame, p.RowsAdded = f, added

	if err := p.fill(f); err != nil {
		return nil, err
	}

	years, _ := f.Float("year")
	group := yearGroups(years)
	for _, v := range cb.Vars {
		x, _ := f.Float(v.Name)
		cc := ClipCount{Variable: v.Name, Low: math.NaN(), High: math.NaN()}
		if !opt.NoClip {
			b := clean.Winsorize(x, group, opt.Winsor)
			p.Bounds[v.Name] = b
			for _, bb := range b {
				cc.ClippedLow += bb.ClippedLow
				cc.ClippedHigh += bb.ClippedHigh
			}
			if len(b) == 1 && b[0].Group == -1 {
				cc.Low, cc.High = b[0].Low, b[0].High
			}
		}
		p.Clipped = append(p.Clipped, cc)
	}

	if err := p.fitIndex(f); err != nil {
		return nil, err
	}
	p.Scores = p.score(f)
	return p, nil
}

func yearGroups(years []float64) []int {
	g := make([]int, len(years))
	for i, y := range years {
		g[i] = int(y)
	}
	return g
}

// rectangle returns the panel as one row per city and study year, sorted,
// with city_code, year and the codebook's variables only.
func rectangle(raw *frame.Frame, cb *Codebook, opt StudyOptions) (*frame.Frame, int, error) {
	y0, y1 := opt.years()
	codes, err := raw.Float("city_code")
	if err != nil {
		return nil, 0, err
	}
	years, err := raw.Float("year")
	if err != nil {
		return nil, 0, err
	}
	src := make([][]float64, len(cb.Vars))
	for k, v := range cb.Vars {
		if src[k], err = raw.Float(v.Name); err != nil {
			return nil, 0, err
		}
	}
	T := y1 - y0 + 1
	cityPos := map[int]int{}
	var cities []int
	for _, c := range codes {
		if _, ok := cityPos[int(c)]; !ok {
			cityPos[int(c)] = 0
			cities = append(cities, int(c))
		}
	}
	sort.Ints(cities)
	for k, c := range cities {
		cityPos[c] = k
	}
	n := len(cities) * T
	out := frame.New(raw.Source)
	cc, yy := make([]float64, n), make([]float64, n)
	for k, c := range cities {
		for t := 0; t < T; t++ {
			cc[k*T+t], yy[k*T+t] = float64(c), float64(y0+t)
		}
	}
	cols := make([][]float64, len(cb.Vars))
	for k := range cols {
		cols[k] = make([]float64, n)
		for i := range cols[k] {
			cols[k][i] = math.NaN()
		}
	}
	seen := make([]bool, n)
	for i := range codes {
		y := int(years[i])
		if y < y0 || y > y1 || float64(y) != years[i] {
			return nil, 0, &frame.CellError{Source: raw.Source, Line: raw.Line(i), Column: "year",
				Value:  frame.FormatNumber(years[i]),
				Reason: fmt.Sprintf("outside the study years %d-%d", y0, y1)}
		}
		r := cityPos[int(codes[i])]*T + y - y0
		if seen[r] {
			return nil, 0, &frame.CellError{Source: raw.Source, Line: raw.Line(i), Column: "year",
				Value: frame.FormatNumber(years[i]), Reason: "duplicate city-year row"}
		}
		seen[r] = true
		for k := range cols {
			cols[k][r] = src[k][i]
		}
	}
	added := 0
	for _, s := range seen {
		if !s {
			added++
		}
	}
	out.SetFloat("city_code", cc)
	out.SetFloat("year", yy)
	for k, v := range cb.Vars {
		out.SetFloat(v.Name, cols[k])
	}
	return out, added, nil
}

func (p *Prepared) fill(f *frame.Frame) error {
	y0, y1 := p.Options.years()
	T := y1 - y0 + 1
	n := f.Len()
	codes, _ := f.Float("city_code")
	t := make([]float64, T)
	for k := range t {
		t[k] = float64(y0 + k)
	}
	for _, v := range p.Codebook.Vars {
		x, _ := f.Float(v.Name)
		fc := FillCount{Variable: v.Name}
		for _, val := range x {
			if math.IsNaN(val) {
				fc.Missing++
			}
		}
		if !p.Options.NoFill {
			for start := 0; start < n; start += T {
				for _, fl := range clean.FillSeries(t, x[start:start+T], v.Min, v.Max, p.Options.Fill) {
					switch fl.Method {
					case clean.Interpolated:
						fc.Interpolated++
					case clean.Extrapolated:
						fc.Extrapolated++
					}
					if fl.Bounded {
						fc.Bounded++
					}
					p.FilledCells = append(p.FilledCells, FilledCell{City: int(codes[start]),
						Year: y0 + fl.Index, Variable: v.Name, Method: fl.Method,
						Value: fl.Value, Bounded: fl.Bounded})
				}
			}
		}
		for _, val := range x {
			if math.IsNaN(val) {
				fc.Unfilled++
			}
		}
		p.Filled = append(p.Filled, fc)
	}
	order := map[string]int{}
	for k, v := range p.Codebook.Vars {
		order[v.Name] = k
	}
	sort.SliceStable(p.FilledCells, func(a, b int) bool {
		x, y := p.FilledCells[a], p.FilledCells[b]
		if x.City != y.City {
			return x.City < y.City
		}
		if x.Year != y.Year {
			return x.Year < y.Year
		}
		return order[x.Variable] < order[y.Variable]
	})
	return nil
}

func (p *Prepared) indicators() ([]entropy.Indicator, []string) {
	var ind []entropy.Indicator
	var names []string
	for _, v := range p.Codebook.Indicators() {
		ind = append(ind, entropy.Indicator{Name: v.Name, Dimension: v.Dimension,
			Direction: v.Direction})
		names = append(names, v.Name)
	}
	return ind, names
}

func columns(f *frame.Frame, names []string) [][]float64 {
	cols := make([][]float64, len(names))
	for j, n := range names {
		cols[j], _ = f.Float(n)
	}
	return cols
}

func (p *Prepared) fitIndex(f *frame.Frame) error {
	ind, names := p.indicators()
	cols := columns(f, names)
	if !p.Options.IndexByYear {
		m, err := entropy.Fit(cols, ind, p.Options.Index)
		if err != nil {
			return err
		}
		p.Models = []*entropy.Model{m}
		return nil
	}
	y0, y1 := p.Options.years()
	years, _ := f.Float("year")
	for y := y0; y <= y1; y++ {
		sub := subset(cols, years, y)
		m, err := entropy.Fit(sub, ind, p.Options.Index)
		if err != nil {
			return fmt.Errorf("year %d: %w", y, err)
		}
		p.Models = append(p.Models, m)
		p.Years = append(p.Years, y)
	}
	return nil
}

func subset(cols [][]float64, years []float64, y int) [][]float64 {
	out := make([][]float64, len(cols))
	for j, c := range cols {
		for i, v := range c {
			if int(years[i]) == y {
				out[j] = append(out[j], v)
			}
		}
	}
	return out
}

// score computes the index of every row of f (a frame shaped like p.Frame)
// with p's models.
func (p *Prepared) score(f *frame.Frame) entropy.Scores {
	_, names := p.indicators()
	cols := columns(f, names)
	if len(p.Years) == 0 {
		return p.Models[0].Score(cols)
	}
	years, _ := f.Float("year")
	n := f.Len()
	dims := p.Models[0].Dimensions()
	s := entropy.Scores{Index: make([]float64, n), Dimensions: dims, Sub: make([][]float64, len(dims))}
	for k := range s.Sub {
		s.Sub[k] = make([]float64, n)
	}
	for k, y := range p.Years {
		var rows []int
		for i := range years {
			if int(years[i]) == y {
				rows = append(rows, i)
			}
		}
		sub := make([][]float64, len(cols))
		for j := range cols {
			sub[j] = make([]float64, len(rows))
			for r, i := range rows {
				sub[j][r] = cols[j][i]
			}
		}
		sc := p.Models[k].Score(sub)
		for r, i := range rows {
			s.Index[i] = sc.Index[r]
			for d := range dims {
				s.Sub[d][i] = sc.Sub[d][r]
			}
		}
	}
	return s
}

// Reapply cleans another raw panel of the same cities and years the way p
// was cleaned, with p's winsorizing bounds held fixed (not recomputed), and
// scores it with p's index model(s). It returns the cleaned frame and the
// scores. The synthetic twin uses it to put its potential-outcome panels on
// the observed panel's index scale.
func (p *Prepared) Reapply(raw *frame.Frame) (*frame.Frame, entropy.Scores, error) {
	q := &Prepared{Codebook: p.Codebook, Options: p.Options}
	f, _, err := rectangle(raw, p.Codebook, p.Options)
	if err != nil {
		return nil, entropy.Scores{}, err
	}
	if f.Len() != p.Frame.Len() {
		return nil, entropy.Scores{}, fmt.Errorf("panel: reapplying cleaning to %d rows, fitted on %d",
			f.Len(), p.Frame.Len())
	}
	if err := q.fill(f); err != nil {
		return nil, entropy.Scores{}, err
	}
	years, _ := f.Float("year")
	group := yearGroups(years)
	for _, v := range p.Codebook.Vars {
		if b, ok := p.Bounds[v.Name]; ok {
			x, _ := f.Float(v.Name)
			clean.ApplyWinsor(x, group, b)
		}
	}
	return f, p.score(f), nil
}
