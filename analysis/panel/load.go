package panel

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"example.org/smartcity/analysis/frame"
)

// ReadTable reads a CSV file (.csv) or the first worksheet of an Excel
// workbook (.xlsx) with a header row. Columns whose cells all read as
// numbers become numeric; others stay text, for Validate to report cell by
// cell. The frame's Source is path as given, and its rows remember their
// line (CSV) or sheet row (XLSX).
func ReadTable(path string) (*frame.Frame, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv":
		return frame.ReadCSV(path)
	case ".xlsx":
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		return ReadXLSX(b, filepath.ToSlash(path))
	}
	return nil, fmt.Errorf("%s: unknown file type %q: expected .csv or .xlsx", path, filepath.Ext(path))
}

// fromRecords builds a frame from a header and data rows, typing columns as
// frame.ReadCSV does. lines[i] is the source line of rows[i].
func fromRecords(source string, header []string, rows [][]string, lines []int) (*frame.Frame, error) {
	names := make([]string, len(header))
	seen := map[string]int{}
	for j, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		if h == "" {
			return nil, fmt.Errorf("%s: header, column %d: empty column name", source, j+1)
		}
		if k, dup := seen[h]; dup {
			return nil, fmt.Errorf("%s: header: column name %q appears twice (columns %d and %d)",
				source, h, k+1, j+1)
		}
		seen[h] = j
		names[j] = h
	}
	f := frame.New(source)
	f.Lines = lines
	for j, name := range names {
		text := make([]string, len(rows))
		for i, r := range rows {
			if j < len(r) {
				text[i] = strings.TrimSpace(r[j])
			}
		}
		num := make([]float64, len(rows))
		numeric := true
		for i, s := range text {
			v, ok := frame.ParseNumber(s)
			if !ok {
				numeric = false
				break
			}
			num[i] = v
		}
		if numeric {
			f.SetFloat(name, num)
		} else {
			f.SetText(name, text)
		}
	}
	return f, nil
}
