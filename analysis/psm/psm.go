package psm

import (
	"fmt"
	"math"

	"example.org/smartcity/analysis/frame"
)

// Spec names the columns of a propensity-score matching.
type Spec struct {
	Treat      string   // 0/1 treatment column
	Covariates []string // numeric columns, or text columns (expanded to indicators)
	Outcome    string   // optional; when set, the ATT is estimated
}

// Options sets up the propensity model and the matching. The zero value is
// MatchIt's default: a logit score, 1:1 nearest neighbour without
// replacement, no caliper.
type Options struct {
	Match MatchOptions
	Logit LogitOptions
}

// Dropped is a row left out of the matching and the reason.
type Dropped struct {
	Row    int // row of the frame, 0-based
	Line   int // line of the source file
	Column string
	Reason string
}

// Support summarises the overlap of the propensity scores of the two groups,
// the data of a common-support chart (histograms or densities of the score
// by group, before and after matching).
type Support struct {
	TreatedScores  []float64 // score of every treated unit, in row order
	ControlScores  []float64 // score of every control unit, in row order
	TreatedWeights []float64 // matching weight of each treated unit (0 = unmatched)
	ControlWeights []float64 // matching weight of each control unit (0 = unused)

	// Low and High bound the region of common support, from the larger of
	// the two group minima to the smaller of the two maxima.
	Low, High float64

	TreatedOutside, ControlOutside int // units with a score outside [Low, High]
}

// Result is a propensity-score matching on the rows of a frame.
type Result struct {
	Rows    []int     // frame rows used, in order; unit i of Matching is row Rows[i]
	Dropped []Dropped // rows left out (missing values), with the reason

	Model    *LogitResult
	Matching *Matching

	// Balance has the score ("distance", as MatchIt names it) first, then
	// each covariate; a text covariate appears once per level.
	Balance []BalanceRow
	Support Support
	ATT     *ATT // nil without an outcome

	// Weights is the matching weight of every row of the frame: 0 for
	// rows dropped or not matched.
	Weights []float64

	Notes []string
}

// Match estimates a logit propensity score of spec.Treat on spec.Covariates
// (see Logit), matches treated rows to control rows on that score (see
// NearestNeighbor; the distance is the score itself, MatchIt's default
// distance = "glm"), and reports balance, common support, the matching
// weights of every row and, with an outcome, the ATT (see EstimateATT).
//
// Rows with a missing treatment, covariate or outcome are left out and
// listed in Dropped. A text covariate with L levels enters the model as
// L-1 indicators, the first level (in sorted order) the reference, as R's
// model.matrix does; the balance table shows all L.
//
// Errors name the column and row of bad values (a treatment other than
// 0/1), and report separation (*SeparationError), non-convergence
// (*ConvergenceError) and matchings that leave no pairs.
func Match(d *frame.Frame, spec Spec, opt Options) (*Result, error) {
	des, err := buildDesign(d, spec, nil)
	if err != nil {
		return nil, err
	}
	return des.match(d, opt)
}

// design is the model matrix of a matching on a subset of rows.
type design struct {
	spec      Spec
	rows      []int
	dropped   []Dropped
	y         []float64 // treatment, per used row
	outcome   []float64
	model     [][]float64 // logit columns (indicators without reference)
	modelName []string
	bal       [][]float64 // balance columns (all indicator levels)
	balName   []string
}

