package model

import (
	"unsafe"

	"golang.org/x/sys/cpu"
)

// The ReLU kernels in relu_amd64.s use AVX; without it the portable loops
// in activation.go run.

//go:noescape
func reluForwardAVX(y, z []float64)

//go:noescape
func reluBackwardAVX(dz, dy, z []float64)

//go:noescape
func reluForwardAVXStream(y, z []float64)

//go:noescape
func reluBackwardAVXStream(dz, dy, z []float64)

var haveAVX = cpu.X86.HasAVX

// streamMin is the array length above which the kernels write with
// non-temporal stores: far past the last-level cache, where the output
// would only evict useful lines, and reading it before overwriting it (as
// ordinary stores do) costs a third of the memory traffic.
const streamMin = 1 << 20

// reluForwardFast handles a prefix of the arrays with AVX and returns its
// length; the caller finishes the rest.
func reluForwardFast(y, z []float64) int {
	if !haveAVX || len(z) < 16 {
		return 0
	}
	if len(z) >= streamMin {
		// Non-temporal stores need 32-byte alignment: the portable loop
		// takes the elements before the first aligned one.
		head := alignHead(y)
		ReLU{}.forwardPortable(y[:head], z[:head])
		n := head + (len(z)-head)&^15
		reluForwardAVXStream(y[head:n], z[head:n])
		return n
	}
	n := len(z) &^ 15
	reluForwardAVX(y[:n], z[:n])
	return n
}

func reluBackwardFast(dz, dy, z []float64) int {
	if !haveAVX || len(dy) < 16 {
		return 0
	}
	if len(dy) >= streamMin {
		head := alignHead(dz)
		ReLU{}.backwardPortable(dz[:head], dy[:head], z[:head])
		n := head + (len(dy)-head)&^15
		reluBackwardAVXStream(dz[head:n], dy[head:n], z[head:n])
		return n
	}
	n := len(dy) &^ 15
	reluBackwardAVX(dz[:n], dy[:n], z[:n])
	return n
}

// alignHead is the number of float64s before the first 32-byte boundary in
// xs (0 to 3; float64 slices are always 8-byte aligned).
func alignHead(xs []float64) int {
	return int((32 - uintptr(unsafe.Pointer(&xs[0]))%32) % 32 / 8)
}
