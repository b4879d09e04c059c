package vanishing

import (
	"bytes"
	"context"
	"math"
	"strings"
	"testing"

	"github.com/reluexp/reluexp/experiments/harness"
	"github.com/reluexp/reluexp/experiments/internal/exptest"
	"github.com/reluexp/reluexp/experiments/result"
)

// quickVanishing runs the quick configuration without the MNIST part
// (covered separately) so the gradient facts are checked fast.
func quickVanishing(t *testing.T, workers int, edit func(*Config)) *result.Result {
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

// The robust facts of claim C3 at depth 30, even in quick mode: sigmoid under
// Xavier loses more than three decades between the last and first layer, and
// ReLU under He stays within one.
func TestVanishingQuickGradientFacts(t *testing.T) {
	res := quickVanishing(t, 2, func(c *Config) { c.TrainDepths = nil })
	v := exptest.VerdictFor(t, res, "C3", "sigmoid/tanh gradients")
	sig := exptest.Evidence(t, v, "sigmoid xavier-normal depth 30")
	relu := exptest.Evidence(t, v, "relu he-normal depth 30")
	if !(sig < -3) {
		t.Errorf("sigmoid/xavier log10(first/last) at depth 30 = %.2f, want < -3", sig)
	}
	if math.Abs(relu) > 1 {
		t.Errorf("relu/he log10(first/last) at depth 30 = %.2f, want within [-1, 1]", relu)
	}
	c4 := exptest.VerdictFor(t, res, "C4", "")
	if c4.Outcome != result.Confirmed {
		t.Errorf("C4: %s (%s)", c4.Outcome, c4.Why)
	}
	if blocked := exptest.Evidence(t, c4, "relu: fraction of dz entries blocked"); math.Abs(blocked-0.5) > 0.05 {
		t.Errorf("ReLU blocks %.3f of gradient entries at init, want about half", blocked)
	}
}

// Mean-field theory and measurement must agree where theory is exact enough:
// ReLU under any init and sigmoid under Xavier, depth 10, within 0.3 decades.
func TestVanishingAgreesWithMeanField(t *testing.T) {
	res := quickVanishing(t, 2, func(c *Config) {
		c.TrainDepths = nil
		c.Variants = []string{"relu", "sigmoid"}
		c.Depths = []int{10}
		c.Seeds = 6
	})
	var ratio result.Table
	for _, tb := range res.Tables {
		if tb.Name == "ratio" {
			ratio = tb
		}
	}
	for _, row := range ratio.Rows {
		var meas, lo, hi, pred float64
		if _, err := sscan(row[2], &meas, &lo, &hi, &pred); err != nil {
			t.Fatalf("cannot read %q: %v", row[2], err)
		}
		if math.Abs(meas-pred) > 0.3 {
			t.Errorf("%s/%s depth 10: measured log10 ratio %.2f, mean field %.2f", row[0], row[1], meas, pred)
		}
	}
}

// sscan reads "m [lo, hi] (p)".
func sscan(s string, m, lo, hi, p *float64) (int, error) {
	r := strings.NewReplacer("[", " ", "]", " ", ",", " ", "(", " ", ")", " ")
	return exptest.FmtSscan(r.Replace(s), m, lo, hi, p)
}

// Results are a function of the seed only: the CSV and summary are
// byte-identical across worker counts and repeated runs.
func TestVanishingDeterministicAcrossWorkers(t *testing.T) {
	edit := func(c *Config) {
		c.Depths = []int{2, 10}
		c.TrainDepths = []int{2}
		c.TrainExamples, c.TestExamples = 500, 500
	}
	render := func(res *result.Result) []byte { return exptest.DeterministicBytes(t, res, nil) }
	one := render(quickVanishing(t, 1, edit))
	two := render(quickVanishing(t, 2, edit))
	again := render(quickVanishing(t, 2, edit))
	if !bytes.Equal(one, two) {
		t.Error("results differ between --workers 1 and --workers 2")
	}
	if !bytes.Equal(two, again) {
		t.Error("results differ between two identical runs")
	}
}

func TestVanishingValidation(t *testing.T) {
	cases := []struct {
		name string
		edit func(*Config)
		want string
	}{
		{"unknown variant", func(c *Config) { c.Variants = []string{"relu", "swishy"} }, "valid: relu"},
		{"depth 0", func(c *Config) { c.Depths = []int{0, 2} }, "depths must be positive"},
		{"no seeds", func(c *Config) { c.Seeds = 0 }, "seeds"},
		{"bad init", func(c *Config) { c.Inits = []string{"kaiming"} }, "valid: xavier-uniform"},
		{"bad pair", func(c *Config) { c.TrainNets = []string{"relu-he"} }, "activation/init"},
		{"bad lr", func(c *Config) { c.LR = 0 }, "learning rate"},
	}
	for _, tc := range cases {
		cfg := Defaults(true)
		tc.edit(cfg)
		err := harness.Validate(New(), cfg)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}
