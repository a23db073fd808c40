// Package fe fits linear models with any number of high-dimensional fixed
// effects by least squares, and computes the inference that applied work on
// panel data reports: iid, heteroskedasticity-robust (HC1), cluster-robust
// (CRV1) and two-way cluster-robust (Cameron, Gelbach and Miller 2011)
// variances, Wald tests and confidence intervals; and, for the choice between
// fixed and random effects, the Swamy-Arora random-effects estimator and the
// Hausman test.
//
// The model is
//
//	y_i = x_i'β + α_1[g_1(i)] + ... + α_D[g_D(i)] + ε_i
//
// where g_d(i) is the level of observation i in fixed-effect dimension d
// (a unit, a year, or an interaction such as province^year). The fixed
// effects are projected out of y and x (Frisch-Waugh-Lovell) and β is the
// least-squares fit of the demeaned y on the demeaned x.
//
// Demeaning is exact in one pass for one dimension, and for two dimensions
// that form a balanced panel without weights (each unit observed once in
// every period): x - mean_unit - mean_period + mean. Any other design is
// solved iteratively on the fixed-effect coefficients (block Gauss-Seidel,
// which is the method of alternating projections), accelerated by the
// Irons and Tuck (1969) extrapolation as in fixest (Bergé 2018). The
// iteration stops when no fixed-effect coefficient moves by more than
// Options.Tol times the standard deviation of its column in one sweep;
// not converging
// within Options.MaxIter sweeps is an error, never a silent answer.
//
// Small-sample rules for clustered errors follow the conventions of the
// established tools, V = c (X'X)^-1 M (X'X)^-1 with
// c = G/(G-1) (N-1)/(N-K), where they differ only in K:
//
//	nested  K = slopes + fixed-effect parameters not nested in the cluster
//	        (reghdfe, fixest, Stata xtreg fe; the default)
//	full    K = slopes + every fixed-effect parameter (areg, LSDV)
//	slopes  K = slopes only (plm's vcovHC)
//	none    c = 1 (CR0)
//
// p-values and confidence intervals of clustered estimates use Student's t
// with G-1 degrees of freedom, G the number of clusters (the smaller one
// for two-way clustering).
//
// Every Result carries its own account in Notes: rows dropped and why,
// singletons, collinear terms, the demeaning iterations and the variance
// estimator.
package fe
