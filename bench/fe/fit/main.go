// Command fit times this project's estimator on a benchmark panel: it reads
// the CSV, fits y ~ treat + x1 + x2 | unit + year with errors clustered by
// unit (nested rule) several times, and keeps the fastest fit. It then
// fits again with plm's small-sample rule ("slopes") to compare with R.
//
// Without -plm it prints one line of JSON. With -plm (the JSON line of
// plm.R on the same file) it checks that coefficients and standard errors
// agree to 1e-8 relative, and prints a Markdown table row for
// BENCHMARKS.md; disagreement is an error.
//
//	go run ./bench/fe/fit -data panel.csv
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"example.org/smartcity/analysis/fe"
	"example.org/smartcity/analysis/frame"
)

type output struct {
	Rows       int       `json:"rows"`
	ReadSec    float64   `json:"read_seconds"`
	FitSec     float64   `json:"fit_seconds"`
	PeakKB     int       `json:"peak_rss_kb"`
	Terms      []string  `json:"terms"`
	Coef       []float64 `json:"coef"`
	SESlopes   []float64 `json:"se_slopes"`
	Iterations int       `json:"iterations"`
}

// plmOutput is the line plm.R prints.
type plmOutput struct {
	Rows    int       `json:"rows"`
	ReadSec float64   `json:"read_seconds"`
	FitSec  float64   `json:"fit_seconds"`
	PeakKB  int       `json:"peak_rss_kb"`
	Coef    []float64 `json:"coef"`
	SE      []float64 `json:"se"`
}

func main() {
	data := flag.String("data", "", "benchmark panel CSV")
	reps := flag.Int("reps", 3, "fits to time; the fastest is reported")
	plm := flag.String("plm", "", "JSON output of plm.R on the same file, or \"skip\"")
	cli := flag.String("cli", "", "seconds of the whole smartcity estimate command on the file")
	label := flag.String("label", "", "design label for the table row, e.g. 100000x20")
	profile := flag.String("cpuprofile", "", "write a CPU profile of the fits to this file")
	flag.Parse()
	if *profile != "" {
		fh, err := os.Create(*profile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "fit:", err)
			os.Exit(1)
		}
		defer fh.Close()
		pprof.StartCPUProfile(fh)
		defer pprof.StopCPUProfile()
	}
	out, err := run(*data, *reps)
	if err == nil {
		if *plm == "" {
			err = json.NewEncoder(os.Stdout).Encode(out)
		} else {
			err = row(out, *plm, *cli, *label)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "fit:", err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
}

func run(path string, reps int) (output, error) {
	t0 := time.Now()
	d, err := frame.ReadCSV(path)
	if err != nil {
		return output{}, err
	}
	out := output{Rows: d.Len(), ReadSec: time.Since(t0).Seconds()}
	f, err := fe.ParseFormula("y ~ treat + x1 + x2 | unit + year")
	if err != nil {
		return out, err
	}
	for k := 0; k < reps; k++ {
		t := time.Now()
		if _, err := fe.Fit(d, f, fe.Options{Cluster: []string{"unit"}}); err != nil {
			return out, err
		}
		if s := time.Since(t).Seconds(); k == 0 || s < out.FitSec {
			out.FitSec = s
		}
	}
	r, err := fe.Fit(d, f, fe.Options{Cluster: []string{"unit"}, SSC: "slopes"})
	if err != nil {
		return out, err
	}
	out.Terms, out.Coef, out.SESlopes, out.Iterations = r.Terms, r.Coef, r.SE, r.Iterations
	out.PeakKB = peakRSS()
	return out, nil
}

// peakRSS reads the process's peak resident set size (VmHWM) in kB; 0 if
// the system does not report it.
func peakRSS() int {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")))
			return kb
		}
	}
	return 0
}

// row compares with plm and prints the table row:
// | design | N | read | fit | peak | CLI | plm read | plm fit | plm peak | max rel. diff |
func row(out output, plmPath, cli, label string) error {
	plmCells := "not run | not run | not run | -"
	if plmPath != "skip" {
		b, err := os.ReadFile(plmPath)
		if err != nil {
			return err
		}
		var p plmOutput
		if err := json.Unmarshal(b, &p); err != nil {
			return fmt.Errorf("%s: %v", plmPath, err)
		}
		if p.Rows != out.Rows || len(p.Coef) != len(out.Coef) || len(p.SE) != len(out.SESlopes) {
			return fmt.Errorf("plm fitted %d rows and %d terms, this estimator %d and %d",
				p.Rows, len(p.Coef), out.Rows, len(out.Coef))
		}
		worst := 0.0
		for j := range p.Coef {
			worst = math.Max(worst, math.Abs(out.Coef[j]/p.Coef[j]-1))
			worst = math.Max(worst, math.Abs(out.SESlopes[j]/p.SE[j]-1))
		}
		if !(worst < 1e-8) {
			return fmt.Errorf("coefficients or standard errors differ from plm by %.3g (relative)", worst)
		}
		plmCells = fmt.Sprintf("%s | %s | %s | %.1e", dur(p.ReadSec), dur(p.FitSec), mem(p.PeakKB), worst)
	}
	cliSec, err := strconv.ParseFloat(cli, 64)
	if err != nil {
		return fmt.Errorf("-cli %q: %v", cli, err)
	}
	fmt.Printf("| %s | %d | %s | %s | %s | %s | %s |\n", label, out.Rows, dur(out.ReadSec),
		dur(out.FitSec), mem(out.PeakKB), dur(cliSec), plmCells)
	return nil
}

// dur writes seconds as milliseconds below one second.
func dur(s float64) string {
	if s < 1 {
		return fmt.Sprintf("%.1f ms", 1000*s)
	}
	return fmt.Sprintf("%.2f s", s)
}

// mem writes kilobytes as MB or GB.
func mem(kb int) string {
	switch {
	case kb == 0:
		return "n/a"
	case kb < 1<<20:
		return fmt.Sprintf("%.0f MB", float64(kb)/(1<<10))
	}
	return fmt.Sprintf("%.2f GB", float64(kb)/(1<<20))
}
