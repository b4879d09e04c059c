// Package vanishing is the experiment for claims C3 and C4.
//
// C3, the blog: sigmoid and tanh have small derivatives, so gradients shrink
// layer by layer on the way back; ReLU's derivative is 1 for positive inputs,
// so they keep their strength. C4: ReLU's derivative is 0 or 1, so each
// gradient entry is passed unchanged or blocked.
//
// Part 1 measures, at initialisation, per-layer gradient norms of MLPs of
// increasing depth for each activation and initialiser, fed a batch of
// N(0,1) inputs with random labels, and draws the mean-field prediction
// beside them. Two lenses: the back-propagated gradient ||dL/dz_l|| (what
// the blog's argument and mean-field theory are about) and the weight
// gradient ||dL/dW_l|| (what the optimiser sees), which multiplies the
// back-propagated gradient by the layer's input, so that forward growth and
// backward shrinkage can cancel in it.
//
// Part 2 trains nets of increasing depth on MNIST, the observation of He et
// al. 2015: a deep ReLU net stalls under Xavier init and trains under He init.
//
// This file holds the configuration and the cells; summary.go turns the
// cells into tables and figures, and verdicts.go holds the rules.
package vanishing

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/reluexp/reluexp/data"
	"github.com/reluexp/reluexp/experiments/harness"
	"github.com/reluexp/reluexp/experiments/kit"
	"github.com/reluexp/reluexp/metrics"
	"github.com/reluexp/reluexp/model"
)

// Config configures the vanishing experiment.
type Config struct {
	Variants []string `json:"variants" flag:"variant" help:"activations to compare"`
	Inits    []string `json:"inits" flag:"inits" help:"weight initialisers (xavier-normal, he-normal, classic, ...)"`
	Depths   []int    `json:"depths" flag:"depths" help:"numbers of hidden layers measured at initialisation"`
	Width    int      `json:"width" flag:"width" help:"input and hidden width"`
	Batch    int      `json:"batch" flag:"batch" help:"examples in the N(0,1) batch"`
	Seeds    int      `json:"seeds" flag:"seeds" help:"seeds per configuration"`
	// VerdictDepth is the depth the C3 rule reads (the deepest measured if
	// absent from Depths).
	VerdictDepth int `json:"verdict_depth" flag:"verdict-depth" help:"depth at which the verdict compares first and last layer"`

	TrainNets     []string `json:"train_nets" flag:"train-nets" help:"activation/init pairs trained on MNIST"`
	TrainDepths   []int    `json:"train_depths" flag:"train-depths" help:"depths trained on MNIST (empty list: skip)"`
	TrainWidth    int      `json:"train_width" flag:"train-width" help:"hidden width of the MNIST nets"`
	TrainExamples int      `json:"train_examples" flag:"train-examples" help:"MNIST training examples used"`
	TestExamples  int      `json:"test_examples" flag:"test-examples" help:"MNIST test examples evaluated"`
	Epochs        int      `json:"epochs" flag:"epochs" help:"training epochs"`
	TrainBatch    int      `json:"train_batch" flag:"train-batch" help:"training minibatch size"`
	Optimizer     string   `json:"optimizer" flag:"optimizer" help:"sgd, momentum or adam"`
	LR            float64  `json:"lr" flag:"lr" help:"learning rate"`
	TrainSeeds    int      `json:"train_seeds" flag:"train-seeds" help:"seeds per trained net"`
}

