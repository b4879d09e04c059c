package model

// The piecewise-linear variants' kernels in variants_amd64.s use AVX; each
// *Fast function below hands them a prefix of its arrays and returns its
// length, and the caller finishes the rest with the portable loop. With
// stream set (arrays of streamMin elements or more), the elements before
// the destination's first 32-byte boundary go to the portable loop too,
// and the kernel writes around the caches.

//go:noescape
func leakyForwardAVX(y, z []float64, alpha float64, stream bool)

//go:noescape
func leakyBackwardAVX(dz, dy, z []float64, alpha float64, stream bool)

//go:noescape
func preluForwardAVX(y, z, a []float64, stream bool)

//go:noescape
func preluBackwardAVX(dz, dy, z, a, da []float64, stream bool)

//go:noescape
func twoSidedForwardAVX(pos, neg, z []float64, stream bool)

//go:noescape
func twoSidedBackwardAVX(dz, gpos, gneg, z []float64, stream bool)

// kernelSplit returns, for a kernel over n elements writing dst whose
// loop takes multiples of step, the elements the portable loop does first
// (head) and the end of the kernel's part.
func kernelSplit(dst []float64, n, step int, stream bool) (head, end int) {
	if stream {
		head = min(alignHead(dst), n)
	}
	return head, head + (n-head)/step*step
}

func leakyForwardFast(y, z []float64, alpha float64) int {
	n := len(z)
	if !haveAVX || n < 16 {
		return 0
	}
	stream := n >= streamMin
	head, end := kernelSplit(y, n, 16, stream)
	leakyForwardPortable(y[:head], z[:head], alpha)
	leakyForwardAVX(y[head:end], z[head:end], alpha, stream)
	return end
}

func leakyBackwardFast(dz, dy, z []float64, alpha float64) int {
	n := len(dy)
	if !haveAVX || n < 16 {
		return 0
	}
	stream := n >= streamMin
	head, end := kernelSplit(dz, n, 16, stream)
	leakyBackwardPortable(dz[:head], dy[:head], z[:head], alpha)
	leakyBackwardAVX(dz[head:end], dy[head:end], z[head:end], alpha, stream)
	return end
}

// preluForwardFast and preluBackwardFast work on one row; stream says
// whether the whole matrix is large enough to write around the caches.
func preluForwardFast(y, z, a []float64, stream bool) int {
	n := len(z)
	if !haveAVX || n < 8 {
		return 0
	}
	head, end := kernelSplit(y, n, 8, stream)
	preluForwardRow(y[:head], z[:head], a[:head])
	preluForwardAVX(y[head:end], z[head:end], a[head:end], stream)
	return end
}

func preluBackwardFast(dz, dy, z, a, da []float64, stream bool) int {
	n := len(dy)
	if !haveAVX || n < 8 {
		return 0
	}
	head, end := kernelSplit(dz, n, 8, stream)
	preluBackwardRow(dz[:head], dy[:head], z[:head], a[:head], da[:head])
	preluBackwardAVX(dz[head:end], dy[head:end], z[head:end], a[head:end], da[head:end], stream)
	return end
}

// twoSidedForwardFast and twoSidedBackwardFast work on one row; both
// halves of the output must then share their alignment to stream.
func twoSidedForwardFast(pos, neg, z []float64, stream bool) int {
	n := len(z)
	if !haveAVX || n < 8 {
		return 0
	}
	stream = stream && alignHead(pos) == alignHead(neg)
	head, end := kernelSplit(pos, n, 8, stream)
	twoSidedForwardRow(pos[:head], neg[:head], z[:head])
	twoSidedForwardAVX(pos[head:end], neg[head:end], z[head:end], stream)
	return end
}

func twoSidedBackwardFast(dz, gpos, gneg, z []float64, stream bool) int {
	n := len(z)
	if !haveAVX || n < 8 {
		return 0
	}
	head, end := kernelSplit(dz, n, 8, stream)
	twoSidedBackwardRow(dz[:head], gpos[:head], gneg[:head], z[:head])
	twoSidedBackwardAVX(dz[head:end], gpos[head:end], gneg[head:end], z[head:end], stream)
	return end
}

//go:noescape
func eluBackwardAVX(dz, dy, z, y []float64, scale, alpha float64, stream bool)

// eluBackwardFast is the backward pass of ELU (scale 1) and SELU (scale
// lambda, alpha lambda times SELU's alpha), which reads the derivative
// from the forward output and so needs no exp.
func eluBackwardFast(dz, dy, z, y []float64, scale, alpha float64) int {
	n := len(dy)
	if !haveAVX || n < 8 {
		return 0
	}
	stream := n >= streamMin
	head, end := kernelSplit(dz, n, 8, stream)
	eluBackwardPortable(dz[:head], dy[:head], z[:head], y[:head], scale, alpha)
	eluBackwardAVX(dz[head:end], dy[head:end], z[head:end], y[head:end], scale, alpha, stream)
	return end
}
