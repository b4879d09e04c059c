// Package zerocentered is the experiment for claim C6.
//
// The blog: ReLU's outputs, like sigmoid's, are never negative, and "this
// property forces all weights connecting to a neuron to move the same
// direction" (the zig-zag argument of the CS231n notes; LeCun et al. 1998,
// "Efficient BackProp", centre the inputs and prefer tanh to the logistic
// function for this reason). The gradient of a unit's incoming weights is
// sum_i x_i dL/dz_i over the batch: from one example, with every x >= 0,
// all its components share the sign of dL/dz. Over a batch, examples whose
// dL/dz differ in sign mix.
//
// Part 1 counts, during the first steps of training a small MNIST MLP, the
// fraction of updates in which all incoming weight-gradient components of a
// unit share a sign: for the second hidden layer, fed by the first layer's
// activations (sigmoid or ReLU: non-negative; tanh, ELU, sigmoid minus 1/2:
// both signs), and for the first, fed by the pixels (raw in [0, 1], or
// standardised), for several batch sizes.
//
// Part 2 measures the consequence: steps of minibatch SGD until the running
// training loss reaches a target, for uncentred and centred pairs (sigmoid
// against sigmoid minus 1/2 and against tanh; ReLU against ELU; raw against
// standardised inputs), each arm at its best learning rate from a grid.
//
// Part 3 draws the zig-zag: one linear unit with two weights, trained by
// SGD one example at a time on a noise-free target whose optimum needs one
// weight to rise and the other to fall, with non-negative inputs against
// centred inputs of the same second moment.
//
// This file holds the configuration and the cells; summary.go turns the
// cells into tables and figures, verdicts.go holds the decision rules.
package zerocentered

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

// Config configures the zerocentered experiment.
type Config struct {
	Variants  []string `json:"variants" flag:"variant" help:"activations whose outputs feed the measured layer (any model variant, or sigmoid-centred: sigmoid minus 1/2)"`
	Inputs    []string `json:"inputs" flag:"inputs" help:"input preprocessing: raw (pixels in [0, 1]) and/or std (standardised per pixel)"`
	Batches   []int    `json:"batches" flag:"batches" help:"batch sizes at which the signs are counted"`
	SignSteps int      `json:"sign_steps" flag:"sign-steps" help:"training steps over which the signs are counted"`
	SignLR    float64  `json:"sign_lr" flag:"sign-lr" help:"learning rate of those steps"`
	Width     int      `json:"width" flag:"width" help:"width of the two hidden layers"`
	Init      string   `json:"init" flag:"init" help:"weight initialiser"`
	Seeds     int      `json:"seeds" flag:"seeds" help:"seeds per configuration"`

	Arms          []string  `json:"arms" flag:"arms" help:"activation/inputs pairs trained to the target loss, e.g. sigmoid/raw,tanh/std"`
	LRs           []float64 `json:"lrs" flag:"lrs" help:"learning rates tried for each arm (each arm is judged at its best)"`
	TargetLoss    float64   `json:"target_loss" flag:"target-loss" help:"training loss to reach"`
	Window        int       `json:"window" flag:"window" help:"steps in the running mean of the training loss compared with the target"`
	MaxSteps      int       `json:"max_steps" flag:"max-steps" help:"steps after which a run that has not reached the target stops"`
	TrainExamples int       `json:"train_examples" flag:"train-examples" help:"MNIST training examples used"`
	TrainBatch    int       `json:"train_batch" flag:"train-batch" help:"training minibatch size"`
	Optimizer     string    `json:"optimizer" flag:"optimizer" help:"sgd, momentum or adam"`
	TrainSeeds    int       `json:"train_seeds" flag:"train-seeds" help:"seeds per arm and learning rate (0 skips part 2)"`

	PathSteps int     `json:"path_steps" flag:"path-steps" help:"one-example SGD steps of the two-weight unit"`
	PathLR    float64 `json:"path_lr" flag:"path-lr" help:"learning rate of the two-weight unit"`
	PathSeeds int     `json:"path_seeds" flag:"path-seeds" help:"seeds of the two-weight unit (0 skips part 3)"`
}

