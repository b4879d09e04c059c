package exploding

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"

	"github.com/reluexp/reluexp/data"
	"github.com/reluexp/reluexp/experiments/harness"
	"github.com/reluexp/reluexp/experiments/kit"
	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/metrics"
	"github.com/reluexp/reluexp/model"
)

// Experiment "exploding": claims C7 and C11.
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

func runExplodingCell(ctx context.Context, env *harness.Env, p explodingCell, rng *rand.Rand) (explodingResult, error) {
	if p.Kind == "train" {
		return runExplodingTraining(ctx, env, p, rng)
	}
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

func runExplodingTraining(ctx context.Context, env *harness.Env, p explodingCell, rng *rand.Rand) (explodingResult, error) {
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
		act := kit.MeasureActivity(net, test, 1000)
		var dead float64
		for _, a := range act {
			dead += a.Dead
		}
		dead /= float64(len(act))
		r.Dead = &dead
	}
	r.Train = &out
	return r, nil
}

// Exploding is the experiment for claims C7 and C11.
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

type explodingKey struct {
	variant string
	gain    float64
	depth   int
}

// initStats are the ratios over seeds of one (variant, gain, depth), in log10.
type initStats struct {
	z, w, example, act metrics.Estimate // first/last for gradients, last/first for activations
	mfZ, mfAct         float64          // mean-field predictions of z and act
}

func summarizeExploding(c *Config, done []harness.Done[explodingCell, explodingResult]) (*result.Result, error) {
	grads := map[explodingKey][]explodingResult{}
	trains := map[remedyRun][]explodingResult{}
	for _, d := range done {
		p := d.Params
		if p.Kind == "train" {
			k := remedyRun{p.BatchNorm, p.Clip, p.LR}
			trains[k] = append(trains[k], d.Result)
		} else {
			k := explodingKey{p.Variant, p.Gain, p.Depth}
			grads[k] = append(grads[k], d.Result)
		}
	}
	verdictDepth := c.VerdictDepth
	if !slices.Contains(c.Depths, verdictDepth) {
		verdictDepth = slices.Max(c.Depths)
	}
	res := &result.Result{}
	stats := summarizeExplodingInit(c, grads, verdictDepth, res)
	initVerdict, note := explodingInitVerdict(c, verdictDepth, stats)
	res.Verdicts = append(res.Verdicts, initVerdict)
	if note != "" {
		res.Notes = append(res.Notes, note)
	}
	if c.TrainSeeds > 0 {
		res.Verdicts = append(res.Verdicts, summarizeExplodingTraining(c, trains, res)...)
	}
	return res, nil
}

// meanFieldInit predicts a gain-initialised net of the configured width.
func meanFieldInit(c *Config, variant string, gain float64, depth int) (mf kit.MeanField, actRMS []float64) {
	mf = kit.ComputeMeanField(model.ActivationSpec{Name: variant}, model.Init{Scheme: model.Gain, Gain: gain}, c.Width, c.Width, 10, depth, 1)
	actRMS = make([]float64, depth)
	for l, s := range mf.ActSq {
		actRMS[l] = math.Sqrt(s)
	}
	return mf, actRMS
}

