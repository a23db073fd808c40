package clean

import (
	"fmt"
	"math"
	"sort"
)

// WinsorOptions says where and how to clip. The zero value clips at the 1st
// and 99th percentiles of the pooled sample with quantile type 2 (Stata's
// rule; see Quantile).
type WinsorOptions struct {
	Lower, Upper float64 // percentiles as fractions; 0 and 0 mean 0.01 and 0.99
	Type         int     // quantile rule, 2 or 7; 0 means 2
	ByGroup      bool    // compute the bounds within each group (e.g. year)
}

func (o WinsorOptions) withDefaults() WinsorOptions {
	if o.Lower == 0 && o.Upper == 0 {
		o.Lower, o.Upper = 0.01, 0.99
	}
	if o.Type == 0 {
		o.Type = 2
	}
	return o
}

// Bounds are the clipping limits of one variable within one group, and how
// many values each limit changed.
type Bounds struct {
	Group       int // group code, or -1 for a pooled bound
	N           int // non-missing values the bounds were computed from
	Low, High   float64
	ClippedLow  int // values below Low, set to Low
	ClippedHigh int // values above High, set to High
}

// Winsorize clips x in place at the percentiles of opt and returns the
// bounds used: one pooled entry, or one per group in increasing group order
// when opt.ByGroup is set (group[i] is row i's group; it may be nil
// otherwise). Missing values (NaN) stay missing and are not counted. A
// variable or group with no data gets no bounds.
//
// It panics when opt asks for percentiles outside 0 <= Lower <= Upper <= 1,
// an unknown quantile type, or when group has the wrong length.
func Winsorize(x []float64, group []int, opt WinsorOptions) []Bounds {
	opt = opt.withDefaults()
	if !(opt.Lower >= 0 && opt.Lower <= opt.Upper && opt.Upper <= 1) {
		panic(fmt.Sprintf("clean: winsorizing percentiles %v, %v", opt.Lower, opt.Upper))
	}
	bounds := FitWinsor(x, group, opt)
	ApplyWinsor(x, group, bounds)
	return bounds
}

// FitWinsor computes the bounds that Winsorize would use, without changing
// x. ClippedLow and ClippedHigh count the values of x beyond them.
func FitWinsor(x []float64, group []int, opt WinsorOptions) []Bounds {
	opt = opt.withDefaults()
	if opt.ByGroup && len(group) != len(x) {
		panic(fmt.Sprintf("clean: %d groups for %d values", len(group), len(x)))
	}
	byGroup := map[int][]float64{}
	for i, v := range x {
		if math.IsNaN(v) {
			continue
		}
		g := -1
		if opt.ByGroup {
			g = group[i]
		}
		byGroup[g] = append(byGroup[g], v)
	}
	keys := make([]int, 0, len(byGroup))
	for g := range byGroup {
		keys = append(keys, g)
	}
	sort.Ints(keys)
	out := make([]Bounds, 0, len(keys))
	for _, g := range keys {
		v := byGroup[g]
		sort.Float64s(v)
		b := Bounds{Group: g, N: len(v), Low: Quantile(v, opt.Lower, opt.Type),
			High: Quantile(v, opt.Upper, opt.Type)}
		for _, y := range v {
			if y < b.Low {
				b.ClippedLow++
			} else if y > b.High {
				b.ClippedHigh++
			}
		}
		out = append(out, b)
	}
	return out
}

// ApplyWinsor clips x in place at bounds (as returned by FitWinsor, possibly
// for other data) and returns how many values it changed below and above.
// Rows whose group has no bounds are left alone.
func ApplyWinsor(x []float64, group []int, bounds []Bounds) (low, high int) {
	byGroup := map[int]Bounds{}
	for _, b := range bounds {
		byGroup[b.Group] = b
	}
	for i, v := range x {
		g := -1
		if len(bounds) > 0 && bounds[0].Group != -1 {
			g = group[i]
		}
		b, ok := byGroup[g]
		if !ok || math.IsNaN(v) {
			continue
		}
		if v < b.Low {
			x[i] = b.Low
			low++
		} else if v > b.High {
			x[i] = b.High
			high++
		}
	}
	return low, high
}
