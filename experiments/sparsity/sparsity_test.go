package sparsity

import (
	"math"
	"strings"
	"testing"

	"github.com/reluexp/reluexp/experiments/harness"
	"github.com/reluexp/reluexp/experiments/internal/exptest"
)

// The quick run completes with both verdicts; ReLU starts with about half of
// its activations exactly zero, the other variants have none, and a near
// zero count always includes the exact zeros.
func TestSparsityQuickRun(t *testing.T) {
	res := exptest.RunQuick(t, New(), 2, nil)
	exptest.CheckVerdicts(t, res, map[string]int{"C5": 2})
	var reluInit []float64
	for _, r := range exptest.Records(t, res, "sparsity") {
		zero, near := exptest.Num(t, r["exact_zero"]), exptest.Num(t, r["near_zero"])
		if near < zero {
			t.Errorf("%s seed %s epoch %s layer %s: near zeros %g < exact zeros %g", r["variant"], r["seed"], r["epoch"], r["layer"], near, zero)
		}
		switch {
		case r["variant"] == "relu" && r["epoch"] == "0":
			reluInit = append(reluInit, zero)
		case r["variant"] != "relu" && zero != 0:
			t.Errorf("%s has exact zeros (%g) at epoch %s", r["variant"], zero, r["epoch"])
		}
	}
	var m float64
	for _, z := range reluInit {
		m += z / float64(len(reluInit))
	}
	if math.Abs(m-0.5) > 0.1 {
		t.Errorf("relu at initialisation: %.3f exact zeros on average, want about 0.5", m)
	}
	// The histogram counts every activation once.
	total := map[string]float64{}
	for _, r := range exptest.Records(t, res, "histograms") {
		total[r["variant"]+"/"+r["stage"]] += exptest.Num(t, r["count"])
	}
	cfg := sparsityDefaults(true)
	want := float64(cfg.ProbeExamples*cfg.Width*cfg.Depth) * float64(cfg.Seeds)
	for k, n := range total {
		if n != want {
			t.Errorf("histogram %s counts %g activations, want %g", k, n, want)
		}
	}
}

func TestSparsityValidation(t *testing.T) {
	cases := []struct {
		name string
		edit func(*Config)
		want string
	}{
		{"unknown variant", func(c *Config) { c.Variants = []string{"rectifier"} }, "valid: relu"},
		{"probe larger than training set", func(c *Config) { c.ProbeExamples = c.TrainExamples + 1 }, "probe-examples"},
		{"no epochs", func(c *Config) { c.Epochs = 0 }, "epochs"},
		{"bad optimiser", func(c *Config) { c.Optimizer = "lbfgs" }, "lbfgs"},
	}
	for _, tc := range cases {
		cfg := sparsityDefaults(true)
		tc.edit(cfg)
		err := harness.Validate(New(), cfg)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}