// Defaults is the full configuration, or with quick a smaller one that
// still reaches depth 30, where the C3 rule reads.
func Defaults(quick bool) *Config {
	c := &Config{
		Variants:     []string{"sigmoid", "tanh", "relu", "leaky", "elu"},
		Inits:        []string{"xavier-normal", "he-normal", "classic"},
		Depths:       []int{2, 5, 10, 20, 30, 50},
		Width:        256,
		Batch:        256,
		Seeds:        10,
		VerdictDepth: 30,

		TrainNets:     []string{"relu/he-normal", "relu/xavier-normal", "tanh/xavier-normal", "sigmoid/xavier-normal"},
		TrainDepths:   []int{2, 10, 20, 30},
		TrainWidth:    64,
		TrainExamples: 10000,
		TestExamples:  10000,
		Epochs:        3,
		TrainBatch:    64,
		Optimizer:     "momentum",
		LR:            0.01,
		TrainSeeds:    5,
	}
	if quick {
		c.Depths = []int{2, 10, 30}
		c.Width, c.Batch, c.Seeds = 64, 64, 3
		c.TrainDepths = []int{2, 30}
		c.TrainWidth, c.TrainExamples, c.TestExamples = 32, 2000, 2000
		c.Epochs, c.TrainSeeds = 1, 2
	}
	return c
}

// validateVanishing checks the MNIST settings only when there is an MNIST
// part: an empty TrainDepths skips it.
func validateVanishing(c *Config) error {
	if err := kit.CheckVariants(c.Variants); err != nil {
		return err
	}
	if err := kit.CheckInits(c.Inits); err != nil {
		return err
	}
	if err := kit.CheckPositive("depths", c.Depths...); err != nil {
		return err
	}
	if err := kit.CheckPositive("width, batch and seeds", c.Width, c.Batch, c.Seeds); err != nil {
		return err
	}
	if len(c.TrainDepths) == 0 {
		return nil
	}
	for _, pair := range c.TrainNets {
		if _, _, err := parseNetPair(pair); err != nil {
			return err
		}
	}
	if err := kit.CheckPositive("train-depths", c.TrainDepths...); err != nil {
		return err
	}
	if err := kit.CheckPositive("train-width, train-examples, test-examples, epochs, train-batch and train-seeds",
		c.TrainWidth, c.TrainExamples, c.TestExamples, c.Epochs, c.TrainBatch, c.TrainSeeds); err != nil {
		return err
	}
	_, err := model.NewOptimizer(c.Optimizer, c.LR)
	return err
}

// parseNetPair splits "relu/he-normal" into a variant and an init.
func parseNetPair(s string) (variant string, init model.InitScheme, err error) {
	v, i, ok := strings.Cut(s, "/")
	if !ok {
		return "", "", fmt.Errorf("train net %q: want activation/init, e.g. relu/he-normal", s)
	}
	if err := model.ValidateVariant(v); err != nil {
		return "", "", fmt.Errorf("train net %q: %w", s, err)
	}
	scheme, err := model.ParseInitScheme(i)
	if err != nil {
		return "", "", fmt.Errorf("train net %q: %w", s, err)
	}
	return v, scheme, nil
}

// vanishingCell is one measurement ("grad": one net at initialisation) or
// one training run ("train").
type vanishingCell struct {
	Kind    string `json:"kind"`
	Variant string `json:"variant"`
	Init    string `json:"init"`
	Depth   int    `json:"depth"`
	Seed    int    `json:"seed"`
	Width   int    `json:"width"`
	Batch   int    `json:"batch"`
	// Training settings (Kind "train").
	TrainExamples int     `json:"train_examples,omitempty"`
	TestExamples  int     `json:"test_examples,omitempty"`
	Epochs        int     `json:"epochs,omitempty"`
	Optimizer     string  `json:"optimizer,omitempty"`
	LR            float64 `json:"lr,omitempty"`
}

func vanishingCells(c *Config) []harness.Cell[vanishingCell] {
	return append(gradientCells(c), trainingCells(c)...)
}

