package panel

import (
	"errors"
	"strings"
	"testing"
)

func TestValidateGood(t *testing.T) {
	f, err := ReadTable("testdata/good.csv")
	if err != nil {
		t.Fatal(err)
	}
	if err := Validate(f, DefaultCodebook(), ReferenceCities(), ValidateOptions{}); err != nil {
		t.Fatalf("good.csv: %v", err)
	}
}

// Each file of testdata/bad has one problem of one kind, written by
// testdata/make_testdata.py at the line and column given here.
func TestValidateBadFiles(t *testing.T) {
	cases := []struct {
		file   string
		kind   Kind
		line   int
		column string
		value  string
	}{
		{"missing_column.csv", MissingColumn, 0, "gdp_pc", ""},
		{"missing_key.csv", MissingKey, 3, "city_code", ""},
		{"unknown_city.csv", UnknownCity, 4, "city_code", "999999"},
		{"duplicate_row.csv", Duplicate, 8, "year", "2007"},
		{"not_numeric.csv", NotNumeric, 5, "wage", "12,3a"},
		{"impossible_value.csv", ImpossibleValue, 6, "pop", "-5"},
		{"year_out_of_range.csv", YearOutOfRange, 7, "year", "1999"},
	}
	for _, c := range cases {
		path := "testdata/bad/" + c.file
		f, err := ReadTable(path)
		if err != nil {
			t.Fatalf("%s: %v", c.file, err)
		}
		err = Validate(f, DefaultCodebook(), ReferenceCities(), ValidateOptions{})
		var ve *ValidationError
		if !errors.As(err, &ve) {
			t.Errorf("%s: got %v, want a *ValidationError", c.file, err)
			continue
		}
		if len(ve.Problems) != 1 {
			t.Errorf("%s: %d problems, want 1:\n%v", c.file, len(ve.Problems), err)
			continue
		}
		p := ve.Problems[0]
		if p.Kind != c.kind || p.Line != c.line || p.Column != c.column || p.Value != c.value ||
			p.Source != path {
			t.Errorf("%s: got %+v, want kind %q line %d column %q value %q", c.file, p,
				c.kind, c.line, c.column, c.value)
		}
		msg := err.Error()
		if !strings.Contains(msg, path) || (c.line > 0 && !strings.Contains(msg, "line ")) {
			t.Errorf("%s: message %q does not name the file and line", c.file, msg)
		}
	}
}

// All problems of a file are reported at once, in line order.
func TestValidateReportsAll(t *testing.T) {
	f, err := ReadTable("testdata/bad/many_errors.csv")
	if err != nil {
		t.Fatal(err)
	}
	err = Validate(f, DefaultCodebook(), ReferenceCities(), ValidateOptions{})
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("got %v, want a *ValidationError", err)
	}
	want := []struct {
		line int
		kind Kind
		col  string
	}{{2, ImpossibleValue, "pop"}, {3, NotNumeric, "so2_pc"}, {4, UnknownCity, "city_code"},
		{5, ImpossibleValue, "green_coverage"}}
	if len(ve.Problems) != len(want) {
		t.Fatalf("%d problems, want %d:\n%v", len(ve.Problems), len(want), err)
	}
	for k, w := range want {
		p := ve.Problems[k]
		if p.Line != w.line || p.Kind != w.kind || p.Column != w.col {
			t.Errorf("problem %d: %+v, want line %d %s %s", k, p, w.line, w.kind, w.col)
		}
	}
}

func TestReadPilotsErrors(t *testing.T) {
	dir := t.TempDir()
	path := dir + "/pilots.csv"
	writeFile(t, path, "city_code,batch,pilot_year\n130100,1,2012\n130100,2,2013\n"+
		"999999,1,2012\n130400,x,1990\n")
	_, err := ReadPilots(path, ReferenceCities(), ValidateOptions{})
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("got %v, want a *ValidationError", err)
	}
	if ve.Count(Duplicate) != 1 || ve.Count(UnknownCity) != 1 || ve.Count(NotNumeric) != 1 ||
		ve.Count(YearOutOfRange) != 1 {
		t.Errorf("problems:\n%v", err)
	}
}