// summarizeExplodingInit adds part 1's tables, records and figures to res
// and returns the ratios the verdict reads.
func summarizeExplodingInit(c *Config, grads map[explodingKey][]explodingResult, verdictDepth int, res *result.Result) map[explodingKey]initStats {
	gainHeaders := make([]string, len(c.Gains))
	for i, g := range c.Gains {
		gainHeaders[i] = fmt.Sprintf("g = %g", g)
	}
	records := result.Table{Name: "gradients", Title: "Every per-layer measurement at initialisation",
		Columns: []string{"variant", "gain", "depth", "seed", "layer", "preact_grad", "weight_grad", "example_weight_grad", "act_rms", "meanfield_preact_grad", "meanfield_act_rms"}}
	zTable := result.Table{Name: "gradient-growth", Title: "log10 of ||dL/dz_1|| / ||dL/dz_L||: growth of the back-propagated gradient from the last hidden layer to the first, mean [95% CI] over seeds",
		Columns: append([]string{"variant", "depth"}, gainHeaders...),
		Note:    "Positive: the gradient grows on its way back (explodes); negative: it shrinks. Mean-field prediction in parentheses; for ReLU it is (L-1) * 0.5 * log10(g/2)."}
	wTable := result.Table{Name: "weight-gradient-growth", Title: "log10 of ||dL/dW_1|| / ||dL/dW_L||: the same ratio for the weight gradient, mean [95% CI] over seeds / mean of the per-example version",
		Columns: append([]string{"variant", "depth"}, gainHeaders...),
		Note:    "The weight gradient multiplies each layer's input by its back-propagated gradient. The second number uses the mean over examples of ||h_{l-1,i}|| ||dz_{l,i}||, the per-example gradient, which mean-field theory predicts to be flat for ReLU at every gain."}
	aTable := result.Table{Name: "activation-growth", Title: "log10 of ||h_L|| / ||h_1||: growth of the activations from the first hidden layer to the last, mean [95% CI] over seeds",
		Columns: append([]string{"variant", "depth"}, gainHeaders...),
		Note:    "Mean-field prediction in parentheses. Tanh and sigmoid outputs are bounded (|h| <= 1 per unit), ReLU's are not."}

	stats := map[explodingKey]initStats{}
	for _, v := range c.Variants {
		for _, depth := range c.Depths {
			zRow, wRow, aRow := []string{v, kit.Itoa(depth)}, []string{v, kit.Itoa(depth)}, []string{v, kit.Itoa(depth)}
			for _, g := range c.Gains {
				k := explodingKey{v, g, depth}
				rs := grads[k]
				mf, mfAct := meanFieldInit(c, v, g, depth)
				mfZ := kit.AnchoredPrediction(mf, meanOfExploding(rs, func(r explodingResult) float64 { return r.PreActGrad[depth-1] }))
				var zr, wr, er, ar []float64
				for seed, r := range rs {
					zr = append(zr, r.PreActGrad[0]/r.PreActGrad[depth-1])
					wr = append(wr, r.WeightGrad[0]/r.WeightGrad[depth-1])
					er = append(er, r.ExampleWGrad[0]/r.ExampleWGrad[depth-1])
					ar = append(ar, r.ActRMS[depth-1]/r.ActRMS[0])
					for l := 0; l < depth; l++ {
						records.Rows = append(records.Rows, []string{v, kit.Ftoa(g), kit.Itoa(depth), kit.Itoa(seed), kit.Itoa(l + 1),
							kit.Ftoa(r.PreActGrad[l]), kit.Ftoa(r.WeightGrad[l]), kit.Ftoa(r.ExampleWGrad[l]), kit.Ftoa(r.ActRMS[l]), kit.Ftoa(mfZ[l]), kit.Ftoa(mfAct[l])})
					}
				}
				s := initStats{z: kit.LogStats(zr), w: kit.LogStats(wr), example: kit.LogStats(er), act: kit.LogStats(ar),
					mfZ: metrics.Log10(mfZ[0] / mfZ[depth-1]), mfAct: metrics.Log10(mfAct[depth-1] / mfAct[0])}
				stats[k] = s
				zRow = append(zRow, fmt.Sprintf("%s (%s)", kit.FmtEstimate(s.z, 2), kit.FmtFloat(s.mfZ, 2)))
				wRow = append(wRow, fmt.Sprintf("%s / %s", kit.FmtEstimate(s.w, 2), kit.FmtFloat(s.example.Mean, 2)))
				aRow = append(aRow, fmt.Sprintf("%s (%s)", kit.FmtEstimate(s.act, 2), kit.FmtFloat(s.mfAct, 2)))
			}
			zTable.Rows = append(zTable.Rows, zRow)
			wTable.Rows = append(wTable.Rows, wRow)
			aTable.Rows = append(aTable.Rows, aRow)
		}
	}
	res.Tables = append(res.Tables, zTable, wTable, aTable)
	res.Records = append(res.Records, records)

	// One figure per gain: the three per-layer quantities side by side.
	layers := make([]float64, verdictDepth)
	for l := range layers {
		layers[l] = float64(l + 1)
	}
	for _, g := range c.Gains {
		fig := result.Figure{Name: fmt.Sprintf("gradient-by-layer-g%g", g), Columns: 3,
			Title: fmt.Sprintf("Gain g = %g (Var(w) = %g/fan_in): gradients and activations by layer, depth %d, at initialisation", g, g, verdictDepth),
			Caption: fmt.Sprintf("Geometric mean over seeds with 95%% CI band; dashed: mean-field prediction (for ||dL/dz_l|| anchored at the last hidden layer). Layer 1 is next to the input. "+
				"ReLU's critical gain is 2: above it ||dL/dz_l|| grows by sqrt(g/2) per layer towards the input (here %.2f) and the activations by as much towards the output.", math.Sqrt(g/2))}
		zPanel := result.Panel{Kind: result.LinePanel, Title: "back-propagated gradient", XLabel: "hidden layer", YLabel: "||dL/dz_l||", LogY: true}
		aPanel := result.Panel{Kind: result.LinePanel, Title: "activations", XLabel: "hidden layer", YLabel: "||h_l|| per example (RMS)", LogY: true}
		wPanel := result.Panel{Kind: result.LinePanel, Title: "weight gradient", XLabel: "hidden layer", YLabel: "||dL/dW_l||", LogY: true}
		for vi, v := range c.Variants {
			rs := grads[explodingKey{v, g, verdictDepth}]
			mf, mfAct := meanFieldInit(c, v, g, verdictDepth)
			perLayer := func(get func(explodingResult) []float64) func(int) []float64 {
				return func(l int) []float64 {
					out := make([]float64, len(rs))
					for i, r := range rs {
						out[i] = get(r)[l]
					}
					return out
				}
			}
			zPanel.Lines = append(zPanel.Lines,
				kit.GeoMeanLine(v, layers, perLayer(func(r explodingResult) []float64 { return r.PreActGrad }), vi),
				result.Line{Label: v + " (theory)", X: layers, Y: kit.AnchoredPrediction(mf, meanOfExploding(rs, func(r explodingResult) float64 { return r.PreActGrad[verdictDepth-1] })), Theory: true, Style: vi})
			aPanel.Lines = append(aPanel.Lines,
				kit.GeoMeanLine(v, layers, perLayer(func(r explodingResult) []float64 { return r.ActRMS }), vi),
				result.Line{Label: v + " (theory)", X: layers, Y: mfAct, Theory: true, Style: vi})
			wPanel.Lines = append(wPanel.Lines, kit.GeoMeanLine(v, layers, perLayer(func(r explodingResult) []float64 { return r.WeightGrad }), vi))
		}
		fig.Panels = []result.Panel{zPanel, aPanel, wPanel}
		res.Figures = append(res.Figures, fig)
	}

	// The growth per layer against the gain, one row of panels per depth: the
	// L-1'th root of the first-to-last ratio, so that depths compare and
	// sigmoid's tiny ratios do not squeeze the others into a line.
	byGain := result.Figure{Name: "growth-by-gain", Columns: 3, Title: "Growth per layer against the weight gain, at initialisation",
		Caption: "Geometric mean over seeds with 95% CI band of the (L-1)th root of a first-to-last-layer ratio; dashed: mean-field prediction (sqrt(g/2) for ReLU). Above 1: growth. " +
			"Left: back-propagated gradient, per layer towards the input. Middle: activations, per layer towards the output. Right: weight gradient, per layer towards the input."}
	for _, depth := range c.Depths {
		per := 1 / float64(depth-1)
		zPanel := result.Panel{Kind: result.LinePanel, Title: fmt.Sprintf("depth %d: ||dL/dz|| per layer back", depth), XLabel: "gain g", YLabel: "factor per layer", LogY: true}
		aPanel := result.Panel{Kind: result.LinePanel, Title: fmt.Sprintf("depth %d: ||h|| per layer forward", depth), XLabel: "gain g", YLabel: "factor per layer", LogY: true}
		wPanel := result.Panel{Kind: result.LinePanel, Title: fmt.Sprintf("depth %d: ||dL/dW|| per layer back", depth), XLabel: "gain g", YLabel: "factor per layer", LogY: true}
		root := func(x float64) float64 { return kit.Pow10(x * per) }
		for vi, v := range c.Variants {
			var z, zlo, zhi, zth, a, alo, ahi, ath, w, wlo, whi []float64
			for _, g := range c.Gains {
				s := stats[explodingKey{v, g, depth}]
				z, zlo, zhi, zth = append(z, root(s.z.Mean)), append(zlo, root(s.z.Lo)), append(zhi, root(s.z.Hi)), append(zth, root(s.mfZ))
				a, alo, ahi, ath = append(a, root(s.act.Mean)), append(alo, root(s.act.Lo)), append(ahi, root(s.act.Hi)), append(ath, root(s.mfAct))
				w, wlo, whi = append(w, root(s.w.Mean)), append(wlo, root(s.w.Lo)), append(whi, root(s.w.Hi))
			}
			zPanel.Lines = append(zPanel.Lines, result.Line{Label: v, X: c.Gains, Y: z, Lo: zlo, Hi: zhi, Points: true, Style: vi},
				result.Line{Label: v + " (theory)", X: c.Gains, Y: zth, Theory: true, Style: vi})
			aPanel.Lines = append(aPanel.Lines, result.Line{Label: v, X: c.Gains, Y: a, Lo: alo, Hi: ahi, Points: true, Style: vi},
				result.Line{Label: v + " (theory)", X: c.Gains, Y: ath, Theory: true, Style: vi})
			wPanel.Lines = append(wPanel.Lines, result.Line{Label: v, X: c.Gains, Y: w, Lo: wlo, Hi: whi, Points: true, Style: vi})
		}
		byGain.Panels = append(byGain.Panels, zPanel, aPanel, wPanel)
	}
	res.Figures = append(res.Figures, byGain)
	return stats
}