// New returns the experiment for claim C6.
func New() harness.Experiment {
	return harness.Register(harness.Definition[Config, cellParams, cellResult]{
		Name:    "zerocentered",
		Claims:  []string{"C6"},
		Summary: "same-sign weight updates behind non-negative inputs, by batch size; training speed of centred vs uncentred nets; the zig-zag in 2-D",
		Doc: `Counts the fraction of updates in which all incoming weight-gradient
components of a unit share a sign, for layers fed by non-negative inputs
(sigmoid or ReLU outputs, raw pixels) and by inputs of both signs (tanh, ELU,
sigmoid minus 1/2, standardised pixels), at several batch sizes. Then measures
the steps an MNIST MLP needs to reach a target training loss with centred and
uncentred activations and inputs (each at its best learning rate from a grid),
and draws the path of a two-weight unit trained one example at a time.`,
		Defaults:  defaults,
		Validate:  validate,
		Cells:     cells,
		Run:       runCell,
		Summarize: summarize,
		Memory:    memory,
	})
}

func defaults(quick bool) *Config {
	c := &Config{
		Variants:  []string{"sigmoid", "relu", "sigmoid-centred", "tanh", "elu"},
		Inputs:    []string{"raw", "std"},
		Batches:   []int{1, 8, 32, 128},
		SignSteps: 50,
		SignLR:    0.01,
		Width:     64,
		Init:      string(model.XavierNormal),
		Seeds:     5,

		Arms:          []string{"sigmoid/raw", "sigmoid-centred/raw", "tanh/raw", "relu/raw", "elu/raw", "tanh/std", "relu/std"},
		LRs:           []float64{0.1, 0.3, 1, 3},
		TargetLoss:    0.3,
		Window:        20,
		MaxSteps:      1000,
		TrainExamples: 5000,
		TrainBatch:    32,
		Optimizer:     "sgd",
		TrainSeeds:    5,

		PathSteps: 200,
		PathLR:    0.3,
		PathSeeds: 10,
	}
	if quick {
		c.Variants = []string{"sigmoid", "relu", "tanh"}
		c.Batches = []int{1, 32}
		c.SignSteps, c.Width, c.Seeds = 10, 32, 2
		c.Arms = []string{"sigmoid/raw", "tanh/raw", "tanh/std"}
		c.LRs = []float64{0.3, 1}
		c.TargetLoss, c.MaxSteps, c.TrainExamples, c.TrainSeeds = 1.5, 150, 2000, 2
		c.PathSteps, c.PathSeeds = 100, 3
	}
	return c
}

// validate checks the three parts in the order they run, so the first
// error names the first setting a user would meet.
func validate(c *Config) error {
	if err := validateSigns(c); err != nil {
		return err
	}
	if c.TrainSeeds < 0 || c.PathSeeds < 0 {
		return fmt.Errorf("train-seeds and path-seeds must be 0 (skip) or positive, got %d and %d", c.TrainSeeds, c.PathSeeds)
	}
	if c.TrainSeeds > 0 {
		if err := validateSpeed(c); err != nil {
			return err
		}
	}
	if c.PathSeeds > 0 {
		if err := kit.CheckPositive("path-steps", c.PathSteps); err != nil {
			return err
		}
		if err := kit.CheckPositiveFloats("path-lr", c.PathLR); err != nil {
			return err
		}
	}
	return nil
}

func validateSigns(c *Config) error {
	if len(c.Variants) == 0 {
		return fmt.Errorf("no variant given")
	}
	for _, v := range c.Variants {
		if err := checkVariant(v); err != nil {
			return err
		}
	}
	if len(c.Inputs) == 0 {
		return fmt.Errorf("no inputs given (valid: raw, std)")
	}
	for _, in := range c.Inputs {
		if err := checkInputKind(in); err != nil {
			return err
		}
	}
	if err := kit.CheckPositive("batches", c.Batches...); err != nil {
		return err
	}
	if err := kit.CheckPositive("sign-steps, width and seeds", c.SignSteps, c.Width, c.Seeds); err != nil {
		return err
	}
	if err := kit.CheckInits([]string{c.Init}); err != nil {
		return err
	}
	if _, err := model.NewOptimizer(c.Optimizer, c.SignLR); err != nil {
		return fmt.Errorf("sign-lr: %w", err)
	}
	return nil
}

func validateSpeed(c *Config) error {
	if len(c.Arms) == 0 {
		return fmt.Errorf("arms: empty list")
	}
	for _, a := range c.Arms {
		if _, _, err := parseArm(a); err != nil {
			return err
		}
	}
	if err := kit.CheckPositiveFloats("lrs", c.LRs...); err != nil {
		return err
	}
	if err := kit.CheckPositiveFloats("target-loss", c.TargetLoss); err != nil {
		return err
	}
	if err := kit.CheckPositive("window, max-steps, train-examples and train-batch", c.Window, c.MaxSteps, c.TrainExamples, c.TrainBatch); err != nil {
		return err
	}
	if c.Window > c.MaxSteps {
		return fmt.Errorf("window (%d steps) must not exceed max-steps (%d)", c.Window, c.MaxSteps)
	}
	return nil
}

