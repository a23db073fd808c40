package analysis

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"gonum.org/v1/gonum/stat/distuv"
	"gonum.org/v1/plot"

	"example.org/smartcity/analysis/chart"
	"example.org/smartcity/analysis/did"
	"example.org/smartcity/analysis/eventstudy"
	"example.org/smartcity/analysis/fe"
	"example.org/smartcity/analysis/frame"
	"example.org/smartcity/analysis/report"
	"example.org/smartcity/analysis/twin"
	"example.org/smartcity/analysis/wild"
)

// StaggeredTreat is the study-frame column that switches on in each city's
// own pilot year, for every batch: the regressor of the two-way
// fixed-effects model that Bacon decomposes.
const StaggeredTreat = "d_staggered"

// StaggeredOptions configures Staggered. The zero value compares the
// estimators without covariates (unconditional parallel trends), with a
// universal base period for Callaway-Sant'Anna so that all three share the
// reference period -1, and analytic pointwise intervals.
type StaggeredOptions struct {
	// Covariates enter every estimator: as controls of the event-study and
	// Sun-Abraham regressions (values of each year), and as covariates of
	// Callaway-Sant'Anna's doubly robust 2x2 comparisons (values of the
	// base period). nil means none.
	Covariates []string

	// Base is Callaway-Sant'Anna's base period: "universal" (the default
	// here; every cell compares with g-1) or "varying" (the did package's
	// default; pre-pilot cells compare consecutive years).
	Base string

	// Bootstrap is the number of Callaway-Sant'Anna multiplier-bootstrap
	// draws, with uniform bands over event times; 0 means analytic
	// standard errors and pointwise intervals. Seed seeds it.
	Bootstrap int
	Seed      uint64
}

// DynamicEffect is one estimator's effect at event time e = year - pilot
// year.
type DynamicEffect struct {
	EventTime       int
	Estimate, SE, P float64
	Low, High       float64
	// Reference marks the reference period: zero by construction.
	Reference bool
}

// DynamicEstimates are one estimator's dynamic effects in event-time order.
type DynamicEstimates struct {
	Name    string
	Effects []DynamicEffect
	NObs    int    // city-years used
	Vcov    string // how the standard errors were computed
	// FixedEffects names the regression's fixed effects (none for
	// Callaway-Sant'Anna).
	FixedEffects []string
	// R2 and R2Within are the regression's; NaN for Callaway-Sant'Anna.
	R2, R2Within float64
}

// StaggeredResult compares estimators of the dynamic effect of the pilots
// on every batch (staggered adoption).
type StaggeredResult struct {
	// TWFE is the two-way fixed-effects event study: one dummy per year
	// relative to a city's own pilot year, never-pilot cities all zero.
	TWFE *eventstudy.Result
	// CSNever and CSNotYet are Callaway and Sant'Anna's ATT(g,t) with
	// never-pilot and with not-yet-pilot comparison cities;
	// DynamicNever and DynamicNotYet their dynamic aggregations.
	CSNever, CSNotYet           *did.Result
	DynamicNever, DynamicNotYet *did.Aggregate
	// SA is Sun and Abraham's interaction-weighted event study
	// (never-pilot cities as the control cohort).
	SA *did.SAResult

	// Estimators holds the four sets of dynamic effects in display order:
	// TWFE, CS (never pilot), CS (not yet pilot), SA.
	Estimators []DynamicEstimates

	Options StaggeredOptions // with defaults filled in
	Sample  Sample
	Level   float64
	Notes   []string
}

// Display names of the estimators.
const (
	NameTWFE     = "TWFE event study"
	NameCSNever  = "Callaway-Sant'Anna (never-pilot controls)"
	NameCSNotYet = "Callaway-Sant'Anna (not-yet-pilot controls)"
	NameSA       = "Sun-Abraham"
)

