package frame

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// ReadCSV reads a CSV file with a header line. A column whose every cell
// parses as a number (or is missing, see ParseNumber) becomes numeric; any
// other column is kept as text, so that a caller can report each bad cell.
// Fields may be quoted as RFC 4180 says; spaces around fields are removed
// and blank lines skipped. Duplicate or empty header names and rows of the
// wrong width are errors that name the file and line.
//
// The file is mapped into memory and parsed in parallel chunks of lines.
func ReadCSV(path string) (*Frame, error) {
	b, release, err := mapFile(path)
	if err != nil {
		return nil, err
	}
	defer release()
	return parseCSV(b, filepath.ToSlash(path))
}

// ReadCSVFrom reads CSV from r as ReadCSV does; source names it in errors.
func ReadCSVFrom(r io.Reader, source string) (*Frame, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", source, err)
	}
	return parseCSV(b, source)
}

func parseCSV(b []byte, source string) (*Frame, error) {
	b = bytes.TrimPrefix(b, []byte("\ufeff"))
	// Skip blank lines before the header.
	line := 1
	for len(b) > 0 {
		nl := bytes.IndexByte(b, '\n')
		if nl < 0 || len(bytes.TrimSpace(b[:nl])) > 0 {
			break
		}
		b = b[nl+1:]
		line++
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, fmt.Errorf("%s: empty file, expected a header line", source)
	}
	names, pos, hl, err := parseHeader(b, source)
	if err != nil {
		return nil, err
	}
	body := b[pos:]
	first := line + hl
	cols, text, lines, rows, err := parseBody(body, len(names), source, first)
	if err != nil {
		return nil, err
	}

	var textIdx []int
	for j := range names {
		if text[j] {
			textIdx = append(textIdx, j)
		}
	}
	var texts [][]string
	if len(textIdx) > 0 {
		texts = textColumns(body, textIdx, rows)
	}
	f := New(source)
	if lines != nil || first != 2 {
		if lines == nil {
			lines = make([]int, rows)
			for i := range lines {
				lines[i] = first + i
			}
		}
		f.Lines = lines
	}
	k := 0
	for j, name := range names {
		if text[j] {
			f.SetText(name, texts[k])
			k++
		} else {
			f.SetFloat(name, cols[j])
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
