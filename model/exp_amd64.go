package model

import "golang.org/x/sys/cpu"

// Sigmoid and tanh kernels in exp_amd64.s, for machines with AVX2 and FMA.

//go:noescape
func sigmoidAVX2(y, z []float64)

//go:noescape
func tanhAVX2(y, z []float64)

var haveAVX2FMA = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// sigmoidFast computes a prefix of y = sigmoid(z) with the vector kernel and
// returns its length; the caller finishes the rest.
func sigmoidFast(y, z []float64) int {
	if !haveAVX2FMA {
		return 0
	}
	n := len(z) &^ 7
	pool.kernel(kernelSigmoid, y[:n], z[:n])
	return n
}

func tanhFast(y, z []float64) int {
	if !haveAVX2FMA {
		return 0
	}
	n := len(z) &^ 7
	pool.kernel(kernelTanh, y[:n], z[:n])
	return n
}

func sigmoidVector(y, z []float64) { sigmoidAVX2(y, z) }
func tanhVector(y, z []float64)    { tanhAVX2(y, z) }
