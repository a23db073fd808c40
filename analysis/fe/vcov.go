package fe

import (
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/gonum/mat"
)

// computeVcov sets Vcov, VcovType, DF, NClusters and ClusterSizes from the
// demeaned regressors xk and the residuals e:
//
//	iid      V = RSS/(N-K-F) (X'WX)^-1
//	hetero   V = N/(N-k) (X'WX)^-1 (Σ w_i² e_i² x_i x_i') (X'WX)^-1      (HC1)
//	cluster  V = c (X'WX)^-1 (Σ_g s_g s_g') (X'WX)^-1, s_g = Σ_{i∈g} w_i e_i x_i
//
// with c = G/(G-1) (N-1)/(N-k) (CRV1) and k set by the small-sample rule. Two
// cluster columns give V_1 + V_2 - V_12 (Cameron, Gelbach and Miller 2011),
// each term scaled with the smaller G; if that matrix is not positive
// semi-definite its negative eigenvalues are set to zero.
func (r *Result) computeVcov(ds *design, xk [][]float64, e []float64) error {
	K := len(xk)
	n := float64(r.NObs)
	bread := r.XtXInv
	switch r.Vce {
	case "iid":
		if r.DFResid <= 0 {
			return fmt.Errorf("no residual degrees of freedom (N=%d, %d slopes, %d fixed-effect parameters)",
				r.NObs, K, r.FEParams)
		}
		v := mat.NewSymDense(K, nil)
		v.ScaleSym(r.RSS/float64(r.DFResid), bread)
		r.Vcov, r.DF, r.VcovType = v, r.DFResid, "iid"
		return nil

	case "hetero":
		// The t tests use DFResid whatever the small-sample rule.
		if r.DFResid <= 0 {
			return fmt.Errorf("no residual degrees of freedom (N=%d, %d slopes, %d fixed-effect parameters)",
				r.NObs, K, r.FEParams)
		}
		u := make([]float64, len(e))
		for i := range e {
			u[i] = e[i]
			if ds.w != nil {
				u[i] *= ds.w[i]
			}
			u[i] *= u[i]
		}
		meat := weightedCross(xk, u)
		k := K + r.FEParams
		name := "HC1 (heteroskedasticity-robust)"
		switch r.SSC {
		case "slopes":
			k = K
			name += ", small-sample rule slopes"
		case "none":
			name = "HC0 (heteroskedasticity-robust, no small-sample correction)"
		}
		adj := 1.0
		if r.SSC != "none" {
			if float64(k) >= n {
				return fmt.Errorf("no residual degrees of freedom for HC1 (N=%d, K=%d)", r.NObs, k)
			}
			adj = n / (n - float64(k))
		}
		r.Vcov, r.DF, r.VcovType = sandwich(bread, meat, adj), r.DFResid, name
		return nil
	}

	// Clustered: scores w_i e_i x_i.
	u := e
	if ds.w != nil {
		u = make([]float64, len(e))
		for i := range e {
			u[i] = e[i] * ds.w[i]
		}
	}
	r.ClusterSizes = append([]int(nil), ds.clLevels...)
	r.NClusters = ds.clLevels[0]
	g := ds.clLevels[0]
	for _, l := range ds.clLevels {
		g = min(g, l)
	}
	if g < 2 {
		return fmt.Errorf("clustering by %s: only %d cluster; need at least 2",
			strings.Join(r.Cluster, ", "), g)
	}

	// Fixed effects nested in a cluster column are not counted by "nested".
	nestedLevels, nestedCount := 0, 0
	for d := range ds.fe {
		for c := range ds.cl {
			same := len(ds.fe[d]) > 0 && &ds.fe[d][0] == &ds.cl[c][0]
			if same || nestedIn(ds.fe[d], ds.feLevels[d], ds.cl[c]) {
				r.FixedEffects[d].Nested = true
				nestedLevels += ds.feLevels[d]
				nestedCount++
				break
			}
		}
	}
	var k int
	switch r.SSC {
	case "nested":
		k = K + r.FEParams - nestedLevels + nestedCount
	case "full":
		k = K + r.FEParams
	case "slopes":
		k = K
	}
	c := 1.0
	if r.SSC != "none" {
		if float64(k) >= n {
			return fmt.Errorf("no residual degrees of freedom for CRV1 (N=%d, K=%d)", r.NObs, k)
		}
		c = float64(g) / float64(g-1) * (n - 1) / (n - float64(k))
	}

	meat := clusterMeat(xk, u, ds.cl[0], ds.clLevels[0])
	if len(ds.cl) == 2 {
		m2 := clusterMeat(xk, u, ds.cl[1], ds.clLevels[1])
		both, lb := combine(ds.cl[0], ds.clLevels[0], ds.cl[1], ds.clLevels[1])
		m12 := clusterMeat(xk, u, both, lb)
		for i := range meat {
			meat[i] += m2[i] - m12[i]
		}
	}
	v := sandwich(bread, meat, c)
	r.DF = g - 1

	name := "CRV1 (" + r.SSC + ")"
	if r.SSC == "none" {
		name = "CR0 (no small-sample correction)"
	}
	if len(r.Cluster) == 1 {
		name += ", clustered by " + r.Cluster[0]
	} else {
		name += fmt.Sprintf(", two-way clustered by %s and %s (Cameron-Gelbach-Miller; G = %d used)",
			r.Cluster[0], r.Cluster[1], g)
		if fixed := fixPSD(v); fixed > 0 {
			name += fmt.Sprintf("; %d negative eigenvalue(s) set to zero", fixed)
		}
	}
	r.Vcov, r.VcovType = v, name
	return nil
}

