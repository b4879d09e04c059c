package model

import (
	"math"
	"math/rand/v2"
	"testing"
)

// kernelInputs returns n values mixing N(0,1) draws with the edge values
// (±0, subnormals, ±Inf, NaN, the extremes), starting at offset in a larger
// array so that slices start off any alignment.
func kernelInputs(rng *rand.Rand, n, offset int) []float64 {
	edges := []float64{0, math.Copysign(0, -1), 5e-324, -5e-324, 1e-310, -1e-310, math.Inf(1), math.Inf(-1), math.NaN(),
		-math.NaN(), math.MaxFloat64, -math.MaxFloat64, 1, -1, 1e300, -1e300}
	xs := make([]float64, n+offset)
	for i := range xs {
		if rng.IntN(4) == 0 {
			xs[i] = edges[rng.IntN(len(edges))]
		} else {
			xs[i] = rng.NormFloat64()
		}
	}
	return xs[offset:]
}

// kernelLengths covers every tail length of the kernels' loops, both
// sides of their minimum lengths, and lengths past streamMin, where they
// write around the caches.
var kernelLengths = []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 31, 33, 63, 64, 65, 127, 1001, streamMin + 37}

// sameBits reports whether a and b are the same float64, bit for bit, or
// both NaN (whose payloads the two may carry differently).
func sameBits(a, b float64) bool {
	return math.Float64bits(a) == math.Float64bits(b) || (a != a && b != b)
}

func checkSameBits(t *testing.T, what string, got, want []float64) {
	t.Helper()
	for i := range want {
		if !sameBits(got[i], want[i]) {
			t.Fatalf("%s: element %d = %v (%#x), reference %v (%#x)", what, i, got[i], math.Float64bits(got[i]), want[i], math.Float64bits(want[i]))
		}
	}
}

// The leaky ReLU's batched forms (vector kernels where the machine has
// them) match the plain loops bit for bit, on every tail length, unaligned
// slices and the edge values.
func TestLeakyKernelsMatchScalar(t *testing.T) {
	rng := rand.New(rand.NewPCG(18, 1))
	for _, n := range kernelLengths {
		for _, offset := range []int{0, 1, 3} {
			z, dy := kernelInputs(rng, n, offset), kernelInputs(rng, n, 2)
			for _, alpha := range []float64{0.01, 0.25, -0.5} {
				l := Leaky{Alpha: alpha}
				y, want := make([]float64, n+offset)[offset:], make([]float64, n)
				l.Forward(y, z)
				leakyForwardPortable(want, z, alpha)
				checkSameBits(t, "leaky forward", y, want)
				dz, wantD := make([]float64, n+1)[1:], make([]float64, n)
				l.Backward(dz, dy, z, y)
				leakyBackwardPortable(wantD, dy, z, alpha)
				checkSameBits(t, "leaky backward", dz, wantD)
			}
		}
	}
}

// PReLU's layer (vector kernels on each row) matches the plain row loops
// bit for bit, including each slope's gradient, summed over the rows.
func TestPReLUKernelsMatchScalar(t *testing.T) {
	rng := rand.New(rand.NewPCG(18, 2))
	shapes := [][2]int{{3, 0}, {2, 1}, {3, 7}, {4, 8}, {5, 9}, {3, 17}, {7, 33}, {2, 65}, {streamMin/512 + 1, 512}, {streamMin/509 + 1, 509}}
	for _, sh := range shapes {
		rows, cols := sh[0], sh[1]
		z := MatrixFrom(rows, cols, kernelInputs(rng, rows*cols, 1))
		dy := MatrixFrom(rows, cols, kernelInputs(rng, rows*cols, 3))
		p := NewPReLU("p", cols, 0.25)
		for j := range p.Slope.Value {
			p.Slope.Value[j] = rng.NormFloat64()
		}
		y := p.Forward(z, true)
		dz := p.Backward(dy)
		a := p.Slope.Value
		wantY, wantDz, wantDa := make([]float64, rows*cols), make([]float64, rows*cols), make([]float64, cols)
		for i := range rows {
			r := i * cols
			preluForwardRow(wantY[r:r+cols], z.Row(i), a)
			preluBackwardRow(wantDz[r:r+cols], dy.Row(i), z.Row(i), a, wantDa)
		}
		checkSameBits(t, "prelu forward", y.Data, wantY)
		checkSameBits(t, "prelu backward", dz.Data, wantDz)
		checkSameBits(t, "prelu slope gradient", p.Slope.Grad, wantDa)
	}
}

// The two-sided ReLU's layer matches the plain row loops bit for bit.
func TestTwoSidedKernelsMatchScalar(t *testing.T) {
	rng := rand.New(rand.NewPCG(18, 3))
	shapes := [][2]int{{3, 0}, {2, 1}, {3, 7}, {4, 8}, {5, 9}, {3, 17}, {7, 33}, {2, 66}, {streamMin/1024 + 1, 512}, {streamMin/1018 + 1, 509}}
	for _, sh := range shapes {
		rows, cols := sh[0], sh[1]
		z := MatrixFrom(rows, cols, kernelInputs(rng, rows*cols, 2))
		dy := MatrixFrom(rows, 2*cols, kernelInputs(rng, 2*rows*cols, 1))
		var ts TwoSided
		y := ts.Forward(z, true)
		dz := ts.Backward(dy)
		wantY, wantDz := make([]float64, 2*rows*cols), make([]float64, rows*cols)
		for i := range rows {
			r := 2 * i * cols
			twoSidedForwardRow(wantY[r:r+cols], wantY[r+cols:r+2*cols], z.Row(i))
			twoSidedBackwardRow(wantDz[i*cols:(i+1)*cols], dy.Data[r:r+cols], dy.Data[r+cols:r+2*cols], z.Row(i))
		}
		checkSameBits(t, "twosided forward", y.Data, wantY)
		checkSameBits(t, "twosided backward", dz.Data, wantDz)
	}
}

// The leaky ReLU's layer, whose backward pass reads the bitmask its
// forward pass made instead of z, matches the plain loops bit for bit.
func TestLeakyLayerMaskMatchesScalar(t *testing.T) {
	rng := rand.New(rand.NewPCG(18, 4))
	for _, n := range []int{1, 17, 63, 64, 65, 130, 1001, streamMin + 77} {
		for _, offset := range []int{0, 1, 2} {
			z := MatrixFrom(1, n, kernelInputs(rng, n, offset))
			dy := MatrixFrom(1, n, kernelInputs(rng, n, 3))
			layer := NewActivationLayer(Leaky{Alpha: 0.01})
			y := layer.Forward(z, true)
			dz := layer.Backward(dy)
			want, wantD := make([]float64, n), make([]float64, n)
			leakyForwardPortable(want, z.Data, 0.01)
			leakyBackwardPortable(wantD, dy.Data, z.Data, 0.01)
			checkSameBits(t, "leaky layer forward", y.Data, want)
			checkSameBits(t, "leaky layer backward", dz.Data, wantD)
		}
	}
}
