package frame

import (
	"bytes"
	"fmt"
	"math"
	"runtime"
	"strings"
	"sync"
	"unsafe"
)

// The reader below parses the whole file in memory. Lines are split at
// '\n' into chunks that are parsed in parallel into numeric columns; a
// column with a cell that is not a number is read again as text. Quoted
// fields (RFC 4180, "" for a quote) are supported; a quoted field that
// holds a line break makes the chunks unreliable, and the file is then
// parsed again in one piece.

// parallelMin is the size below which a file is parsed in one piece.
const parallelMin = 1 << 20

// errQuotedNewline stops a chunk that met a line break inside quotes.
var errQuotedNewline = fmt.Errorf("line break inside a quoted field")

// chunkResult is what one chunk of lines yields.
type chunkResult struct {
	rows    int
	lines   int // line breaks consumed (physical lines)
	num     [][]float64
	text    []bool // text[j]: column j held a non-number
	rowLine []int  // chunk-relative line of each row, only when lines differ from rows
	err     error  // first error, with errLine chunk-relative
	errLine int
}

// parseBody reads the data lines (everything after the header) of a file
// whose header has ncol names. firstLine is the 1-based line number of
// body[0].
// It returns the numeric columns (nil where text), which columns hold
// text, each row's line when rows and lines part (else nil), and the row
// count.
func parseBody(body []byte, ncol int, source string, firstLine int) (
	[][]float64, []bool, []int, int, error) {
	var chunks [][]byte
	workers := runtime.GOMAXPROCS(0)
	if len(body) >= parallelMin && workers > 1 {
		n := workers * 4
		step := len(body) / n
		start := 0
		for k := 1; k < n && start < len(body); k++ {
			cut := start + step
			if cut <= start || cut >= len(body) {
				break
			}
			nl := bytes.IndexByte(body[cut:], '\n')
			if nl < 0 {
				break
			}
			cut += nl + 1
			chunks = append(chunks, body[start:cut])
			start = cut
		}
		chunks = append(chunks, body[start:])
	} else {
		chunks = [][]byte{body}
	}

	results := make([]chunkResult, len(chunks))
	var final [][]float64 // shared column storage of the parallel parse
	if len(chunks) == 1 {
		results[0] = parseChunk(chunks[0], ncol, true, nil)
	} else {
		// Count lines first, so that every chunk writes its numbers
		// straight into the final columns at its own offset.
		counts := make([]int, len(chunks))
		parallel(len(chunks), workers, func(k int) {
			c := chunks[k]
			counts[k] = bytes.Count(c, []byte{'\n'})
			if len(c) > 0 && c[len(c)-1] != '\n' {
				counts[k]++
			}
		})
		total := 0
		offsets := make([]int, len(chunks))
		for k, c := range counts {
			offsets[k] = total
			total += c
		}
		final = make([][]float64, ncol)
		for j := range final {
			final[j] = make([]float64, total)
		}
		parallel(len(chunks), workers, func(k int) {
			dst := make([][]float64, ncol)
			for j := range dst {
				dst[j] = final[j][offsets[k] : offsets[k] : offsets[k]+counts[k]]
			}
			results[k] = parseChunk(chunks[k], ncol, false, dst)
		})
		for _, r := range results {
			if r.err == errQuotedNewline {
				final = nil
				results = []chunkResult{parseChunk(body, ncol, true, nil)}
				break
			}
		}
	}

	// The first error in file order wins.
	line := firstLine
	for _, r := range results {
		if r.err != nil {
			return nil, nil, nil, 0, fmt.Errorf("%s: line %d: %v", source, line+r.errLine, r.err)
		}
		line += r.lines
	}

	total := 0
	irregular := false
	for _, r := range results {
		total += r.rows
		if r.rowLine != nil {
			irregular = true
		}
	}
	cols := make([][]float64, ncol)
	text := make([]bool, ncol)
	for j := range cols {
		for _, r := range results {
			text[j] = text[j] || r.text[j]
		}
		if text[j] {
			continue
		}
		if len(results) == 1 {
			cols[j] = results[0].num[j]
			continue
		}
		// Close the gaps that blank lines left between chunks.
		c := final[j][:0]
		for _, r := range results {
			c = append(c, r.num[j]...)
		}
		cols[j] = c[:total:total]
	}
	var lines []int
	if irregular {
		lines = make([]int, 0, total)
		line := firstLine
		for _, r := range results {
			if r.rowLine == nil {
				for i := 0; i < r.rows; i++ {
					lines = append(lines, line+i)
				}
			} else {
				for _, l := range r.rowLine {
					lines = append(lines, line+l)
				}
			}
			line += r.lines
		}
	}
	return cols, text, lines, total, nil
}