func checkVariant(name string) error {
	if name == centredSigmoidName {
		return nil
	}
	if err := model.ValidateVariant(name); err != nil {
		return fmt.Errorf("%w, or %s", err, centredSigmoidName)
	}
	return nil
}

func checkInputKind(kind string) error {
	if kind != "raw" && kind != "std" {
		return fmt.Errorf("unknown inputs %q (valid: raw, std)", kind)
	}
	return nil
}

// parseArm splits "tanh/std" into an activation and an input kind.
func parseArm(s string) (act, inputs string, err error) {
	act, inputs, ok := strings.Cut(s, "/")
	if !ok {
		return "", "", fmt.Errorf("arm %q: want activation/inputs, e.g. tanh/std", s)
	}
	if err := checkVariant(act); err != nil {
		return "", "", fmt.Errorf("arm %q: %w", s, err)
	}
	if err := checkInputKind(inputs); err != nil {
		return "", "", fmt.Errorf("arm %q: %w", s, err)
	}
	return act, inputs, nil
}

// cellParams is one sign count (Kind "sign"), one run to the target loss
// ("speed") or one path of the two-weight unit ("path").
type cellParams struct {
	Kind      string  `json:"kind"`
	Variant   string  `json:"variant,omitempty"`
	Inputs    string  `json:"inputs,omitempty"`
	Width     int     `json:"width,omitempty"`
	Init      string  `json:"init,omitempty"`
	Batch     int     `json:"batch,omitempty"`
	Steps     int     `json:"steps"` // sign: steps counted; speed: the most steps; path: steps
	LR        float64 `json:"lr"`
	Optimizer string  `json:"optimizer,omitempty"`
	Examples  int     `json:"examples,omitempty"`
	Target    float64 `json:"target,omitempty"`
	Window    int     `json:"window,omitempty"`
	Case      string  `json:"case,omitempty"` // path
	Seed      int     `json:"seed"`
}

// The cases of the two-weight unit: inputs non-negative or centred, and an
// optimum that needs the two weights to move in opposite directions, or
// (for contrast) in the same direction.
const (
	pathNonNegative = "non-negative inputs"
	pathCentred     = "centred inputs"
	pathAligned     = "non-negative inputs, optimum (1, 1)"
)

func pathCases() []string { return []string{pathNonNegative, pathCentred, pathAligned} }

func cells(c *Config) []harness.Cell[cellParams] {
	out := signCells(c)
	if c.TrainSeeds > 0 {
		out = append(out, speedCells(c)...)
	}
	return append(out, pathCells(c)...)
}

// mlpParams counts the weights of the 784-width-width-10 MLP, for the
// cells' cost.
func mlpParams(c *Config) float64 {
	return float64(784*c.Width + c.Width*c.Width + 10*c.Width)
}

func signCells(c *Config) []harness.Cell[cellParams] {
	var out []harness.Cell[cellParams]
	for _, v := range c.Variants {
		for _, in := range c.Inputs {
			for _, b := range c.Batches {
				for s := range c.Seeds {
					p := cellParams{Kind: "sign", Variant: v, Inputs: in, Width: c.Width, Init: c.Init, Batch: b, Steps: c.SignSteps, LR: c.SignLR, Optimizer: c.Optimizer, Seed: s}
					id := fmt.Sprintf("sign/%s/%s/w%d/%s/b%d/%s-lr%g/k%d/s%d", v, in, c.Width, c.Init, b, c.Optimizer, c.SignLR, c.SignSteps, s)
					out = append(out, harness.Cell[cellParams]{ID: id, Params: p, Cost: 6 * mlpParams(c) * float64(b*c.SignSteps)})
				}
			}
		}
	}
	return out
}

