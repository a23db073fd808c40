package psm

import (
	"fmt"
	"math"
	"sort"
)

// MatchOptions sets up nearest-neighbour matching. The zero value is 1:1
// matching without replacement and without a caliper.
type MatchOptions struct {
	// Ratio is the number k of controls matched to each treated unit;
	// 0 means 1.
	Ratio int

	// Replace allows a control to be matched to several treated units.
	Replace bool

	// Caliper, when positive, is the largest allowed distance between a
	// treated unit's score and its control's. Treated units with no
	// control within the caliper stay unmatched. 0 means no caliper.
	Caliper float64

	// CaliperScale says what Caliper is measured in: "" or "sd" for
	// standard deviations of the score over all units (MatchIt's default,
	// std.caliper = TRUE; the sample standard deviation, n-1 divisor),
	// "raw" for units of the score itself.
	CaliperScale string
}

func (o MatchOptions) ratio() int {
	if o.Ratio <= 0 {
		return 1
	}
	return o.Ratio
}

// Matching is the outcome of nearest-neighbour matching on a score.
type Matching struct {
	Score   []float64 // the distance measure, one per unit (a copy)
	Treated []bool    // treatment, one per unit

	// Matches[i] lists, for a treated unit i, the controls matched to it
	// in the order they were found (round by round); nil for controls and
	// for unmatched treated units.
	Matches [][]int

	// Weights are the matching weights for the ATT, one per unit (see
	// MatchWeights); 0 for units left out.
	Weights []float64

	// Subclass gives each matched unit's pair (the treated unit and its
	// controls share one number, 1, 2, ... in the data order of the treated
	// units, as MatchIt numbers them); 0 for
	// unmatched units. It is nil when matching with replacement, where a
	// control belongs to several pairs.
	Subclass []int

	CaliperWidth float64 // caliper in score units; 0 when none

	NTreated, NControl int   // units of each group
	NMatchedTreated    int   // treated units with at least one match
	NMatchedControl    int   // distinct controls used
	Unmatched          []int // treated units left without a match
	Notes              []string
}

