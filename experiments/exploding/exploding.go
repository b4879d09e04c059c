// Package exploding is the experiment for claims C7 and C11.
//
// C7, the blog: ReLU's output is unbounded, so gradients can explode, while
// sigmoid's and tanh's do not; BatchNorm, or clipping gradients by a global
// norm of e.g. 5.0, handles it. C11: ReLU's success came together with
// BatchNorm (and dropout, which the overfitting experiment covers).
//
// Part 1 measures deep nets at initialisation with weight variance g/fan_in
// for several gains g, ReLU beside tanh and sigmoid on the same weights and
// inputs. Mean-field theory says the back-propagated gradient ||dL/dz_l|| of
// a ReLU net is multiplied by sqrt(g/2) per layer going back (so it explodes
// for g > 2), and its activations by the same factor going forward; tanh's
// is multiplied by sqrt(g E[tanh'(z)^2]), which exceeds 1 above tanh's own
// critical gain 1 but by less, because a bounded unit saturates. The weight
// gradient dL/dW_l is the outer product of layer l's input and dL/dz_l, so
// for ReLU the two trends cancel in it: reading weight-gradient norms alone,
// a common habit, hides the explosion.
//
// Part 2 trains a deep ReLU MLP on MNIST with plain SGD over a grid of
// learning rates, with no remedy, with global-norm clipping (the blog's 5.0,
// and a sweep of thresholds at the judged rate) and with BatchNorm after
// each dense layer; the plain net and BatchNorm also run at lower rates, so
// that their best stable rates (the plain net's is the reference every
// remedy is held to; C11 sets the two against each other) are not at the
// edge of their grid. Those rates are chosen on validation images held out
// of the training set and read on the test set. Every arm of seed s starts
// from the same weights and sees the same data order. A control net with a bounded activation (tanh)
// and its own initialiser trains without remedy at the plain net's rates,
// on the same seeds: if it diverges as often, the blow-up is the learning
// rate's, not ReLU's unbounded output's. A run diverges at the first step whose loss is
// above model.DivergenceCap or not finite; it stops there, and its step, the
// largest gradient norm and the loss curve up to it are recorded. So that
// the control verdict does not rest on where the cap is, both nets rerun
// with a cap ten times higher (--cap-check) and are judged again.
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
		Summary: "gradient growth by layer for gains above critical, ReLU beside tanh and sigmoid; a deep ReLU net on MNIST at a learning rate where it diverges, with global-norm clipping (5.0 and a sweep) and BatchNorm as remedies",
		Doc: `Part 1 measures, at initialisation, per-layer norms of the back-propagated
gradient ||dL/dz_l||, of the activations and of the weight gradient ||dL/dW_l||
for ReLU, tanh and sigmoid nets with weight variance g/fan_in (the three on the
same weights and inputs), beside the mean-field prediction. Part 2 trains a
deep ReLU MLP on MNIST with plain SGD over a grid of learning rates, with no
remedy, global-norm clipping (5.0 at every rate, a sweep of thresholds at the
judged rate) and BatchNorm after each dense layer, the plain net and BatchNorm
also at lower rates (--plain-lr-grid) to find their best, every arm of a seed
from the same weights and data order. Those best stable rates are chosen on
--validation images held out of the training set and read on test. A control
net of the same shape with a bounded
activation (--control-variant, tanh by default, Xavier init) trains without
remedy at every rate of the plain net on the same seeds, to tell ReLU's
divergence from the learning rate's. A run diverges at the first step whose loss is
above 10 ln(classes) or not finite; diverged runs are counted, never averaged.
Both nets are rerun at the rates of --lr-grid with the cap --cap-check times
higher, and the control verdict is judged again there: a verdict that changes
with the cap is INCONCLUSIVE.`,
		// Version 2: paired seeds (kit.Streams, Pair), divergence at the
		// loss cap, no BatchNorm + clipping arm. Version 3: a diverged
		// run's record keeps the finite loss that stopped it
		// (kit.TrainOutcome.DivergedLoss), which version 2's lack.
		Version:  3,
		Defaults: explodingDefaults,
		Profiles: []harness.Profile[Config]{harness.Longer(explodingDefaults, "training epochs",
			func(c *Config) { c.Epochs *= 2 })},
		Validate:  validateExploding,
		Cells:     explodingCells,
		Run:       runExplodingCell,
		Summarize: summarizeExploding,
		Memory:    explodingMemory,
	})
}

