package dying

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/reluexp/reluexp/data"
	"github.com/reluexp/reluexp/experiments/harness"
	"github.com/reluexp/reluexp/experiments/internal/exptest"
	"github.com/reluexp/reluexp/experiments/kit"
	"github.com/reluexp/reluexp/metrics"
	"github.com/reluexp/reluexp/model"
)

// With zero biases and the input x = 1, the Monte Carlo rate of nets with an
// all-zero hidden layer must match 1-(1-2^-N)^H: within 3 standard errors
// at every (width, depth) checked.
func TestBornDeadMatchesFormula(t *testing.T) {
	const inits = 1000
	checks := map[int][]int{2: {1, 3, 10}, 3: {5, 20}, 4: {2, 10}, 5: {20, 50}, 10: {10, 50}}
	for w, depths := range checks {
		p := kit.BornCell{Variant: "relu", Init: kit.HeInit, Width: w, MaxDepth: 50, Grid: 21, Inits: inits}
		b, err := kit.RunBornDead(context.Background(), p, harness.NewRand(uint64(100+w)))
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range depths {
			want := bornFormula(w, h)
			if z := metrics.BinomialZ(b.DeadAtOne[h-1], inits, want); math.Abs(z) > 3 {
				t.Errorf("N=%d H=%d: %d of %d dead at x=1, formula %.4f: %.1f standard errors off", w, h, b.DeadAtOne[h-1], inits, want, z)
			}
		}
		// Facts that hold draw by draw: a net constant on [-1, 1] is zero at
		// x = 0 (zero biases), hence dead at x = 1; one hidden layer can be
		// constant only if every weight is 0; events only grow with depth.
		if b.Constant[0] != 0 {
			t.Errorf("N=%d: %d one-layer nets constant on the grid, want 0", w, b.Constant[0])
		}
		for h := range b.Constant {
			if b.Constant[h] > b.DeadAtOne[h] {
				t.Errorf("N=%d H=%d: %d constant nets but only %d dead at x=1", w, h+1, b.Constant[h], b.DeadAtOne[h])
			}
			if h > 0 && (b.Constant[h] < b.Constant[h-1] || b.DeadAtOne[h] < b.DeadAtOne[h-1]) {
				t.Errorf("N=%d: counts fall from depth %d to %d", w, h, h+1)
			}
		}
	}
}

// Variants without an exact zero output are never constant on the grid.
func TestBornDeadNeverForNonZeroVariants(t *testing.T) {
	for _, v := range []string{"leaky", "elu", "prelu", "twosided"} {
		p := kit.BornCell{Variant: v, Init: kit.HeInit, Width: 2, MaxDepth: 20, Grid: 21, Inits: 200}
		b, err := kit.RunBornDead(context.Background(), p, harness.NewRand(7))
		if err != nil {
			t.Fatal(err)
		}
		if b.Constant[19] != 0 || b.DeadAtOne[19] != 0 {
			t.Errorf("%s: %d constant and %d dead at x=1 of 200 width-2 depth-20 nets, want 0", v, b.Constant[19], b.DeadAtOne[19])
		}
	}
}

// The asymmetric init puts one Beta(2,1) draw (mean 2/3) among each unit's
// fan_in + 1 parameters, the rest N(0, 0.6007^2/fan_in): with one input the
// weight and the bias each have mean 1/3 and variance
// (E[B^2] + 0.6007^2)/2 - 1/9 = (1/2 + 0.3608)/2 - 1/9.
func TestAsymmetricInit(t *testing.T) {
	rng := harness.NewRand(11)
	d := model.NewDense("h", 1, 40000, model.Init{Scheme: model.HeNormal}, 0, rng)
	kit.FillAsymmetric(d, rng)
	wantVar := (0.5+kit.RaiSigma*kit.RaiSigma)/2 - 1.0/9
	for name, xs := range map[string][]float64{"weights": d.W.Value, "biases": d.B.Value} {
		var m, v float64
		for _, x := range xs {
			m += x
		}
		m /= float64(len(xs))
		for _, x := range xs {
			v += (x - m) * (x - m)
		}
		v /= float64(len(xs))
		if math.Abs(m-1.0/3) > 0.01 || math.Abs(v-wantVar) > 0.01 {
			t.Errorf("%s: mean %.4f variance %.4f, want 1/3 and %.4f", name, m, v, wantVar)
		}
	}
}

