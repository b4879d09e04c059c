package model

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"syscall"
	"testing"
)

// The CNN step of the performance target: an SGD step (forward, backward,
// update) of cnnBenchSpec on a batch of 64 random 28x28 images, the shape
// bench/torch_bench.py times in PyTorch. As for the MLP steps, products may
// use every core.
const cnnBenchBatch = 64

func newCNNBenchStep(b *testing.B, chunk int) (*Trainer, *Matrix, []int) {
	rng := rand.New(rand.NewPCG(11, 12))
	net, err := NewCNN(cnnBenchSpec(), rng)
	if err != nil {
		b.Fatal(err)
	}
	for _, l := range net.Layers {
		if c, ok := l.(*Conv2D); ok {
			c.Chunk = chunk
		}
	}
	x, labels := gaussianBatch(cnnBenchBatch, 784, 10, rng)
	tr := &Trainer{Net: net, Opt: &SGD{LR: 0.01}}
	tr.Step(x, labels)
	return tr, x, labels
}

// cnnStepFlops counts the multiply-adds of the step's products, twice:
// each convolution's forward product and weight gradient, the input
// gradient for all but the first layer, and the same for the dense layer.
func cnnStepFlops(net *Network, batch int) float64 {
	var f float64
	first := true
	for _, l := range net.Layers {
		var macs float64
		switch l := l.(type) {
		case *Conv2D:
			macs = float64(batch * l.OutImage.H * l.OutImage.W * l.KH * l.KW * l.In.C * l.Out)
		case *Dense:
			macs = float64(batch * l.In * l.Out)
		default:
			continue
		}
		products := 3.0
		if first {
			products, first = 2, false
		}
		f += 2 * products * macs
	}
	return f
}

func BenchmarkCNNStep(b *testing.B) {
	defer SetThreads(Threads())
	SetThreads(runtime.NumCPU())
	b.Run("fashion28/b64", func(b *testing.B) {
		tr, x, labels := newCNNBenchStep(b, 0)
		b.ReportAllocs()
		b.ResetTimer()
		for b.Loop() {
			tr.Step(x, labels)
		}
		b.ReportMetric(cnnStepFlops(tr.Net, cnnBenchBatch)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
	})
}

// BenchmarkConvLowering times the same step with the convolutions lowered
// a few examples at a time (each chunk's col rebuilt in the backward pass)
// against the whole batch at once (chunk=0, the default), on one thread
// and on every core. Besides the wall time it reports the process's CPU
// time per step (cpu-ns/op), which on a shared machine varies less: on one
// thread it is the work the step does, whoever else runs.
func BenchmarkConvLowering(b *testing.B) {
	defer SetThreads(Threads())
	for _, threads := range []int{1, runtime.NumCPU()} {
		for _, chunk := range []int{0, 1, 4, 16} {
			b.Run(fmt.Sprintf("threads=%d/chunk=%d", threads, chunk), func(b *testing.B) {
				SetThreads(threads)
				tr, x, labels := newCNNBenchStep(b, chunk)
				b.ResetTimer()
				cpu0 := cpuTime()
				for b.Loop() {
					tr.Step(x, labels)
				}
				b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
			})
		}
	}
}

// cpuTime is the user and system CPU time the process has used, in ns.
func cpuTime() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// BenchmarkDgemm is the rate of the backend's matrix product on a square
// problem, the ceiling the training steps' products are measured against.
func BenchmarkDgemm(b *testing.B) {
	defer SetThreads(Threads())
	SetThreads(runtime.NumCPU())
	const n = 512
	rng := rand.New(rand.NewPCG(1, 1))
	a, c, d := randomMatrix(n, n, rng), randomMatrix(n, n, rng), NewMatrix(n, n)
	b.Run(fmt.Sprint(n), func(b *testing.B) {
		for b.Loop() {
			gemm(false, false, n, n, n, 1, a.Data, n, c.Data, n, 0, d.Data, n)
		}
		b.ReportMetric(2*n*n*n*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
	})
}