// Config configures the exploding experiment.
type Config struct {
	Variants    []string  `json:"variants" flag:"variant" help:"activations measured at initialisation"`
	Gains       []float64 `json:"gains" flag:"gains" help:"weight variance gains g, Var(w) = g/fan_in (ReLU's critical gain is 2)"`
	Depths      []int     `json:"depths" flag:"depths" help:"numbers of hidden layers measured at initialisation (the verdict reads the deepest)"`
	Width       int       `json:"width" flag:"width" help:"input and hidden width at initialisation"`
	Batch       int       `json:"batch" flag:"batch" help:"examples in the N(0,1) batch at initialisation"`
	Seeds       int       `json:"seeds" flag:"seeds" help:"seeds per configuration at initialisation"`
	FigureDepth int       `json:"figure_depth" flag:"figure-depth" help:"depth the per-layer figures show (the shallowest measured if absent from depths)"`

	TrainVariant  string      `json:"train_variant" flag:"train-variant" help:"activation of the trained net"`
	TrainInit     string      `json:"train_init" flag:"train-init" help:"weight initialiser of the trained net"`
	TrainDepth    int         `json:"train_depth" flag:"train-depth" help:"hidden layers of the trained net"`
	TrainWidth    int         `json:"train_width" flag:"train-width" help:"hidden width of the trained net"`
	TrainExamples int         `json:"train_examples" flag:"train-examples" help:"training examples used"`
	TestExamples  int         `json:"test_examples" flag:"test-examples" help:"test examples evaluated"`
	Validation    int         `json:"validation,omitempty" flag:"validation" help:"validation images, the last ones of the training set, never trained on: the plain net's and BatchNorm's best stable rates are chosen on them (0: chosen on test accuracy)"`
	Epochs        int         `json:"epochs" flag:"epochs" help:"training epochs"`
	TrainBatch    int         `json:"train_batch" flag:"train-batch" help:"training minibatch size"`
	Optimizer     string      `json:"optimizer" flag:"optimizer" help:"sgd, momentum or adam"`
	LR            float64     `json:"lr" flag:"lr" help:"the large learning rate at which the remedies are judged"`
	LRGrid        []float64   `json:"lr_grid" flag:"lr-grid" help:"learning rates at which no remedy, clipping and BatchNorm are also run (the plain net's best stable rate is found among them)"`
	Clip          float64     `json:"clip" flag:"clip" help:"global-norm clipping threshold (the blog's 5.0)"`
	ClipSweep     []float64   `json:"clip_sweep" flag:"clip-sweep" help:"further clipping thresholds tried at --lr"`
	PlainLRs      []float64   `json:"plain_lr_grid" flag:"plain-lr-grid" help:"further learning rates at which the plain net and BatchNorm run (not clipping), so that their best stable rates are not at the edge of their grid (a rate already in --lr-grid adds nothing)"`
	BN            bool        `json:"bn" flag:"bn" help:"include BatchNorm after each dense layer"`
	LossEvery     int         `json:"loss_every" flag:"loss-every" help:"training steps averaged into each point of the loss curves"`
	TrainSeeds    int         `json:"train_seeds" flag:"train-seeds" help:"seeds per arm of the verdicts: no remedy, clipping at --clip and BatchNorm at every rate (0 skips training)"`
	SweepSeeds    int         `json:"sweep_seeds" flag:"sweep-seeds" help:"seeds per further clipping threshold of --clip-sweep, at most train-seeds (seed s pairs with seed s of the other arms)"`
	Dataset       kit.Dataset `json:"dataset,omitzero" flag:"dataset" help:"data set of the training runs (not the gradients at initialisation): mnist or fashion-mnist"`

	ControlVariant string  `json:"control_variant" flag:"control-variant" help:"bounded activation (tanh or sigmoid) trained without remedy beside the MNIST net at every rate of the plain net, same shape, seeds and data order (empty skips)"`
	ControlInit    string  `json:"control_init" flag:"control-init" help:"weight initialiser of the control net"`
	CapCheck       float64 `json:"cap_check" flag:"cap-check" help:"a second loss cap, as a multiple of the usual 10 ln(classes), at which the plain net and the control rerun at every rate of --lr-grid, so that the control verdict is judged again where a run stops only far above the usual cap (0 skips)"`
}

