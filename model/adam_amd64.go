package model

//go:noescape
func adamStepAVX(p, g, m, v []float64, k *[8]float64)

// adamFast runs Adam's update on the longest prefix of the arrays the AVX
// kernel takes (a multiple of 4 values) and returns its length; the caller
// finishes the rest with the scalar loop, which gives the same bits.
func adamFast(p, g, m, v []float64, k *[8]float64) int {
	n := len(g)
	if !haveAVX || n < 4 || len(p) < n || len(m) < n || len(v) < n {
		return 0
	}
	n -= n % 4
	adamStepAVX(p[:n], g[:n], m[:n], v[:n], k)
	return n
}
