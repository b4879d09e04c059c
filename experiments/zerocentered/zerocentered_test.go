package zerocentered

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/reluexp/reluexp/experiments/harness"
	"github.com/reluexp/reluexp/experiments/internal/exptest"
	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/report"
)

// The fact C6 rests on, measured in a real training run: with one example
// per update, a layer whose inputs are all >= 0 moves every unit's incoming
// weights the same way in every update (fraction exactly 1); inputs of both
// signs do not.
func TestSameSignAtBatchOne(t *testing.T) {
	for _, tc := range []struct {
		variant, inputs string
		// Expected fraction for the layer fed by the activations and for the
		// layer fed by the pixels; NaN means "below 0.5".
		hidden, input float64
	}{
		{"relu", "raw", 1, 1},
		{"sigmoid", "raw", 1, 1},
		{"relu", "std", 1, math.NaN()},
		{"tanh", "raw", math.NaN(), 1},
		{centredSigmoidName, "std", math.NaN(), math.NaN()},
		{"elu", "raw", math.NaN(), 1},
	} {
		p := cellParams{Kind: "sign", Variant: tc.variant, Inputs: tc.inputs, Width: 16, Init: "xavier-normal", Batch: 1, Steps: 20, LR: 0.01, Optimizer: "sgd"}
		r, err := runCell(context.Background(), &harness.Env{}, p, harness.NewRand(3))
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range []struct {
			name string
			sc   *signCount
			want float64
		}{{"hidden", r.HiddenLayer, tc.hidden}, {"input", r.InputLayer, tc.input}} {
			f := l.sc.fraction()
			if l.sc.Moving == 0 {
				t.Errorf("%s/%s %s layer: no unit moved", tc.variant, tc.inputs, l.name)
				continue
			}
			nonNeg := l.sc.MinInput >= 0
			if math.IsNaN(l.want) {
				if nonNeg || !(f < 0.5) {
					t.Errorf("%s/%s %s layer: fraction %v (min input %v), want < 0.5 behind inputs of both signs", tc.variant, tc.inputs, l.name, f, l.sc.MinInput)
				}
			} else if !nonNeg || f != l.want {
				t.Errorf("%s/%s %s layer: fraction %v (min input %v), want exactly %v behind inputs >= 0", tc.variant, tc.inputs, l.name, f, l.sc.MinInput, l.want)
			}
		}
	}
}

// sigmoid-centred must be sigmoid minus 1/2 with sigmoid's slope, and its
// Backward must match a finite difference of its Value.
func TestCentredSigmoid(t *testing.T) {
	f := centredSigmoid{}
	zs := []float64{-30, -4, -1, -0.1, 0, 0.3, 2, 25}
	y := make([]float64, len(zs))
	f.Forward(y, zs)
	dy := make([]float64, len(zs))
	for i := range dy {
		dy[i] = 1
	}
	dz := make([]float64, len(zs))
	f.Backward(dz, dy, zs, y)
	const h = 1e-6
	for i, z := range zs {
		if want := 1/(1+math.Exp(-z)) - 0.5; math.Abs(y[i]-want) > 1e-15 || y[i] != f.Value(z) {
			t.Errorf("f(%g) = %v, want %v", z, y[i], want)
		}
		fd := (f.Value(z+h) - f.Value(z-h)) / (2 * h)
		if math.Abs(dz[i]-fd) > 1e-8 || math.Abs(f.Deriv(z)-dz[i]) > 1e-15 {
			t.Errorf("f'(%g): backward %v, deriv %v, finite difference %v", z, dz[i], f.Deriv(z), fd)
		}
	}
	if f.Value(0) != 0 {
		t.Errorf("f(0) = %v, want 0", f.Value(0))
	}
}

