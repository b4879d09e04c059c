package model

import (
	"math/rand/v2"
	"runtime"
	"testing"
)

type stepShape struct {
	name  string
	spec  MLPSpec
	batch int
	opt   func() Optimizer
	clip  float64
}

func stepShapes() []stepShape {
	he := Init{Scheme: HeNormal}
	return []stepShape{
		{"mlp784-256-256-10/sgd", MLPSpec{Inputs: 784, Hidden: []int{256, 256}, Outputs: 10, Activation: ActivationSpec{Name: "relu"}, Init: he}, 128, func() Optimizer { return &SGD{LR: 0.01} }, 0},
		{"20x64/sgd", MLPSpec{Inputs: 64, Hidden: repeat(64, 20), Outputs: 10, Activation: ActivationSpec{Name: "relu"}, Init: he}, 64, func() Optimizer { return &SGD{LR: 0.01} }, 0},
		{"bn+dropout+adam+clip/prelu", MLPSpec{Inputs: 50, Hidden: []int{40, 30}, Outputs: 10, Activation: ActivationSpec{Name: "prelu"}, Init: he, BatchNorm: true, InputDropout: 0.2, HiddenDropout: 0.5}, 32, func() Optimizer { return NewAdam(1e-3) }, 5},
		{"twosided/momentum", MLPSpec{Inputs: 50, Hidden: []int{40, 30}, Outputs: 10, Activation: ActivationSpec{Name: "twosided"}, Init: he}, 32, func() Optimizer { return &Momentum{LR: 0.01, Beta: 0.9} }, 0},
	}
}

func repeat(v, n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = v
	}
	return out
}

func newStepFixture(tb testing.TB, s stepShape) (*Trainer, *Matrix, []int) {
	rng := rand.New(rand.NewPCG(11, 12))
	net, err := NewMLP(s.spec, rng)
	if err != nil {
		tb.Fatal(err)
	}
	x, labels := gaussianBatch(s.batch, s.spec.Inputs, s.spec.Outputs, rng)
	return &Trainer{Net: net, Opt: s.opt(), ClipNorm: s.clip}, x, labels
}

func TestTrainingStepAllocatesNothingAfterTheFirst(t *testing.T) {
	for _, s := range stepShapes() {
		t.Run(s.name, func(t *testing.T) {
			tr, x, labels := newStepFixture(t, s)
			tr.Step(x, labels)
			if allocs := testing.AllocsPerRun(5, func() { tr.Step(x, labels) }); allocs != 0 {
				t.Errorf("%v allocations per training step, want 0", allocs)
			}
		})
	}
}

// Training is a pure function of the seed: two runs from the same seed end
// with bit-identical weights.
func TestTrainingIsDeterministic(t *testing.T) {
	s := stepShapes()[2] // batch norm, dropout, Adam and clipping: every source of state
	run := func() []float64 {
		tr, x, labels := newStepFixture(t, s)
		for range 5 {
			tr.Step(x, labels)
		}
		var all []float64
		for _, p := range tr.Net.Params() {
			all = append(all, p.Value...)
		}
		return all
	}
	a, b := run(), run()
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("parameter %d differs between identical runs: %v vs %v", i, a[i], b[i])
		}
	}
}

// A few hundred steps on a fixed batch must drive the loss down: the
// end-to-end check that forward, backward and update fit together.
func TestTrainingReducesTheLoss(t *testing.T) {
	for _, act := range []string{"relu", "tanh", "twosided", "prelu"} {
		rng := rand.New(rand.NewPCG(21, 22))
		net, err := NewMLP(MLPSpec{Inputs: 10, Hidden: []int{32}, Outputs: 3, Activation: ActivationSpec{Name: act}, Init: Init{Scheme: HeNormal}}, rng)
		if err != nil {
			t.Fatal(err)
		}
		x, labels := gaussianBatch(30, 10, 3, rng)
		tr := &Trainer{Net: net, Opt: &SGD{LR: 0.2}}
		first := tr.Step(x, labels).Loss
		var last float64
		for range 300 {
			last = tr.Step(x, labels).Loss
		}
		if !(last < first/10) {
			t.Errorf("%s: loss %g -> %g after 300 steps, want a tenfold drop", act, first, last)
		}
	}
}

// The three shapes of the performance target, each an SGD step on a ReLU
// MLP with random inputs: the same shapes bench/torch_bench.py times in
// PyTorch. Products may use every core here (SetThreads), as PyTorch does.
func benchShapes() []stepShape {
	he := Init{Scheme: HeNormal}
	relu := ActivationSpec{Name: "relu"}
	sgd := func() Optimizer { return &SGD{LR: 0.01} }
	return []stepShape{
		{"784-256-256-10/b128", MLPSpec{Inputs: 784, Hidden: []int{256, 256}, Outputs: 10, Activation: relu, Init: he}, 128, sgd, 0},
		{"64-20x64-10/b64", MLPSpec{Inputs: 64, Hidden: repeat(64, 20), Outputs: 10, Activation: relu, Init: he}, 64, sgd, 0},
		{"784-1024-1024-10/b256", MLPSpec{Inputs: 784, Hidden: []int{1024, 1024}, Outputs: 10, Activation: relu, Init: he}, 256, sgd, 0},
	}
}

func BenchmarkTrainingStep(b *testing.B) {
	defer SetThreads(Threads())
	SetThreads(runtime.NumCPU())
	for _, s := range benchShapes() {
		b.Run(s.name, func(b *testing.B) {
			tr, x, labels := newStepFixture(b, s)
			tr.Step(x, labels)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				tr.Step(x, labels)
			}
			b.ReportMetric(stepFlops(s)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}

// stepFlops counts the multiply-adds of the products in one step (forward,
// weight gradient, and input gradient for all but the first layer), twice.
func stepFlops(s stepShape) float64 {
	widths := append(append([]int{s.spec.Inputs}, s.spec.Hidden...), s.spec.Outputs)
	var f float64
	for i := 1; i < len(widths); i++ {
		products := 3.0
		if i == 1 {
			products = 2
		}
		f += products * 2 * float64(s.batch*widths[i-1]*widths[i])
	}
	return f
}

// A step whose loss is above the trainer's cap counts as diverged and
// leaves the parameters as they were; below the cap it updates them.
func TestLossCapStopsAStep(t *testing.T) {
	s := stepShapes()[3]
	for _, tc := range []struct {
		name     string
		lossCap  float64
		diverged bool
	}{
		{"cap below the loss", 1e-3, true},
		{"cap far above the loss", 1e6, false},
		{"no cap", 0, false},
	} {
		tr, x, labels := newStepFixture(t, s)
		before := append([]float64(nil), tr.Net.Params()[0].Value...)
		tr.LossCap = tc.lossCap
		st := tr.Step(x, labels)
		if st.Diverged != tc.diverged || !st.Finite {
			t.Errorf("%s: loss %.3f, Diverged %v, Finite %v; want Diverged %v", tc.name, st.Loss, st.Diverged, st.Finite, tc.diverged)
		}
		moved := false
		for i, w := range tr.Net.Params()[0].Value {
			moved = moved || w != before[i]
		}
		if moved == tc.diverged {
			t.Errorf("%s: parameters moved = %v, want %v", tc.name, moved, !tc.diverged)
		}
	}
	if got := DivergenceCap(10); got < 23.02 || got > 23.03 {
		t.Errorf("DivergenceCap(10) = %v, want 10 ln 10 = 23.026", got)
	}
}
