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

// The variants' kernels in exp_amd64.s.

//go:noescape
func eluAVX2(y, z []float64, scale, alpha float64)

//go:noescape
func swishAVX2(y, z []float64)

//go:noescape
func swishBackwardAVX2(dz, dy, z []float64)

//go:noescape
func sigmoidScaleAVX2(dz, dy, z []float64)

//go:noescape
func softplusAVX2(y, z []float64)

//go:noescape
func geluAVX2(y, z []float64)

//go:noescape
func geluBackwardAVX2(dz, dy, z []float64)

// vectorFast runs t over the longest prefix of its arrays whose length is a
// multiple of 8, split across threads when large, and returns that length;
// the caller finishes the rest with the scalar form.
func vectorFast(t kernelTask) int {
	if !haveAVX2FMA {
		return 0
	}
	n := len(t.z) &^ 7
	pool.run(t.part(0, n))
	return n
}

func variantVector(t kernelTask) {
	switch t.kind {
	case kernelELU:
		eluAVX2(t.y, t.z, t.a, t.b)
	case kernelSwish:
		swishAVX2(t.y, t.z)
	case kernelSwishBackward:
		swishBackwardAVX2(t.y, t.x, t.z)
	case kernelSoftplus:
		softplusAVX2(t.y, t.z)
	case kernelSigmoidBackward:
		sigmoidScaleAVX2(t.y, t.x, t.z)
	case kernelGELU:
		geluAVX2(t.y, t.z)
	case kernelGELUBackward:
		geluBackwardAVX2(t.y, t.x, t.z)
	}
}
