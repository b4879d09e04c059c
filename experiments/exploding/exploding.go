// Package exploding is the experiment for claims C7 and C11.
//
// C7, the blog: ReLU's output is unbounded, so gradients can explode, while
// sigmoid's and tanh's do not; BatchNorm, or clipping gradients by a global
// norm of e.g. 5.0, handles it. C11: ReLU's success came together with
// BatchNorm (and dropout, which the overfitting experiment covers).
//
// Part 1 measures deep nets at initialisation with weight variance g/fan_in
// for several gains g, ReLU beside tanh and sigmoid. Mean-field theory says
// the back-propagated gradient ||dL/dz_l|| of a ReLU net is multiplied by
// sqrt(g/2) per layer going back (so it explodes for g > 2), and its
// activations by the same factor going forward. The weight gradient
// dL/dW_l is the outer product of layer l's input and dL/dz_l, so for ReLU
// the two trends cancel in it: reading weight-gradient norms alone, a common
// habit, hides the explosion. Tanh and sigmoid have bounded outputs, and
// their derivative shrinks as they saturate.
//
// Part 2 trains a deep ReLU MLP on MNIST with plain SGD over a grid of
// learning rates, with no remedy, with global-norm clipping (the blog's 5.0
// and a sweep of thresholds), with BatchNorm after each dense layer, and
// with both, and records for every run the step at which the loss or the
// gradient became NaN or infinite, the largest gradient norm, the accuracy
// and the loss curve.
package exploding

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/reluexp/reluexp/data"
	"github.com/reluexp/reluexp/experiments/harness"
	"github.com/reluexp/reluexp/experiments/kit"
	"github.com/reluexp/reluexp/metrics"
	"github.com/reluexp/reluexp/model"
)

// New is the experiment for claims C7 and C11.
func New() harness.Experiment {
	return harness.Register(harness.Definition[Config, explodingCell, explodingResult]{
		Name:    "exploding",
		Claims:  []string{"C7", "C11"},
		Summary: "gradient growth by layer for gains above critical; divergence of a deep ReLU net on MNIST with clipping and BatchNorm as remedies",
		Doc: `Part 1 measures, at initialisation, per-layer norms of the back-propagated
gradient ||dL/dz_l||, of the activations and of the weight gradient ||dL/dW_l||
for ReLU, tanh and sigmoid nets with weight variance g/fan_in, beside the
mean-field prediction. Part 2 trains a deep ReLU MLP on MNIST with plain SGD
at learning rates large enough to diverge, with no remedy, global-norm
clipping (5.0 and a sweep), BatchNorm after each dense layer, and both, and
records the step of divergence, the largest gradient norm, the accuracy and
the loss curve of every run.`,
		Defaults:  explodingDefaults,
		Validate:  validateExploding,
		Cells:     explodingCells,
		Run:       runExplodingCell,
		Summarize: summarizeExploding,
		Memory:    explodingMemory,
	})
}

