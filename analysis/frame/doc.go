// Package frame holds the column table that every other package of the
// project reads: named columns of equal length, each either numeric
// (float64, NaN for a missing cell) or text.
//
// A Frame remembers the file it came from, so that an error about a cell can
// name the file, the line, the column and the value. Data row i of a frame
// read from CSV is line i+2 of the file (line 1 is the header).
package frame