// Staggered estimates the dynamic effect of the pilots of every batch on
// the design's outcome by three estimators on the whole study frame:
//
//   - the two-way fixed-effects event study (package eventstudy: city and
//     year fixed effects, one dummy per relative year, reference -1),
//     whose coefficients mix cohorts with weights that can be negative and
//     compare late pilots with early ones when effects vary over time;
//   - Callaway and Sant'Anna (2021), ATT(g,t) aggregated by event time,
//     with never-pilot and with not-yet-pilot comparison cities;
//   - Sun and Abraham (2021), the interaction-weighted event study with
//     the never-pilot cities as control cohort.
//
// Standard errors are clustered by the design's cluster column for the
// regressions and by city (the influence function) for
// Callaway-Sant'Anna. The panel must be balanced (package did refuses an
// unbalanced one, naming the city and year). Cities of every pilot year
// are kept; with Design.SameProvince the never-pilot cities of provinces
// without a pilot city of any batch are left out and counted in Sample.
func Staggered(d *frame.Frame, des Design, opt StaggeredOptions) (*StaggeredResult, error) {
	des = des.withDefaults()
	if opt.Base == "" {
		opt.Base = "universal"
	}
	batches, err := pilotYears(d, des)
	if err != nil {
		return nil, err
	}
	s, err := selectCities(d, des, batches, "")
	if err != nil {
		return nil, err
	}
	if s.DroppedRows > 0 {
		d = d.Rows(s.Rows)
	}
	res := &StaggeredResult{Options: opt, Sample: s, Level: des.Level,
		Notes: []string{s.Note(), covariateNote(opt.Covariates)}}

	res.TWFE, err = eventstudy.Estimate(d, eventstudy.Options{Y: des.Y, Unit: des.Unit,
		Time: des.Time, FirstTreat: des.FirstTreat, Controls: opt.Covariates,
		Cluster: des.Cluster, Level: des.Level})
	if err != nil {
		return nil, fmt.Errorf("TWFE event study: %w", err)
	}

	spec := did.Spec{Y: des.Y, Unit: des.Unit, Time: des.Time, Group: des.FirstTreat,
		Covariates: opt.Covariates}
	cs := func(control string) (*did.Result, *did.Aggregate, error) {
		r, err := did.CallawaySantAnna(d, spec, did.Options{Control: control, Base: opt.Base,
			Bootstrap: opt.Bootstrap, Seed: opt.Seed, Level: des.Level})
		if err != nil {
			return nil, nil, fmt.Errorf("Callaway-Sant'Anna (%s): %w", control, err)
		}
		a, err := r.Aggregate("dynamic")
		if err != nil {
			return nil, nil, fmt.Errorf("Callaway-Sant'Anna (%s): %w", control, err)
		}
		return r, a, nil
	}
	if res.CSNever, res.DynamicNever, err = cs("never"); err != nil {
		return nil, err
	}
	if res.CSNotYet, res.DynamicNotYet, err = cs("notyet"); err != nil {
		return nil, err
	}

	res.SA, err = did.SunAbraham(d, spec, did.SAOptions{Cluster: des.Cluster, Level: des.Level})
	if err != nil {
		return nil, fmt.Errorf("Sun-Abraham: %w", err)
	}

	res.Estimators = []DynamicEstimates{
		twfeDynamic(res.TWFE),
		csDynamic(NameCSNever, res.CSNever, res.DynamicNever),
		csDynamic(NameCSNotYet, res.CSNotYet, res.DynamicNotYet),
		saDynamic(res.SA),
	}
	for _, n := range res.TWFE.Notes {
		res.Notes = append(res.Notes, "TWFE: "+n)
	}
	for _, n := range res.CSNever.Notes {
		res.Notes = append(res.Notes, "CS: "+n)
	}
	for _, n := range res.SA.Notes {
		res.Notes = append(res.Notes, "SA: "+n)
	}
	return res, nil
}

// pilotYears returns the distinct pilot years (first_treat > 0) in order.
func pilotYears(d *frame.Frame, des Design) ([]int, error) {
	ft, err := d.Float(des.FirstTreat)
	if err != nil {
		return nil, err
	}
	seen := map[int]bool{}
	var out []int
	for _, g := range ft {
		if g > 0 && !seen[int(g)] {
			seen[int(g)] = true
			out = append(out, int(g))
		}
	}
	sort.Ints(out)
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no pilot city (column %q is 0 everywhere)", d.Source, des.FirstTreat)
	}
	return out, nil
}

