package kit

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/reluexp/reluexp/data"
	"github.com/reluexp/reluexp/model"
)

// The MNIST training loop every experiment shares.

// TrainSpec says how to train.
type TrainSpec struct {
	Epochs    int
	Batch     int
	Optimizer string
	LR        float64
	// ClipNorm > 0 clips gradients by global norm before each update.
	ClipNorm float64
	// EvalTrain evaluates accuracy on the whole training set after each
	// epoch (a forward pass over it); otherwise TrainAcc is the running
	// accuracy of the epoch's batches.
	EvalTrain bool
	// LossCap is the loss above which a run diverges; 0 means
	// model.DivergenceCap of the training set's classes. A higher cap
	// lets a run that the usual cap would stop go on, to see whether it
	// comes back or blows up.
	LossCap float64
}

// EpochStats is measured after each epoch; epoch 0 is before training.
type EpochStats struct {
	Epoch     int     `json:"epoch"`
	TrainLoss float64 `json:"train_loss"`
	TrainAcc  float64 `json:"train_acc"`
	TestLoss  float64 `json:"test_loss"`
	TestAcc   float64 `json:"test_acc"`
}

// TrainOutcome is the record of one training run. A run whose loss goes
// above the cap (TrainSpec.LossCap, model.DivergenceCap by default), or
// that produces a non-finite loss, gradient or logit, stops there:
// Diverged is set, with the step and the cause, and Epochs holds the
// epochs completed before it.
type TrainOutcome struct {
	Epochs        []EpochStats `json:"epochs"`
	Steps         int          `json:"steps"`
	Diverged      bool         `json:"diverged"`
	DivergedStep  int          `json:"diverged_step"`
	DivergedCause string       `json:"diverged_cause,omitempty"`
	// DivergedLoss is the minibatch loss of the step that diverged when
	// the loss and every gradient were finite (model.StepStats.Finite: a
	// loss above the cap); 0 when they were not, when the divergence was
	// seen at an evaluation, or when the run did not diverge.
	DivergedLoss float64 `json:"diverged_loss,omitempty"`
	MaxGradNorm  float64 `json:"max_grad_norm"`
}

// Final is the last completed epoch (epoch 0 if none completed).
func (o TrainOutcome) Final() EpochStats { return o.Epochs[len(o.Epochs)-1] }

// TrainHooks lets an experiment measure during training without owning the
// loop. Each hook may be nil.
type TrainHooks struct {
	// Probe runs after each backward pass, before the update.
	Probe func(step int, net *model.Network)
	// AfterEpoch runs after each epoch's evaluation (and once for epoch 0).
	AfterEpoch func(epoch int, net *model.Network)
	// AfterStep runs after each training step, the diverging one included,
	// with the number of steps taken so far and the step's statistics. The
	// parameters' gradients are then the ones the update applied (after
	// clipping), so it can check what a remedy let through. Returning true
	// ends training there (a target reached): the outcome then holds the
	// epochs completed before it, and Steps the steps taken.
	AfterStep func(step int, st model.StepStats) (stop bool)
}

