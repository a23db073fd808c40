package frame

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

func TestReadCSVShapes(t *testing.T) {
	in := "\ufeff\"id\",\"name\" , x\r\n" +
		"1,\"Smith, \"\"J\"\"\",2.5\r\n" +
		"\r\n" +
		"2, plain ,NA\n" +
		"3,\"two\nlines\",-1e3\n" +
		"4,last,.5"
	f, err := ReadCSVFrom(strings.NewReader(in), "t.csv")
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Names(); fmt.Sprint(got) != "[id name x]" {
		t.Fatalf("names %v", got)
	}
	name, _ := f.Text("name")
	if fmt.Sprintf("%q", name) != `["Smith, \"J\"" "plain" "two\nlines" "last"]` {
		t.Errorf("name column %q", name)
	}
	x, err := f.Float("x")
	if err != nil {
		t.Fatal(err)
	}
	if x[0] != 2.5 || !math.IsNaN(x[1]) || x[2] != -1000 || x[3] != 0.5 {
		t.Errorf("x = %v", x)
	}
	// Line 3 is blank and the third record spans lines 5-6.
	for i, want := range []int{2, 4, 5, 7} {
		if f.Line(i) != want {
			t.Errorf("row %d: line %d, want %d", i, f.Line(i), want)
		}
	}
}

func TestReadCSVErrors(t *testing.T) {
	cases := []struct{ in, want string }{
		{"", "e.csv: empty file"},
		{"a,a\n1,2\n", `e.csv: line 1: column name "a" appears twice`},
		{"a,,b\n", "e.csv: line 1, column 2: empty column name"},
		{"a,b\n1,2\n3\n", "e.csv: line 3: 1 fields, the header has 2"},
		{"a,b\n1,\"2\n", "e.csv: line 2: quoted field not closed"},
	}
	for _, c := range cases {
		_, err := ReadCSVFrom(strings.NewReader(c.in), "e.csv")
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%q: got %v, want %q", c.in, err, c.want)
		}
	}
}

// A file above the parallel threshold is split into chunks; rows, lines
// and values must come out as in one piece, also when a quoted line break
// forces the one-piece parse and when a late cell turns a column to text.
func TestReadCSVParallelChunks(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, variant := range []string{"plain", "blank lines", "quoted newline", "late text"} {
		t.Run(variant, func(t *testing.T) {
			var b strings.Builder
			b.WriteString("u,v,w\n")
			const n = 60000
			want := make([]float64, n)
			lines := make([]int, n)
			line := 2
			for i := 0; i < n; i++ {
				if variant == "blank lines" && i%9999 == 5 {
					b.WriteString("\n")
					line++
				}
				want[i] = rng.NormFloat64() * math.Pow(10, float64(rng.IntN(12)-6))
				w := "x"
				if variant == "quoted newline" && i == n/2 {
					w = "\"a\nb\""
				}
				v := strconv.FormatFloat(want[i], 'g', -1, 64)
				if variant == "late text" && i == n-3 {
					v = "oops"
				}
				fmt.Fprintf(&b, "%d,%s,%s\n", i, v, w)
				lines[i] = line
				line++
				if w != "x" {
					line++
				}
			}
			if b.Len() < parallelMin {
				t.Fatalf("test file too small: %d bytes", b.Len())
			}
			// Read through a mapped file, as ReadCSV does.
			path := filepath.Join(t.TempDir(), "p.csv")
			if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
				t.Fatal(err)
			}
			f, err := ReadCSV(path)
			if err != nil {
				t.Fatal(err)
			}
			f.Source = "p.csv"
			if f.Len() != n {
				t.Fatalf("%d rows, want %d", f.Len(), n)
			}
			for i := 0; i < n; i++ {
				if f.Line(i) != lines[i] {
					t.Fatalf("row %d: line %d, want %d", i, f.Line(i), lines[i])
				}
			}
			if variant == "late text" {
				_, err := f.Float("v")
				want := fmt.Sprintf(`p.csv: line %d, column "v": value "oops": not a number`, lines[n-3])
				if err == nil || err.Error() != want {
					t.Fatalf("got %v, want %s", err, want)
				}
				return
			}
			v, err := f.Float("v")
			if err != nil {
				t.Fatal(err)
			}
			for i := range v {
				if v[i] != want[i] {
					t.Fatalf("row %d: %v, want %v", i, v[i], want[i])
				}
			}
		})
	}
}

func TestParseNumberBytesExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	cells := []string{"0", "-0", "+3", "1e5", "1E-5", "123456789012345678", "9007199254740993",
		"0.1", "1.", ".5", "-.25e+2", "0x1p-2", "1e400", "Inf", "1_0", "e5", "1e", "--1",
		"1.2.3", "3.141592653589793238", "0.000000000000000000000000001", "1e-320"}
	for i := 0; i < 20000; i++ {
		x := math.Float64frombits(rng.Uint64())
		if math.IsNaN(x) || math.IsInf(x, 0) {
			continue
		}
		cells = append(cells, strconv.FormatFloat(x, 'g', -1, 64),
			strconv.FormatFloat(rng.Float64()*1000, 'f', rng.IntN(8), 64),
			strconv.FormatFloat(x, 'g', 15, 64), strconv.FormatFloat(x, 'e', rng.IntN(16), 64))
	}
	for _, c := range cells {
		got, gok := parseNumberBytes([]byte(c))
		want, wok := ParseNumber(c)
		if gok != wok || (gok && math.Float64bits(got) != math.Float64bits(want)) {
			t.Fatalf("%q: got %v %v, want %v %v", c, got, gok, want, wok)
		}
		// The in-line scanner may decline a cell but never misread one.
		line := []byte(c + ",next")
		if v, end, ok := scanNumber(line, 0); ok &&
			(end != len(c) || !wok || math.Float64bits(v) != math.Float64bits(want)) {
			t.Fatalf("scanNumber(%q) = %v, %d; want %v, %d", c, v, end, want, len(c))
		}
	}
}

// A quoted line break that straddles the cut between two parallel chunks
// must send the file to the one-piece parse, as one inside a chunk does,
// not fail with "quoted field not closed".
func TestReadCSVQuotedNewlineAtChunkCut(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2)) // 2 workers: 8 chunks
	var rows strings.Builder
	const n = 100000
	for i := 0; i < n; i++ {
		fmt.Fprintf(&rows, "%d,%d,x\n", i, i)
	}
	plain := rows.String()
	special := "-1,-1,\"" + strings.Repeat("a", 3000) + "\nb\"\n"
	// The first cut is the first line break after len(body)/8: put the
	// special record's opening quote before that point and its line
	// break after it.
	step := (len(plain) + len(special)) / 8
	p := strings.LastIndexByte(plain[:step-1500], '\n') + 1
	body := plain[:p] + special + plain[p:]
	if nl := p + strings.IndexByte(special, '\n'); !(p < step && nl > step) {
		t.Fatalf("test setup: special record at %d..%d does not straddle %d", p, nl, step)
	}
	f, err := ReadCSVFrom(strings.NewReader("u,v,w\n"+body), "s.csv")
	if err != nil {
		t.Fatal(err)
	}
	if f.Len() != n+1 {
		t.Fatalf("%d rows, want %d", f.Len(), n+1)
	}
	w, _ := f.Text("w")
	u, _ := f.Float("u")
	k := strings.Count(plain[:p], "\n")
	if u[k] != -1 || w[k] != strings.Repeat("a", 3000)+"\nb" || f.Line(k+1) != k+4 {
		t.Errorf("row %d: u %v, w %.10q..., next row's line %d (want %d)", k, u[k], w[k],
			f.Line(k+1), k+4)
	}
}