// parallel runs f(0..n-1) on up to workers goroutines.
func parallel(n, workers int, f func(k int)) {
	var wg sync.WaitGroup
	next := make(chan int, n)
	for k := 0; k < n; k++ {
		next <- k
	}
	close(next)
	for w := 0; w < min(workers, n); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range next {
				f(k)
			}
		}()
	}
	wg.Wait()
}

// parseChunk parses complete lines. With multiline false a line break
// inside quotes ends the chunk with errQuotedNewline. Numbers are appended
// to dst, which must have room for one per line; nil dst allocates.
func parseChunk(b []byte, ncol int, multiline bool, dst [][]float64) chunkResult {
	r := chunkResult{num: dst, text: make([]bool, ncol)}
	if dst == nil {
		est := bytes.Count(b, []byte{'\n'}) + 1
		r.num = make([][]float64, ncol)
		for j := range r.num {
			r.num[j] = make([]float64, 0, est)
		}
	}
	fields := make([][]byte, 0, ncol)
	var scratch []byte
	pos := 0
	line := 0
	for pos < len(b) {
		startLine := line

		// Fast path: a line without quotes, numbers parsed in place.
		end := bytes.IndexByte(b[pos:], '\n')
		next := pos + end + 1
		if end < 0 {
			end = len(b) - pos
			next = len(b)
		}
		ln := b[pos : pos+end]
		if bytes.IndexByte(ln, '"') < 0 {
			if r.rowLine == nil && startLine != r.rows {
				r.rowLine = make([]int, r.rows, r.rows+1)
				for i := range r.rowLine {
					r.rowLine[i] = i
				}
			}
			n, blank := r.fastLine(ln)
			line++
			pos = next
			if blank {
				continue
			}
			if n != ncol {
				r.err, r.errLine = fmt.Errorf("%d fields, the header has %d", n, ncol), startLine
				return r
			}
			if r.rowLine != nil {
				r.rowLine = append(r.rowLine, startLine)
			}
			r.rows++
			continue
		}

		var err error
		fields, scratch, pos, line, err = splitRecord(b, pos, line, fields[:0], scratch[:0], multiline)
		if err != nil {
			r.err, r.errLine = err, startLine
			return r
		}
		if len(fields) == 1 && len(fields[0]) == 0 {
			continue // a blank line
		}
		if len(fields) != ncol {
			r.err, r.errLine = fmt.Errorf("%d fields, the header has %d", len(fields), ncol), startLine
			return r
		}
		// Rows and lines part when a blank line or a quoted line break
		// came before; only then are row lines recorded.
		if r.rowLine == nil && startLine != r.rows {
			r.rowLine = make([]int, r.rows, r.rows+1)
			for i := range r.rowLine {
				r.rowLine[i] = i
			}
		}
		if r.rowLine != nil {
			r.rowLine = append(r.rowLine, startLine)
		}
		for j, f := range fields {
			if r.text[j] {
				continue
			}
			v, ok := parseNumberBytes(f)
			if !ok {
				r.text[j] = true
				r.num[j] = nil
				continue
			}
			r.num[j] = append(r.num[j], v)
		}
		r.rows++
	}
	r.lines = line
	return r
}

// fastLine parses a line without quotes, appending each field's number to
// its column. It returns the number of fields, and blank true for an empty
// line (which adds nothing). With a wrong number of fields the columns may
// hold part of the line; the caller stops at that error.
func (r *chunkResult) fastLine(ln []byte) (int, bool) {
	if len(ln) > 0 && ln[len(ln)-1] == '\r' {
		ln = ln[:len(ln)-1]
	}
	if len(bytes.TrimSpace(ln)) == 0 {
		return 0, true
	}
	ncol := len(r.num)
	j := 0
	i := 0
	for {
		v, e, ok := scanNumber(ln, i)
		if !ok {
			e = i + bytes.IndexByte(ln[i:], ',')
			if e < i {
				e = len(ln)
			}
			if j < ncol && !r.text[j] {
				v, ok = parseNumberBytes(bytes.TrimSpace(ln[i:e]))
			}
		}
		if j < ncol && !r.text[j] {
			if ok {
				r.num[j] = append(r.num[j], v)
			} else {
				r.text[j] = true
				r.num[j] = nil
			}
		}
		j++
		if e >= len(ln) {
			return j, false
		}
		i = e + 1
	}
}

