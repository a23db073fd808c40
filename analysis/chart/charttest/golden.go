// Package charttest compares rendered figures with golden files kept in a
// test's testdata folder. Tests that import it accept the flag -update,
// which rewrites the golden files instead of comparing:
//
//	go test ./analysis/chart -update
package charttest

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false,
	"rewrite golden files in testdata/ instead of comparing with them")

// Tolerance of the pixel comparison: a figure matches its golden file when
// the bytes are equal, or when both decode to images of the same size in
// which at most MaxBadFraction of the pixels differ by more than
// MaxChannelDiff (of 65535) in some channel. The slack absorbs
// floating-point differences in anti-aliasing between CPU architectures
// (fused multiply-add); a changed label, line or point fails.
var (
	MaxChannelDiff = uint32(12 * 257)
	MaxBadFraction = 0.002
)

// Updating reports whether the test binary was run with -update.
func Updating() bool { return *update }

// Golden compares got with the file testdata/name, or rewrites that file
// when -update is set. On a mismatch it writes got to a temporary file and
// names it in the failure, so the new figure can be looked at.
func Golden(t testing.TB, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("golden file %s is missing (run the test with -update to create it): %v", path,
			err)
	}
	if bytes.Equal(got, want) {
		return
	}
	if filepath.Ext(name) == ".png" {
		msg, ok := comparePNG(got, want)
		if ok {
			return
		}
		t.Errorf("%s: %s; new figure in %s (run with -update if the change is intended)",
			path, msg, keep(t, name, got))
		return
	}
	t.Errorf("%s differs from the output; new output in %s (run with -update if the change is intended)",
		path, keep(t, name, got))
}

func keep(t testing.TB, name string, got []byte) string {
	dir, err := os.MkdirTemp("", "golden")
	if err != nil {
		return "(could not write: " + err.Error() + ")"
	}
	p := filepath.Join(dir, filepath.Base(name))
	if err := os.WriteFile(p, got, 0o644); err != nil {
		return "(could not write: " + err.Error() + ")"
	}
	return p
}

// comparePNG decodes both images and applies the pixel tolerance.
func comparePNG(got, want []byte) (string, bool) {
	g, err := png.Decode(bytes.NewReader(got))
	if err != nil {
		return "output is not a PNG: " + err.Error(), false
	}
	w, err := png.Decode(bytes.NewReader(want))
	if err != nil {
		return "golden file is not a PNG: " + err.Error(), false
	}
	if g.Bounds() != w.Bounds() {
		return fmt.Sprintf("size %v, golden %v", g.Bounds().Size(), w.Bounds().Size()), false
	}
	bad := countBad(g, w)
	total := g.Bounds().Dx() * g.Bounds().Dy()
	if float64(bad) <= MaxBadFraction*float64(total) {
		return "", true
	}
	return fmt.Sprintf("%d of %d pixels differ", bad, total), false
}

func countBad(a, b image.Image) int {
	bad := 0
	r := a.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			r1, g1, b1, a1 := a.At(x, y).RGBA()
			r2, g2, b2, a2 := b.At(x, y).RGBA()
			if diff(r1, r2) > MaxChannelDiff || diff(g1, g2) > MaxChannelDiff ||
				diff(b1, b2) > MaxChannelDiff || diff(a1, a2) > MaxChannelDiff {
				bad++
			}
		}
	}
	return bad
}

func diff(a, b uint32) uint32 {
	if a > b {
		return a - b
	}
	return b - a
}
