package cnnspeed

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/reluexp/reluexp/data"
	"github.com/reluexp/reluexp/experiments/internal/exptest"
	"github.com/reluexp/reluexp/experiments/kit"
	"github.com/reluexp/reluexp/experiments/result"
)

// needFashion skips a test that trains when Fashion-MNIST is not installed.
func needFashion(t *testing.T) {
	t.Helper()
	if _, _, err := data.DatasetDir(data.FashionMNIST, ""); err != nil {
		t.Skipf("Fashion-MNIST is not installed (apt-get install %s): %v", data.FashionMNISTPackage, err)
	}
}

func runQuick(t *testing.T, workers int) *result.Result {
	t.Helper()
	return exptest.RunQuick(t, New(), workers, nil)
}

// The quick run trains every activation at every rate on every seed,
// reads exactly one rate per activation, threshold and seed (the one
// chosen on the other half), times every activation's step, and returns
// one verdict per compared activation on updates and one on seconds, with
// figures that render.
func TestQuickRunsEverything(t *testing.T) {
	needFashion(t)
	cfg := defaults(true)
	res := runQuick(t, 2)
	runs := exptest.RecordTable(t, res, "steps-to-error")
	if want := len(cfg.Variants) * len(cfg.LRs) * cfg.Seeds * len(cfg.Thresholds); len(runs.Rows) != want {
		t.Errorf("%d run rows, want %d", len(runs.Rows), want)
	}
	variant, seed, th, read, endCol, stepsTo, stepsRun := exptest.Column(t, runs, "variant"), exptest.Column(t, runs, "seed"), exptest.Column(t, runs, "threshold"),
		exptest.Column(t, runs, "read"), exptest.Column(t, runs, "end"), exptest.Column(t, runs, "steps_to"), exptest.Column(t, runs, "steps_run")
	readCount := map[string]int{}
	reluReached := 0
	for _, r := range runs.Rows {
		if r[read] == "true" {
			readCount[r[variant]+"/"+r[th]+"/"+r[seed]]++
		}
		if r[endCol] == "reached" {
			if r[variant] == "relu" {
				reluReached++
			}
			if s, n := exptest.Num(t, r[stepsTo]), exptest.Num(t, r[stepsRun]); !(s >= 0 && s <= n) {
				t.Errorf("run %v: reached at %g of %g updates run", r, s, n)
			}
		}
	}
	if len(readCount) != len(cfg.Variants)*len(cfg.Thresholds)*cfg.Seeds {
		t.Errorf("%d (activation, threshold, seed) read, want %d", len(readCount), len(cfg.Variants)*len(cfg.Thresholds)*cfg.Seeds)
	}
	for k, n := range readCount {
		if n != 1 {
			t.Errorf("%s: %d rates read, want 1", k, n)
		}
	}
	if reluReached == 0 {
		t.Errorf("ReLU reached no threshold in the quick run: the quick configuration no longer trains")
	}
	steps := exptest.RecordTable(t, res, "timing-steps")
	// Every activation and the null arm (a second ReLU net), each with the
	// time of its activation layers inside the step.
	arm, stepMs, actMs := exptest.Column(t, steps, "variant"), exptest.Column(t, steps, "step_ms"), exptest.Column(t, steps, "activation_ms")
	nulls := 0
	for _, r := range steps.Rows {
		var st, act float64
		if _, err := exptest.FmtSscan(r[stepMs]+" "+r[actMs], &st, &act); err != nil || !(act > 0 && act < st) {
			t.Errorf("step sample %v: activation time not in (0, step time)", r)
		}
		if r[arm] == kit.NullArm {
			nulls++
		}
	}
	if want := (len(cfg.Variants) + 1) * cfg.StepReps; len(steps.Rows) != want || nulls != cfg.StepReps {
		t.Errorf("%d timed step samples (%d of the null arm), want %d (%d)", len(steps.Rows), nulls, want, cfg.StepReps)
	}
	exptest.CheckVerdicts(t, res, map[string]int{"C2": 4})
	figs := exptest.RenderAll(t, res)
	for _, name := range []string{"error-curves", "timing-error-curves"} {
		f, ok := figs[name]
		if !ok {
			t.Errorf("no figure %s", name)
			continue
		}
		thresholds := 0
		for _, l := range f.Panels[0].Lines {
			if strings.HasPrefix(l.Label, "threshold ") {
				thresholds++
			}
		}
		if thresholds != len(cfg.Thresholds) {
			t.Errorf("figure %s draws %d thresholds, want %d", name, thresholds, len(cfg.Thresholds))
		}
	}
	if !strings.Contains(res.Figures[0].Title, "Fashion-MNIST") {
		t.Errorf("figure title %q does not name the data set", res.Figures[0].Title)
	}
}

