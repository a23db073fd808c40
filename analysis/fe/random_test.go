package fe

import "testing"

func TestHausmanReference(t *testing.T) {
	cases := []struct {
		file, formula, unit, time string
		chi2                      float64
		df                        int
		p, theta                  float64
	}{
		// REFERENCE, Hausman table, grunfeld row (R 4.2.2 plm 2.6-2 phtest;
		// plm publishes 2.3303669).
		{"grunfeld.csv", "inv ~ value + capital", "firm", "year",
			2.33036689368, 2, 0.311865446055, 0.86122362074788},
		// REFERENCE, Hausman table, produc row (R 4.2.2 plm 2.6-2 phtest).
		{"produc.csv", "log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp", "state", "year",
			9.525415635, 4, 0.0492276241762, 0.88883528462234},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			d := readTestCSV(t, c.file)
			f, err := ParseFormula(c.formula)
			if err != nil {
				t.Fatal(err)
			}
			h, err := Hausman(d, f, c.unit, c.time)
			if err != nil {
				t.Fatal(err)
			}
			if !relClose(h.Stat, c.chi2, 1e-8) || h.DF != c.df || !relClose(h.P, c.p, 1e-8) {
				t.Errorf("chi2 %.15g df %d p %.15g, want %.15g %d %.15g", h.Stat, h.DF, h.P,
					c.chi2, c.df, c.p)
			}
			if !relClose(h.RE.Theta, c.theta, 1e-8) {
				t.Errorf("theta %.15g, want %.15g", h.RE.Theta, c.theta)
			}
		})
	}
}
