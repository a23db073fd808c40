// Package chart draws the study's figures with gonum/plot: event-study
// coefficients with confidence bands, forest plots of subgroup estimates,
// permutation distributions, propensity-score common support and mean
// outcomes over time.
//
// Every chart is built from plain numbers (no estimator types), uses one
// common greyscale-readable style (see Style), and is rendered
// deterministically: the same inputs give byte-identical PNG, SVG and PDF
// files on any machine. PNG goes to the notebooks; Save writes PNG, PDF or
// SVG by file extension, atomically; SaveAll writes all three at
// publication size (6.5 x 4 inches by default).
//
// Labels are English by default. Style.Lang "zh" switches the built-in
// labels to Chinese; this needs a CJK font installed (Debian's
// fonts-noto-cjk or fonts-wqy-microhei), and chart constructors return
// ErrNoCJKFont with the install command when none is found.
//
// The charts are checked against golden PNG files in testdata/; run
//
//	go test ./analysis/chart -update
//
// to regenerate them after an intended change (see package charttest).
package chart
