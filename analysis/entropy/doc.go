// Package entropy builds a composite index by the entropy-weight method.
//
// For indicators j = 1..m observed on units i = 1..n, each indicator is
// scaled to [0, 1] by its direction,
//
//	x'_ij = (x_ij - min_j) / (max_j - min_j)   for a positive indicator,
//	x'_ij = (max_j - x_ij) / (max_j - min_j)   for a negative one,
//
// an optional shift s is added (z_ij = x'_ij + s, so that no share is zero),
// and the shares, entropy, redundancy and weight are
//
//	p_ij = z_ij / sum_i z_ij
//	e_j  = -(1 / ln n) sum_i p_ij ln p_ij      (0 ln 0 = 0)
//	d_j  = 1 - e_j
//	w_j  = d_j / sum_k d_k.
//
// The index of unit i is sum_j w_j x'_ij, in [0, 1] on the data the weights
// were fitted on; a dimension's sub-index sums over that dimension's
// indicators only, so the sub-indices add up to the index. A Model keeps the
// minima, maxima and weights, so that other data (a counterfactual panel)
// can be scored on the same scale.
//
// Reference: Shannon (1948) for the entropy; the weighting scheme is the one
// of the Chinese urban-development literature (e.g. Zhu, Wei and Zhang 2019).
package entropy
