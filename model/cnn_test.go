package model

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// A small network of every convolutional layer kind, checked through the
// loss by finite differences, then stepped once by SGD.
func TestCNNGradientsAndOneSGDStep(t *testing.T) {
	for _, tc := range []struct {
		name string
		spec CNNSpec
	}{
		{"conv-relu-pool-conv-relu-pool-flatten-dense", CNNSpec{Input: ImageShape{8, 8, 1},
			Arch: "conv(3,3x3,p1)-relu-pool(2)-conv(4,3x3,p1)-relu-pool2-flatten-dense(3)"}},
		{"non-square, stride 2, bn, tanh, hidden dense", CNNSpec{Input: ImageShape{7, 9, 2},
			Arch: "conv(3,3x2,s2,p1)-bn-act-pool(2,s1)-dense(5)-act-dense(3)", Activation: ActivationSpec{Name: "tanh"}}},
		{"twosided doubles the channels", CNNSpec{Input: ImageShape{6, 6, 1},
			Arch: "conv(2,3x3)-act-pool(2)-conv(3,1x1)-act-dense(3)", Activation: ActivationSpec{Name: "twosided"}}},
		{"prelu per channel", CNNSpec{Input: ImageShape{6, 5, 2},
			Arch: "conv(3,3x3,p1)-act-pool(2)-dense(3)", Activation: ActivationSpec{Name: "prelu"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			spec := tc.spec
			if spec.Activation.Name == "" {
				spec.Activation = ActivationSpec{Name: "relu"}
			}
			spec.Init, spec.BiasInit = Init{Scheme: HeNormal}, 0.05
			rng := rand.New(rand.NewPCG(12, 13))
			net, err := NewCNN(spec, rng)
			if err != nil {
				t.Fatal(err)
			}
			x := randomMatrix(3, spec.Input.Size(), rng)
			labels := []int{0, 2, 1}
			loss := func() float64 { return SoftmaxCrossEntropy(net.Forward(x, true), labels, nil) }
			tr := &Trainer{Net: net, Opt: &SGD{LR: 0.05}}
			out := net.Forward(x, true)
			g := NewMatrix(out.Rows, out.Cols)
			SoftmaxCrossEntropy(out, labels, g)
			net.Backward(g)
			grads := make([][]float64, len(net.Params()))
			before := make([][]float64, len(net.Params()))
			for k, p := range net.Params() {
				grads[k] = append([]float64(nil), p.Grad...)
				before[k] = append([]float64(nil), p.Value...)
			}
			for k, p := range net.Params() {
				checkGradient(t, p.Name, p.Value, grads[k], loss)
			}
			// One step moves every parameter by -lr * its gradient and
			// lowers the loss.
			l0 := loss()
			st := tr.Step(x, labels)
			if st.Loss != l0 {
				t.Errorf("step reports loss %v, the forward pass gives %v", st.Loss, l0)
			}
			for k, p := range net.Params() {
				for i, v := range p.Value {
					if want := before[k][i] - 0.05*grads[k][i]; math.Abs(v-want) > 1e-15*math.Max(1, math.Abs(want)) {
						t.Fatalf("%s[%d] = %v after the step, want %v", p.Name, i, v, want)
					}
				}
			}
			if l1 := loss(); !(l1 < l0) {
				t.Errorf("loss %v after one SGD step, %v before", l1, l0)
			}
		})
	}
}

func TestCNNSpecErrorsNameTheLayer(t *testing.T) {
	base := CNNSpec{Input: ImageShape{28, 28, 1}, Activation: ActivationSpec{Name: "relu"}, Init: Init{Scheme: HeNormal}}
	for _, tc := range []struct{ arch, want string }{
		{"", "empty architecture"},
		{"conv(8,5x5)-act-pool(2)", "ends with dense(N)"},
		{"conv(8,5x5)-relu-pool(2)-dense(0)", "positive width"},
		{"conv(8,5)-mish-dense(10)", `layer 2 "mish" is not a layer (valid: conv(`},
		{"conv(8,5x5,q2)-dense(10)", `layer 1 "conv(8,5x5,q2)" is not a layer`},
		{"conv(8,5x5,p5)-dense(10)", "padding 5 with a 5x5 kernel"},
		{"conv(8,29x29)-dense(10)", "larger than the 28x28 input"},
		{"conv(0,3x3)-dense(10)", "0 output channels"},
		{"pool(4)-pool(8)-dense(10)", `layer 2 "pool(8)": pool: window 8x8 larger than the 7x7`},
		{"dense(20)-conv(4,3x3)-dense(10)", "needs an image"},
		{"flatten-pool2-dense(10)", "needs an image"},
		{"dropout(1.5)-dense(10)", "[0, 1)"},
		{"conv(8,3x3,s0)-dense(10)", "stride 0"},
		{"conv(99999999999999999999,3x3)-dense(10)", "output channels"},
	} {
		s := base
		s.Arch = tc.arch
		_, err := NewCNN(s, rand.New(rand.NewPCG(1, 1)))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want one containing %q", tc.arch, err, tc.want)
		}
		if err2 := s.Validate(); (err2 == nil) != (err == nil) {
			t.Errorf("%q: Validate says %v, NewCNN %v", tc.arch, err2, err)
		}
	}
	bad := base
	bad.Arch, bad.Input = "dense(10)", ImageShape{28, 0, 1}
	if err := bad.Validate(); err == nil || !strings.Contains(err.Error(), "input") {
		t.Errorf("zero-width input: %v", err)
	}
	bad.Input, bad.Activation = ImageShape{28, 28, 1}, ActivationSpec{Name: "nope"}
	if err := bad.Validate(); err == nil || !strings.Contains(err.Error(), "unknown variant") {
		t.Errorf("unknown activation: %v", err)
	}
}

