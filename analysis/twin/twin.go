package twin

import (
	"encoding/json"
	"fmt"
	"math"

	"example.org/smartcity/analysis/frame"
	"example.org/smartcity/analysis/panel"
)

// Twin is a generated study: the observed panel, the pilot list, the panel
// without the policy, and the true effects.
type Twin struct {
	Config   Config // with defaults filled in
	Cities   []panel.City
	Codebook *panel.Codebook
	Pilots   []panel.Pilot

	// Panel is the observed panel (with the policy, with missing cells and
	// outliers), as data/synthetic/panel_SYNTHETIC.csv holds it. Y0 is the
	// same panel had no city been a pilot, with the same missing cells and
	// outliers.
	Panel, Y0 *frame.Frame

	// Prepared is the observed panel cleaned and indexed as the study
	// frame does it; Index0 and Index1 are the index of each of its rows
	// without and with the policy, on the observed panel's scale.
	Prepared       *panel.Prepared
	Index0, Index1 []float64
	Sub0, Sub1     [][]float64 // by dimension, as Prepared.Scores.Dimensions

	Truth Truth

	clipped int // generated levels moved into their variable's range
}

// Label is what notebooks and tables show as the data source.
func (t *Twin) Label() string { return fmt.Sprintf("SYNTHETIC TWIN (seed %d)", t.Config.Seed) }

// StudyFrame builds the study frame from the twin in memory, as
// panel.StudyFrame does from the committed files.
func (t *Twin) StudyFrame(opt panel.StudyOptions) (*frame.Frame, *panel.StudyReport, error) {
	return panel.Build(panel.Inputs{Label: t.Label(), Panel: t.Panel, Pilots: t.Pilots,
		Codebook: t.Codebook}, opt)
}

// Effect is a true average effect on the index and the cells it averages.
type Effect struct {
	Group  string  `json:"group,omitempty"`
	ATT    float64 `json:"att"`
	Cities int     `json:"cities"`
	Cells  int     `json:"city_years"`
}

// EventEffect is the true average effect e years after the pilot year.
type EventEffect struct {
	E      int     `json:"event_time"`
	ATT    float64 `json:"att"`
	Cities int     `json:"cities"`
	Cells  int     `json:"city_years"`
}

// Truth holds the true effects of the policy on the composite index. Every
// number is the mean, over the city-years it names, of index(with policy) -
// index(without policy), both computed from the cleaned potential-outcome
// panels with the observed panel's index weights and scaling.
type Truth struct {
	Source     string `json:"source"`
	Seed       uint64 `json:"seed"`
	Outcome    string `json:"outcome"`
	Definition string `json:"definition"`

	ATT2012 Effect `json:"att_2012"`
	ATTAll  Effect `json:"att_all_batches"`

	ByBatch         []Effect      `json:"by_batch"`
	ByRegion2012    []Effect      `json:"by_region_2012"`
	ByRegionAll     []Effect      `json:"by_region_all_batches"`
	ByClass2012     []Effect      `json:"by_class_2012"`
	ByClassAll      []Effect      `json:"by_class_all_batches"`
	ByEventTime2012 []EventEffect `json:"by_event_time_2012"`
	ByEventTimeAll  []EventEffect `json:"by_event_time_all_batches"`
	ByDimension2012 []Effect      `json:"by_dimension_2012"`

	Design Design `json:"design"`
}

// Design records the twin's design numbers.
type Design struct {
	Cities         int                `json:"cities"`
	FirstYear      int                `json:"first_year"`
	LastYear       int                `json:"last_year"`
	Batches        []Batch            `json:"batches"`
	NeverPilot     int                `json:"never_pilot"`
	Provinces      int                `json:"provinces"`
	CentralCities  int                `json:"central_cities"`
	ByRegion       []Effect           `json:"cities_by_region"`
	EffectScale    float64            `json:"effect_scale"`
	RegionEffect   []Effect           `json:"latent_effect_by_region"`
	CentralBoost   float64            `json:"central_city_multiplier"`
	RampYears      float64            `json:"ramp_years"`
	PilotPopGrowth float64            `json:"pilot_extra_log_population_growth"`
	PopDrag        float64            `json:"factor_drop_per_log_population"`
	BaseShare      float64            `json:"baseline_share_of_levels"`
	ClippedLevels  int                `json:"levels_clipped_to_range"`
	MissingCells   int                `json:"missing_cells"`
	TotalCells     int                `json:"variable_cells"`
	Outliers       string             `json:"outliers"`
	Logit          map[string]float64 `json:"assignment_logit"`
}

