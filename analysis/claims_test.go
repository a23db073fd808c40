package analysis

import (
	"math"
	"testing"
)

// The verdict rules of Claims, checked by hand.
func TestClaimVerdicts(t *testing.T) {
	// Sign claims need significance: a positive estimate with p = 0.3 does
	// not show a positive effect.
	if positive(Coef{Coef: 0.01, P: 0.3}) || !positive(Coef{Coef: 0.01, P: 0.01}) ||
		positive(Coef{Coef: -0.01, P: 0.01}) {
		t.Error("positive: wrong verdict")
	}
	if negative(Coef{Coef: -0.01, P: 0.3}) || !negative(Coef{Coef: -0.01, P: 0.04}) {
		t.Error("negative: wrong verdict")
	}

	// TOST p-values at the Student t critical values with 30 degrees of
	// freedom: qt(0.95, 30) = 1.697260887, qt(0.975, 30) = 2.042272456
	// (R 4.2.2). With b = 0 and se = 1 both one-sided tests have p equal to
	// the tail beyond the margin.
	for _, c := range []struct{ margin, want float64 }{
		{1.697260887, 0.05}, {2.042272456, 0.025},
	} {
		got := equivalenceP(Coef{Coef: 0, SE: 1, DF: 30}, c.margin)
		if math.Abs(got-c.want) > 1e-8 {
			t.Errorf("equivalenceP(margin %v) = %v, want %v", c.margin, got, c.want)
		}
	}
	// Shifting the estimate towards one bound makes that side decide:
	// b = 0.3, margin 2.342272456 leaves (b - margin)/se = -2.042272456.
	if got := equivalenceP(Coef{Coef: 0.3, SE: 1, DF: 30}, 2.342272456); math.Abs(got-0.025) >
		1e-8 {
		t.Errorf("equivalenceP, shifted: %v, want 0.025", got)
	}
	if equivalenceP(Coef{SE: math.NaN(), DF: 30}, 1) != 1 ||
		equivalenceP(Coef{SE: 1, DF: 30}, 0) != 1 {
		t.Error("equivalenceP without a usable standard error or margin is not 1")
	}

	// "Not significant" read as "no effect": a wide interval around zero
	// is not evidence of no effect; a tight one is; a tight interval away
	// from zero is a (small) effect.
	wide := Coef{Coef: 0.001, SE: 0.02, P: 0.96, DF: 40}
	tight := Coef{Coef: 0.001, SE: 0.002, P: 0.62, DF: 40}
	small := Coef{Coef: 0.006, SE: 0.002, P: 0.005, DF: 40}
	if noEffect(wide, 0.01) || !noEffect(tight, 0.01) || noEffect(small, 0.01) {
		t.Errorf("noEffect: wide %v, tight %v, small %v; want false, true, false",
			noEffect(wide, 0.01), noEffect(tight, 0.01), noEffect(small, 0.01))
	}

	// Drop-pilot draws count only those positive and significant: a
	// negative significant draw does not support a positive effect.
	r := &DropResult{Coef: []float64{1, -1, 2, 3}, P: []float64{0.01, 0.01, 0.2, 0.04},
		Alpha: 0.05}
	if got := sharePositive(r); got != 0.5 {
		t.Errorf("sharePositive = %v, want 2 of 4", got)
	}
}
