package clean

import (
	"fmt"
	"math"
)

// Quantile returns the p-quantile of the sorted, NaN-free sample x by the
// rule typ of Hyndman and Fan (1996):
//
//	type 2: inverse of the empirical CDF, averaging at the jumps. With
//	        n*p = j + g (j integer), Q = x[j] if g > 0, else (x[j-1]+x[j])/2
//	        (0-based). Stata's _pctile, summarize and winsor2 use it.
//	type 7: linear interpolation between order statistics,
//	        h = (n-1)*p, Q = x[floor h] + (h - floor h)(x[floor h+1] - x[floor h]).
//	        R's quantile default and numpy's "linear" rule.
//
// Quantile panics if x is empty, p is outside [0, 1] or typ is not 2 or 7.
func Quantile(x []float64, p float64, typ int) float64 {
	n := len(x)
	if n == 0 {
		panic("clean: Quantile of an empty sample")
	}
	if !(p >= 0 && p <= 1) {
		panic(fmt.Sprintf("clean: Quantile probability %v outside [0, 1]", p))
	}
	switch typ {
	case 2:
		np := float64(n) * p
		j := math.Floor(np)
		k := int(j)
		if np-j > 1e-12*math.Max(1, np) {
			return x[min(k, n-1)]
		}
		if k == 0 {
			return x[0]
		}
		if k >= n {
			return x[n-1]
		}
		return (x[k-1] + x[k]) / 2
	case 7:
		h := float64(n-1) * p
		lo := math.Floor(h)
		k := int(lo)
		if k >= n-1 {
			return x[n-1]
		}
		return x[k] + (h-lo)*(x[k+1]-x[k])
	}
	panic(fmt.Sprintf("clean: quantile type %d not supported (2 or 7)", typ))
}
