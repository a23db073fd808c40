// Package data embeds the study's reference files, so that programs and
// notebooks find them without a copy of the repository on disk:
// reference/cities.csv (the prefecture-level city table, see
// reference/SOURCES.md) and codebook.csv (the indicators of the governance
// index and the control variables).
package data

import _ "embed"

// Cities is reference/cities.csv.
//
//go:embed reference/cities.csv
var Cities []byte

// Codebook is codebook.csv.
//
//go:embed codebook.csv
var Codebook []byte
