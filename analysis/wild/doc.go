// Package wild holds the wild cluster restricted bootstrap (WCR) for one
// coefficient of a fixed-effects linear model: inference that stays honest
// with few clusters, where cluster-robust t tests over-reject (Cameron,
// Gelbach and Miller 2008; MacKinnon and Webb 2017).
//
// The p-value is the symmetric bootstrap p-value of the CRV1 t statistic
// with the null imposed on the bootstrap data; the confidence interval
// inverts that test. With Rademacher or Webb weights and few clusters every
// weight pattern can be enumerated, which makes the result exact and
// independent of the seed; WCR does so whenever the patterns are no more
// than the requested draws, and says so in the result.
//
// References:
//
//	Cameron, A. C., J. B. Gelbach and D. L. Miller (2008). Bootstrap-based
//	  improvements for inference with clustered errors. Review of
//	  Economics and Statistics 90(3), 414-427.
//	Roodman, D., J. G. MacKinnon, M. Ø. Nielsen and M. D. Webb (2019).
//	  Fast and wild: bootstrap inference in Stata using boottest. Stata
//	  Journal 19(1), 4-60.
//	Webb, M. D. (2023). Reworking wild bootstrap-based inference for
//	  clustered errors. Canadian Journal of Economics 56(3), 839-858.
package wild
