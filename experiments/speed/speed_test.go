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
// step, with the activation's share inside it. No speed is asserted: on a
// shared machine any outcome of a timing verdict is possible.
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
		for _, k := range append([]string{branchlessReLU}, cfg.kernelVariantsAt(i)...) {
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
	// Every net (the MLPs and the CNN) for every activation and the null
	// arm, a second ReLU net.
	net, variants := exptest.Column(t, steps, "net"), exptest.Column(t, steps, "variant")
	perArm := map[string]int{}
	for _, r := range steps.Rows {
		perArm[r[net]+"/"+r[variants]]++
	}
	nets := len(cfg.stepNets()) + 1
	if want := nets * (len(cfg.StepVariants) + 1) * cfg.StepReps; len(steps.Rows) != want || perArm["cnn/tanh"] != cfg.StepReps || perArm["cnn/"+kit.NullArm] != cfg.StepReps {
		t.Errorf("%d step samples (%d of the CNN with tanh, %d of its null arm), want %d (%d each)", len(steps.Rows), perArm["cnn/tanh"], perArm["cnn/"+kit.NullArm], want, cfg.StepReps)
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
	variant, reached, read, seed := exptest.Column(t, runs, "variant"), exptest.Column(t, runs, "reached"), exptest.Column(t, runs, "read"), exptest.Column(t, runs, "seed")
	reluReached, readRuns := 0, map[string]int{}
	for _, r := range runs.Rows {
		if r[variant] == "relu" && r[reached] == "true" {
			reluReached++
		}
		if r[read] == "true" {
			readRuns[r[variant]+"/"+r[seed]]++
		}
	}
	if reluReached == 0 {
		t.Errorf("no ReLU run reached %.2f training accuracy on %d images", cfg.Target, cfg.TrainExamples)
	}
	// Each seed of each activation is read at exactly one rate.
	if len(readRuns) != len(cfg.Variants)*cfg.Seeds {
		t.Errorf("%d (activation, seed) pairs read, want %d", len(readRuns), len(cfg.Variants)*cfg.Seeds)
	}
	for k, n := range readRuns {
		if n != 1 {
			t.Errorf("%s is read at %d rates, want 1", k, n)
		}
	}
	checkSpeedVerdicts(t, res)
	exptest.RenderAll(t, res)
}

// checkSpeedVerdicts holds the verdicts to the project's standard
// (exptest.CheckVerdicts: five on C2, each with a known outcome and role,
// rule, why and caveat, effect and margin together with the margin's
// reason, evidence inside its interval) and adds what is particular to
// this experiment: exactly one main verdict, first; every rule compares,
// with an MDE from two units on and its effect inside its interval; and the timing verdicts (main, seconds
// against tanh and sigmoid) marked as such.
func checkSpeedVerdicts(t *testing.T, res *result.Result) {
	t.Helper()
	if len(res.Verdicts) != 5 {
		t.Fatalf("%d verdicts, want 5 (main, updates and seconds against tanh and sigmoid)", len(res.Verdicts))
	}
	exptest.CheckVerdicts(t, res, map[string]int{"C2": 5})
	mains, timing := 0, 0
	for _, v := range res.Verdicts {
		if v.Role == result.Main {
			mains++
		}
		if v.Effect == nil || v.Margin == nil {
			t.Errorf("%q: every rule here compares, so it needs an effect and a margin", v.Statement)
		} else if v.N >= 2 && v.MDE == nil {
			t.Errorf("%q: n = %d but no MDE", v.Statement, v.N)
		} else if e := v.Effect.Estimate; e.N >= 2 && !math.IsNaN(e.Mean) && (e.Lo > e.Mean+1e-9 || e.Hi < e.Mean-1e-9) {
			t.Errorf("%q: effect %q is not a mean inside its interval: %+v", v.Statement, v.Effect.Name, e)
		}
		if strings.HasPrefix(v.Rule, timingRule) {
			timing++
		}
	}
	if mains != 1 || res.Verdicts[0].Role != result.Main {
		t.Errorf("%d main verdicts, want exactly one, first", mains)
	}
	if timing != 3 {
		t.Errorf("%d verdicts marked as timing verdicts, want 3 (main and seconds against tanh and sigmoid)", timing)
	}
}

// Every activation and rate of one seed shares that seed, so the arms
// compared on seed s start from the same draws and see the same batches;
// different seeds differ.
func TestSpeedCellsArePairedOnSeeds(t *testing.T) {
	exp := New()
	cfg := speedDefaults(true)
	bySeed := map[int]map[uint64]bool{}
	for _, c := range harness.Plan(exp, cfg, 1) {
		p := c.Params.(speedCell)
		if p.Kind != "train" {
			continue
		}
		if bySeed[p.Seed] == nil {
			bySeed[p.Seed] = map[uint64]bool{}
		}
		bySeed[p.Seed][c.Seed] = true
	}
	seen := map[uint64]int{}
	for s, seeds := range bySeed {
		if len(seeds) != 1 {
			t.Errorf("seed %d: its runs draw from %d different seeds, want 1", s, len(seeds))
		}
		for x := range seeds {
			if prev, ok := seen[x]; ok {
				t.Errorf("seeds %d and %d share a random seed", prev, s)
			}
			seen[x] = s
		}
	}
	if len(bySeed) != cfg.Seeds {
		t.Errorf("%d seeds planned, want %d", len(bySeed), cfg.Seeds)
	}
}

// Paired runs of different activations see the same batches: two runs of
// one seed at one rate, relu and tanh, draw the same data order, so a
// linear activation's run and relu's would differ only through the
// function. Checked through the streams: the order stream of a seed does
// not depend on the activation's init.
func TestSpeedStreamsSeparateInitFromOrder(t *testing.T) {
	a, b := harness.NewRand(7), harness.NewRand(7)
	initA, orderA, _ := kit.Streams(a)
	initB, orderB, _ := kit.Streams(b)
	for range 100 { // one arm draws more initial weights than the other
		initA.NormFloat64()
	}
	_ = initB
	for i := range 10 {
		if x, y := orderA.Uint64(), orderB.Uint64(); x != y {
			t.Fatalf("draw %d of the order stream differs between arms: %d, %d", i, x, y)
		}
	}
}

// A run that diverges is counted as diverged, never as reached, and is
// left out of the updates and of the paired ratios.
func TestSpeedDivergedRunsAreNotValues(t *testing.T) {
	c := speedDefaults(true)
	c.Seeds, c.LRs = 4, []float64{0.1}
	s := &speedSummary{c: c, runs: map[speedLRKey]map[int]speedTrain{}, chosen: map[string][2]float64{}}
	put := func(v string, seed int, r speedTrain) {
		k := speedLRKey{v, 0.1}
		if s.runs[k] == nil {
			s.runs[k] = map[int]speedTrain{}
		}
		s.runs[k][seed] = r
	}
	for seed := range 4 {
		put("relu", seed, speedTrain{Reached: true, StepsToTarget: 100})
		put("sigmoid", seed, speedTrain{Reached: true, StepsToTarget: 200})
	}
	// tanh: two reached, one diverged (even though flagged reached by a
	// faulty record, it must not count), one out of budget.
	put("tanh", 0, speedTrain{Reached: true, StepsToTarget: 150})
	put("tanh", 1, speedTrain{Reached: true, StepsToTarget: 150})
	put("tanh", 2, speedTrain{Diverged: true, DivergedStep: 12, Reached: true, StepsToTarget: 1})
	put("tanh", 3, speedTrain{Steps: c.MaxSteps})
	for _, v := range c.Variants {
		s.chosen[v] = [2]float64{0.1, 0.1}
	}
	a := s.armOf("tanh")
	if a.reached != 2 || a.diverged != 1 || a.budget != 1 || a.n != 4 {
		t.Errorf("tanh arm %+v: want 2 reached, 1 diverged, 1 out of budget of 4", a)
	}
	p := s.updatesRatio("tanh")
	if p.Diff.N != 2 || math.Abs(math.Exp(p.Diff.Mean)-1.5) > 1e-12 {
		t.Errorf("tanh / relu over %d pairs = %g, want 1.5 over the 2 seeds both reached", p.Diff.N, math.Exp(p.Diff.Mean))
	}
	if got := s.reachedUpdates("tanh"); len(got) != 2 {
		t.Errorf("tanh updates %v: a diverged or censored run is not a value", got)
	}
	// Kaplan-Meier median with 2 of 4 reached at 150: the median is 150.
	if a.median != 150 {
		t.Errorf("tanh median %g, want 150", a.median)
	}
	fig := s.stepsFigure()
	labels := map[string]int{}
	for _, m := range fig.Panels[0].Markers {
		labels[m.Label]++
		if m.Y != float64(c.MaxSteps) {
			t.Errorf("marker %q at %g, want it on the budget line %d", m.Label, m.Y, c.MaxSteps)
		}
	}
	if labels["diverged"] != 1 || labels["> budget (censored)"] != 1 {
		t.Errorf("markers %v: want one diverged and one censored", labels)
	}
	for _, ln := range fig.Panels[0].Lines {
		for _, y := range ln.Y {
			if y == 1 {
				t.Errorf("line %q draws the diverged run's value", ln.Label)
			}
		}
	}
}

// Timing lives only in outputs named "timing" and in timing verdicts; the
// rest is identical whatever the number of workers.
func TestSpeedDeterministicOutsideTiming(t *testing.T) {
	edit := func(c *Config) {
		c.KernelVariants, c.KernelSizes, c.KernelReps = []string{"relu", "tanh", "sigmoid"}, []int{1024}, []int{2}
		c.Seeds = 2
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
		{"one seed cannot be cross-fitted", func(c *Config) { c.Seeds = 1 }, "at least 2"},
		{"one step repetition has no interval", func(c *Config) { c.StepReps = 1 }, "step-reps"},
		{"a trained activation's step not timed", func(c *Config) { c.StepVariants = []string{"relu", "tanh"} }, "sigmoid is trained"},
		{"bad large kernel variant", func(c *Config) { c.KernelVariantsLarge = []string{"maxout"} }, "kernel-variants-large"},
		{"a CNN that cannot be built", func(c *Config) { c.StepCNN = "conv(8,3x3)-act-warp(2)" }, "step-cnn"},
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