const definition = "Each number is the mean, over the city-years named by its field, of " +
	"index(with the policy) - index(without the policy). Both potential-outcome panels carry the " +
	"same missing cells and outliers as the observed panel; both are gap-filled as the study does " +
	"and winsorized at the observed panel's bounds; both are scored with the observed panel's " +
	"entropy weights and min-max scaling. The observed panel is the with-policy panel. " +
	"att_2012: 2012-batch cities, years 2012 to the last year. att_all_batches: every pilot city, " +
	"years from its own pilot year on. by_region and by_class restrict those cells to a group " +
	"(class central = provincial capitals and sub-provincial cities; coastal = sea-adjacent " +
	"cities). by_event_time: cells e = year - pilot year (negative e are pre-pilot years, where " +
	"the effect is zero except through gap filling that borrows from post-pilot years). " +
	"by_dimension_2012: the same cells as att_2012, on each sub-index (the sub-indices add up to " +
	"the index)."

func round(v float64) float64 {
	if math.IsNaN(v) {
		return v
	}
	return math.Round(v*1e9) / 1e9
}

func (t *Twin) computeTruth() error {
	p, err := panel.Prepare(t.Panel, t.Codebook, panel.StudyOptions{})
	if err != nil {
		return fmt.Errorf("twin: cleaning the observed panel: %w", err)
	}
	_, s0, err := p.Reapply(t.Y0)
	if err != nil {
		return fmt.Errorf("twin: cleaning the panel without the policy: %w", err)
	}
	t.Prepared = p
	t.Index1, t.Index0 = p.Scores.Index, s0.Index
	t.Sub1, t.Sub0 = p.Scores.Sub, s0.Sub

	f := p.Frame
	codes, _ := f.Float("city_code")
	years, _ := f.Float("year")
	pilot := map[int]panel.Pilot{}
	for _, pl := range t.Pilots {
		pilot[pl.CityCode] = pl
	}
	city := map[int]panel.City{}
	for _, c := range t.Cities {
		city[c.Code] = c
	}
	type cell struct {
		row  int
		code int
		e    int
		year int
	}
	var cells []cell
	for i := range codes {
		pl, ok := pilot[int(codes[i])]
		if !ok {
			continue
		}
		cells = append(cells, cell{i, int(codes[i]), int(years[i]) - pl.Year, pl.Year})
	}
	avg := func(group string, keep func(c cell) bool, diff func(row int) float64) Effect {
		e := Effect{Group: group}
		seen := map[int]bool{}
		var sum float64
		for _, c := range cells {
			if !keep(c) {
				continue
			}
			sum += diff(c.row)
			e.Cells++
			seen[c.code] = true
		}
		e.Cities = len(seen)
		e.ATT = math.NaN()
		if e.Cells > 0 {
			e.ATT = round(sum / float64(e.Cells))
		}
		return e
	}
	d := func(row int) float64 { return t.Index1[row] - t.Index0[row] }
	post := func(c cell) bool { return c.e >= 0 }
	b2012 := func(c cell) bool { return c.year == 2012 && c.e >= 0 }

	tr := Truth{Source: "SYNTHETIC TWIN of the smart-city pilot study (not real data), " +
		"generated by example.org/smartcity/analysis/twin", Seed: t.Config.Seed,
		Outcome: "index", Definition: definition}
	tr.ATT2012 = avg("2012 batch", b2012, d)
	tr.ATTAll = avg("all batches", post, d)
	for _, b := range t.Config.Batches {
		year := b.Year
		tr.ByBatch = append(tr.ByBatch, avg(fmt.Sprint(year),
			func(c cell) bool { return c.year == year && c.e >= 0 }, d))
	}
	for _, r := range panel.Regions {
		r := r
		in := func(c cell) bool { return city[c.code].Region4 == r }
		tr.ByRegion2012 = append(tr.ByRegion2012,
			avg(r, func(c cell) bool { return b2012(c) && in(c) }, d))
		tr.ByRegionAll = append(tr.ByRegionAll, avg(r, func(c cell) bool { return post(c) && in(c) }, d))
	}
	classes := []struct {
		name string
		in   func(c panel.City) bool
	}{
		{"central", func(c panel.City) bool { return c.CentralCity }},
		{"non-central", func(c panel.City) bool { return !c.CentralCity }},
		{"coastal", func(c panel.City) bool { return c.CoastalCity }},
		{"inland", func(c panel.City) bool { return !c.CoastalCity }},
	}
	for _, cl := range classes {
		cl := cl
		in := func(c cell) bool { return cl.in(city[c.code]) }
		tr.ByClass2012 = append(tr.ByClass2012,
			avg(cl.name, func(c cell) bool { return b2012(c) && in(c) }, d))
		tr.ByClassAll = append(tr.ByClassAll,
			avg(cl.name, func(c cell) bool { return post(c) && in(c) }, d))
	}
	minE, maxE := 0, 0
	for _, c := range cells {
		minE, maxE = min(minE, c.e), max(maxE, c.e)
	}
	for e := minE; e <= maxE; e++ {
		e := e
		a := avg("", func(c cell) bool { return c.year == 2012 && c.e == e }, d)
		if a.Cells > 0 {
			tr.ByEventTime2012 = append(tr.ByEventTime2012, EventEffect{e, a.ATT, a.Cities, a.Cells})
		}
		a = avg("", func(c cell) bool { return c.e == e }, d)
		tr.ByEventTimeAll = append(tr.ByEventTimeAll, EventEffect{e, a.ATT, a.Cities, a.Cells})
	}
	for k, dim := range p.Scores.Dimensions {
		k := k
		tr.ByDimension2012 = append(tr.ByDimension2012, avg("index_"+dim, b2012,
			func(row int) float64 { return t.Sub1[k][row] - t.Sub0[k][row] }))
	}
	tr.Design = t.design()
	t.Truth = tr
	return nil
}

