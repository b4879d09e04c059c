//go:build !amd64

package model

func reluForwardFast(y, z []float64) int       { return 0 }
func reluBackwardFast(dz, dy, z []float64) int { return 0 }

func sigmoidFast(y, z []float64) int { return 0 }
func tanhFast(y, z []float64) int    { return 0 }

// Without vector kernels sigmoidFast and tanhFast hand nothing to the
// pool, so these are never called.
func sigmoidVector(y, z []float64) { panic("model: no vector sigmoid on this architecture") }
func tanhVector(y, z []float64)    { panic("model: no vector tanh on this architecture") }

func reluForwardMasked(y, z []float64, mask *[]uint64) (from, to int) {
	ReLU{}.Forward(y, z)
	return 0, 0
}

func reluBackwardMasked(dz, dy, z []float64, mask []uint64, from, to int) {
	ReLU{}.Backward(dz, dy, z, nil)
}

func leakyForwardFast(y, z []float64, alpha float64) int                { return 0 }
func leakyBackwardFast(dz, dy, z []float64, alpha float64) int          { return 0 }
func preluForwardFast(y, z, a []float64, stream bool) int               { return 0 }
func preluBackwardFast(dz, dy, z, a, da []float64, stream bool) int     { return 0 }
func twoSidedForwardFast(pos, neg, z []float64, stream bool) int        { return 0 }
func twoSidedBackwardFast(dz, gpos, gneg, z []float64, stream bool) int { return 0 }

func vectorFast(t kernelTask) int                                      { return 0 }
func variantVector(t kernelTask)                                       { panic("model: no vector kernels on this architecture") }
func eluBackwardFast(dz, dy, z, y []float64, scale, alpha float64) int { return 0 }

func leakyForwardMasked(y, z []float64, mask *[]uint64, alpha float64) (from, to int) {
	Leaky{Alpha: alpha}.Forward(y, z)
	return 0, 0
}

func leakyBackwardMasked(dz, dy, z []float64, mask []uint64, from, to int, alpha float64) {
	Leaky{Alpha: alpha}.Backward(dz, dy, z, nil)
}

func adamFast(p, g, m, v []float64, k *[8]float64) int { return 0 }

// haveAVX is false off amd64: every kernel above hands its work back.
var haveAVX = false