func twfeDynamic(r *eventstudy.Result) DynamicEstimates {
	out := DynamicEstimates{Name: NameTWFE, NObs: r.NObs, Vcov: r.Fit.VcovType,
		FixedEffects: r.Fit.Formula.FE, R2: r.Fit.R2, R2Within: r.Fit.R2Within}
	for _, c := range r.Coefs {
		if c.Ref {
			out.Effects = append(out.Effects, DynamicEffect{EventTime: c.RelTime, Reference: true,
				SE: math.NaN(), P: math.NaN()})
			continue
		}
		if math.IsNaN(c.Coef) {
			continue
		}
		out.Effects = append(out.Effects, DynamicEffect{EventTime: c.RelTime, Estimate: c.Coef,
			SE: c.SE, P: c.P, Low: c.Low, High: c.High})
	}
	return out
}

func csDynamic(name string, r *did.Result, a *did.Aggregate) DynamicEstimates {
	vc := "influence function, clustered by unit; pointwise intervals"
	if a.Uniform {
		vc = fmt.Sprintf("multiplier bootstrap (%d draws, seed %d), clustered by unit; "+
			"uniform band over event times", r.Options.Bootstrap, r.Options.Seed)
	}
	out := DynamicEstimates{Name: name, NObs: r.Units * len(r.Periods), Vcov: vc,
		R2: math.NaN(), R2Within: math.NaN()}
	ref := r.Options.Base == "universal"
	for _, e := range a.Effects {
		if ref && e.Key == -1 && e.SE == 0 {
			out.Effects = append(out.Effects, DynamicEffect{EventTime: e.Key, Reference: true,
				SE: math.NaN(), P: math.NaN()})
			continue
		}
		out.Effects = append(out.Effects, DynamicEffect{EventTime: e.Key, Estimate: e.Estimate,
			SE: e.SE, P: normalP(e.Estimate / e.SE), Low: e.ConfLow, High: e.ConfHigh})
	}
	return out
}

func saDynamic(r *did.SAResult) DynamicEstimates {
	out := DynamicEstimates{Name: NameSA, NObs: r.Fit.NObs, Vcov: r.Fit.VcovType,
		FixedEffects: r.Fit.Formula.FE, R2: r.Fit.R2, R2Within: r.Fit.R2Within}
	df := float64(r.Fit.DF)
	for _, e := range r.Effects {
		p := math.NaN()
		if df > 0 && e.SE > 0 {
			p = 2 * distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Survival(math.Abs(e.Estimate/e.SE))
		}
		out.Effects = append(out.Effects, DynamicEffect{EventTime: e.EventTime,
			Estimate: e.Estimate, SE: e.SE, P: p, Low: e.ConfLow, High: e.ConfHigh})
	}
	// The omitted period -1 is the reference, as in the event study.
	out.Effects = append(out.Effects, DynamicEffect{EventTime: -1, Reference: true,
		SE: math.NaN(), P: math.NaN()})
	sort.Slice(out.Effects, func(i, j int) bool {
		return out.Effects[i].EventTime < out.Effects[j].EventTime
	})
	return out
}

// normalP is the two-sided p-value of a z statistic (NaN stays NaN).
func normalP(z float64) float64 {
	return 2 * distuv.UnitNormal.Survival(math.Abs(z))
}

// At returns the effect at event time e; ok is false when not estimated.
func (d DynamicEstimates) At(e int) (DynamicEffect, bool) {
	for _, x := range d.Effects {
		if x.EventTime == e {
			return x, true
		}
	}
	return DynamicEffect{}, false
}

// Points returns the effects as chart points.
func (d DynamicEstimates) Points() []chart.EventPoint {
	pts := make([]chart.EventPoint, 0, len(d.Effects))
	for _, e := range d.Effects {
		pts = append(pts, chart.EventPoint{RelTime: e.EventTime, Coef: e.Estimate,
			Low: e.Low, High: e.High, Reference: e.Reference})
	}
	return pts
}

