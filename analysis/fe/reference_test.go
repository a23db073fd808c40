package fe

import (
	"math"
	"testing"

	"example.org/smartcity/analysis/frame"
)

// Tolerances for comparisons with the reference values (REFERENCE below is
// the peers' table "Reference values for the public data sets", computed
// with R 4.2.2: plm 2.6-2, estimatr 1.0.0, sandwich 3.0-2, cross-checked
// with statsmodels 0.13.5).
const (
	tolCoef = 1e-8 // relative
	tolSE   = 1e-8 // relative
)

func readTestCSV(t *testing.T, name string) *frame.Frame {
	t.Helper()
	d, err := frame.ReadCSV("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func col(t *testing.T, d *frame.Frame, name string) []float64 {
	t.Helper()
	v, err := d.Float(name)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// mpdta with treat_post = 1 from a treated county's first treatment year.
func mpdta(t *testing.T) *frame.Frame {
	d := readTestCSV(t, "mpdta.csv")
	year, first := col(t, d, "year"), col(t, d, "first.treat")
	tp := make([]float64, d.Len())
	for i := range tp {
		if first[i] > 0 && year[i] >= first[i] {
			tp[i] = 1
		}
	}
	d.SetFloat("treat_post", tp)
	return d
}

func baseDID(t *testing.T) *frame.Frame {
	d := readTestCSV(t, "base_did.csv")
	treat, post := col(t, d, "treat"), col(t, d, "post")
	tp := make([]float64, d.Len())
	for i := range tp {
		tp[i] = treat[i] * post[i]
	}
	d.SetFloat("treat_post", tp)
	return d
}

func relClose(got, want, tol float64) bool {
	return math.Abs(got-want) <= tol*math.Abs(want)
}

// twfeRow is one row of REFERENCE's table "Two-way fixed effects (unit +
// period), clustered": the coefficient and its SE under CR0 and CR1 with
// the nested, full and slopes rules.
type twfeRow struct {
	term                      string
	coef                      float64
	cr0, nested, full, slopes float64
}

func TestTWFEReference(t *testing.T) {
	produc := func(t *testing.T) *frame.Frame { return readTestCSV(t, "produc.csv") }
	grunfeld := func(t *testing.T) *frame.Frame { return readTestCSV(t, "grunfeld.csv") }
	const producF = "log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp | state + year"
	cases := []struct {
		name    string
		data    func(*testing.T) *frame.Frame
		formula string
		cluster string
		n, g    int
		rows    []twfeRow
	}{
		{"mpdta", mpdta, "lemp ~ treat_post | countyreal + year", "countyreal", 2500, 500,
			[]twfeRow{
				// REFERENCE, TWFE table, mpdta row (R 4.2.2 plm/estimatr/sandwich).
				{"treat_post", -0.0365489366741,
					0.0132386198103, 0.0132651554293, 0.0148316380207, 0.0132518783212},
			}},
		{"base_did", baseDID, "y ~ x1 + treat_post | id + period", "id", 1080, 108,
			[]twfeRow{
				// REFERENCE, TWFE table, base_did rows.
				{"x1", 0.972165776579,
					0.0455250249644, 0.0459721989523, 0.0484639948711, 0.0457584730205},
				{"treat_post", 4.85064514323,
					0.450794077251, 0.455222045942, 0.479896098132, 0.453105706977},
			}},
		{"grunfeld", grunfeld, "inv ~ value + capital | firm + year", "firm", 200, 10,
			[]twfeRow{
				// REFERENCE, TWFE table, grunfeld rows.
				{"value", 0.117715855083,
					0.00971202368684, 0.0108244294769, 0.0111089155205, 0.0102631912366},
				{"capital", 0.357916273073,
					0.04293110894, 0.0478483965926, 0.0491059410266, 0.0453674944848},
			}},
		{"produc/state", produc, producF, "state", 816, 48,
			[]twfeRow{
				// REFERENCE, TWFE table, produc rows clustered by state.
				{"log(pcap)", -0.0301760565798,
					0.056919042166, 0.0582404219713, 0.0600422942217, 0.057627537583},
				{"log(pc)", 0.168828035407,
					0.0837359487475, 0.0856798850374, 0.0883306935659, 0.0847782455549},
				{"log(emp)", 0.769306196203,
					0.0831378454282, 0.085067896705, 0.0876997712225, 0.0841726973904},
				{"unemp", -0.00422109260354,
					0.00312288578327, 0.00319538380944, 0.00329424424384, 0.00316175766483},
			}},
		{"produc/region", produc, producF, "region", 816, 9,
			[]twfeRow{
				// REFERENCE, TWFE table, produc rows clustered by region (9).
				{"log(pcap)", -0.0301760565798,
					0.0581613105783, 0.0624605329268, 0.0643929691491, 0.0618032388307},
				{"log(pc)", 0.168828035407,
					0.0800746208078, 0.0859936517907, 0.0886541677971, 0.0850887104306},
				{"log(emp)", 0.769306196203,
					0.0937950905552, 0.1007283241, 0.103844709007, 0.0996683246146},
				{"unemp", -0.00422109260354,
					0.00389332447435, 0.00418111488731, 0.00431047237883, 0.00413711554883},
			}},
		{"produc/year", produc, producF, "year", 816, 17,
			[]twfeRow{
				// REFERENCE, TWFE table, produc rows clustered by year (17;
				// the state FE is not nested).
				{"log(pcap)", -0.0301760565798,
					0.0350170377721, 0.0372800081889, 0.037676615183, 0.0361613523534},
				{"log(pc)", 0.168828035407,
					0.0539497853368, 0.0574362815106, 0.0580473229794, 0.0557127992851},
				{"log(emp)", 0.769306196203,
					0.0551672782491, 0.058732454706, 0.0593572856395, 0.0569700783982},
				{"unemp", -0.00422109260354,
					0.00172200902365, 0.00183329357899, 0.00185279725109, 0.00177828220266},
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := c.data(t)
			f, err := ParseFormula(c.formula)
			if err != nil {
				t.Fatal(err)
			}
			for _, ssc := range []string{"none", "nested", "full", "slopes"} {
				r, err := Fit(d, f, Options{Cluster: []string{c.cluster}, SSC: ssc})
				if err != nil {
					t.Fatalf("%s: %v", ssc, err)
				}
				if r.NObs != c.n || r.NClusters != c.g || r.DF != c.g-1 {
					t.Errorf("%s: N=%d G=%d DF=%d, want %d, %d, %d", ssc, r.NObs, r.NClusters, r.DF,
						c.n, c.g, c.g-1)
				}
				for _, row := range c.rows {
					j := r.Index(row.term)
					if j < 0 {
						t.Fatalf("term %s missing from %v", row.term, r.Terms)
					}
					if !relClose(r.Coef[j], row.coef, tolCoef) {
						t.Errorf("%s %s: coef %.15g, want %.15g", ssc, row.term, r.Coef[j], row.coef)
					}
					want := map[string]float64{"none": row.cr0, "nested": row.nested,
						"full": row.full, "slopes": row.slopes}[ssc]
					if !relClose(r.SE[j], want, tolSE) {
						t.Errorf("%s %s: SE %.15g, want %.15g (rel %.2g)", ssc, row.term, r.SE[j], want,
							math.Abs(r.SE[j]-want)/want)
					}
				}
			}
		})
	}
}
