package did

import (
	"fmt"
	"math"
	"sort"
)

// Effect is one aggregated treatment effect.
type Effect struct {
	// Key is the event time (dynamic), the group (group) or the period
	// (calendar); 0 for an overall effect.
	Key      int
	Estimate float64
	// SE is the bootstrap standard error when the result was bootstrapped,
	// else the analytic one; SEAnalytic is always the analytic one.
	SE, SEAnalytic    float64
	ConfLow, ConfHigh float64
}

// Aggregate is a summary of the ATT(g,t) of Callaway and Sant'Anna (2021,
// section 3), computed as the did package's aggte does.
type Aggregate struct {
	Type string // "simple", "dynamic", "group" or "calendar"
	// Overall is the summary parameter: for "simple" the average of the
	// post-treatment cells weighted by group size; for "dynamic" the mean
	// of the event-time effects e >= 0; for "group" the group effects
	// weighted by group size; for "calendar" the mean of the period effects.
	Overall Effect
	// Effects are the effects by key, in increasing order (empty for
	// "simple"), with a uniform band over them when bootstrapped.
	Effects []Effect
	CritVal float64 // critical value of the intervals of Effects
	Uniform bool
}

// linear is an aggregated parameter's influence function written as a
// combination of the cells' influence functions and the group indicators:
//
//	inf_i = sum_k a_k inf_ik + sum_g c_g (1{G_i = g} - P(G = g)).
//
// The second part is the effect of estimating the weights P(G = g).
type linear struct {
	a []float64 // by cell
	c []float64 // by treated group
}

func (r *Result) newLinear() linear {
	return linear{a: make([]float64, len(r.Cells)), c: make([]float64, len(r.Groups))}
}

func (l linear) add(m linear, s float64) {
	for k, v := range m.a {
		l.a[k] += s * v
	}
	for g, v := range m.c {
		l.c[g] += s * v
	}
}

// vector returns the influence function of l, unit by unit.
func (r *Result) vector(l linear) []float64 {
	inf := r.inf
	out := make([]float64, inf.n)
	var cShare float64
	for g, c := range l.c {
		cShare += c * r.GroupShare[g]
	}
	for c := range inf.cells {
		lo, hi := inf.start[c], inf.start[c+1]
		for j, k := range inf.cells[c] {
			if a := l.a[k]; a != 0 {
				col := inf.vals[c][j]
				for u := lo; u < hi; u++ {
					out[u] += a * col[u-lo]
				}
			}
		}
		if c < len(l.c) && l.c[c] != 0 {
			for u := lo; u < hi; u++ {
				out[u] += l.c[c]
			}
		}
	}
	if cShare != 0 {
		for u := range out {
			out[u] -= cShare
		}
	}
	return out
}

// analyticSE is sqrt(mean(inf^2)/n), the did package's getSE.
func (r *Result) analyticSE(l linear) float64 {
	var ss float64
	for _, v := range r.vector(l) {
		ss += v * v
	}
	return math.Sqrt(ss) / float64(r.inf.n)
}

// weighted returns the linear form and estimate of sum_k w_k ATT_k with
// w_k = P(G=g_k)/sum_j P(G=g_j) over the cells ks, including the effect of
// estimating the weights (the did package's wif).
func (r *Result) weighted(ks []int) (linear, float64) {
	l := r.newLinear()
	gi := make([]int, len(ks))
	var sum, num float64
	for j, k := range ks {
		gi[j] = sort.SearchInts(r.Groups, r.Cells[k].Group)
		sum += r.GroupShare[gi[j]]
	}
	for j, k := range ks {
		pg := r.GroupShare[gi[j]]
		l.a[k] = pg / sum
		num += pg * r.Cells[k].ATT
	}
	for j, k := range ks {
		l.c[gi[j]] += r.Cells[k].ATT / sum
		l.c[gi[j]] -= num / (sum * sum)
	}
	return l, num / sum
}

// groupWeighted is weighted for group-level effects: est[g] with weights
// P(G=g) over all groups, the estimated weights' effect included.
func (r *Result) groupWeighted(ls []linear, est []float64) (linear, float64) {
	l := r.newLinear()
	var sum, num float64
	for g := range ls {
		sum += r.GroupShare[g]
		num += r.GroupShare[g] * est[g]
	}
	for g := range ls {
		l.add(ls[g], r.GroupShare[g]/sum)
		l.c[g] += est[g]/sum - num/(sum*sum)
	}
	return l, num / sum
}

