package did

import (
	"fmt"
	"math"
	"sort"

	"example.org/smartcity/analysis/fe"
	"example.org/smartcity/analysis/frame"
	"gonum.org/v1/gonum/stat/distuv"
)

// SAOptions configures SunAbraham. The zero value clusters by unit, uses
// the never-treated units as the control cohort (or, when there are none,
// the last-treated cohort with the periods from its treatment on dropped),
// and gives 95% intervals.
type SAOptions struct {
	// Cluster is the cluster column; "" means the unit column.
	Cluster string
	// Level is the confidence level; 0 means 0.95.
	Level float64
}

// SACell is the coefficient of one cohort x relative-period interaction.
type SACell struct {
	Group, EventTime int
	Estimate, SE     float64
	NObs             int
}

// SAEffect is one interaction-weighted event-time effect.
type SAEffect struct {
	EventTime         int
	Estimate, SE      float64
	ConfLow, ConfHigh float64
	// Weights are the cohort shares that average the cells of this
	// event time, by cohort (in the order of SAResult.Groups; 0 where the
	// cohort is not observed at this event time).
	Weights []float64
}

// SAResult is the Sun and Abraham (2021) interaction-weighted event study.
type SAResult struct {
	Cells   []SACell   // by cohort, then event time
	Effects []SAEffect // by event time; -1 is the reference and absent
	Groups  []int      // treated cohorts estimated
	Control string     // "never treated" or "last-treated cohort g"
	Fit     *fe.Result
	Notes   []string
}

