package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestValidateCommand(t *testing.T) {
	var out, errb bytes.Buffer
	code := run([]string{"validate", "../../analysis/panel/testdata/bad/many_errors.csv"}, &out, &errb)
	if code != 1 {
		t.Errorf("exit %d, want 1 for a file with problems; stderr %s", code, errb.String())
	}
	// The file has four problems (analysis/panel/testdata/make_testdata.py).
	if n := strings.Count(out.String(), "many_errors.csv: line "); n != 4 {
		t.Errorf("%d problems printed, want 4:\n%s", n, out.String())
	}
	out.Reset()
	errb.Reset()
	code = run([]string{"validate", "--format", "json", "../../analysis/panel/testdata/good.csv"}, &out, &errb)
	if code != 0 || !strings.Contains(out.String(), `"valid": true`) {
		t.Errorf("exit %d, output %s", code, out.String())
	}
	if code := run([]string{"validate"}, &out, &errb); code != 2 {
		t.Errorf("no file: exit %d, want 2", code)
	}
}