// The layers NewCNN builds, and their output sizes, for the benchmark's
// network.
func TestCNNBuildsTheDescribedLayers(t *testing.T) {
	net, err := NewCNN(cnnBenchSpec(), rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, l := range net.Layers {
		kinds = append(kinds, l.Kind())
	}
	if got, want := strings.Join(kinds, " "), "conv relu maxpool conv relu maxpool dense"; got != want {
		t.Errorf("layers %q, want %q", got, want)
	}
	sizes := []int{28 * 28 * 16, 28 * 28 * 16, 14 * 14 * 16, 14 * 14 * 32, 14 * 14 * 32, 7 * 7 * 32, 10}
	in := 784
	for i, l := range net.Layers {
		if got := l.OutputSize(in); got != sizes[i] {
			t.Errorf("layer %d (%s): output size %d, want %d", i, l.Kind(), got, sizes[i])
		}
		in = sizes[i]
	}
	// 16*25 + 16, 32*16*25 + 32, 1568*10 + 10.
	if got, want := net.NumParams(), 416+12832+15690; got != want {
		t.Errorf("%d parameters, want %d", got, want)
	}
}

// cnnBenchSpec is the Fashion-MNIST-sized network of the benchmark (and of
// bench/torch_bench.py).
func cnnBenchSpec() CNNSpec {
	return CNNSpec{Input: ImageShape{28, 28, 1}, Arch: "conv(16,5x5,p2)-act-pool(2)-conv(32,5x5,p2)-act-pool(2)-dense(10)",
		Activation: ActivationSpec{Name: "relu"}, Init: Init{Scheme: HeNormal}}
}

func TestCNNStepAllocatesNothingAfterTheFirst(t *testing.T) {
	for _, tc := range []struct {
		name string
		spec CNNSpec
		opt  Optimizer
	}{
		{"bench net", cnnBenchSpec(), &SGD{LR: 0.01}},
		{"bn, dropout, twosided, 1x1, adam", CNNSpec{Input: ImageShape{12, 12, 2}, Arch: "conv(4,3x3,s2,p1)-bn-act-conv(3,1x1)-act-pool(2)-dropout(0.5)-dense(6)-act-dense(3)",
			Activation: ActivationSpec{Name: "twosided"}, Init: Init{Scheme: HeNormal}}, NewAdam(1e-3)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(3, 3))
			net, err := NewCNN(tc.spec, rng)
			if err != nil {
				t.Fatal(err)
			}
			x, labels := gaussianBatch(8, tc.spec.Input.Size(), 3, rng)
			tr := &Trainer{Net: net, Opt: tc.opt}
			tr.Step(x, labels)
			if allocs := testing.AllocsPerRun(3, func() { tr.Step(x, labels) }); allocs != 0 {
				t.Errorf("%v allocations per training step, want 0", allocs)
			}
		})
	}
}

