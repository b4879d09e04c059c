package kit

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/reluexp/reluexp/data"
	"github.com/reluexp/reluexp/experiments/harness"
	"github.com/reluexp/reluexp/model"
)

func TestGeometricSteps(t *testing.T) {
	cases := []struct {
		total, count int
		want         []int
	}{
		{1, 5, []int{1}},
		{10, 1, []int{10}},
		{256, 9, []int{1, 2, 4, 8, 16, 32, 64, 128, 256}},
		{0, 3, nil},
	}
	for _, c := range cases {
		if got := GeometricSteps(c.total, c.count); !slices.Equal(got, c.want) {
			t.Errorf("geometricSteps(%d, %d) = %v, want %v", c.total, c.count, got, c.want)
		}
	}
	// Strictly increasing, ending at the total, about count long.
	got := GeometricSteps(2500, 10)
	if got[len(got)-1] != 2500 || len(got) < 8 || len(got) > 10 || !slices.IsSorted(got) {
		t.Errorf("geometricSteps(2500, 10) = %v", got)
	}
	for i := 1; i < len(got); i++ {
		if got[i] == got[i-1] {
			t.Errorf("repeated step %d in %v", got[i], got)
		}
	}
}

// The loop calls the checkpoint at step 0 and exactly at the listed steps,
// stops when asked, and counts updates across passes over a small set.
func TestTrainStepsCheckpoints(t *testing.T) {
	rng := harness.NewRand(3)
	set := data.TwoSpirals(100, 0.1, rng)
	net, err := model.NewMLP(model.MLPSpec{Inputs: set.Dim, Hidden: []int{8}, Outputs: set.Classes,
		Activation: model.ActivationSpec{Name: "relu"}, Init: model.Init{Scheme: model.HeNormal}}, rng)
	if err != nil {
		t.Fatal(err)
	}
	var seen []int
	// 100 examples in batches of 32: 3 updates per pass, so 20 updates
	// span 7 passes.
	out, err := TrainSteps(context.Background(), net, set, StepSpec{Steps: 20, Batch: 32, Optimizer: "sgd", LR: 0.1},
		[]int{1, 5, 6, 20, 25}, rng, func(step int) bool { seen = append(seen, step); return true })
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{0, 1, 5, 6, 20}; !slices.Equal(seen, want) || out.Steps != 20 || out.Diverged {
		t.Errorf("checkpoints %v after %d steps (diverged %v), want %v after 20", seen, out.Steps, out.Diverged, want)
	}
	seen = nil
	out, _ = TrainSteps(context.Background(), net, set, StepSpec{Steps: 20, Batch: 32, Optimizer: "sgd", LR: 0.1},
		[]int{2, 4, 8}, rng, func(step int) bool { seen = append(seen, step); return step < 4 })
	if want := []int{0, 2, 4}; !slices.Equal(seen, want) || out.Steps != 4 {
		t.Errorf("early stop: checkpoints %v after %d steps, want %v after 4", seen, out.Steps, want)
	}
	if got := StepsPerEpoch(100, 32); got != 3 {
		t.Errorf("stepsPerEpoch(100, 32) = %d, want 3", got)
	}
	if got := StepsPerEpoch(20, 32); got != 1 {
		t.Errorf("stepsPerEpoch(20, 32) = %d, want 1 (the batch shrinks to the set)", got)
	}
}

func TestTrainStepsRecordsDivergence(t *testing.T) {
	rng := harness.NewRand(4)
	set, net := linearSpiralNet(t, rng)
	out, err := TrainSteps(context.Background(), net, set, StepSpec{Steps: 200, Batch: 16, Optimizer: "sgd", LR: 1e4}, nil, rng, func(int) bool { return true })
	if err != nil {
		t.Fatal(err)
	}
	if !out.Diverged || out.DivergedStep < 1 || out.Steps != out.DivergedStep {
		t.Errorf("a linear net at learning rate 1e4 should diverge and be recorded: %+v", out)
	}
}

func TestEpochLR(t *testing.T) {
	for _, tc := range []struct {
		decay float64
		epoch int
		want  float64
	}{
		{0, 7, 0.1},    // no decay
		{1, 7, 0.1},    // a factor of 1 is none
		{0.5, 0, 0.1},  // the first epoch runs at LR
		{0.5, 1, 0.05}, // halved after one epoch
		{0.5, 3, 0.0125},
	} {
		if got := EpochLR(StepSpec{LR: 0.1, LRDecay: tc.decay}, tc.epoch); math.Abs(got-tc.want) > 1e-15 {
			t.Errorf("decay %v epoch %d: lr %v, want %v", tc.decay, tc.epoch, got, tc.want)
		}
	}
}

