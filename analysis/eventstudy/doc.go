// Package eventstudy estimates dynamic treatment effects with leads and
// lags around the first year of treatment (an event study), by two-way
// fixed effects:
//
//	y_it = Σ_{k ≠ r} β_k · 1[t - g_i = k] + x_it'γ + α_i + λ_t + ε_it
//
// where g_i is unit i's first treatment period, k = t - g_i its relative
// period, r the reference period (the year before treatment, k = -1, by
// default) and never-treated units have every relative-period dummy equal
// to 0. β_k is the effect k periods after (k ≥ 0) or before (k < 0) the
// start of treatment, relative to period r; the leads (k < r and r < k < 0)
// test for anticipation and pre-existing trends, jointly by a Wald test.
//
// A window [a, b] limits the periods estimated. Observations of treated
// units outside the window are either dropped (the default, reported in
// Notes) or, with Bin, pooled into the end points: k ≤ a into a and k ≥ b
// into b ("endpoint binning", Schmidheiny and Siegloch 2023).
//
// Standard errors are clustered by unit by default (CRV1 with the nested
// small-sample rule, as fixest and reghdfe), computed by package fe.
//
// With treatment starting in different periods and effects that vary
// across cohorts, these two-way estimates mix cohorts with weights that
// may be negative (Sun and Abraham 2021); the study's pilots start in one
// year, and package did offers the heterogeneity-robust estimators.
package eventstudy
