package dying

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/reluexp/reluexp/data"
	"github.com/reluexp/reluexp/experiments/harness"
	"github.com/reluexp/reluexp/experiments/internal/exptest"
	"github.com/reluexp/reluexp/experiments/kit"
	"github.com/reluexp/reluexp/experiments/result"
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
		{"more seeds below seeds", func(c *Config) { c.MoreSeeds = c.Seeds - 1 }, "more-seeds 2 is below seeds 3"},
		{"more seeds for an unknown variant", func(c *Config) { c.MoreSeedsFor = []string{"relu", "leakyy"} }, "more-seeds-for"},
		{"negative validation", func(c *Config) { c.Validation = -1 }, "validation -1"},
		{"validation overlaps training", func(c *Config) { c.TrainExamples, c.Validation = 50000, 20000 }, "overlap"},
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

// unitFlags' stricter reading: a unit active on fewer than clearShare of
// the examples is alive but not clearly so; on that share it is clearly
// alive; a dead unit is neither.
func TestUnitFlagsClear(t *testing.T) {
	const n = 400 // clearShare of it: 4 examples
	set := &data.Set{Name: "ramp", N: n, Dim: 1, Classes: 2, X: make([]float64, n), Y: make([]int, n)}
	for i := range n {
		set.X[i] = float64(i)
	}
	net, err := model.NewMLP(model.MLPSpec{Inputs: 1, Hidden: []int{4}, Outputs: 2,
		Activation: model.ActivationSpec{Name: "relu"}, Init: model.Init{Scheme: model.HeNormal}}, harness.NewRand(1))
	if err != nil {
		t.Fatal(err)
	}
	h := net.Hidden(0)
	// Unit j is active on the examples x > b_j: 3, 4, 0 and all 400 of them.
	for j, b := range []float64{n - 3.5, n - 4.5, n + 10, -0.5} {
		h.Weights.Value[j], h.Bias.Value[j] = 1, -b
	}
	f := newUnitFlags(1, 4)
	f.measure(net, set, 64)
	if want := []int{3, 4, 0, n}; !slices.Equal(f.active[0], want) || !slices.Equal(f.positive[0], want) {
		t.Errorf("active %v, positive %v; want %v for both", f.active[0], f.positive[0], want)
	}
	if want := []bool{false, true, false, true}; !slices.Equal(f.clear[0], want) || !slices.Equal(f.wouldClear[0], want) {
		t.Errorf("clear %v, would-clear %v; want %v for both", f.clear[0], f.wouldClear[0], want)
	}
	if want := []bool{false, false, true, false}; !slices.Equal(f.dead[0], want) {
		t.Errorf("dead %v, want %v", f.dead[0], want)
	}
}

// quickEdit shrinks the quick run further under -short (the race
// detector): two seeds, and a small Monte Carlo (its facts are
// checked by TestBornDeadMatchesFormula).
func quickEdit(cfg any) {
	if testing.Short() {
		c := cfg.(*Config)
		c.BornWidths, c.BornInits, c.Seeds = []int{2, 10}, 100, 2
	}
}

// checkDyingVerdicts holds every verdict to the report's standard
// (exptest.CheckVerdicts: a known outcome, INCONCLUSIVE included as the
// quick run has few seeds; a role, rule, why and caveat; an effect exactly
// when there is a margin, and the margin's reason) and to this
// experiment's: an MDE when n >= 2, one main verdict for C8 and C1, none for C9,
// and fractions inside [0, 1].
func checkDyingVerdicts(t *testing.T, res *result.Result, want map[string]int) {
	t.Helper()
	exptest.CheckVerdicts(t, res, want)
	mains := map[string]int{}
	for _, v := range res.Verdicts {
		if v.Role == result.Main {
			mains[v.Claim]++
		}
		if v.Margin != nil && v.N >= 2 && v.MDE == nil {
			t.Errorf("%s %q: n = %d but no MDE", v.Claim, v.Statement, v.N)
		}
		for _, e := range v.Evidence {
			x := e.Estimate
			if strings.Contains(e.Name, "fraction") && e.Unit == "" && x.N > 0 && (x.Lo < 0 || x.Hi > 1) {
				t.Errorf("%s %q: fraction %q leaves [0, 1]: %+v", v.Claim, v.Statement, e.Name, x)
			}
		}
	}
	// C9's only rule on dead units starving the gradient holds by
	// construction, so it is a sanity check and C9 has no main verdict.
	wantMains := map[string]int{"C8": 1, "C9": 0, "C1": 1}
	for claim := range want {
		if mains[claim] != wantMains[claim] {
			t.Errorf("%s: %d main verdicts, want %d", claim, mains[claim], wantMains[claim])
		}
	}
}

