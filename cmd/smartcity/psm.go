package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"example.org/smartcity/analysis/frame"
	"example.org/smartcity/analysis/psm"
)

func init() {
	register(command{
		name:    "psm",
		summary: "propensity-score matching: logit score, nearest-neighbour matching, balance, ATT",
		run:     runPSM,
	})
}

type psmJSON struct {
	ATT        float64 `json:"att"`
	StdError   float64 `json:"std_error"`
	NTreated   int     `json:"n_treated"`
	NControls  int     `json:"n_controls"`
	NUnmatched int     `json:"n_unmatched"`
}

func runPSM(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("psm", stderr)
	data := fs.String("data", "", "CSV file (required)")
	treat := fs.String("treat", "", "0/1 treatment column (required)")
	covs := fs.String("covariates", "", "comma-separated covariates of the logit score (required)")
	outcome := fs.String("outcome", "", "outcome column for the ATT (required)")
	ratio := fs.Int("ratio", 1, "controls matched to each treated unit (k of 1:k)")
	replace := fs.Bool("replace", false, "match with replacement")
	caliper := fs.Float64("caliper", 0, "caliper on the score; 0 for none")
	scale := fs.String("caliper-scale", "sd",
		"caliper units: sd (standard deviations of the score) or raw")
	weightsOut := fs.String("weights-out", "",
		"write the data with a column of matching weights to this CSV file")
	weightsCol := fs.String("weights-column", "psm_weight",
		"name of the weight column in --weights-out")
	unit := fs.String("unit", "", "panel mode: unit column (with --time)")
	tcol := fs.String("time", "", "panel mode: period column (with --unit)")
	design := fs.String("design", "baseline",
		"panel mode: baseline (match once in --base-year) or yearly")
	baseYear := fs.Float64("base-year", 0,
		"panel mode: year matched on by the baseline design; 0 = first year")
	format := fs.String("format", "text", "output format: text or json")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := requireFlags("--data", *data, "--treat", *treat, "--covariates", *covs,
		"--outcome", *outcome); err != nil {
		return err
	}
	if err := checkFormat(*format, "text", "json"); err != nil {
		return err
	}
	if *scale != "sd" && *scale != "raw" {
		return usageError{fmt.Sprintf("--caliper-scale %q: want sd or raw", *scale)}
	}
	if *ratio < 1 {
		return usageError{fmt.Sprintf("--ratio %d: want 1 or more", *ratio)}
	}
	if *caliper < 0 {
		return usageError{fmt.Sprintf("--caliper %v: want 0 (none) or a positive width", *caliper)}
	}
	if (*unit == "") != (*tcol == "") {
		return usageError{"--unit and --time go together (panel mode)"}
	}
	if *design != "baseline" && *design != "yearly" {
		return usageError{fmt.Sprintf("--design %q: want baseline or yearly", *design)}
	}
	var covariates []string
	for _, c := range strings.Split(*covs, ",") {
		if c = strings.TrimSpace(c); c != "" {
			covariates = append(covariates, c)
		}
	}

	d, err := frame.ReadCSV(*data)
	if err != nil {
		return err
	}
	spec := psm.Spec{Treat: *treat, Covariates: covariates, Outcome: *outcome}
	opt := psm.Options{Match: psm.MatchOptions{Ratio: *ratio, Replace: *replace,
		Caliper: *caliper, CaliperScale: *scale}}

	var out psmJSON
	var weights []float64
	var results []*psm.Result
	var years []float64
	var vcov string
	if *unit == "" {
		r, err := psm.Match(d, spec, opt)
		if err != nil {
			return err
		}
		results = []*psm.Result{r}
		weights = r.Weights
		out = psmJSON{ATT: r.ATT.Estimate, StdError: r.ATT.SE, NTreated: r.Matching.NMatchedTreated,
			NControls: r.Matching.NMatchedControl, NUnmatched: len(r.Matching.Unmatched)}
		vcov = r.ATT.Vcov
	} else {
		var p *psm.PanelResult
		if *design == "baseline" {
			p, err = psm.MatchBaseline(d, spec, *unit, *tcol, *baseYear, opt)
		} else {
			p, err = psm.MatchByYear(d, spec, *unit, *tcol, opt)
		}
		if err != nil {
			return err
		}
		results, weights, years = p.ByYear, p.Weights, p.Years
		att, err := panelGap(d, spec, *unit, p.Weights)
		if err != nil {
			return err
		}
		out = psmJSON{ATT: att.Estimate, StdError: att.SE}
		for _, r := range p.ByYear {
			out.NTreated += r.Matching.NMatchedTreated
			out.NControls += r.Matching.NMatchedControl
			out.NUnmatched += len(r.Matching.Unmatched)
		}
		vcov = att.Vcov + " by " + *unit + "; all rows of matched units, every year"
	}

	if *weightsOut != "" {
		if d.Has(*weightsCol) {
			return fmt.Errorf("%s already has a column %q; choose another with --weights-column",
				*data, *weightsCol)
		}
		d.SetFloat(*weightsCol, weights)
		if err := d.WriteCSVFile(*weightsOut); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "wrote %d rows with matching weights (column %q) to %s\n",
			d.Len(), *weightsCol, *weightsOut)
	}

	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	return writePSMText(stdout, results, years, out, vcov)
}

