package overfitting

import (
	"bytes"
	"context"
	"math"
	"strings"
	"testing"

	"github.com/reluexp/reluexp/experiments/harness"
	"github.com/reluexp/reluexp/experiments/internal/exptest"
	"github.com/reluexp/reluexp/experiments/kit"
	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/metrics"
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

func TestOverfittingQuickFacts(t *testing.T) {
	res := runOverfittingQuick(t, 2, nil)
	cfg := overfittingDefaults(true)
	runs := exptest.RecordTable(t, res, "runs")
	if want := len(cfg.Variants) * len(cfg.Sizes) * len(cfg.HiddenDropout) * cfg.Seeds; len(runs.Rows) != want {
		t.Fatalf("%d runs recorded, want %d", len(runs.Rows), want)
	}
	curves := exptest.RecordTable(t, res, "curves")
	perRun := len(kit.GeometricSteps(cfg.Steps[0], cfg.Checkpoints)) + 1 // and step 0
	if len(curves.Rows) < perRun*len(runs.Rows)/2 {
		t.Errorf("only %d checkpoints for %d runs", len(curves.Rows), len(runs.Rows))
	}
	size, hd := exptest.Column(t, runs, "size"), exptest.Column(t, runs, "hidden_dropout")
	train, test, gap := exptest.Column(t, runs, "final_train_acc"), exptest.Column(t, runs, "final_test_acc"), exptest.Column(t, runs, "final_gap")
	level, gapAt := exptest.Column(t, runs, "matched_level"), exptest.Column(t, runs, "gap_at_matched_level")
	var small, large []float64
	for _, r := range runs.Rows {
		var tr, te, g, lv, ga float64
		for i, p := range []*float64{&tr, &te, &g, &lv, &ga} {
			if _, err := exptest.FmtSscan(r[[]int{train, test, gap, level, gapAt}[i]], p); err != nil {
				t.Fatalf("row %v: %v", r, err)
			}
		}
		if math.Abs(g-(tr-te)) > 1e-12 {
			t.Errorf("gap %g is not train %g minus test %g", g, tr, te)
		}
		if lv > cfg.MatchLevel || lv <= 0.1 || math.IsNaN(ga) {
			t.Errorf("matched level %g (gap %g) outside (0.1, %g]", lv, ga, cfg.MatchLevel)
		}
		if r[hd] == "0" && r[size] == "200" {
			// 200 images are memorised: every net without dropout fits
			// them better than it generalises.
			small = append(small, g)
			if !(g > 0.05) {
				t.Errorf("run %v: gap %g on 200 images, want > 0.05", r[:5], g)
			}
		}
		if r[hd] == "0" && r[size] == "1000" {
			large = append(large, g)
		}
	}
	if metrics.MeanCI(small).Mean <= metrics.MeanCI(large).Mean {
		t.Errorf("mean gap on 200 images %.3f not above that on 1000 images %.3f", metrics.MeanCI(small).Mean, metrics.MeanCI(large).Mean)
	}
	if len(res.Verdicts) != 4 {
		t.Fatalf("%d verdicts, want 4", len(res.Verdicts))
	}
	for _, v := range res.Verdicts {
		if v.Rule == "" || v.Why == "" || len(v.Evidence) == 0 {
			t.Errorf("verdict %q lacks a rule, a reason or evidence", v.Statement)
		}
		for _, e := range v.Evidence {
			if math.IsNaN(e.Estimate.Mean) || e.Estimate.N < 2 {
				t.Errorf("%s: evidence %q = %+v", v.Statement, e.Name, e.Estimate)
			}
		}
	}
}

func TestOverfittingDeterministicAcrossWorkers(t *testing.T) {
	edit := func(c *Config) {
		c.Variants = []string{"relu", "tanh"}
		c.Sizes, c.Steps = []int{200}, []int{60}
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
		{"steps per size", func(c *Config) { c.Steps = []int{100} }, "one number of updates per size"},
		{"too many images", func(c *Config) { c.Sizes = []int{200, 70000}; c.Steps = []int{1, 1} }, "60000"},
		{"dropout rate", func(c *Config) { c.HiddenDropout = []float64{0, 1} }, "outside [0, 1)"},
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
	if err := harness.Validate(New(), overfittingDefaults(false)); err != nil {
		t.Errorf("full defaults: %v", err)
	}
}
