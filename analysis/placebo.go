package analysis

import (
	"fmt"

	"gonum.org/v1/plot"

	"example.org/smartcity/analysis/chart"
	"example.org/smartcity/analysis/fe"
	"example.org/smartcity/analysis/frame"
	"example.org/smartcity/analysis/placebo"
)

// PlaceboOptions configures the placebo tests. The zero value permutes
// pilot status 1000 times from seed 0, with the design's controls.
type PlaceboOptions struct {
	Draws      int    // random permutations; 0 = 1000
	Seed       uint64 // seed of the permutations
	NoControls bool
}

func (o PlaceboOptions) controls(des Design) []string {
	if o.NoControls {
		return nil
	}
	return des.Controls
}

func (des Design) formula(controls []string) fe.Formula {
	return fe.Formula{Y: des.Y, X: append([]string{des.Treat}, controls...),
		FE: []string{des.Unit, des.Time}}
}

// PermutePilots is the placebo test by randomization inference: pilot
// status is permuted across the cities of the baseline sample (each city
// takes the pilot path of another) and the baseline model re-estimated for
// each permutation (package placebo). The permutation p-value is the share
// of permuted estimates at least as large in absolute value as the
// observed one.
func PermutePilots(d *frame.Frame, des Design, opt PlaceboOptions) (*placebo.Result, error) {
	des = des.withDefaults()
	sub, _, err := baselineSample(d, des)
	if err != nil {
		return nil, err
	}
	return placebo.Permutation(sub, des.formula(opt.controls(des)), des.Treat, des.Unit, des.Time,
		placebo.Options{Draws: opt.Draws, Seed: opt.Seed,
			FE: fe.Options{Cluster: []string{des.Cluster}, Level: des.Level}})
}

// PermutationChart draws the permutation distribution with the observed
// estimate marked and the p-value in the title.
func PermutationChart(r *placebo.Result, opt chart.PermutationOptions) (*plot.Plot, error) {
	if opt.Title == "" {
		opt.Title = fmt.Sprintf("Placebo: %d permutations of pilot status (p = %.3f)",
			len(r.Draws), r.PValue)
	}
	return chart.Permutation(r.Draws, r.Observed, opt)
}

// FakePilotYears is the timing placebo: on the years before the pilot
// only, the pilot is moved to each of the fake years and the baseline model
// re-estimated; the estimates should be near zero.
func FakePilotYears(d *frame.Frame, des Design, fakes []int,
	opt PlaceboOptions) ([]placebo.FakeYear, error) {
	des = des.withDefaults()
	sub, _, err := baselineSample(d, des)
	if err != nil {
		return nil, err
	}
	fy := make([]float64, len(fakes))
	for i, y := range fakes {
		fy[i] = float64(y)
	}
	return placebo.FakePilotYears(sub, des.formula(opt.controls(des)), des.Treat, des.Group,
		des.Time,
		float64(des.PilotYear), fy, fe.Options{Cluster: []string{des.Cluster}, Level: des.Level})
}

// DiffPermutation is the permutation test of the difference between the
// pilot effects of two levels of a split (level a minus level b): cities
// of the two levels keep their pilot status, their level labels are
// permuted, and both subgroup models are re-estimated per draw (package
// placebo). Cities of other levels are left out.
func DiffPermutation(d *frame.Frame, des Design, split Split, a, b string,
	opt PlaceboOptions) (*placebo.DiffResult, error) {
	des = des.withDefaults()
	sub, _, err := baselineSample(d, des)
	if err != nil {
		return nil, err
	}
	lev, err := sub.Text(split.Column)
	if err != nil {
		return nil, err
	}
	var rows []int
	for i, l := range lev {
		if l == a || l == b {
			rows = append(rows, i)
		}
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("%s: no city has level %q or %q of column %q", d.Source, a, b,
			split.Column)
	}
	two := sub.Rows(rows)
	g := make([]float64, len(rows))
	for k, i := range rows {
		if lev[i] == a {
			g[k] = 1
		}
	}
	const col = "subgroup_a"
	two.SetFloat(col, g)
	return placebo.SubgroupDifference(two, des.formula(opt.controls(des)), des.Treat, des.Unit,
		des.Time,
		col, placebo.Options{Draws: opt.Draws, Seed: opt.Seed,
			FE: fe.Options{Cluster: []string{des.Cluster}, Level: des.Level}})
}