// Config configures the exploding experiment.
type Config struct {
	Variants     []string  `json:"variants" flag:"variant" help:"activations measured at initialisation"`
	Gains        []float64 `json:"gains" flag:"gains" help:"weight variance gains g, Var(w) = g/fan_in (ReLU's critical gain is 2)"`
	Depths       []int     `json:"depths" flag:"depths" help:"numbers of hidden layers measured at initialisation"`
	Width        int       `json:"width" flag:"width" help:"input and hidden width at initialisation"`
	Batch        int       `json:"batch" flag:"batch" help:"examples in the N(0,1) batch at initialisation"`
	Seeds        int       `json:"seeds" flag:"seeds" help:"seeds per configuration"`
	VerdictDepth int       `json:"verdict_depth" flag:"verdict-depth" help:"depth the verdict and the per-gain figures read (the deepest measured if absent from depths)"`

	TrainVariant  string    `json:"train_variant" flag:"train-variant" help:"activation of the MNIST net"`
	TrainInit     string    `json:"train_init" flag:"train-init" help:"weight initialiser of the MNIST net"`
	TrainDepth    int       `json:"train_depth" flag:"train-depth" help:"hidden layers of the MNIST net"`
	TrainWidth    int       `json:"train_width" flag:"train-width" help:"hidden width of the MNIST net"`
	TrainExamples int       `json:"train_examples" flag:"train-examples" help:"MNIST training examples used"`
	TestExamples  int       `json:"test_examples" flag:"test-examples" help:"MNIST test examples evaluated"`
	Epochs        int       `json:"epochs" flag:"epochs" help:"training epochs"`
	TrainBatch    int       `json:"train_batch" flag:"train-batch" help:"training minibatch size"`
	Optimizer     string    `json:"optimizer" flag:"optimizer" help:"sgd, momentum or adam"`
	LR            float64   `json:"lr" flag:"lr" help:"the large learning rate at which the remedies are judged"`
	LRGrid        []float64 `json:"lr_grid" flag:"lr-grid" help:"learning rates at which no remedy, clipping and BatchNorm are also run"`
	Clip          float64   `json:"clip" flag:"clip" help:"global-norm clipping threshold (the blog's 5.0)"`
	ClipSweep     []float64 `json:"clip_sweep" flag:"clip-sweep" help:"further clipping thresholds tried at --lr"`
	BN            bool      `json:"bn" flag:"bn" help:"include BatchNorm after each dense layer, alone and with clipping"`
	LossEvery     int       `json:"loss_every" flag:"loss-every" help:"training steps averaged into each point of the loss curves"`
	TrainSeeds    int       `json:"train_seeds" flag:"train-seeds" help:"seeds per training configuration (0 skips training)"`
}

func explodingDefaults(quick bool) *Config {
	c := &Config{
		Variants:     []string{"relu", "tanh", "sigmoid"},
		Gains:        []float64{1, 2, 3, 4},
		Depths:       []int{20, 50},
		Width:        256,
		Batch:        128,
		Seeds:        5,
		VerdictDepth: 20,

		TrainVariant:  "relu",
		TrainInit:     string(model.HeNormal),
		TrainDepth:    8,
		TrainWidth:    256,
		TrainExamples: 4000,
		TestExamples:  1000,
		Epochs:        2,
		TrainBatch:    64,
		Optimizer:     "sgd",
		// Measured, not guessed (the remedies-by-lr table): at 1 every run
		// without remedy diverged within a few steps, at 0.3 one in five
		// did, and BatchNorm trained at every rate of the grid.
		LR:         1,
		LRGrid:     []float64{0.1, 0.3, 1, 3},
		Clip:       5,
		ClipSweep:  []float64{0.5, 1, 2, 10, 20},
		BN:         true,
		LossEvery:  2,
		TrainSeeds: 5,
	}
	if quick {
		c.Gains = []float64{1, 2, 4}
		c.Depths = []int{10}
		c.VerdictDepth = 10
		c.Width, c.Batch, c.Seeds = 64, 64, 3
		c.TrainWidth, c.TrainExamples, c.TestExamples = 64, 1000, 500
		c.Epochs, c.TrainBatch = 1, 50
		c.LRGrid = []float64{0.1, 1}
		c.ClipSweep = []float64{0.5}
		c.LossEvery, c.TrainSeeds = 1, 2
	}
	return c
}

func validateExploding(c *Config) error {
	if err := kit.CheckVariants(c.Variants); err != nil {
		return err
	}
	if err := kit.CheckPositiveFloats("gains", c.Gains...); err != nil {
		return err
	}
	if err := kit.CheckPositive("depths", c.Depths...); err != nil {
		return err
	}
	if err := kit.CheckPositive("width, batch and seeds", c.Width, c.Batch, c.Seeds); err != nil {
		return err
	}
	if c.TrainSeeds < 0 {
		return fmt.Errorf("train-seeds must be 0 (skip training) or positive, got %d", c.TrainSeeds)
	}
	if c.TrainSeeds == 0 {
		return nil
	}
	if err := model.ValidateVariant(c.TrainVariant); err != nil {
		return fmt.Errorf("train-variant: %w", err)
	}
	if err := kit.CheckInits([]string{c.TrainInit}); err != nil {
		return fmt.Errorf("train-init: %w", err)
	}
	if err := kit.CheckPositive("train-depth, train-width, train-examples, test-examples, epochs, train-batch and loss-every",
		c.TrainDepth, c.TrainWidth, c.TrainExamples, c.TestExamples, c.Epochs, c.TrainBatch, c.LossEvery); err != nil {
		return err
	}
	if c.BN && c.TrainBatch < 2 {
		return fmt.Errorf("train-batch must be at least 2 with --bn (batch statistics), got %d", c.TrainBatch)
	}
	if err := kit.CheckPositiveFloats("lr-grid", c.LRGrid...); err != nil {
		return err
	}
	if err := kit.CheckPositiveFloats("clip", c.Clip); err != nil {
		return err
	}
	if len(c.ClipSweep) > 0 {
		if err := kit.CheckPositiveFloats("clip-sweep", c.ClipSweep...); err != nil {
			return err
		}
	}
	_, err := model.NewOptimizer(c.Optimizer, c.LR)
	return err
}

