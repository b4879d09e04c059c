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

//go:noescape
func reluMaskForwardAVX(y, z []float64, mask []uint64)

//go:noescape
func reluMaskForwardAVXStream(y, z []float64, mask []uint64)

//go:noescape
func reluMaskBackwardAVX(dz, dy []float64, mask []uint64)

//go:noescape
func reluMaskBackwardAVXStream(dz, dy []float64, mask []uint64)

// reluForwardMasked computes y = relu(z) and records in *mask one bit per
// element of [from, to) saying whether z > 0, growing *mask when needed.
// Elements outside [from, to) are computed without a mask; from, to = 0, 0
// when no mask was made.
func reluForwardMasked(y, z []float64, mask *[]uint64) (from, to int) {
	n := len(z)
	if !haveAVX || n < 64 {
		ReLU{}.Forward(y, z)
		return 0, 0
	}
	stream := n >= streamMin
	if stream {
		from = alignHead(y)
	}
	words := (n - from) / 64
	to = from + 64*words
	if cap(*mask) < words {
		*mask = make([]uint64, words)
	}
	*mask = (*mask)[:words]
	r := ReLU{}
	r.forwardPortable(y[:from], z[:from])
	if stream {
		reluMaskForwardAVXStream(y[from:to], z[from:to], *mask)
	} else {
		reluMaskForwardAVX(y[from:to], z[from:to], *mask)
	}
	r.forwardPortable(y[to:n], z[to:n])
	return from, to
}

// reluBackwardMasked is the backward pass (f'(0) = 0) for a forward pass
// that made mask over [from, to).
func reluBackwardMasked(dz, dy, z []float64, mask []uint64, from, to int) {
	n := len(dy)
	r := ReLU{}
	r.backwardPortable(dz[:from], dy[:from], z[:from])
	if n >= streamMin && alignHead(dz[from:]) == 0 {
		reluMaskBackwardAVXStream(dz[from:to], dy[from:to], mask)
	} else {
		reluMaskBackwardAVX(dz[from:to], dy[from:to], mask)
	}
	r.backwardPortable(dz[to:n], dy[to:n], z[to:n])
}

//go:noescape
func leakyMaskForwardAVX(y, z []float64, mask []uint64, alpha float64, stream bool)

//go:noescape
func leakyMaskBackwardAVX(dz, dy []float64, mask []uint64, alpha float64, stream bool)

// leakyForwardMasked is reluForwardMasked for the leaky ReLU of slope
// alpha: the backward pass then reads the bits, not z.
func leakyForwardMasked(y, z []float64, mask *[]uint64, alpha float64) (from, to int) {
	n := len(z)
	if !haveAVX || n < 64 {
		Leaky{Alpha: alpha}.Forward(y, z)
		return 0, 0
	}
	stream := n >= streamMin
	if stream {
		from = alignHead(y)
	}
	words := (n - from) / 64
	to = from + 64*words
	if cap(*mask) < words {
		*mask = make([]uint64, words)
	}
	*mask = (*mask)[:words]
	leakyForwardPortable(y[:from], z[:from], alpha)
	leakyMaskForwardAVX(y[from:to], z[from:to], *mask, alpha, stream)
	leakyForwardPortable(y[to:n], z[to:n], alpha)
	return from, to
}

// leakyBackwardMasked is the backward pass for a forward pass that made
// mask over [from, to).
func leakyBackwardMasked(dz, dy, z []float64, mask []uint64, from, to int, alpha float64) {
	n := len(dy)
	leakyBackwardPortable(dz[:from], dy[:from], z[:from], alpha)
	stream := n >= streamMin && alignHead(dz[from:]) == 0
	leakyMaskBackwardAVX(dz[from:to], dy[from:to], mask, alpha, stream)
	leakyBackwardPortable(dz[to:n], dy[to:n], z[to:n], alpha)
}
