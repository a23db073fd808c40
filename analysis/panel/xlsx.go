package panel

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"

	"example.org/smartcity/analysis/frame"
)

// ReadXLSX reads the first worksheet of an Office Open XML workbook (the
// .xlsx format of Excel and LibreOffice) held in b. Row 1 is the header;
// empty rows are skipped; a row's line is its sheet row number. Cells may
// be numbers, shared strings, inline strings or booleans; formulas are read
// through their cached values. source names the file in errors.
//
// BUG(panel): dates stored as Excel serial numbers are read as numbers, and
// only the first worksheet is read.
func ReadXLSX(b []byte, source string) (*frame.Frame, error) {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, fmt.Errorf("%s: not an xlsx workbook: %w", source, err)
	}
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		files[f.Name] = f
	}
	sheet, err := firstSheet(files)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", source, err)
	}
	var shared []string
	if f, ok := files["xl/sharedStrings.xml"]; ok {
		if shared, err = readShared(f); err != nil {
			return nil, fmt.Errorf("%s: shared strings: %w", source, err)
		}
	}
	sf, ok := files[sheet]
	if !ok {
		return nil, fmt.Errorf("%s: worksheet %s is missing from the archive", source, sheet)
	}
	rows, lines, err := readSheet(sf, shared)
	if err != nil {
		return nil, fmt.Errorf("%s: %s: %w", source, sheet, err)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("%s: empty worksheet, expected a header row", source)
	}
	if lines[0] != 1 {
		return nil, fmt.Errorf("%s: the header must be on row 1, the first row is %d", source, lines[0])
	}
	header := rows[0]
	for k, r := range rows[1:] {
		if len(r) > len(header) {
			for _, s := range r[len(header):] {
				if strings.TrimSpace(s) != "" {
					return nil, fmt.Errorf("%s: row %d: %d cells, the header has %d",
						source, lines[k+1], len(r), len(header))
				}
			}
		}
	}
	return fromRecords(source, header, rows[1:], lines[1:])
}

type xmlRel struct {
	ID     string `xml:"Id,attr"`
	Target string `xml:"Target,attr"`
}

// firstSheet returns the archive path of the workbook's first sheet.
func firstSheet(files map[string]*zip.File) (string, error) {
	var wb struct {
		Sheets []struct {
			RID string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	f, ok := files["xl/workbook.xml"]
	if !ok {
		return "", fmt.Errorf("xl/workbook.xml is missing: not an xlsx workbook")
	}
	if err := decodeXML(f, &wb); err != nil {
		return "", fmt.Errorf("xl/workbook.xml: %w", err)
	}
	if len(wb.Sheets) == 0 {
		return "", fmt.Errorf("the workbook has no sheet")
	}
	var rels struct {
		Rels []xmlRel `xml:"Relationship"`
	}
	if rf, ok := files["xl/_rels/workbook.xml.rels"]; ok {
		if err := decodeXML(rf, &rels); err != nil {
			return "", fmt.Errorf("xl/_rels/workbook.xml.rels: %w", err)
		}
	}
	for _, r := range rels.Rels {
		if r.ID == wb.Sheets[0].RID {
			t := r.Target
			if strings.HasPrefix(t, "/") {
				return strings.TrimPrefix(t, "/"), nil
			}
			return path.Join("xl", t), nil
		}
	}
	return "xl/worksheets/sheet1.xml", nil
}

func decodeXML(f *zip.File, v any) error {
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	return xml.NewDecoder(rc).Decode(v)
}

// xmlText is a string item of the shared-string table or an inline string:
// plain text in <t>, or rich text runs <r><t>.
type xmlText struct {
	T    string `xml:"t"`
	Runs []struct {
		T string `xml:"t"`
	} `xml:"r"`
}

func (x xmlText) String() string {
	if len(x.Runs) == 0 {
		return x.T
	}
	var b strings.Builder
	b.WriteString(x.T)
	for _, r := range x.Runs {
		b.WriteString(r.T)
	}
	return b.String()
}

func readShared(f *zip.File) ([]string, error) {
	var sst struct {
		SI []xmlText `xml:"si"`
	}
	if err := decodeXML(f, &sst); err != nil {
		return nil, err
	}
	out := make([]string, len(sst.SI))
	for i, si := range sst.SI {
		out[i] = si.String()
	}
	return out, nil
}

type xmlCell struct {
	Ref string   `xml:"r,attr"`
	T   string   `xml:"t,attr"`
	V   *string  `xml:"v"`
	IS  *xmlText `xml:"is"`
}

// readSheet streams the sheet's rows; it returns the cell texts of each
// non-empty row and the row's number.
func readSheet(f *zip.File, shared []string) ([][]string, []int, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, nil, err
	}
	defer rc.Close()
	dec := xml.NewDecoder(rc)
	var rows [][]string
	var lines []int
	next := 1
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, err
		}
		se, ok := tok.(xml.StartElement)
		if !ok || se.Name.Local != "row" {
			continue
		}
		var row struct {
			R     string    `xml:"r,attr"`
			Cells []xmlCell `xml:"c"`
		}
		if err := dec.DecodeElement(&row, &se); err != nil {
			return nil, nil, err
		}
		num := next
		if row.R != "" {
			if num, err = strconv.Atoi(row.R); err != nil || num < 1 {
				return nil, nil, fmt.Errorf("row number %q is not a positive integer", row.R)
			}
		}
		next = num + 1
		var cells []string
		empty := true
		for _, c := range row.Cells {
			col := len(cells) // a cell without a reference follows the previous one
			if c.Ref != "" {
				if col, err = columnIndex(c.Ref); err != nil {
					return nil, nil, fmt.Errorf("row %d: %w", num, err)
				}
			}
			if col < len(cells) {
				return nil, nil, fmt.Errorf("row %d: cell %s out of order", num, c.Ref)
			}
			for len(cells) < col {
				cells = append(cells, "")
			}
			s, err := cellText(c, shared)
			if err != nil {
				return nil, nil, fmt.Errorf("row %d, cell %s: %w", num, c.Ref, err)
			}
			if strings.TrimSpace(s) != "" {
				empty = false
			}
			cells = append(cells, s)
		}
		if empty {
			continue
		}
		rows = append(rows, cells)
		lines = append(lines, num)
	}
	return rows, lines, nil
}

func cellText(c xmlCell, shared []string) (string, error) {
	v := ""
	if c.V != nil {
		v = *c.V
	}
	switch c.T {
	case "s":
		k, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || k < 0 || k >= len(shared) {
			return "", fmt.Errorf("shared string index %q out of range (%d strings)", v, len(shared))
		}
		return shared[k], nil
	case "inlineStr":
		if c.IS == nil {
			return "", nil
		}
		return c.IS.String(), nil
	case "b":
		if v == "1" {
			return "1", nil
		}
		return "0", nil
	case "e":
		return v, nil // an error value such as #DIV/0!: Validate reports it
	}
	return v, nil // "n", "str" (formula result) or absent
}

// columnIndex returns the 0-based column of a cell reference such as "AB12".
func columnIndex(ref string) (int, error) {
	col := 0
	k := 0
	for k < len(ref) && ref[k] >= 'A' && ref[k] <= 'Z' {
		col = col*26 + int(ref[k]-'A'+1)
		k++
		if col > 1<<14 {
			break
		}
	}
	if k == 0 || col > 1<<14 {
		return 0, fmt.Errorf("bad cell reference %q", ref)
	}
	return col - 1, nil
}