func speedCells(c *Config) []harness.Cell[cellParams] {
	var out []harness.Cell[cellParams]
	for _, arm := range c.Arms {
		act, in, _ := parseArm(arm)
		for _, lr := range c.LRs {
			for s := range c.TrainSeeds {
				p := cellParams{Kind: "speed", Variant: act, Inputs: in, Width: c.Width, Init: c.Init, Batch: c.TrainBatch, Steps: c.MaxSteps, LR: lr,
					Optimizer: c.Optimizer, Examples: c.TrainExamples, Target: c.TargetLoss, Window: c.Window, Seed: s}
				id := fmt.Sprintf("speed/%s/%s/w%d/%s/n%d/b%d/%s-lr%g/t%g/win%d/max%d/s%d", act, in, c.Width, c.Init, c.TrainExamples, c.TrainBatch,
					c.Optimizer, lr, c.TargetLoss, c.Window, c.MaxSteps, s)
				// Most runs stop at the target before max-steps: half of it
				// is the guess at their cost.
				out = append(out, harness.Cell[cellParams]{ID: id, Params: p, Cost: 6 * mlpParams(c) * float64(c.TrainBatch*c.MaxSteps) / 2})
			}
		}
	}
	return out
}

func pathCells(c *Config) []harness.Cell[cellParams] {
	var out []harness.Cell[cellParams]
	for _, cs := range pathCases() {
		for s := range c.PathSeeds {
			p := cellParams{Kind: "path", Case: cs, Steps: c.PathSteps, LR: c.PathLR, Seed: s}
			id := fmt.Sprintf("path/%s/lr%g/k%d/s%d", strings.ReplaceAll(cs, " ", "-"), c.PathLR, c.PathSteps, s)
			out = append(out, harness.Cell[cellParams]{ID: id, Params: p, Cost: float64(10 * c.PathSteps)})
		}
	}
	return out
}

// memory bounds a cell's memory: one MNIST net and, for standardised
// inputs, a standardised copy of its training examples.
func memory(c *Config) (perCell, shared int64) {
	return kit.MLPBytes(784, []int{c.Width, c.Width}, 10, max(c.TrainBatch, kit.MaxOf(c.Batches))) + int64(c.TrainExamples)*785*8, kit.MNISTBytes
}

// signCount is the tally of one layer over the counted steps.
type signCount struct {
	// Same and Moving add up SameSignColumns over the steps.
	Same   int `json:"same"`
	Moving int `json:"moving"`
	// MinInput is the smallest input the layer received over the steps:
	// whether its inputs were non-negative is measured, not assumed.
	MinInput float64 `json:"min_input"`
}

// fraction is NaN when no unit moved: there was no update to count.
func (s signCount) fraction() float64 {
	if s.Moving == 0 {
		return math.NaN()
	}
	return float64(s.Same) / float64(s.Moving)
}

// cellResult holds one cell's measurements.
type cellResult struct {
	// Kind "sign": the first hidden layer (fed by the inputs) and the
	// second (fed by the first layer's activations).
	InputLayer  *signCount `json:"input_layer,omitempty"`
	HiddenLayer *signCount `json:"hidden_layer,omitempty"`

	// Kind "speed". Steps is the step at which the running loss first
	// reached the target, or the steps run if it never did.
	Reached bool `json:"reached,omitempty"`
	Steps   int  `json:"steps,omitempty"`

	// Kinds "sign" and "speed": a run whose loss or gradient became NaN or
	// infinite stops there (sign counts cover the steps before).
	Diverged     bool `json:"diverged,omitempty"`
	DivergedStep int  `json:"diverged_step,omitempty"`

	// Kind "path": the weights after each step (index 0 is the start), the
	// distance to the optimum, and how many updates moved both weights the
	// same way.
	W1            []float64 `json:"w1,omitempty"`
	W2            []float64 `json:"w2,omitempty"`
	Distance      []float64 `json:"distance,omitempty"`
	SameSignSteps int       `json:"same_sign_steps,omitempty"`
	MovingSteps   int       `json:"moving_steps,omitempty"`
}

func runCell(ctx context.Context, env *harness.Env, p cellParams, rng *rand.Rand) (cellResult, error) {
	switch p.Kind {
	case "sign":
		return runSignCell(ctx, env, p, rng)
	case "speed":
		return runSpeedCell(ctx, env, p, rng)
	}
	return runPathCell(p, rng), nil
}

// The activation zerocentered offers besides the model's variants.
const centredSigmoidName = "sigmoid-centred"

// centredSigmoid is sigmoid(z) - 1/2, which is tanh(z/2)/2: the logistic
// function moved down to be zero-centred, with the same slope. Against
// sigmoid it isolates centring; against tanh, whose slope at 0 is four
// times larger, it separates centring from gain.
type centredSigmoid struct{}