// The quick run gives every claim its verdicts, and what holds by
// construction holds: variants that never output an exact zero report no
// dead units, ReLU's dead units are its would-be-dead and stuck units,
// relu and relu-d1 on the same seed end identical unless a pre-activation
// was exactly 0, a strong negative bias leaves units dead at init, and no
// recorded epoch of any run has a loss above the divergence cap.
func TestDyingQuickRun(t *testing.T) {
	res := exptest.RunQuick(t, New(), 2, quickEdit)
	checkDyingVerdicts(t, res, map[string]int{"C8": 8, "C9": 2, "C1": 2})
	cap := model.DivergenceCap(10)
	deadAtInit := 0.0
	final := map[string]string{} // "lr/bias/seed/epoch/layer" -> relu's dead fraction
	rows := exptest.Records(t, res, "training")
	for _, r := range rows {
		if l := r["train_loss"]; l != "NaN" && exptest.Num(t, l) > cap {
			t.Errorf("%s lr %s bias %s seed %s epoch %s: recorded loss %s above the cap %.2f", r["variant"], r["lr"], r["bias"], r["seed"], r["epoch"], l, cap)
		}
		switch r["variant"] {
		case "leaky", "prelu", "elu", "twosided":
			if d := exptest.Num(t, r["dead"]); d != 0 {
				t.Errorf("%s lr %s bias %s seed %s epoch %s layer %s: dead fraction %g, want 0", r["variant"], r["lr"], r["bias"], r["seed"], r["epoch"], r["layer"], d)
			}
		case "relu":
			if r["dead"] != r["would_be_dead"] || r["dead"] != r["stuck"] {
				t.Errorf("relu: dead %s, stuck %s, would-be dead %s: want all equal", r["dead"], r["stuck"], r["would_be_dead"])
			}
			// Plain SGD: a dead first-layer unit never leaves the state,
			// and for ReLU dead and would-be dead are one state.
			if r["epoch"] != "0" && (r["dead_left"] != r["would_left"] || r["dead_before"] != r["would_before"] || (r["layer"] == "1" && r["would_left"] != "0")) {
				t.Errorf("relu lr %s bias %s seed %s epoch %s layer %s: %s of %s dead units left, %s of %s would-be dead", r["lr"], r["bias"], r["seed"], r["epoch"], r["layer"], r["dead_left"], r["dead_before"], r["would_left"], r["would_before"])
			}
			if r["bias"] == "-0.5" && r["epoch"] == "0" {
				deadAtInit += exptest.Num(t, r["dead"])
			}
			final[r["lr"]+"/"+r["bias"]+"/"+r["seed"]+"/"+r["epoch"]+"/"+r["layer"]] = r["dead"]
		}
	}
	if deadAtInit == 0 {
		t.Error("no ReLU unit dead at initialisation with bias -0.5")
	}
	for _, r := range rows {
		if r["variant"] != "relu-d1" || r["zero_preact_count"] != "0" {
			continue
		}
		// No exact zero in this epoch's steps: f'(0) was never used, so
		// the paired relu run is in the same state.
		if d, ok := final[r["lr"]+"/"+r["bias"]+"/"+r["seed"]+"/"+r["epoch"]+"/"+r["layer"]]; ok && d != r["dead"] {
			t.Errorf("relu-d1 lr %s bias %s seed %s epoch %s layer %s: dead %s, relu on the same seed %s", r["lr"], r["bias"], r["seed"], r["epoch"], r["layer"], r["dead"], d)
		}
	}
	// Every drawn fraction and band stays in [0, 1]; a setting where most
	// runs diverged has no point.
	figs := exptest.RenderAll(t, res)
	// A dead first-layer ReLU unit cannot leave the state under SGD.
	for _, pn := range figs["recovery-by-layer"].Panels {
		if pn.Title != "layer 1" {
			continue
		}
		for i, v := range pn.Bars.Groups[1].Values {
			if v != 0 && !math.IsNaN(v) {
				t.Errorf("relu beside %s, layer 1: %s %g, want 0", pn.Bars.Categories[i], pn.YLabel, v)
			}
		}
	}
	for _, pn := range figs["dead-vs-lr"].Panels {
		// Every row, the diverged share included, shares the log
		// learning-rate axis, so that a setting sits at one place.
		if pn.Kind != result.LinePanel || !pn.LogX {
			t.Errorf("dead-vs-lr %s: kind %v, log x %v; want a line panel on a log axis", pn.YLabel, pn.Kind, pn.LogX)
		}
		for _, ln := range pn.Lines {
			for i, y := range ln.Y {
				for _, x := range []float64{y, ln.Lo[i], ln.Hi[i]} {
					if x < 0 || x > 1 {
						t.Errorf("dead-vs-lr %s, %s at lr %g: %g outside [0, 1]", pn.YLabel, ln.Label, ln.X[i], x)
					}
				}
			}
		}
	}
}

// The same quick run gives the same bytes with one worker and with two.
func TestDyingDeterministicAcrossWorkers(t *testing.T) {
	edit := func(cfg any) {
		c := cfg.(*Config)
		c.BornWidths, c.BornInits, c.Seeds = []int{2}, 50, 2
		c.Variants, c.LRs, c.Biases = []string{"relu", "relu-d1", "elu"}, []float64{0.1, 1}, []float64{0}
		c.TrainExamples, c.TestExamples = 300, 300
	}
	one := exptest.DeterministicBytes(t, exptest.RunQuick(t, New(), 1, edit), nil)
	two := exptest.DeterministicBytes(t, exptest.RunQuick(t, New(), 2, edit), nil)
	if !bytes.Equal(one, two) {
		t.Error("results differ between 1 and 2 workers")
	}
}

// Seed s of every variant, learning rate and bias shares its random seed
// (paired arms); different s do not.
func TestDyingPairedSeeds(t *testing.T) {
	cfg := dyingDefaults(true)
	seeds := map[int]map[uint64]bool{}
	cells := definition().Cells(cfg)
	byID := map[string]dyingCell{}
	for _, c := range cells {
		byID[c.ID] = c.Params
	}
	for _, pc := range harness.Plan(New(), cfg, 1) {
		p := byID[pc.ID]
		if p.Kind != "train" {
			continue
		}
		if seeds[p.Seed] == nil {
			seeds[p.Seed] = map[uint64]bool{}
		}
		seeds[p.Seed][pc.Seed] = true
	}
	all := map[uint64]bool{}
	for s, set := range seeds {
		if len(set) != 1 {
			t.Errorf("seed %d: %d different random seeds across its arms, want 1", s, len(set))
		}
		for x := range set {
			all[x] = true
		}
	}
	if len(all) != cfg.allSeeds() {
		t.Errorf("%d distinct random seeds for %d seeds", len(all), cfg.allSeeds())
	}
}

// fakeRun is a finished (or diverged) run with the given final dead
// fraction in its one hidden layer of 10 units and test accuracy.
func fakeRun(dead, acc float64, diverged bool) dyingResult {
	ep := dyingEpoch{Epoch: 1, Dead: []float64{dead}, Stuck: []float64{dead}, WouldBeDead: []float64{dead}}
	return dyingResult{Train: &kit.TrainOutcome{Diverged: diverged, Epochs: []kit.EpochStats{{Epoch: 0}, {Epoch: 1, TestAcc: acc}}},
		Epochs: []dyingEpoch{{Epoch: 0, Dead: []float64{0}, Stuck: []float64{0}, WouldBeDead: []float64{0}}, ep},
		Dead:   []metrics.DeathCounts{{Units: 10, EverDead: 10, Recovered: 5}}, WouldBeDead: []metrics.DeathCounts{{Units: 10, EverDead: 10, Recovered: 5}}}
}