// Chart overlays the four estimators' dynamic effects (see
// chart.DynamicComparison); truth, when not nil, draws the true dynamic
// effects (synthetic data).
func (r *StaggeredResult) Chart(truth []chart.EventTruth,
	opt chart.DynamicOptions) (*plot.Plot, error) {
	series := make([]chart.DynamicSeries, len(r.Estimators))
	for i, e := range r.Estimators {
		series[i] = chart.DynamicSeries{Label: e.Name, Points: e.Points()}
	}
	if opt.Level == 0 {
		opt.Level = r.Level
	}
	opt.Truth = truth
	return chart.DynamicComparison(series, opt)
}

// String formats the dynamic effects side by side as plain text.
func (r *StaggeredResult) String() string {
	var b strings.Builder
	b.WriteString("Dynamic effect of the pilots, all batches (estimate and standard error)\n")
	fmt.Fprintf(&b, "%-4s", "e")
	short := []string{"TWFE", "CS never", "CS not-yet", "SA"}
	for i := range r.Estimators {
		fmt.Fprintf(&b, " %21s", short[i%len(short)])
	}
	b.WriteString("\n")
	for _, e := range eventTimes(r.Estimators) {
		fmt.Fprintf(&b, "%-4d", e)
		for _, est := range r.Estimators {
			x, ok := est.At(e)
			switch {
			case !ok:
				fmt.Fprintf(&b, " %21s", "")
			case x.Reference:
				fmt.Fprintf(&b, " %21s", "(ref) 0")
			default:
				fmt.Fprintf(&b, " %10.5f (%8.5f)", x.Estimate, x.SE)
			}
		}
		b.WriteString("\n")
	}
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "Note: %s\n", n)
	}
	return b.String()
}

// eventTimes returns every event time of any estimator, in order.
func eventTimes(ests []DynamicEstimates) []int {
	seen := map[int]bool{}
	var out []int
	for _, est := range ests {
		for _, e := range est.Effects {
			if !seen[e.EventTime] {
				seen[e.EventTime] = true
				out = append(out, e.EventTime)
			}
		}
	}
	sort.Ints(out)
	return out
}

// StaggeredTable lays out the dynamic effects of the estimators side by
// side, one row per event time (reference periods left blank).
func StaggeredTable(r *StaggeredResult) *report.Table {
	var models []report.Model
	labels := map[string]string{}
	var terms []string
	for _, e := range eventTimes(r.Estimators) {
		t := fmt.Sprintf("e%d", e)
		terms = append(terms, t)
		labels[t] = fmt.Sprintf("e = %d", e)
	}
	short := []string{"TWFE", "CS (never)", "CS (not yet)", "Sun-Abraham"}
	for i, est := range r.Estimators {
		m := report.Model{Name: short[i%len(short)], NObs: est.NObs, R2: est.R2,
			R2Within: est.R2Within, FixedEffects: est.FixedEffects, Vcov: est.Vcov}
		for _, e := range est.Effects {
			if e.Reference {
				continue
			}
			m.Terms = append(m.Terms, fmt.Sprintf("e%d", e.EventTime))
			m.Coef = append(m.Coef, e.Estimate)
			m.SE = append(m.SE, e.SE)
			m.P = append(m.P, e.P)
		}
		models = append(models, m)
	}
	notes := []string{
		"e = year - pilot year of the city; every pilot batch; the reference period e = -1 " +
			"is zero by construction and left blank.",
		"TWFE: one dummy per relative year, city and year fixed effects. CS: Callaway and " +
			"Sant'Anna (2021) ATT(g,t), " + baseNote(r.CSNever.Options.Base) + ", aggregated " +
			"by event time with cohort-size weights. Sun-Abraham: interaction-weighted event " +
			"study, never-pilot cities as control cohort.",
		"Observations: city-years used (CS: cities x years of the balanced panel).",
	}
	notes = append(notes, r.Sample.Note()+"; "+covariateNote(r.Options.Covariates)+".")
	return report.New(models, report.Options{
		Title: "Dynamic effect of the pilots under staggered adoption",
		Terms: terms, Labels: labels, Digits: 4, Notes: notes,
	})
}

func covariateNote(cov []string) string {
	if len(cov) == 0 {
		return "no covariates: parallel trends assumed unconditionally"
	}
	return "covariates " + strings.Join(cov, ", ") + " (CS: doubly robust, values of the " +
		"base period; TWFE and SA: controls of each year)"
}

