package overfitting

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/reluexp/reluexp/experiments/harness"
	"github.com/reluexp/reluexp/experiments/internal/exptest"
	"github.com/reluexp/reluexp/experiments/kit"
	"github.com/reluexp/reluexp/experiments/result"
)

func runOverfittingQuick(t *testing.T, workers int, edit func(*Config)) *result.Result {
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

func parse(t *testing.T, s string) float64 {
	t.Helper()
	var x float64
	if _, err := exptest.FmtSscan(s, &x); err != nil {
		t.Fatalf("%q: %v", s, err)
	}
	return x
}

func TestOverfittingQuickFacts(t *testing.T) {
	res := runOverfittingQuick(t, 2, nil)
	cfg := overfittingDefaults(true)
	runs := exptest.RecordTable(t, res, "runs")
	// Every arm without dropout at every size, the dropout arms at
	// DropoutSizes only.
	arms := len(cfg.Variants)*len(cfg.Sizes) + len(cfg.DropoutVariants)*len(cfg.DropoutSizes)
	if want := arms * cfg.Seeds; len(runs.Rows) != want {
		t.Fatalf("%d runs recorded, want %d", len(runs.Rows), want)
	}
	col := func(name string) int { return exptest.Column(t, runs, name) }
	size, hd := col("size"), col("hidden_dropout")
	train, val, gap := col("final_train_acc"), col("final_val_acc"), col("final_gap")
	test, best := col("final_test_acc"), col("test_acc_at_best_val")
	level, reached, gapAt, diverged := col("matched_level"), col("reached_level"), col("gap_at_matched_level"), col("diverged")
	var memorised []float64
	for _, r := range runs.Rows {
		if r[diverged] == "true" {
			// A diverged run has no numbers to average in.
			if !math.IsNaN(parse(t, r[gap])) || !math.IsNaN(parse(t, r[best])) {
				t.Errorf("diverged run %v has a gap or test accuracy", r[:5])
			}
			continue
		}
		tr, va, g := parse(t, r[train]), parse(t, r[val]), parse(t, r[gap])
		if math.Abs(g-(tr-va)) > 1e-12 {
			t.Errorf("gap %g is not train %g minus validation %g", g, tr, va)
		}
		for _, a := range []float64{tr, va, parse(t, r[test]), parse(t, r[best])} {
			if !(a >= 0 && a <= 1) {
				t.Errorf("run %v: accuracy %g outside [0, 1]", r[:5], a)
			}
		}
		// The records read every run at the configured level; a rule
		// that falls back says so in its own table.
		if parse(t, r[level]) != cfg.MatchLevel {
			t.Errorf("matched level %s, want the configured %g", r[level], cfg.MatchLevel)
		}
		// A run that reached the level has a gap there; one that did not
		// is censored, never given one.
		if ga := parse(t, r[gapAt]); (r[reached] == "true") == math.IsNaN(ga) {
			t.Errorf("run %v: reached %s but gap at level %g", r[:5], r[reached], ga)
		}
		if r[hd] == "0" && r[size] == "200" {
			memorised = append(memorised, g)
		}
	}
	// 200 images are memorised: every net without dropout fits them
	// better than it generalises.
	for _, g := range memorised {
		if !(g > 0.05) {
			t.Errorf("gap %g on 200 images without dropout, want > 0.05", g)
		}
	}

	// Paired seeds: at step 0 (before any update, in evaluation mode) the
	// ReLU nets with and without dropout of one seed are the same net, and
	// two seeds are not.
	curves := exptest.RecordTable(t, res, "curves")
	cv, cs, chd, cseed, cstep, cval := exptest.Column(t, curves, "variant"), exptest.Column(t, curves, "size"), exptest.Column(t, curves, "hidden_dropout"),
		exptest.Column(t, curves, "seed"), exptest.Column(t, curves, "step"), exptest.Column(t, curves, "val_acc")
	start := map[string]string{}
	for _, r := range curves.Rows {
		if r[cv] == "relu" && r[cstep] == "0" && r[cs] == kit.Itoa(cfg.DropoutSizes[0]) {
			start[r[chd]+"/"+r[cseed]] = r[cval]
		}
	}
	for s := range cfg.Seeds {
		if a, b := start[fmt.Sprintf("0/%d", s)], start[fmt.Sprintf("0.5/%d", s)]; a == "" || a != b {
			t.Errorf("seed %d: relu starts at validation accuracy %q without dropout and %q with it; paired arms must start from the same weights", s, a, b)
		}
	}
	if start["0/0"] == start["0/1"] {
		t.Errorf("seeds 0 and 1 start at the same validation accuracy %s: the seeds do not vary", start["0/0"])
	}

	if len(res.Verdicts) != 3 {
		t.Fatalf("%d verdicts, want 3", len(res.Verdicts))
	}
	exptest.CheckVerdicts(t, res, map[string]int{"C10": 2, "C11": 1})
	mains := map[string]int{}
	for _, v := range res.Verdicts {
		if v.Margin != nil && v.N >= 2 && v.MDE == nil {
			t.Errorf("%s: a comparison of %d seeds without an MDE", v.Statement, v.N)
		}
		if v.Role == result.Main || v.Role == result.Part {
			mains[v.Claim]++
		}
		if v.N > cfg.Seeds || (v.N < 2 && v.Outcome != result.Inconclusive) {
			t.Errorf("%s: %s over %d pairs of %d seeds; fewer than 2 decide nothing", v.Statement, v.Outcome, v.N, cfg.Seeds)
		}
	}
	if mains["C10"] != 1 || mains["C11"] != 1 {
		t.Errorf("main verdicts per claim %v, want one each for C10 (main) and C11 (its dropout part)", mains)
	}
	for _, f := range res.Figures {
		for _, pn := range f.Panels {
			// A size with no run to average is marked below every value
			// drawn, never among them.
			for _, m := range pn.Markers {
				if m.Label != noneLabel {
					continue
				}
				for _, ln := range pn.Lines {
					for i := range ln.Y {
						if y := ln.Y[i]; !math.IsNaN(y) && m.Y >= y {
							t.Errorf("%s: a no-run marker at %g is not below the value %g of %s", f.Name, m.Y, y, ln.Label)
						}
					}
				}
			}
			for _, ln := range pn.Lines {
				// By size, each size stands alone: no line joins sizes
				// that were not measured in between.
				if (f.Name == "test-accuracy" || strings.HasPrefix(f.Name, "gap-at-matched-accuracy")) && ln.Label != "" {
					for k := 1; k < len(ln.X); k++ {
						if !math.IsNaN(ln.X[k]) && !math.IsNaN(ln.X[k-1]) {
							t.Errorf("%s/%s: sizes %g and %g joined by a line", f.Name, ln.Label, ln.X[k-1], ln.X[k])
						}
					}
				}
				for i := range ln.Lo {
					// A gap read early (a fallback level) may be below 0:
					// validation ahead of training.
					if pn.YLabel != "gap at matched training accuracy (pp)" && (ln.Lo[i] < 0 || ln.Hi[i] > 1) {
						t.Errorf("%s/%s: band [%g, %g] outside [0, 1]", f.Name, ln.Label, ln.Lo[i], ln.Hi[i])
					}
				}
			}
		}
	}
}

// fakeRun is a made-up run that fits its training set by step 20.
func fakeRun(val float64) overfitResult {
	return overfitResult{BestStep: 20, FinalTestAcc: val, BestTestAcc: val, DivergedStep: -1, Steps: 40, Checkpoints: []overfitCheckpoint{
		{Step: 0, TrainAcc: 0.1, ValAcc: 0.1}, {Step: 20, TrainAcc: 1, ValAcc: val}, {Step: 40, TrainAcc: 1, ValAcc: val},
	}}
}

func TestDivergedRunsAreLeftOutAndCounted(t *testing.T) {
	cfg := overfittingDefaults(true)
	cfg.Variants, cfg.DropoutVariants, cfg.Sizes, cfg.Steps, cfg.Seeds = []string{"relu"}, []string{"relu"}, []int{100, 200}, []int{40, 40}, 3
	cfg.DropoutSizes = nil
	var done []harness.Done[overfitCell, overfitResult]
	for _, c := range overfittingCells(cfg) {
		r := fakeRun(0.8 + 0.01*float64(c.Params.Seed))
		if c.Params.dropped() {
			r = fakeRun(0.85 + 0.01*float64(c.Params.Seed))
		}
		if c.Params.dropped() && c.Params.Size == 200 && c.Params.Seed == 2 {
			// Blew up after a last checkpoint that looked excellent.
			r = fakeRun(0.99)
			r.Diverged, r.DivergedStep, r.DivergedCause, r.FinalTestAcc, r.BestTestAcc = true, 41, "loss 1e175 above the cap", 0, 0
		}
		done = append(done, harness.Done[overfitCell, overfitResult]{ID: c.ID, Params: c.Params, Result: r})
	}
	res, err := summarizeOverfitting(cfg, done)
	if err != nil {
		t.Fatal(err)
	}
	var c11 result.Verdict
	for _, v := range res.Verdicts {
		if v.Claim == "C11" {
			c11 = v
		}
	}
	// Two pairs remain at n=200, each with a gain of exactly 5 points; the
	// diverged run's 99% is not averaged in.
	if c11.Effect == nil || c11.N != 2 || math.Abs(c11.Effect.Estimate.Mean-5) > 1e-9 {
		t.Fatalf("C11 effect %+v over %d pairs, want 5 pp over 2", c11.Effect, c11.N)
	}
	// Identical differences give a zero-width interval, which decides nothing.
	if c11.Outcome != result.Inconclusive || !strings.Contains(c11.Why, "zero-width") {
		t.Errorf("C11 %s (%s), want INCONCLUSIVE for a zero-width interval", c11.Outcome, c11.Why)
	}
	var final result.Table
	for _, tb := range res.Tables {
		if tb.Name == "final" {
			final = tb
		}
	}
	found := false
	for _, r := range final.Rows {
		if strings.HasPrefix(r[0], "relu + dropout") && r[1] == "200" {
			found = true
			if !strings.Contains(r[3], "1 diverged") || !strings.HasPrefix(r[7], "0.8550 ") {
				t.Errorf("dropout n=200 row %v: want the diverged run counted and left out of the test accuracy", r)
			}
		}
	}
	if !found {
		t.Error("no row for relu + dropout at n=200")
	}
	for _, f := range res.Figures {
		if f.Name != "learning-curves" {
			continue
		}
		marked := 0
		for _, pn := range f.Panels {
			for _, m := range pn.Markers {
				if m.Label == "diverged" {
					marked++
				}
			}
		}
		if marked != 1 {
			t.Errorf("%d diverged markers in the learning curves, want 1", marked)
		}
	}
}

func TestOverfittingDeterministicAcrossWorkers(t *testing.T) {
	edit := func(c *Config) {
		c.Variants, c.DropoutVariants = []string{"relu", "tanh"}, []string{"relu", "tanh"}
		c.Sizes, c.Steps, c.DropoutSteps, c.DropoutSizes = []int{200}, []int{60}, nil, nil
	}
	one := exptest.DeterministicBytes(t, runOverfittingQuick(t, 1, edit), nil)
	two := exptest.DeterministicBytes(t, runOverfittingQuick(t, 2, edit), nil)
	if !bytes.Equal(one, two) {
		t.Error("CSV and summary differ between --workers 1 and --workers 2")
	}
}

func TestOverfittingValidation(t *testing.T) {
	cases := []struct {
		name string
		edit func(*Config)
		want string
	}{
		{"unknown variant", func(c *Config) { c.Variants = []string{"relu", "rectifier"} }, "valid: relu"},
		{"unknown dropout variant", func(c *Config) { c.DropoutVariants = []string{"relu", "rectifier"} }, "dropout-variant: unknown variant"},
		{"steps per size", func(c *Config) { c.Steps = []int{100} }, "one number of updates per size"},
		{"training set overlapping validation", func(c *Config) { c.Sizes = []int{200, 59800}; c.Steps, c.DropoutSizes = []int{1, 1}, nil }, "overlap"},
		{"dropout size not run", func(c *Config) { c.DropoutSizes = []int{300} }, "dropout-sizes: 300 is not in --sizes"},
		{"dropout steps per size", func(c *Config) { c.DropoutSteps = []int{100} }, "dropout-steps: give one number of updates per size"},
		{"dropout steps positive", func(c *Config) { c.DropoutSteps = []int{100, 0} }, "dropout-steps"},
		{"momentum", func(c *Config) { c.Momentum = 1 }, "momentum 1 outside [0, 1)"},
		{"lr decay", func(c *Config) { c.LRDecay = 0 }, "lr-decay"},
		{"max-norm", func(c *Config) { c.MaxNorm = -1 }, "max-norm"},
		{"match loss", func(c *Config) { c.MatchLoss = 0 }, "match-loss"},
		{"dropout rate", func(c *Config) { c.HiddenDropout = []float64{0, 1} }, "outside [0, 1)"},
		{"input dropout rate", func(c *Config) { c.InputDropout = -0.2 }, "outside [0, 1)"},
		{"dropout arm without a rate", func(c *Config) { c.HiddenDropout = []float64{0} }, "need a rate above 0"},
		{"test images", func(c *Config) { c.TestExamples = 20000 }, "10000"},
		{"match level", func(c *Config) { c.MatchLevel = 1.5 }, "match-level"},
		{"optimizer", func(c *Config) { c.Optimizer = "rmsprop" }, "sgd"},
	}
	for _, tc := range cases {
		cfg := overfittingDefaults(true)
		tc.edit(cfg)
		err := harness.Validate(New(), cfg)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
	for _, quick := range []bool{false, true} {
		if err := harness.Validate(New(), overfittingDefaults(quick)); err != nil {
			t.Errorf("defaults (quick %v): %v", quick, err)
		}
		if err := harness.Validate(New(), paperDefaults(quick)); err != nil {
			t.Errorf("paper profile (quick %v): %v", quick, err)
		}
	}
}

// TestPaperProfileQuick runs the paper profile's quick form: momentum,
// the decaying rate, max-norm and a dropout arm for every activation at
// every size, through to the verdicts.
func TestPaperProfileQuick(t *testing.T) {
	exp := New()
	cfg, err := harness.Defaults(exp, true, "paper")
	if err != nil {
		t.Fatal(err)
	}
	c := cfg.(*Config)
	if c.Optimizer != "momentum" || !(c.MaxNorm > 0) || !(c.LRDecay < 1) {
		t.Fatalf("paper profile's quick form %+v lacks momentum, max-norm or decay", c)
	}
	res, err := harness.Run(context.Background(), exp, cfg, harness.RunOptions{Seed: 1, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	runs := exptest.RecordTable(t, res, "runs")
	if want := 2 * len(c.Variants) * len(c.Sizes) * c.Seeds; len(runs.Rows) != want {
		t.Fatalf("%d runs, want %d (every arm at every size)", len(runs.Rows), want)
	}
	div := exptest.Column(t, runs, "diverged")
	for _, r := range runs.Rows {
		if r[div] != "false" {
			t.Errorf("run %v diverged", r[:5])
		}
	}
	if len(res.Verdicts) != 3 {
		t.Errorf("%d verdicts, want 3", len(res.Verdicts))
	}
	exptest.CheckVerdicts(t, res, nil)
}

// TestCellsFollowTheArmsBudgetsAndSizes: the dropout arms run at
// DropoutSizes only, with DropoutSteps; the arms without dropout at every
// size with Steps, their IDs unchanged by either setting.
func TestCellsFollowTheArmsBudgetsAndSizes(t *testing.T) {
	cfg := overfittingDefaults(false)
	cfg.Seeds = 1
	base := map[string]bool{}
	for _, c := range overfittingCells(cfg) {
		if !c.Params.dropped() {
			base[c.ID] = true
		}
	}
	cfg.DropoutSteps = []int{700, 3300}
	plain, dropped := 0, 0
	for _, c := range overfittingCells(cfg) {
		p := c.Params
		switch {
		case p.dropped():
			dropped++
			if p.Size != 2000 || p.Steps != 3300 || !strings.Contains(c.ID, "/steps3300/") {
				t.Errorf("dropout cell %s: size %d, %d steps; want 2000 and 3300", c.ID, p.Size, p.Steps)
			}
		default:
			plain++
			if want := map[int]int{500: 700, 2000: 2500}[p.Size]; p.Steps != want || !base[c.ID] {
				t.Errorf("cell %s without dropout: %d steps (want %d), ID known before: %v", c.ID, p.Steps, want, base[c.ID])
			}
		}
	}
	if plain != 6 || dropped != 3 {
		t.Errorf("%d cells without dropout and %d with, want 6 and 3", plain, dropped)
	}
}

// A figure says at which sizes the dropout arms were not run, and nothing
// when they ran at every size.
func TestDropoutSizesWords(t *testing.T) {
	c := &Config{Sizes: []int{500, 2000}, Variants: []string{"relu", "tanh"}, DropoutVariants: []string{"relu"}, HiddenDropout: []float64{0.5}, DropoutSizes: []int{2000}}
	if got := c.dropoutSizesWords(); !strings.Contains(got, "not run at n=500 (they run at n=2000 only)") {
		t.Errorf("got %q", got)
	}
	c.DropoutSizes = nil
	if got := c.dropoutSizesWords(); got != "" {
		t.Errorf("every size run: got %q", got)
	}
}
