package frame

import (
	"strings"
	"testing"
)

// FuzzReadCSV feeds arbitrary bytes to the reader: it must return a frame
// or an error naming the source, never panic, and a frame's columns must
// all have its length with source lines increasing after the header.
// Run with: go test ./analysis/frame -fuzz FuzzReadCSV -fuzztime 60s
func FuzzReadCSV(f *testing.F) {
	for _, s := range []string{
		"a,b\n1,2\n",
		"\ufeff\"a\",b\r\n1,\"x\"\"y\"\r\n\r\n2,3",
		"a,b\n1,\"two\nlines\"\n",
		"a\n\n\n1\n",
		"a,b\n1,\"unclosed\n",
		"a,b\n1,x\"y\n",
		"a,b\n\xff\xfe,1\n",
		"a,b\n1e400,-0\n.5,NA\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		fr, err := ReadCSVFrom(strings.NewReader(string(b)), "f.csv")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "f.csv: ") {
				t.Fatalf("error without the source: %v", err)
			}
			return
		}
		n := fr.Len()
		for _, name := range fr.Names() {
			c, _ := fr.Column(name)
			if c.Len() != n {
				t.Fatalf("column %q has %d rows, frame %d", name, c.Len(), n)
			}
		}
		prev := 1
		for i := 0; i < n; i++ {
			if fr.Line(i) <= prev {
				t.Fatalf("row %d on line %d after line %d", i, fr.Line(i), prev)
			}
			prev = fr.Line(i)
		}
	})
}