// scanNumber reads a plain decimal starting at ln[i] up to the next comma
// or the end: digits with an optional sign, point and exponent, at most 19
// significant digits, converted exactly when the digits fit in 2^53 and the
// scale in 10^±22. It returns the value and the index of the comma (or
// len(ln)); ok is false for anything else, which the caller parses in full.
func scanNumber(ln []byte, i int) (float64, int, bool) {
	neg := false
	if i < len(ln) && (ln[i] == '-' || ln[i] == '+') {
		neg = ln[i] == '-'
		i++
	}
	var m uint64
	digits, exp := 0, 0
	sawDigit := false
	for ; i < len(ln); i++ {
		c := ln[i] - '0'
		if c > 9 {
			break
		}
		sawDigit = true
		if m == 0 && c == 0 {
			continue
		}
		m = m*10 + uint64(c)
		digits++
	}
	if i < len(ln) && ln[i] == '.' {
		i++
		for ; i < len(ln); i++ {
			c := ln[i] - '0'
			if c > 9 {
				break
			}
			sawDigit = true
			exp--
			if m == 0 && c == 0 {
				continue
			}
			m = m*10 + uint64(c)
			digits++
		}
	}
	if !sawDigit || digits > 19 {
		return 0, i, false
	}
	if i < len(ln) && (ln[i] == 'e' || ln[i] == 'E') {
		i++
		eneg := false
		if i < len(ln) && (ln[i] == '-' || ln[i] == '+') {
			eneg = ln[i] == '-'
			i++
		}
		e, nd := 0, 0
		for ; i < len(ln) && nd < 5; i++ {
			c := ln[i] - '0'
			if c > 9 {
				break
			}
			e = e*10 + int(c)
			nd++
		}
		if nd == 0 || nd == 5 {
			return 0, i, false
		}
		if eneg {
			e = -e
		}
		exp += e
	}
	if i < len(ln) && ln[i] != ',' {
		return 0, i, false
	}
	if m == 0 {
		if neg {
			return math.Copysign(0, -1), i, true
		}
		return 0, i, true
	}
	if m > 1<<53 || exp < -22 || exp > 22 {
		return 0, i, false
	}
	v := float64(m)
	if exp < 0 {
		v /= pow10[-exp]
	} else {
		v *= pow10[exp]
	}
	if neg {
		v = -v
	}
	return v, i, true
}

// splitRecord reads one record starting at pos. Fields are trimmed of
// spaces; quoted fields are unquoted (into scratch when they hold "").
// It returns the position after the record's line break and the updated
// count of line breaks.
func splitRecord(b []byte, pos, line int, fields [][]byte, scratch []byte, multiline bool) (
	[][]byte, []byte, int, int, error) {
	for {
		// Skip leading spaces of the field.
		for pos < len(b) && (b[pos] == ' ' || b[pos] == '\t') {
			pos++
		}
		if pos < len(b) && b[pos] == '"' {
			pos++
			start := len(scratch)
			for {
				q := bytes.IndexByte(b[pos:], '"')
				if q < 0 {
					// In a chunk, the closing quote may lie past the cut.
					if !multiline && bytes.IndexByte(b[pos:], '\n') >= 0 {
						return fields, scratch, pos, line, errQuotedNewline
					}
					return fields, scratch, pos, line, fmt.Errorf("quoted field not closed")
				}
				seg := b[pos : pos+q]
				if nl := bytes.Count(seg, []byte{'\n'}); nl > 0 {
					if !multiline {
						return fields, scratch, pos, line, errQuotedNewline
					}
					line += nl
				}
				scratch = append(scratch, seg...)
				pos += q + 1
				if pos < len(b) && b[pos] == '"' {
					scratch = append(scratch, '"')
					pos++
					continue
				}
				break
			}
			fields = append(fields, bytes.TrimSpace(scratch[start:]))
			for pos < len(b) && (b[pos] == ' ' || b[pos] == '\t' || b[pos] == '\r') {
				pos++
			}
			if pos >= len(b) {
				line++
				return fields, scratch, pos, line, nil
			}
			switch b[pos] {
			case ',':
				pos++
				continue
			case '\n':
				return fields, scratch, pos + 1, line + 1, nil
			default:
				return fields, scratch, pos, line, fmt.Errorf("unexpected %q after a quoted field", b[pos])
			}
		}
		// Unquoted field: up to the next comma or line break.
		end := pos
		for end < len(b) && b[end] != ',' && b[end] != '\n' {
			end++
		}
		f := b[pos:end]
		if bytes.IndexByte(f, '"') >= 0 {
			return fields, scratch, pos, line, fmt.Errorf("bare quote in an unquoted field %q", f)
		}
		fields = append(fields, bytes.TrimSpace(f))
		if end >= len(b) {
			return fields, scratch, end, line + 1, nil
		}
		if b[end] == '\n' {
			return fields, scratch, end + 1, line + 1, nil
		}
		pos = end + 1
	}
}

