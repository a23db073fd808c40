package twin_test

import (
	"fmt"
	"math"
	"os"
	"strconv"
	"testing"

	"example.org/smartcity/analysis/fe"
	"example.org/smartcity/analysis/frame"
	"example.org/smartcity/analysis/panel"
	"example.org/smartcity/analysis/twin"
)

// The study assumes parallel trends conditional on the controls: had no
// city been a pilot, the index of the 2012 batch and of the never-pilot
// cities would have moved alike once the controls are held fixed. The
// tests below fit the study's event study (relative-year dummies of the
// 2012 batch, reference year -1, the codebook's controls, city and year
// fixed effects, errors clustered by city: what analysis.EventStudy fits)
// and its baseline difference in differences on twins of many seeds and
// check that the twin meets the assumption: the leads average zero, and
// the baseline estimate with controls averages the true effect while the
// one without controls is biased by the pilots' faster population growth.

// trendStudy holds the estimates of one twin.
type trendStudy struct {
	lead, leadSE   []float64 // k = -6 ... -2
	lead0          []float64 // the same on the index without the policy
	lag0           []float64 // k = 0 ... 9 on the index without the policy
	withControls   float64   // baseline estimate minus the true att_2012
	withoutControl float64
	didSE          float64 // standard error of the baseline estimate with controls
	truth          float64
	leadsP         float64 // joint test of the leads, with controls

	// Differences of subgroup estimates (coastal - inland, central cities -
	// the rest), estimated and true; NaN when a subgroup has no pilot.
	coastal, coastalTrue, central, centralTrue float64
}

// studyControls are the study names of the codebook's controls.
func studyControls() []string {
	var out []string
	for _, v := range panel.DefaultCodebook().Controls() {
		out = append(out, v.StudyName)
	}
	return out
}

func relName(k int) string {
	if k < 0 {
		return fmt.Sprintf("rel_m%d", -k)
	}
	return fmt.Sprintf("rel_%d", k)
}

