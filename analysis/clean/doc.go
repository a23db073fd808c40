// Package clean prepares a city-year panel for the index: it fills gaps
// along each city's years (linear interpolation inside the observed span,
// linear extrapolation at the ends) and winsorizes at chosen percentiles,
// pooled or year by year, with Stata's or R's quantile rule. Every filled or
// clipped cell is counted, so a caller can report what cleaning changed.
package clean