func (centredSigmoid) Name() string            { return centredSigmoidName }
func (centredSigmoid) Value(z float64) float64 { return model.Sigmoid{}.Value(z) - 0.5 }
func (centredSigmoid) Deriv(z float64) float64 { return model.Sigmoid{}.Deriv(z) }
func (centredSigmoid) Forward(y, z []float64) {
	model.Sigmoid{}.Forward(y, z)
	for i := range z {
		y[i] -= 0.5
	}
}
func (centredSigmoid) Backward(dz, dy, _, y []float64) {
	for i, g := range dy {
		s := y[i] + 0.5
		dz[i] = g * s * (1 - s)
	}
}

// inputWatch is a pass-through layer that records the smallest value it
// sees: placed before a dense layer, it measures whether that layer's
// inputs were all non-negative.
type inputWatch struct{ min float64 }

func (w *inputWatch) Kind() string         { return "watch" }
func (w *inputWatch) OutputSize(n int) int { return n }
func (w *inputWatch) Params() []*model.Param {
	return nil
}
func (w *inputWatch) Forward(x *model.Matrix, _ bool) *model.Matrix {
	for _, v := range x.Data {
		// Non-finite values belong to a diverging run, which is recorded as
		// such; they say nothing about the inputs' sign.
		if v < w.min && !math.IsInf(v, -1) {
			w.min = v
		}
	}
	return x
}
func (w *inputWatch) Backward(dy *model.Matrix) *model.Matrix { return dy }

// watchedMLP is a two-hidden-layer MLP with its dense layers and input
// watches at hand.
type watchedMLP struct {
	net            *model.Network
	dense1, dense2 *model.Dense
	watch1, watch2 *inputWatch
}

func newWatchedMLP(act string, width int, init model.Init, rng *rand.Rand) (*watchedMLP, error) {
	activation := func(name string) (model.Layer, error) {
		if act == centredSigmoidName {
			return model.NewActivationLayer(centredSigmoid{}), nil
		}
		return model.ActivationSpec{Name: act}.NewLayer(name, width)
	}
	z := &watchedMLP{watch1: &inputWatch{min: math.Inf(1)}, watch2: &inputWatch{min: math.Inf(1)}}
	z.dense1 = model.NewDense("h1", 784, width, init, 0, rng)
	a1, err := activation("h1." + act)
	if err != nil {
		return nil, err
	}
	z.dense2 = model.NewDense("h2", a1.OutputSize(width), width, init, 0, rng)
	a2, err := activation("h2." + act)
	if err != nil {
		return nil, err
	}
	out := model.NewDense("out", a2.OutputSize(width), 10, init, 0, rng)
	z.net = model.NewNetwork(z.watch1, z.dense1, a1, z.watch2, z.dense2, a2, out)
	return z, nil
}

// mnistData returns the first n MNIST training examples, raw or
// standardised with statistics fitted on the first fitN, and a small test
// set treated the same way (the shared training loop evaluates one).
func mnistData(env *harness.Env, inputs string, n, fitN int) (train, test *data.Set, err error) {
	trainAll, testAll, err := env.MNIST()
	if err != nil {
		return nil, nil, err
	}
	train, test = kit.Head(trainAll, n), kit.Head(testAll, 500)
	if inputs == "std" {
		z := data.FitStandardizer(kit.Head(trainAll, fitN))
		train, test = z.Apply(train), z.Apply(test)
	}
	return train, test, nil
}

// signFitExamples is how many training examples the standardiser of the
// sign counts is fitted on.
const signFitExamples = 5000

