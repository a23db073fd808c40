// Package did holds difference-in-differences estimators that stay right when
// units adopt a treatment at different times (staggered adoption):
//
//   - Callaway and Sant'Anna (2021): group-time average treatment effects
//     ATT(g,t) with never-treated or not-yet-treated comparison units, a
//     varying or universal base period, no covariates or covariates by
//     outcome regression, inverse probability weighting or the doubly robust
//     estimator of Sant'Anna and Zhao (2020); aggregations (simple, dynamic,
//     by group, by calendar period); standard errors from the influence
//     function clustered by unit; a multiplier bootstrap with simultaneous
//     (uniform) confidence bands. See attgt.go, drdid.go, aggregate.go and
//     bootstrap.go.
//   - Sun and Abraham (2021): the interaction-weighted event study
//     (sunab.go).
//   - Goodman-Bacon (2021): the decomposition of the two-way fixed-effects
//     estimate into 2x2 comparisons and their weights (bacon.go).
//
// The estimators read a long panel (one row per unit and period) from a
// frame.Frame and need it balanced: a unit missing a period, or a missing
// outcome or covariate, is an error that names the unit and period, unless
// the caller asks to drop such units, in which case the result says which
// were dropped.
//
// References:
//
//	Callaway, B. and P. H. C. Sant'Anna (2021). Difference-in-differences
//	  with multiple time periods. Journal of Econometrics 225(2), 200-230.
//	Sant'Anna, P. H. C. and J. Zhao (2020). Doubly robust difference-in-
//	  differences estimators. Journal of Econometrics 219(1), 101-122.
//	Sun, L. and S. Abraham (2021). Estimating dynamic treatment effects in
//	  event studies with heterogeneous treatment effects. Journal of
//	  Econometrics 225(2), 175-199.
//	Goodman-Bacon, A. (2021). Difference-in-differences with variation in
//	  treatment timing. Journal of Econometrics 225(2), 254-277.
package did
