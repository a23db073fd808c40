package fe

import (
	"fmt"
	"testing"
)

func TestEventStudyReference(t *testing.T) {
	// REFERENCE, "Event study, mpdta": lemp on relative-time dummies -4..3
	// (reference -1 omitted) | countyreal + year, clustered by countyreal,
	// CR1 nested (R 4.2.2, estimatr/sandwich, cross-checked with statsmodels).
	want := []struct {
		term     string
		coef, se float64
	}{
		{"rel_m4", 0.00354932691944, 0.0228285814463},
		{"rel_m3", 0.0246235019865, 0.0176793711727},
		{"rel_m2", 0.0233548148864, 0.0134366993772},
		{"rel_0", -0.0181439269666, 0.0109822182809},
		{"rel_1", -0.0434723726285, 0.0175769469944},
		{"rel_2", -0.131794857754, 0.0288374073901},
		{"rel_3", -0.0922467941819, 0.0323361931631},
	}
	d := readTestCSV(t, "mpdta.csv")
	year, first := col(t, d, "year"), col(t, d, "first.treat")
	var terms []string
	for k := -4; k <= 3; k++ {
		if k == -1 {
			continue
		}
		name := fmt.Sprintf("rel_%d", k)
		if k < 0 {
			name = fmt.Sprintf("rel_m%d", -k)
		}
		v := make([]float64, d.Len())
		for i := range v {
			if first[i] > 0 && year[i]-first[i] == float64(k) {
				v[i] = 1
			}
		}
		d.SetFloat(name, v)
		terms = append(terms, name)
	}
	f := Formula{Y: "lemp", X: terms, FE: []string{"countyreal", "year"}}
	r, err := Fit(d, f, Options{Cluster: []string{"countyreal"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range want {
		j := r.Index(w.term)
		if j < 0 {
			t.Fatalf("no term %s in %v", w.term, r.Terms)
		}
		if !relClose(r.Coef[j], w.coef, tolCoef) || !relClose(r.SE[j], w.se, tolSE) {
			t.Errorf("%s: %.15g (%.15g), want %.15g (%.15g)", w.term, r.Coef[j], r.SE[j], w.coef, w.se)
		}
	}

	// The joint pre-trend test is the quadratic form of the leads.
	wt, err := r.Wald([]string{"rel_m4", "rel_m3", "rel_m2"})
	if err != nil {
		t.Fatal(err)
	}
	if wt.DF1 != 3 || wt.DF2 != 499 || !(wt.P > 0 && wt.P < 1) || wt.Chi2 != 3*wt.Stat {
		t.Errorf("Wald %+v", wt)
	}
}
