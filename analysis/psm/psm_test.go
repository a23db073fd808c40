package psm

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"reflect"
	"strconv"
	"testing"

	"example.org/smartcity/analysis/frame"
)

// lalondeRef holds testdata/lalonde_reference.json, written by
// testdata/reference.py (statsmodels 0.13.5 for the logit and the ATT
// standard errors; an independent brute-force matcher for the matches,
// weights and balance).
type lalondeRef struct {
	Logit struct {
		Terms    []string
		Coef, SE []float64
		Deviance float64
	}
	Cases []struct {
		Name         string
		Ratio        int
		Replace      bool
		Caliper      *float64
		CaliperScale *string  `json:"caliper_scale"`
		CaliperWidth *float64 `json:"caliper_width"`
		Matches      map[string][]int
		Weights      []float64
		Balance      []map[string]any
		ATT          struct{ Estimate, SE float64 }
	}
}

func loadRef(t *testing.T) lalondeRef {
	t.Helper()
	b, err := os.ReadFile("testdata/lalonde_reference.json")
	if err != nil {
		t.Fatal(err)
	}
	var r lalondeRef
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	return r
}

var lalondeSpec = Spec{
	Treat:      "treat",
	Covariates: []string{"age", "educ", "race", "married", "nodegree", "re74", "re75"},
	Outcome:    "re78",
}

