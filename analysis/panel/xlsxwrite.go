package panel

import (
	"archive/zip"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"example.org/smartcity/analysis/frame"
)

// Namespaces and content types of the Office Open XML package.
const (
	relNS  = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	pkgNS  = "http://schemas.openxmlformats.org/package/2006"
	mimeSS = "application/vnd.openxmlformats-officedocument.spreadsheetml"
)

// WriteXLSX writes the frame as a one-sheet workbook (sheet name "panel"):
// a header row of column names, numbers as numeric cells, text as inline
// strings, missing values as absent cells. The archive carries a fixed
// modification time, so the same frame always gives the same bytes.
func WriteXLSX(w io.Writer, f *frame.Frame) error {
	zw := zip.NewWriter(w)
	stamp := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	put := func(name, body string) error {
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: stamp})
		if err != nil {
			return err
		}
		_, err = io.WriteString(fw, body)
		return err
	}
	const head = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", head + `<Types xmlns="` + pkgNS + `/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
			`<Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/xl/workbook.xml" ContentType="` + mimeSS + `.sheet.main+xml"/>` +
			`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="` + mimeSS + `.worksheet+xml"/>` +
			`</Types>`},
		{"_rels/.rels", head + `<Relationships xmlns="` + pkgNS + `/relationships">` +
			`<Relationship Id="rId1" Type="` + relNS + `/officeDocument" Target="xl/workbook.xml"/>` +
			`</Relationships>`},
		{"xl/workbook.xml", head + `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ` +
			`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
			`<sheets><sheet name="panel" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", head + `<Relationships xmlns="` + pkgNS + `/relationships">` +
			`<Relationship Id="rId1" Type="` + relNS + `/worksheet" Target="worksheets/sheet1.xml"/>` +
			`</Relationships>`},
	}
	for _, p := range parts {
		if err := put(p.name, p.body); err != nil {
			return err
		}
	}

	var b strings.Builder
	b.WriteString(head)
	b.WriteString(`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
	names := f.Names()
	writeRow := func(r int, cell func(j int) (string, bool, bool)) {
		fmt.Fprintf(&b, `<row r="%d">`, r)
		for j := range names {
			s, isNum, ok := cell(j)
			if !ok {
				continue
			}
			ref := cellRef(j, r)
			if isNum {
				fmt.Fprintf(&b, `<c r="%s"><v>%s</v></c>`, ref, s)
			} else {
				fmt.Fprintf(&b, `<c r="%s" t="inlineStr"><is><t>`, ref)
				xml.EscapeText(&b, []byte(s))
				b.WriteString(`</t></is></c>`)
			}
		}
		b.WriteString(`</row>`)
	}
	writeRow(1, func(j int) (string, bool, bool) { return names[j], false, true })
	cols := make([]*frame.Column, len(names))
	for j, n := range names {
		cols[j], _ = f.Column(n)
	}
	for i := 0; i < f.Len(); i++ {
		writeRow(i+2, func(j int) (string, bool, bool) {
			c := cols[j]
			if c.IsNumeric() {
				if math.IsNaN(c.Num[i]) {
					return "", true, false
				}
				return frame.FormatNumber(c.Num[i]), true, true
			}
			return c.Text[i], false, c.Text[i] != ""
		})
	}
	b.WriteString(`</sheetData></worksheet>`)
	if err := put("xl/worksheets/sheet1.xml", b.String()); err != nil {
		return err
	}
	return zw.Close()
}

// cellRef returns the A1-style reference of 0-based column j, row r.
func cellRef(j, r int) string {
	var col []byte
	for j++; j > 0; j = (j - 1) / 26 {
		col = append([]byte{byte('A' + (j-1)%26)}, col...)
	}
	return fmt.Sprintf("%s%d", col, r)
}