func baseNote(base string) string {
	if base == "varying" {
		return "varying base period (pre-pilot cells compare consecutive years)"
	}
	return "universal base period g-1"
}

// TrueDynamic returns a twin's true effect of all batches by event time,
// minus its value at e = -1 (the estimators measure effects relative to
// that year). Its weights (every pilot city observed at e) are those of
// Callaway-Sant'Anna's dynamic aggregation on a balanced panel.
func TrueDynamic(t *twin.Truth) []chart.EventTruth {
	if t == nil {
		return nil
	}
	ref := 0.0
	for _, e := range t.ByEventTimeAll {
		if e.E == -1 {
			ref = e.ATT
		}
	}
	var out []chart.EventTruth
	for _, e := range t.ByEventTimeAll {
		if !math.IsNaN(e.ATT) {
			out = append(out, chart.EventTruth{RelTime: e.E, Effect: e.ATT - ref})
		}
	}
	return out
}

// TrueDynamic returns the twin's true dynamic effect of all batches (see
// the function TrueDynamic); nil for real data.
func (s *Study) TrueDynamic() []chart.EventTruth { return TrueDynamic(s.Truth) }

// Bacon decomposes the two-way fixed-effects estimate of the design's
// outcome on StaggeredTreat (every batch, from each city's own pilot year
// on; city and year fixed effects) into the 2x2 comparisons of
// Goodman-Bacon (2021) with their weights (see did.Bacon). The weighted
// sum of the comparisons equals the TWFE coefficient.
func Bacon(d *frame.Frame, des Design) (*did.BaconResult, error) {
	des = des.withDefaults()
	return did.Bacon(d, des.Y, StaggeredTreat, des.Unit, des.Time)
}

// BaconPoints returns the comparisons of b as chart points labelled
// "2013 vs 2012", "2012 vs never".
func BaconPoints(b *did.BaconResult) []chart.BaconPoint {
	out := make([]chart.BaconPoint, len(b.Comparisons))
	for i, c := range b.Comparisons {
		ctl := fmt.Sprint(c.Control)
		if c.Control == 0 {
			ctl = "never"
		}
		out[i] = chart.BaconPoint{Type: c.Type, Weight: c.Weight, Estimate: c.Estimate,
			Label: fmt.Sprintf("%d vs %s", c.Treated, ctl)}
	}
	return out
}

// BaconChart draws the decomposition as a scatter of 2x2 estimates
// against their weights (see chart.BaconScatter).
func BaconChart(b *did.BaconResult, opt chart.BaconOptions) (*plot.Plot, error) {
	return chart.BaconScatter(BaconPoints(b), b.TWFE, opt)
}

// BaconTable summarises the decomposition by comparison type (in the
// order of chart.BaconScatter's legend): for each type the number of 2x2
// comparisons, their total weight, the weighted mean estimate and its
// contribution (weight x estimate) to the TWFE coefficient, followed by
// the type's comparisons, indented; the last row is the TWFE coefficient,
// the sum of the contributions.
func BaconTable(b *did.BaconResult) *TextTable {
	t := &TextTable{
		Title:  "Goodman-Bacon decomposition of the TWFE estimate (all batches)",
		Header: []string{"Comparison", "2x2s", "Weight", "Estimate", "Weight x estimate"},
		Align:  "lrrrr",
	}
	pts := BaconPoints(b)
	count := map[string]int{}
	for _, c := range b.Comparisons {
		count[c.Type]++
	}
	order := []string{did.TreatedVsUntreated, did.EarlierVsLater, did.LaterVsEarlier,
		did.LaterVsAlwaysTreated}
	for _, s := range b.Summary {
		if !slices.Contains(order, s.Type) {
			order = append(order, s.Type)
		}
	}
	var sum float64
	for _, typ := range order {
		k := slices.IndexFunc(b.Summary, func(s did.TypeSummary) bool { return s.Type == typ })
		if k < 0 {
			continue
		}
		s := b.Summary[k]
		t.Rows = append(t.Rows, []string{s.Type, fmt.Sprint(count[s.Type]),
			fmt.Sprintf("%.4f", s.Weight), fmt.Sprintf("%.5f", s.Estimate),
			fmt.Sprintf("%.5f", s.Weight*s.Estimate)})
		sum += s.Weight * s.Estimate
		for _, p := range pts {
			if p.Type == typ {
				t.Rows = append(t.Rows, []string{"  " + p.Label, "1",
					fmt.Sprintf("%.4f", p.Weight), fmt.Sprintf("%.5f", p.Estimate),
					fmt.Sprintf("%.5f", p.Weight*p.Estimate)})
			}
		}
	}
	t.Rows = append(t.Rows, []string{"TWFE (sum)", fmt.Sprint(len(b.Comparisons)), "1.0000",
		fmt.Sprintf("%.5f", b.TWFE), fmt.Sprintf("%.5f", sum)})
	t.Notes = []string{fmt.Sprintf("Two-way fixed-effects coefficient on %s (city and year "+
		"fixed effects, %d cities, years %d-%d) = %.6f; the weighted sum of the 2x2 "+
		"estimates reproduces it. \"2013 vs 2012\": the 2013 batch as treated, the 2012 "+
		"batch as control.", StaggeredTreat, b.Units, b.Periods[0],
		b.Periods[len(b.Periods)-1], b.TWFE)}
	return t
}

