package speed

import (
	"bytes"
	"context"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/reluexp/reluexp/experiments/harness"
	"github.com/reluexp/reluexp/experiments/internal/exptest"
	"github.com/reluexp/reluexp/experiments/kit"
	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/model"
)

func runSpeedQuick(t *testing.T, workers int, edit func(*Config)) *result.Result {
	t.Helper()
	exp := New()
	cfg := exp.NewConfig(true).(*Config)
	if edit != nil {
		edit(cfg)
	}
	res, err := harness.Run(context.Background(), exp, cfg, harness.RunOptions{Seed: 1, Workers: workers})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// Every kernel, pass, size and repetition was measured, and every training
// step, with the activation's share inside it. No speed is asserted.
func TestSpeedQuickMeasuresEverything(t *testing.T) {
	cfg := speedDefaults(true)
	res := runSpeedQuick(t, 2, nil)
	kernels := exptest.RecordTable(t, res, "timing-kernels")
	kernel, pass, size, ns := exptest.Column(t, kernels, "kernel"), exptest.Column(t, kernels, "pass"), exptest.Column(t, kernels, "size"), exptest.Column(t, kernels, "ns_per_element")
	count := map[string]int{}
	for _, r := range kernels.Rows {
		var x float64
		if _, err := exptest.FmtSscan(r[ns], &x); err != nil || !(x > 0) {
			t.Errorf("kernel sample %v: not a positive time", r)
		}
		count[r[kernel]+"/"+r[pass]+"/"+r[size]]++
	}
	for i, n := range cfg.KernelSizes {
		for _, k := range append([]string{branchlessReLU}, cfg.KernelVariants...) {
			for _, p := range []string{"forward", "backward"} {
				if got := count[k+"/"+p+"/"+kit.Itoa(n)]; got != cfg.KernelReps[i] {
					t.Errorf("%s %s at %d: %d samples, want %d", k, p, n, got, cfg.KernelReps[i])
				}
			}
		}
		if count["copy/forward/"+kit.Itoa(n)] != cfg.KernelReps[i] || count["mul/backward/"+kit.Itoa(n)] != cfg.KernelReps[i] {
			t.Errorf("baselines at %d: %d copy and %d mul samples", n, count["copy/forward/"+kit.Itoa(n)], count["mul/backward/"+kit.Itoa(n)])
		}
	}
	steps := exptest.RecordTable(t, res, "timing-steps")
	share := exptest.Column(t, steps, "activation_share")
	if want := len(cfg.stepNets()) * len(cfg.Variants) * cfg.StepReps; len(steps.Rows) != want {
		t.Errorf("%d step samples, want %d", len(steps.Rows), want)
	}
	for _, r := range steps.Rows {
		var x float64
		if _, err := exptest.FmtSscan(r[share], &x); err != nil || !(x > 0 && x < 1) {
			t.Errorf("step sample %v: activation share not in (0, 1)", r)
		}
	}
	runs := exptest.RecordTable(t, res, "steps-to-accuracy")
	if want := len(cfg.Variants) * len(cfg.LRs) * cfg.Seeds; len(runs.Rows) != want {
		t.Errorf("%d training runs, want %d", len(runs.Rows), want)
	}
	variant, reached := exptest.Column(t, runs, "variant"), exptest.Column(t, runs, "reached")
	reluReached := 0
	for _, r := range runs.Rows {
		if r[variant] == "relu" && r[reached] == "true" {
			reluReached++
		}
	}
	if reluReached == 0 {
		t.Errorf("no ReLU run reached %.2f training accuracy on %d images", cfg.Target, cfg.TrainExamples)
	}
	if len(res.Verdicts) != 4 {
		t.Fatalf("%d verdicts, want 4", len(res.Verdicts))
	}
	timing := 0
	for _, v := range res.Verdicts {
		if strings.HasPrefix(v.Rule, timingRule) {
			timing++
		}
	}
	if timing != 3 {
		t.Errorf("%d verdicts marked as timing verdicts, want 3 (kernels, step, seconds)", timing)
	}
}

// Timing lives only in outputs named "timing" and in timing verdicts; the
// rest is identical whatever the number of workers.
func TestSpeedDeterministicOutsideTiming(t *testing.T) {
	edit := func(c *Config) {
		c.KernelVariants, c.KernelSizes, c.KernelReps = []string{"relu", "tanh", "sigmoid"}, []int{1024}, []int{2}
		c.StepReps, c.StepsPerRep = 2, 2
		c.MaxSteps = 100
	}
	skip := func(name string) bool { return strings.Contains(name, "timing") || strings.HasPrefix(name, timingRule) }
	one := exptest.DeterministicBytes(t, runSpeedQuick(t, 1, edit), skip)
	two := exptest.DeterministicBytes(t, runSpeedQuick(t, 2, edit), skip)
	if !bytes.Equal(one, two) {
		t.Error("non-timing outputs differ between --workers 1 and --workers 2")
	}
	res := runSpeedQuick(t, 2, edit)
	for _, tb := range append(slices.Clone(res.Records), res.Tables...) {
		timed := slices.Contains([]string{"timing-kernels", "timing-steps", "timing-step", "timing-to-accuracy"}, tb.Name)
		if timed != strings.Contains(tb.Name, "timing") {
			t.Errorf("table %q: timing data must go to, and only to, names containing \"timing\"", tb.Name)
		}
	}
	for _, n := range res.Notes {
		if strings.Contains(n, "ms") || strings.Contains(n, " s ") {
			t.Errorf("note %q looks like it holds a time; notes go to summary.json", n)
		}
	}
}

func TestBranchlessReLUMatchesReLU(t *testing.T) {
	z := []float64{-2, -1e-310, math.Copysign(0, -1), 0, 1e-310, 0.5, 3, math.Inf(1), math.Inf(-1)}
	dy := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9}
	want, got := make([]float64, len(z)), make([]float64, len(z))
	model.ReLU{}.Forward(want, z)
	reluBranchless(got, z)
	for i := range z {
		if got[i] != want[i] || math.Signbit(got[i]) {
			t.Errorf("relu(%g): branchless %g, library %g", z[i], got[i], want[i])
		}
	}
	model.ReLU{}.Backward(want, dy, z, nil)
	reluGradBranchless(got, dy, z)
	for i := range z {
		if got[i] != want[i] {
			t.Errorf("relu'(%g)*%g: branchless %g, library %g", z[i], dy[i], got[i], want[i])
		}
	}
}

