package twosided

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/reluexp/reluexp/experiments/harness"
	"github.com/reluexp/reluexp/experiments/internal/exptest"
	"github.com/reluexp/reluexp/experiments/kit"
	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/model"
)

// paramCount must count what the model allocates, and layerCounts must
// list all of it layer by layer.
func TestParamCountsMatchNetwork(t *testing.T) {
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
		layers := layerCounts(net)
		sum := 0
		for _, l := range layers {
			sum += l.Weights + l.Biases
		}
		if tc.variant == "prelu" {
			sum += tc.depth * tc.width // the slopes, which belong to no dense layer
		}
		if len(layers) != tc.depth+1 || sum != net.NumParams() {
			t.Errorf("%s %d-%dx%d: %d dense layers summing to %d, want %d and %d", tc.variant, tc.inputs, tc.width, tc.depth, len(layers), sum, tc.depth+1, net.NumParams())
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

// Cell IDs stay unique when relu:matched resolves to the width of relu:w
// (at w = 4 and w = 8 it does, which used to crash the run), and every net
// of a seed shares that seed (paired), whatever the width.
func TestCellsUniqueAndPaired(t *testing.T) {
	collided := false
	for w := 1; w <= 12; w++ {
		cfg := defaults(false)
		cfg.Width = w
		if resolveWidth(netSpec{"relu", "matched"}, 784, w, cfg.Depth, 10) == w {
			collided = true
		}
		plan := harness.Plan(New(), cfg, 1) // panics on a duplicate ID
		seeds := map[int]map[uint64]bool{}
		for _, c := range plan {
			p := c.Params.(cellParams)
			if p.Kind == kindBorn {
				continue
			}
			if seeds[p.Seed] == nil {
				seeds[p.Seed] = map[uint64]bool{}
			}
			seeds[p.Seed][c.Seed] = true
		}
		if len(seeds) != cfg.Seeds {
			t.Fatalf("w %d: %d seeds planned, want %d", w, len(seeds), cfg.Seeds)
		}
		distinct := map[uint64]bool{}
		for s, set := range seeds {
			if len(set) != 1 {
				t.Errorf("w %d: the nets of seed %d got %d different seeds; want one (paired)", w, s, len(set))
			}
			for k := range set {
				distinct[k] = true
			}
		}
		if len(distinct) != cfg.Seeds {
			t.Errorf("w %d: %d distinct seeds over %d seed indices", w, len(distinct), cfg.Seeds)
		}
	}
	if !collided {
		t.Error("no width in 1..12 where relu:matched is relu:w: the test no longer covers the old crash")
	}
}

// Paired arms: relu:w and twosided:w of one seed draw the same first
// layer and the same data order, though the two-sided net draws more
// weights after it.
func TestPairedArmsShareFirstLayerAndOrder(t *testing.T) {
	draw := func(variant string) (first []float64, order uint64) {
		initRNG, orderRNG, _ := kit.Streams(harness.NewRand(7))
		net, err := newNet(cellParams{Variant: variant, Width: 8, Depth: 3}, 20, initRNG)
		if err != nil {
			t.Fatal(err)
		}
		return net.Params()[0].Value, orderRNG.Uint64()
	}
	rw, ro := draw("relu")
	tw, to := draw("twosided")
	if ro != to {
		t.Error("the data-order streams of relu:w and twosided:w differ")
	}
	if len(rw) != len(tw) {
		t.Fatalf("first layers of %d and %d weights", len(rw), len(tw))
	}
	for i := range rw {
		if rw[i] != tw[i] {
			t.Fatalf("first-layer weight %d: relu %v, twosided %v", i, rw[i], tw[i])
		}
	}
}

// fakeDone makes a finished run of every cell of c without training: every
// born-dead net alive, every MNIST run at accuracy acc(net, seed) with dead
// fraction dead(net) unless diverges(kind, net, seed).
func fakeDone(c *Config, diverges func(kind, net string, seed int) bool, dead func(kind, net string) float64) []harness.Done[cellParams, cellResult] {
	var out []harness.Done[cellParams, cellResult]
	for _, cell := range cells(c) {
		p := cell.Params
		if p.Kind == kindBorn {
			h := p.Born.MaxDepth
			out = append(out, harness.Done[cellParams, cellResult]{ID: cell.ID, Params: p, Result: cellResult{Born: &kit.BornResult{Inits: p.Born.Inits, DeadAtOne: make([]int, h), Constant: make([]int, h)}}})
			continue
		}
		net, _ := model.NewMLP(model.MLPSpec{Inputs: 784, Hidden: kit.RepeatInt(p.Width, p.Depth), Outputs: 10,
			Activation: model.ActivationSpec{Name: p.Variant}, Init: model.Init{Scheme: model.HeNormal}}, harness.NewRand(1))
		r := cellResult{Params: net.NumParams(), Layers: layerCounts(net)}
		o := &kit.TrainOutcome{DivergedStep: -1}
		for e := 0; e <= p.Epochs; e++ {
			o.Epochs = append(o.Epochs, kit.EpochStats{Epoch: e, TrainLoss: 1, TestAcc: 0.9 + 0.001*float64(p.Seed)})
		}
		if diverges(p.Kind, p.Net, p.Seed) {
			o.Epochs, o.Diverged, o.DivergedStep = o.Epochs[:2], true, 40
		} else {
			r.Measured, r.Dead, r.WouldBeDead = true, dead(p.Kind, p.Net)+0.001*float64(p.Seed), 0.2
			if p.Kind == kindStress {
				for range o.Epochs {
					r.DeadByEpoch, r.WouldByEpoch = append(r.DeadByEpoch, r.Dead), append(r.WouldByEpoch, r.WouldBeDead)
				}
			}
		}
		r.Train = o
		out = append(out, harness.Done[cellParams, cellResult]{ID: cell.ID, Params: p, Result: r})
	}
	return out
}

// Diverged runs are counted and left out: never averaged in as chance
// accuracy or as dead units, never decisive, drawn as markers.
func TestDivergedRunsExcluded(t *testing.T) {
	c := defaults(true)
	c.Seeds = 4
	dead := func(kind, net string) float64 {
		if kind == kindStress && net == "relu:w" {
			return 0.2
		}
		return 0
	}
	t.Run("every two-sided stress run diverged", func(t *testing.T) {
		res, err := summarize(c, fakeDone(c, func(kind, net string, _ int) bool { return kind == kindStress && net == "twosided:w" }, dead))
		if err != nil {
			t.Fatal(err)
		}
		v := exptest.VerdictFor(t, res, "C12", "a two-sided ReLU unit cannot die")
		if v.Outcome != result.Inconclusive || v.N != 0 || !strings.Contains(v.Why, "4 of 4 twosided:w runs diverged") {
			t.Errorf("all two-sided runs diverged: %s with n %d: %s", v.Outcome, v.N, v.Why)
		}
		markers := 0
		for _, f := range exptest.RenderAll(t, res) {
			for _, p := range f.Panels {
				for _, m := range p.Markers {
					if m.Label == "diverged" {
						markers++
					}
				}
			}
		}
		if markers != 4 {
			t.Errorf("%d diverged markers, want 4", markers)
		}
		for _, r := range exptest.Records(t, res, "twosided") {
			if r["diverged"] == "true" && (r["dead"] != "" || r["would_be_dead"] != "" || r["dead_at_epoch"] != "") {
				t.Errorf("a diverged run has dead fractions %q, %q, %q: they are not measured", r["dead"], r["would_be_dead"], r["dead_at_epoch"])
			}
		}
	})
	t.Run("half the two-sided accuracy runs diverged", func(t *testing.T) {
		res, err := summarize(c, fakeDone(c, func(kind, net string, seed int) bool { return kind == kindTrain && net == "twosided:w" && seed%2 == 0 }, dead))
		if err != nil {
			t.Fatal(err)
		}
		v := exptest.VerdictFor(t, res, "C12", "(beyond the blog)")
		// The two surviving seeds (1 and 3) pair with matched's seeds 1 and
		// 3: accuracies equal seed by seed, so the difference is exactly 0.
		if v.N != 2 || v.Effect == nil || v.Effect.Estimate.Mean != 0 {
			t.Errorf("worth-it over the surviving pairs: n %d, effect %+v; want n 2, difference 0", v.N, v.Effect)
		}
		ev := exptest.Evidence(t, v, "twosided:w test accuracy")
		if want := 0.9 + 0.001*2; math.Abs(ev-want) > 1e-12 {
			t.Errorf("twosided:w accuracy %v, want %v (the mean of seeds 1 and 3, no chance accuracy averaged in)", ev, want)
		}
		cd := exptest.VerdictFor(t, res, "C12", "a two-sided ReLU unit cannot die")
		if cd.Outcome != result.Confirmed || cd.N != 4 {
			t.Errorf("cannot-die with ReLU at 20%% dead and two-sided at 0: %s, n %d: %s", cd.Outcome, cd.N, cd.Why)
		}
	})
}

// checkC12 asserts what every quick run must show: four verdicts on C12,
// each valid (exptest.CheckVerdicts: outcome, role, rule, why, caveat, a
// margin with its reason), one main, one supporting and two sanity checks
// (both true by construction), comparisons with an MDE from two seeds up.
func checkC12(t *testing.T, res *result.Result) {
	t.Helper()
	exptest.CheckVerdicts(t, res, map[string]int{"C12": 4})
	roles := map[result.Role]int{}
	for _, v := range res.Verdicts {
		if v.Claim != "C12" {
			t.Errorf("verdict on %s", v.Claim)
		}
		roles[v.Role]++
		if v.Margin != nil && v.N >= 2 && v.MDE == nil {
			t.Errorf("%q: margin %v, n %d, no MDE", v.Statement, *v.Margin, v.N)
		}
	}
	if len(res.Verdicts) != 4 || roles[result.Main] != 0 || roles[result.Sanity] != 3 || roles[result.Supporting] != 1 {
		t.Errorf("%d verdicts with roles %v; want 4: one main, two sanity, one supporting", len(res.Verdicts), roles)
	}
}

// The quick run completes with its four verdicts, its figures draw, and no
// two-sided unit is ever dead: not after training on MNIST, not at birth.
// The sanity check on the parameter counts holds in any configuration.
func TestTwoSidedQuick(t *testing.T) {
	res := exptest.RunQuick(t, New(), 2, nil)
	checkC12(t, res)
	exptest.RenderAll(t, res)
	if v := exptest.VerdictFor(t, res, "C12", "a two-sided ReLU doubles the weights"); v.Outcome != result.Confirmed || v.Role != result.Sanity {
		t.Errorf("doubles-the-weights sanity check: %s (%s): %s", v.Outcome, v.Role, v.Why)
	}
	n := 0
	for _, r := range exptest.Records(t, res, "twosided") {
		if r["variant"] != "twosided" || r["diverged"] == "true" {
			continue
		}
		n++
		if r["dead"] != "0" || r["dead_init"] != "0" {
			t.Errorf("twosided %s seed %s: dead fraction %s after training, %s at init; want 0", r["setting"], r["seed"], r["dead"], r["dead_init"])
		}
	}
	if n == 0 {
		t.Fatal("no twosided records of a run that did not diverge")
	}
	for _, r := range exptest.Records(t, res, "twosided-born-dead") {
		if strings.HasPrefix(r["net"], "twosided") && (r["constant_on_grid"] != "0" || r["dead_at_x1"] != "0") {
			t.Errorf("twosided width %s depth %s: %s born dead, %s dead at x=1; want 0", r["width"], r["depth"], r["constant_on_grid"], r["dead_at_x1"])
		}
	}
	// Fractions and their bands stay in [0, 1], differences of two in
	// [-1, 1].
	for _, f := range res.Figures {
		for _, p := range f.Panels {
			floor := 0.0
			if strings.HasPrefix(p.YLabel, "minus ") {
				floor = -1
			}
			for _, ln := range p.Lines {
				for i := range ln.Y {
					for _, y := range []float64{ln.Y[i], at(ln.Lo, i), at(ln.Hi, i)} {
						if y < floor || y > 1 {
							t.Errorf("figure %s, %s: %v outside [%g, 1]", f.Name, ln.Label, y, floor)
						}
					}
				}
			}
		}
	}
}

func at(xs []float64, i int) float64 {
	if xs == nil {
		return 0
	}
	return xs[i]
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
		{"a net twice", func(c *Config) { c.Nets = []string{"relu:w", "twosided:w", "relu:w"} }, "listed twice"},
		{"even grid", func(c *Config) { c.BornGrid = 4 }, "born-grid"},
		{"no seeds", func(c *Config) { c.Seeds = 0 }, "seeds"},
		{"bad stress optimizer", func(c *Config) { c.StressOptimizer = "rmsprop" }, "stress test"},
		{"no stress learning rate", func(c *Config) { c.StressLR = 0 }, "stress test: learning rate 0"},
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
