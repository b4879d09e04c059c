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
