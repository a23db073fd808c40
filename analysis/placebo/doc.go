// Package placebo holds the placebo and randomization-inference checks of
// a difference-in-differences estimate:
//
//   - Permutation: the treatment paths of the units are permuted across
//     units, seeded, and the fixed-effects model re-estimated for each
//     draw, giving the permutation distribution of the coefficient and its
//     p-value (Fisher's randomization inference; for DID see e.g. the
//     "random assignment of pilot cities" placebo of the policy-evaluation
//     literature).
//   - FakePilotYears: the pilot moved to earlier, fake years and the model
//     estimated on the pre-pilot years only.
//   - SubgroupDifference: a permutation test of the difference between the
//     coefficients of two subgroups of units (labels permuted across
//     units).
//
// Re-estimation is cheap: the outcome and controls are demeaned once with
// the fixed-effects package's Demeaner, and each draw demeans only the new
// treatment column and solves by the Frisch-Waugh-Lovell theorem.
package placebo
