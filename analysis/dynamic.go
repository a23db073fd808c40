package analysis

import (
	"fmt"
	"math"
	"sort"

	"example.org/smartcity/analysis/chart"
	"example.org/smartcity/analysis/eventstudy"
	"example.org/smartcity/analysis/frame"
)

// EventOptions configures EventStudy. The zero value estimates every
// relative year observed, with the design's controls, reference year -1.
type EventOptions struct {
	Window     [2]int // relative years [a, b]; zero = all observed
	Bin        bool   // pool years beyond the window into its end points
	NoControls bool
}

// EventStudy estimates the dynamic effect of the pilot on the baseline
// sample (the baseline batch and the never-pilot cities): one coefficient
// per year relative to the pilot year, the year before as reference, city
// and year fixed effects, errors clustered by city, and the joint test of
// the leads (see package eventstudy).
func EventStudy(d *frame.Frame, des Design, opt EventOptions) (*eventstudy.Result, error) {
	des = des.withDefaults()
	sub, s, err := baselineSample(d, des)
	if err != nil {
		return nil, err
	}
	eo := eventstudy.Options{Y: des.Y, Unit: des.Unit, Time: des.Time, FirstTreat: des.FirstTreat,
		Window: opt.Window, Bin: opt.Bin, Cluster: des.Cluster, Level: des.Level}
	if !opt.NoControls {
		eo.Controls = des.Controls
	}
	r, err := eventstudy.Estimate(sub, eo)
	if err != nil {
		return nil, err
	}
	r.Notes = append([]string{s.Note()}, r.Notes...)
	return r, nil
}

// GroupMeans returns the mean of the outcome by year for the pilot cities
// of the baseline batch and for the never-pilot cities, as chart series
// labelled "Pilot cities (<year> batch)" and "Never-pilot cities".
// Missing outcomes are skipped; a year with no value in a group is an
// error.
func GroupMeans(d *frame.Frame, des Design) ([]chart.Series, error) {
	des = des.withDefaults()
	sub, _, err := baselineSample(d, des)
	if err != nil {
		return nil, err
	}
	y, err := sub.Float(des.Y)
	if err != nil {
		return nil, err
	}
	yr, err := sub.Float(des.Time)
	if err != nil {
		return nil, err
	}
	g, err := sub.Float(des.Group)
	if err != nil {
		return nil, err
	}
	type acc struct{ sum, n float64 }
	sums := [2]map[float64]*acc{{}, {}}
	years := map[float64]bool{}
	for i := range y {
		k := 0
		if g[i] == 1 {
			k = 1
		}
		years[yr[i]] = true
		if math.IsNaN(y[i]) {
			continue
		}
		a := sums[k][yr[i]]
		if a == nil {
			a = &acc{}
			sums[k][yr[i]] = a
		}
		a.sum += y[i]
		a.n++
	}
	var ys []float64
	for t := range years {
		ys = append(ys, t)
	}
	sort.Float64s(ys)
	labels := [2]string{"Never-pilot cities", fmt.Sprintf("Pilot cities (%d batch)", des.PilotYear)}
	out := make([]chart.Series, 2)
	for k := 1; k >= 0; k-- {
		s := chart.Series{Label: labels[k]}
		for _, t := range ys {
			a := sums[k][t]
			if a == nil {
				return nil, fmt.Errorf("%s: no %s in year %v", d.Source, labels[k], t)
			}
			s.X = append(s.X, t)
			s.Y = append(s.Y, a.sum/a.n)
		}
		out[1-k] = s
	}
	return out, nil
}