func meanOfExploding(rs []explodingResult, get func(explodingResult) float64) float64 {
	var s float64
	for _, r := range rs {
		s += get(r)
	}
	return s / float64(len(rs))
}

// explodesDecades is how much a gradient must grow across the net, in
// decades, to count as exploding: more than tenfold, the mirror image of the
// vanishing experiment's "keeps its strength within one decade".
const explodesDecades = 1.0

// The C7 rule at initialisation, at the verdict depth, on
// log10(||dL/dz_1|| / ||dL/dz_L||): an activation explodes at a gain if the
// lower end of the 95% CI exceeds one decade. CONFIRMED if ReLU explodes at
// every measured gain above its critical 2 and neither tanh nor sigmoid
// explodes at any measured gain; REFUTED if ReLU explodes at no gain above
// 2; MIXED otherwise. The returned note says whether the weight gradient
// shows the explosion, from the numbers.
func explodingInitVerdict(c *Config, depth int, stats map[explodingKey]initStats) (result.Verdict, string) {
	v := result.Verdict{Claim: "C7",
		Statement: "ReLU gradients explode with depth above the critical gain, while tanh and sigmoid gradients do not (at initialisation)",
		Rule: fmt.Sprintf("at depth %d, on log10(||dL/dz_1||/||dL/dz_L||) with Var(w) = g/fan_in: an activation explodes at gain g if the lower 95%% CI bound exceeds %g (more than tenfold growth). "+
			"CONFIRMED if ReLU explodes at every measured gain above 2 and neither tanh nor sigmoid explodes at any measured gain; REFUTED if ReLU explodes at no gain above 2; MIXED otherwise", depth, explodesDecades)}
	get := func(variant string, g float64) (initStats, bool) {
		s, ok := stats[explodingKey{variant, g, depth}]
		return s, ok && s.z.N > 0
	}
	var super []float64
	for _, g := range c.Gains {
		if g > 2 {
			super = append(super, g)
		}
	}
	if !slices.Contains(c.Variants, "relu") || len(super) == 0 {
		v.Outcome = result.Mixed
		v.Why = "the configuration measured no ReLU net above the critical gain 2, so the rule cannot be applied."
		return v, ""
	}
	top := slices.Max(c.Gains)
	explodes := func(s initStats) bool { return s.z.Lo > explodesDecades }
	reluAll, reluAny := true, false
	var reluParts []string
	for _, g := range super {
		s, _ := get("relu", g)
		v.Evidence = append(v.Evidence, result.Evidence{Name: fmt.Sprintf("relu g=%g depth %d log10(first/last) of ||dL/dz||", g, depth), Estimate: s.z, Unit: "log10"})
		reluParts = append(reluParts, fmt.Sprintf("10^%.1f at g=%g", s.z.Mean, g))
		if explodes(s) {
			reluAny = true
		} else {
			reluAll = false
		}
	}
	var bounded []string // saturating activations that explode somewhere
	var boundedParts []string
	for _, name := range []string{"tanh", "sigmoid"} {
		if !slices.Contains(c.Variants, name) {
			continue
		}
		worst := ""
		for _, g := range c.Gains {
			if s, ok := get(name, g); ok && explodes(s) && worst == "" {
				worst = fmt.Sprintf("%s from g=%g (10^%.1f)", name, g, s.z.Mean)
			}
		}
		s, _ := get(name, top)
		v.Evidence = append(v.Evidence, result.Evidence{Name: fmt.Sprintf("%s g=%g depth %d log10(first/last) of ||dL/dz||", name, top, depth), Estimate: s.z, Unit: "log10"})
		boundedParts = append(boundedParts, fmt.Sprintf("%s 10^%.1f", name, s.z.Mean))
		if worst != "" {
			bounded = append(bounded, worst)
		}
	}
	reluTop, _ := get("relu", top)
	v.Evidence = append(v.Evidence,
		result.Evidence{Name: fmt.Sprintf("relu g=%g depth %d log10(last/first) of activation norms", top, depth), Estimate: reluTop.act, Unit: "log10"},
		result.Evidence{Name: fmt.Sprintf("relu g=%g depth %d log10(first/last) of ||dL/dW||", top, depth), Estimate: reluTop.w, Unit: "log10"})
	if s, ok := get("tanh", top); ok {
		v.Evidence = append(v.Evidence, result.Evidence{Name: fmt.Sprintf("tanh g=%g depth %d log10(last/first) of activation norms", top, depth), Estimate: s.act, Unit: "log10"})
	}
	switch {
	case !reluAny:
		v.Outcome = result.Refuted
	case reluAll && len(bounded) == 0:
		v.Outcome = result.Confirmed
	default:
		v.Outcome = result.Mixed
	}
	why := fmt.Sprintf("At depth %d ReLU's back-propagated gradient grows from the last hidden layer to the first by %s", depth, strings.Join(reluParts, ", "))
	if len(boundedParts) > 0 {
		why += fmt.Sprintf(", against %s at g=%g", strings.Join(boundedParts, " and "), top)
	}
	if len(bounded) > 0 {
		why += fmt.Sprintf("; %s also explodes, though its activations stay bounded", strings.Join(bounded, " and "))
	}
	reluCrit, hasCrit := get("relu", 2)
	note := weightGradientNote(depth, top, reluTop, reluCrit, hasCrit)
	if note != "" {
		why += fmt.Sprintf("; ReLU's per-example weight gradient stays flat (10^%.2f at g=%g), so weight-gradient norms hide the explosion", reluTop.example.Mean, top)
	}
	v.Why = why + "."
	return v, note
}