// A diverged run is counted, and left out of every fraction, accuracy and
// paired difference: its units (all dead here) are not averaged in.
func TestDivergedRunsLeftOut(t *testing.T) {
	runs := []dyingResult{fakeRun(0.2, 0.9, false), fakeRun(1, 0.1, true), fakeRun(0.4, 0.8, false)}
	st := summarizeSetting(runs)
	if st.runs != 3 || st.diverged != 1 || st.dead.N != 2 || math.Abs(st.dead.Mean-0.3) > 1e-12 || math.Abs(st.acc.Mean-0.85) > 1e-12 {
		t.Errorf("setting: %d runs, %d diverged, dead %+v, acc %+v; want 3, 1, mean 0.3 over 2, 0.85", st.runs, st.diverged, st.dead, st.acc)
	}
	if st.dead.Lo < 0 || st.dead.Hi > 1 {
		t.Errorf("dead fraction's interval %+v leaves [0, 1]", st.dead)
	}
	c := &Config{Seeds: 3, LRs: []float64{1}, Biases: []float64{0}}
	k := trainKey{"relu", 1, 0}
	trains := trainRuns{k: runs}
	if got := perSeed(c, trains, k, deadOf); !math.IsNaN(got[1]) || got[0] != 0.2 {
		t.Errorf("per seed %v: want the diverged seed NaN", got)
	}
	ratio := pooledRatio(c, trains, []trainKey{k}, func(r dyingResult) (float64, float64) { return 1, 2 })
	if !math.IsNaN(ratio[1]) || ratio[0] != 0.5 {
		t.Errorf("pooled ratio %v: want the diverged seed NaN", ratio)
	}
	if a := armOf(trains, k); a != (arm{1, 3}) {
		t.Errorf("arm %+v, want 1 of 3 diverged", a)
	}
	// Mostly diverged settings have no point in the figure.
	mostly := settingStats{arm: arm{2, 3}}
	if !mostly.mostlyDiverged() || st.mostlyDiverged() {
		t.Error("2 of 3 diverged must count as mostly diverged, 1 of 3 not")
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

func TestLeft(t *testing.T) {
	T, F := true, false
	for _, tc := range []struct {
		was, is []bool
		want    int
	}{
		{nil, nil, 0},
		{[]bool{T, T, F}, []bool{T, T, F}, 0},
		{[]bool{T, T, F}, []bool{F, T, T}, 1},
		{[]bool{T, T, T}, []bool{F, F, F}, 3},
		{[]bool{F, F}, []bool{T, F}, 0},
	} {
		if got := left(tc.was, tc.is); got != tc.want {
			t.Errorf("left(%v, %v) = %d, want %d", tc.was, tc.is, got, tc.want)
		}
	}
}

// layerGroups splits the first hidden layer from the deeper ones, and
// escapeOf and everRecovered add up only the group's layers.
func TestLayerGroupsAndEscape(t *testing.T) {
	for depth, want := range map[int]string{1: "[1]", 2: "[1 2]", 3: "[1 2-3]", 5: "[1 2-5]"} {
		var names []string
		for _, g := range layerGroups(depth) {
			names = append(names, g.name)
		}
		if got := fmt.Sprint(names); got != want {
			t.Errorf("layerGroups(%d) = %s, want %s", depth, got, want)
		}
	}
	r := dyingResult{
		Epochs:      []dyingEpoch{{Epoch: 0}, {Epoch: 1, WouldBefore: []int{4, 10, 6}, WouldLeft: []int{0, 5, 3}}, {Epoch: 2, WouldBefore: []int{4, 5, 3}, WouldLeft: []int{1, 1, 0}}},
		WouldBeDead: []metrics.DeathCounts{{EverDead: 5, Recovered: 1}, {EverDead: 12, Recovered: 6}, {EverDead: 6, Recovered: 3}},
	}
	g := layerGroups(3)
	if l, b := escapeOf(g[0])(r); l != 1 || b != 8 {
		t.Errorf("layer 1 escape %v of %v, want 1 of 8", l, b)
	}
	if l, b := escapeOf(g[1])(r); l != 9 || b != 24 {
		t.Errorf("layers 2-3 escape %v of %v, want 9 of 24", l, b)
	}
	if rec, ever := everRecovered(g[1])(r); rec != 9 || ever != 18 {
		t.Errorf("layers 2-3 came back %v of %v, want 9 of 18", rec, ever)
	}
}

// The recovery-by-layer figure pairs each fix with ReLU at the settings
// the fixes' recovery verdict reads (reviveSettings): a setting where one
// arm mostly diverged or did not train is left out of both bars, and the
// bars over all layers are the verdict's numbers.
func TestReviveSettingsAndFigure(t *testing.T) {
	c := &Config{Seeds: 2, Depth: 1, Variants: []string{"relu", "prelu"}, LRs: []float64{0.1, 1}, Biases: []float64{0, -0.5}}
	// run: 4 units in the state at epoch 1's start, left of them leave;
	// 2*came of 20 ever in the state come back.
	run := func(acc float64, diverged bool, left, came int) dyingResult {
		r := fakeRun(0.5, acc, diverged)
		r.Epochs[1].WouldBefore, r.Epochs[1].WouldLeft = []int{4}, []int{left}
		r.WouldBeDead[0].Units, r.WouldBeDead[0].EverDead, r.WouldBeDead[0].Recovered = 20, 20, 2*came
		return r
	}
	trains := trainRuns{}
	for _, v := range []string{"relu", "prelu"} {
		for _, k := range allSettings(c, v) {
			trains[k] = []dyingResult{run(0.9, false, 1, 5), run(0.9, false, 1, 5)}
		}
	}
	trains[trainKey{"prelu", 1, 0}] = []dyingResult{run(0.1, true, 4, 10), run(0.1, true, 4, 10)}
	// PReLU does not train here; its units, if pooled, would pull its
	// bars down.
	trains[trainKey{"prelu", 0.1, -0.5}] = []dyingResult{run(0.2, false, 0, 0), run(0.2, false, 0, 0)}
	keys, skipped, untrained := reviveSettings(c, "prelu", trains, false, c.Biases)
	if want := []trainKey{{lr: 0.1, bias: 0}, {lr: 1, bias: -0.5}}; !slices.Equal(keys, want) {
		t.Errorf("settings %v, want %v", keys, want)
	}
	if len(skipped) != 1 || !strings.HasPrefix(skipped[0], "lr 1 bias 0 ") || len(untrained) != 1 || !strings.HasPrefix(untrained[0], "lr 0.1 bias -0.5 ") {
		t.Errorf("skipped %q, untrained %q", skipped, untrained)
	}
	// Where ReLU alone fails to train, the rule keeps the setting (its
	// units dying is the effect); the reading where both train drops it.
	both := maps.Clone(trains)
	both[trainKey{"relu", 1, -0.5}] = []dyingResult{run(0.2, false, 0, 0), run(0.2, false, 0, 0)}
	if k, _, _ := reviveSettings(c, "prelu", both, false, c.Biases); len(k) != 2 {
		t.Errorf("rule: %v, want the setting where ReLU alone fails kept", k)
	}
	if k, _, u := reviveSettings(c, "prelu", both, true, c.Biases); len(k) != 1 || len(u) != 2 {
		t.Errorf("both train: %v (left out %q), want it dropped", k, u)
	}
	if s := fmtSettings(c, keys); s != "lr 0.1 at bias 0; lr 1 at bias -0.5" {
		t.Errorf("fmtSettings: %q", s)
	}
	fig := layerRecoveryFigure(c, trains)
	// One pair of bars per fix and bias (reviveCauses): at bias 0 both
	// must train, at -0.5 the fix alone.
	for _, want := range []string{
		"prelu, bias 0 over 1: lr 0.1 at bias 0 (left out: 1 where most runs of prelu or relu diverged, 0 where prelu or relu did not train)",
		"prelu, bias -0.5 (shown) over 1: lr 1 at bias -0.5 (left out: 0 where most runs of prelu or relu diverged, 1 where prelu did not train)",
	} {
		if !strings.Contains(fig.Caption, want) {
			t.Errorf("caption %q\nwant %q", fig.Caption, want)
		}
	}
	if len(fig.Panels) != 2 {
		t.Fatalf("%d panels, want 2 (one layer, two rows)", len(fig.Panels))
	}
	e := reviveEvidenceOf(c, c.Variants, trains, nil).fixes[0]
	for _, tc := range []struct {
		panel      int
		fix, relu  float64
		verdictFix float64
	}{
		{0, 0.25, 0.25, e.fixRate.Mean},
		{1, 0.5, 0.5, e.diff.Diff.Mean + 0.5},
	} {
		g := fig.Panels[tc.panel].Bars.Groups
		if g[0].Values[0] != tc.fix || g[1].Values[0] != tc.relu || g[0].Values[0] != tc.verdictFix {
			t.Errorf("%s: prelu %g, relu %g; want %g and %g (the verdict's prelu: %g)", fig.Panels[tc.panel].YLabel, g[0].Values[0], g[1].Values[0], tc.fix, tc.relu, tc.verdictFix)
		}
	}
	if e.settings != 1 || e.runs != (arm{0, 2}) || e.reluRuns != (arm{0, 2}) || !strings.HasPrefix(e.cause, "bias 0,") {
		t.Errorf("verdict's first reading: %d settings, prelu %+v, relu %+v, cause %q; want 1, 2 runs each, bias 0", e.settings, e.runs, e.reluRuns, e.cause)
	}
	if c := fig.Panels[0].Bars.Categories; !slices.Equal(c, []string{"prelu, bias 0", "prelu, bias -0.5 (shown)"}) {
		t.Errorf("categories %q", c)
	}
	// No fix run: no bar, and the caption says so.
	if fig := layerRecoveryFigure(&Config{Depth: 3, Variants: []string{"relu"}, Biases: c.Biases}, trains); !strings.Contains(fig.Caption, "no bar is drawn") || len(fig.Panels) != 6 {
		t.Errorf("no fix: %d panels, caption %q", len(fig.Panels), fig.Caption)
	}
}

// The dead-vs-lr caption says how close the undrawn relu-d<v> comes to
// relu, with the largest gap and where it is.
func TestTwinNote(t *testing.T) {
	c := &Config{LRs: []float64{0.1, 0.9}, Biases: []float64{0}, Seeds: 12, MoreSeeds: 40, MoreSeedsFor: []string{"relu"}}
	rows := []lrRow{{"dead or stuck fraction", func(s settingStats) metrics.Estimate { return s.stuck }}}
	st := func(stuck float64, diverged int) settingStats {
		return settingStats{stuck: metrics.Estimate{Mean: stuck}, arm: arm{diverged, 12}}
	}
	stats := map[trainKey]settingStats{
		{"relu", 0.1, 0}: st(0.01, 0), {"relu-d1", 0.1, 0}: st(0.01, 0),
		{"relu", 0.9, 0}: st(0.547, 3), {"relu-d1", 0.9, 0}: st(0.524, 3),
	}
	want := "relu-d1 is not drawn: on the 12 seeds both ran, its means in rows 1-3 are within 2.3 points of relu's at each of the 2 settings where neither diverged in most runs (the largest gap: dead or stuck fraction at lr 0.9, bias 0: relu 0.547, relu-d1 0.524)."
	if got := twinNote(c, "relu-d1", stats, rows); got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	stats[trainKey{"relu-d1", 0.9, 0}] = st(0.524, 7) // mostly diverged: left out
	if got := twinNote(c, "relu-d1", stats, rows); !strings.Contains(got, "its means equal relu's in rows 1-3 at each of the 1 settings") {
		t.Errorf("got %q", got)
	}
	if got := twinNote(c, "relu-d1", map[trainKey]settingStats{}, rows); !strings.Contains(got, "no setting") {
		t.Errorf("got %q", got)
	}
	for _, tc := range []struct {
		in   []string
		want string
	}{{nil, ""}, {[]string{"a"}, "a"}, {[]string{"a", "b"}, "a and b"}, {[]string{"a", "b", "c"}, "a, b and c"}} {
		if got := joinAnd(tc.in); got != tc.want {
			t.Errorf("joinAnd(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// dieEvidenceOf finds, per fix, the highest rate where both it and ReLU
// train (at most a quarter of the runs diverged, finished runs at mean
// test accuracy 0.5 or more) and each arm's own highest trainable rate.
func TestDieEvidenceSharedAndOwnRates(t *testing.T) {
	c := &Config{Seeds: 4, LRs: []float64{0.1, 0.3, 0.5, 0.8}, Biases: []float64{0}, Depth: 1, Width: 10}
	// runs of one setting: dead (would-be-dead) fraction, accuracy, and
	// how many of the 4 seeds diverged (the last ones).
	runs := func(dead, acc float64, diverged int) []dyingResult {
		var out []dyingResult
		for s := range 4 {
			out = append(out, fakeRun(dead, acc, s >= 4-diverged))
		}
		return out
	}
	trains := trainRuns{
		{"relu", 0.1, 0}: runs(0, 0.9, 0), {"relu", 0.3, 0}: runs(0, 0.95, 0), {"relu", 0.5, 0}: runs(0.05, 0.8, 0), {"relu", 0.8, 0}: runs(0.4, 0.6, 1),
		// prelu: trains up to 0.3; at 0.5 2 of 4 diverged (more than a
		// quarter), at 0.8 all.
		{"prelu", 0.1, 0}: runs(0, 0.9, 0), {"prelu", 0.3, 0}: runs(0.01, 0.9, 0), {"prelu", 0.5, 0}: runs(0, 0.9, 2), {"prelu", 0.8, 0}: runs(0, 0.9, 4),
		// elu: trains at 0.5 (1 of 4 diverged: a quarter); at 0.8 its
		// finished runs fail (accuracy below 0.5).
		{"elu", 0.1, 0}: runs(0, 0.9, 0), {"elu", 0.3, 0}: runs(0, 0.9, 0), {"elu", 0.5, 0}: runs(0.02, 0.8, 1), {"elu", 0.8, 0}: runs(0, 0.3, 0),
		// leaky trains at 0.8 where ReLU trains: read there.
		{"leaky", 0.1, 0}: runs(0, 0.9, 0), {"leaky", 0.3, 0}: runs(0, 0.9, 0), {"leaky", 0.5, 0}: runs(0, 0.9, 0), {"leaky", 0.8, 0}: runs(0.1, 0.7, 0),
	}
	e := dieEvidenceOf(c, []string{"relu", "leaky", "prelu", "elu"}, settingStatsOf(trains), trains)
	if e.lo != 0.3 || e.hi != 0.8 || !e.clean || e.reluOwnLR != 0.8 || math.Abs(e.reluOwnDead.Mean-0.4) > 1e-12 {
		t.Fatalf("lo %g hi %g clean %v, ReLU's own rate %g dead %v; want 0.3, 0.8, true, 0.8, 0.4", e.lo, e.hi, e.clean, e.reluOwnLR, e.reluOwnDead.Mean)
	}
	want := map[string][2]float64{"leaky": {0.8, 0.8}, "prelu": {0.3, 0.3}, "elu": {0.5, 0.5}}
	for _, f := range e.fixes {
		w := want[f.name]
		if f.sharedLR != w[0] || f.ownLR != w[1] {
			t.Errorf("%s: shared lr %g own lr %g, want %g and %g", f.name, f.sharedLR, f.ownLR, w[0], w[1])
		}
	}
	elu := e.fixes[2]
	// At 0.5 ReLU lost 5 points against lo on every seed, and ends 3
	// points above elu's would-be-dead fraction on the 3 seeds where elu
	// finished.
	if math.Abs(elu.sharedKilled.Diff.Mean-0.05) > 1e-12 || elu.sharedKilled.Diff.N != 4 || math.Abs(elu.shared.Diff.Mean-0.03) > 1e-12 || elu.shared.Diff.N != 3 {
		t.Errorf("elu at 0.5: killed %+v, shared %+v", elu.sharedKilled.Diff, elu.shared.Diff)
	}
	// Own rates pair ReLU at 0.8 with elu at 0.5, seed by seed: both
	// finished seeds 0-2 (seed 3 diverged in each).
	if math.Abs(elu.ownDiff.Diff.Mean-0.38) > 1e-12 || elu.ownDiff.Diff.N != 3 {
		t.Errorf("elu own-rate difference %+v, want 0.38 over 3 seeds", elu.ownDiff.Diff)
	}
	if o, how := fixRule(e.fixes[1]); how != reluKeeps || o != result.Inconclusive {
		t.Errorf("prelu: %s read %d, want INCONCLUSIVE (ReLU keeps its units at 0.3)", o, how)
	}
	if _, how := fixRule(e.fixes[0]); how != readAtHigh {
		t.Errorf("leaky read %d, want at hi", how)
	}
}

// C9 per layer: each hidden layer's association and share of zero
// entries from dead units, computed from that layer's counts alone.
func TestGradEvidencePerLayer(t *testing.T) {
	c := &Config{Seeds: 2, LRs: []float64{0.1}, Biases: []float64{0}, Depth: 2, Width: 10}
	run := func(deadBefore, deadSteps, aliveSteps, deadEntries, zeroEntries [2]int) dyingResult {
		r := fakeRun(0.1, 0.9, false)
		ep := &r.Epochs[1]
		ep.Steps = 10
		ep.DeadBefore, ep.DeadZeroSteps, ep.AliveZeroSteps = deadBefore[:], deadSteps[:], aliveSteps[:]
		ep.DeadZeroEntries, ep.ZeroEntries, ep.Entries = deadEntries[:], zeroEntries[:], []int{1000, 1000}
		return r
	}
	// Seed 0: layer 1 has 2 dead units starved in all 10 steps and 8 live
	// ones in 8 of 80 steps; layer 2 has 1 dead unit starved in 5 of 10
	// steps and 9 live ones in 27 of 90.
	k := trainKey{"relu", 0.1, 0}
	trains := trainRuns{k: {
		run([2]int{2, 1}, [2]int{20, 5}, [2]int{8, 27}, [2]int{200, 50}, [2]int{400, 500}),
		run([2]int{2, 1}, [2]int{20, 5}, [2]int{8, 27}, [2]int{200, 50}, [2]int{400, 500}),
	}}
	e := gradEvidenceOf(c, settingStatsOf(trains), trains)
	if len(e.layers) != 2 {
		t.Fatalf("%d layers, want 2", len(e.layers))
	}
	l1, l2 := e.layers[0], e.layers[1]
	near := func(x, y float64) bool { return math.Abs(x-y) < 1e-12 }
	if !near(l1.dead.Mean, 1) || !near(l1.alive.Mean, 0.1) || !near(l1.assoc.Diff.Mean, 0.9) || !near(l1.deadShare.Diff.Mean, 0.5) || l1.unitEpochs != 4 {
		t.Errorf("layer 1: dead %v alive %v assoc %v share %v unit-epochs %d; want 1, 0.1, 0.9, 0.5, 4", l1.dead.Mean, l1.alive.Mean, l1.assoc.Diff.Mean, l1.deadShare.Diff.Mean, l1.unitEpochs)
	}
	if !near(l2.dead.Mean, 0.5) || !near(l2.alive.Mean, 0.3) || !near(l2.assoc.Diff.Mean, 0.2) || !near(l2.deadShare.Diff.Mean, 0.1) || l2.unitEpochs != 2 {
		t.Errorf("layer 2: dead %v alive %v assoc %v share %v unit-epochs %d; want 0.5, 0.3, 0.2, 0.1, 2", l2.dead.Mean, l2.alive.Mean, l2.assoc.Diff.Mean, l2.deadShare.Diff.Mean, l2.unitEpochs)
	}
	// The pooled values add both layers' counts: 25 of 30 dead steps,
	// 35 of 170 live steps, 250 of 900 zero entries.
	if !near(e.dead.Mean, 25.0/30) || !near(e.alive.Mean, 35.0/170) || !near(e.deadShare.Diff.Mean, 250.0/900) || e.unitEpochs != 6 {
		t.Errorf("pooled: dead %v alive %v share %v unit-epochs %d", e.dead.Mean, e.alive.Mean, e.deadShare.Diff.Mean, e.unitEpochs)
	}
	tab := zeroGradTable(e)
	if len(tab.Rows) != 2 || tab.Rows[0][0] != "1" || tab.Rows[1][1] != "2" {
		t.Errorf("table rows %v", tab.Rows)
	}
	for _, want := range []string{"layer 1 (fixed, non-negative pixel inputs): dead 100.0%, alive 10.0%", "layer 2: dead 50.0%, alive 30.0%"} {
		if why := gradVerdict(e).Why; !strings.Contains(why, want) {
			t.Errorf("why %q does not contain %q", why, want)
		}
	}
	if why := mostZerosVerdict(e).Why; !strings.Contains(why, "layer 1 (fixed, non-negative pixel inputs): 50.0%") || !strings.Contains(why, "layer 2: 10.0%") {
		t.Errorf("why %q lacks the per-layer shares", why)
	}
}

// The dead-over-epochs figure draws C8's two rates and an even spread, at
// most epochSpread+2 rates, so no two lines share a style.
func TestEpochRates(t *testing.T) {
	full := []float64{0.01, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1}
	nan := math.NaN()
	for _, tc := range []struct {
		lrs     []float64
		lo, hi  float64
		want    []float64
		comment string
	}{
		{full, 0.25, 0.8, []float64{0.01, 0.2, 0.25, 0.4, 0.7, 0.8, 1}, "spread plus lo and hi"},
		{full, 0.2, 0.7, []float64{0.01, 0.2, 0.4, 0.7, 1}, "lo and hi already in the spread"},
		{full, nan, nan, []float64{0.01, 0.2, 0.4, 0.7, 1}, "no rate read"},
		{full, 0.25, 3, []float64{0.01, 0.2, 0.25, 0.4, 0.7, 1}, "hi not run"},
		{[]float64{1, 0.1}, 0.1, 1, []float64{0.1, 1}, "few rates: all, sorted"},
	} {
		if got := epochRates(tc.lrs, tc.lo, tc.hi); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.comment, got, tc.want)
		}
	}
	c := &Config{Seeds: 1, Depth: 1, Epochs: 1, LRs: full, Biases: []float64{0}}
	trains := trainRuns{}
	for _, k := range allSettings(c, "relu") {
		trains[k] = []dyingResult{fakeRun(k.lr/2, 0.9, false)}
	}
	fig := deadOverEpochsFigure(c, trains, 0.25, 0.8, math.NaN(), 0)
	if !strings.Contains(fig.Caption, "Learning rates drawn: 0.01, 0.2, 0.25, 0.4, 0.7, 0.8 and 1, 7 of the 13 run") || !strings.Contains(fig.Caption, "the rates C8's main verdict reads (bias 0), lr 0.25 is ReLU's best-accuracy rate and lr 0.8 the high rate;") {
		t.Errorf("caption %q", fig.Caption)
	}
	for _, pn := range fig.Panels {
		styles := map[int]string{}
		for _, ln := range pn.Lines {
			if other, ok := styles[ln.Style]; ok || ln.Style < 0 || ln.Style >= 8 {
				t.Errorf("%s: %s has style %d (shared with %q)", pn.YLabel, ln.Label, ln.Style, other)
			}
			styles[ln.Style] = ln.Label
		}
		if len(pn.Lines) != 7 {
			t.Errorf("%s: %d lines, want 7", pn.YLabel, len(pn.Lines))
		}
	}
}

// The variants of MoreSeedsFor run MoreSeeds seeds, the others Seeds;
// relu alone reads the validation images, so every other arm's cells (and
// their IDs) are those of a run without them. Seed s of every arm shares
// its Pair.
func TestDyingCellsMoreSeedsAndValidation(t *testing.T) {
	c := dyingDefaults(true)
	c.Variants, c.LRs, c.Biases, c.Seeds, c.MoreSeeds, c.MoreSeedsFor, c.Validation = []string{"relu", "leaky", "elu"}, []float64{0.1}, []float64{0}, 2, 5, []string{"relu", "leaky"}, 300
	seeds := map[string][]int{}
	for _, cell := range dyingCells(c) {
		p := cell.Params
		if p.Kind != "train" {
			continue
		}
		seeds[p.Variant] = append(seeds[p.Variant], p.Seed)
		hasVal := strings.Contains(cell.ID, "/val300/")
		if (p.Variant == "relu") != (p.Validation == 300) || hasVal != (p.Validation == 300) {
			t.Errorf("%s: validation %d, ID %s", p.Variant, p.Validation, cell.ID)
		}
		if want := fmt.Sprintf("train/s%d", p.Seed); cell.Pair != want {
			t.Errorf("%s: pair %q, want %q", cell.ID, cell.Pair, want)
		}
	}
	if !slices.Equal(seeds["relu"], []int{0, 1, 2, 3, 4}) || !slices.Equal(seeds["leaky"], []int{0, 1, 2, 3, 4}) || !slices.Equal(seeds["elu"], []int{0, 1}) {
		t.Errorf("seeds %v, want relu and leaky 0-4, elu 0-1", seeds)
	}
	c.MoreSeeds, c.Validation = 0, 0
	for _, cell := range dyingCells(c) {
		if cell.Params.Kind == "train" && (cell.Params.Validation != 0 || cell.Params.Seed >= 2) {
			t.Errorf("without relu-seeds and validation: %s", cell.ID)
		}
	}
}

// C8's baseline rate lo is ReLU's best on validation accuracy when the
// runs read validation images, and on test accuracy when they did not: the
// two rank the rates differently here.
func TestDieEvidenceLoChosenOnValidation(t *testing.T) {
	runs := func(test, val float64) []dyingResult {
		return withValidation(0, []float64{test, test, test}, []float64{val, val, val})
	}
	trains := trainRuns{{"relu", 0.1, 0}: runs(0.95, 0.90), {"relu", 0.3, 0}: runs(0.90, 0.97), {"relu", 0.5, 0}: runs(0.85, 0.85)}
	for _, tc := range []struct {
		validation int
		lo         float64
	}{{2000, 0.3}, {0, 0.1}} {
		c := &Config{Seeds: 3, LRs: []float64{0.1, 0.3, 0.5}, Biases: []float64{0}, Depth: 1, Width: 10, Validation: tc.validation}
		e := dieEvidenceOf(c, []string{"relu"}, settingStatsOf(trains), trains)
		if e.lo != tc.lo || e.loOnVal != (tc.validation > 0) {
			t.Errorf("validation %d: lo %g (on validation %v), want %g", tc.validation, e.lo, e.loOnVal, tc.lo)
		}
		if v := dieVerdict(e); !strings.Contains(v.Rule, loChosenOn(tc.validation > 0)) || !strings.Contains(v.Caveat, "lo, the baseline rate, is chosen on") {
			t.Errorf("validation %d: rule or caveat does not say how lo was chosen:\n%s\n%s", tc.validation, v.Rule, v.Caveat)
		}
	}
}

// withValidation is one finished run per test accuracy, each with the
// validation accuracy at the same index and the given dead fraction.
func withValidation(dead float64, test, val []float64) []dyingResult {
	var out []dyingResult
	for i := range test {
		r := fakeRun(dead, test[i], false)
		v := val[i]
		r.ValAcc = &v
		out = append(out, r)
	}
	return out
}

// relu's extra seeds read in relu-only evidence but never in a pairing:
// C1's comparison with relu-d1 counts only the seeds both ran, and the
// verdicts' per-seed slices line up (extra seeds NaN for the other arm).
func TestReLUExtraSeedsUnpaired(t *testing.T) {
	c := &Config{Seeds: 2, MoreSeeds: 4, MoreSeedsFor: []string{"relu"}, LRs: []float64{0.1}, Biases: []float64{0}, Depth: 1, Width: 10}
	relu := []dyingResult{fakeRun(0.1, 0.9, false), fakeRun(0.1, 0.9, false), fakeRun(0.5, 0.2, true), fakeRun(0.5, 0.2, true)}
	twin := []dyingResult{fakeRun(0.1, 0.9, false), fakeRun(0.1, 0.9, false)}
	trains := trainRuns{{"relu", 0.1, 0}: relu, {"relu-d1", 0.1, 0}: twin}
	e := derivEvidenceOf(c, []string{"relu", "relu-d1"}, trains)
	if e.runs.runs != 4 || e.runs.diverged != 0 || e.pairs != 2 {
		t.Errorf("C1 pairs: %d runs, %d diverged, %d pairs; want 4, 0, 2 (relu's diverged extra seeds have no twin)", e.runs.runs, e.runs.diverged, e.pairs)
	}
	if got := perSeed(c, trains, trainKey{"relu-d1", 0.1, 0}, deadOf); len(got) != 4 || !math.IsNaN(got[3]) {
		t.Errorf("relu-d1 per seed %v, want 4 entries, the last NaN", got)
	}
	if a := armOf(trains, trainKey{"relu", 0.1, 0}); a.runs != 4 || a.diverged != 2 {
		t.Errorf("relu's own arm %+v, want 4 runs, 2 diverged", a)
	}
}

// hi, the rate C8 reads, is chosen on validation accuracy when ReLU's runs
// read it: at lr 0.8 the test accuracy clears the 0.5 floor but the
// validation accuracy does not, so hi is 0.5 with validation images and
// 0.8 without.
func TestDieEvidenceHighChosenOnValidation(t *testing.T) {
	same := func(x float64) []float64 { return []float64{x, x + 0.01, x - 0.01} }
	trains := trainRuns{
		{"relu", 0.1, 0}: withValidation(0, same(0.9), same(0.95)),
		{"relu", 0.5, 0}: withValidation(0.05, same(0.85), same(0.9)),
		{"relu", 0.8, 0}: withValidation(0.4, same(0.7), same(0.45)),
	}
	for _, tc := range []struct {
		validation int
		hi         float64
	}{{2000, 0.5}, {0, 0.8}} {
		c := &Config{Seeds: 3, LRs: []float64{0.1, 0.5, 0.8}, Biases: []float64{0}, Depth: 1, Width: 10, Validation: tc.validation}
		e := dieEvidenceOf(c, []string{"relu"}, settingStatsOf(trains), trains)
		if e.hi != tc.hi || !e.clean {
			t.Errorf("validation %d: hi %g (clean %v), want %g", tc.validation, e.hi, e.clean, tc.hi)
		}
		if v := dieVerdict(e); !strings.Contains(v.Rule, "reach "+gateName(tc.validation > 0)+" 0.5") {
			t.Errorf("validation %d: the rule does not name the gate's accuracy: %s", tc.validation, v.Rule)
		}
	}
}

// The rate-choice table marks lo, hi and r, the working-net rate: the
// highest rate above lo whose mean validation accuracy is within
// nearBestAcc of lo's, with at most cleanDivergedShare diverged; r may be
// hi, and no rate is marked r where none qualifies.
func TestRateChoiceMarks(t *testing.T) {
	est := func(m float64) metrics.Estimate { return metrics.Estimate{Mean: m, Lo: m - 0.01, Hi: m + 0.01, N: 10} }
	killed := metrics.Paired{Diff: est(0.1)}
	check := func(lr, val float64, diverged int) rateCheck {
		return rateCheck{lr: lr, killed: killed, relu: arm{diverged, 10}, val: est(val), acc: est(val), onVal: true}
	}
	c := &Config{LRs: []float64{0.1, 0.3, 0.5, 0.8}, Validation: 2000, TrainExamples: 6000}
	for _, tc := range []struct {
		name   string
		checks []rateCheck
		hi     float64
		want   []string
	}{
		{"r below hi", []rateCheck{check(0.3, 0.93, 0), check(0.5, 0.80, 1), check(0.8, 0.60, 2)}, 0.8, []string{"0.1 * (lo)", "0.3 (r)", "0.5", "0.8 (hi)"}},
		{"r is hi", []rateCheck{check(0.3, 0.93, 0), check(0.5, 0.92, 1), check(0.8, 0.60, 5)}, 0.5, []string{"0.1 * (lo)", "0.3", "0.5 (hi) (r)", "0.8"}},
		{"no r: every rate above lo is 5 points down", []rateCheck{check(0.3, 0.85, 0), check(0.5, 0.80, 0), check(0.8, 0.60, 2)}, 0.8, []string{"0.1 * (lo)", "0.3", "0.5", "0.8 (hi)"}},
		{"no r where too many runs diverged", []rateCheck{check(0.3, 0.94, 5), check(0.5, 0.80, 0), check(0.8, 0.60, 2)}, 0.8, []string{"0.1 * (lo)", "0.3", "0.5", "0.8 (hi)"}},
	} {
		e := dieEvidence{lo: 0.1, top: 1, hi: tc.hi, loOnVal: true, loVal: est(0.95), loAcc: est(0.95), checks: tc.checks}
		tab := rateChoiceTable(c, e, map[trainKey]settingStats{})
		var got []string
		for _, row := range tab.Rows {
			got = append(got, row[0])
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: marks %q, want %q", tc.name, got, tc.want)
		}
	}
}

// The rate-choice note describes a validation-test gap only when there is
// one, gives the best rate on test accuracy among the eligible ones beside
// lo, and hi's test accuracy against the gate its validation accuracy
// passed.
func TestValTestGapNote(t *testing.T) {
	acc := func(v, a float64) settingStats {
		return settingStats{val: metrics.Estimate{Mean: v, N: 40}, acc: metrics.Estimate{Mean: a, N: 40}}
	}
	c := &Config{LRs: []float64{0.1, 0.3, 1}}
	e := dieEvidence{lo: 0.3, top: 1}
	stats := map[trainKey]settingStats{{"relu", 0.1, 0}: acc(0.94, 0.90), {"relu", 0.3, 0}: acc(0.95, 0.899), {"relu", 1, 0}: acc(0.5, 0.95)}
	got := valTestGapNote(c, e, stats)
	for _, want := range []string{"Validation accuracy at lo lies 5.1 points above test accuracy.", "the files are not shuffled", "at lr 0.1 (0.900), against lo = 0.3 (0.899 there)"} {
		if !strings.Contains(got, want) {
			t.Errorf("note %q\nwant %q (lr 1 is not below top, so not eligible)", got, want)
		}
	}
	e.hi = 0.1
	stats[trainKey{"relu", 0.1, 0}] = settingStats{val: metrics.Estimate{Mean: 0.94, N: 40}, acc: metrics.Estimate{Mean: 0.90, Lo: 0.51, Hi: 0.95, N: 40}}
	if got := valTestGapNote(c, e, stats); !strings.Contains(got, "at hi, lr 0.1, the test accuracy's 95% CI starts at 0.510 (the gate: 0.5)") {
		t.Errorf("note %q: want hi's test accuracy against the gate", got)
	}
	stats[trainKey{"relu", 0.3, 0}] = acc(0.90, 0.89)
	if got := valTestGapNote(c, e, stats); got != "" {
		t.Errorf("a 1-point gap: %q, want no note", got)
	}
}

// The fix and ReLU are compared within each setting, then averaged with
// weights both arms share: units of one arm massed at a rate where few
// come back cannot make it look worse when it does better at every rate
// (Simpson's paradox).
func TestWithinSettingsSimpson(t *testing.T) {
	c := &Config{Seeds: 2, Depth: 1, Variants: []string{"relu", "prelu"}, LRs: []float64{0.01, 0.1}, Biases: []float64{0}}
	run := func(ever, came int) dyingResult {
		r := fakeRun(0.5, 0.9, false)
		r.WouldBeDead = []metrics.DeathCounts{{Units: 64, EverDead: ever, Recovered: came}}
		return r
	}
	trains := trainRuns{
		{"prelu", 0.01, 0}: {run(40, 2), run(40, 2)}, {"relu", 0.01, 0}: {run(2, 0), run(2, 0)},
		{"prelu", 0.1, 0}: {run(10, 8), run(10, 8)}, {"relu", 0.1, 0}: {run(40, 24), run(40, 24)},
	}
	keys := []trainKey{{lr: 0.01}, {lr: 0.1}}
	all := layerGroup{"all", 0, 1}
	// Mantel-Haenszel weights fd*rd/(fd+rd): 40*2/42 at lr 0.01, 10*40/50
	// = 8 at lr 0.1, so the setting where ReLU had 2 units weighs less.
	w1, w2 := 40.0*2/42, 8.0
	want := (w1*0.05 + w2*0.2) / (w1 + w2)
	if p := withinSettings(c, trains, keys, "prelu", everRecovered(all)); math.Abs(p.Diff.Mean-want) > 1e-12 || p.Diff.N != 2 {
		t.Errorf("within settings %+v, want %+.4f over 2 seeds (+0.05 at lr 0.01, +0.2 at lr 0.1, weighted)", p.Diff, want)
	}
	pooled := metrics.PairedDiff(pairedRatio(c, trains, keys, "prelu", "relu", everRecovered(all)), pairedRatio(c, trains, keys, "relu", "prelu", everRecovered(all)))
	if !(pooled.Diff.Mean < -0.3) {
		t.Errorf("pooled %+v: the example should show the paradox (below -0.3)", pooled.Diff)
	}
}

// Strata within a setting: layer groups read apart and then weighted, so
// a fix whose units sit in layer 1 (where ReLU's cannot come back) is not
// set against ReLU's deeper units, as pooling the layers first would.
func TestWithinSettingsLayerStrata(t *testing.T) {
	c := &Config{Seeds: 2, Depth: 2, Variants: []string{"relu", "elu"}, LRs: []float64{0.1}, Biases: []float64{0}}
	run := func(ever1, came1, ever2, came2 int) dyingResult {
		r := fakeRun(0.5, 0.9, false)
		r.WouldBeDead = []metrics.DeathCounts{{Units: 64, EverDead: ever1, Recovered: came1}, {Units: 64, EverDead: ever2, Recovered: came2}}
		return r
	}
	// elu: 40 units in layer 1 (10 back), 10 in layer 2 (6 back); relu: 10
	// in layer 1 (none back), 40 in layer 2 (20 back).
	trains := trainRuns{{"elu", 0.1, 0}: {run(40, 10, 10, 6), run(40, 10, 10, 6)}, {"relu", 0.1, 0}: {run(10, 0, 40, 20), run(10, 0, 40, 20)}}
	keys := []trainKey{{lr: 0.1}}
	first, second := layerGroup{"1", 0, 1}, layerGroup{"2", 1, 2}
	// Per stratum: layer 1 +0.25, layer 2 +0.10, each with weight 40*10/50 = 8.
	if p := withinSettings(c, trains, keys, "elu", everRecovered(first), everRecovered(second)); math.Abs(p.Diff.Mean-0.175) > 1e-12 || p.Diff.N != 2 {
		t.Errorf("within layer strata %+v, want +0.175 (+0.25 and +0.10, equal weights)", p.Diff)
	}
	// Layers pooled first: elu 16/50, relu 20/50, -0.08: the other sign.
	if p := withinSettings(c, trains, keys, "elu", everRecovered(layerGroup{"all", 0, 2})); math.Abs(p.Diff.Mean+0.08) > 1e-12 {
		t.Errorf("layers pooled %+v, want -0.08 (the mix the strata avoid)", p.Diff)
	}
}