// Layer by layer too, with the input gradient (which a network's first
// layer skips).
func TestConvAndPoolAllocateNothingAfterTheFirst(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	c := newTestConv(t, ConvConfig{In: ImageShape{9, 9, 2}, Out: 3, KH: 3, KW: 3, Stride: 2, Pad: 1}, 0)
	p, err := NewMaxPool2D(PoolConfig{In: c.OutImage, Size: 2, Stride: 2})
	if err != nil {
		t.Fatal(err)
	}
	x := randomMatrix(5, 162, rng)
	dy := randomMatrix(5, p.OutImage.Size(), rng)
	run := func() { p.Forward(c.Forward(x, true), true); c.Backward(p.Backward(dy)) }
	run()
	if allocs := testing.AllocsPerRun(5, run); allocs != 0 {
		t.Errorf("%v allocations per forward and backward, want 0", allocs)
	}
}

// The lowering and the pooling split examples across threads when
// SetThreads allows: the results are the same bits as on one thread, and
// a step still allocates nothing.
func TestConvAndPoolThreadsGiveIdenticalResults(t *testing.T) {
	defer SetThreads(Threads())
	rng := rand.New(rand.NewPCG(14, 14))
	cfg := ConvConfig{In: ImageShape{14, 14, 4}, Out: 6, KH: 3, KW: 3, Stride: 1, Pad: 1}
	// Enough examples that every part is above parallelMinValues, and an
	// odd number, so the threads' shares differ.
	const n = 51
	if n*cfg.In.Size() < parallelMinValues {
		t.Fatalf("batch too small to be split: %d values", n*cfg.In.Size())
	}
	x := randomMatrix(n, cfg.In.Size(), rng)
	dcol := randomMatrix(n*14*14, 36, rng)
	dy := randomMatrix(n, 7*7*4, rng)
	run := func(threads int) (col, dx, pooled, dpool []float64) {
		SetThreads(threads)
		c := newTestConv(t, cfg, 0)
		col = make([]float64, n*14*14*36)
		c.im2col(col, x.Data, n)
		dx = make([]float64, len(x.Data))
		c.col2im(dx, dcol.Data, n)
		p, err := NewMaxPool2D(PoolConfig{In: cfg.In, Size: 2, Stride: 2})
		if err != nil {
			t.Fatal(err)
		}
		pooled = p.Forward(x, true).Clone().Data
		dpool = p.Backward(dy).Clone().Data
		return
	}
	c1, d1, p1, g1 := run(1)
	c2, d2, p2, g2 := run(2)
	for _, pair := range []struct {
		name string
		a, b []float64
	}{{"im2col", c1, c2}, {"col2im", d1, d2}, {"maxpool forward", p1, p2}, {"maxpool backward", g1, g2}} {
		for i := range pair.a {
			if math.Float64bits(pair.a[i]) != math.Float64bits(pair.b[i]) {
				t.Fatalf("%s differs at %d between 1 and 2 threads: %v vs %v", pair.name, i, pair.a[i], pair.b[i])
			}
		}
	}
	SetThreads(2)
	net, err := NewCNN(cnnBenchSpec(), rng)
	if err != nil {
		t.Fatal(err)
	}
	xb, labels := gaussianBatch(16, 784, 10, rng)
	tr := &Trainer{Net: net, Opt: &SGD{LR: 0.01}}
	tr.Step(xb, labels)
	if allocs := testing.AllocsPerRun(3, func() { tr.Step(xb, labels) }); allocs != 0 {
		t.Errorf("%v allocations per training step on 2 threads, want 0", allocs)
	}
}