// weightGradientNote states, when the numbers show it, that ReLU's weight
// gradient stays nearly flat while its back-propagated gradient explodes.
// Flat is judged on the per-example weight gradient, the quantity
// mean-field theory predicts to be flat: the whole 95% CI of its
// log10(first/last) within half a decade. The batch weight gradient is
// reported beside it, with its value at the critical gain 2 (crit), where
// nothing explodes, to tell a depth trend of its own from the explosion.
// Without those facts the note is empty.
func weightGradientNote(depth int, gain float64, s, crit initStats, hasCrit bool) string {
	if s.z.N == 0 || !(s.z.Lo > explodesDecades) || !(s.example.Lo >= -0.5 && s.example.Hi <= 0.5) {
		return ""
	}
	note := fmt.Sprintf("Weight gradients hide the explosion: in a ReLU net at gain %g and depth %d, ||dL/dz|| grows by 10^%.2f from the last hidden layer to the first, "+
		"but the per-example weight gradient ||h_{l-1}|| ||dz_l|| changes by only 10^%.2f [%.2f, %.2f], because the layer inputs shrink by as much going back (the activations grow 10^%.2f going forward). "+
		"The batch weight gradient ||dL/dW|| changes by 10^%.2f [%.2f, %.2f]",
		gain, depth, s.z.Mean, s.example.Mean, s.example.Lo, s.example.Hi, s.act.Mean, s.w.Mean, s.w.Lo, s.w.Hi)
	switch {
	case hasCrit && math.Abs(s.w.Mean-crit.w.Mean) < 0.5:
		note += fmt.Sprintf(", about as much as at the critical gain 2 (10^%.2f), where nothing explodes: its trend comes from how the per-example gradients add up over a batch, not from the gain", crit.w.Mean)
	case hasCrit:
		note += fmt.Sprintf(", against 10^%.2f at the critical gain 2", crit.w.Mean)
	}
	return note + ". Reading weight-gradient norms alone, a common check, misses an exploding back-propagated gradient."
}

// chanceAccuracy is what a diverged run counts as in accuracy means (ten
// classes); learnsAccuracy is the mean test accuracy from which a remedy
// counts as letting the net learn.
const (
	chanceAccuracy = 0.1
	learnsAccuracy = 0.5
)

// remedyStats summarises the runs of one remedy at one learning rate.
type remedyStats struct {
	runs, diverged int
	divergedFrac   metrics.Estimate // proportion diverged
	divStep        metrics.Estimate // step of divergence, over the diverged runs
	testAcc        metrics.Estimate // diverged runs count as chance
	trainAcc       metrics.Estimate
	maxNorm        metrics.Estimate // log10 of the largest raw gradient norm
	maxNorms       []float64        // the largest raw gradient norm of each run
	meanNorms      []float64        // the mean raw gradient norm of each run
	maxApplied     float64          // largest applied norm over all runs
	dead           metrics.Estimate
}

func statsOfRemedy(rs []explodingResult) remedyStats {
	s := remedyStats{runs: len(rs)}
	var steps, test, train, maxN, meanN, dead []float64
	for _, r := range rs {
		o := r.Train
		if o.Diverged {
			s.diverged++
			steps = append(steps, float64(o.DivergedStep))
			test, train = append(test, chanceAccuracy), append(train, chanceAccuracy)
		} else {
			test, train = append(test, o.Final().TestAcc), append(train, o.Final().TrainAcc)
		}
		maxN = append(maxN, o.MaxGradNorm)
		meanN = append(meanN, r.MeanGradNorm)
		s.maxApplied = math.Max(s.maxApplied, r.MaxAppliedNorm)
		if r.Dead != nil {
			dead = append(dead, *r.Dead)
		}
	}
	s.divergedFrac = metrics.ProportionCI(s.diverged, s.runs)
	s.divStep = metrics.MeanCI(steps).Clamp(1, math.Inf(1))
	s.testAcc, s.trainAcc = metrics.MeanCI(test).Clamp(0, 1), metrics.MeanCI(train).Clamp(0, 1)
	s.maxNorm, s.maxNorms, s.meanNorms = kit.LogStats(maxN), maxN, meanN
	s.dead = metrics.MeanCI(dead).Clamp(0, 1)
	return s
}