// textColumns reads the columns idx of every record as strings.
func textColumns(body []byte, idx []int, rows int) [][]string {
	out := make([][]string, len(idx))
	for k := range out {
		out[k] = make([]string, 0, rows)
	}
	var fields [][]byte
	var scratch []byte
	pos, line := 0, 0
	for pos < len(body) {
		var err error
		fields, scratch, pos, line, err = splitRecord(body, pos, line, fields[:0], scratch[:0], true)
		if err != nil {
			break // already reported by parseBody
		}
		if len(fields) == 1 && len(fields[0]) == 0 {
			continue
		}
		for k, j := range idx {
			out[k] = append(out[k], string(fields[j]))
		}
	}
	return out
}

// pow10 holds the powers of ten that float64 represents exactly.
var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// parseNumberBytes reads a cell as ParseNumber does. Plain decimals whose
// digits fit in 2^53 and whose scale is at most 10^22 are converted
// directly, which rounds correctly (Clinger 1990); anything else goes
// through ParseNumber.
func parseNumberBytes(s []byte) (float64, bool) {
	i := 0
	neg := false
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		neg = s[i] == '-'
		i++
	}
	var m uint64
	digits, exp := 0, 0
	sawDigit, sawDot := false, false
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			sawDigit = true
			if m == 0 && c == '0' {
				if sawDot {
					exp--
				}
				continue
			}
			if digits >= 19 {
				return slowNumber(s)
			}
			m = m*10 + uint64(c-'0')
			digits++
			if sawDot {
				exp--
			}
		case c == '.' && !sawDot:
			sawDot = true
		case c == 'e' || c == 'E':
			if !sawDigit {
				return slowNumber(s)
			}
			e, ok := parseExp(s[i+1:])
			if !ok {
				return slowNumber(s)
			}
			exp += e
			i = len(s)
		default:
			return slowNumber(s)
		}
	}
	if !sawDigit {
		return slowNumber(s)
	}
	if m == 0 {
		if neg {
			return math.Copysign(0, -1), true
		}
		return 0, true
	}
	if m > 1<<53 || exp < -22 || exp > 22 {
		return slowNumber(s)
	}
	v := float64(m)
	if exp < 0 {
		v /= pow10[-exp]
	} else {
		v *= pow10[exp]
	}
	if neg {
		v = -v
	}
	return v, true
}

func parseExp(s []byte) (int, bool) {
	if len(s) == 0 {
		return 0, false
	}
	neg := false
	if s[0] == '-' || s[0] == '+' {
		neg = s[0] == '-'
		s = s[1:]
	}
	if len(s) == 0 || len(s) > 4 {
		return 0, false
	}
	e := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, false
		}
		e = e*10 + int(c-'0')
	}
	if neg {
		e = -e
	}
	return e, true
}

func slowNumber(s []byte) (float64, bool) {
	return ParseNumber(unsafe.String(unsafe.SliceData(s), len(s)))
}

// parseHeader reads the first record as column names.
func parseHeader(b []byte, source string) ([]string, int, int, error) {
	fields, _, pos, line, err := splitRecord(b, 0, 0, nil, nil, true)
	if err != nil {
		return nil, 0, 0, fmt.Errorf("%s: line 1: %v", source, err)
	}
	names := make([]string, len(fields))
	seen := map[string]int{}
	for j, h := range fields {
		name := strings.TrimSpace(strings.TrimPrefix(string(h), "\ufeff"))
		if name == "" {
			return nil, 0, 0, fmt.Errorf("%s: line 1, column %d: empty column name", source, j+1)
		}
		if k, ok := seen[name]; ok {
			return nil, 0, 0, fmt.Errorf("%s: line 1: column name %q appears twice (columns %d and %d)",
				source, name, k+1, j+1)
		}
		seen[name] = j
		names[j] = name
	}
	return names, pos, line, nil
}
