package kit

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/reluexp/reluexp/data"
	"github.com/reluexp/reluexp/model"
)

// A training loop counted in updates rather than epochs, with evaluations at
// chosen steps. trainClassifier evaluates once per epoch, which does not fit
// two of the experiments: overfitting compares training sets from 500 to
// 60000 examples under one budget of updates (500 examples take hundreds of
// epochs where 60000 take two, and evaluating the 10000 test images after
// each of hundreds of epochs would cost more than the training), and speed
// needs the step at which a target accuracy is first reached, which an epoch
// is too coarse to resolve.

// StepSpec says how to train: Steps updates of Batch examples.
type StepSpec struct {
	Steps     int
	Batch     int
	Optimizer string
	LR        float64
	// Momentum, when positive, is the momentum optimiser's coefficient
	// (model.NewOptimizer's 0.9 otherwise); other optimisers ignore it.
	Momentum float64
	// LRDecay, when positive and not 1, multiplies the learning rate by
	// itself after every epoch (a pass over the training set): the rate of
	// step t is LR * LRDecay^floor(t / steps per epoch), as in Hinton et
	// al. 2012's MNIST nets (0.998 per epoch).
	LRDecay float64
	// MaxNorm, when positive, keeps every hidden unit's incoming weights
	// within a ball of this radius after each update (model.MaxNorm).
	MaxNorm float64
}

// NewStepOptimizer builds spec's optimiser for net: the named one with its
// momentum, wrapped in the max-norm constraint if spec asks for one.
func NewStepOptimizer(spec StepSpec, net *model.Network) (model.Optimizer, error) {
	opt, err := model.NewOptimizer(spec.Optimizer, spec.LR)
	if err != nil {
		return nil, err
	}
	if m, ok := opt.(*model.Momentum); ok && spec.Momentum > 0 {
		m.Beta = spec.Momentum
	}
	if spec.MaxNorm > 0 {
		return model.NewMaxNorm(opt, spec.MaxNorm, net)
	}
	return opt, nil
}

// EpochLR is the learning rate of the given epoch (0-based) under spec's
// decay.
func EpochLR(spec StepSpec, epoch int) float64 {
	if spec.LRDecay <= 0 || spec.LRDecay == 1 {
		return spec.LR
	}
	return spec.LR * math.Pow(spec.LRDecay, float64(epoch))
}

// StepOutcome is what the loop itself observed. A step with a non-finite
// loss or gradient stops training, as in trainClassifier; the caller records
// non-finite evaluations itself.
type StepOutcome struct {
	Steps         int    `json:"steps"`
	Diverged      bool   `json:"diverged"`
	DivergedStep  int    `json:"diverged_step"`
	DivergedCause string `json:"diverged_cause,omitempty"`
}

// TrainSteps trains net on train for up to spec.Steps updates. Batches are
// drawn by reshuffling the set on each pass and taking full batches only
// (as trainClassifier does). checkpoint is called once before the first
// update (step 0) and after every update whose count is listed in at
// (ascending); training stops early when it returns false.
func TrainSteps(ctx context.Context, net *model.Network, train *data.Set, spec StepSpec, at []int, rng *rand.Rand, checkpoint func(step int) bool) (StepOutcome, error) {
	opt, err := NewStepOptimizer(spec, net)
	if err != nil {
		return StepOutcome{}, err
	}
	batch := min(spec.Batch, train.N)
	perEpoch := StepsPerEpoch(train.N, batch)
	lossCap := model.DivergenceCap(train.Classes)
	tr := &model.Trainer{Net: net, Opt: opt, LossCap: lossCap}
	out := StepOutcome{DivergedStep: -1}
	x := model.NewMatrix(batch, train.Dim)
	y := make([]int, batch)
	order := make([]int, train.N)
	for i := range order {
		order[i] = i
	}
	if !checkpoint(0) {
		return out, nil
	}
	next := 0 // index into at of the next checkpoint
	pos := train.N
	for tr.Steps < spec.Steps {
		if pos+batch > train.N {
			rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
			pos = 0
		}
		if tr.Steps%perEpoch == 0 {
			model.SetLR(opt, EpochLR(spec, tr.Steps/perEpoch))
		}
		train.Gather(order[pos:pos+batch], x.Data, y)
		pos += batch
		st := tr.Step(x, y)
		out.Steps = tr.Steps
		if st.Diverged {
			out.Diverged, out.DivergedStep = true, tr.Steps
			out.DivergedCause = fmt.Sprintf("loss %v above the cap %.4g, or non-finite loss or gradient norm (%v)", st.Loss, lossCap, st.GradNorm)
			return out, nil
		}
		for next < len(at) && at[next] < tr.Steps {
			next++
		}
		if next < len(at) && at[next] == tr.Steps {
			if err := ctx.Err(); err != nil {
				return out, err
			}
			if !checkpoint(tr.Steps) {
				return out, nil
			}
		}
	}
	return out, nil
}

// StepsPerEpoch is the number of full batches in one pass over n examples.
func StepsPerEpoch(n, batch int) int { return max(1, n/min(batch, n)) }

// GeometricSteps returns about count distinct steps from roughly total/256
// to total, spaced evenly on a log scale: dense early, where accuracy moves
// fastest, and sparse late. The last is always total.
func GeometricSteps(total, count int) []int {
	if total <= 0 || count <= 0 {
		return nil
	}
	if count == 1 {
		return []int{total}
	}
	first := max(1, total/256)
	ratio := math.Pow(float64(total)/float64(first), 1/float64(count-1))
	var out []int
	for k := range count {
		s := int(math.Round(float64(first) * math.Pow(ratio, float64(k))))
		s = min(max(s, 1), total)
		if len(out) == 0 || s > out[len(out)-1] {
			out = append(out, s)
		}
	}
	if out[len(out)-1] != total {
		out = append(out, total)
	}
	return out
}

// EvaluateSet is the loss and accuracy of net on a whole set, in evaluation
// mode (no dropout).
func EvaluateSet(net *model.Network, s *data.Set) model.Evaluation {
	return model.Evaluate(net, AsMatrix(s), s.Y, 1000)
}

// NaturalInit is the initialiser each activation was designed with: He for
// the ReLU family (He et al. 2015), LeCun for SELU (Klambauer et al. 2017),
// Xavier for the saturating and linear ones (Glorot & Bengio 2010).
func NaturalInit(variant string) model.InitScheme {
	switch variant {
	case "sigmoid", "tanh", "identity":
		return model.XavierNormal
	case "selu":
		return model.LeCunNormal
	}
	return model.HeNormal
}