// learns: no run diverged and the mean test accuracy reaches learnsAccuracy.
func (s remedyStats) learns() bool {
	return s.runs > 0 && s.diverged == 0 && s.testAcc.Mean >= learnsAccuracy
}

// summarizeExplodingTraining adds part 2's tables, records and figures to
// res and returns its verdicts.
func summarizeExplodingTraining(c *Config, trains map[remedyRun][]explodingResult, res *result.Result) []result.Verdict {
	runs := c.trainRuns()
	stats := map[remedyRun]remedyStats{}
	records := result.Table{Name: "training", Title: "Every MNIST training run",
		Columns: []string{"remedy", "batch_norm", "clip", "lr", "seed", "diverged", "diverged_step", "steps", "max_grad_norm", "mean_grad_norm", "max_applied_norm",
			"final_epoch", "train_loss", "train_acc", "test_loss", "test_acc", "dead_fraction"}}
	curves := result.Table{Name: "loss-curves", Title: "Training loss, mean over each window of steps",
		Columns: []string{"remedy", "lr", "seed", "step", "loss"}}
	for _, r := range runs {
		rs := trains[r]
		stats[r] = statsOfRemedy(rs)
		name := remedy(r.BN, r.Clip)
		for seed, x := range rs {
			o := x.Train
			f := o.Final()
			dead := "NaN"
			if x.Dead != nil {
				dead = kit.Ftoa(*x.Dead)
			}
			records.Rows = append(records.Rows, []string{name, fmt.Sprint(r.BN), kit.Ftoa(r.Clip), kit.Ftoa(r.LR), kit.Itoa(seed), fmt.Sprint(o.Diverged), kit.Itoa(o.DivergedStep), kit.Itoa(o.Steps),
				kit.Ftoa(o.MaxGradNorm), kit.Ftoa(x.MeanGradNorm), kit.Ftoa(x.MaxAppliedNorm), kit.Itoa(f.Epoch), kit.Ftoa(f.TrainLoss), kit.Ftoa(f.TrainAcc), kit.Ftoa(f.TestLoss), kit.Ftoa(f.TestAcc), dead})
			for i, step := range x.LossSteps {
				curves.Rows = append(curves.Rows, []string{name, kit.Ftoa(r.LR), kit.Itoa(seed), kit.Itoa(step), kit.Ftoa(x.Loss[i])})
			}
		}
	}
	res.Records = append(res.Records, records, curves)

	// The remedies at the judged learning rate.
	table := result.Table{Name: "remedies", Title: fmt.Sprintf("Remedies at learning rate %g (%s, %d hidden layers of %d, %d epoch(s) on %d MNIST examples), mean [95%% CI] over seeds",
		c.LR, c.Optimizer, c.TrainDepth, c.TrainWidth, c.Epochs, c.TrainExamples),
		Columns: []string{"remedy", "diverged", "step of divergence", "largest ||g||", "mean ||g||", "largest applied ||g||", "train accuracy", "test accuracy", "dead units"},
		Note: "||g|| is the global gradient norm before clipping, median over seeds (smallest to largest), the mean ||g|| over each run's finite steps; the applied norm is the largest after clipping over all runs. A diverged run (NaN/Inf loss or gradient) counts as chance (0.1) in the accuracies. " +
			"Train accuracy is the running accuracy over the last epoch's batches. Dead units: hidden units that output 0 on every test example after training (runs that did not diverge)."}
	var atLR []remedyRun
	for _, r := range runs {
		if r.LR == c.LR {
			atLR = append(atLR, r)
		}
	}
	sort.SliceStable(atLR, func(i, j int) bool { return remedyOrder(atLR[i], c.Clip) < remedyOrder(atLR[j], c.Clip) })
	for _, r := range atLR {
		s := stats[r]
		table.Rows = append(table.Rows, []string{remedy(r.BN, r.Clip), fmt.Sprintf("%d of %d", s.diverged, s.runs), kit.FmtEstimate(s.divStep, 1),
			fmtMedianRange(s.maxNorms), fmtMedianRange(s.meanNorms), fmt.Sprintf("%.3g", s.maxApplied), kit.FmtEstimate(s.trainAcc, 3), kit.FmtEstimate(s.testAcc, 3), kit.FmtEstimate(s.dead, 2)})
	}

	// Every remedy that ran at every learning rate, against the learning rate.
	lrs := c.trainLRs()
	lrHeaders := make([]string, len(lrs))
	for i, lr := range lrs {
		lrHeaders[i] = fmt.Sprintf("lr %g", lr)
	}
	byLR := result.Table{Name: "remedies-by-lr", Title: "Test accuracy by learning rate, mean [95% CI] over seeds (runs diverged)",
		Columns: append([]string{"remedy"}, lrHeaders...),
		Note:    "A diverged run counts as chance (0.1). A blank cell was not run."}
	lrFig := result.Figure{Name: "remedies-by-lr", Columns: 2, Title: "Divergence and accuracy against the learning rate",
		Caption: fmt.Sprintf("Left: fraction of runs whose loss or gradient became NaN or infinite (95%% Wilson interval). Right: final test accuracy, mean over seeds with 95%% CI band, a diverged run counting as chance (0.1). "+
			"Plain SGD, %d hidden layers of %d, %d epoch(s) on %d examples.", c.TrainDepth, c.TrainWidth, c.Epochs, c.TrainExamples)}
	divPanel := result.Panel{Kind: result.LinePanel, Title: "runs diverged", XLabel: "learning rate", YLabel: "fraction diverged", LogX: true, YMin: -0.05, YMax: 1.05}
	accPanel := result.Panel{Kind: result.LinePanel, Title: "final test accuracy", XLabel: "learning rate", YLabel: "test accuracy", LogX: true, YMin: 0, YMax: 1}
	headline := []remedyRun{{false, 0, 0}, {false, c.Clip, 0}}
	if c.BN {
		headline = append(headline, remedyRun{true, 0, 0}, remedyRun{true, c.Clip, 0})
	}
	for i, h := range headline {
		row := []string{remedy(h.BN, h.Clip)}
		var xs, dv, dlo, dhi, acc, alo, ahi []float64
		for _, lr := range lrs {
			s, ok := stats[remedyRun{h.BN, h.Clip, lr}]
			if !ok || s.runs == 0 {
				row = append(row, "")
				continue
			}
			row = append(row, fmt.Sprintf("%s (%d/%d)", kit.FmtEstimate(s.testAcc, 3), s.diverged, s.runs))
			xs = append(xs, lr)
			dv, dlo, dhi = append(dv, s.divergedFrac.Mean), append(dlo, s.divergedFrac.Lo), append(dhi, s.divergedFrac.Hi)
			acc, alo, ahi = append(acc, s.testAcc.Mean), append(alo, s.testAcc.Lo), append(ahi, s.testAcc.Hi)
		}
		byLR.Rows = append(byLR.Rows, row)
		label := remedy(h.BN, h.Clip)
		divPanel.Lines = append(divPanel.Lines, result.Line{Label: label, X: xs, Y: dv, Lo: dlo, Hi: dhi, Points: true, Style: i})
		accPanel.Lines = append(accPanel.Lines, result.Line{Label: label, X: xs, Y: acc, Lo: alo, Hi: ahi, Points: true, Style: i})
	}
	lrFig.Panels = []result.Panel{divPanel, accPanel}
	res.Tables = append(res.Tables, table, byLR)

	// Loss curves at the judged learning rate, one panel per headline remedy.
	lossFig := result.Figure{Name: "loss-curves", Columns: 2, Title: fmt.Sprintf("Training loss at learning rate %g, one line per seed", c.LR),
		Caption: fmt.Sprintf("Mean training loss over each window of %d steps (log scale); a cross marks the step at which a run's loss or gradient became NaN or infinite, at the height of its last finite window. "+
			"Dashed: ln 10, the loss of a uniform guess.", c.LossEvery)}
	// The reference line spans the longest run in any panel, so that every
	// panel shares the step axis and an early divergence looks early.
	maxStep := 1
	for _, h := range headline {
		for _, x := range trains[remedyRun{h.BN, h.Clip, c.LR}] {
			maxStep = max(maxStep, x.Train.Steps)
		}
	}
	for i, h := range headline {
		r := remedyRun{h.BN, h.Clip, c.LR}
		s := stats[r]
		pn := result.Panel{Kind: result.LinePanel, Title: fmt.Sprintf("%s (%d of %d diverged)", remedy(r.BN, r.Clip), s.diverged, s.runs),
			XLabel: "training step", YLabel: "training loss", LogY: true}
		for _, x := range trains[r] {
			pn.Lines = append(pn.Lines, result.Line{X: intsToFloats(x.LossSteps), Y: x.Loss, Style: i})
			if x.Train.Diverged {
				y := math.Log(10)
				if n := len(x.Loss); n > 0 {
					y = x.Loss[n-1]
				}
				pn.Markers = append(pn.Markers, result.Marker{Label: "diverged (NaN/Inf)", X: float64(x.Train.DivergedStep), Y: y, Style: 6})
			}
		}
		pn.Lines = append(pn.Lines, result.Line{Label: "ln 10 (uniform guess)", X: []float64{0, float64(maxStep)}, Y: []float64{math.Log(10), math.Log(10)}, Theory: true, Style: 6})
		lossFig.Panels = append(lossFig.Panels, pn)
	}
	res.Figures = append(res.Figures, lossFig, lrFig)

	// The clipping sweep at the judged learning rate.
	var thresholds []float64
	for _, r := range runs {
		if !r.BN && r.Clip > 0 && r.LR == c.LR {
			thresholds = append(thresholds, r.Clip)
		}
	}
	slices.Sort(thresholds)
	if len(thresholds) > 1 {
		sweepFig := result.Figure{Name: "clip-sweep", Columns: 2, Title: fmt.Sprintf("Clipping by global norm: threshold sweep at learning rate %g", c.LR),
			Caption: "Left: final test accuracy (mean over seeds, 95% CI band; a diverged run counts as chance), with the runs without remedy and with BatchNorm alone as flat dashed references. " +
				"Right: the largest and the mean gradient norm before clipping in each run (geometric mean over seeds, 95% CI band) and, dashed, the threshold itself: above it every update is scaled down to the threshold."}
		accP := result.Panel{Kind: result.LinePanel, Title: "final test accuracy", XLabel: "clipping threshold", YLabel: "test accuracy", LogX: true, YMin: 0, YMax: 1}
		normP := result.Panel{Kind: result.LinePanel, Title: "gradient norm before clipping", XLabel: "clipping threshold", YLabel: "||g|| before clipping", LogX: true, LogY: true}
		var acc, alo, ahi, nm, nlo, nhi, mm, mlo, mhi []float64
		for _, t := range thresholds {
			s := stats[remedyRun{false, t, c.LR}]
			acc, alo, ahi = append(acc, s.testAcc.Mean), append(alo, s.testAcc.Lo), append(ahi, s.testAcc.Hi)
			nm, nlo, nhi = append(nm, kit.Pow10(s.maxNorm.Mean)), append(nlo, kit.Pow10(s.maxNorm.Lo)), append(nhi, kit.Pow10(s.maxNorm.Hi))
			e := kit.LogStats(s.meanNorms)
			mm, mlo, mhi = append(mm, kit.Pow10(e.Mean)), append(mlo, kit.Pow10(e.Lo)), append(mhi, kit.Pow10(e.Hi))
		}
		accP.Lines = append(accP.Lines, result.Line{Label: "clip only", X: thresholds, Y: acc, Lo: alo, Hi: ahi, Points: true, Style: 1})
		ends := []float64{thresholds[0], thresholds[len(thresholds)-1]}
		for _, ref := range []struct {
			bn    bool
			style int
		}{{false, 0}, {true, 2}} {
			if s, ok := stats[remedyRun{ref.bn, 0, c.LR}]; ok && s.runs > 0 {
				label := fmt.Sprintf("%s (%d of %d diverged)", remedy(ref.bn, 0), s.diverged, s.runs)
				accP.Lines = append(accP.Lines, result.Line{Label: label, X: ends, Y: []float64{s.testAcc.Mean, s.testAcc.Mean}, Theory: true, Style: ref.style})
			}
		}
		normP.Lines = append(normP.Lines, result.Line{Label: "largest in the run", X: thresholds, Y: nm, Lo: nlo, Hi: nhi, Points: true, Style: 1},
			result.Line{Label: "mean over the run", X: thresholds, Y: mm, Lo: mlo, Hi: mhi, Points: true, Style: 4},
			result.Line{Label: "threshold", X: thresholds, Y: thresholds, Theory: true, Style: 6})
		sweepFig.Panels = []result.Panel{accP, normP}
		res.Figures = append(res.Figures, sweepFig)
	}

	if note := clipNote(c, stats, thresholds); note != "" {
		res.Notes = append(res.Notes, note)
	}
	return []result.Verdict{remediesVerdict(c, stats, thresholds), batchNormRangeVerdict(c, stats)}
}

