package analysis

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"

	"example.org/smartcity/analysis/fe"
	"example.org/smartcity/analysis/frame"
)

// DropOptions configures DropPilots. The zero value drops 20% of the pilot
// cities in each of 500 draws from seed 0, with the design's controls.
type DropOptions struct {
	Share      float64 // share of pilot cities dropped per draw; 0 = 0.2
	Draws      int     // number of draws; 0 = 500
	Seed       uint64  // seed of the PCG generator
	NoControls bool    // fit the model without controls
	Alpha      float64 // significance level counted; 0 = 0.05
}

// DropResult is the distribution of the baseline coefficient when a random
// share of the pilot cities is left out, draw after draw: a robustness
// check that no small group of pilots drives the estimate.
type DropResult struct {
	Full    Coef      // the estimate on the whole baseline sample
	Coef    []float64 // the estimate of each draw, in draw order
	SE      []float64
	P       []float64
	Dropped int // pilot cities left out per draw, of Pilots
	Pilots  int
	Draws   int
	Alpha   float64
	Seed    uint64

	// Summary of Coef: mean, standard deviation, 2.5%, 50% and 97.5%
	// quantiles (R's type 7), and the share of draws significant at Alpha
	// with the sign of the full-sample estimate.
	Mean, SD           float64
	Q025, Median, Q975 float64
	ShareSignificant   float64
	ShareSameSign      float64
	Failed             int // draws whose fit failed (none expected); not in Coef
	FirstFailure       string
	Sample             Sample
	Notes              []string
}

// DropPilots re-estimates the baseline model opt.Draws times, each time on
// the baseline sample without round(Share × pilots) pilot cities drawn at
// random without replacement (math/rand/v2 PCG seeded with opt.Seed, so a
// seed gives the same draws on any machine).
func DropPilots(d *frame.Frame, des Design, opt DropOptions) (*DropResult, error) {
	des = des.withDefaults()
	if opt.Share == 0 {
		opt.Share = 0.2
	}
	if opt.Draws == 0 {
		opt.Draws = 500
	}
	if opt.Alpha == 0 {
		opt.Alpha = 0.05
	}
	if !(opt.Share > 0 && opt.Share < 1) || opt.Draws < 0 {
		return nil, fmt.Errorf("drop pilots: share %v must lie in (0, 1) and draws %d be positive",
			opt.Share, opt.Draws)
	}
	controls := des.Controls
	if opt.NoControls {
		controls = nil
	}
	sub, s, err := baselineSample(d, des)
	if err != nil {
		return nil, err
	}

	// Only the model's columns are copied in each draw.
	sub, err = slim(sub, append([]string{des.Y, des.Unit, des.Time, des.Treat, des.Group,
		des.Cluster},
		controls...))
	if err != nil {
		return nil, err
	}
	full, err := fitDID(sub, des, des.Treat, controls, "")
	if err != nil {
		return nil, err
	}

	// The pilot cities, in sorted order so the draws do not depend on row
	// order, and the rows of each city.
	unit, err := sub.Text(des.Unit)
	if err != nil {
		return nil, err
	}
	group, err := sub.Float(des.Group)
	if err != nil {
		return nil, err
	}
	rowsOf := map[string][]int{}
	var pilots []string
	for i, u := range unit {
		if _, seen := rowsOf[u]; !seen && group[i] == 1 {
			pilots = append(pilots, u)
		}
		rowsOf[u] = append(rowsOf[u], i)
	}
	sort.Strings(pilots)
	k := int(math.Round(opt.Share * float64(len(pilots))))
	if k < 1 || k >= len(pilots) {
		return nil, fmt.Errorf("drop pilots: %v of %d pilot cities is %d; nothing to drop or nothing left",
			opt.Share, len(pilots), k)
	}

	res := &DropResult{Full: coefOf(full, des.Treat), Dropped: k, Pilots: len(pilots),
		Draws: opt.Draws, Alpha: opt.Alpha, Seed: opt.Seed, Sample: s}
	rng := rand.New(rand.NewPCG(opt.Seed, 0x5eed_d809))
	perm := make([]string, len(pilots))
	drop := map[string]bool{}
	keep := make([]int, 0, sub.Len())
	for b := 0; b < opt.Draws; b++ {
		copy(perm, pilots)
		// Partial Fisher-Yates: the first k entries are a uniform sample.
		for i := 0; i < k; i++ {
			j := i + rng.IntN(len(perm)-i)
			perm[i], perm[j] = perm[j], perm[i]
		}
		clear(drop)
		for _, u := range perm[:k] {
			drop[u] = true
		}
		keep = keep[:0]
		for i, u := range unit {
			if !drop[u] {
				keep = append(keep, i)
			}
		}
		r, err := fitDID(sub.Rows(keep), des, des.Treat, controls, "")
		if err != nil {
			res.Failed++
			if res.FirstFailure == "" {
				res.FirstFailure = fmt.Sprintf("draw %d: %v", b, err)
			}
			continue
		}
		c := coefOf(r, des.Treat)
		res.Coef = append(res.Coef, c.Coef)
		res.SE = append(res.SE, c.SE)
		res.P = append(res.P, c.P)
	}
	if len(res.Coef) == 0 {
		return nil, fmt.Errorf("drop pilots: every draw failed; first: %s", res.FirstFailure)
	}
	res.summarise()
	res.Notes = append(res.Notes, s.Note(),
		fmt.Sprintf("%d draws, %d of %d pilot cities left out in each, seed %d",
			opt.Draws, k, len(pilots), opt.Seed))
	if res.Failed > 0 {
		res.Notes = append(res.Notes, fmt.Sprintf("%d draws failed and are left out; first: %s",
			res.Failed, res.FirstFailure))
	}
	return res, nil
}