// gradientCells measures every variant, init, depth and seed at
// initialisation.
func gradientCells(c *Config) []harness.Cell[vanishingCell] {
	var cells []harness.Cell[vanishingCell]
	for _, v := range c.Variants {
		for _, in := range c.Inits {
			for _, d := range c.Depths {
				for s := range c.Seeds {
					// Cost is in floating-point operations: forward and backward.
					p := vanishingCell{Kind: "grad", Variant: v, Init: in, Depth: d, Seed: s, Width: c.Width, Batch: c.Batch}
					id := fmt.Sprintf("grad/%s/%s/w%d/b%d/d%d/s%d", v, in, c.Width, c.Batch, d, s)
					cells = append(cells, harness.Cell[vanishingCell]{ID: id, Params: p, Cost: 6 * float64(d*c.Width*c.Width*c.Batch)})
				}
			}
		}
	}
	return cells
}

// trainingCells trains every MNIST net at every depth and seed; none when
// TrainDepths is empty.
func trainingCells(c *Config) []harness.Cell[vanishingCell] {
	var cells []harness.Cell[vanishingCell]
	for _, pair := range c.TrainNets {
		v, in, _ := parseNetPair(pair)
		for _, d := range c.TrainDepths {
			for s := range c.TrainSeeds {
				p := vanishingCell{Kind: "train", Variant: v, Init: string(in), Depth: d, Seed: s, Width: c.TrainWidth, Batch: c.TrainBatch,
					TrainExamples: c.TrainExamples, TestExamples: c.TestExamples, Epochs: c.Epochs, Optimizer: c.Optimizer, LR: c.LR}
				id := fmt.Sprintf("train/%s/%s/w%d/d%d/n%d/e%d/%s-lr%g/s%d", v, in, c.TrainWidth, d, c.TrainExamples, c.Epochs, c.Optimizer, c.LR, s)
				// Forward and backward (3 products of 2 flops each) per example and epoch.
				cost := 6 * float64(c.Epochs*c.TrainExamples) * float64(784*c.TrainWidth+d*c.TrainWidth*c.TrainWidth)
				cells = append(cells, harness.Cell[vanishingCell]{ID: id, Params: p, Cost: cost})
			}
		}
	}
	return cells
}

// vanishingResult holds one cell's measurements. Gradient slices have one
// entry per hidden layer, input side first.
type vanishingResult struct {
	// Kind "grad".
	PreActGrad      []float64 `json:"preact_grad,omitempty"`       // ||dL/dz_l||, batch
	WeightGrad      []float64 `json:"weight_grad,omitempty"`       // ||dL/dW_l||, batch
	ExampleWGrad    []float64 `json:"example_wgrad,omitempty"`     // mean over examples of ||dl_i/dW_l||
	ActRMS          []float64 `json:"act_rms,omitempty"`           // ||h_l|| / sqrt(batch)
	PreActSq        []float64 `json:"preact_sq,omitempty"`         // mean z_l^2
	Blocked         []float64 `json:"blocked,omitempty"`           // fraction of dz entries exactly 0
	PassedOrBlocked []float64 `json:"passed_or_blocked,omitempty"` // fraction with dz == dh or dz == 0
	// Kind "train".
	Train *kit.TrainOutcome `json:"train,omitempty"`
}

func runVanishingCell(ctx context.Context, env *harness.Env, p vanishingCell, rng *rand.Rand) (vanishingResult, error) {
	if p.Kind == "train" {
		return runVanishingTraining(ctx, env, p, rng)
	}
	return measureAtInit(p, rng)
}

