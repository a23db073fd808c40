package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"example.org/smartcity/analysis/did"
	"example.org/smartcity/analysis/frame"
)

func init() {
	register(command{
		name:    "csdid",
		summary: "Callaway-Sant'Anna group-time effects ATT(g,t) and their aggregations",
		run:     runCSDID,
	})
}

type csCellJSON struct {
	Group     int     `json:"group"`
	Time      int     `json:"time"`
	ATT       float64 `json:"att"`
	StdError  float64 `json:"std_error"`
	ConfLow   float64 `json:"conf_low"`
	ConfHigh  float64 `json:"conf_high"`
	Base      int     `json:"base_period"`
	Reference bool    `json:"reference"`
}

type csEffectJSON struct {
	Estimate float64 `json:"estimate"`
	StdError float64 `json:"std_error"`
	ConfLow  float64 `json:"conf_low"`
	ConfHigh float64 `json:"conf_high"`
}

type csDynJSON struct {
	EventTime int `json:"event_time"`
	csEffectJSON
}

type csGroupJSON struct {
	Group int `json:"group"`
	csEffectJSON
}

type csCalJSON struct {
	Time int `json:"time"`
	csEffectJSON
}

type csJSON struct {
	ATTgt    []csCellJSON  `json:"att_gt"`
	Simple   csEffectJSON  `json:"simple"`
	Dynamic  []csDynJSON   `json:"dynamic"`
	Group    []csGroupJSON `json:"group"`
	Calendar []csCalJSON   `json:"calendar"`
	// Overall summaries of the dynamic, group and calendar aggregations.
	DynamicOverall  csEffectJSON `json:"dynamic_overall"`
	GroupOverall    csEffectJSON `json:"group_overall"`
	CalendarOverall csEffectJSON `json:"calendar_overall"`
	Control         string       `json:"control"`
	Base            string       `json:"base"`
	Method          string       `json:"method"`
	Bootstrap       int          `json:"bootstrap"`
	CritVal         float64      `json:"crit_val"`
	Units           int          `json:"n_units"`
	Notes           []string     `json:"notes"`
}

func effectJSON(e did.Effect) csEffectJSON {
	return csEffectJSON{e.Estimate, e.SE, e.ConfLow, e.ConfHigh}
}

