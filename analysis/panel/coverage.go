package panel

import (
	"math"
	"sort"

	"example.org/smartcity/analysis/frame"
)

// VariableCoverage counts the missing cells of one variable.
type VariableCoverage struct {
	Variable string `json:"variable"`
	Missing  int    `json:"missing"`
	Cells    int    `json:"cells"`
}

// Coverage summarizes what a panel file holds: rows, distinct cities and
// years, and missing cells per codebook variable (a cell that is not a
// number counts as missing here; Validate reports it).
type Coverage struct {
	Rows      int                `json:"rows"`
	Cities    int                `json:"cities"`
	Years     int                `json:"years"`
	FirstYear int                `json:"first_year"`
	LastYear  int                `json:"last_year"`
	Variables []VariableCoverage `json:"variables"`
}

// Summarize computes the coverage of f for the codebook's variables that it
// has.
func Summarize(f *frame.Frame, cb *Codebook) Coverage {
	c := Coverage{Rows: f.Len()}
	if codes, err := f.Text("city_code"); err == nil {
		seen := map[string]bool{}
		for _, s := range codes {
			if s != "" {
				seen[s] = true
			}
		}
		c.Cities = len(seen)
	}
	if years, err := f.Text("year"); err == nil {
		seen := map[int]bool{}
		for _, s := range years {
			if v, ok := frame.ParseNumber(s); ok && !math.IsNaN(v) {
				seen[int(v)] = true
			}
		}
		var ys []int
		for y := range seen {
			ys = append(ys, y)
		}
		sort.Ints(ys)
		c.Years = len(ys)
		if len(ys) > 0 {
			c.FirstYear, c.LastYear = ys[0], ys[len(ys)-1]
		}
	}
	for _, v := range cb.Vars {
		col, ok := f.Column(v.Name)
		if !ok {
			continue
		}
		vc := VariableCoverage{Variable: v.Name, Cells: col.Len()}
		for i := 0; i < col.Len(); i++ {
			if col.IsNumeric() {
				if math.IsNaN(col.Num[i]) {
					vc.Missing++
				}
			} else if x, ok := frame.ParseNumber(col.Text[i]); !ok || math.IsNaN(x) {
				vc.Missing++
			}
		}
		c.Variables = append(c.Variables, vc)
	}
	return c
}