// buildDesign collects the columns of spec on the frame rows in subset
// (all rows when nil), leaving out rows with missing values.
func buildDesign(d *frame.Frame, spec Spec, subset []int) (*design, error) {
	if spec.Treat == "" {
		return nil, fmt.Errorf("psm: no treatment column given")
	}
	if len(spec.Covariates) == 0 {
		return nil, fmt.Errorf("psm: no covariates given")
	}
	if subset == nil {
		subset = make([]int, d.Len())
		for i := range subset {
			subset[i] = i
		}
	}
	treat, err := d.Float(spec.Treat)
	if err != nil {
		return nil, err
	}
	var outcome []float64
	if spec.Outcome != "" {
		if outcome, err = d.Float(spec.Outcome); err != nil {
			return nil, err
		}
	}

	type cov struct {
		name   string
		num    []float64
		codes  []int32
		levels []string
	}
	covs := make([]cov, len(spec.Covariates))
	for j, name := range spec.Covariates {
		c, ok := d.Column(name)
		if !ok {
			return nil, &frame.ColumnError{Source: d.Source, Column: name,
				Reason: fmt.Sprintf("no such column; columns are %v", d.Names())}
		}
		covs[j].name = name
		if c.IsNumeric() {
			covs[j].num = c.Num
			continue
		}
		codes, levels, err := d.Factor(name)
		if err != nil {
			return nil, err
		}
		covs[j].codes, covs[j].levels = codes, levels
	}

	des := &design{spec: spec}
	for _, i := range subset {
		reason, col := "", ""
		switch {
		case math.IsNaN(treat[i]):
			reason, col = "treatment missing", spec.Treat
		case treat[i] != 0 && treat[i] != 1:
			return nil, &frame.CellError{Source: d.Source, Line: d.Line(i), Column: spec.Treat,
				Value: frame.FormatNumber(treat[i]), Reason: "treatment must be 0 or 1"}
		case outcome != nil && math.IsNaN(outcome[i]):
			reason, col = "outcome missing", spec.Outcome
		}
		for _, c := range covs {
			if reason != "" {
				break
			}
			if (c.num != nil && math.IsNaN(c.num[i])) || (c.codes != nil && c.codes[i] < 0) {
				reason, col = "covariate missing", c.name
			}
		}
		if reason != "" {
			des.dropped = append(des.dropped, Dropped{Row: i, Line: d.Line(i), Column: col, Reason: reason})
			continue
		}
		des.rows = append(des.rows, i)
		des.y = append(des.y, treat[i])
		if outcome != nil {
			des.outcome = append(des.outcome, outcome[i])
		}
	}
	if len(des.rows) == 0 {
		return nil, fmt.Errorf("psm: %s: no complete rows (%d dropped for missing values)",
			d.Source, len(des.dropped))
	}

	for _, c := range covs {
		if c.num != nil {
			v := make([]float64, len(des.rows))
			for k, i := range des.rows {
				v[k] = c.num[i]
			}
			des.model = append(des.model, v)
			des.modelName = append(des.modelName, c.name)
			des.bal = append(des.bal, v)
			des.balName = append(des.balName, c.name)
			continue
		}
		for l, level := range c.levels {
			v := make([]float64, len(des.rows))
			for k, i := range des.rows {
				if int(c.codes[i]) == l {
					v[k] = 1
				}
			}
			if l > 0 {
				des.model = append(des.model, v)
				des.modelName = append(des.modelName, c.name+level)
			}
			des.bal = append(des.bal, v)
			des.balName = append(des.balName, c.name+level)
		}
	}
	return des, nil
}

func (des *design) match(d *frame.Frame, opt Options) (*Result, error) {
	res := &Result{Rows: des.rows, Dropped: des.dropped}
	if n := len(des.dropped); n > 0 {
		res.Notes = append(res.Notes, fmt.Sprintf(
			"%d rows dropped for missing values (first: line %d, column %q)",
			n, des.dropped[0].Line, des.dropped[0].Column))
	}

	model, err := Logit(des.y, des.model, des.modelName, opt.Logit)
	if err != nil {
		return nil, err
	}
	res.Model = model
	res.Notes = append(res.Notes, model.Notes...)

	treated := make([]bool, len(des.y))
	for i, v := range des.y {
		treated[i] = v == 1
	}
	m, err := NearestNeighbor(model.Score, treated, opt.Match)
	if err != nil {
		return nil, err
	}
	res.Matching = m
	res.Notes = append(res.Notes, m.Notes...)

	cols := append([][]float64{model.Score}, des.bal...)
	names := append([]string{"distance"}, des.balName...)
	res.Balance = Balance(cols, names, treated, m.Weights)
	res.Support = support(model.Score, treated, m.Weights)

	if des.outcome != nil {
		att, err := EstimateATT(des.outcome, m)
		if err != nil {
			return nil, err
		}
		res.ATT = &att
	}

	res.Weights = make([]float64, d.Len())
	for k, i := range des.rows {
		res.Weights[i] = m.Weights[k]
	}
	return res, nil
}

func support(score []float64, treated []bool, w []float64) Support {
	var s Support
	min1, max1 := math.Inf(1), math.Inf(-1)
	min0, max0 := math.Inf(1), math.Inf(-1)
	for i, v := range score {
		if treated[i] {
			s.TreatedScores = append(s.TreatedScores, v)
			s.TreatedWeights = append(s.TreatedWeights, w[i])
			min1, max1 = math.Min(min1, v), math.Max(max1, v)
		} else {
			s.ControlScores = append(s.ControlScores, v)
			s.ControlWeights = append(s.ControlWeights, w[i])
			min0, max0 = math.Min(min0, v), math.Max(max0, v)
		}
	}
	s.Low, s.High = math.Max(min1, min0), math.Min(max1, max0)
	for _, v := range s.TreatedScores {
		if v < s.Low || v > s.High {
			s.TreatedOutside++
		}
	}
	for _, v := range s.ControlScores {
		if v < s.Low || v > s.High {
			s.ControlOutside++
		}
	}
	return s
}