// WildOptions configures RegionalWild. The zero value draws 9,999
// bootstrap weights with seed 0, chooses the weights by the number of
// clusters (see Weights), and reports city and province clustering.
type WildOptions struct {
	// Draws is the number of bootstrap draws; 0 means 9,999. When every
	// weight pattern (2^G Rademacher, 6^G Webb) is no more than Draws,
	// all are enumerated and the p-value is exact (see wild.WCR).
	Draws int
	Seed  uint64
	// Weights is "rademacher", "webb", or "" to use Webb's six-point
	// weights when a model has fewer than FewClusters clusters (two-point
	// weights then allow too few distinct bootstrap samples) and
	// Rademacher weights otherwise.
	Weights string
	// Clusters lists the cluster columns to report, each a separate row;
	// nil means the design's cluster (the city) and "province_code".
	Clusters []string
}

// FewClusters is the number of clusters below which RegionalWild uses
// Webb weights by default (Webb 2023 recommends them for fewer than about
// a dozen clusters).
var FewClusters = 12

// WildRow is one subgroup model tested two ways: the CRV1 clustered
// p-value (Student's t with G-1 degrees of freedom) and the wild cluster
// restricted bootstrap p-value.
type WildRow struct {
	Group   string // region label, or "All regions"
	Cluster string // cluster column
	Cities  int
	Pilots  int
	Coef    float64
	// SE and PClustered are the CRV1 standard error and p-value.
	SE, PClustered float64
	// Wild is the bootstrap test of coefficient = 0 (p-value, interval,
	// weights, draws, enumeration).
	Wild *wild.Result
}