func fitStudy(t *testing.T, d *frame.Frame, y string, x []string) *fe.Result {
	t.Helper()
	r, err := fe.Fit(d, fe.Formula{Y: y, X: x, FE: []string{"city_code", "year"}},
		fe.Options{Cluster: []string{"city_code"}})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func coefOf(t *testing.T, r *fe.Result, term string) (float64, float64) {
	t.Helper()
	j := r.Index(term)
	if j < 0 {
		t.Fatalf("term %s not estimated: %v", term, r.Notes)
	}
	return r.Coef[j], r.SE[j]
}

// studyTwin generates the twin of seed and fits the event studies and the
// baseline models on its 2012 batch and never-pilot cities.
func studyTwin(t *testing.T, seed uint64) trendStudy {
	t.Helper()
	tw, err := twin.Generate(twin.Config{Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	d, _, err := tw.StudyFrame(panel.StudyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	d.SetFloat("index0", tw.Index0)
	ft, _ := d.Float("first_treat")
	var rows []int
	for i, g := range ft {
		if g == 0 || g == 2012 {
			rows = append(rows, i)
		}
	}
	s := d.Rows(rows)
	ft, _ = s.Float("first_treat")
	yr, _ := s.Float("year")
	var rel []string
	for k := -6; k <= 9; k++ {
		if k == -1 {
			continue
		}
		col := make([]float64, s.Len())
		for i := range col {
			if ft[i] == 2012 && int(yr[i])-2012 == k {
				col[i] = 1
			}
		}
		s.SetFloat(relName(k), col)
		rel = append(rel, relName(k))
	}
	ctl := studyControls()
	es := fitStudy(t, s, "index", append(append([]string(nil), rel...), ctl...))
	es0 := fitStudy(t, s, "index0", append(append([]string(nil), rel...), ctl...))
	var out trendStudy
	var leads []string
	for k := -6; k <= -2; k++ {
		c, se := coefOf(t, es, relName(k))
		out.lead, out.leadSE = append(out.lead, c), append(out.leadSE, se)
		c, _ = coefOf(t, es0, relName(k))
		out.lead0 = append(out.lead0, c)
		leads = append(leads, relName(k))
	}
	for k := 0; k <= 9; k++ {
		c, _ := coefOf(t, es0, relName(k))
		out.lag0 = append(out.lag0, c)
	}
	w, err := es.Wald(leads)
	if err != nil {
		t.Fatal(err)
	}
	out.leadsP = w.P
	out.truth = tw.Truth.ATT2012.ATT
	c, se := coefOf(t, fitStudy(t, s, "index", append([]string{"did"}, ctl...)), "did")
	out.withControls, out.didSE = c-out.truth, se
	c, _ = coefOf(t, fitStudy(t, s, "index", []string{"did"}), "did")
	out.withoutControl = c - out.truth

	class := map[string]float64{}
	for _, e := range tw.Truth.ByClass2012 {
		class[e.Group] = e.ATT
	}
	out.coastal = subgroupDiff(t, s, "coastal", ctl)
	out.coastalTrue = class["coastal"] - class["inland"]
	out.central = subgroupDiff(t, s, "central_city", ctl)
	out.centralTrue = class["central"] - class["non-central"]
	return out
}

// subgroupDiff fits the baseline model with controls on the cities with
// col = 1 and on those with col = 0 and returns the difference of the two
// estimates, or NaN when a group has no pilot city.
func subgroupDiff(t *testing.T, s *frame.Frame, col string, ctl []string) float64 {
	v, _ := s.Float(col)
	var est [2]float64
	for g := range est {
		r := fitStudy(t, s.Filter(func(i int) bool { return v[i] == float64(g) }), "index",
			append([]string{"did"}, ctl...))
		if r.Index("did") < 0 {
			return math.NaN()
		}
		est[g], _ = coefOf(t, r, "did")
	}
	return est[1] - est[0]
}

func meanSD(x []float64) (float64, float64) {
	var m, s float64
	for _, v := range x {
		m += v
	}
	m /= float64(len(x))
	for _, v := range x {
		s += (v - m) * (v - m)
	}
	if len(x) < 2 {
		return m, math.NaN()
	}
	return m, math.Sqrt(s / float64(len(x)-1))
}

// trendSummary averages the studies of many twins.
type trendSummary struct {
	twins                    int
	lead, leadSE, lead0      [5]float64 // means by k = -6 ... -2
	lag0                     [10]float64
	withControls, withoutCtl float64 // mean bias
	withSE, withoutSE        float64 // Monte Carlo standard errors of the mean bias
	didSE, truth             float64
	leadsRejected            int // joint lead tests with p < 0.05

	// Mean subgroup differences over the twins where both are defined.
	coastal, coastalTrue, central, centralTrue float64
	coastalTwins, centralTwins                 int
}

func summarize(ss []trendStudy) trendSummary {
	n := float64(len(ss))
	r := trendSummary{twins: len(ss)}
	var with, without []float64
	for _, s := range ss {
		for k := range s.lead {
			r.lead[k] += s.lead[k] / n
			r.leadSE[k] += s.leadSE[k] / n
			r.lead0[k] += s.lead0[k] / n
		}
		for k := range s.lag0 {
			r.lag0[k] += s.lag0[k] / n
		}
		with, without = append(with, s.withControls), append(without, s.withoutControl)
		r.didSE += s.didSE / n
		r.truth += s.truth / n
		if s.leadsP < 0.05 {
			r.leadsRejected++
		}
		if !math.IsNaN(s.coastal) && !math.IsNaN(s.coastalTrue) {
			r.coastal += s.coastal
			r.coastalTrue += s.coastalTrue
			r.coastalTwins++
		}
		if !math.IsNaN(s.central) && !math.IsNaN(s.centralTrue) {
			r.central += s.central
			r.centralTrue += s.centralTrue
			r.centralTwins++
		}
	}
	r.coastal /= float64(r.coastalTwins)
	r.coastalTrue /= float64(r.coastalTwins)
	r.central /= float64(r.centralTwins)
	r.centralTrue /= float64(r.centralTwins)
	var sd float64
	r.withControls, sd = meanSD(with)
	r.withSE = sd / math.Sqrt(n)
	r.withoutCtl, sd = meanSD(without)
	r.withoutSE = sd / math.Sqrt(n)
	return r
}

func (r trendSummary) log(t *testing.T) {
	t.Helper()
	for k := range r.lead {
		t.Logf("lead k=%d: mean %+.5f, mean SE %.5f, mean/SE %+.3f; without the policy %+.5f",
			k-6, r.lead[k], r.leadSE[k], r.lead[k]/r.leadSE[k], r.lead0[k])
	}
	lags := ""
	for k, v := range r.lag0 {
		lags += fmt.Sprintf(" %d:%+.4f", k, v)
	}
	t.Logf("index without the policy, mean coefficient by k:%s", lags)
	t.Logf("joint lead test rejects at 5%% in %d of %d twins", r.leadsRejected, r.twins)
	t.Logf("mean true att_2012 %.5f; baseline bias with controls %+.5f (Monte Carlo s.e. %.5f, "+
		"mean SE of the estimate %.5f), without controls %+.5f (%.5f)", r.truth, r.withControls,
		r.withSE, r.didSE, r.withoutCtl, r.withoutSE)
	t.Logf("coastal - inland: estimated %+.5f, true %+.5f (%d twins); central cities - the "+
		"rest: estimated %+.5f, true %+.5f (%d twins)", r.coastal, r.coastalTrue, r.coastalTwins,
		r.central, r.centralTrue, r.centralTwins)
}

// TestParallelTrends runs the event study and the baseline models on many
// twins (seeds 1 to N; N = 200, or SMARTCITY_TWIN_TRENDS_TWINS). It takes
// about a minute and runs only with SMARTCITY_TWIN_TRENDS=1. Tolerances: each
// lead averages within 0.25 of its mean standard error of zero; the
// baseline estimate with controls averages within 0.25 mean standard errors
// of the truth; the estimate without controls is biased downward by more
// than four Monte Carlo standard errors and more than twice as much; the
// coastal - inland and central - rest differences of subgroup estimates
// average within 30% of the true differences.
//
// Measured on seeds 1-200: leads average +0.00 to +0.16 of their mean SE
// (0.0031 to 0.0044); the joint lead test rejects at 5% in 10 twins;
// the true att_2012 averages 0.0234; the baseline estimate with controls
// is off by -0.0013 (Monte Carlo s.e. 0.0004; mean SE 0.0075), without
// controls by -0.0069. The bias that remains with controls comes from log
// population trending with pilot status: it soaks up part of the effect's
// growth over the years (TWFE with a single dummy weighs early post-pilot
// years more once such a control is in).
func TestParallelTrends(t *testing.T) {
	if os.Getenv("SMARTCITY_TWIN_TRENDS") != "1" {
		t.Skip("slow: set SMARTCITY_TWIN_TRENDS=1 to run")
	}
	n := 200
	if s := os.Getenv("SMARTCITY_TWIN_TRENDS_TWINS"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v < 10 {
			t.Fatalf("SMARTCITY_TWIN_TRENDS_TWINS=%q: want a whole number of at least 10", s)
		}
		n = v
	}
	var ss []trendStudy
	for seed := 1; seed <= n; seed++ {
		ss = append(ss, studyTwin(t, uint64(seed)))
	}
	r := summarize(ss)
	r.log(t)
	for k := range r.lead {
		if math.Abs(r.lead[k]) > 0.25*r.leadSE[k] {
			t.Errorf("lead k=%d averages %.5f, more than 0.25 of its mean SE %.5f", k-6,
				r.lead[k], r.leadSE[k])
		}
	}
	if math.Abs(r.withControls) > 0.25*r.didSE {
		t.Errorf("baseline with controls is biased by %.5f on average (mean SE %.5f)",
			r.withControls, r.didSE)
	}
	if !(r.withoutCtl < -4*r.withoutSE && r.withoutCtl < 2*r.withControls-0.0005) {
		t.Errorf("baseline without controls: bias %.5f (Monte Carlo s.e. %.5f) is not clearly "+
			"below the bias with controls %.5f", r.withoutCtl, r.withoutSE, r.withControls)
	}
	// Subgroup differences: the sign of the truth and within 30% of it.
	for _, c := range []struct {
		name      string
		est, want float64
	}{{"coastal - inland", r.coastal, r.coastalTrue},
		{"central cities - the rest", r.central, r.centralTrue}} {
		if math.Abs(c.est-c.want) > 0.3*math.Abs(c.want) {
			t.Errorf("%s: estimated %.5f on average, true %.5f", c.name, c.est, c.want)
		}
	}
}

// TestParallelTrendsQuick is the fast version on the committed seed and
// seeds 1 and 2. Under parallel trends the mean t statistic of the 15
// leads (5 per twin) has a standard deviation of about 0.35; it must lie
// within ±1. And in each twin the estimate without controls lies below the
// one with controls, as the pilots' faster population growth makes it.
func TestParallelTrendsQuick(t *testing.T) {
	var meanT float64
	for _, seed := range []uint64{twin.DefaultSeed, 1, 2} {
		s := studyTwin(t, seed)
		for k := range s.lead {
			meanT += s.lead[k] / s.leadSE[k] / 15
		}
		if s.withoutControl >= s.withControls {
			t.Errorf("seed %d: estimate without controls %.5f not below the one with controls %.5f",
				seed, s.withoutControl+s.truth, s.withControls+s.truth)
		}
	}
	if math.Abs(meanT) > 1 {
		t.Errorf("mean t statistic of the leads %.3f", meanT)
	}
}
