package frame

import (
	"fmt"
	"math"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"
)

// DataFrame returns the frame as a gota DataFrame, for the filtering,
// sorting and summaries (Describe) that gota offers in a notebook. Numeric
// columns become float series with NaN for missing cells, text columns
// string series with "" for missing ones. The data are copied. A frame with
// no column gives a DataFrame whose Err says so, as gota's own constructor
// does.
func (f *Frame) DataFrame() dataframe.DataFrame {
	cols := make([]series.Series, len(f.cols))
	for j, c := range f.cols {
		if c.IsNumeric() {
			cols[j] = series.New(c.Num, series.Float, c.Name)
		} else {
			cols[j] = series.New(c.Text, series.String, c.Name)
		}
	}
	return dataframe.New(cols...)
}

// FromDataFrame builds a frame from a gota DataFrame; source names it in
// error messages. Float and int series become numeric columns (a missing
// element becomes NaN), bool series numeric 0/1 columns, string series text
// columns (a missing element becomes ""). A DataFrame carrying an error
// returns that error.
func FromDataFrame(df dataframe.DataFrame, source string) (*Frame, error) {
	if df.Err != nil {
		return nil, fmt.Errorf("%s: %w", source, df.Err)
	}
	f := New(source)
	f.n = df.Nrow()
	for _, name := range df.Names() {
		s := df.Col(name)
		na := s.IsNaN()
		switch s.Type() {
		case series.Float, series.Int, series.Bool:
			v := s.Float()
			for i, missing := range na {
				if missing {
					v[i] = math.NaN()
				}
			}
			f.SetFloat(name, v)
		default:
			v := s.Records()
			for i, missing := range na {
				if missing {
					v[i] = ""
				}
			}
			f.SetText(name, v)
		}
	}
	return f, nil
}
