package panel

import (
	"bytes"
	"os"
	"testing"

	"example.org/smartcity/analysis/frame"
)

// FuzzLoadCSV feeds arbitrary bytes through the CSV reader, validation and
// the study frame. None may panic; a file that validates must build.
// The seed corpus (good.csv, every bad file, and a few odd shapes) runs in
// the normal test run; go test -fuzz=FuzzLoadCSV explores further.
func FuzzLoadCSV(f *testing.F) {
	for _, p := range []string{"testdata/good.csv", "testdata/bad/missing_column.csv",
		"testdata/bad/missing_key.csv", "testdata/bad/unknown_city.csv",
		"testdata/bad/duplicate_row.csv", "testdata/bad/not_numeric.csv",
		"testdata/bad/impossible_value.csv", "testdata/bad/year_out_of_range.csv",
		"testdata/bad/many_errors.csv"} {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(""))
	f.Add([]byte("city_code,year\n"))
	f.Add([]byte("\ufeffcity_code,year\n130100,2006\n130100,2006.5\n"))
	f.Add([]byte("a,a\n1,2\n"))
	f.Add([]byte("city_code,year\n\"130100\n,2006\n"))
	cb, cities := DefaultCodebook(), ReferenceCities()
	f.Fuzz(func(t *testing.T, b []byte) {
		fr, err := frame.ReadCSVFrom(bytes.NewReader(b), "fuzz.csv")
		if err != nil {
			return
		}
		if err := Validate(fr, cb, cities, ValidateOptions{}); err != nil {
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		if fr.Len() == 0 {
			return
		}
		if _, _, err := Build(Inputs{Panel: fr, Codebook: cb, Cities: cities}, StudyOptions{}); err != nil {
			// Data that validates can still be unusable for the index (a
			// constant indicator); that must be an error, not a panic.
			return
		}
	})
}
