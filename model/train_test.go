package model

import (
	"math/rand/v2"
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

func BenchmarkTrainingStep(b *testing.B) {
	for _, s := range stepShapes()[:2] {
		b.Run(s.name, func(b *testing.B) {
			tr, x, labels := newStepFixture(b, s)
			tr.Step(x, labels)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				tr.Step(x, labels)
			}
		})
	}
}