// clipNote relates the clipping thresholds to the gradient norms the net
// has when it trains well, as Pascanu et al. 2013 do (they found thresholds
// of 0.5 to 10 times the average norm to work): the reference is the mean
// gradient norm without remedy at the smallest learning rate run.
func clipNote(c *Config, stats map[remedyRun]remedyStats, thresholds []float64) string {
	lrs := c.trainLRs()
	ref, ok := stats[remedyRun{false, 0, lrs[0]}]
	if !ok || ref.runs == 0 || ref.diverged > 0 || len(thresholds) == 0 {
		return ""
	}
	norm := metrics.MeanCI(ref.meanNorms)
	var parts []string
	for _, t := range thresholds {
		s := stats[remedyRun{false, t, c.LR}]
		parts = append(parts, fmt.Sprintf("%g (%.2gx): %.2f", t, t/norm.Mean, s.testAcc.Mean))
	}
	return fmt.Sprintf("Clipping thresholds against the gradient norm: without remedy at learning rate %g the mean global gradient norm was %.2f [%.2f, %.2f]. "+
		"Pascanu et al. (2013) found thresholds of 0.5 to 10 times the average norm to work. At learning rate %g, test accuracy by threshold (multiple of that norm): %s. "+
		"With clipping, no update is longer than learning rate x threshold.",
		lrs[0], norm.Mean, norm.Lo, norm.Hi, c.LR, strings.Join(parts, "; "))
}

