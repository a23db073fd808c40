// Package psm estimates propensity scores and matches treated to control
// units on them, for propensity-score matching (PSM) and PSM
// difference-in-differences.
//
// The steps follow R's MatchIt (Ho, Imai, King and Stuart 2011) with its
// defaults, so that results can be compared line by line:
//
//   - Logit: the propensity score by iteratively reweighted least squares,
//     with a linear-programming test for perfect and quasi-complete
//     separation (CheckSeparation) run first, so that a score that does
//     not exist is reported, with the covariates responsible, instead of
//     iterated towards infinity.
//   - NearestNeighbor: greedy 1:k nearest-neighbour matching on the score,
//     with or without replacement, optionally within a caliper; treated
//     units in descending order of score, ties in data order.
//   - MatchWeights: MatchIt's ATT weights (treated 1; controls the sum of
//     1/k over their treated units, normalised to average 1).
//   - Balance: standardised mean differences (treated-group standard
//     deviation) and variance ratios before and after matching.
//   - EstimateATT: the weighted difference in means with a pair-clustered
//     (or, with replacement, HC1) standard error.
//
// Match runs all of these on the rows of a frame. MatchBaseline and
// MatchByYear are the two PSM-DID designs for panels: matching once on
// baseline-year covariates with the weights carried to every year, or
// matching within every year. Their row weights feed the fixed-effects
// regression (package fe, Options.Weights) that estimates the DID on the
// matched sample.
package psm