// The two-weight unit: with non-negative inputs every update moves both
// weights the same way; with centred inputs about half do.
func TestPathSameSign(t *testing.T) {
	for _, cs := range pathCases() {
		r := runPathCell(cellParams{Kind: "path", Case: cs, Steps: 200, LR: 0.5}, harness.NewRand(5))
		frac := float64(r.SameSignSteps) / float64(r.MovingSteps)
		if len(r.W1) != 201 || len(r.Distance) != 201 || r.Distance[0] != math.Sqrt2 {
			t.Fatalf("%s: path of %d points starting %v from the optimum", cs, len(r.W1), r.Distance[0])
		}
		switch cs {
		case pathCentred:
			if !(frac > 0.3 && frac < 0.7) {
				t.Errorf("%s: %v of updates moved both weights the same way, want about half", cs, frac)
			}
		default:
			if frac != 1 {
				t.Errorf("%s: %v of updates moved both weights the same way, want 1", cs, frac)
			}
		}
		if !(r.Distance[200] < 0.1) {
			t.Errorf("%s: still %v from the optimum after 200 steps", cs, r.Distance[200])
		}
	}
}

func TestZerocenteredQuick(t *testing.T) {
	res := exptest.RunQuick(t, New(), 2, nil)
	figs := exptest.RenderAll(t, res)
	for _, name := range []string{"same-sign-by-batch", "training-speed", "zigzag"} {
		if _, ok := figs[name]; !ok {
			t.Errorf("no figure %s", name)
		}
	}
	mech := exptest.VerdictFor(t, res, "C6", "non-negative inputs")
	if mech.Outcome == result.Refuted {
		t.Errorf("mechanism refuted: %s", mech.Why)
	}
	if f := exptest.Evidence(t, mech, "relu outputs (all >= 0), batch 1"); f != 1 {
		t.Errorf("relu outputs at batch 1: same-sign fraction %v, want exactly 1", f)
	}
	if f := exptest.Evidence(t, mech, "raw pixels (all >= 0), batch 1"); f != 1 {
		t.Errorf("raw pixels at batch 1: same-sign fraction %v, want exactly 1", f)
	}
	speed := exptest.VerdictFor(t, res, "C6", "zero-centred activations")
	if speed.Why == "" || len(speed.Evidence) == 0 {
		t.Errorf("speed verdict without numbers: %+v", speed)
	}
	if _, err := json.Marshal(report.NewSummary(res)); err != nil {
		t.Error(err)
	}
}

// Results are a function of the seed only: byte-identical records and
// summary whatever the number of workers.
func TestZerocenteredDeterministicAcrossWorkers(t *testing.T) {
	render := func(res *result.Result) []byte { return exptest.DeterministicBytes(t, res, nil) }
	one := render(exptest.RunQuick(t, New(), 1, nil))
	two := render(exptest.RunQuick(t, New(), 2, nil))
	if !bytes.Equal(one, two) {
		t.Error("results differ between --workers 1 and --workers 2")
	}
}

func TestZerocenteredValidation(t *testing.T) {
	cases := []struct {
		name string
		edit func(*Config)
		want string
	}{
		{"unknown variant", func(c *Config) { c.Variants = []string{"relu", "sigmoidish"} }, "or sigmoid-centred"},
		{"unknown inputs", func(c *Config) { c.Inputs = []string{"whitened"} }, "valid: raw, std"},
		{"bad arm", func(c *Config) { c.Arms = []string{"tanh-std"} }, "activation/inputs"},
		{"bad arm inputs", func(c *Config) { c.Arms = []string{"tanh/centred"} }, "valid: raw, std"},
		{"batch 0", func(c *Config) { c.Batches = []int{0, 1} }, "batches must be positive"},
		{"window too long", func(c *Config) { c.Window = c.MaxSteps + 1 }, "must not exceed max-steps"},
		{"bad target", func(c *Config) { c.TargetLoss = 0 }, "target-loss"},
		{"bad sign lr", func(c *Config) { c.SignLR = -1 }, "sign-lr"},
		{"bad init", func(c *Config) { c.Init = "he" }, "valid: xavier-uniform"},
	}
	for _, tc := range cases {
		cfg := defaults(true)
		tc.edit(cfg)
		err := harness.Validate(New(), cfg)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
	if err := harness.Validate(New(), defaults(false)); err != nil {
		t.Errorf("full defaults: %v", err)
	}
}
