package exploding

import (
	"context"
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/reluexp/reluexp/experiments/harness"
	"github.com/reluexp/reluexp/experiments/internal/exptest"
	"github.com/reluexp/reluexp/experiments/result"
)

func TestExplodingQuick(t *testing.T) {
	res := exptest.RunQuick(t, New(), 2, nil)
	figs := exptest.RenderAll(t, res)
	for _, name := range []string{"gradient-by-layer-g1", "gradient-by-layer-g4", "growth-by-gain", "loss-curves", "remedies-by-lr", "clip-sweep"} {
		if _, ok := figs[name]; !ok {
			t.Errorf("no figure %s", name)
		}
	}
	// At initialisation, facts that hold at depth 10 whatever the seed:
	// ReLU's gradient grows more than tenfold at gain 4, sigmoid's shrinks.
	v := exptest.VerdictFor(t, res, "C7", "ReLU gradients explode")
	if relu := exptest.Evidence(t, v, "relu g=4 depth 10 log10(first/last) of ||dL/dz||"); !(relu > 1) {
		t.Errorf("relu at gain 4: log10 growth %.2f, want > 1 (mean field: 1.35)", relu)
	}
	if sig := exptest.Evidence(t, v, "sigmoid g=4"); !(sig < 0) {
		t.Errorf("sigmoid at gain 4: log10 growth %.2f, want < 0", sig)
	}
	// The plain net at the judged learning rate diverges in every quick run.
	train := exptest.VerdictFor(t, res, "C7", "clipping by global norm")
	if f := exptest.Evidence(t, train, "no remedy, lr 1: fraction of runs diverged"); f != 1 {
		t.Errorf("plain net at lr 1 diverged in a fraction %.2f of runs, want 1", f)
	}
	exptest.VerdictFor(t, res, "C11", "BatchNorm")
	for _, v := range res.Verdicts {
		if v.Outcome == "" || v.Why == "" || v.Rule == "" {
			t.Errorf("verdict %q incomplete: %+v", v.Statement, v)
		}
	}
	// Every cell result must survive JSON (no NaN or Inf).
	if _, err := json.Marshal(res.Verdicts); err != nil {
		t.Error(err)
	}
}

// trainCell is a small, fast training cell of the exploding experiment.
func trainCell(lr, clip float64, bn bool) explodingCell {
	return explodingCell{Kind: "train", Variant: "relu", Depth: 8, Width: 32, Batch: 25, Init: "he-normal",
		TrainExamples: 500, TestExamples: 200, Epochs: 1, Optimizer: "sgd", LR: lr, Clip: clip, BatchNorm: bn, LossEvery: 1}
}

// Clipping by global norm: no update may apply a gradient longer than the
// threshold, and the test is not vacuous: the raw norm did exceed it.
func TestClippingNeverExceedsThreshold(t *testing.T) {
	for _, clip := range []float64{0.5, 5} {
		for _, bn := range []bool{false, true} {
			r, err := runExplodingCell(context.Background(), &harness.Env{}, trainCell(1, clip, bn), harness.NewRand(7))
			if err != nil {
				t.Fatal(err)
			}
			if r.MaxAppliedNorm > clip*(1+1e-12) {
				t.Errorf("clip %g bn %v: an update applied a gradient of norm %.6g", clip, bn, r.MaxAppliedNorm)
			}
			if !(r.Train.MaxGradNorm > clip) {
				t.Errorf("clip %g bn %v: the raw gradient norm never exceeded the threshold (max %.3g), so clipping was not tested", clip, bn, r.Train.MaxGradNorm)
			}
			if r.Train.Diverged {
				t.Errorf("clip %g bn %v: diverged at step %d", clip, bn, r.Train.DivergedStep)
			}
		}
	}
}

