// Command gen writes a balanced benchmark panel as CSV: units x periods
// rows with unit and year effects, a treatment dummy (every second unit
// from the middle period on), two controls and noise. Numbers are written
// with 15 significant digits, as R's write.csv and data.table's fwrite do.
//
//	go run ./bench/fe/gen -units 100000 -periods 20 -seed 1 > panel.csv
package main

import (
	"bufio"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
)

func main() {
	units := flag.Int("units", 172, "number of units")
	periods := flag.Int("periods", 16, "number of periods")
	seed := flag.Uint64("seed", 1, "seed of the PCG generator")
	flag.Parse()
	if err := write(*units, *periods, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func write(units, periods int, seed uint64) error {
	rng := rand.New(rand.NewPCG(seed, 2012))
	w := bufio.NewWriterSize(os.Stdout, 1<<20)
	fmt.Fprintln(w, "unit,year,y,treat,x1,x2")
	buf := make([]byte, 0, 128)
	for u := 1; u <= units; u++ {
		effect := rng.NormFloat64()
		treated := u%2 == 0
		for t := 0; t < periods; t++ {
			d := 0.0
			if treated && t >= periods/2 {
				d = 1
			}
			x1 := rng.NormFloat64() + 0.3*effect
			x2 := rng.NormFloat64()
			y := effect + 0.05*float64(t) + 0.5*d + 0.3*x1 - 0.2*x2 + rng.NormFloat64()
			buf = strconv.AppendInt(buf[:0], int64(u), 10)
			buf = append(buf, ',')
			buf = strconv.AppendInt(buf, int64(2000+t), 10)
			for _, v := range []float64{y, d, x1, x2} {
				buf = append(buf, ',')
				buf = strconv.AppendFloat(buf, v, 'g', 15, 64)
			}
			buf = append(buf, '\n')
			if _, err := w.Write(buf); err != nil {
				return err
			}
		}
	}
	return w.Flush()
}