// RegionalWild fits the baseline model with controls (the design's
// treatment dummy on the baseline sample: the baseline batch and the
// never-pilot cities; city and year fixed effects) on all cities and on
// each region of SplitRegion, and tests the pilot coefficient by CRV1
// clustered errors and by the wild cluster restricted bootstrap (Cameron,
// Gelbach and Miller 2008), clustered by each column of opt.Clusters.
// Regions hold a handful of pilot cities, where clustered errors
// over-reject; the bootstrap is the check.
func RegionalWild(d *frame.Frame, des Design, opt WildOptions) ([]WildRow, error) {
	des = des.withDefaults()
	if opt.Draws == 0 {
		opt.Draws = 9999
	}
	clusters := opt.Clusters
	if clusters == nil {
		clusters = []string{des.Cluster, "province_code"}
	}
	sub, _, err := baselineSample(d, des)
	if err != nil {
		return nil, err
	}
	reg, err := sub.Text(SplitRegion.Column)
	if err != nil {
		return nil, err
	}
	unit, err := sub.Text(des.Unit)
	if err != nil {
		return nil, err
	}
	group, err := sub.Float(des.Group)
	if err != nil {
		return nil, err
	}

	groups := append([]string{"All regions"}, SplitRegion.Labels...)
	levels := append([]string{""}, SplitRegion.Levels...)
	f := fe.Formula{Y: des.Y, X: append([]string{des.Treat}, des.Controls...),
		FE: []string{des.Unit, des.Time}}
	var out []WildRow
	for g, lev := range levels {
		var rows []int
		cities, pilots := map[string]bool{}, map[string]bool{}
		for i := range reg {
			if lev == "" || reg[i] == lev {
				rows = append(rows, i)
				cities[unit[i]] = true
				if group[i] == 1 {
					pilots[unit[i]] = true
				}
			}
		}
		if len(pilots) == 0 || len(pilots) == len(cities) {
			return nil, fmt.Errorf("region %q has %d cities of which %d pilots; the model needs "+
				"both pilot and never-pilot cities", groups[g], len(cities), len(pilots))
		}
		rd := sub.Rows(rows)
		for _, cl := range clusters {
			fit, err := fe.Fit(rd, f, fe.Options{Cluster: []string{cl}, Level: des.Level})
			if err != nil {
				return nil, fmt.Errorf("%s, clustered by %s: %w", groups[g], cl, err)
			}
			k := fit.Index(des.Treat)
			if k < 0 {
				return nil, fmt.Errorf("%s: the pilot dummy %q is collinear with the fixed "+
					"effects or controls; notes: %v", groups[g], des.Treat, fit.Notes)
			}
			w := opt.Weights
			if w == "" {
				w = "rademacher"
				if fit.NClusters < FewClusters {
					w = "webb"
				}
			}
			wr, err := wild.WCR(rd, f, wild.Options{Cluster: cl, Param: des.Treat, Weights: w,
				Draws: opt.Draws, Seed: opt.Seed, Level: des.Level})
			if err != nil {
				return nil, fmt.Errorf("%s, wild bootstrap clustered by %s: %w", groups[g], cl, err)
			}
			out = append(out, WildRow{Group: groups[g], Cluster: cl, Cities: len(cities),
				Pilots: len(pilots), Coef: fit.Coef[k], SE: fit.SE[k], PClustered: fit.P[k],
				Wild: wr})
		}
	}
	return out, nil
}

// WildTable lays out RegionalWild's rows: for each region and cluster
// column, the coefficient, the clustered and the bootstrap p-values and
// how the bootstrap was drawn.
func WildTable(rows []WildRow) *TextTable {
	t := &TextTable{
		Title: "Clustered and wild cluster bootstrap p-values by region (baseline model)",
		Header: []string{"Region", "Clustered by", "Clusters", "Pilot cities", "Coefficient",
			"CRV1 s.e.", "CRV1 p", "WCR p", "WCR 95% low", "WCR 95% high", "Weights", "Draws"},
		Align: "llrrrrrrrrll",
	}
	for _, r := range rows {
		w := r.Wild
		draws := fmt.Sprint(w.Draws)
		if w.Enumerated {
			draws += " (all)"
		}
		t.Rows = append(t.Rows, []string{r.Group, r.Cluster, fmt.Sprint(w.Clusters),
			fmt.Sprint(r.Pilots), fmt.Sprintf("%.4f", r.Coef), fmt.Sprintf("%.4f", r.SE),
			fmt.Sprintf("%.4f", r.PClustered), fmt.Sprintf("%.4f", w.PValue),
			bound(w.ConfLow), bound(w.ConfHigh), w.Weights, draws})
	}
	t.Notes = []string{
		"Baseline model with controls on each region's cities (2012 batch and never-pilot " +
			"cities), city and year fixed effects. CRV1: clustered standard error, p from " +
			"Student's t with G-1 degrees of freedom. WCR: wild cluster restricted bootstrap " +
			"of the t statistic under the null coefficient = 0; interval by test inversion.",
		fmt.Sprintf("Webb six-point weights below %d clusters, Rademacher otherwise; "+
			"\"(all)\" marks full enumeration of the weight patterns (exact, seed-free).",
			FewClusters),
	}
	if len(rows) > 0 && !rows[0].Wild.Enumerated {
		t.Notes = append(t.Notes, fmt.Sprintf("Random draws use seed %d.", rows[0].Wild.Seed))
	}
	return t
}

func bound(v float64) string {
	switch {
	case math.IsInf(v, -1):
		return "-inf"
	case math.IsInf(v, 1):
		return "inf"
	}
	return fmt.Sprintf("%.4f", v)
}