// nestedIn reports whether every level of fe lies within a single cluster.
func nestedIn(fe []int32, levels int, cl []int32) bool {
	owner := make([]int32, levels)
	for i := range owner {
		owner[i] = -1
	}
	for i, l := range fe {
		switch owner[l] {
		case -1:
			owner[l] = cl[i]
		case cl[i]:
		default:
			return false
		}
	}
	return true
}

// weightedCross returns Σ_i u_i x_i x_i' as a row-major K×K slice.
func weightedCross(x [][]float64, u []float64) []float64 {
	K := len(x)
	m := make([]float64, K*K)
	for j := 0; j < K; j++ {
		for l := j; l < K; l++ {
			s := 0.0
			xj, xl := x[j], x[l]
			for i, v := range u {
				s += v * xj[i] * xl[i]
			}
			m[j*K+l], m[l*K+j] = s, s
		}
	}
	return m
}

// clusterMeat returns Σ_g s_g s_g' with s_g = Σ_{i∈g} u_i x_i.
func clusterMeat(x [][]float64, u []float64, cl []int32, levels int) []float64 {
	K := len(x)
	s := make([]float64, levels*K)
	for j, xj := range x {
		if K == 1 {
			for i, c := range cl {
				s[c] += u[i] * xj[i]
			}
			continue
		}
		for i, c := range cl {
			s[int(c)*K+j] += u[i] * xj[i]
		}
	}
	m := make([]float64, K*K)
	for g := 0; g < levels; g++ {
		sg := s[g*K : g*K+K]
		for j := 0; j < K; j++ {
			for l := j; l < K; l++ {
				m[j*K+l] += sg[j] * sg[l]
			}
		}
	}
	for j := 0; j < K; j++ {
		for l := 0; l < j; l++ {
			m[j*K+l] = m[l*K+j]
		}
	}
	return m
}

// sandwich returns c B M B for symmetric B and M (M row-major).
func sandwich(b *mat.SymDense, meat []float64, c float64) *mat.SymDense {
	K := b.SymmetricDim()
	m := mat.NewDense(K, K, meat)
	var t, v mat.Dense
	t.Mul(b, m)
	v.Mul(&t, b)
	out := mat.NewSymDense(K, nil)
	for i := 0; i < K; i++ {
		for j := i; j < K; j++ {
			out.SetSym(i, j, c*(v.At(i, j)+v.At(j, i))/2)
		}
	}
	return out
}

// fixPSD sets negative eigenvalues of v to zero and returns how many there
// were.
func fixPSD(v *mat.SymDense) int {
	var es mat.EigenSym
	if !es.Factorize(v, true) {
		return 0
	}
	vals := es.Values(nil)
	neg := 0
	for i, x := range vals {
		if x < 0 {
			vals[i] = 0
			neg++
		}
	}
	if neg == 0 {
		return 0
	}
	var q mat.Dense
	es.VectorsTo(&q)
	K := len(vals)
	for i := 0; i < K; i++ {
		for j := i; j < K; j++ {
			s := 0.0
			for l := 0; l < K; l++ {
				s += q.At(i, l) * vals[l] * q.At(j, l)
			}
			v.SetSym(i, j, s)
		}
	}
	return neg
}

// inference fills SE, Stat, P and the confidence intervals from Vcov.
func (r *Result) inference() {
	K := len(r.Coef)
	r.SE = make([]float64, K)
	r.Stat = make([]float64, K)
	r.P = make([]float64, K)
	for j := range r.Coef {
		r.SE[j] = math.Sqrt(r.Vcov.At(j, j))
		r.Stat[j] = r.Coef[j] / r.SE[j]
		r.P[j] = pValueT(r.Stat[j], r.DF)
	}
	r.ConfLow, r.ConfHigh = r.ConfInt(r.Level)
}