func runSignCell(ctx context.Context, env *harness.Env, p cellParams, rng *rand.Rand) (cellResult, error) {
	// Only the examples the counted steps use are needed.
	train, test, err := mnistData(env, p.Inputs, p.Batch*p.Steps, signFitExamples)
	if err != nil {
		return cellResult{}, err
	}
	z, err := newWatchedMLP(p.Variant, p.Width, model.Init{Scheme: model.InitScheme(p.Init)}, rng)
	if err != nil {
		return cellResult{}, err
	}
	in, hid := &signCount{}, &signCount{}
	// The probe sees each step's gradient before the update; its counts are
	// kept only once the step turns out finite, so a run that diverges is
	// counted up to the step before.
	var pending [4]int
	hooks := kit.TrainHooks{
		Probe: func(_ int, _ *model.Network) {
			for i, d := range []*model.Dense{z.dense1, z.dense2} {
				pending[2*i], pending[2*i+1] = metrics.SameSignColumns(model.MatrixFrom(d.W.Rows, d.W.Cols, d.W.Grad))
			}
		},
		AfterStep: func(step int, st model.StepStats) bool {
			if st.Finite {
				in.Same, in.Moving = in.Same+pending[0], in.Moving+pending[1]
				hid.Same, hid.Moving = hid.Same+pending[2], hid.Moving+pending[3]
			}
			return step >= p.Steps
		},
	}
	out, err := kit.TrainClassifier(ctx, z.net, train, test, kit.TrainSpec{Epochs: 1, Batch: p.Batch, Optimizer: p.Optimizer, LR: p.LR}, rng, hooks)
	if err != nil {
		return cellResult{}, err
	}
	in.MinInput, hid.MinInput = z.watch1.min, z.watch2.min
	r := cellResult{InputLayer: in, HiddenLayer: hid, Diverged: out.Diverged}
	if out.Diverged {
		r.DivergedStep = out.DivergedStep
	}
	return r, nil
}

func runSpeedCell(ctx context.Context, env *harness.Env, p cellParams, rng *rand.Rand) (cellResult, error) {
	train, test, err := mnistData(env, p.Inputs, p.Examples, p.Examples)
	if err != nil {
		return cellResult{}, err
	}
	z, err := newWatchedMLP(p.Variant, p.Width, model.Init{Scheme: model.InitScheme(p.Init)}, rng)
	if err != nil {
		return cellResult{}, err
	}
	var r cellResult
	// The last Window losses, kept as a ring. Their mean is summed afresh
	// each step: a running sum would keep the rounding error of a huge loss
	// long after the loss left the window.
	ring := make([]float64, p.Window)
	hooks := kit.TrainHooks{AfterStep: func(step int, st model.StepStats) bool {
		if !st.Finite {
			return false // the loop records the divergence and stops
		}
		ring[(step-1)%p.Window] = st.Loss
		var sum float64
		for _, l := range ring {
			sum += l
		}
		if step >= p.Window && sum/float64(p.Window) <= p.Target {
			r.Reached, r.Steps = true, step
			return true
		}
		return step >= p.Steps
	}}
	perEpoch := train.N / p.Batch
	epochs := (p.Steps + perEpoch - 1) / perEpoch
	out, err := kit.TrainClassifier(ctx, z.net, train, test, kit.TrainSpec{Epochs: epochs, Batch: p.Batch, Optimizer: p.Optimizer, LR: p.LR}, rng, hooks)
	if err != nil {
		return cellResult{}, err
	}
	if !r.Reached {
		r.Steps = p.Steps
	}
	r.Diverged = out.Diverged
	if out.Diverged {
		r.DivergedStep = out.DivergedStep
	}
	return r, nil
}

// runPathCell trains one linear unit y = w . x on targets t = w* . x, one
// example per step, from w = (0, 0). Non-negative inputs are uniform on
// [0, 1]^2, centred ones uniform on [-1, 1]^2: both have E|x|^2 = 2/3, so
// the steps have the same typical size and only the inputs' mean differs.
func runPathCell(p cellParams, rng *rand.Rand) cellResult {
	opt := [2]float64{1, -1}
	lo := 0.0
	switch p.Case {
	case pathCentred:
		lo = -1
	case pathAligned:
		opt = [2]float64{1, 1}
	}
	var w [2]float64
	dist := func() float64 { return math.Hypot(w[0]-opt[0], w[1]-opt[1]) }
	r := cellResult{W1: []float64{w[0]}, W2: []float64{w[1]}, Distance: []float64{dist()}}
	for range p.Steps {
		x := [2]float64{lo + (1-lo)*rng.Float64(), lo + (1-lo)*rng.Float64()}
		// Gradient of (w.x - t)^2 / 2 is (w.x - t) x.
		e := (w[0]-opt[0])*x[0] + (w[1]-opt[1])*x[1]
		g := [2]float64{e * x[0], e * x[1]}
		if g[0] != 0 || g[1] != 0 {
			r.MovingSteps++
			if (g[0] >= 0) == (g[1] >= 0) {
				r.SameSignSteps++
			}
		}
		w[0] -= p.LR * g[0]
		w[1] -= p.LR * g[1]
		r.W1, r.W2, r.Distance = append(r.W1, w[0]), append(r.W2, w[1]), append(r.Distance, dist())
	}
	return r
}
