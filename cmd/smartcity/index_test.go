package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestIndexCommand(t *testing.T) {
	dir := t.TempDir()
	var out, errb bytes.Buffer
	code := run([]string{"index", "--root", "../..", "--out", dir}, &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	// 24 indicators in data/codebook.csv, plus a title and a header line.
	if n := strings.Count(out.String(), "\n"); n != 26 {
		t.Errorf("%d lines of weights, want 26:\n%s", n, out.String())
	}
	if !strings.Contains(errb.String(), "SYNTHETIC TWIN") {
		t.Errorf("the data source is not named: %s", errb.String())
	}
	for _, name := range []string{"index_panel.csv", "index_weights.csv"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Error(err)
		}
	}
	if code := run([]string{"index", "--winsor-type", "5"}, &out, &errb); code != 2 {
		t.Errorf("bad quantile type: exit %d, want 2", code)
	}
}