// The wrapper that times activation layers inside a step must not change
// what they compute.
func TestTimedLayerIsTransparent(t *testing.T) {
	rng := harness.NewRand(5)
	z := model.NewMatrix(4, 3)
	dy := model.NewMatrix(4, 3)
	for i := range z.Data {
		z.Data[i], dy.Data[i] = rng.NormFloat64(), rng.NormFloat64()
	}
	plain := model.NewActivationLayer(model.Tanh{})
	timed := &timedLayer{Layer: model.NewActivationLayer(model.Tanh{})}
	y1, y2 := plain.Forward(z, true).Clone(), timed.Forward(z, true)
	g1, g2 := plain.Backward(dy).Clone(), timed.Backward(dy)
	if !slices.Equal(y1.Data, y2.Data) || !slices.Equal(g1.Data, g2.Data) {
		t.Error("timed layer changed the activation's output or gradient")
	}
	if timed.spent <= 0 {
		t.Error("timed layer recorded no time")
	}
}

func TestSpeedValidation(t *testing.T) {
	cases := []struct {
		name string
		edit func(*Config)
		want string
	}{
		{"no relu", func(c *Config) { c.Variants = []string{"tanh", "sigmoid"} }, "relu must be among"},
		{"bad kernel variant", func(c *Config) { c.KernelVariants = []string{"relu", "maxout"} }, "kernel-variants"},
		{"reps per size", func(c *Config) { c.KernelReps = []int{3} }, "one repetition count per kernel size"},
		{"target", func(c *Config) { c.Target = 1 }, "target"},
		{"learning rate", func(c *Config) { c.LRs = []float64{0.1, -1} }, "lrs"},
		{"step width", func(c *Config) { c.StepWidths = []int{0} }, "step-widths"},
		{"too many images", func(c *Config) { c.TrainExamples = 60001 }, "60000"},
	}
	for _, tc := range cases {
		cfg := speedDefaults(true)
		tc.edit(cfg)
		err := harness.Validate(New(), cfg)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
	if err := harness.Validate(New(), speedDefaults(false)); err != nil {
		t.Errorf("full defaults: %v", err)
	}
}

// The runner hands out the most expensive cells first; the timing cell must
// be among the first so that it waits only for cells already running.
func TestSpeedTimingCellGoesFirst(t *testing.T) {
	for _, quick := range []bool{true, false} {
		cells := speedCells(speedDefaults(quick))
		timing := 0
		for i, c := range cells {
			if c.Params.Kind == "timing" {
				timing++
				continue
			}
			if c.Cost >= cells[0].Cost {
				t.Errorf("quick=%v: cell %d (%s) costs %g, not less than the timing cell's %g", quick, i, c.ID, c.Cost, cells[0].Cost)
			}
		}
		if timing != 1 || cells[0].Params.Kind != "timing" {
			t.Errorf("quick=%v: %d timing cells, first cell %s; want one, first", quick, timing, cells[0].ID)
		}
	}
}
