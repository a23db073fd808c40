// Package panel is the study's data layer: the reference table of
// prefecture-level cities, the codebook of the governance index, reading a
// city-year panel from CSV or XLSX, validating it against the codebook, and
// assembling the study frame that every model reads.
//
// A panel file has one row per city and year: columns city_code (GB/T 2260
// six-digit code) and year, then one column per codebook variable. A pilot
// file lists the pilot cities: city_code, batch and pilot_year. Validate
// reports every problem of a file at once, each with the file, line, column
// and value; StudyFrame then fills gaps, winsorizes, builds the
// entropy-weight index and joins the pilot list and the reference table.
package panel