// TrainClassifier trains net on train with minibatch SGD-style updates,
// evaluating on test after each epoch.
func TrainClassifier(ctx context.Context, net *model.Network, train, test *data.Set, spec TrainSpec, rng *rand.Rand, hooks TrainHooks) (TrainOutcome, error) {
	opt, err := model.NewOptimizer(spec.Optimizer, spec.LR)
	if err != nil {
		return TrainOutcome{}, err
	}
	lossCap := spec.LossCap
	if lossCap <= 0 {
		lossCap = model.DivergenceCap(train.Classes)
	}
	tr := &model.Trainer{Net: net, Opt: opt, ClipNorm: spec.ClipNorm, Probe: hooks.Probe, LossCap: lossCap}
	out := TrainOutcome{DivergedStep: -1}
	batch := min(spec.Batch, train.N)
	x := model.NewMatrix(batch, train.Dim)
	y := make([]int, batch)
	order := make([]int, train.N)
	for i := range order {
		order[i] = i
	}

	evaluate := func(epoch int, trainLoss, trainAcc float64) bool {
		te := model.Evaluate(net, AsMatrix(test), test.Y, 1000)
		st := EpochStats{Epoch: epoch, TrainLoss: trainLoss, TrainAcc: trainAcc, TestLoss: te.Loss, TestAcc: te.Accuracy}
		ok := te.Finite && te.Loss <= lossCap
		if spec.EvalTrain || epoch == 0 {
			ev := model.Evaluate(net, AsMatrix(train), train.Y, 1000)
			st.TrainLoss, st.TrainAcc = ev.Loss, ev.Accuracy
			ok = ok && ev.Finite && ev.Loss <= lossCap
		}
		if !ok {
			out.Diverged, out.DivergedStep = true, tr.Steps
			out.DivergedCause = fmt.Sprintf("evaluation loss above the cap %.4g, or non-finite output", lossCap)
			return false
		}
		out.Epochs = append(out.Epochs, st)
		if hooks.AfterEpoch != nil {
			hooks.AfterEpoch(epoch, net)
		}
		return true
	}
	if !evaluate(0, math.NaN(), math.NaN()) {
		return out, nil
	}
	for epoch := 1; epoch <= spec.Epochs; epoch++ {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		var lossSum float64
		correct, seen := 0, 0
		// Full batches only: a short last batch would change the step's
		// gradient scale and, with batch norm, its statistics.
		for start := 0; start+batch <= train.N; start += batch {
			train.Gather(order[start:start+batch], x.Data, y)
			st := tr.Step(x, y)
			stop := hooks.AfterStep != nil && hooks.AfterStep(tr.Steps, st)
			if st.GradNorm > out.MaxGradNorm && !math.IsInf(st.GradNorm, 0) {
				out.MaxGradNorm = st.GradNorm
			}
			if st.Diverged {
				out.Diverged, out.DivergedStep = true, tr.Steps
				out.DivergedCause = fmt.Sprintf("loss %v above the cap %.4g, or non-finite loss or gradient norm (%v)", st.Loss, lossCap, st.GradNorm)
				if st.Finite {
					out.DivergedLoss = st.Loss
				}
				out.Steps = tr.Steps
				return out, nil
			}
			if stop {
				out.Steps = tr.Steps
				return out, nil
			}
			lossSum += st.Loss * float64(batch)
			correct += st.Correct
			seen += batch
		}
		out.Steps = tr.Steps
		if !evaluate(epoch, lossSum/float64(seen), float64(correct)/float64(seen)) {
			return out, nil
		}
	}
	return out, nil
}

// AsMatrix views a data set's inputs as a matrix (no copy).
func AsMatrix(s *data.Set) *model.Matrix { return model.MatrixFrom(s.N, s.Dim, s.X) }

// Head returns the first n examples of s as a set sharing its storage. MNIST
// comes shuffled, so a prefix is a fair sample, and every cell that asks for
// n examples gets the same ones.
func Head(s *data.Set, n int) *data.Set {
	if n <= 0 || n >= s.N {
		return s
	}
	return &data.Set{Name: fmt.Sprintf("%s[:%d]", s.Name, n), X: s.X[:n*s.Dim], Y: s.Y[:n], N: n, Dim: s.Dim, Classes: s.Classes}
}

// Tail returns the last n examples of s as a set sharing its storage: a
// validation split that no Head of fewer than s.N-n examples reaches.
func Tail(s *data.Set, n int) *data.Set {
	if n <= 0 || n >= s.N {
		return s
	}
	return &data.Set{Name: fmt.Sprintf("%s[%d:]", s.Name, s.N-n), X: s.X[(s.N-n)*s.Dim:], Y: s.Y[s.N-n:], N: n, Dim: s.Dim, Classes: s.Classes}
}