// SunAbraham estimates the interaction-weighted event study of Sun and
// Abraham (2021): a two-way fixed-effects regression of Y on the full set of
// cohort x relative-period dummies 1{G=g} 1{t-g=e} for every treated cohort
// g and every observed e except the reference e = -1, with unit and period
// fixed effects and the covariates of the spec, estimated on the treated
// cohorts and the control cohort only. The event-time effect is
//
//	beta_e = sum_g w_ge delta_ge,  w_ge = share of cohort g among the
//	         observations at relative period e,
//
// with variance w'Vw from the clustered covariance of the deltas (weights
// taken as fixed, as fixest's sunab does). With never-treated controls on a
// balanced panel, delta_ge equals Callaway and Sant'Anna's ATT(g, g+e) with
// never-treated comparisons and a universal base period.
//
// Units treated in or before the first period have no reference period and
// are dropped (noted). Missing values are dropped by the regression and
// noted there.
func SunAbraham(d *frame.Frame, s Spec, opt SAOptions) (*SAResult, error) {
	if opt.Cluster == "" {
		opt.Cluster = s.Unit
	}
	if opt.Level == 0 {
		opt.Level = 0.95
	}
	tv, err := d.Float(s.Time)
	if err != nil {
		return nil, err
	}
	gv, err := d.Float(s.Group)
	if err != nil {
		return nil, err
	}
	first, last := math.Inf(1), math.Inf(-1)
	for i, t := range tv {
		if math.IsNaN(t) || t != math.Trunc(t) {
			return nil, &frame.CellError{Source: d.Source, Line: d.Line(i), Column: s.Time,
				Value: frame.FormatNumber(t), Reason: "period must be a whole number"}
		}
		g := gv[i]
		if math.IsNaN(g) || g != math.Trunc(g) || g < 0 {
			return nil, &frame.CellError{Source: d.Source, Line: d.Line(i), Column: s.Group,
				Value:  frame.FormatNumber(g),
				Reason: "first-treatment period must be a whole number (0 = never treated)"}
		}
		first, last = math.Min(first, t), math.Max(last, t)
	}
	res := &SAResult{Control: "never treated"}

	// A cohort first treated after the last period is never treated
	// within the sample (as in CallawaySantAnna): it has no post-period,
	// and its pre-period dummies would absorb its rows.
	late := 0
	gv = append([]float64(nil), gv...)
	for i, g := range gv {
		if g > last {
			gv[i] = 0
			late++
		}
	}
	if late > 0 {
		res.Notes = append(res.Notes, fmt.Sprintf("%d row(s) of units first treated after the "+
			"last period %v are counted as never treated", late, last))
	}

	// Control cohort: the never treated, else the last-treated cohort.
	var cohorts []int
	seen := map[int]bool{}
	hasNever, early := false, 0
	for _, g := range gv {
		switch {
		case g == 0:
			hasNever = true
		case g <= first:
			early++
		case !seen[int(g)]:
			seen[int(g)] = true
			cohorts = append(cohorts, int(g))
		}
	}
	sort.Ints(cohorts)
	control, cutoff := 0, math.Inf(1)
	if !hasNever {
		if len(cohorts) < 2 {
			return nil, fmt.Errorf("%s: no never-treated unit and fewer than two treated "+
				"cohorts; there is no control cohort", d.Source)
		}
		control = cohorts[len(cohorts)-1]
		cohorts = cohorts[:len(cohorts)-1]
		cutoff = float64(control)
		res.Control = fmt.Sprintf("last-treated cohort %d (periods from %d on dropped)",
			control, control)
	}
	if early > 0 {
		res.Notes = append(res.Notes, fmt.Sprintf("dropped %d row(s) of units treated in or "+
			"before the first period (no reference period)", early))
	}
	res.Groups = cohorts

	// Rows kept and the interaction dummies.
	keep := func(i int) bool {
		g := int(gv[i])
		if g > 0 && float64(g) <= first {
			return false
		}
		return tv[i] < cutoff
	}
	var kept []float64
	for i := range gv {
		if keep(i) {
			kept = append(kept, gv[i])
		}
	}
	sub := d.Filter(keep)
	stv, _ := sub.Float(s.Time)
	sgv := kept
	type key struct{ g, e int }
	var keys []key
	cols := map[key][]float64{}
	for i := range stv {
		g := int(sgv[i])
		if g == 0 || g == control {
			continue
		}
		k := key{g, int(stv[i]) - g}
		if k.e == -1 {
			continue
		}
		if cols[k] == nil {
			cols[k] = make([]float64, sub.Len())
			keys = append(keys, k)
		}
		cols[k][i] = 1
	}
	sort.Slice(keys, func(a, b int) bool {
		if keys[a].g != keys[b].g {
			return keys[a].g < keys[b].g
		}
		return keys[a].e < keys[b].e
	})
	if len(keys) == 0 {
		return nil, fmt.Errorf("%s: no treated cohort has a period other than its reference "+
			"period g-1", d.Source)
	}
	f := fe.Formula{Y: s.Y, FE: []string{s.Unit, s.Time}}
	name := func(k key) string {
		if k.e < 0 {
			return fmt.Sprintf("sunab_g%d_em%d", k.g, -k.e)
		}
		return fmt.Sprintf("sunab_g%d_e%d", k.g, k.e)
	}
	for _, k := range keys {
		sub.SetFloat(name(k), cols[k])
		f.X = append(f.X, name(k))
	}
	f.X = append(f.X, s.Covariates...)
	fit, err := fe.Fit(sub, f, fe.Options{Cluster: []string{opt.Cluster}, Level: opt.Level})
	if err != nil {
		return nil, fmt.Errorf("Sun-Abraham regression: %v", err)
	}
	res.Fit = fit
	res.Notes = append(res.Notes, fit.Notes...)

	// Cells and the interaction weights (shares of observations used).
	used := make([]bool, sub.Len())
	if fit.Rows == nil {
		for i := range used {
			used[i] = true
		}
	} else {
		for _, i := range fit.Rows {
			used[i] = true
		}
	}
	count := map[key]int{}
	for _, k := range keys {
		for i, v := range cols[k] {
			if v == 1 && used[i] {
				count[k]++
			}
		}
	}
	byE := map[int][]key{}
	for _, k := range keys {
		j := fit.Index(name(k))
		if j < 0 {
			continue // dropped as collinear; named in the fit's notes
		}
		res.Cells = append(res.Cells, SACell{Group: k.g, EventTime: k.e,
			Estimate: fit.Coef[j], SE: fit.SE[j], NObs: count[k]})
		byE[k.e] = append(byE[k.e], k)
	}
	var es []int
	for e := range byE {
		es = append(es, e)
	}
	sort.Ints(es)
	z := normalQuantileT(opt.Level, fit.DF)
	for _, e := range es {
		var tot float64
		for _, k := range byE[e] {
			tot += float64(count[k])
		}
		eff := SAEffect{EventTime: e, Weights: make([]float64, len(cohorts))}
		idx := make([]int, 0, len(byE[e]))
		wts := make([]float64, 0, len(byE[e]))
		for _, k := range byE[e] {
			w := float64(count[k]) / tot
			j := fit.Index(name(k))
			eff.Estimate += w * fit.Coef[j]
			eff.Weights[sort.SearchInts(cohorts, k.g)] = w
			idx, wts = append(idx, j), append(wts, w)
		}
		var v float64
		for a := range idx {
			for b := range idx {
				v += wts[a] * wts[b] * fit.Vcov.At(idx[a], idx[b])
			}
		}
		eff.SE = math.Sqrt(v)
		eff.ConfLow, eff.ConfHigh = eff.Estimate-z*eff.SE, eff.Estimate+z*eff.SE
		res.Effects = append(res.Effects, eff)
	}
	return res, nil
}

// normalQuantileT is the two-sided critical value at level of Student's t
// with df degrees of freedom (the normal when df <= 0).
func normalQuantileT(level float64, df int) float64 {
	if df <= 0 {
		return normalQuantile(0.5 + level/2)
	}
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(df)}.Quantile(0.5 + level/2)
}
