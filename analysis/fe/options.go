package fe

import "fmt"

// Options configures Fit. The zero value is a model with iid errors (or
// CRV1 errors with the nested rule when Cluster is set), no weights,
// singletons kept, 95% confidence intervals and the default solver.
type Options struct {
	// Vcov is the variance estimator: "iid", "hetero" (HC1) or "cluster"
	// (CRV1). Empty means "cluster" when Cluster is set and "iid" otherwise.
	Vcov string
	// Cluster names one or two cluster columns; two give the two-way
	// cluster-robust variance of Cameron, Gelbach and Miller (2011). A
	// column may be an interaction written a^b.
	Cluster []string
	// SSC is the small-sample rule: "nested" (the default), "full",
	// "slopes" or "none"; see the package documentation. For "hetero" it
	// sets K in N/(N-K) the same way ("nested" counts every fixed effect,
	// as nothing is nested without clusters; "none" gives HC0). It does
	// not change "iid", whose variance always divides by the residual
	// degrees of freedom.
	SSC string
	// Weights names a column of non-negative observation weights (for
	// example matching weights). Rows of weight 0 are dropped and counted.
	Weights string
	// DropSingletons drops observations that are alone in a level of a
	// fixed effect, repeatedly until none is left, as reghdfe does. The
	// default keeps them, as fixest and Stata's xtreg do: they do not move
	// the coefficients, and keeping them leaves N and the table's
	// observation count equal to what the user passed in. Either way the
	// number of singletons is reported in Notes and Result.Singletons.
	DropSingletons bool
	// Level is the confidence level of ConfLow/ConfHigh; 0 means 0.95.
	Level float64
	// Tol and MaxIter control the iterative demeaning; 0 means DefaultTol
	// and DefaultMaxIter.
	Tol     float64
	MaxIter int
}

func (o Options) normalized() (Options, error) {
	switch o.Vcov {
	case "":
		if len(o.Cluster) > 0 {
			o.Vcov = "cluster"
		} else {
			o.Vcov = "iid"
		}
	case "iid", "hetero":
		if len(o.Cluster) > 0 {
			return o, fmt.Errorf("vcov %q with cluster columns %v: "+
				"use vcov \"cluster\" or drop the clusters", o.Vcov, o.Cluster)
		}
	case "cluster":
		if len(o.Cluster) == 0 {
			return o, fmt.Errorf("vcov \"cluster\" needs a cluster column")
		}
	default:
		return o, fmt.Errorf("unknown vcov %q: want iid, hetero or cluster", o.Vcov)
	}
	if len(o.Cluster) > 2 {
		return o, fmt.Errorf("clustering by %d columns %v: at most two are supported",
			len(o.Cluster), o.Cluster)
	}
	switch o.SSC {
	case "":
		o.SSC = "nested"
	case "nested", "full", "slopes", "none":
	default:
		return o, fmt.Errorf("unknown small-sample rule %q: want nested, full, slopes or none", o.SSC)
	}
	if o.Level == 0 {
		o.Level = 0.95
	}
	if !(o.Level > 0 && o.Level < 1) {
		return o, fmt.Errorf("confidence level %v is not between 0 and 1", o.Level)
	}
	if o.Tol < 0 || o.MaxIter < 0 {
		return o, fmt.Errorf("negative solver tolerance or iteration limit")
	}
	if o.Tol == 0 {
		o.Tol = DefaultTol
	}
	if o.MaxIter == 0 {
		o.MaxIter = DefaultMaxIter
	}
	return o, nil
}
