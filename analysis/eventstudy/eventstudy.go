package eventstudy

import (
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/plot"

	"example.org/smartcity/analysis/chart"
	"example.org/smartcity/analysis/fe"
	"example.org/smartcity/analysis/frame"
)

// Options describes an event study. The zero value of each optional field
// is the documented default.
type Options struct {
	// Y, Unit, Time and FirstTreat name the columns of the outcome, the unit
	// identifier, the period (integer-valued, e.g. the year) and the unit's
	// first treatment period (0 or missing for never-treated units).
	Y, Unit, Time, FirstTreat string

	// Window is the range [a, b] of relative periods estimated. The zero
	// value [0, 0] means every relative period observed.
	Window [2]int

	// Bin pools treated observations outside the window into its end
	// points; without it they are dropped and counted in Notes.
	Bin bool

	// Reference is the omitted relative period; 0 means -1, the year before
	// treatment. (Period 0 itself cannot be the reference.)
	Reference int

	// Controls are further regressors, as fe formula terms ("lnpop",
	// "log(gdp)").
	Controls []string

	// FE are the fixed effects; nil means Unit and Time.
	FE []string

	// Cluster is the cluster column; "" means Unit. Vcov and SSC are passed
	// to fe.Fit ("" = CRV1 with the nested rule).
	Cluster   string
	Vcov, SSC string

	// Weights names a column of observation weights; "" means none.
	Weights string

	// Level is the confidence level; 0 means 0.95.
	Level float64
}

// Coef is the estimate for one relative period.
type Coef struct {
	RelTime  int
	Term     string  // regressor name in the fit, e.g. "rel_m2", "rel_0"
	Coef, SE float64 // 0 and NaN for the reference period
	Stat, P  float64
	Low      float64 // confidence interval at Options.Level
	High     float64
	NObs     int  // observations of treated units in this period (after binning)
	Ref      bool // the omitted reference period
	Binned   bool // an end point that pools the periods beyond it
}

// Result is a fitted event study.
type Result struct {
	Coefs     []Coef // every period of the window in order, reference included
	Reference int
	Window    [2]int
	Binned    bool
	Level     float64

	// PreTrend is the joint Wald test that every lead (k < 0 other than the
	// reference) is zero. Its DF1 is 0 when there is no lead to test.
	PreTrend fe.Wald

	// Fit is the underlying fixed-effects regression; its Notes are
	// included in Notes.
	Fit *fe.Result

	NObs, NUnits, NTreatedUnits int

	// Notes accounts for what was dropped and how the model was built.
	Notes []string
}

// Term returns the regressor name of relative period k: rel_m2 for -2,
// rel_0 for 0, rel_3 for 3.
func Term(k int) string {
	if k < 0 {
		return fmt.Sprintf("rel_m%d", -k)
	}
	return fmt.Sprintf("rel_%d", k)
}

// Never is the relative period RelativeTime gives never-treated units.
const Never = math.MinInt32

// RelativeTime returns t - g for each row, or Never where g is 0 or NaN
// (never treated). It returns an error naming the row when t or g is not
// a whole number.
func RelativeTime(t, g []float64) ([]int, error) {
	if len(t) != len(g) {
		panic("eventstudy: RelativeTime: time and first-treatment columns differ in length")
	}
	out := make([]int, len(t))
	for i := range t {
		if g[i] == 0 || math.IsNaN(g[i]) {
			out[i] = Never
			continue
		}
		if t[i] != math.Trunc(t[i]) || math.IsInf(t[i], 0) {
			return nil, fmt.Errorf("row %d: period %v is not a whole number", i, t[i])
		}
		if g[i] != math.Trunc(g[i]) || math.IsInf(g[i], 0) {
			return nil, fmt.Errorf("row %d: first treatment period %v is not a whole number", i,
				g[i])
		}
		out[i] = int(t[i] - g[i])
	}
	return out, nil
}

