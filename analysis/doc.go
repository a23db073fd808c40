// Package analysis is the study layer of the smart-city policy evaluation:
// it ties the data, index, estimation and chart packages below it into the
// models that the notebooks and the command line run.
package analysis