func (r *DropResult) summarise() {
	n := float64(len(r.Coef))
	sum := 0.0
	for _, c := range r.Coef {
		sum += c
	}
	r.Mean = sum / n
	ss := 0.0
	for _, c := range r.Coef {
		ss += (c - r.Mean) * (c - r.Mean)
	}
	if n > 1 {
		r.SD = math.Sqrt(ss / (n - 1))
	}
	sorted := append([]float64(nil), r.Coef...)
	sort.Float64s(sorted)
	r.Q025, r.Median, r.Q975 = quantile7(sorted, 0.025), quantile7(sorted,
		0.5), quantile7(sorted, 0.975)
	sig, same := 0, 0
	for i, c := range r.Coef {
		if math.Signbit(c) == math.Signbit(r.Full.Coef) {
			same++
			if r.P[i] < r.Alpha {
				sig++
			}
		}
	}
	r.ShareSignificant, r.ShareSameSign = float64(sig)/n, float64(same)/n
}

// quantile7 is the quantile of sorted data by linear interpolation
// between order statistics (R's default, type 7).
func quantile7(sorted []float64, p float64) float64 {
	n := len(sorted)
	if n == 0 {
		return math.NaN()
	}
	h := float64(n-1) * p
	lo := math.Floor(h)
	i := int(lo)
	if i+1 >= n {
		return sorted[n-1]
	}
	return sorted[i] + (h-lo)*(sorted[i+1]-sorted[i])
}

// BatchResult is the model with a later pilot batch added to the treated
// group: each added city is treated from its own pilot year on.
type BatchResult struct {
	WithoutControls, WithControls *fe.Result
	Term                          string // the treatment dummy built, "did_batches"
	Batches                       []int
	Sample                        Sample
	Notes                         []string
}

// Effect returns the coefficient on the treatment dummy.
func (b *BatchResult) Effect(withControls bool) Coef {
	if withControls {
		return coefOf(b.WithControls, b.Term)
	}
	return coefOf(b.WithoutControls, b.Term)
}

// AddBatches re-estimates the baseline with the pilot cities of the given
// later batches (e.g. 2013) added to the treated group. The treatment
// dummy is 1 from each city's own pilot year on; cities of batches not
// listed are left out, as in the baseline.
func AddBatches(d *frame.Frame, des Design, batches ...int) (*BatchResult, error) {
	des = des.withDefaults()
	all := append([]int{des.PilotYear}, batches...)
	s, err := selectCities(d, des, all, fmt.Sprintf("pilots of batches other than %v", all))
	if err != nil {
		return nil, err
	}
	sub := d.Rows(s.Rows)
	ft, _ := sub.Float(des.FirstTreat)
	year, _ := sub.Float(des.Time)
	const term = "did_batches"
	dv := make([]float64, sub.Len())
	for i := range dv {
		if ft[i] > 0 && year[i] >= ft[i] {
			dv[i] = 1
		}
	}
	sub.SetFloat(term, dv)
	res := &BatchResult{Term: term, Batches: all, Sample: s, Notes: []string{s.Note()}}
	if res.WithoutControls, err = fitDID(sub, des, term, nil, ""); err != nil {
		return nil, err
	}
	if res.WithControls, err = fitDID(sub, des, term, des.Controls, ""); err != nil {
		return nil, err
	}
	return res, nil
}

// slim returns a frame with only the named columns of d (shared, not
// copied), in the order given, without repeats. Controls written as
// log(x) keep the column x.
func slim(d *frame.Frame, cols []string) (*frame.Frame, error) {
	out := frame.New(d.Source)
	out.Lines = make([]int, d.Len())
	for i := range out.Lines {
		out.Lines[i] = d.Line(i)
	}
	seen := map[string]bool{}
	for _, c := range cols {
		if strings.HasPrefix(c, "log(") && strings.HasSuffix(c, ")") {
			c = c[4 : len(c)-1]
		}
		if seen[c] {
			continue
		}
		seen[c] = true
		col, ok := d.Column(c)
		if !ok {
			_, err := d.Float(c) // for the error naming the columns
			return nil, err
		}
		if col.IsNumeric() {
			out.SetFloat(c, col.Num)
		} else {
			out.SetText(c, col.Text)
		}
	}
	return out, nil
}