// panelGap is the weighted treated-control difference of the outcome over
// every row with positive weight, clustered by unit.
func panelGap(d *frame.Frame, spec psm.Spec, unit string, w []float64) (psm.ATT, error) {
	y, err := d.Float(spec.Outcome)
	if err != nil {
		return psm.ATT{}, err
	}
	tr, err := d.Float(spec.Treat)
	if err != nil {
		return psm.ATT{}, err
	}
	codes, _, err := d.Factor(unit)
	if err != nil {
		return psm.ATT{}, err
	}
	treated := make([]bool, len(tr))
	cl := make([]int, len(tr))
	for i := range tr {
		treated[i] = tr[i] == 1
		cl[i] = int(codes[i]) + 1
	}
	return psm.WeightedDifference(y, treated, w, cl)
}

func writePSMText(w io.Writer, results []*psm.Result, years []float64, out psmJSON,
	vcov string) error {
	var b strings.Builder
	for k, r := range results {
		if years != nil {
			fmt.Fprintf(&b, "== year %v ==\n", years[k])
		}
		m := r.Model
		fmt.Fprintf(&b, "Propensity score: logit, %d observations, %d IRLS iterations, converged %v\n",
			m.NObs, m.Iterations, m.Converged)
		fmt.Fprintf(&b, "%-16s %14s %14s\n", "term", "coef", "std. error")
		for j, t := range m.Terms {
			fmt.Fprintf(&b, "%-16s %14.6g %14.6g\n", t, m.Coef[j], m.SE[j])
		}
		mt := r.Matching
		fmt.Fprintf(&b, "\nMatching: %d of %d treated matched to %d distinct of %d controls",
			mt.NMatchedTreated, mt.NTreated, mt.NMatchedControl, mt.NControl)
		if mt.CaliperWidth > 0 {
			fmt.Fprintf(&b, " (caliper %.6g on the score)", mt.CaliperWidth)
		}
		fmt.Fprintf(&b, "\n\nBalance (SMD: treated-group SD; VR: variance ratio)\n")
		fmt.Fprintf(&b, "%-16s %10s %10s %10s %10s\n", "covariate", "SMD before", "SMD after",
			"VR before", "VR after")
		for _, row := range r.Balance {
			fmt.Fprintf(&b, "%-16s %10.4f %10.4f %10.4f %10.4f\n", row.Term, row.SMDBefore,
				row.SMDAfter, row.VarRatioBefore, row.VarRatioAfter)
		}
		s := r.Support
		fmt.Fprintf(&b, "\nCommon support [%.4f, %.4f]: %d treated and %d controls outside\n",
			s.Low, s.High, s.TreatedOutside, s.ControlOutside)
		for _, n := range r.Notes {
			fmt.Fprintf(&b, "note: %s\n", n)
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "ATT %.6g (std. error %.6g, %s)\n", out.ATT, out.StdError, vcov)
	_, err := io.WriteString(w, b.String())
	return err
}
