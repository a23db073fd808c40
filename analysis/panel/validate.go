package panel

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"example.org/smartcity/analysis/frame"
)

// Kind classifies a validation problem.
type Kind string

// The kinds of problem Validate reports.
const (
	MissingColumn   Kind = "missing column"
	MissingKey      Kind = "missing key"
	UnknownCity     Kind = "unknown city"
	Duplicate       Kind = "duplicate row"
	NotNumeric      Kind = "not numeric"
	ImpossibleValue Kind = "impossible value"
	YearOutOfRange  Kind = "year out of range"
)

// Problem is one thing wrong with an input file. Line is the 1-based line
// of a CSV file or row of an XLSX sheet (0 for a problem of the whole
// column); Column is the header name.
type Problem struct {
	Source string
	Line   int
	Column string
	Value  string
	Kind   Kind
	Reason string
}

func (p Problem) String() string {
	if p.Line == 0 {
		return fmt.Sprintf("%s: column %q: %s: %s", p.Source, p.Column, p.Kind, p.Reason)
	}
	return fmt.Sprintf("%s: line %d, column %q: value %q: %s: %s",
		p.Source, p.Line, p.Column, p.Value, p.Kind, p.Reason)
}

// ValidationError lists every problem found in one file.
type ValidationError struct {
	Source   string
	Problems []Problem
}

func (e *ValidationError) add(p Problem) { e.Problems = append(e.Problems, p) }

// Error lists all the problems, one per line.
func (e *ValidationError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d problem(s)", e.Source, len(e.Problems))
	for _, p := range e.Problems {
		b.WriteString("\n  ")
		b.WriteString(p.String())
	}
	return b.String()
}

// Count returns the number of problems of kind k.
func (e *ValidationError) Count(k Kind) int {
	n := 0
	for _, p := range e.Problems {
		if p.Kind == k {
			n++
		}
	}
	return n
}

// ValidateOptions sets the study years. The zero value means 2006-2021.
type ValidateOptions struct {
	FirstYear, LastYear int
}

func (o ValidateOptions) years() (int, int) {
	return StudyOptions{FirstYear: o.FirstYear, LastYear: o.LastYear}.years()
}

// Validate checks a panel read by ReadTable against the codebook and the
// reference city table: the key columns city_code and year and every
// codebook variable must be present; every city code must be in the
// reference table; each city-year must appear once; years must lie in the
// study range; every variable cell must be a number or missing (empty, NA,
// "."), and within the codebook's valid range (no negative population).
// It returns nil or a *ValidationError listing all problems in file order.
// Columns not in the codebook are allowed and ignored.
func Validate(f *frame.Frame, cb *Codebook, cities *Cities, opt ValidateOptions) error {
	y0, y1 := opt.years()
	ve := &ValidationError{Source: f.Source}
	need := []string{"city_code", "year"}
	for _, v := range cb.Vars {
		need = append(need, v.Name)
	}
	for _, name := range need {
		if !f.Has(name) {
			ve.add(Problem{Source: f.Source, Column: name, Kind: MissingColumn,
				Reason: "required column is absent (see data/codebook.csv)"})
		}
	}

	var rowProblems []Problem
	add := func(i int, col, val string, k Kind, reason string) {
		rowProblems = append(rowProblems, Problem{f.Source, f.Line(i), col, val, k, reason})
	}
	codes, _ := textOrNil(f, "city_code")
	years, _ := textOrNil(f, "year")
	first := map[[2]int]int{}
	for i := 0; i < f.Len(); i++ {
		code, year := -1, -1
		if codes != nil {
			s := codes[i]
			if s == "" {
				add(i, "city_code", s, MissingKey, "every row needs a city code")
			} else if c, err := strconv.Atoi(s); err != nil {
				add(i, "city_code", s, NotNumeric, "expected a six-digit GB/T 2260 code")
			} else if _, ok := cities.Lookup(c); !ok {
				add(i, "city_code", s, UnknownCity, "not in the reference city table")
			} else {
				code = c
			}
		}
		if years != nil {
			s := years[i]
			if s == "" {
				add(i, "year", s, MissingKey, "every row needs a year")
			} else if y, err := strconv.Atoi(s); err != nil {
				add(i, "year", s, NotNumeric, "expected an integer year")
			} else if y < y0 || y > y1 {
				add(i, "year", s, YearOutOfRange, fmt.Sprintf("outside the study years %d-%d", y0, y1))
			} else {
				year = y
			}
		}
		if code >= 0 && year >= 0 {
			k := [2]int{code, year}
			if l, dup := first[k]; dup {
				add(i, "year", years[i], Duplicate,
					fmt.Sprintf("city %d, year %d already on line %d", code, year, l))
			} else {
				first[k] = f.Line(i)
			}
		}
	}

	for _, v := range cb.Vars {
		c, ok := f.Column(v.Name)
		if !ok {
			continue
		}
		for i := 0; i < c.Len(); i++ {
			var x float64
			var s string
			if c.IsNumeric() {
				x = c.Num[i]
				s = frame.FormatNumber(x)
			} else {
				s = c.Text[i]
				var okNum bool
				if x, okNum = frame.ParseNumber(s); !okNum {
					add(i, v.Name, s, NotNumeric, "expected a number, or empty for missing")
					continue
				}
			}
			if math.IsNaN(x) {
				continue
			}
			if !math.IsNaN(v.Min) && x < v.Min || !math.IsNaN(v.Max) && x > v.Max {
				add(i, v.Name, s, ImpossibleValue,
					fmt.Sprintf("outside the valid range %s of %s", rangeText(v.Min, v.Max), v.Unit))
			}
		}
	}

	sort.SliceStable(rowProblems, func(a, b int) bool { return rowProblems[a].Line < rowProblems[b].Line })
	ve.Problems = append(ve.Problems, rowProblems...)
	if len(ve.Problems) == 0 {
		return nil
	}
	return ve
}

func rangeText(lo, hi float64) string {
	a, b := "-inf", "inf"
	if !math.IsNaN(lo) {
		a = frame.FormatNumber(lo)
	}
	if !math.IsNaN(hi) {
		b = frame.FormatNumber(hi)
	}
	return "[" + a + ", " + b + "]"
}

func textOrNil(f *frame.Frame, name string) ([]string, error) {
	if !f.Has(name) {
		return nil, nil
	}
	return f.Text(name)
}