// Aggregate summarises the ATT(g,t) by typ: "simple", "dynamic" (by event
// time e = t - g), "group" or "calendar". Reference cells of a universal
// base period enter the dynamic aggregation as the zero effect at e = -1.
// When the result was bootstrapped, the effects get bootstrap standard
// errors and a uniform band from the same multiplier draws as the cells.
func (r *Result) Aggregate(typ string) (*Aggregate, error) {
	var keys []int
	var ls []linear
	var est []float64
	var overall linear
	var overallEst float64
	switch typ {
	case "simple":
		var ks []int
		for k, c := range r.Cells {
			if c.Post {
				ks = append(ks, k)
			}
		}
		if len(ks) == 0 {
			return nil, fmt.Errorf("did: no post-treatment ATT(g,t) to aggregate")
		}
		overall, overallEst = r.weighted(ks)
	case "dynamic":
		byE := map[int][]int{}
		for k, c := range r.Cells {
			byE[c.Time-c.Group] = append(byE[c.Time-c.Group], k)
		}
		for e := range byE {
			keys = append(keys, e)
		}
		sort.Ints(keys)
		overall = r.newLinear()
		npos := 0
		for _, e := range keys {
			l, v := r.weighted(byE[e])
			ls, est = append(ls, l), append(est, v)
			if e >= 0 {
				npos++
			}
		}
		if npos == 0 {
			return nil, fmt.Errorf("did: no event time e >= 0 to aggregate")
		}
		for j, e := range keys {
			if e >= 0 {
				overall.add(ls[j], 1/float64(npos))
				overallEst += est[j] / float64(npos)
			}
		}
	case "group":
		for g, grp := range r.Groups {
			l := r.newLinear()
			var ks []int
			for k, c := range r.Cells {
				if c.Group == grp && c.Post {
					ks = append(ks, k)
				}
			}
			var v float64
			for _, k := range ks {
				l.a[k] = 1 / float64(len(ks))
				v += r.Cells[k].ATT / float64(len(ks))
			}
			_ = g
			keys, ls, est = append(keys, grp), append(ls, l), append(est, v)
		}
		overall, overallEst = r.groupWeighted(ls, est)
	case "calendar":
		byT := map[int][]int{}
		for k, c := range r.Cells {
			if c.Post {
				byT[c.Time] = append(byT[c.Time], k)
			}
		}
		for t := range byT {
			keys = append(keys, t)
		}
		sort.Ints(keys)
		if len(keys) == 0 {
			return nil, fmt.Errorf("did: no post-treatment ATT(g,t) to aggregate")
		}
		overall = r.newLinear()
		for _, t := range keys {
			l, v := r.weighted(byT[t])
			ls, est = append(ls, l), append(est, v)
			overall.add(l, 1/float64(len(keys)))
			overallEst += v / float64(len(keys))
		}
	default:
		return nil, fmt.Errorf("did: aggregation %q: want simple, dynamic, group or calendar", typ)
	}

	agg := &Aggregate{Type: typ}
	z := normalQuantile(0.5 + r.Options.Level/2)
	agg.CritVal = z
	mk := func(key int, l linear, v float64) Effect {
		se := r.analyticSE(l)
		return Effect{Key: key, Estimate: v, SE: se, SEAnalytic: se}
	}
	agg.Overall = mk(0, overall, overallEst)
	for j := range ls {
		agg.Effects = append(agg.Effects, mk(keys[j], ls[j], est[j]))
	}
	if r.boot != nil {
		se, _ := r.boot.bands([]linear{overall}, r.Options.Level)
		agg.Overall.SE = se[0]
		if len(ls) > 0 {
			ses, crit := r.boot.bands(ls, r.Options.Level)
			agg.CritVal, agg.Uniform = crit, true
			for j := range agg.Effects {
				agg.Effects[j].SE = ses[j]
			}
		}
	}
	agg.Overall.ConfLow = agg.Overall.Estimate - z*agg.Overall.SE
	agg.Overall.ConfHigh = agg.Overall.Estimate + z*agg.Overall.SE
	for j := range agg.Effects {
		e := &agg.Effects[j]
		e.ConfLow, e.ConfHigh = e.Estimate-agg.CritVal*e.SE, e.Estimate+agg.CritVal*e.SE
	}
	return agg, nil
}