// TextTable is a table of text cells for results that are not columns of
// regression coefficients (package report lays those out). It renders as
// Markdown, LaTeX (booktabs) and CSV.
type TextTable struct {
	Title  string
	Header []string
	Rows   [][]string
	// Align has one letter per column: l, r or c; "" means the first
	// column left and the others right.
	Align string
	Notes []string
}

func (t *TextTable) align(j int) byte {
	if j < len(t.Align) {
		return t.Align[j]
	}
	if j == 0 {
		return 'l'
	}
	return 'r'
}

// Markdown renders the table as GitHub-flavoured Markdown.
func (t *TextTable) Markdown() string {
	esc := func(s string) string {
		s = strings.ReplaceAll(s, "|", "\\|")
		return strings.ReplaceAll(s, "*", "\\*")
	}
	var b strings.Builder
	if t.Title != "" {
		fmt.Fprintf(&b, "**%s**\n\n", esc(t.Title))
	}
	b.WriteString("|")
	for _, h := range t.Header {
		b.WriteString(" " + esc(h) + " |")
	}
	b.WriteString("\n|")
	for j := range t.Header {
		switch t.align(j) {
		case 'r':
			b.WriteString("---:|")
		case 'c':
			b.WriteString(":---:|")
		default:
			b.WriteString(":---|")
		}
	}
	b.WriteString("\n")
	for _, r := range t.Rows {
		b.WriteString("|")
		for _, c := range r {
			ind := ""
			if strings.HasPrefix(c, "  ") {
				ind = "&emsp;"
			}
			b.WriteString(" " + ind + esc(strings.TrimLeft(c, " ")) + " |")
		}
		b.WriteString("\n")
	}
	if len(t.Notes) > 0 {
		b.WriteString("\n")
		for _, n := range t.Notes {
			fmt.Fprintf(&b, "*%s*\n\n", esc(n))
		}
	}
	return b.String()
}

// LaTeX renders the table as a booktabs tabular in a table environment.
func (t *TextTable) LaTeX() string {
	esc := func(s string) string {
		r := strings.NewReplacer(`\`, `\textbackslash{}`, "&", `\&`, "%", `\%`, "$", `\$`,
			"#", `\#`, "_", `\_`, "{", `\{`, "}", `\}`, "~", `\textasciitilde{}`,
			"^", `\textasciicircum{}`)
		return r.Replace(s)
	}
	var b strings.Builder
	b.WriteString("\\begin{table}[htbp]\n\\centering\n")
	if t.Title != "" {
		fmt.Fprintf(&b, "\\caption{%s}\n", esc(t.Title))
	}
	b.WriteString("\\begin{tabular}{")
	for j := range t.Header {
		b.WriteByte(t.align(j))
	}
	b.WriteString("}\n\\toprule\n")
	row := func(cells []string) {
		for j, c := range cells {
			if j > 0 {
				b.WriteString(" & ")
			}
			if strings.HasPrefix(c, "  ") {
				b.WriteString("\\quad ")
				c = strings.TrimLeft(c, " ")
			}
			b.WriteString(esc(c))
		}
		b.WriteString(" \\\\\n")
	}
	row(t.Header)
	b.WriteString("\\midrule\n")
	for _, r := range t.Rows {
		row(r)
	}
	b.WriteString("\\bottomrule\n\\end{tabular}\n")
	for _, n := range t.Notes {
		fmt.Fprintf(&b, "\\par\\smallskip{\\footnotesize %s}\n", esc(n))
	}
	b.WriteString("\\end{table}\n")
	return b.String()
}

// CSV renders the header and rows as comma-separated values (RFC 4180
// quoting; leading indentation dropped). Title and notes are left out.
func (t *TextTable) CSV() string {
	q := func(s string) string {
		s = strings.TrimLeft(s, " ")
		if strings.ContainsAny(s, ",\"\n") {
			return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
		}
		return s
	}
	var b strings.Builder
	for _, r := range append([][]string{t.Header}, t.Rows...) {
		for j, c := range r {
			if j > 0 {
				b.WriteByte(',')
			}
			b.WriteString(q(c))
		}
		b.WriteByte('\n')
	}
	return b.String()
}