// Estimate fits the event study described by opt on d.
//
// It returns an error when a column is missing or not numeric, a period is
// not a whole number, no unit is ever treated, the window does not contain
// the reference period, or the fit fails (see fe.Fit). Rows with a missing
// outcome, control or identifier are dropped by fe.Fit and counted in
// Notes.
func Estimate(d *frame.Frame, opt Options) (*Result, error) {
	if opt.Y == "" || opt.Unit == "" || opt.Time == "" || opt.FirstTreat == "" {
		return nil, fmt.Errorf("eventstudy: Y, Unit, Time and FirstTreat must all be named")
	}
	ref := opt.Reference
	if ref == 0 {
		ref = -1
	}
	level := opt.Level
	if level == 0 {
		level = 0.95
	}
	t, err := d.Float(opt.Time)
	if err != nil {
		return nil, err
	}
	g, err := d.Float(opt.FirstTreat)
	if err != nil {
		return nil, err
	}
	rel, err := RelativeTime(t, g)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", d.Source, err)
	}

	// The window: every observed relative period unless given.
	lo, hi := math.MaxInt, math.MinInt
	for _, k := range rel {
		if k != Never {
			lo, hi = min(lo, k), max(hi, k)
		}
	}
	if lo > hi {
		return nil, fmt.Errorf("eventstudy: %s: no unit is ever treated (column %q is 0 or missing everywhere)",
			d.Source, opt.FirstTreat)
	}
	win := opt.Window
	if win == [2]int{} {
		win = [2]int{lo, hi}
	}
	if win[0] > win[1] {
		return nil, fmt.Errorf("eventstudy: window [%d, %d] is empty", win[0], win[1])
	}
	if ref < win[0] || ref > win[1] {
		return nil, fmt.Errorf("eventstudy: reference period %d lies outside the window [%d, %d]",
			ref, win[0], win[1])
	}

	// Bin or drop treated rows outside the window.
	var notes []string
	keep := make([]int, 0, len(rel))
	dropped := 0
	binnedLo, binnedHi := false, false
	for i, k := range rel {
		if k == Never {
			keep = append(keep, i)
			continue
		}
		switch {
		case k < win[0] && opt.Bin:
			rel[i], binnedLo = win[0], true
		case k > win[1] && opt.Bin:
			rel[i], binnedHi = win[1], true
		case k < win[0] || k > win[1]:
			dropped++
			continue
		}
		keep = append(keep, i)
	}
	if dropped > 0 {
		notes = append(notes,
			fmt.Sprintf("%d observations of treated units outside the window [%d, %d] dropped"+
				" (use binning to keep them)", dropped, win[0], win[1]))
	}
	if opt.Bin && (binnedLo || binnedHi) {
		notes = append(notes,
			fmt.Sprintf("relative periods beyond [%d, %d] pooled into the end points",
				win[0], win[1]))
	}

	// The estimation frame: the columns the model needs, plus one dummy per
	// relative period of the window other than the reference.
	cluster := opt.Cluster
	if cluster == "" {
		cluster = opt.Unit
	}
	fes := opt.FE
	if fes == nil {
		fes = []string{opt.Unit, opt.Time}
	}
	sub := d.Rows(keep)
	var terms []string
	counts := map[int]int{}
	for _, i := range keep {
		if rel[i] != Never {
			counts[rel[i]]++
		}
	}
	for k := win[0]; k <= win[1]; k++ {
		if k == ref {
			continue
		}
		name := Term(k)
		if sub.Has(name) {
			return nil, fmt.Errorf("eventstudy: %s: column %q exists; rename it, the event study needs the name",
				d.Source, name)
		}
		col := make([]float64, len(keep))
		for j, i := range keep {
			if rel[i] == k {
				col[j] = 1
			}
		}
		if counts[k] == 0 {
			notes = append(notes,
				fmt.Sprintf("relative period %d has no observation; its coefficient is not estimated", k))
			continue
		}
		sub.SetFloat(name, col)
		terms = append(terms, name)
	}

	f := fe.Formula{Y: opt.Y, X: append(append([]string(nil), terms...), opt.Controls...), FE: fes}
	fit, err := fe.Fit(sub, f, fe.Options{
		Vcov: opt.Vcov, Cluster: []string{cluster}, SSC: opt.SSC,
		Weights: opt.Weights, Level: level,
	})
	if err != nil {
		return nil, fmt.Errorf("eventstudy: %w", err)
	}

	res := &Result{Reference: ref, Window: win, Binned: opt.Bin, Level: level, Fit: fit,
		NObs: fit.NObs}
	for k := win[0]; k <= win[1]; k++ {
		c := Coef{RelTime: k, Term: Term(k), NObs: counts[k],
			Binned: opt.Bin && ((k == win[0] && binnedLo) || (k == win[1] && binnedHi))}
		if k == ref {
			c.Ref = true
			c.SE, c.Stat, c.P = math.NaN(), math.NaN(), math.NaN()
			c.Low, c.High = math.NaN(), math.NaN()
			res.Coefs = append(res.Coefs, c)
			continue
		}
		j := fit.Index(Term(k))
		if j < 0 {
			c.Coef, c.SE, c.Stat, c.P = math.NaN(), math.NaN(), math.NaN(), math.NaN()
			c.Low, c.High = math.NaN(), math.NaN()
		} else {
			c.Coef, c.SE, c.Stat, c.P = fit.Coef[j], fit.SE[j], fit.Stat[j], fit.P[j]
			c.Low, c.High = fit.ConfLow[j], fit.ConfHigh[j]
		}
		res.Coefs = append(res.Coefs, c)
	}

	var leads []string
	for _, c := range res.Coefs {
		if c.RelTime < 0 && !c.Ref && fit.Index(c.Term) >= 0 {
			leads = append(leads, c.Term)
		}
	}
	if len(leads) > 0 {
		w, err := fit.Wald(leads)
		if err != nil {
			return nil, fmt.Errorf("eventstudy: joint test of the leads: %w", err)
		}
		res.PreTrend = w
	} else {
		res.PreTrend = fe.Wald{Stat: math.NaN(), P: math.NaN(), Chi2: math.NaN()}
		notes = append(notes, "no lead to test: the window starts at the reference period")
	}

	units := map[string]bool{}
	treated := map[string]bool{}
	ids, err := sub.Text(opt.Unit)
	if err != nil {
		return nil, err
	}
	for j, i := range keep {
		units[ids[j]] = true
		if rel[i] != Never {
			treated[ids[j]] = true
		}
	}
	res.NUnits, res.NTreatedUnits = len(units), len(treated)
	res.Notes = append(notes, fit.Notes...)
	return res, nil
}