// measureAtInit runs one forward and backward pass of a fresh net on a
// batch of N(0,1) inputs with random labels and reads every hidden layer.
// The net is drawn before the batch: the order of the draws fixes the
// numbers.
func measureAtInit(p vanishingCell, rng *rand.Rand) (vanishingResult, error) {
	spec := model.MLPSpec{
		Inputs: p.Width, Hidden: kit.RepeatInt(p.Width, p.Depth), Outputs: 10,
		Activation: model.ActivationSpec{Name: p.Variant},
		Init:       model.Init{Scheme: model.InitScheme(p.Init)},
	}
	net, err := model.NewMLP(spec, rng)
	if err != nil {
		return vanishingResult{}, err
	}
	batch := data.GaussianRandomLabels(p.Batch, p.Width, 10, rng)
	x := kit.AsMatrix(batch)
	out := net.Forward(x, true)
	grad := model.NewMatrix(out.Rows, out.Cols)
	model.SoftmaxCrossEntropy(out, batch.Y, grad)
	net.Backward(grad)

	var r vanishingResult
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
		r.PreActSq = append(r.PreActSq, meanSquare(h.PreActivation.Data))
		if h.Activation.Cols == h.Units {
			// C4 compares dz with dh entry by entry, which needs one
			// activation column per unit (not twosided).
			r.Blocked = append(r.Blocked, metrics.ZeroFraction(h.PreActivationGrad.Data))
			r.PassedOrBlocked = append(r.PassedOrBlocked, metrics.PassOrBlockFraction(h.PreActivationGrad.Data, h.ActivationGrad.Data))
		}
	}
	return r, nil
}

func runVanishingTraining(ctx context.Context, env *harness.Env, p vanishingCell, rng *rand.Rand) (vanishingResult, error) {
	trainAll, testAll, err := env.MNIST()
	if err != nil {
		return vanishingResult{}, err
	}
	train, test := kit.Head(trainAll, p.TrainExamples), kit.Head(testAll, p.TestExamples)
	net, err := model.NewMLP(model.MLPSpec{
		Inputs: train.Dim, Hidden: kit.RepeatInt(p.Width, p.Depth), Outputs: 10,
		Activation: model.ActivationSpec{Name: p.Variant},
		Init:       model.Init{Scheme: model.InitScheme(p.Init)},
	}, rng)
	if err != nil {
		return vanishingResult{}, err
	}
	out, err := kit.TrainClassifier(ctx, net, train, test, kit.TrainSpec{Epochs: p.Epochs, Batch: p.Batch, Optimizer: p.Optimizer, LR: p.LR}, rng, kit.TrainHooks{})
	if err != nil {
		return vanishingResult{}, err
	}
	return vanishingResult{Train: &out}, nil
}

func meanSquare(xs []float64) float64 {
	var s float64
	for _, v := range xs {
		s += v * v
	}
	return s / float64(len(xs))
}

// vanishingMemory bounds a cell's memory: the deepest net at initialisation
// or the deepest MNIST net; MNIST is shared when any net is trained.
func vanishingMemory(c *Config) (perCell, shared int64) {
	perCell = kit.MLPBytes(c.Width, kit.RepeatInt(c.Width, kit.MaxOf(c.Depths)), 10, c.Batch)
	if len(c.TrainDepths) > 0 {
		perCell = max(perCell, kit.MLPBytes(784, kit.RepeatInt(c.TrainWidth, kit.MaxOf(c.TrainDepths)), 10, c.TrainBatch))
		shared = kit.MNISTBytes
	}
	return perCell, shared
}

// New registers the experiment for claims C3 and C4.
func New() harness.Experiment {
	return harness.Register(harness.Definition[Config, vanishingCell, vanishingResult]{
		Name:    "vanishing",
		Claims:  []string{"C3", "C4"},
		Summary: "gradient norms by layer and depth at initialisation, with mean-field theory; deep nets on MNIST",
		Doc: `Measures, for MLPs of increasing depth at initialisation, the norm of the
back-propagated gradient ||dL/dz_l|| and of the weight gradient ||dL/dW_l|| at
every layer, for each activation and initialiser, over several seeds, with the
mean-field prediction drawn beside the measurement. Then trains nets of
increasing depth on MNIST to see which still learn (He et al. 2015).`,
		Defaults:  Defaults,
		Validate:  validateVanishing,
		Cells:     vanishingCells,
		Run:       runVanishingCell,
		Summarize: summarizeVanishing,
		Memory:    vanishingMemory,
	})
}