// remedyOrder sorts the remedies at one learning rate: none, clip at the
// blog's threshold, bn, both, then the other thresholds in increasing order.
func remedyOrder(r remedyRun, clip float64) float64 {
	switch {
	case !r.BN && r.Clip == 0:
		return -4
	case !r.BN && r.Clip == clip:
		return -3
	case r.BN && r.Clip == 0:
		return -2
	case r.BN:
		return -1
	}
	return r.Clip
}

// The C7 rule in training, at the judged learning rate: it only applies if
// every run without remedy diverged there. A remedy copes if none of its
// runs diverged and its mean test accuracy reaches learnsAccuracy.
// CONFIRMED if clipping at the blog's threshold and BatchNorm both cope;
// REFUTED if neither stops the divergence; MIXED otherwise.
func remediesVerdict(c *Config, stats map[remedyRun]remedyStats, thresholds []float64) result.Verdict {
	v := result.Verdict{Claim: "C7",
		Statement: fmt.Sprintf("clipping by global norm at %g and BatchNorm each let a deep ReLU net train at a learning rate where it otherwise diverges", c.Clip),
		Rule: fmt.Sprintf("at learning rate %g, if every run without remedy diverged (NaN/Inf): a remedy copes if none of its runs diverged and its mean MNIST test accuracy is >= %.1f. "+
			"CONFIRMED if clipping at %g and BatchNorm both cope; REFUTED if neither prevents divergence; MIXED otherwise (also when the plain net did not diverge in every run)", c.LR, learnsAccuracy, c.Clip)}
	plain := stats[remedyRun{false, 0, c.LR}]
	clip := stats[remedyRun{false, c.Clip, c.LR}]
	bn, hasBN := stats[remedyRun{true, 0, c.LR}]
	add := func(name string, e metrics.Estimate) {
		v.Evidence = append(v.Evidence, result.Evidence{Name: name, Estimate: e})
	}
	add(fmt.Sprintf("no remedy, lr %g: fraction of runs diverged", c.LR), plain.divergedFrac)
	if plain.diverged > 0 {
		add(fmt.Sprintf("no remedy, lr %g: step of divergence", c.LR), plain.divStep)
	}
	add(fmt.Sprintf("clip %g, lr %g: fraction of runs diverged", c.Clip, c.LR), clip.divergedFrac)
	add(fmt.Sprintf("clip %g, lr %g: test accuracy", c.Clip, c.LR), clip.testAcc)
	if hasBN {
		add(fmt.Sprintf("bn, lr %g: fraction of runs diverged", c.LR), bn.divergedFrac)
		add(fmt.Sprintf("bn, lr %g: test accuracy", c.LR), bn.testAcc)
	}
	describe := func(name string, s remedyStats) string {
		return fmt.Sprintf("%s: %d of %d diverged, test accuracy %.3f", name, s.diverged, s.runs, s.testAcc.Mean)
	}
	// Which thresholds of the sweep coped, for the sentence.
	var coped []string
	for _, t := range thresholds {
		if stats[remedyRun{false, t, c.LR}].learns() {
			coped = append(coped, fmt.Sprintf("%g", t))
		}
	}
	sweep := ""
	if len(thresholds) > 1 {
		if len(coped) == 0 {
			sweep = fmt.Sprintf("; no clipping threshold in %v let the net learn", thresholds)
		} else {
			sweep = fmt.Sprintf("; of the thresholds %v, clipping at %s let the net learn", thresholds, strings.Join(coped, ", "))
		}
	}
	if plain.runs == 0 || plain.diverged < plain.runs {
		v.Outcome = result.Mixed
		v.Why = fmt.Sprintf("Without remedy only %d of %d runs diverged at learning rate %g, so the remedies were not tested against a reliable divergence; choose a larger --lr.", plain.diverged, plain.runs, c.LR)
		return v
	}
	clipPrevents, bnPrevents := clip.diverged == 0, hasBN && bn.diverged == 0
	switch {
	case clip.learns() && hasBN && bn.learns():
		v.Outcome = result.Confirmed
	case !clipPrevents && !bnPrevents:
		v.Outcome = result.Refuted
	default:
		v.Outcome = result.Mixed
	}
	why := fmt.Sprintf("At learning rate %g every run without remedy diverged (mean step %.1f); %s", c.LR, plain.divStep.Mean, describe(fmt.Sprintf("clipping at %g", c.Clip), clip))
	if clipPrevents && !clip.learns() {
		why += " (no NaN, but the net did not learn)"
	}
	if hasBN {
		why += "; " + describe("BatchNorm", bn)
	}
	v.Why = why + sweep + "."
	return v
}

