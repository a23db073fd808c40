// Package report writes regression tables: several models side by side, as
// Stata's esttab and fixest's etable print them. Each coefficient carries
// significance stars and its standard error in parentheses below; the foot
// of the table gives the number of observations, R², within R², one row per
// fixed effect and a row for control variables saying which model has them,
// and a note on the variance estimator.
//
// A Table renders as Markdown or HTML (for notebooks), LaTeX with booktabs
// (every special character escaped), CSV, or aligned plain text. Output
// depends only on the models and options, so re-running gives the same
// bytes.
package report
