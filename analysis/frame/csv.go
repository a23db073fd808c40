package frame

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// ReadCSV reads a CSV file with a header line. A column whose every cell
// parses as a number (or is missing, see ParseNumber) becomes numeric; any
// other column is kept as text, so that a caller can report each bad cell.
// Duplicate or empty header names and rows of the wrong width are errors
// that name the file and line.
func ReadCSV(path string) (*Frame, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	return ReadCSVFrom(fh, filepath.ToSlash(path))
}

// ReadCSVFrom reads CSV from r as ReadCSV does; source names it in errors.
func ReadCSVFrom(r io.Reader, source string) (*Frame, error) {
	cr := csv.NewReader(bufio.NewReaderSize(r, 1<<20))
	cr.ReuseRecord = true
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("%s: empty file, expected a header line", source)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", source, err)
	}
	names := make([]string, len(header))
	seen := map[string]int{}
	for j, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		if h == "" {
			return nil, fmt.Errorf("%s: line 1, column %d: empty column name", source, j+1)
		}
		if k, ok := seen[h]; ok {
			return nil, fmt.Errorf("%s: line 1: column name %q appears twice (columns %d and %d)",
				source, h, k+1, j+1)
		}
		seen[h] = j
		names[j] = h
	}

	cells := make([][]string, len(names))
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", source, err)
		}
		if len(rec) == 1 && rec[0] == "" {
			continue
		}
		if len(rec) != len(names) {
			line, _ := cr.FieldPos(0)
			return nil, fmt.Errorf("%s: line %d: %d fields, the header has %d",
				source, line, len(rec), len(names))
		}
		for j, s := range rec {
			cells[j] = append(cells[j], strings.Clone(strings.TrimSpace(s)))
		}
	}

	f := New(source)
	for j, name := range names {
		num := make([]float64, len(cells[j]))
		numeric := true
		for i, s := range cells[j] {
			v, ok := ParseNumber(s)
			if !ok {
				numeric = false
				break
			}
			num[i] = v
		}
		if numeric {
			f.SetFloat(name, num)
		} else {
			f.SetText(name, cells[j])
		}
	}
	if len(names) > 0 && f.n < 0 {
		f.n = 0
	}
	return f, nil
}

// WriteCSV writes the frame with a header line. Numbers are written by
// FormatNumber, so reading the file back gives the same values.
func (f *Frame) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(f.Names()); err != nil {
		return err
	}
	rec := make([]string, len(f.cols))
	for i := 0; i < f.Len(); i++ {
		for j, c := range f.cols {
			if c.IsNumeric() {
				rec[j] = FormatNumber(c.Num[i])
			} else {
				rec[j] = c.Text[i]
			}
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteCSVFile writes the frame to path atomically: to a temporary file in
// the same folder first, renamed over path only when complete.
func (f *Frame) WriteCSVFile(path string) error {
	return WriteFileAtomic(path, func(w io.Writer) error { return f.WriteCSV(w) })
}

// WriteFileAtomic writes a file through fill, so that path either keeps its
// old content or gets the whole new one, never a part.
func WriteFileAtomic(path string, fill func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(tmp, 1<<20)
	err = fill(bw)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = tmp.Chmod(0o644)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), path)
}
