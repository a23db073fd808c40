package panel

import (
	"bytes"
	"fmt"
	"math"
	"strconv"

	"example.org/smartcity/analysis/frame"
	"example.org/smartcity/data"
)

// Dimensions lists the five dimensions of the governance index in the order
// tables show them; the sub-index of dimension d is the study frame column
// "index_" + d.
var Dimensions = []string{"economy", "livelihood", "ecology", "culture", "municipal"}

// Variable is one row of the codebook: an indicator of the governance index
// or a control variable, as a panel file holds it.
type Variable struct {
	Name      string  // column name in the panel file
	Kind      string  // "indicator" or "control"
	Dimension string  // one of Dimensions, for indicators
	Direction int     // +1 (more is better) or -1, for indicators
	Transform string  // "" or "log": how the study frame derives StudyName
	StudyName string  // column name in the study frame
	Unit      string  // unit as the yearbook reports it
	Min, Max  float64 // valid range, inclusive; NaN when open
	Decimals  int     // decimals the synthetic twin writes
	NameZh    string  // yearbook name
	Label     string  // English label for tables and charts
	Table     string  // yearbook and chapter the figure comes from
}

// Codebook is the list of variables of a study panel.
type Codebook struct {
	Source string
	Vars   []Variable
}

// Indicators returns the indicators, in codebook order.
func (c *Codebook) Indicators() []Variable { return c.kind("indicator") }

// Controls returns the control variables, in codebook order.
func (c *Codebook) Controls() []Variable { return c.kind("control") }

func (c *Codebook) kind(k string) []Variable {
	var out []Variable
	for _, v := range c.Vars {
		if v.Kind == k {
			out = append(out, v)
		}
	}
	return out
}

// Lookup returns the variable called name (its panel column name).
func (c *Codebook) Lookup(name string) (Variable, bool) {
	for _, v := range c.Vars {
		if v.Name == name {
			return v, true
		}
	}
	return Variable{}, false
}

// DefaultCodebook returns the codebook embedded in the program
// (data/codebook.csv).
func DefaultCodebook() *Codebook {
	c, err := ParseCodebook(data.Codebook, "data/codebook.csv")
	if err != nil {
		panic("panel: embedded codebook: " + err.Error())
	}
	return c
}

// LoadCodebook reads a codebook with the columns of data/codebook.csv.
func LoadCodebook(path string) (*Codebook, error) {
	f, err := frame.ReadCSV(path)
	if err != nil {
		return nil, err
	}
	return codebookFromFrame(f)
}

// ParseCodebook reads a codebook from CSV bytes; source names it in errors.
func ParseCodebook(b []byte, source string) (*Codebook, error) {
	f, err := frame.ReadCSVFrom(bytes.NewReader(b), source)
	if err != nil {
		return nil, err
	}
	return codebookFromFrame(f)
}

func codebookFromFrame(f *frame.Frame) (*Codebook, error) {
	cols := []string{"variable", "kind", "dimension", "direction", "transform", "study_name",
		"unit", "min", "max", "decimals", "name_zh", "label", "yearbook_table"}
	text := map[string][]string{}
	for _, name := range cols {
		v, err := f.Text(name)
		if err != nil {
			return nil, err
		}
		text[name] = v
	}
	bad := func(i int, col, reason string) error {
		return &frame.CellError{Source: f.Source, Line: f.Line(i), Column: col,
			Value: text[col][i], Reason: reason}
	}
	num := func(i int, col string) (float64, error) {
		s := text[col][i]
		if s == "" {
			return math.NaN(), nil
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return 0, bad(i, col, "not a number")
		}
		return v, nil
	}
	cb := &Codebook{Source: f.Source}
	seen := map[string]bool{}
	perDim := map[string]int{}
	for i := 0; i < f.Len(); i++ {
		v := Variable{Name: text["variable"][i], Kind: text["kind"][i],
			Dimension: text["dimension"][i], Transform: text["transform"][i],
			StudyName: text["study_name"][i], Unit: text["unit"][i], NameZh: text["name_zh"][i],
			Label: text["label"][i], Table: text["yearbook_table"][i]}
		if v.Name == "" || seen[v.Name] || v.Name == "city_code" || v.Name == "year" {
			return nil, bad(i, "variable", "empty, reserved or repeated variable name")
		}
		seen[v.Name] = true
		if v.StudyName == "" {
			v.StudyName = v.Name
		}
		switch v.Kind {
		case "indicator":
			ok := false
			for _, d := range Dimensions {
				ok = ok || d == v.Dimension
			}
			if !ok {
				return nil, bad(i, "dimension", fmt.Sprintf("expected one of %v", Dimensions))
			}
			switch text["direction"][i] {
			case "+":
				v.Direction = 1
			case "-":
				v.Direction = -1
			default:
				return nil, bad(i, "direction", `expected "+" or "-"`)
			}
			perDim[v.Dimension]++
		case "control":
		default:
			return nil, bad(i, "kind", `expected "indicator" or "control"`)
		}
		if v.Transform != "" && v.Transform != "log" {
			return nil, bad(i, "transform", `expected "" or "log"`)
		}
		var err error
		if v.Min, err = num(i, "min"); err != nil {
			return nil, err
		}
		if v.Max, err = num(i, "max"); err != nil {
			return nil, err
		}
		if text["decimals"][i] != "" {
			if v.Decimals, err = strconv.Atoi(text["decimals"][i]); err != nil {
				return nil, bad(i, "decimals", "not an integer")
			}
		}
		cb.Vars = append(cb.Vars, v)
	}
	for _, d := range Dimensions {
		if perDim[d] == 0 {
			return nil, fmt.Errorf("%s: dimension %q has no indicator", f.Source, d)
		}
	}
	return cb, nil
}
