package did

import (
	"math"
	"math/bits"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/stat/distuv"
)

// bootDraws holds, for every multiplier draw b, the sums that any linear
// combination of the influence functions needs:
//
//	S[b][k] = sum_i v_bi inf_ik   (cells k)
//	Q[b][g] = sum_{i in g} v_bi   (treated groups g)
//	V[b]    = sum_i v_bi
//
// so that the draws of an aggregated parameter, whose influence function is
// sum_k a_k inf_k + sum_g c_g (1{G=g} - P(G=g)), are linear in S, Q and V.
// Every aggregation thus uses the same multipliers as the ATT(g,t) cells.
type bootDraws struct {
	b, k, g int
	n       int
	s, q    []float64 // b*k, b*g
	v       []float64 // b
	share   []float64 // P(G=g)

	// The draws themselves, kept for checking: bit r of byte
	// bits[b*nb+blockOff[c]+j] says whether unit 8j+r of cohort c got hi.
	bits     []byte
	nb       int
	blockOff []int
	lo, hi   float64
}

// Two-point multiplier distributions: v = lo with probability 1-pHi, hi
// with probability pHi; mean 0, variance 1.
func multiplier(name string) (lo, hi, pHi float64) {
	if name == "rademacher" {
		return -1, 1, 0.5
	}
	// Mammen (1993): the did package's multipliers.
	r5 := math.Sqrt(5)
	return (1 - r5) / 2, (1 + r5) / 2, (r5 - 1) / (2 * r5)
}

// drawBootstrap draws opt.Bootstrap multiplier vectors, one multiplier per
// unit (clustering by unit), and returns the sums of bootDraws.
//
// Because the multipliers take two values, sum_i v_i inf_ik =
// lo*sum_i inf_ik + (hi-lo)*sum_{i: v_i=hi} inf_ik, and the second sum is
// taken eight units at a time from a table of the 256 subset sums of the
// eight units' influence rows, built once per block of eight units of a
// cohort (the units of a cohort share the cells in which they appear).
// This makes the cost per draw about an eighth of the number of non-zero
// influence values.
func drawBootstrap(r *Result, opt Options) *bootDraws {
	inf := r.inf
	B, K, G := opt.Bootstrap, len(r.Cells), len(r.Groups)
	nc := len(inf.start) - 1
	lo, hi, pHi := multiplier(opt.Multiplier)
	bd := &bootDraws{b: B, k: K, g: G, n: inf.n, s: make([]float64, B*K),
		q: make([]float64, B*G), v: make([]float64, B), share: r.GroupShare}

	// Bits: draw b, cohort c, block j -> one byte, bit r = unit 8j+r.
	blockOff := make([]int, nc+1)
	for c := 0; c < nc; c++ {
		nu := inf.start[c+1] - inf.start[c]
		blockOff[c+1] = blockOff[c] + (nu+7)/8
	}
	nb := blockOff[nc]
	bitsOf := make([]byte, B*nb)
	rng := rand.New(rand.NewPCG(opt.Seed, 0x5eed))
	// Each 64-bit draw gives two 32-bit uniforms; a multiplier is hi when
	// its uniform is below thr, so P(hi) = pHi to within 2^-32.
	thr := uint64(math.Round(pHi * (1 << 32)))
	for b := 0; b < B; b++ {
		row := bitsOf[b*nb : (b+1)*nb]
		for c := 0; c < nc; c++ {
			nu := inf.start[c+1] - inf.start[c]
			blk := row[blockOff[c]:blockOff[c+1]]
			if opt.Multiplier == "rademacher" {
				for j := 0; j < len(blk); j += 8 {
					u := rng.Uint64()
					for t := 0; t < 8 && j+t < len(blk); t++ {
						blk[j+t] = byte(u >> (8 * t))
					}
				}
			} else {
				for j := range blk {
					var m uint64
					for t := 0; t < 8; t += 2 {
						u := rng.Uint64()
						m |= ((u&0xffffffff - thr) >> 63) << t
						m |= ((u>>32 - thr) >> 63) << (t + 1)
					}
					blk[j] = byte(m)
				}
			}
			if rem := nu & 7; rem != 0 {
				blk[len(blk)-1] &= byte(1<<rem) - 1
			}
		}
	}

	bd.bits, bd.nb, bd.blockOff, bd.lo, bd.hi = bitsOf, nb, blockOff, lo, hi

	// Group and total sums of the multipliers.
	for b := 0; b < B; b++ {
		row := bitsOf[b*nb : (b+1)*nb]
		var tot float64
		for c := 0; c < nc; c++ {
			nu := inf.start[c+1] - inf.start[c]
			ones := 0
			for _, x := range row[blockOff[c]:blockOff[c+1]] {
				ones += bits.OnesCount8(x)
			}
			sum := lo*float64(nu) + (hi-lo)*float64(ones)
			if c < G {
				bd.q[b*G+c] = sum
			}
			tot += sum
		}
		bd.v[b] = tot
	}

	// Cell sums, cohort by cohort.
	for c := 0; c < nc; c++ {
		cols := inf.vals[c]
		sc := len(cols)
		if sc == 0 {
			continue
		}
		nu := inf.start[c+1] - inf.start[c]
		acc := make([]float64, B*sc)
		table := make([]float64, 256*sc)
		rows := make([]float64, 8*sc) // the block's influence rows, row-major
		for j := 0; j < (nu+7)/8; j++ {
			clear(rows)
			for r := 0; r < 8 && 8*j+r < nu; r++ {
				for col := 0; col < sc; col++ {
					rows[r*sc+col] = cols[col][8*j+r]
				}
			}
			// table[m] = sum of the rows of the units whose bits are set in m.
			for m := 1; m < 256; m++ {
				low := m & -m
				r := bits.TrailingZeros8(uint8(low))
				dst := table[m*sc : (m+1)*sc]
				src := table[(m^low)*sc : (m^low)*sc+sc]
				add := rows[r*sc : r*sc+sc]
				for col := range dst {
					dst[col] = src[col] + add[col]
				}
			}
			off := blockOff[c] + j
			for b := 0; b < B; b++ {
				m := int(bitsOf[b*nb+off])
				if m == 0 {
					continue
				}
				a := acc[b*sc : (b+1)*sc]
				t := table[m*sc : (m+1)*sc]
				for col := range a {
					a[col] += t[col]
				}
			}
		}
		for col, k := range inf.cells[c] {
			var colSum float64
			for _, x := range cols[col] {
				colSum += x
			}
			for b := 0; b < B; b++ {
				bd.s[b*K+k] += lo*colSum + (hi-lo)*acc[b*sc+col]
			}
		}
	}
	return bd
}