func readLalonde(t *testing.T) *frame.Frame {
	t.Helper()
	d, err := frame.ReadCSV("testdata/lalonde.csv")
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func near(got, want, rel float64) bool {
	return math.Abs(got-want) <= rel*math.Max(1, math.Abs(want))
}

// The logit of MatchIt's lalonde example, treat ~ age + educ + race +
// married + nodegree + re74 + re75, against statsmodels 0.13.5 Logit
// (lalonde_reference.json): coefficients to 1e-8, standard errors to 1e-7
// relative.
func TestLogitLalonde(t *testing.T) {
	ref := loadRef(t)
	res, err := Match(readLalonde(t), lalondeSpec, Options{})
	if err != nil {
		t.Fatal(err)
	}
	m := res.Model
	if !reflect.DeepEqual(m.Terms, ref.Logit.Terms) {
		t.Fatalf("terms %v, want %v", m.Terms, ref.Logit.Terms)
	}
	for j := range m.Terms {
		if !near(m.Coef[j], ref.Logit.Coef[j], 1e-8) {
			t.Errorf("coef %s = %.12g, want %.12g", m.Terms[j], m.Coef[j], ref.Logit.Coef[j])
		}
		if !near(m.SE[j], ref.Logit.SE[j], 1e-7) {
			t.Errorf("se %s = %.12g, want %.12g", m.Terms[j], m.SE[j], ref.Logit.SE[j])
		}
	}
	if !near(m.Deviance, ref.Logit.Deviance, 1e-10) {
		t.Errorf("deviance %.12g, want %.12g", m.Deviance, ref.Logit.Deviance)
	}
	if !m.Converged || m.Iterations > 10 {
		t.Errorf("converged %v in %d iterations", m.Converged, m.Iterations)
	}
}

// Matches, weights, balance table and ATT on lalonde for four designs,
// against the independent implementation in testdata/reference.py. Matches
// must be identical; weights to 1e-12; balance to 1e-8; the ATT to 1e-8
// and its standard error (statsmodels WLS, cluster by pair or HC1) to 1e-7.
func TestMatchLalonde(t *testing.T) {
	ref := loadRef(t)
	d := readLalonde(t)
	for _, c := range ref.Cases {
		t.Run(c.Name, func(t *testing.T) {
			opt := Options{Match: MatchOptions{Ratio: c.Ratio, Replace: c.Replace}}
			if c.Caliper != nil {
				opt.Match.Caliper = *c.Caliper
				opt.Match.CaliperScale = *c.CaliperScale
			}
			res, err := Match(d, lalondeSpec, opt)
			if err != nil {
				t.Fatal(err)
			}
			m := res.Matching
			if c.CaliperWidth != nil && !near(m.CaliperWidth, *c.CaliperWidth, 1e-10) {
				t.Errorf("caliper width %g, want %g", m.CaliperWidth, *c.CaliperWidth)
			}
			for key, want := range c.Matches {
				i, _ := strconv.Atoi(key)
				got := m.Matches[i]
				if len(want) == 0 && len(got) == 0 {
					continue
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("treated %d matched to %v, want %v", i, got, want)
				}
			}
			for i, w := range c.Weights {
				if math.Abs(res.Weights[i]-w) > 1e-12 {
					t.Errorf("weight of row %d = %v, want %v", i, res.Weights[i], w)
				}
			}
			if len(res.Balance) != len(c.Balance) {
				t.Fatalf("%d balance rows, want %d", len(res.Balance), len(c.Balance))
			}
			for j, b := range res.Balance {
				rb := c.Balance[j]
				if b.Term != rb["term"] {
					t.Fatalf("balance row %d is %q, want %q", j, b.Term, rb["term"])
				}
				check := func(what string, got float64, key string) {
					if rb[key] == nil {
						if !math.IsNaN(got) {
							t.Errorf("%s %s = %v, want NaN", b.Term, what, got)
						}
						return
					}
					if want := rb[key].(float64); !near(got, want, 1e-8) {
						t.Errorf("%s %s = %.12g, want %.12g", b.Term, what, got, want)
					}
				}
				check("mean treated before", b.MeanTreatedBefore, "mean_treated_before")
				check("mean control before", b.MeanControlBefore, "mean_control_before")
				check("SMD before", b.SMDBefore, "smd_before")
				check("var ratio before", b.VarRatioBefore, "var_ratio_before")
				check("mean treated after", b.MeanTreatedAfter, "mean_treated_after")
				check("mean control after", b.MeanControlAfter, "mean_control_after")
				check("SMD after", b.SMDAfter, "smd_after")
				check("var ratio after", b.VarRatioAfter, "var_ratio_after")
			}
			if !near(res.ATT.Estimate, c.ATT.Estimate, 1e-8) {
				t.Errorf("ATT %.10g, want %.10g", res.ATT.Estimate, c.ATT.Estimate)
			}
			if !near(res.ATT.SE, c.ATT.SE, 1e-7) {
				t.Errorf("ATT SE %.10g, want %.10g", res.ATT.SE, c.ATT.SE)
			}
		})
	}
}

// handScores is a tiny data set whose matches are worked out by hand. In
// sorted order: 6C .1, 5T .3, 7C .35, 3C .6, 2T .7, 4C .75, 1C .85, 0T .9.
var (
	handScore   = []float64{0.9, 0.85, 0.7, 0.6, 0.75, 0.3, 0.1, 0.35}
	handTreated = []bool{true, false, true, false, false, true, false, false}
)

func TestNearestNeighborByHand(t *testing.T) {
	// 1:1 without replacement, treated in descending score: 0 (.9) takes 1
	// (.85); 2 (.7) prefers 4 (.75, distance .05) to 3 (.6, .1); 5 (.3)
	// prefers 7 (.35) to 6 (.1). Controls 3 and 6 are unused.
	m, err := NearestNeighbor(handScore, handTreated, MatchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	wantM := [][]int{{1}, nil, {4}, nil, nil, {7}, nil, nil}
	if !reflect.DeepEqual(m.Matches, wantM) {
		t.Errorf("matches %v, want %v", m.Matches, wantM)
	}
	wantW := []float64{1, 1, 1, 0, 1, 1, 0, 1}
	if !reflect.DeepEqual(m.Weights, wantW) {
		t.Errorf("weights %v, want %v", m.Weights, wantW)
	}
	// Pairs numbered by the treated units' data order: 0, 2, 5.
	if want := []int{1, 1, 2, 0, 2, 3, 0, 3}; !reflect.DeepEqual(m.Subclass, want) {
		t.Errorf("subclass %v, want %v", m.Subclass, want)
	}

	// 2:1 without replacement. Round 2: 0 finds 3 (.6) on its left (4 and 1
	// are gone); 2 finds only 6 (.1); 5 finds nothing left and keeps one
	// control. Raw control weights 1/2, 1/2, 1/2, 1/2, 1 average 3/5, so the
	// normalised weights are 5/6 and 5/3; they sum to 5 distinct controls.
	m, err = NearestNeighbor(handScore, handTreated, MatchOptions{Ratio: 2})
	if err != nil {
		t.Fatal(err)
	}
	wantM = [][]int{{1, 3}, nil, {4, 6}, nil, nil, {7}, nil, nil}
	if !reflect.DeepEqual(m.Matches, wantM) {
		t.Errorf("2:1 matches %v, want %v", m.Matches, wantM)
	}
	wantW = []float64{1, 5.0 / 6, 1, 5.0 / 6, 5.0 / 6, 1, 5.0 / 6, 5.0 / 3}
	for i := range wantW {
		if math.Abs(m.Weights[i]-wantW[i]) > 1e-15 {
			t.Errorf("2:1 weight %d = %v, want %v", i, m.Weights[i], wantW[i])
		}
	}
	if m.NMatchedControl != 5 || m.NMatchedTreated != 3 {
		t.Errorf("matched %d treated, %d controls; want 3, 5", m.NMatchedTreated, m.NMatchedControl)
	}

	// 2:1 with a raw caliper of 0.06: every first match is at .05, no
	// second match is that close, so the result is the 1:1 matching.
	m, err = NearestNeighbor(handScore, handTreated,
		MatchOptions{Ratio: 2, Caliper: 0.06, CaliperScale: "raw"})
	if err != nil {
		t.Fatal(err)
	}
	wantM = [][]int{{1}, nil, {4}, nil, nil, {7}, nil, nil}
	if !reflect.DeepEqual(m.Matches, wantM) {
		t.Errorf("caliper matches %v, want %v", m.Matches, wantM)
	}

	// A caliper of 0.04 leaves every treated unit without a match.
	if _, err := NearestNeighbor(handScore, handTreated,
		MatchOptions{Caliper: 0.04, CaliperScale: "raw"}); err == nil {
		t.Error("caliper 0.04: want an error, every treated unit is unmatched")
	}
}

func TestNearestNeighborTiesAndReplacement(t *testing.T) {
	// Equal distances on both sides: the lower score wins (.25 and .75 are
	// both .25 away from .5, exactly in binary).
	m, err := NearestNeighbor([]float64{0.75, 0.5, 0.25}, []bool{false, true, false}, MatchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(m.Matches[1], []int{2}) {
		t.Errorf("tie: matched to %v, want [2]", m.Matches[1])
	}

	// Two treated units with the same score: the first in data order
	// picks first.
	m, err = NearestNeighbor([]float64{0.5, 0.5, 0.5, 0.125}, []bool{true, true, false, false},
		MatchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(m.Matches[0], []int{2}) || !reflect.DeepEqual(m.Matches[1], []int{3}) {
		t.Errorf("equal treated scores: matches %v", m.Matches)
	}

	// Greedy order: treated .55 goes first and takes control .52; treated
	// .5 must then take .1 without replacement, but shares .52 with
	// replacement. Treated .05 takes .1.
	score := []float64{0.5, 0.55, 0.52, 0.1, 0.05}
	tr := []bool{true, true, false, false, true}
	m, err = NearestNeighbor(score, tr, MatchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if want := [][]int{{3}, {2}, nil, nil, nil}; !reflect.DeepEqual(m.Matches, want) {
		t.Errorf("without replacement: %v, want %v", m.Matches, want)
	}
	if len(m.Unmatched) != 1 || m.Unmatched[0] != 4 {
		t.Errorf("unmatched %v, want [4]", m.Unmatched)
	}
	m, err = NearestNeighbor(score, tr, MatchOptions{Replace: true})
	if err != nil {
		t.Fatal(err)
	}
	if want := [][]int{{2}, {2}, nil, nil, {3}}; !reflect.DeepEqual(m.Matches, want) {
		t.Errorf("with replacement: %v, want %v", m.Matches, want)
	}
	// Raw control weights 2 (.52) and 1 (.1) average 3/2: 4/3 and 2/3.
	want := []float64{1, 1, 4.0 / 3, 2.0 / 3, 1}
	for i := range want {
		if math.Abs(m.Weights[i]-want[i]) > 1e-15 {
			t.Errorf("weight %d = %v, want %v", i, m.Weights[i], want[i])
		}
	}
	if m.Subclass != nil {
		t.Error("with replacement: want no subclasses")
	}
}

// ATT on the hand matching: pair differences 1, 2, 6, so ATT = 3 and the
// pair-clustered CR1 variance is (3/2)(5/4) sum (d - 3)^2 / 9 = 35/12.
func TestATTByHand(t *testing.T) {
	m, err := NearestNeighbor(handScore, handTreated, MatchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// Pairs (0,1), (2,4), (5,7); units 3 and 6 are unmatched.
	y := []float64{11, 10, 7, 100, 5, 9, -100, 3}
	att, err := EstimateATT(y, m)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(att.Estimate-3) > 1e-14 {
		t.Errorf("ATT %v, want 3", att.Estimate)
	}
	if math.Abs(att.SE-math.Sqrt(35.0/12)) > 1e-14 {
		t.Errorf("SE %v, want sqrt(35/12)", att.SE)
	}
	if att.DF != 2 || att.NClusters != 3 {
		t.Errorf("df %d, clusters %d; want 2, 3", att.DF, att.NClusters)
	}
}

func TestSeparation(t *testing.T) {
	// Quasi-complete: every unit with x1 = 1 is treated.
	y := []float64{1, 1, 1, 1, 0, 0, 0, 0, 1, 0}
	x1 := []float64{1, 1, 0, 0, 0, 0, 0, 0, 0, 0}
	x2 := []float64{0.3, 1.2, -0.4, 0.8, 0.1, -1.1, 0.9, 0.2, -0.3, 0.5}
	_, err := Logit(y, [][]float64{x1, x2}, []string{"x1", "x2"}, LogitOptions{})
	var sep *SeparationError
	if !errors.As(err, &sep) {
		t.Fatalf("want a SeparationError, got %v", err)
	}
	if !reflect.DeepEqual(sep.Covariates, []string{"x1"}) || !sep.Alone {
		t.Errorf("named %v (alone %v), want [x1] alone", sep.Covariates, sep.Alone)
	}

	// Complete separation by a combination: treated exactly when
	// a + b > 0, neither a nor b separating alone; c is noise.
	y = []float64{1, 1, 1, 1, 1, 0, 0, 0, 0, 0}
	a := []float64{1, 2, -0.5, 0.7, 3, -1, -2, 0.5, -0.6, -3}
	b := []float64{1, -0.5, 2, 0.1, -1, -1, 0.5, -2, 0.2, 1}
	c := []float64{0.2, -0.1, 0.4, -0.3, 0.1, 0.3, -0.2, 0.0, 0.25, -0.4}
	_, err = Logit(y, [][]float64{a, b, c}, []string{"a", "b", "c"}, LogitOptions{})
	if !errors.As(err, &sep) {
		t.Fatalf("want a SeparationError, got %v", err)
	}
	if !reflect.DeepEqual(sep.Covariates, []string{"a", "b"}) || sep.Alone {
		t.Errorf("named %v (alone %v), want [a b] together", sep.Covariates, sep.Alone)
	}

	// Overlap: flip two labels and the estimate exists.
	y[0], y[5] = 0, 1
	if _, err := Logit(y, [][]float64{a, b, c}, []string{"a", "b", "c"}, LogitOptions{}); err != nil {
		t.Errorf("overlapping data: %v", err)
	}
}

func TestLogitCollinear(t *testing.T) {
	d := readLalonde(t)
	age, _ := d.Float("age")
	twice := make([]float64, len(age))
	for i, v := range age {
		twice[i] = 2*v + 1
	}
	d.SetFloat("age2", twice)
	spec := lalondeSpec
	spec.Covariates = append([]string{"age2"}, spec.Covariates...)
	res, err := Match(d, spec, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if j := res.Model.Index("age"); !math.IsNaN(res.Model.Coef[j]) {
		t.Errorf("age collinear with age2: coef %v, want NaN", res.Model.Coef[j])
	}
	if len(res.Model.Notes) != 1 {
		t.Errorf("notes %v, want one about age", res.Model.Notes)
	}
}

func TestMatchDropsMissing(t *testing.T) {
	d := readLalonde(t)
	educ, _ := d.Float("educ")
	educ = append([]float64(nil), educ...)
	educ[3] = math.NaN()
	d.SetFloat("educ", educ)
	res, err := Match(d, lalondeSpec, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Dropped) != 1 || res.Dropped[0].Row != 3 || res.Dropped[0].Line != 5 ||
		res.Dropped[0].Column != "educ" {
		t.Errorf("dropped %+v, want row 3 (line 5), column educ", res.Dropped)
	}
	if res.Weights[3] != 0 || len(res.Rows) != d.Len()-1 {
		t.Error("dropped row must have weight 0 and be left out of Rows")
	}
}