// explodingCell is one net measured at initialisation (Kind "grad") or one
// training run (Kind "train").
type explodingCell struct {
	Kind    string  `json:"kind"`
	Variant string  `json:"variant"`
	Gain    float64 `json:"gain,omitempty"`
	Depth   int     `json:"depth"`
	Width   int     `json:"width"`
	Batch   int     `json:"batch"`
	Seed    int     `json:"seed"`
	// Training settings (Kind "train").
	Init          string  `json:"init,omitempty"`
	TrainExamples int     `json:"train_examples,omitempty"`
	TestExamples  int     `json:"test_examples,omitempty"`
	Epochs        int     `json:"epochs,omitempty"`
	Optimizer     string  `json:"optimizer,omitempty"`
	LR            float64 `json:"lr,omitempty"`
	Clip          float64 `json:"clip,omitempty"` // 0: no clipping
	BatchNorm     bool    `json:"batch_norm,omitempty"`
	LossEvery     int     `json:"loss_every,omitempty"`
}

// remedy names a training configuration: "none", "clip 5", "bn", "bn + clip 5".
func remedy(bn bool, clip float64) string {
	switch {
	case bn && clip > 0:
		return fmt.Sprintf("bn + clip %g", clip)
	case bn:
		return "bn"
	case clip > 0:
		return fmt.Sprintf("clip %g", clip)
	}
	return "none"
}

// trainLRs is the sorted union of the grid and the judged learning rate.
func (c *Config) trainLRs() []float64 {
	lrs := append([]float64{c.LR}, c.LRGrid...)
	slices.Sort(lrs)
	return slices.Compact(lrs)
}

// remedyRun is one remedy at one learning rate.
type remedyRun struct {
	BN   bool
	Clip float64
	LR   float64
}

// trainRuns lists the training configurations: no remedy, clipping at
// --clip and BatchNorm at every learning rate; both together and the other
// clipping thresholds at the judged learning rate only.
func (c *Config) trainRuns() []remedyRun {
	var runs []remedyRun
	for _, lr := range c.trainLRs() {
		runs = append(runs, remedyRun{false, 0, lr}, remedyRun{false, c.Clip, lr})
		if c.BN {
			runs = append(runs, remedyRun{true, 0, lr})
		}
		if lr == c.LR && c.BN {
			runs = append(runs, remedyRun{true, c.Clip, lr})
		}
	}
	sweep := slices.Clone(c.ClipSweep)
	slices.Sort(sweep)
	for _, t := range slices.Compact(sweep) {
		if t != c.Clip {
			runs = append(runs, remedyRun{false, t, c.LR})
		}
	}
	return runs
}