// Lags returns the coefficients of periods k >= 0, in order.
func (r *Result) Lags() []Coef {
	var out []Coef
	for _, c := range r.Coefs {
		if c.RelTime >= 0 {
			out = append(out, c)
		}
	}
	return out
}

// At returns the coefficient of relative period k; ok is false outside the
// window.
func (r *Result) At(k int) (Coef, bool) {
	for _, c := range r.Coefs {
		if c.RelTime == k {
			return c, true
		}
	}
	return Coef{}, false
}

// Points returns the coefficients as chart points; periods whose
// coefficient could not be estimated are left out.
func (r *Result) Points() []chart.EventPoint {
	var pts []chart.EventPoint
	for _, c := range r.Coefs {
		if c.Ref {
			pts = append(pts, chart.EventPoint{RelTime: c.RelTime, Reference: true})
			continue
		}
		if math.IsNaN(c.Coef) {
			continue
		}
		pts = append(pts, chart.EventPoint{RelTime: c.RelTime, Coef: c.Coef, Low: c.Low,
			High: c.High})
	}
	return pts
}

// Chart draws the event study (see chart.EventStudy); opt.Level defaults
// to the level of the fit.
func (r *Result) Chart(opt chart.EventStudyOptions) (*plot.Plot, error) {
	if opt.Level == 0 {
		opt.Level = r.Level
	}
	return chart.EventStudy(r.Points(), opt)
}

// String formats the coefficients as a plain-text table with the joint
// test of the leads and the notes.
func (r *Result) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Event study: reference period %d, window [%d, %d]", r.Reference,
		r.Window[0], r.Window[1])
	if r.Binned {
		b.WriteString(", end points binned")
	}
	fmt.Fprintf(&b, "\n%-8s %-8s %12s %12s %8s %8s %12s %12s %6s\n",
		"k", "term", "coef", "std. error", "t", "p", "ci low", "ci high", "obs")
	for _, c := range r.Coefs {
		if c.Ref {
			fmt.Fprintf(&b, "%-8d %-8s %12s %12s %8s %8s %12s %12s %6d\n",
				c.RelTime, "(ref)", "0", "", "", "", "", "", c.NObs)
			continue
		}
		term := c.Term
		if c.Binned {
			term += "+"
		}
		fmt.Fprintf(&b, "%-8d %-8s %12.6f %12.6f %8.3f %8.4f %12.6f %12.6f %6d\n",
			c.RelTime, term, c.Coef, c.SE, c.Stat, c.P, c.Low, c.High, c.NObs)
	}
	if r.PreTrend.DF1 > 0 {
		fmt.Fprintf(&b, "Joint test of the leads: F(%d, %d) = %.4f, p = %.4f\n",
			r.PreTrend.DF1, r.PreTrend.DF2, r.PreTrend.Stat, r.PreTrend.P)
	}
	fmt.Fprintf(&b, "Observations %d, units %d (treated %d)\n", r.NObs, r.NUnits, r.NTreatedUnits)
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "Note: %s\n", n)
	}
	return b.String()
}