func (t *Twin) design() Design {
	cfg := t.Config
	d := Design{Cities: len(t.Cities), FirstYear: cfg.FirstYear, LastYear: cfg.LastYear,
		Batches: cfg.Batches, NeverPilot: len(t.Cities) - len(t.Pilots),
		EffectScale: cfg.EffectScale, CentralBoost: centralBoost, RampYears: rampYears,
		PilotPopGrowth: pilotPopGrowth, PopDrag: popDrag, BaseShare: baseShare,
		ClippedLevels: t.clipped,
		Outliers: fmt.Sprintf("%.1f%% of observed cells shifted by 4 to 6 cross-city standard "+
			"deviations on the log or logit scale", 100*outlierShare),
		Logit: map[string]float64{"income": logitIncome, "population": logitPop,
			"coastal": logitCoastal, "central": logitCentral}}
	if cfg.NoDirt {
		d.Outliers = "none"
	}
	provs := map[int]bool{}
	byRegion := map[string]int{}
	for _, c := range t.Cities {
		provs[c.ProvinceCode] = true
		byRegion[c.Region4]++
		if c.CentralCity {
			d.CentralCities++
		}
	}
	d.Provinces = len(provs)
	for _, r := range panel.Regions {
		d.ByRegion = append(d.ByRegion, Effect{Group: r, Cities: byRegion[r]})
		d.RegionEffect = append(d.RegionEffect, Effect{Group: r, ATT: regionEffect[r]})
	}
	for _, v := range t.Codebook.Vars {
		x, _ := t.Panel.Float(v.Name)
		for _, val := range x {
			d.TotalCells++
			if math.IsNaN(val) {
				d.MissingCells++
			}
		}
	}
	return d
}

// MarshalJSON writes an undefined effect (no cells) as null.
func (e Effect) MarshalJSON() ([]byte, error) {
	type plain struct {
		Group  string   `json:"group,omitempty"`
		ATT    *float64 `json:"att"`
		Cities int      `json:"cities"`
		Cells  int      `json:"city_years"`
	}
	p := plain{Group: e.Group, Cities: e.Cities, Cells: e.Cells}
	if !math.IsNaN(e.ATT) {
		p.ATT = &e.ATT
	}
	return json.Marshal(p)
}

// MarshalJSON writes an undefined effect (no cells) as null.
func (e EventEffect) MarshalJSON() ([]byte, error) {
	type plain struct {
		E      int      `json:"event_time"`
		ATT    *float64 `json:"att"`
		Cities int      `json:"cities"`
		Cells  int      `json:"city_years"`
	}
	p := plain{E: e.E, Cities: e.Cities, Cells: e.Cells}
	if !math.IsNaN(e.ATT) {
		p.ATT = &e.ATT
	}
	return json.Marshal(p)
}
