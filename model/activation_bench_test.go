package model

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"
)

// Benchmarks of every activation's forward and backward pass as the network
// runs them (through its layer), at a size that fits in the caches (4K
// elements, 32 KiB per array) and one far outside them (16M elements, 128
// MiB per array), beside a plain copy of the same size: one read and one
// write per element, the memory-bandwidth floor of a forward pass. Each
// reports ns/elem and, through SetBytes, the input's bytes per second.
//
//	go test -run '^$' -bench Activation ./model/
//	go test -run '^$' -bench 'Activation/4K/(copy|relu|tanh)' ./model/
//
// Inputs are N(0,1), so ReLU's sign branch is unpredictable, as on
// pre-activations. At 4K the same inputs repeat on every call and the
// branch predictor may learn them; the 16M size shows the fresh-data cost.
// The experiment "speed" makes the same measurement with repetitions,
// medians and ratios; these benchmarks let it be checked with the standard
// tools (benchstat).

var benchSizes = []struct {
	name string
	n    int
}{{"4K", 4 << 10}, {"16M", 16 << 20}}

// benchActivations is every variant, without "silu" (the same as "swish").
func benchActivations() []string {
	var out []string
	for _, v := range Variants() {
		if v != "silu" {
			out = append(out, v)
		}
	}
	return out
}

// benchInputs returns z and dy for n elements laid out as rows of 512
// units; dy is twice as wide, for the two-sided ReLU.
func benchInputs(n int) (z, dy *Matrix) {
	rng := rand.New(rand.NewPCG(1, 2))
	cols := 512
	if n%cols != 0 {
		cols = n
	}
	z = NewMatrix(n/cols, cols)
	for i := range z.Data {
		z.Data[i] = rng.NormFloat64()
	}
	dy = NewMatrix(n/cols, 2*cols)
	for i := range dy.Data {
		dy.Data[i] = rng.NormFloat64()
	}
	return z, dy
}

func reportPerElement(b *testing.B, n int) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/elem")
}

func BenchmarkActivation(b *testing.B) {
	// Like PyTorch, which the comparison in bench/ runs beside these, large
	// kernels may use every core.
	defer SetThreads(Threads())
	SetThreads(runtime.NumCPU())
	for _, size := range benchSizes {
		if testing.Short() && size.n > 1<<20 {
			continue
		}
		z, dyWide := benchInputs(size.n)
		b.Run(size.name+"/copy", func(b *testing.B) {
			dst := make([]float64, size.n)
			b.SetBytes(int64(8 * size.n))
			for b.Loop() {
				copy(dst, z.Data)
			}
			reportPerElement(b, size.n)
		})
		for _, name := range benchActivations() {
			layer, err := ActivationSpec{Name: name}.NewLayer(name, z.Cols)
			if err != nil {
				b.Fatal(err)
			}
			dy := MatrixFrom(z.Rows, layer.OutputSize(z.Cols), dyWide.Data[:z.Rows*layer.OutputSize(z.Cols)])
			b.Run(fmt.Sprintf("%s/%s/forward", size.name, name), func(b *testing.B) {
				b.SetBytes(int64(8 * size.n))
				for b.Loop() {
					layer.Forward(z, true)
				}
				reportPerElement(b, size.n)
			})
			b.Run(fmt.Sprintf("%s/%s/backward", size.name, name), func(b *testing.B) {
				layer.Forward(z, true)
				b.SetBytes(int64(8 * size.n))
				for b.Loop() {
					layer.Backward(dy)
				}
				reportPerElement(b, size.n)
			})
		}
	}
}