// explodingCells lists the nets measured at initialisation, then, unless
// train-seeds is 0, the training runs.
func explodingCells(c *Config) []harness.Cell[explodingCell] {
	var cells []harness.Cell[explodingCell]
	for _, v := range c.Variants {
		for _, g := range c.Gains {
			for _, d := range c.Depths {
				for s := range c.Seeds {
					p := explodingCell{Kind: "grad", Variant: v, Gain: g, Depth: d, Width: c.Width, Batch: c.Batch, Seed: s}
					id := fmt.Sprintf("grad/%s/g%g/w%d/b%d/d%d/s%d", v, g, c.Width, c.Batch, d, s)
					cells = append(cells, harness.Cell[explodingCell]{ID: id, Params: p, Cost: 6 * float64(d*c.Width*c.Width*c.Batch)})
				}
			}
		}
	}
	if c.TrainSeeds == 0 {
		return cells
	}
	// Forward and backward (3 products of 2 flops each) per example and epoch.
	cost := 6 * float64(c.Epochs*c.TrainExamples) * float64(784*c.TrainWidth+(c.TrainDepth-1)*c.TrainWidth*c.TrainWidth)
	for _, r := range c.trainRuns() {
		for s := range c.TrainSeeds {
			p := explodingCell{Kind: "train", Variant: c.TrainVariant, Depth: c.TrainDepth, Width: c.TrainWidth, Batch: c.TrainBatch, Seed: s,
				Init: c.TrainInit, TrainExamples: c.TrainExamples, TestExamples: c.TestExamples, Epochs: c.Epochs, Optimizer: c.Optimizer,
				LR: r.LR, Clip: r.Clip, BatchNorm: r.BN, LossEvery: c.LossEvery}
			id := fmt.Sprintf("train/%s/%s/d%d/w%d/n%d/e%d/b%d/%s-lr%g/%s/s%d", c.TrainVariant, c.TrainInit, c.TrainDepth, c.TrainWidth,
				c.TrainExamples, c.Epochs, c.TrainBatch, c.Optimizer, r.LR, strings.ReplaceAll(remedy(r.BN, r.Clip), " ", ""), s)
			cells = append(cells, harness.Cell[explodingCell]{ID: id, Params: p, Cost: cost})
		}
	}
	return cells
}

// explodingMemory bounds a cell's memory: the deepest net at
// initialisation, or the MNIST net.
func explodingMemory(c *Config) (perCell, shared int64) {
	perCell = kit.MLPBytes(c.Width, kit.RepeatInt(c.Width, kit.MaxOf(c.Depths)), 10, c.Batch)
	perCell = max(perCell, kit.MLPBytes(784, kit.RepeatInt(c.TrainWidth, c.TrainDepth), 10, c.TrainBatch))
	return perCell, kit.MNISTBytes
}

// explodingResult holds one cell's measurements. Per-layer slices have one
// entry per hidden layer, input side first.
type explodingResult struct {
	// Kind "grad".
	PreActGrad   []float64 `json:"preact_grad,omitempty"`   // ||dL/dz_l||, batch
	WeightGrad   []float64 `json:"weight_grad,omitempty"`   // ||dL/dW_l||, batch
	ExampleWGrad []float64 `json:"example_wgrad,omitempty"` // mean over examples of ||dl_i/dW_l||
	ActRMS       []float64 `json:"act_rms,omitempty"`       // ||h_l|| / sqrt(batch)

	// Kind "train".
	Train *kit.TrainOutcome `json:"train,omitempty"`
	// LossSteps[i] is the last step of the i-th window of LossEvery steps
	// and Loss[i] the mean training loss over the window's finite steps.
	LossSteps []int     `json:"loss_steps,omitempty"`
	Loss      []float64 `json:"loss,omitempty"`
	// MeanGradNorm is the mean global gradient norm before clipping over the
	// finite steps; MaxAppliedNorm is the largest global norm of a gradient
	// an update actually applied (after clipping).
	MeanGradNorm   float64 `json:"mean_grad_norm,omitempty"`
	MaxAppliedNorm float64 `json:"max_applied_norm,omitempty"`
	// Dead is the fraction of hidden units that output zero on every test
	// example after training (not measured for a diverged run).
	Dead *float64 `json:"dead,omitempty"`
}

// runExplodingCell runs one cell of either kind.
func runExplodingCell(ctx context.Context, env *harness.Env, p explodingCell, rng *rand.Rand) (explodingResult, error) {
	if p.Kind == "train" {
		return runTrainingCell(ctx, env, p, rng)
	}
	return runInitCell(p, rng)
}