// The C11 rule (its BatchNorm half; dropout is the overfitting
// experiment's): over the learning rates where both ran, the set at which a
// ReLU net learns (no run diverged, mean test accuracy >= learnsAccuracy)
// with BatchNorm against without. CONFIRMED if BatchNorm learns at every
// rate the plain net learns at and at least one more; REFUTED if it learns
// at no rate the plain net fails at; MIXED otherwise.
func batchNormRangeVerdict(c *Config, stats map[remedyRun]remedyStats) result.Verdict {
	v := result.Verdict{Claim: "C11",
		Statement: "BatchNorm is what lets a deep ReLU net train across learning rates (the BatchNorm half of C11; dropout is tested by the overfitting experiment)",
		Rule: fmt.Sprintf("over the learning rates run both with and without BatchNorm: a net learns at a rate if none of its runs diverged and its mean test accuracy is >= %.1f. "+
			"CONFIRMED if BatchNorm learns at every rate the plain net learns at and at least one more; REFUTED if BatchNorm learns at no rate where the plain net fails; MIXED otherwise", learnsAccuracy)}
	if !c.BN {
		v.Outcome = result.Mixed
		v.Why = "BatchNorm was not run (--bn=false), so the rule cannot be applied."
		return v
	}
	var plainOK, bnOK []string
	superset, extra := true, false
	bestPlain, bestBN := metrics.Estimate{Mean: math.Inf(-1)}, metrics.Estimate{Mean: math.Inf(-1)}
	var bestPlainLR, bestBNLR float64
	for _, lr := range c.trainLRs() {
		p, okP := stats[remedyRun{false, 0, lr}]
		b, okB := stats[remedyRun{true, 0, lr}]
		if !okP || !okB || p.runs == 0 || b.runs == 0 {
			continue
		}
		if p.learns() {
			plainOK = append(plainOK, fmt.Sprintf("%g", lr))
			if !b.learns() {
				superset = false
			}
		} else if b.learns() {
			extra = true
		}
		if b.learns() {
			bnOK = append(bnOK, fmt.Sprintf("%g", lr))
		}
		if p.testAcc.Mean > bestPlain.Mean {
			bestPlain, bestPlainLR = p.testAcc, lr
		}
		if b.testAcc.Mean > bestBN.Mean {
			bestBN, bestBNLR = b.testAcc, lr
		}
	}
	v.Evidence = append(v.Evidence,
		result.Evidence{Name: fmt.Sprintf("no remedy, best test accuracy (lr %g)", bestPlainLR), Estimate: bestPlain},
		result.Evidence{Name: fmt.Sprintf("bn, best test accuracy (lr %g)", bestBNLR), Estimate: bestBN})
	switch {
	case superset && extra:
		v.Outcome = result.Confirmed
	case !extra:
		v.Outcome = result.Refuted
	default:
		v.Outcome = result.Mixed
	}
	list := func(xs []string) string {
		if len(xs) == 0 {
			return "none"
		}
		return strings.Join(xs, ", ")
	}
	v.Why = fmt.Sprintf("Without remedy the net learned at learning rates %s, with BatchNorm at %s; the best test accuracy was %.3f without and %.3f with BatchNorm.",
		list(plainOK), list(bnOK), bestPlain.Mean, bestBN.Mean)
	return v
}

// fmtMedianRange writes "median (smallest to largest)", for quantities
// such as gradient norms whose spread over seeds covers decades.
func fmtMedianRange(xs []float64) string {
	if len(xs) == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.3g (%.3g to %.3g)", metrics.Median(xs), slices.Min(xs), slices.Max(xs))
}

func intsToFloats(xs []int) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = float64(x)
	}
	return out
}

// explodingMemory bounds a cell's memory: the deepest net at
// initialisation, or the MNIST net.
func explodingMemory(c *Config) (perCell, shared int64) {
	perCell = kit.MLPBytes(c.Width, kit.RepeatInt(c.Width, kit.MaxOf(c.Depths)), 10, c.Batch)
	perCell = max(perCell, kit.MLPBytes(784, kit.RepeatInt(c.TrainWidth, c.TrainDepth), 10, c.TrainBatch))
	return perCell, kit.MNISTBytes
}