// draws returns the bootstrap draws of sqrt(n)*(estimate* - estimate) of the
// linear combination l: (1/sqrt(n)) sum_i v_i inf_i.
func (bd *bootDraws) draws(l linear) []float64 {
	out := make([]float64, bd.b)
	var cShare float64
	for g, c := range l.c {
		cShare += c * bd.share[g]
	}
	sqn := math.Sqrt(float64(bd.n))
	for b := 0; b < bd.b; b++ {
		var x float64
		srow := bd.s[b*bd.k : (b+1)*bd.k]
		for k, a := range l.a {
			if a != 0 {
				x += a * srow[k]
			}
		}
		for g, c := range l.c {
			if c != 0 {
				x += c * bd.q[b*bd.g+g]
			}
		}
		x -= cShare * bd.v[b]
		out[b] = x / sqn
	}
	return out
}

// bands returns the bootstrap standard errors of the linear combinations
// and the critical value of a uniform band over them, as the did package
// computes them: the standard error is the interquartile range of the draws
// divided by that of the standard normal (quantiles of type 1), and the
// critical value the level quantile of the largest absolute t-ratio across
// the combinations. Combinations whose draws are all zero (the reference
// cells of a universal base period) get standard error 0 and are left out
// of the maximum.
func (bd *bootDraws) bands(ls []linear, level float64) (se []float64, crit float64) {
	se = make([]float64, len(ls))
	sig := make([]float64, len(ls))
	all := make([][]float64, len(ls))
	iqrN := normalQuantile(0.75) - normalQuantile(0.25)
	sqn := math.Sqrt(float64(bd.n))
	for j, l := range ls {
		d := bd.draws(l)
		var ss float64
		for _, x := range d {
			ss += x * x
		}
		if ss <= math.Sqrt(eps)*10 {
			continue
		}
		sorted := slices.Clone(d)
		slices.Sort(sorted)
		sig[j] = (quantile1(sorted, 0.75) - quantile1(sorted, 0.25)) / iqrN
		se[j] = sig[j] / sqn
		all[j] = d
	}
	maxT := make([]float64, 0, bd.b)
	for b := 0; b < bd.b; b++ {
		m := math.Inf(-1)
		for j := range ls {
			if all[j] == nil || sig[j] == 0 {
				continue
			}
			m = math.Max(m, math.Abs(all[j][b]/sig[j]))
		}
		if !math.IsInf(m, 0) {
			maxT = append(maxT, m)
		}
	}
	if len(maxT) == 0 {
		return se, normalQuantile(0.5 + level/2)
	}
	slices.Sort(maxT)
	return se, quantile1(maxT, level)
}

// quantile1 is the type-1 sample quantile (inverse of the empirical
// distribution function) of sorted data, as R's quantile(type = 1).
func quantile1(sorted []float64, p float64) float64 {
	n := len(sorted)
	const fuzz = 4 * eps
	np := float64(n) * p
	j := int(math.Floor(np + fuzz))
	if h := np - float64(j); math.Abs(h) >= fuzz && h > 0 {
		j++
	}
	j = min(max(j, 1), n)
	return sorted[j-1]
}

func normalQuantile(p float64) float64 { return distuv.UnitNormal.Quantile(p) }
