package frame

import (
	"math"
	"strings"
	"testing"

	"github.com/go-gota/gota/dataframe"
)

func TestDataFrameRoundTrip(t *testing.T) {
	f, err := ReadCSVFrom(strings.NewReader(
		"city,year,index\nA,2006,0.25\nB,2006,\nC,2007,0.5\n"), "mem.csv")
	if err != nil {
		t.Fatal(err)
	}
	f.SetText("note", []string{"x", "", "z"})
	df := f.DataFrame()
	if df.Err != nil {
		t.Fatal(df.Err)
	}
	if df.Nrow() != 3 || df.Ncol() != 4 {
		t.Fatalf("DataFrame is %d x %d, want 3 x 4", df.Nrow(), df.Ncol())
	}
	// gota's own summary sees the missing index as NA: mean of 0.25 and 0.5.
	mean := df.Describe().Col("index").Float()[0] // row 0 of Describe is the mean
	if math.Abs(mean-0.375) > 1e-15 {
		t.Errorf("gota mean of index = %v, want 0.375 (the missing cell left out)", mean)
	}

	g, err := FromDataFrame(df, "back")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(g.Names(), ","), "city,year,index,note"; got != want {
		t.Fatalf("columns %s, want %s", got, want)
	}
	idx, _ := g.Float("index")
	if idx[0] != 0.25 || !math.IsNaN(idx[1]) || idx[2] != 0.5 {
		t.Errorf("index after the round trip: %v", idx)
	}
	note, _ := g.Text("note")
	if note[0] != "x" || note[1] != "" || note[2] != "z" {
		t.Errorf("note after the round trip: %q", note)
	}
}

func TestFromDataFrameTypes(t *testing.T) {
	df := dataframe.LoadRecords([][]string{
		{"n", "flag", "name"},
		{"1", "true", "a"},
		{"2", "false", "NaN"},
	})
	f, err := FromDataFrame(df, "records")
	if err != nil {
		t.Fatal(err)
	}
	n, err := f.Float("n")
	if err != nil || n[0] != 1 || n[1] != 2 {
		t.Errorf("int column: %v, %v", n, err)
	}
	flag, err := f.Float("flag")
	if err != nil || flag[0] != 1 || flag[1] != 0 {
		t.Errorf("bool column: %v, %v; want 1, 0", flag, err)
	}
	name, _ := f.Text("name")
	if name[0] != "a" || name[1] != "" {
		t.Errorf("string column with a missing element: %q", name)
	}

	if _, err := FromDataFrame(dataframe.New(), "empty"); err == nil {
		t.Error("a DataFrame with an error: no error")
	}
}
