// Package analysis is the study layer of the smart-city policy evaluation:
// it ties the data, index, estimation and chart packages below it into the
// models that the notebooks and the command line run.
//
// A notebook starts from LoadStudy, which builds the study frame from a
// user's data in data/real/ or, when there is none, from the synthetic twin
// in data/synthetic/ (with its true effects in Study.Truth), and labels the
// data accordingly. A Design names the columns the models use; its zero
// value is the study's design: the governance index on the pilot dummy
// treat × post, city and year fixed effects, errors clustered by city.
//
// The models, one file each:
//
//	Baseline       two-way fixed-effects DiD without and with controls
//	DropPilots     robustness: re-estimate after dropping a share of pilots
//	AddBatches     robustness: add the 2013 (and later) pilot batches
//	PSMDID         robustness: DiD on a propensity-score matched sample
//	PermutePilots  placebo: permutation of pilot status; FakePilotYears
//	Heterogeneity  subgroup effects (coastal, region, central city)
//	EventStudy     leads and lags around the pilot year
//
// SaveTable and SaveFigure write a result to tables/ and figures/ in every
// format and return what a notebook displays.
//
// StudyComponents, ModuleVersions and ProgramVersion report the toolchain
// that produced a run (Go, the GoNB kernel, gonum, plot, gota), for the
// environment notebook.
package analysis
