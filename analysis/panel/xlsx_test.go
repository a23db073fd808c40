package panel

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
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

// Column letters are base-26 without a zero digit: Z is column 26, AA 27,
// XFD (Excel's last) 16384 (ECMA-376 Part 1, 18.3.1.4, cell reference).
func TestColumnIndex(t *testing.T) {
	for ref, want := range map[string]int{"A1": 0, "Z9": 25, "AA2": 26, "AZ3": 51, "BA1": 52,
		"ZZ1": 701, "AAA1": 702, "XFD1048576": 16383} {
		got, err := columnIndex(ref)
		if err != nil || got != want {
			t.Errorf("columnIndex(%q) = %d, %v; want %d", ref, got, err, want)
		}
	}
	for _, ref := range []string{"1", "", "XFE1", "a1"} {
		if _, err := columnIndex(ref); err == nil {
			t.Errorf("columnIndex(%q) accepted", ref)
		}
	}
}

// A sparse row whose cells skip columns past Z lands each value under its
// own header; a cell without a reference follows the previous cell.
func TestReadXLSXWideSparse(t *testing.T) {
	var hdr, data strings.Builder
	for k := 0; k < 28; k++ { // A..AB
		ref := string(rune('A' + k%26))
		if k >= 26 {
			ref = "A" + ref
		}
		fmt.Fprintf(&hdr, `<c r="%s1" t="inlineStr"><is><t>v%d</t></is></c>`, ref, k)
	}
	data.WriteString(`<c r="A2"><v>1</v></c><c r="Z2"><v>26</v></c><c><v>27</v></c>` +
		`<c r="AB2"><v>28</v></c>`)
	b := workbook(t, `<row r="1">`+hdr.String()+`</row><row r="2">`+data.String()+`</row>`)
	f, err := ReadXLSX(b, "wide.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	for col, want := range map[string]string{"v0": "1", "v1": "", "v24": "", "v25": "26",
		"v26": "27", "v27": "28"} {
		got, err := f.Text(col)
		if err != nil || got[0] != want {
			t.Errorf("%s: %q (%v), want %q", col, got, err, want)
		}
	}
}

// workbook zips a minimal workbook whose only sheet holds sheetData.
func workbook(t *testing.T, sheetData string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	files := []struct{ name, body string }{
		{"xl/workbook.xml", `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ` +
			`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
			`<sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<Relationships><Relationship Id="rId1" ` +
			`Target="worksheets/sheet1.xml"/></Relationships>`},
		{"xl/worksheets/sheet1.xml", `<worksheet><sheetData>` + sheetData +
			`</sheetData></worksheet>`},
	}
	for _, f := range files {
		w, err := zw.Create(f.name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, f.body); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
