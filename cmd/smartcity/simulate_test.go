package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func TestSimulateCommand(t *testing.T) {
	dir := t.TempDir()
	var out, errb bytes.Buffer
	if code := run([]string{"simulate", "--out", dir}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	// The default seed reproduces the committed twin.
	for _, name := range []string{"panel_SYNTHETIC.csv", "truth_SYNTHETIC.json"} {
		got, _ := os.ReadFile(filepath.Join(dir, name))
		want, _ := os.ReadFile(filepath.Join("../../data/synthetic", name))
		if len(want) == 0 || !bytes.Equal(got, want) {
			t.Errorf("%s differs from the committed file", name)
		}
	}
}