// runInitCell measures one gain-initialised net on one N(0,1) batch with
// random labels: a single forward and backward pass, no update.
func runInitCell(p explodingCell, rng *rand.Rand) (explodingResult, error) {
	net, err := model.NewMLP(model.MLPSpec{
		Inputs: p.Width, Hidden: kit.RepeatInt(p.Width, p.Depth), Outputs: 10,
		Activation: model.ActivationSpec{Name: p.Variant},
		Init:       model.Init{Scheme: model.Gain, Gain: p.Gain},
	}, rng)
	if err != nil {
		return explodingResult{}, err
	}
	batch := data.GaussianRandomLabels(p.Batch, p.Width, 10, rng)
	x := kit.AsMatrix(batch)
	out := net.Forward(x, true)
	grad := model.NewMatrix(out.Rows, out.Cols)
	model.SoftmaxCrossEntropy(out, batch.Y, grad)
	net.Backward(grad)

	var r explodingResult
	for l := 0; l < p.Depth; l++ {
		h := net.Hidden(l)
		input := x
		if l > 0 {
			input = net.Hidden(l - 1).Activation
		}
		r.PreActGrad = append(r.PreActGrad, metrics.Norm(h.PreActivationGrad.Data))
		r.WeightGrad = append(r.WeightGrad, metrics.Norm(h.Weights.Grad))
		r.ExampleWGrad = append(r.ExampleWGrad, metrics.MeanExampleOuterNorm(input, h.PreActivationGrad))
		r.ActRMS = append(r.ActRMS, metrics.Norm(h.Activation.Data)/math.Sqrt(float64(p.Batch)))
	}
	return r, nil
}

// runTrainingCell trains the MNIST net once, recording the loss curve and
// the gradient norms step by step; a divergence ends the run and is its
// result.
func runTrainingCell(ctx context.Context, env *harness.Env, p explodingCell, rng *rand.Rand) (explodingResult, error) {
	trainAll, testAll, err := env.MNIST()
	if err != nil {
		return explodingResult{}, err
	}
	train, test := kit.Head(trainAll, p.TrainExamples), kit.Head(testAll, p.TestExamples)
	net, err := model.NewMLP(model.MLPSpec{
		Inputs: train.Dim, Hidden: kit.RepeatInt(p.Width, p.Depth), Outputs: 10,
		Activation: model.ActivationSpec{Name: p.Variant},
		Init:       model.Init{Scheme: model.InitScheme(p.Init)},
		BatchNorm:  p.BatchNorm,
	}, rng)
	if err != nil {
		return explodingResult{}, err
	}
	var r explodingResult
	// Means are kept as running means, not sums: just before a divergence
	// losses and norms come close to the largest float64, where a sum of two
	// of them would overflow to +Inf.
	var window float64
	inWindow, finiteSteps := 0, 0
	flush := func(step int) {
		if inWindow > 0 {
			r.LossSteps = append(r.LossSteps, step)
			r.Loss = append(r.Loss, window)
		}
		window, inWindow = 0, 0
	}
	hooks := kit.TrainHooks{AfterStep: func(step int, st model.StepStats) bool {
		if !st.Finite {
			flush(step - 1)
			return false
		}
		finiteSteps++
		r.MeanGradNorm += (st.GradNorm - r.MeanGradNorm) / float64(finiteSteps)
		// The gradients left in the parameters are the ones the update used.
		r.MaxAppliedNorm = math.Max(r.MaxAppliedNorm, model.GlobalNorm(net.Params()))
		inWindow++
		window += (st.Loss - window) / float64(inWindow)
		if step%p.LossEvery == 0 {
			flush(step)
		}
		return false
	}}
	out, err := kit.TrainClassifier(ctx, net, train, test, kit.TrainSpec{Epochs: p.Epochs, Batch: p.Batch, Optimizer: p.Optimizer, LR: p.LR, ClipNorm: p.Clip}, rng, hooks)
	if err != nil {
		return explodingResult{}, err
	}
	if !out.Diverged {
		flush(out.Steps)
		dead := deadFraction(net, test)
		r.Dead = &dead
	}
	r.Train = &out
	return r, nil
}

// deadFraction is the mean over hidden layers of the fraction of units that
// output zero on every test example.
func deadFraction(net *model.Network, test *data.Set) float64 {
	act := kit.MeasureActivity(net, test, 1000)
	var dead float64
	for _, a := range act {
		dead += a.Dead
	}
	return dead / float64(len(act))
}
