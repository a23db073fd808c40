package panel

import (
	"archive/zip"
	"bytes"
	"math"
	"os"
	"testing"
)

func writeFile(t *testing.T, path, s string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// Writing a panel as XLSX and reading it back gives the same frame.
func TestXLSXRoundTrip(t *testing.T) {
	f, err := ReadTable("testdata/good.csv")
	if err != nil {
		t.Fatal(err)
	}
	wage, _ := f.Float("wage")
	wage[1] = math.NaN() // a missing cell is an absent cell
	var b bytes.Buffer
	if err := WriteXLSX(&b, f); err != nil {
		t.Fatal(err)
	}
	g, err := ReadXLSX(b.Bytes(), "good.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	if g.Len() != f.Len() || len(g.Names()) != len(f.Names()) {
		t.Fatalf("read back %d rows, %d columns; want %d, %d", g.Len(), len(g.Names()), f.Len(), len(f.Names()))
	}
	for _, n := range f.Names() {
		x, _ := f.Float(n)
		y, err := g.Float(n)
		if err != nil {
			t.Fatal(err)
		}
		for i := range x {
			if x[i] != y[i] && !(math.IsNaN(x[i]) && math.IsNaN(y[i])) {
				t.Errorf("%s row %d: %v, want %v", n, i, y[i], x[i])
			}
		}
	}
	if g.Line(0) != 2 {
		t.Errorf("first data row has line %d, want sheet row 2", g.Line(0))
	}
	var c bytes.Buffer
	if err := WriteXLSX(&c, f); err != nil || !bytes.Equal(b.Bytes(), c.Bytes()) {
		t.Error("writing the same frame twice gives different bytes")
	}
}

// testdata/excel_style.xlsx is a hand-written workbook in the shape Excel
// saves (see make_xlsx.py): shared strings, a rich-text string, an inline
// string, a boolean, a formula with a cached value, a skipped empty row, a
// sparse row and a sheet that is not sheet1.xml.
func TestReadExcelStyle(t *testing.T) {
	f, err := ReadTable("testdata/excel_style.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"city_code": {"130100", "130400", "130400"},
		"year":      {"2006", "2006", "2007"},
		"name":      {"石家庄市", "邯郸 city", "inline"},
		"flag":      {"1", "0", ""},
		"gdp_pc":    {"35542", "2.5", ""},
	}
	for col, w := range want {
		got, err := f.Text(col)
		if err != nil {
			t.Fatalf("%s: %v", col, err)
		}
		for i := range w {
			if got[i] != w[i] {
				t.Errorf("%s row %d: %q, want %q", col, i, got[i], w[i])
			}
		}
	}
	if f.Line(2) != 5 {
		t.Errorf("third data row comes from sheet row %d, want 5 (row 4 is empty)", f.Line(2))
	}
}

func TestReadXLSXErrors(t *testing.T) {
	if _, err := ReadXLSX([]byte("not a zip"), "x.xlsx"); err == nil {
		t.Error("garbage accepted")
	}
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	zw.Create("hello.txt")
	zw.Close()
	if _, err := ReadXLSX(b.Bytes(), "x.xlsx"); err == nil {
		t.Error("zip without a workbook accepted")
	}
	if _, err := ReadTable("x.ods"); err == nil {
		t.Error("unknown extension accepted")
	}
}