// Everything but the timings is the same for 1 and 2 workers.
func TestQuickDeterministicAcrossWorkers(t *testing.T) {
	needFashion(t)
	if testing.Short() {
		t.Skip("two quick runs; skipped with -short")
	}
	skip := func(name string) bool {
		return strings.Contains(name, "timing") || strings.HasPrefix(name, "Timing verdict")
	}
	a := exptest.DeterministicBytes(t, runQuick(t, 1), skip)
	b := exptest.DeterministicBytes(t, runQuick(t, 2), skip)
	if !bytes.Equal(a, b) {
		t.Errorf("1 and 2 workers differ outside the timings (%d and %d bytes)", len(a), len(b))
	}
}

func TestCheckSteps(t *testing.T) {
	for _, c := range []struct {
		early, until, every, max int
		want                     []int
	}{
		{0, 0, 50, 200, []int{50, 100, 150, 200}},
		{0, 0, 50, 220, []int{50, 100, 150, 200}},
		{10, 40, 50, 200, []int{10, 20, 30, 40, 90, 140, 190}},
		{10, 45, 50, 150, []int{10, 20, 30, 40, 90, 140}},
		{10, 300, 50, 30, []int{10, 20, 30}},
		{25, 50, 50, 50, []int{25, 50}},
	} {
		if got := checkSteps(c.early, c.until, c.every, c.max); !slices.Equal(got, c.want) {
			t.Errorf("checkSteps(%d, %d, %d, %d) = %v, want %v", c.early, c.until, c.every, c.max, got, c.want)
		}
	}
}

func TestValidate(t *testing.T) {
	for _, c := range []struct {
		name string
		edit func(*Config)
		want string
	}{
		{"defaults", func(*Config) {}, ""},
		{"mnist accepted", func(c *Config) { c.Dataset = kit.Dataset(data.MNIST) }, ""},
		{"unknown data set", func(c *Config) { c.Dataset = "cifar10" }, "valid: mnist, fashion-mnist"},
		{"no relu", func(c *Config) { c.Variants = []string{"tanh", "sigmoid"} }, "relu must be among"},
		{"unknown activation", func(c *Config) { c.Variants = []string{"relu", "tanhh"} }, "tanhh"},
		{"bad arch", func(c *Config) { c.Arch = "conv(8,3x3)-act-pool(2)" }, "arch:"},
		{"thresholds not descending", func(c *Config) { c.Thresholds = []float64{0.15, 0.25} }, "from the highest error to the lowest"},
		{"threshold out of range", func(c *Config) { c.Thresholds = []float64{0.95} }, "not a training error in (0, 0.9)"},
		{"no thresholds", func(c *Config) { c.Thresholds = nil }, "at least one training error"},
		{"adam", func(c *Config) { c.Optimizer = "adam" }, "valid: sgd, momentum"},
		{"one seed", func(c *Config) { c.Seeds = 1 }, "at least 2"},
		{"one step repetition", func(c *Config) { c.StepReps = 1 }, "step-reps"},
		{"eval beyond training set", func(c *Config) { c.EvalExamples = c.TrainExamples + 1 }, "eval-examples"},
		{"no rates", func(c *Config) { c.LRs = nil }, "lrs"},
		{"negative rate", func(c *Config) { c.LRs = []float64{-0.1} }, "lrs"},
		{"early checks without an end", func(c *Config) { c.EarlyEvery, c.EarlyUntil = 5, 0 }, "give both"},
		{"early checks not finer", func(c *Config) { c.EarlyEvery, c.EarlyUntil = c.EvalEvery, 100 }, "not finer"},
		{"negative early checks", func(c *Config) { c.EarlyEvery, c.EarlyUntil = -1, 100 }, "early-every, early-until"},
	} {
		for _, quick := range []bool{false, true} {
			cfg := defaults(quick)
			c.edit(cfg)
			err := validate(cfg)
			switch {
			case c.want == "" && err != nil:
				t.Errorf("%s (quick %v): %v", c.name, quick, err)
			case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
				t.Errorf("%s (quick %v): error %v, want one containing %q", c.name, quick, err, c.want)
			}
		}
	}
}
