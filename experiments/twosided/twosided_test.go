package twosided

import (
	"bytes"
	"strings"
	"testing"

	"github.com/reluexp/reluexp/experiments/harness"
	"github.com/reluexp/reluexp/experiments/internal/exptest"
	"github.com/reluexp/reluexp/experiments/kit"
	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/model"
)

// paramCount must count what the model allocates.
func TestMLPParamsMatchesNetwork(t *testing.T) {
	for _, tc := range []struct {
		variant              string
		inputs, width, depth int
	}{
		{"relu", 784, 64, 3}, {"twosided", 784, 64, 3}, {"prelu", 784, 16, 2}, {"twosided", 1, 2, 10}, {"leaky", 1, 3, 1},
	} {
		net, err := model.NewMLP(model.MLPSpec{Inputs: tc.inputs, Hidden: kit.RepeatInt(tc.width, tc.depth), Outputs: 10,
			Activation: model.ActivationSpec{Name: tc.variant}, Init: model.Init{Scheme: model.HeNormal}}, harness.NewRand(1))
		if err != nil {
			t.Fatal(err)
		}
		if got, want := paramCount(tc.variant, tc.inputs, tc.width, tc.depth, 10), net.NumParams(); got != want {
			t.Errorf("%s %d-%dx%d: paramCount %d, NumParams %d", tc.variant, tc.inputs, tc.width, tc.depth, got, want)
		}
	}
}

// The matched width is the one whose parameter count is closest to the
// two-sided net's: its neighbours are no closer.
func TestMatchedWidth(t *testing.T) {
	for _, tc := range []struct{ inputs, w, depth int }{{784, 64, 3}, {784, 16, 2}, {1, 2, 20}, {1, 4, 10}} {
		target := paramCount("twosided", tc.inputs, tc.w, tc.depth, 10)
		u := resolveWidth(netSpec{"relu", "matched"}, tc.inputs, tc.w, tc.depth, 10)
		d := func(width int) int {
			x := paramCount("relu", tc.inputs, width, tc.depth, 10) - target
			if x < 0 {
				return -x
			}
			return x
		}
		if d(u-1) < d(u) || d(u+1) < d(u) {
			t.Errorf("inputs %d w %d depth %d: matched width %d (%d params off), but a neighbour is closer", tc.inputs, tc.w, tc.depth, u, d(u))
		}
	}
}

// The quick run completes with both verdicts, and no two-sided unit is
// ever dead: not after training on MNIST, not at birth.
func TestTwoSidedNoDeadUnits(t *testing.T) {
	res := exptest.RunQuick(t, New(), 2, nil)
	exptest.CheckVerdicts(t, res, map[string]int{"C12": 2})
	n := 0
	for _, r := range exptest.Records(t, res, "twosided") {
		if r["variant"] != "twosided" {
			continue
		}
		n++
		if r["dead"] != "0" || r["dead_init"] != "0" {
			t.Errorf("twosided seed %s: dead fraction %s after training, %s at init; want 0", r["seed"], r["dead"], r["dead_init"])
		}
	}
	if n == 0 {
		t.Fatal("no twosided records")
	}
	for _, r := range exptest.Records(t, res, "twosided-born-dead") {
		if strings.HasPrefix(r["net"], "twosided") && (r["constant_on_grid"] != "0" || r["dead_at_x1"] != "0") {
			t.Errorf("twosided width %s depth %s: %s born dead, %s dead at x=1; want 0", r["width"], r["depth"], r["constant_on_grid"], r["dead_at_x1"])
		}
	}
	if v := exptest.VerdictFor(t, res, "C12", "a two-sided ReLU unit cannot die"); v.Outcome != result.Confirmed {
		t.Errorf("cannot-die verdict %s: %s", v.Outcome, v.Why)
	}
}

// CSV records and summary.json are byte-identical with 1 and 2 workers:
// the wall-clock timings stay out of them.
func TestTwoSidedDeterministicAcrossWorkers(t *testing.T) {
	render := func(res *result.Result) []byte { return exptest.DeterministicBytes(t, res, nil) }
	small := func(cfg any) {
		c := cfg.(*Config)
		c.Seeds, c.TrainExamples, c.TestExamples, c.BornInits = 2, 1000, 500, 100
	}
	one := render(exptest.RunQuick(t, New(), 1, small))
	two := render(exptest.RunQuick(t, New(), 2, small))
	if !bytes.Equal(one, two) {
		t.Error("results differ between --workers 1 and --workers 2")
	}
}

func TestTwoSidedValidation(t *testing.T) {
	cases := []struct {
		name string
		edit func(*Config)
		want string
	}{
		{"no colon", func(c *Config) { c.Nets = []string{"relu-2w"} }, "variant:width"},
		{"bad width", func(c *Config) { c.Nets = []string{"relu:3w"} }, "not one of w, 2w, matched"},
		{"matched twosided", func(c *Config) { c.Nets = []string{"twosided:matched"} }, "one-sided"},
		{"unknown variant", func(c *Config) { c.Nets = []string{"relux:w"} }, "valid: relu"},
		{"even grid", func(c *Config) { c.BornGrid = 4 }, "born-grid"},
		{"no seeds", func(c *Config) { c.Seeds = 0 }, "seeds"},
	}
	for _, tc := range cases {
		cfg := defaults(true)
		tc.edit(cfg)
		err := harness.Validate(New(), cfg)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}