func TestDyingSpec(t *testing.T) {
	cases := []struct {
		name    string
		want    model.ActivationSpec
		wantErr string
	}{
		{"relu", model.ActivationSpec{Name: "relu"}, ""},
		{"relu-d1", model.ActivationSpec{Name: "relu", ReLUDerivAtZero: 1}, ""},
		{"relu-d0.5", model.ActivationSpec{Name: "relu", ReLUDerivAtZero: 0.5}, ""},
		{"leaky", model.ActivationSpec{Name: "leaky"}, ""},
		{"twosided", model.ActivationSpec{Name: "twosided"}, ""},
		{"relu-d2", model.ActivationSpec{}, "in [0, 1]"},
		{"relu-dx", model.ActivationSpec{}, "e.g. relu-d1"},
		{"relu1", model.ActivationSpec{}, "or relu-d1"},
	}
	for _, tc := range cases {
		got, err := kit.VariantSpec(tc.name)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.wantErr)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%s: %+v, %v; want %+v", tc.name, got, err, tc.want)
		}
	}
}

func TestDyingValidation(t *testing.T) {
	cases := []struct {
		name string
		edit func(*Config)
		want string
	}{
		{"unknown variant", func(c *Config) { c.Variants = []string{"relu", "relu6"} }, "valid: relu"},
		{"no variant", func(c *Config) { c.Variants = nil }, "no variant"},
		{"even grid", func(c *Config) { c.BornGrid = 20 }, "born-grid must be odd"},
		{"zero width", func(c *Config) { c.BornWidths = []int{2, 0} }, "born-widths must be positive"},
		{"bad lr", func(c *Config) { c.LRs = []float64{0.1, -1} }, "learning rate"},
		{"no biases", func(c *Config) { c.Biases = nil }, "biases"},
		{"no seeds", func(c *Config) { c.Seeds = 0 }, "seeds"},
	}
	for _, tc := range cases {
		cfg := dyingDefaults(true)
		tc.edit(cfg)
		err := harness.Validate(New(), cfg)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

// unitFlags: a huge negative bias silences every ReLU unit (dead, and so
// stuck at 0), pins every ELU unit of the first layer at exactly -1 (stuck,
// not dead), and leaves leaky and two-sided units alive and varying; the
// first layer's units would all be dead as ReLUs.
func TestUnitFlags(t *testing.T) {
	rng := harness.NewRand(5)
	set := data.GaussianRandomLabels(100, 6, 3, rng)
	for _, tc := range []struct {
		variant          string
		dead, stuckFirst bool
	}{{"relu", true, true}, {"elu", false, true}, {"leaky", false, false}, {"twosided", false, false}} {
		net, err := model.NewMLP(model.MLPSpec{Inputs: 6, Hidden: []int{8, 8}, Outputs: 3,
			Activation: model.ActivationSpec{Name: tc.variant}, Init: model.Init{Scheme: model.HeNormal}, BiasInit: -100}, rng)
		if err != nil {
			t.Fatal(err)
		}
		f := newUnitFlags(2, 8)
		f.measure(net, set, 32)
		want := func(b bool) int {
			if b {
				return 8
			}
			return 0
		}
		for l := range f.dead {
			if got := metrics.CountTrue(f.dead[l]); got != want(tc.dead) {
				t.Errorf("%s layer %d: %d of 8 dead, want %d", tc.variant, l+1, got, want(tc.dead))
			}
		}
		if got := metrics.CountTrue(f.stuck[0]); got != want(tc.stuckFirst) {
			t.Errorf("%s layer 1: %d of 8 stuck, want %d", tc.variant, got, want(tc.stuckFirst))
		}
		// Layer 1 sees the raw inputs, so every pre-activation is near -100.
		if got := metrics.CountTrue(f.wouldBe[0]); got != 8 {
			t.Errorf("%s layer 1: %d of 8 would-be dead, want 8", tc.variant, got)
		}
	}
}

// The quick run completes with a verdict on every claim, and the variants
// that never output an exact zero report no dead units in any run.
func TestDyingQuickRun(t *testing.T) {
	edit := func(cfg any) {
		if testing.Short() {
			// Under the race detector: one seed, and a small Monte Carlo
			// (its facts are checked by TestBornDeadMatchesFormula).
			c := cfg.(*Config)
			c.BornWidths, c.BornInits, c.Seeds = []int{2, 10}, 100, 1
		}
	}
	res := exptest.RunQuick(t, New(), 2, edit)
	exptest.CheckVerdicts(t, res, map[string]int{"C8": 4, "C9": 1, "C1": 1})
	for _, r := range exptest.Records(t, res, "training") {
		switch r["variant"] {
		case "leaky", "prelu", "elu", "twosided":
			if d := exptest.Num(t, r["dead"]); d != 0 {
				t.Errorf("%s lr %s bias %s seed %s epoch %s layer %s: dead fraction %g, want 0", r["variant"], r["lr"], r["bias"], r["seed"], r["epoch"], r["layer"], d)
			}
		case "relu":
			// ReLU's dead units are exactly its would-be-dead units, and
			// exactly the ones stuck at a constant output.
			if r["dead"] != r["would_be_dead"] || r["dead"] != r["stuck"] {
				t.Errorf("relu: dead %s, stuck %s, would-be dead %s: want all equal", r["dead"], r["stuck"], r["would_be_dead"])
			}
		}
	}
	// The strong negative bias leaves ReLU units dead at initialisation.
	deadAtInit := 0.0
	for _, r := range exptest.Records(t, res, "training") {
		if r["variant"] == "relu" && r["bias"] == "-0.5" && r["epoch"] == "0" {
			deadAtInit += exptest.Num(t, r["dead"])
		}
	}
	if deadAtInit == 0 {
		t.Error("no ReLU unit dead at initialisation with bias -0.5")
	}
}

// `reluexp run dying --variant=leaky` compares leaky with relu.
func TestDyingSingleVariantAddsReference(t *testing.T) {
	cfg := dyingDefaults(true)
	cfg.Variants = []string{"leaky"}
	seen := map[string]bool{}
	for _, c := range definition().Cells(cfg) {
		if c.Params.Kind == "train" {
			seen[c.Params.Variant] = true
		}
	}
	if !seen["relu"] || !seen["leaky"] || len(seen) != 2 {
		t.Errorf("trained variants %v, want relu and leaky", seen)
	}
}

// Cells and results survive a JSON round trip unchanged (shards are merged
// from JSON records).
func TestDyingCellsRoundTripJSON(t *testing.T) {
	cfg := dyingDefaults(true)
	cfg.BornWidths, cfg.BornInits = []int{2}, 50
	cfg.Variants, cfg.LRs, cfg.Biases, cfg.Seeds = []string{"relu"}, []float64{0.1}, []float64{-0.5}, 1
	cfg.TrainExamples, cfg.TestExamples = 300, 300
	def := definition()
	for _, c := range def.Cells(cfg) {
		r, err := def.Run(context.Background(), &harness.Env{}, c.Params, harness.NewRand(1))
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range []any{c.Params, r} {
			b, err := json.Marshal(v)
			if err != nil {
				t.Fatal(err)
			}
			back := newLike(v)
			if err := json.Unmarshal(b, back); err != nil {
				t.Fatal(err)
			}
			b2, _ := json.Marshal(back)
			if !bytes.Equal(b, b2) {
				t.Errorf("%s: JSON round trip changed %T", c.ID, v)
			}
		}
	}
}

func newLike(v any) any {
	switch v.(type) {
	case dyingCell:
		return &dyingCell{}
	case dyingResult:
		return &dyingResult{}
	}
	panic("newLike")
}