// TestTrainStepsMaxNormMomentumDecay trains with the paper profile's
// options: the hidden units' incoming norms end within the radius, the
// momentum coefficient and the decayed rate reach the optimiser.
func TestTrainStepsMaxNormMomentumDecay(t *testing.T) {
	rng := harness.NewRand(5)
	set := data.TwoSpirals(100, 0.1, rng)
	net, err := model.NewMLP(model.MLPSpec{Inputs: set.Dim, Hidden: []int{8, 8}, Outputs: set.Classes,
		Activation: model.ActivationSpec{Name: "relu"}, Init: model.Init{Scheme: model.HeNormal}}, rng)
	if err != nil {
		t.Fatal(err)
	}
	spec := StepSpec{Steps: 30, Batch: 32, Optimizer: "momentum", LR: 0.5, Momentum: 0.95, LRDecay: 0.9, MaxNorm: 0.5}
	if _, err := TrainSteps(context.Background(), net, set, spec, nil, rng, func(int) bool { return true }); err != nil {
		t.Fatal(err)
	}
	for _, w := range net.HiddenWeights() {
		for j := 0; j < w.Cols; j++ {
			var ss float64
			for i := 0; i < w.Rows; i++ {
				ss += w.Value[i*w.Cols+j] * w.Value[i*w.Cols+j]
			}
			if math.Sqrt(ss) > 0.5*(1+1e-12) {
				t.Errorf("%s unit %d: incoming norm %v above the radius 0.5", w.Name, j, math.Sqrt(ss))
			}
		}
	}
	opt, err := NewStepOptimizer(spec, net)
	if err != nil {
		t.Fatal(err)
	}
	mn, ok := opt.(*model.MaxNorm)
	if !ok {
		t.Fatalf("optimiser %T, want *model.MaxNorm", opt)
	}
	if m, ok := mn.Opt.(*model.Momentum); !ok || m.Beta != 0.95 {
		t.Errorf("wrapped optimiser %s, want momentum with beta 0.95", mn.Opt.Name())
	}
}

// A run stopped by a finite loss above the cap records that loss; one
// that did not diverge records none.
func TestTrainClassifierRecordsDivergedLoss(t *testing.T) {
	for _, tc := range []struct {
		lr       float64
		diverges bool
	}{{0.01, false}, {30, true}} {
		rng := harness.NewRand(4)
		set, net := linearSpiralNet(t, rng)
		out, err := TrainClassifier(context.Background(), net, set, set, TrainSpec{Epochs: 3, Batch: 16, Optimizer: "sgd", LR: tc.lr}, rng, TrainHooks{})
		if err != nil {
			t.Fatal(err)
		}
		capLoss := model.DivergenceCap(set.Classes)
		switch {
		case out.Diverged != tc.diverges:
			t.Errorf("lr %g: diverged %v, want %v (%+v)", tc.lr, out.Diverged, tc.diverges, out)
		case !tc.diverges && out.DivergedLoss != 0:
			t.Errorf("lr %g: a run that did not diverge recorded the loss %g", tc.lr, out.DivergedLoss)
		case tc.diverges && !(out.DivergedLoss > capLoss):
			t.Errorf("lr %g: diverged (%s) with recorded loss %g, want the finite loss above the cap %g", tc.lr, out.DivergedCause, out.DivergedLoss, capLoss)
		}
	}
}

// A higher cap lets a run go past the step where the usual cap stopped it:
// the same seed diverges no earlier, and a finite loss that stops it lies
// above the higher cap.
func TestTrainClassifierLossCap(t *testing.T) {
	run := func(lossCap float64) TrainOutcome {
		rng := harness.NewRand(4)
		set, net := linearSpiralNet(t, rng)
		out, err := TrainClassifier(context.Background(), net, set, set, TrainSpec{Epochs: 3, Batch: 16, Optimizer: "sgd", LR: 10, LossCap: lossCap}, rng, TrainHooks{})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	std := model.DivergenceCap(2)
	const factor = 1e6
	base, high := run(0), run(factor*std)
	if !base.Diverged {
		t.Fatalf("the usual cap: no divergence at lr 10 (%+v)", base)
	}
	if high.Diverged && high.DivergedStep < base.DivergedStep {
		t.Errorf("cap %g stopped the run at step %d, before the usual cap's step %d", factor*std, high.DivergedStep, base.DivergedStep)
	}
	if high.Diverged && high.DivergedLoss != 0 && high.DivergedLoss <= factor*std {
		t.Errorf("cap %g: stopped at the finite loss %g, not above it", factor*std, high.DivergedLoss)
	}
	if high.Diverged && high.DivergedStep == base.DivergedStep && high.DivergedLoss == base.DivergedLoss && base.DivergedLoss != 0 {
		t.Errorf("cap %g changed nothing: both stopped at step %d with loss %g", factor*std, base.DivergedStep, base.DivergedLoss)
	}
}

// linearSpiralNet is a two-spirals set of 64 points and a linear net of
// two hidden layers of 16 on it, which diverges at a large learning rate.
func linearSpiralNet(t *testing.T, rng *rand.Rand) (*data.Set, *model.Network) {
	t.Helper()
	set := data.TwoSpirals(64, 0.1, rng)
	net, err := model.NewMLP(model.MLPSpec{Inputs: set.Dim, Hidden: []int{16, 16}, Outputs: set.Classes,
		Activation: model.ActivationSpec{Name: "identity"}, Init: model.Init{Scheme: model.XavierNormal}}, rng)
	if err != nil {
		t.Fatal(err)
	}
	return set, net
}
