package twin

import (
	"math"
	"slices"
	"testing"
)

// calibTarget is one row of data/reference/CALIBRATION.md: the cross-city
// p10, p50 and p90 of a variable in a year.
type calibTarget struct {
	variable      string
	year          float64
	p10, p50, p90 float64
}

// Rows of data/reference/CALIBRATION.md (China City Statistical Yearbook
// compilations) for the variables the twin calibrates directly.
var calibTargets = []calibTarget{
	{"gdp_pc", 2006, 6098, 13070, 37820},
	{"gdp_pc", 2012, 16870, 33150, 83650},
	{"gdp_pc", 2021, 34400, 57510, 118900},
	{"road_pc", 2006, 6.014, 10.8, 19.26},
	{"road_pc", 2012, 8.507, 14.84, 25.33},
	{"road_pc", 2021, 13.01, 21.43, 32.13},
	{"finance", 2006, 1.182, 1.631, 2.765},
	{"finance", 2012, 1.234, 1.753, 3.198},
	{"finance", 2021, 1.859, 2.628, 4.715},
	{"industry", 2006, 29.1, 45.67, 61.66},
	{"industry", 2012, 35.6, 50.49, 63.16},
	{"industry", 2021, 24.63, 39.51, 51.17},
}

// yearValues returns the non-missing values of a column in one year, sorted.
func yearValues(t *testing.T, tw *Twin, name string, year float64) []float64 {
	t.Helper()
	x, err := tw.Y0.Float(name)
	if err != nil {
		t.Fatal(err)
	}
	years, _ := tw.Y0.Float("year")
	var v []float64
	for i := range x {
		if years[i] == year && !math.IsNaN(x[i]) {
			v = append(v, x[i])
		}
	}
	slices.Sort(v)
	return v
}

// The levels without the policy have, at each anchor year, the median and
// the interdecile spread (on the log or logit scale) of CALIBRATION.md:
// the median within 0.5% (the generator solves for it exactly; the panel
// rounds values to the codebook's decimals), the spread within 2%.
func TestCalibration(t *testing.T) {
	tw, err := Generate(Config{Seed: DefaultSeed, NoDirt: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range calibTargets {
		s := specs[c.variable]
		v := yearValues(t, tw, c.variable, c.year)
		med := quantile(v, 0.5)
		spread := s.forward(quantile(v, 0.9)) - s.forward(quantile(v, 0.1))
		want := s.forward(c.p90) - s.forward(c.p10)
		if math.Abs(med/c.p50-1) > 0.005 || math.Abs(spread/want-1) > 0.02 {
			t.Errorf("%s %v: median %.4g (want %.4g), interdecile spread %.4f (want %.4f)",
				c.variable, c.year, med, c.p50, spread, want)
		}
	}

	// Tertiary share of GDP (CALIBRATION.md p50 35.75, 34.91, 47.93) comes
	// from the share of the non-secondary part: within 5%.
	for k, want := range []float64{35.75, 34.91, 47.93} {
		v := yearValues(t, tw, "tertiary_share", anchorYears[k])
		if med := quantile(v, 0.5); math.Abs(med/want-1) > 0.05 {
			t.Errorf("tertiary share %v: median %.2f, want %.2f within 5%%", anchorYears[k], med,
				want)
		}
	}

	// Within-city growth of log GDP per capita (CALIBRATION.md: mean 0.1017,
	// sd 0.1025) and of log population (mean 0.0039, sd 0.0333): means
	// within 0.01 and 0.002, spreads within 30%.
	growth := func(name string) (float64, float64) {
		x, _ := tw.Y0.Float(name)
		codes, _ := tw.Y0.Float("city_code")
		var g []float64
		for i := 1; i < len(x); i++ {
			if codes[i] == codes[i-1] {
				g = append(g, math.Log(x[i])-math.Log(x[i-1]))
			}
		}
		var m, ss float64
		for _, a := range g {
			m += a
		}
		m /= float64(len(g))
		for _, a := range g {
			ss += (a - m) * (a - m)
		}
		return m, math.Sqrt(ss / float64(len(g)-1))
	}
	if m, sd := growth("gdp_pc"); math.Abs(m-0.1017) > 0.01 || math.Abs(sd/0.1025-1) > 0.3 {
		t.Errorf("growth of log GDP per capita: mean %.4f, sd %.4f", m, sd)
	}
	if m, sd := growth("pop"); math.Abs(m-0.0039) > 0.002 || math.Abs(sd/0.0333-1) > 0.3 {
		t.Errorf("growth of log population: mean %.4f, sd %.4f", m, sd)
	}
}