// NearestNeighbor matches each treated unit to its Ratio nearest controls
// on score, following MatchIt's method "nearest" for the ATT:
//
//   - Units are sorted by score, ties kept in data order. Treated units
//     are matched greedily, in descending order of score (MatchIt's
//     m.order = "largest"; ties in data order), one control per round:
//     every treated unit gets its first control, then every one its
//     second, and so on up to Ratio.
//   - A treated unit's match is the nearest control still available on
//     either side of it in the sorted order; at equal distance the one
//     with the lower score wins. Without replacement a control is used
//     once; with replacement it stays available, but never twice for the
//     same treated unit.
//   - With a caliper, a control farther than the caliper is not taken;
//     a treated unit that finds none within it gets no (further) match.
//
// Weights are computed by MatchWeights. NearestNeighbor returns an error
// when there are no treated or no control units, or when no unit could be
// matched; it panics if score and treated differ in length or a score is
// NaN.
func NearestNeighbor(score []float64, treated []bool, opt MatchOptions) (*Matching, error) {
	n := len(score)
	if len(treated) != n {
		panic("psm: NearestNeighbor: score and treated differ in length")
	}
	m := &Matching{
		Score:   append([]float64(nil), score...),
		Treated: append([]bool(nil), treated...),
		Matches: make([][]int, n),
	}
	for i, t := range treated {
		if math.IsNaN(score[i]) {
			panic(fmt.Sprintf("psm: NearestNeighbor: score of unit %d is NaN", i))
		}
		if t {
			m.NTreated++
		} else {
			m.NControl++
		}
	}
	if m.NTreated == 0 || m.NControl == 0 {
		return nil, fmt.Errorf("psm: matching needs treated and control units; have %d treated, %d controls",
			m.NTreated, m.NControl)
	}

	caliper := math.Inf(1)
	if opt.Caliper > 0 {
		switch opt.CaliperScale {
		case "", "sd":
			m.CaliperWidth = opt.Caliper * sampleSD(score)
		case "raw":
			m.CaliperWidth = opt.Caliper
		default:
			return nil, fmt.Errorf("psm: caliper scale %q: want \"sd\" or \"raw\"", opt.CaliperScale)
		}
		caliper = m.CaliperWidth
	} else if opt.Caliper < 0 {
		return nil, fmt.Errorf("psm: caliper %v is negative", opt.Caliper)
	}

	// pos[k] is the unit at sorted position k; at[i] is unit i's position.
	pos := make([]int, n)
	for i := range pos {
		pos[i] = i
	}
	sort.SliceStable(pos, func(a, b int) bool { return score[pos[a]] < score[pos[b]] })
	at := make([]int, n)
	for k, i := range pos {
		at[i] = k
	}

	// Treated units in descending score order, ties in data order.
	var order []int
	for i, t := range treated {
		if t {
			order = append(order, i)
		}
	}
	sort.SliceStable(order, func(a, b int) bool { return score[order[a]] > score[order[b]] })

	available := make([]bool, n)
	for i, t := range treated {
		available[i] = !t
	}
	k := opt.ratio()
	if !opt.Replace && m.NControl < k*m.NTreated {
		m.Notes = append(m.Notes, fmt.Sprintf(
			"%d controls for %d treated units at ratio %d: not every treated unit can get %d matches",
			m.NControl, m.NTreated, k, k))
	}
	taken := func(t, c int) bool {
		for _, x := range m.Matches[t] {
			if x == c {
				return true
			}
		}
		return false
	}
	stopped := make([]bool, n) // treated unit found no match in an earlier round
	for round := 0; round < k; round++ {
		for _, t := range order {
			if stopped[t] {
				continue
			}
			left, right := -1, -1
			for q := at[t] - 1; q >= 0; q-- {
				c := pos[q]
				if treated[c] || !available[c] || taken(t, c) {
					continue
				}
				if score[t]-score[c] <= caliper {
					left = c
				}
				break
			}
			for q := at[t] + 1; q < n; q++ {
				c := pos[q]
				if treated[c] || !available[c] || taken(t, c) {
					continue
				}
				if score[c]-score[t] <= caliper {
					right = c
				}
				break
			}
			c := left
			if right >= 0 && (left < 0 || math.Abs(score[right]-score[t]) < math.Abs(score[left]-score[t])) {
				c = right
			}
			if c < 0 {
				stopped[t] = true
				continue
			}
			m.Matches[t] = append(m.Matches[t], c)
			if !opt.Replace {
				available[c] = false
			}
		}
	}

	used := make([]bool, n)
	for _, t := range order {
		if len(m.Matches[t]) == 0 {
			m.Unmatched = append(m.Unmatched, t)
			continue
		}
		m.NMatchedTreated++
		for _, c := range m.Matches[t] {
			if !used[c] {
				used[c] = true
				m.NMatchedControl++
			}
		}
	}
	sort.Ints(m.Unmatched)
	if len(m.Unmatched) > 0 {
		why := "no control left"
		if opt.Caliper > 0 {
			why = "no available control within the caliper"
		}
		m.Notes = append(m.Notes, fmt.Sprintf("%d of %d treated units unmatched (%s)",
			len(m.Unmatched), m.NTreated, why))
	}
	if m.NMatchedTreated == 0 {
		return nil, fmt.Errorf("psm: no treated unit could be matched (caliper %.4g in score units)",
			m.CaliperWidth)
	}

	if !opt.Replace {
		m.Subclass = make([]int, n)
		s := 0
		for t := range treated {
			if !treated[t] || len(m.Matches[t]) == 0 {
				continue
			}
			s++
			m.Subclass[t] = s
			for _, c := range m.Matches[t] {
				m.Subclass[c] = s
			}
		}
	}
	m.Weights = MatchWeights(treated, m.Matches)
	return m, nil
}

// MatchWeights computes MatchIt's matching weights for the ATT from the
// matches of each treated unit (matches[i] for treated unit i):
//
//	treated unit with at least one match:  w = 1
//	control j:  v_j = sum over treated i matched to j of 1/k_i,
//	            w_j = v_j / mean(v_l over controls l with v_l > 0)
//
// where k_i is the number of controls matched to i. The rescaling is
// MatchIt's normalize = TRUE: nonzero weights in each group average 1, so
// the control weights sum to the number of distinct matched controls.
// Without replacement v_j = 1/k_i is also MatchIt's stratum weight
// p/(1-p) for the pair, so both of MatchIt's rules give the same numbers.
// Unmatched units get 0.
func MatchWeights(treated []bool, matches [][]int) []float64 {
	w := make([]float64, len(treated))
	for i, ms := range matches {
		if !treated[i] || len(ms) == 0 {
			continue
		}
		w[i] = 1
		for _, c := range ms {
			w[c] += 1 / float64(len(ms))
		}
	}
	var sum float64
	var cnt int
	for i, v := range w {
		if !treated[i] && v > 0 {
			sum += v
			cnt++
		}
	}
	if cnt > 0 {
		mean := sum / float64(cnt)
		for i := range w {
			if !treated[i] {
				w[i] /= mean
			}
		}
	}
	return w
}

// sampleSD is the standard deviation with divisor n-1 (R's sd).
func sampleSD(x []float64) float64 {
	if len(x) < 2 {
		return 0
	}
	var m float64
	for _, v := range x {
		m += v
	}
	m /= float64(len(x))
	var ss float64
	for _, v := range x {
		ss += (v - m) * (v - m)
	}
	return math.Sqrt(ss / float64(len(x)-1))
}