func runCSDID(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("csdid", stderr)
	data := fs.String("data", "", "CSV file of the panel, one row per unit and period (required)")
	y := fs.String("y", "", "outcome column (required)")
	unit := fs.String("unit", "", "unit identifier column (required)")
	tcol := fs.String("time", "", "period column, whole numbers (required)")
	first := fs.String("first-treat", "",
		"first treatment period column, 0 = never treated (required)")
	control := fs.String("control", "never", "comparison units: never or notyet")
	base := fs.String("base", "varying", "base period: varying or universal")
	covs := fs.String("covariates", "", "comma-separated covariate columns")
	method := fs.String("method", "dr", "with covariates: reg, ipw or dr")
	boot := fs.Int("bootstrap", 0, "multiplier-bootstrap draws (0 = analytic errors only)")
	seed := fs.Uint64("seed", 1, "bootstrap seed")
	mult := fs.String("multiplier", "mammen", "bootstrap multipliers: mammen or rademacher")
	anticip := fs.Int("anticipation", 0, "periods of anticipation before treatment")
	level := fs.Float64("level", 0.95, "confidence level")
	drop := fs.Bool("drop-incomplete", false,
		"drop units not observed in every period instead of failing")
	format := fs.String("format", "text", "output format: text or json")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := requireFlags("--data", *data, "--y", *y, "--unit", *unit, "--time", *tcol,
		"--first-treat", *first); err != nil {
		return err
	}
	if err := checkFormat(*format, "text", "json"); err != nil {
		return err
	}
	spec := did.Spec{Y: *y, Unit: *unit, Time: *tcol, Group: *first}
	if *covs != "" {
		for _, c := range strings.Split(*covs, ",") {
			spec.Covariates = append(spec.Covariates, strings.TrimSpace(c))
		}
	}
	opt := did.Options{Control: *control, Base: *base, Method: *method, Bootstrap: *boot,
		Seed: *seed, Multiplier: *mult, Anticipation: *anticip, Level: *level,
		DropIncomplete: *drop}

	fmt.Fprintf(stderr, "reading %s\n", *data)
	d, err := frame.ReadCSV(*data)
	if err != nil {
		return err
	}
	res, err := did.CallawaySantAnna(d, spec, opt)
	if err != nil {
		if strings.HasPrefix(err.Error(), "did: ") {
			return usageError{err.Error()}
		}
		return err
	}
	aggs := map[string]*did.Aggregate{}
	for _, typ := range []string{"simple", "dynamic", "group", "calendar"} {
		if aggs[typ], err = res.Aggregate(typ); err != nil {
			return err
		}
	}

	if *format == "text" {
		return writeCSDIDText(stdout, res, aggs)
	}
	out := csJSON{Control: res.Options.Control, Base: res.Options.Base, Bootstrap: *boot,
		CritVal: res.CritVal, Units: res.Units, Notes: res.Notes,
		Simple:          effectJSON(aggs["simple"].Overall),
		DynamicOverall:  effectJSON(aggs["dynamic"].Overall),
		GroupOverall:    effectJSON(aggs["group"].Overall),
		CalendarOverall: effectJSON(aggs["calendar"].Overall)}
	out.Method = "none"
	if len(spec.Covariates) > 0 {
		out.Method = res.Options.Method
	}
	if out.Notes == nil {
		out.Notes = []string{}
	}
	for _, c := range res.Cells {
		out.ATTgt = append(out.ATTgt, csCellJSON{c.Group, c.Time, c.ATT, c.SE, c.ConfLow,
			c.ConfHigh, c.Base, c.Reference})
	}
	for _, e := range aggs["dynamic"].Effects {
		out.Dynamic = append(out.Dynamic, csDynJSON{e.Key, effectJSON(e)})
	}
	for _, e := range aggs["group"].Effects {
		out.Group = append(out.Group, csGroupJSON{e.Key, effectJSON(e)})
	}
	for _, e := range aggs["calendar"].Effects {
		out.Calendar = append(out.Calendar, csCalJSON{e.Key, effectJSON(e)})
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func writeCSDIDText(w io.Writer, res *did.Result, aggs map[string]*did.Aggregate) error {
	var b strings.Builder
	o := res.Options
	method := "no covariates"
	if len(res.Spec.Covariates) > 0 {
		method = fmt.Sprintf("covariates %s, method %s", strings.Join(res.Spec.Covariates, ", "),
			o.Method)
	}
	fmt.Fprintf(&b, "Callaway and Sant'Anna (2021): outcome %s, %d units, periods %d-%d\n",
		res.Spec.Y, res.Units, res.Periods[0], res.Periods[len(res.Periods)-1])
	fmt.Fprintf(&b, "comparison: %s treated; base period: %s; %s\n", o.Control, o.Base, method)
	band := "pointwise"
	if res.Uniform {
		band = fmt.Sprintf("uniform (multiplier bootstrap, %d %s draws, seed %d)",
			o.Bootstrap, o.Multiplier, o.Seed)
	}
	fmt.Fprintf(&b, "standard errors clustered by unit; %.0f%% bands %s, critical value %.4f\n\n",
		100*o.Level, band, res.CritVal)
	fmt.Fprintf(&b, "%6s %6s %6s %12s %12s %12s %12s\n", "group", "time", "base", "ATT(g,t)",
		"std.error", "conf.low", "conf.high")
	for _, c := range res.Cells {
		ref := ""
		if c.Reference {
			ref = "  (reference)"
		}
		fmt.Fprintf(&b, "%6d %6d %6d %12.6f %12.6f %12.6f %12.6f%s\n", c.Group, c.Time, c.Base,
			c.ATT, c.SE, c.ConfLow, c.ConfHigh, ref)
	}
	row := func(label string, e did.Effect) {
		fmt.Fprintf(&b, "%-14s %12.6f %12.6f %12.6f %12.6f\n", label, e.Estimate, e.SE,
			e.ConfLow, e.ConfHigh)
	}
	for _, typ := range []string{"simple", "dynamic", "group", "calendar"} {
		a := aggs[typ]
		fmt.Fprintf(&b, "\n%s aggregation\n%-14s %12s %12s %12s %12s\n", typ, "", "estimate",
			"std.error", "conf.low", "conf.high")
		row("overall", a.Overall)
		for _, e := range a.Effects {
			lab := map[string]string{"dynamic": "e=%d", "group": "g=%d", "calendar": "t=%d"}[typ]
			row(fmt.Sprintf(lab, e.Key), e)
		}
	}
	for _, n := range res.Notes {
		fmt.Fprintf(&b, "\nnote: %s", n)
	}
	if len(res.Notes) > 0 {
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