func explodingDefaults(quick bool) *Config {
	c := &Config{
		Dataset:  kit.DefaultDataset,
		Variants: []string{"relu", "tanh", "sigmoid"},
		Gains:    []float64{1, 2, 3, 4},
		Depths:   []int{20, 50},
		Width:    256,
		Batch:    128,
		// A net at initialisation costs well under a second: ten seeds
		// put the minimal detectable per-layer growth (about 0.003
		// decades) far below the explosion threshold (0.033).
		Seeds:       10,
		FigureDepth: 20,

		TrainVariant:  "relu",
		TrainInit:     string(model.HeNormal),
		TrainDepth:    8,
		TrainWidth:    256,
		TrainExamples: 4000,
		TestExamples:  1000,
		// The plain net's best stable rate (C7's reference) and each arm's
		// of C11 were chosen on the test accuracy they were then read at,
		// which favours the luckiest rate. 2000 held-out images cost one
		// forward pass each at the end of a run (about 8% of the
		// training's flops at 2 epochs of 4000) and put the sampling
		// error of a rate's mean accuracy, averaged over the seeds, well
		// under the gaps between rates of the grid (0.1 or more).
		Validation: 2000,
		Epochs:     2,
		TrainBatch: 64,
		Optimizer:  "sgd",
		// Measured, not guessed (version 1's remedies-by-lr table, 5
		// seeds): at 1 every run without remedy diverged within a few
		// steps, at 0.3 one in five did, at 0.1 none; BatchNorm trained at
		// 0.1 to 1. Rate 3 (version 1) informed no verdict and was cut.
		LR:     1,
		LRGrid: []float64{0.1, 0.3, 1},
		Clip:   5,
		// 0.5 to 10 spans 0.14 to 2.8 times the plain net's mean gradient
		// norm (about 3.6 at rate 0.1), around Pascanu et al.'s 0.5x to
		// 10x; version 1's 20 failed as 5 and 10 did, and was cut.
		ClipSweep: []float64{0.5, 1, 2, 10},
		// Version 2's plain net was best at 0.1, the lowest rate of its
		// grid (0.845 test accuracy, against 0.580 at 0.3): a lower rate
		// might do better, so 0.03 is tried, for the plain net only.
		// Version 3 on Fashion-MNIST found the best at 0.03, again the
		// grid's lowest, which left C7's reference at the edge of its
		// grid: 0.01 is tried as well. BatchNorm runs at them too since
		// 2026-12-03: its best rate was 0.1, the lowest of its grid, in
		// three of the four settings.
		PlainLRs:  []float64{0.01, 0.03},
		BN:        true,
		LossEvery: 2,
		// Seeds per arm, from the SDs of version 2's records (10 seeds)
		// and MDE = (t_0.975 + t_0.80; n-1 df) SD / sqrt(n) (metrics.MDE):
		//   C7 main, clip 5 at lr 1 minus the plain net at lr 0.1: paired
		//   SD 0.0515 over the 8 runs that did not diverge (2 of 10 did);
		//   MDE 0.0594 at 8 pairs, 0.0512 at 10, 0.0483 at 11: 11 pairs
		//   put it below the 0.05 margin.
		//   C11, BatchNorm at 0.3 minus the plain net at 0.1: paired SD
		//   0.0209; MDE 0.0208 at 10 pairs, 0.0196 at 11: 11 pairs put
		//   it below the 0.02 margin.
		// Twenty seeds leave room for diverged runs: with clipping at 5
		// diverging in a fifth of the runs, 11 or more of 20 survive with
		// probability 0.997 (0.95 if it were 30%), and the expected 16
		// pairs give an MDE of 0.039; BatchNorm never diverged (0 of 30),
		// and at 20 pairs its MDE is 0.014, below 0.02 even with an SD
		// 30% larger than measured. The added cells (ten more seeds of the
		// nine arms of the verdicts, twenty of the plain net at 0.03) took
		// about 690 cell-seconds in version 2's records (7.6 s per plain
		// run at 0.1, 0.7 s at 1, 5 to 8 s per other arm, on the shared
		// machine; 0.5 to 2.5 s idle): about 6 more minutes on 2 workers
		// loaded, 2 idle.
		// Forty since 2026-12-03, in every setting alike. At 20 seeds the
		// control verdict's MDE on paired shares of diverged runs was
		// 0.21 on MNIST at the report's budget but 0.26 to 0.30 in the
		// other three settings (MNIST and Fashion-MNIST at twice the
		// epochs, Fashion-MNIST at the report's), above its 0.25
		// margin; such an MDE shrinks about as 1/sqrt(n), to 0.15 to
		// 0.22 at 40. C11's paired SD was 0.020 to 0.024 in three
		// settings (MDE about 0.010 at 40, against 0.02) but 0.049 on
		// Fashion-MNIST at the report's budget, where 40 seeds would give
		// an MDE of about 0.022 at that SD (about 50 would be needed);
		// measured at 40 seeds, with the rates chosen on validation, it
		// was 0.018. The number was fixed before any 40-seed result.
		// Forty-eight since later that day, in every setting: at 40,
		// C11's MDE on Fashion-MNIST at twice the epochs was 0.021
		// against its 0.02 margin (a decided verdict, but the rule asks
		// for seeds until the MDE is below the margin); 40 x
		// (0.021/0.02)^2 is 44, and 48 leave room.
		TrainSeeds: 48,
		// The other thresholds only word a clause of the main verdict and
		// a caveat; ten seeds (0 of 10 diverged at every one of them in
		// version 2) show each one's Wilson interval of diverged runs at
		// or below a half.
		SweepSeeds: 10,
		// The control asks whether the divergence at --lr is ReLU's
		// unbounded output or the learning rate's: the same net with a
		// bounded activation, under the initialiser meant for it
		// (Glorot & Bengio 2010), trained at every rate of the plain
		// net's grid on the same seeds.
		ControlVariant: "tanh",
		ControlInit:    string(model.XavierNormal),
		// Version 3's control verdict rested on losses just above the
		// cap: every tanh run that diverged at lr 0.3 on MNIST stopped at
		// a finite loss of 23.2 to 40.6 against the cap of 23.03. A cap
		// ten times higher (100 ln 10, about 230: a mean probability of
		// e^-230 on the right class) asks whether those runs come back
		// or really blow up.
		CapCheck: 10,
	}
	if quick {
		c.Gains = []float64{1, 2, 4}
		c.Depths = []int{10}
		c.FigureDepth = 10
		c.Width, c.Batch, c.Seeds = 64, 64, 3
		c.TrainWidth, c.TrainExamples, c.TestExamples, c.Validation = 64, 1000, 500, 500
		c.Epochs, c.TrainBatch = 1, 50
		c.LRGrid = []float64{0.1, 1}
		c.ClipSweep = []float64{0.5}
		c.LossEvery, c.TrainSeeds, c.SweepSeeds = 1, 3, 3
	}
	return c
}