// A diverged run is a result: recorded with its step, its loss curve ending
// before it, a marker on the figure, and a cell result that survives JSON.
func TestDivergedRunRecorded(t *testing.T) {
	r, err := runExplodingCell(context.Background(), &harness.Env{}, trainCell(3, 0, false), harness.NewRand(7))
	if err != nil {
		t.Fatal(err)
	}
	o := r.Train
	if !o.Diverged || o.DivergedStep <= 0 || o.DivergedStep != o.Steps {
		t.Fatalf("diverged %v at step %d after %d steps, want a divergence at the last step", o.Diverged, o.DivergedStep, o.Steps)
	}
	if !strings.Contains(o.DivergedCause, "non-finite") {
		t.Errorf("cause %q", o.DivergedCause)
	}
	if len(r.LossSteps) == 0 || r.LossSteps[len(r.LossSteps)-1] >= o.DivergedStep {
		t.Errorf("loss curve steps %v should end before the divergence at %d", r.LossSteps, o.DivergedStep)
	}
	for _, l := range r.Loss {
		if math.IsNaN(l) || math.IsInf(l, 0) {
			t.Errorf("non-finite loss %v in the curve", l)
		}
	}
	if r.Dead != nil {
		t.Error("dead units measured on a diverged net")
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var back explodingResult
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, r) {
		t.Error("cell result does not round-trip through JSON")
	}

	// In the summary: a marker at the step of divergence.
	res := exptest.RunQuick(t, New(), 2, func(cfg any) {
		c := cfg.(*Config)
		c.Depths, c.Gains, c.Variants, c.Seeds = []int{3}, []float64{2}, []string{"relu"}, 2
		c.LRGrid, c.ClipSweep, c.BN = []float64{1}, []float64{5}, false
	})
	var markers []result.Marker
	for _, f := range res.Figures {
		if f.Name == "loss-curves" {
			markers = f.Panels[0].Markers
		}
	}
	if len(markers) != 2 {
		t.Fatalf("%d divergence markers on the no-remedy panel, want 2 (one per seed)", len(markers))
	}
	for _, m := range markers {
		if !(m.X >= 1) || math.IsNaN(m.Y) {
			t.Errorf("marker at (%v, %v)", m.X, m.Y)
		}
	}
}

func TestExplodingValidation(t *testing.T) {
	cases := []struct {
		name string
		edit func(*Config)
		want string
	}{
		{"unknown variant", func(c *Config) { c.Variants = []string{"relu", "rectifier"} }, "valid: relu"},
		{"zero gain", func(c *Config) { c.Gains = []float64{0, 2} }, "gains must be positive"},
		{"no depth", func(c *Config) { c.Depths = []int{0} }, "depths must be positive"},
		{"bad clip", func(c *Config) { c.Clip = -1 }, "clip must be positive"},
		{"bad sweep", func(c *Config) { c.ClipSweep = []float64{1, math.Inf(1)} }, "clip-sweep"},
		{"bad optimizer", func(c *Config) { c.Optimizer = "rmsprop" }, "valid: sgd"},
		{"bad lr", func(c *Config) { c.LR = 0 }, "learning rate"},
		{"bad train init", func(c *Config) { c.TrainInit = "gain" }, "train-init"},
		{"negative train seeds", func(c *Config) { c.TrainSeeds = -1 }, "train-seeds"},
	}
	for _, tc := range cases {
		cfg := explodingDefaults(true)
		tc.edit(cfg)
		err := harness.Validate(New(), cfg)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
	if err := harness.Validate(New(), explodingDefaults(false)); err != nil {
		t.Errorf("full defaults: %v", err)
	}
}

// The cells: IDs unique and derived from the parameters; the remedies at the
// judged learning rate include both, and the sweep adds its thresholds there.
func TestExplodingCells(t *testing.T) {
	c := explodingDefaults(false)
	cells := explodingCells(c)
	seen := map[string]bool{}
	both, sweep := 0, 0
	for _, cl := range cells {
		if seen[cl.ID] {
			t.Fatalf("duplicate cell ID %s", cl.ID)
		}
		seen[cl.ID] = true
		p := cl.Params
		if p.Kind == "train" && p.BatchNorm && p.Clip > 0 {
			both++
			if p.LR != c.LR {
				t.Errorf("bn + clip run at lr %g, want only at %g", p.LR, c.LR)
			}
		}
		if p.Kind == "train" && !p.BatchNorm && p.Clip > 0 && p.Clip != c.Clip {
			sweep++
		}
	}
	if both != c.TrainSeeds || sweep != len(c.ClipSweep)*c.TrainSeeds {
		t.Errorf("%d bn+clip and %d sweep cells, want %d and %d", both, sweep, c.TrainSeeds, len(c.ClipSweep)*c.TrainSeeds)
	}
}
