package report

import (
	"flag"
	"math"
	"os"
	"strings"
	"testing"

	"example.org/smartcity/analysis/fe"
	"example.org/smartcity/analysis/frame"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// models are two hand-made columns: a baseline and one with a control and
// a special-character term, so that every format's escaping is exercised.
func models() []Model {
	return []Model{
		{Name: "Baseline", Outcome: "index", Terms: []string{"did"},
			Coef: []float64{0.0421}, SE: []float64{0.0102}, P: []float64{0.00004},
			NObs: 2752, R2: 0.91234, R2Within: 0.0456,
			FixedEffects: []string{"city_code", "year"}, Vcov: "CRV1 (nested), clustered by city_code"},
		{Name: "Controls & 50% #1", Outcome: "index", Terms: []string{"did", "lnpop", "x_{a}^b~"},
			Coef: []float64{0.0398, 0.2, -0.00004}, SE: []float64{0.0121, 0.1, 0.002},
			P:    []float64{0.072, 0.046, 0.98},
			NObs: 2750, R2: 0.9201, R2Within: math.NaN(),
			FixedEffects: []string{"city_code", "province^year"},
			Vcov:         "CRV1 (nested), clustered by city_code"},
	}
}

func TestGolden(t *testing.T) {
	tab := New(models(), Options{Title: "Smart-city pilots & governance", Controls: []string{"lnpop"},
		Labels: map[string]string{"did": "Pilot × post"}, Notes: []string{"SYNTHETIC TWIN (seed 1)"}})
	for _, format := range Formats {
		var b strings.Builder
		if err := tab.Write(&b, format); err != nil {
			t.Fatal(err)
		}
		path := "testdata/table." + format
		if *update {
			if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test -update to create it)", err)
		}
		if b.String() != string(want) {
			t.Errorf("%s differs from %s:\n%s", format, path, b.String())
		}
	}
}

func TestTableContents(t *testing.T) {
	tab := New(models(), Options{Controls: []string{"lnpop"}})
	md := tab.Markdown()
	for _, s := range []string{
		"| did | 0.042\\*\\*\\* | 0.040\\* |", // stars: p=4e-5 three, p=0.072 one
		"|  | (0.010) | (0.012) |",
		"| Controls | No | Yes |",
		"| city\\_code fixed effects | Yes | Yes |",
		"| year fixed effects | Yes | No |",
		"| province^year fixed effects | No | Yes |",
		"| Observations | 2752 | 2750 |",
		"| Within R² | 0.046 |  |",
		"| x\\_{a}^b~ |  | 0.000 |", // -0.00004 prints without a sign
	} {
		if !strings.Contains(md, s) {
			t.Errorf("markdown lacks %q:\n%s", s, md)
		}
	}
	if strings.Contains(md, "| lnpop") {
		t.Error("a control is shown as a row")
	}
	tex := New(models(), Options{Title: "a_b & c"}).LaTeX()
	for _, s := range []string{`\caption{a\_b \& c}`, `x\_\{a\}\textasciicircum{}b\textasciitilde{}`,
		`0.042$^{***}$`, `\toprule`, `\bottomrule`, `Controls \& 50\% \#1`} {
		if !strings.Contains(tex, s) {
			t.Errorf("LaTeX lacks %q:\n%s", s, tex)
		}
	}
	if err := tab.Write(&strings.Builder{}, "pdf"); err == nil {
		t.Error("unknown format accepted")
	}
}

func TestFromFE(t *testing.T) {
	d, err := frame.ReadCSV("../fe/testdata/grunfeld.csv")
	if err != nil {
		t.Fatal(err)
	}
	f, _ := fe.ParseFormula("inv ~ value + capital | firm + year")
	r, err := fe.Fit(d, f, fe.Options{Cluster: []string{"firm"}})
	if err != nil {
		t.Fatal(err)
	}
	txt := New([]Model{FromFE("", r)}, Options{}).Text()
	// REFERENCE (peers' table), grunfeld: value 0.117715855083, CR1 nested SE
	// 0.0108244294769; capital 0.357916273073 (0.0478483965926); 10 clusters.
	for _, s := range []string{"value               0.118***\n", "(0.011)\n",
		"capital             0.358***\n", "(0.048)\n", "Observations          200\n",
		"Within R2            0.720\n", "CRV1 (nested), clustered by firm."} {
		if !strings.Contains(txt, s) {
			t.Errorf("text table lacks %q:\n%s", s, txt)
		}
	}
}

func TestStarThresholdsInAnyOrder(t *testing.T) {
	// Thresholds given smallest first must mean the same as largest first:
	// p = 0.005 earns three stars and the note reads "*** p<0.01".
	m := Model{Terms: []string{"x"}, Coef: []float64{1}, SE: []float64{0.1},
		P: []float64{0.005}, NObs: 10, R2: 0.5, R2Within: math.NaN()}
	for _, stars := range [][]float64{{0.1, 0.05, 0.01}, {0.01, 0.05, 0.1}} {
		txt := New([]Model{m}, Options{Stars: stars}).Text()
		// A model without a variance description gets no empty note.
		if !strings.Contains(txt, "1.000***") || !strings.Contains(txt, "* p<0.1, ** p<0.05, *** p<0.01") ||
			strings.Contains(txt, "parentheses: .") {
			t.Errorf("stars %v:\n%s", stars, txt)
		}
	}
}