func validateExploding(c *Config) error {
	if err := c.Dataset.Check(); err != nil {
		return err
	}
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
	switch {
	case c.Validation < 0:
		return fmt.Errorf("validation %d: want 0 (choose rates on test accuracy) or a number of images", c.Validation)
	case c.TrainExamples+c.Validation > kit.TrainImages:
		return fmt.Errorf("train-examples %d and validation %d overlap within the %d training images (training examples come from the front, validation images from the back)", c.TrainExamples, c.Validation, kit.TrainImages)
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
		if c.SweepSeeds < 1 || c.SweepSeeds > c.TrainSeeds {
			return fmt.Errorf("sweep-seeds must be between 1 and train-seeds (%d), got %d", c.TrainSeeds, c.SweepSeeds)
		}
	}
	if len(c.PlainLRs) > 0 {
		if err := kit.CheckPositiveFloats("plain-lr-grid", c.PlainLRs...); err != nil {
			return err
		}
	}
	if err := validateControl(c); err != nil {
		return err
	}
	if c.CapCheck != 0 && !(c.CapCheck > 1) {
		return fmt.Errorf("cap-check must be 0 (skip) or a multiple of the usual cap above 1, got %g", c.CapCheck)
	}
	_, err := model.NewOptimizer(c.Optimizer, c.LR)
	return err
}

// boundedVariants are the activations whose output is bounded, the only
// ones the control verdict can stand on.
var boundedVariants = []string{"tanh", "sigmoid"}

// validateControl checks the control net's activation and initialiser;
// an empty control variant skips the control.
func validateControl(c *Config) error {
	if c.ControlVariant == "" {
		return nil
	}
	if !slices.Contains(boundedVariants, c.ControlVariant) {
		return fmt.Errorf("control-variant must be a bounded activation (valid: %s, or empty to skip the control), got %q", strings.Join(boundedVariants, ", "), c.ControlVariant)
	}
	if c.ControlVariant == c.TrainVariant {
		return fmt.Errorf("control-variant must differ from train-variant (%s)", c.TrainVariant)
	}
	if err := kit.CheckInits([]string{c.ControlInit}); err != nil {
		return fmt.Errorf("control-init: %w", err)
	}
	return nil
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
	Dataset       kit.Dataset `json:"dataset,omitzero"`
	Init          string      `json:"init,omitempty"`
	TrainExamples int         `json:"train_examples,omitempty"`
	TestExamples  int         `json:"test_examples,omitempty"`
	Epochs        int         `json:"epochs,omitempty"`
	Optimizer     string      `json:"optimizer,omitempty"`
	LR            float64     `json:"lr,omitempty"`
	Clip          float64     `json:"clip,omitempty"` // 0: no clipping
	BatchNorm     bool        `json:"batch_norm,omitempty"`
	LossEvery     int         `json:"loss_every,omitempty"`
	// Validation is the number of held-out images read at the end of a
	// run of an arm whose best stable rate is chosen (validated); 0 for
	// the others.
	Validation int `json:"validation,omitempty"`
	// Cap is the loss cap as a multiple of model.DivergenceCap; 0 is the
	// usual cap (1x).
	Cap float64 `json:"cap,omitempty"`
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

// plainLRs is every learning rate the plain net runs at: the sorted union
// of trainLRs and PlainLRs.
func (c *Config) plainLRs() []float64 {
	lrs := append(c.trainLRs(), c.PlainLRs...)
	slices.Sort(lrs)
	return slices.Compact(lrs)
}

// remedyRun is one remedy at one learning rate.
type remedyRun struct {
	BN   bool
	Clip float64
	LR   float64
}

// trainRuns lists the training configurations: no remedy and BatchNorm
// at every rate of plainLRs (C11 reads each at its own best stable rate,
// so both get the same grid), clipping at --clip at every rate of
// trainLRs, the other clipping thresholds at the judged learning rate
// only.
func (c *Config) trainRuns() []remedyRun {
	var runs []remedyRun
	for _, lr := range c.plainLRs() {
		runs = append(runs, remedyRun{false, 0, lr})
		if slices.Contains(c.trainLRs(), lr) {
			runs = append(runs, remedyRun{false, c.Clip, lr})
		}
		if c.BN {
			runs = append(runs, remedyRun{true, 0, lr})
		}
	}
	for _, t := range c.sweep() {
		if t != c.Clip {
			runs = append(runs, remedyRun{false, t, c.LR})
		}
	}
	return runs
}

// validated reports whether the runs of r are read on the validation
// images: the plain net's and BatchNorm's, the two arms whose best stable
// rate a verdict chooses and reads (C7's reference, C11's gain). The
// clipped arms are read at the rates they ran at, and the control's best
// rate only gates its verdict (test accuracy of at least a half), so
// they are not.
func (c *Config) validated(r remedyRun) bool {
	return c.Validation > 0 && r.Clip == 0
}

// seeds is the number of seeds of a training configuration: SweepSeeds
// for a threshold of the sweep other than --clip, TrainSeeds otherwise.
// Seed s of every arm is paired with seed s of the others.
func (c *Config) seeds(r remedyRun) int {
	if !r.BN && r.Clip > 0 && r.Clip != c.Clip {
		return c.SweepSeeds
	}
	return c.TrainSeeds
}

// sweep is every clipping threshold run at the judged learning rate,
// --clip included, increasing.
func (c *Config) sweep() []float64 {
	ts := append([]float64{c.Clip}, c.ClipSweep...)
	slices.Sort(ts)
	return slices.Compact(ts)
}

// explodingCells lists the nets measured at initialisation, then, unless
// train-seeds is 0, the training runs. Cells of one seed are paired: at
// initialisation every variant and gain of a depth draws the same normal
// weights (scaled by the gain) and the same input batch; in training every
// remedy and learning rate starts from the same weights and sees the same
// data order.
func explodingCells(c *Config) []harness.Cell[explodingCell] {
	var cells []harness.Cell[explodingCell]
	for _, v := range c.Variants {
		for _, g := range c.Gains {
			for _, d := range c.Depths {
				for s := range c.Seeds {
					p := explodingCell{Kind: "grad", Variant: v, Gain: g, Depth: d, Width: c.Width, Batch: c.Batch, Seed: s}
					id := fmt.Sprintf("grad/%s/g%g/w%d/b%d/d%d/s%d", v, g, c.Width, c.Batch, d, s)
					pair := fmt.Sprintf("grad/w%d/b%d/d%d/s%d", c.Width, c.Batch, d, s)
					cells = append(cells, harness.Cell[explodingCell]{ID: id, Pair: pair, Params: p, Cost: 6 * float64(d*c.Width*c.Width*c.Batch)})
				}
			}
		}
	}
	if c.TrainSeeds == 0 {
		return cells
	}
	// Forward and backward (3 products of 2 flops each) per example and epoch.
	perExample := float64(784*c.TrainWidth + (c.TrainDepth-1)*c.TrainWidth*c.TrainWidth)
	cost := 6 * float64(c.Epochs*c.TrainExamples) * perExample
	for _, r := range c.trainRuns() {
		for s := range c.seeds(r) {
			p := explodingCell{Kind: "train", Dataset: c.Dataset, Variant: c.TrainVariant, Depth: c.TrainDepth, Width: c.TrainWidth, Batch: c.TrainBatch, Seed: s,
				Init: c.TrainInit, TrainExamples: c.TrainExamples, TestExamples: c.TestExamples, Epochs: c.Epochs, Optimizer: c.Optimizer,
				LR: r.LR, Clip: r.Clip, BatchNorm: r.BN, LossEvery: c.LossEvery}
			net := trainNet(c, c.TrainVariant, c.TrainInit)
			// A validation split adds to the ID (the record holds its
			// reading) and to the cost (one forward pass per image).
			val, cellCost := "", cost
			if c.validated(r) {
				p.Validation = c.Validation
				val = fmt.Sprintf("/val%d", c.Validation)
				cellCost += 2 * float64(c.Validation) * perExample
			}
			id := c.Dataset.CellID(fmt.Sprintf("%s/%s-lr%g/%s%s/s%d", net, c.Optimizer, r.LR, strings.ReplaceAll(remedy(r.BN, r.Clip), " ", ""), val, s))
			cells = append(cells, harness.Cell[explodingCell]{ID: id, Pair: fmt.Sprintf("%s/s%d", net, s), Params: p, Cost: cellCost})
		}
	}
	cells = append(cells, controlCells(c, cost)...)
	return append(cells, capCheckCells(c, cost)...)
}

// trainNet names a trained net of the configured shape and training, the
// stem of its cells' IDs and pairs.
func trainNet(c *Config, variant, init string) string {
	return fmt.Sprintf("train/%s/%s/d%d/w%d/n%d/e%d/b%d", variant, init, c.TrainDepth, c.TrainWidth, c.TrainExamples, c.Epochs, c.TrainBatch)
}

// controlCells lists the control net's runs: no remedy, at every rate of
// the plain net, TrainSeeds seeds. Seed s shares its pair with seed s of
// the ReLU net, so both draw the same normal weights (each scaled by its
// own initialiser) and see the same data order. They come after every
// other cell and change none of their IDs, seeds or parameters.
func controlCells(c *Config, cost float64) []harness.Cell[explodingCell] {
	if c.ControlVariant == "" {
		return nil
	}
	var cells []harness.Cell[explodingCell]
	reluNet, net := trainNet(c, c.TrainVariant, c.TrainInit), trainNet(c, c.ControlVariant, c.ControlInit)
	for _, lr := range c.plainLRs() {
		for s := range c.TrainSeeds {
			p := explodingCell{Kind: "train", Dataset: c.Dataset, Variant: c.ControlVariant, Depth: c.TrainDepth, Width: c.TrainWidth, Batch: c.TrainBatch, Seed: s,
				Init: c.ControlInit, TrainExamples: c.TrainExamples, TestExamples: c.TestExamples, Epochs: c.Epochs, Optimizer: c.Optimizer,
				LR: lr, LossEvery: c.LossEvery}
			id := c.Dataset.CellID(fmt.Sprintf("%s/%s-lr%g/none/s%d", net, c.Optimizer, lr, s))
			cells = append(cells, harness.Cell[explodingCell]{ID: id, Pair: fmt.Sprintf("%s/s%d", reluNet, s), Params: p, Cost: cost})
		}
	}
	return cells
}

// capCheckCells lists the reruns of the control verdict's two nets with
// the loss cap CapCheck times higher: no remedy, at every rate of
// trainLRs, TrainSeeds seeds, each paired with the same seed at the usual
// cap (the same weights and data order, so a run is the same run up to the
// step where the usual cap would have stopped it). Lower rates of the
// plain grid are not rerun: a run the usual cap did not stop is the same
// under a higher one. They come last and change no other cell.
func capCheckCells(c *Config, cost float64) []harness.Cell[explodingCell] {
	if c.ControlVariant == "" || c.CapCheck == 0 {
		return nil
	}
	var cells []harness.Cell[explodingCell]
	reluNet := trainNet(c, c.TrainVariant, c.TrainInit)
	for _, n := range []struct{ variant, init string }{{c.TrainVariant, c.TrainInit}, {c.ControlVariant, c.ControlInit}} {
		net := trainNet(c, n.variant, n.init)
		for _, lr := range c.trainLRs() {
			for s := range c.TrainSeeds {
				p := explodingCell{Kind: "train", Dataset: c.Dataset, Variant: n.variant, Depth: c.TrainDepth, Width: c.TrainWidth, Batch: c.TrainBatch, Seed: s,
					Init: n.init, TrainExamples: c.TrainExamples, TestExamples: c.TestExamples, Epochs: c.Epochs, Optimizer: c.Optimizer,
					LR: lr, LossEvery: c.LossEvery, Cap: c.CapCheck}
				id := c.Dataset.CellID(fmt.Sprintf("%s/%s-lr%g/none-cap%gx/s%d", net, c.Optimizer, lr, c.CapCheck, s))
				cells = append(cells, harness.Cell[explodingCell]{ID: id, Pair: fmt.Sprintf("%s/s%d", reluNet, s), Params: p, Cost: cost})
			}
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
	// and Loss[i] the mean training loss over the window's steps; a
	// diverged run's curve ends at the step before its divergence, so
	// every value is at most the loss cap.
	LossSteps []int     `json:"loss_steps,omitempty"`
	Loss      []float64 `json:"loss,omitempty"`
	// MeanGradNorm is the mean global gradient norm before clipping over the
	// steps before any divergence; MaxAppliedNorm is the largest global
	// norm of a gradient an update actually applied (after clipping).
	MeanGradNorm   float64 `json:"mean_grad_norm,omitempty"`
	MaxAppliedNorm float64 `json:"max_applied_norm,omitempty"`
	// Dead is the fraction of hidden units that output zero on every test
	// example after training (not measured for a diverged run).
	Dead *float64 `json:"dead,omitempty"`
	// ValAcc is the accuracy on the validation images after training,
	// for a run of a validated arm that did not diverge.
	ValAcc *float64 `json:"val_acc,omitempty"`
}

// runExplodingCell runs one cell of either kind.
func runExplodingCell(ctx context.Context, env *harness.Env, p explodingCell, rng *rand.Rand) (explodingResult, error) {
	if p.Kind == "train" {
		return runTrainingCell(ctx, env, p, rng)
	}
	return runInitCell(p, rng)
}

// runInitCell measures one gain-initialised net on one N(0,1) batch with
// random labels: a single forward and backward pass, no update. The
// weights and the batch come from separate streams, so that nets paired by
// seed share both whatever they are.
func runInitCell(p explodingCell, rng *rand.Rand) (explodingResult, error) {
	initRNG, dataRNG, _ := kit.Streams(rng)
	net, err := model.NewMLP(model.MLPSpec{
		Inputs: p.Width, Hidden: kit.RepeatInt(p.Width, p.Depth), Outputs: 10,
		Activation: model.ActivationSpec{Name: p.Variant},
		Init:       model.Init{Scheme: model.Gain, Gain: p.Gain},
	}, initRNG)
	if err != nil {
		return explodingResult{}, err
	}
	batch := data.GaussianRandomLabels(p.Batch, p.Width, 10, dataRNG)
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
// the gradient norms step by step; a divergence (loss above the cap of
// kit.TrainClassifier, or not finite) ends the run and is its result. The
// initial weights and the data order come from separate streams, so every
// remedy of a seed starts from the same weights and sees the same batches.
func runTrainingCell(ctx context.Context, env *harness.Env, p explodingCell, rng *rand.Rand) (explodingResult, error) {
	trainAll, testAll, err := p.Dataset.Load(env)
	if err != nil {
		return explodingResult{}, err
	}
	train, test := kit.Head(trainAll, p.TrainExamples), kit.Head(testAll, p.TestExamples)
	initRNG, orderRNG, _ := kit.Streams(rng)
	net, err := model.NewMLP(model.MLPSpec{
		Inputs: train.Dim, Hidden: kit.RepeatInt(p.Width, p.Depth), Outputs: 10,
		Activation: model.ActivationSpec{Name: p.Variant},
		Init:       model.Init{Scheme: model.InitScheme(p.Init)},
		BatchNorm:  p.BatchNorm,
	}, initRNG)
	if err != nil {
		return explodingResult{}, err
	}
	var r explodingResult
	// Means are kept as running means, not sums: just before a divergence
	// norms come close to the largest float64, where a sum of two of them
	// would overflow to +Inf.
	var window float64
	inWindow, keptSteps := 0, 0
	flush := func(step int) {
		if inWindow > 0 {
			r.LossSteps = append(r.LossSteps, step)
			r.Loss = append(r.Loss, window)
		}
		window, inWindow = 0, 0
	}
	hooks := kit.TrainHooks{AfterStep: func(step int, st model.StepStats) bool {
		if st.Diverged {
			flush(step - 1)
			return false
		}
		keptSteps++
		r.MeanGradNorm += (st.GradNorm - r.MeanGradNorm) / float64(keptSteps)
		// The gradients left in the parameters are the ones the update used.
		r.MaxAppliedNorm = math.Max(r.MaxAppliedNorm, model.GlobalNorm(net.Params()))
		inWindow++
		window += (st.Loss - window) / float64(inWindow)
		if step%p.LossEvery == 0 {
			flush(step)
		}
		return false
	}}
	spec := kit.TrainSpec{Epochs: p.Epochs, Batch: p.Batch, Optimizer: p.Optimizer, LR: p.LR, ClipNorm: p.Clip}
	if p.Cap > 0 {
		spec.LossCap = p.Cap * model.DivergenceCap(train.Classes)
	}
	out, err := kit.TrainClassifier(ctx, net, train, test, spec, orderRNG, hooks)
	if err != nil {
		return explodingResult{}, err
	}
	// A partial window: the last steps of a run that ended, or that
	// diverged at an evaluation after them.
	flush(out.Steps)
	if !out.Diverged {
		dead := deadFraction(net, test)
		r.Dead = &dead
		if p.Validation > 0 {
			val := kit.Tail(trainAll, p.Validation)
			acc := model.Evaluate(net, kit.AsMatrix(val), val.Y, 1000).Accuracy
			r.ValAcc = &acc
		}
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
