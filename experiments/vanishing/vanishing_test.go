package vanishing

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/reluexp/reluexp/experiments/harness"
	"github.com/reluexp/reluexp/experiments/internal/exptest"
	"github.com/reluexp/reluexp/experiments/kit"
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

// checkVerdicts holds every verdict to the project's standard
// (exptest.CheckVerdicts), and to an MDE wherever two or more units were
// compared. It returns the verdicts by role.
func checkVerdicts(t *testing.T, res *result.Result, want map[string]int) map[result.Role][]result.Verdict {
	t.Helper()
	exptest.CheckVerdicts(t, res, want)
	byRole := map[result.Role][]result.Verdict{}
	for _, v := range res.Verdicts {
		if v.Margin != nil && v.N >= 2 && v.MDE == nil {
			t.Errorf("%s %q: margin %v over %d units without an MDE", v.Claim, v.Statement, *v.Margin, v.N)
		}
		byRole[v.Role] = append(byRole[v.Role], v)
	}
	return byRole
}

// The robust facts of claim C3 at depth 30, even in quick mode: sigmoid under
// Xavier loses more than three decades between the last and first layer, and
// ReLU under He stays within one. C3's main verdict is the one at
// initialisation, C4 is a sanity check and holds by definition. Under
// Glorot & Bengio's classic init ReLU's gradient shrinks too, so the
// supporting verdict on that init says REFUTED.
func TestVanishingQuickGradientFacts(t *testing.T) {
	res := quickVanishing(t, 2, func(c *Config) { c.TrainDepths = nil })
	byRole := checkVerdicts(t, res, map[string]int{"C3": 2, "C4": 1})
	if len(byRole[result.Main]) != 1 || byRole[result.Main][0].Claim != "C3" || len(byRole[result.Sanity]) != 1 || len(byRole[result.Supporting]) != 1 {
		t.Fatalf("verdicts by role %v: want one main (C3), one supporting (C3 under the classic init) and one sanity check (C4)", byRole)
	}
	if classic := exptest.VerdictFor(t, res, "C3", "under Glorot & Bengio's classic initialisation"); classic.Outcome != result.Refuted {
		t.Errorf("C3 under the classic init: %s (%s), want REFUTED", classic.Outcome, classic.Why)
	}
	v := byRole[result.Main][0]
	sig := exptest.Evidence(t, v, "sigmoid xavier-normal depth 30 decades lost")
	relu := exptest.Evidence(t, v, "relu he-normal depth 30 decades lost")
	if !(sig > 3) {
		t.Errorf("sigmoid/xavier loses %.2f decades at depth 30, want > 3", sig)
	}
	if math.Abs(relu) > 1 {
		t.Errorf("relu/he loses %.2f decades at depth 30, want within [-1, 1]", relu)
	}
	if v.N != 3 || v.Margin == nil || *v.Margin != shrinkMargin {
		t.Errorf("main verdict over %d seeds with margin %v, want 3 seeds and %g", v.N, v.Margin, shrinkMargin)
	}
	c4 := exptest.VerdictFor(t, res, "C4", "")
	if c4.Outcome != result.Confirmed || c4.Role != result.Sanity {
		t.Errorf("C4: %s, %s (%s)", c4.Outcome, c4.Role, c4.Why)
	}
	if blocked := exptest.Evidence(t, c4, "relu: fraction of dz entries blocked"); math.Abs(blocked-0.5) > 0.05 {
		t.Errorf("ReLU blocks %.3f of gradient entries at init, want about half", blocked)
	}
}

// The rules read the verdict depth only: without it they say INCONCLUSIVE
// instead of reading whatever depth is deepest.
func TestVanishingVerdictDepthEnforced(t *testing.T) {
	res := quickVanishing(t, 2, func(c *Config) {
		c.Variants, c.Depths, c.Seeds = []string{"sigmoid", "tanh", "relu"}, []int{2, 10}, 2
		c.TrainDepths = nil
	})
	v := exptest.VerdictFor(t, res, "C3", "in deep nets")
	if v.Outcome != result.Inconclusive || !strings.Contains(v.Why, "Depth 30 was not measured") {
		t.Errorf("%s: %s", v.Outcome, v.Why)
	}
}

// Paired arms at initialisation see the same batch: at depth 1 ReLU under
// Xavier and under He differ only by the scale of the same weights, so
// the ReLU pattern (which entries are blocked) is identical, and so is the
// fraction blocked.
func TestVanishingPairedAtInit(t *testing.T) {
	res := quickVanishing(t, 1, func(c *Config) {
		c.Variants, c.Inits, c.Depths, c.Seeds = []string{"relu"}, []string{"xavier-normal", "he-normal"}, []int{3}, 2
		c.TrainDepths = nil
	})
	tb := exptest.RecordTable(t, res, "gradients")
	init, seed, layer, blocked := exptest.Column(t, tb, "init"), exptest.Column(t, tb, "seed"), exptest.Column(t, tb, "layer"), exptest.Column(t, tb, "blocked_fraction")
	byArm := map[string]map[string]string{}
	for _, row := range tb.Rows {
		if byArm[row[init]] == nil {
			byArm[row[init]] = map[string]string{}
		}
		byArm[row[init]][row[seed]+"/"+row[layer]] = row[blocked]
	}
	for k, x := range byArm["xavier-normal"] {
		if he := byArm["he-normal"][k]; he != x {
			t.Errorf("seed/layer %s: blocked fraction %s under xavier, %s under he: the arms are not paired", k, x, he)
		}
	}
	if len(byArm["xavier-normal"]) != 6 {
		t.Errorf("%d xavier rows, want 2 seeds x 3 layers", len(byArm["xavier-normal"]))
	}
}

// A run that diverges is counted, marked and never averaged in: with a
// learning rate of 1000 every relu/he-normal run blows up, the rule that
// rests on them says INCONCLUSIVE, the control check fails, and the
// figure marks them.
func TestVanishingDivergedRunsExcluded(t *testing.T) {
	res := quickVanishing(t, 2, func(c *Config) {
		c.Variants, c.Inits, c.Depths, c.Seeds = []string{"relu"}, []string{"he-normal"}, []int{2}, 2
		c.TrainNets = []string{"relu/he-normal@1000", "relu/xavier-normal"}
		c.TrainDepths, c.VerdictDepth, c.ControlDepth = []int{2, 10}, 10, 2
		c.TrainExamples, c.TestExamples, c.TrainWidth = 300, 300, 16
	})
	checkVerdicts(t, res, map[string]int{"C3": 4, "C4": 1})
	he := exptest.VerdictFor(t, res, "C3", "He et al. 2015")
	if he.Outcome != result.Inconclusive || !strings.Contains(he.Why, "diverged") {
		t.Errorf("He rule on diverged runs: %s (%s)", he.Outcome, he.Why)
	}
	if he.N != 0 {
		t.Errorf("He rule compares %d pairs; every pair has a diverged run and is left out", he.N)
	}
	ctl := exptest.VerdictFor(t, res, "C3", "the training setup works")
	if ctl.Outcome != result.Refuted || ctl.Role != result.Sanity {
		t.Errorf("control: %s %s (%s)", ctl.Outcome, ctl.Role, ctl.Why)
	}
	for _, tb := range res.Tables {
		if tb.Name == "mnist-by-depth" && !strings.Contains(tb.Rows[0][1], "(3 of 3 diverged)") {
			t.Errorf("table row %v does not count the diverged runs", tb.Rows[0])
		}
	}
	figs := exptest.RenderAll(t, res)
	fig := figs["mnist-by-depth"]
	if marks := fig.Panels[0].Markers; len(marks) != 2 {
		t.Errorf("%d diverged markers, want one per depth of relu/he-normal@1000", len(marks))
	}
	if !strings.Contains(fig.Caption, "Only depths 2 and 10 were trained") || !strings.Contains(fig.Caption, "6 runs diverged in all") {
		t.Errorf("caption %q: want the trained depths and the count of diverged runs", fig.Caption)
	}
	// Points with error bars, never a line joining the depths: every
	// drawn piece of a measured series is one point or one vertical bar.
	for _, ln := range fig.Panels[0].Lines {
		if ln.Theory {
			continue
		}
		for k := 1; k < len(ln.X); k++ {
			if !math.IsNaN(ln.X[k]) && !math.IsNaN(ln.X[k-1]) && ln.X[k] != ln.X[k-1] {
				t.Errorf("line %q joins x = %g and %g", ln.Label, ln.X[k-1], ln.X[k])
			}
		}
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
	render := func(res *result.Result) []byte {
		// Main, classic-init, control, He, sigmoid and tanh rules on
		// C3; C4.
		checkVerdicts(t, res, map[string]int{"C3": 6, "C4": 1})
		exptest.RenderAll(t, res)
		return exptest.DeterministicBytes(t, res, nil)
	}
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
		{"bad net learning rate", func(c *Config) { c.TrainNets = []string{"relu/he-normal@-1"} }, "learning rate after @"},
		{"no control depth", func(c *Config) { c.ControlDepth = 0 }, "control-depth"},
		{"a net twice", func(c *Config) { c.TrainNets = []string{"relu/he-normal", "relu/he-normal@0.01"} }, "listed twice"},
		{"bad lr", func(c *Config) { c.LR = 0 }, "learning rate"},
		{"a grid without validation", func(c *Config) { c.TrainLRs = []float64{0.01, 0.1} }, "set --validation"},
		{"a grid rate not positive", func(c *Config) { c.TrainLRs, c.Validation = []float64{0.01, -0.1}, 500 }, "train-lrs: -0.1 is not a positive learning rate"},
		{"a grid rate twice", func(c *Config) { c.TrainLRs, c.Validation = []float64{0.1, 0.1}, 500 }, "0.1 is listed twice"},
		{"validation overlaps training", func(c *Config) { c.TrainExamples, c.Validation = 55000, 10000 }, "overlap within the 60000 training images"},
		{"negative validation", func(c *Config) { c.Validation = -1 }, "want 0 (none)"},
		{"control threshold above 1", func(c *Config) { c.ControlAccuracy = 95 }, "want a test accuracy from 0 to 1, or 0 for a threshold set by --control-reference"},
		{"negative control threshold", func(c *Config) { c.ControlAccuracy = -0.5 }, "want a test accuracy from 0 to 1"},
		{"no threshold at all", func(c *Config) { c.ControlReference = "" }, "the control needs a threshold"},
		{"an unknown reference", func(c *Config) { c.ControlReference = "relu/he-normal" }, "want linear or linear@lr[+lr...]"},
		{"a reference rate not positive", func(c *Config) { c.ControlReference = "linear@0" }, "control reference \"linear@0\": each learning rate"},
		{"a reference grid without validation", func(c *Config) { c.ControlReference = "linear@0.01+0.1" }, "set --validation"},
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

// A diverged run, even one that diverged before its first evaluation, is
// counted and left out (NaN), never averaged in as chance.
func TestFinalAccuraciesLeaveOutDiverged(t *testing.T) {
	ok := kit.TrainOutcome{Epochs: []kit.EpochStats{{Epoch: 0, TestAcc: 0.1}, {Epoch: 1, TestAcc: 0.8}}, DivergedStep: -1}
	late := kit.TrainOutcome{Epochs: []kit.EpochStats{{Epoch: 0, TestAcc: 0.1}}, Diverged: true, DivergedStep: 40}
	early := kit.TrainOutcome{Diverged: true}
	accs, diverged := finalAccuracies([]kit.TrainOutcome{ok, late, early})
	if diverged != 2 || accs[0] != 0.8 || !math.IsNaN(accs[1]) || !math.IsNaN(accs[2]) {
		t.Errorf("accuracies %v, %d diverged; want [0.8 NaN NaN] and 2", accs, diverged)
	}
	line, marks := epochCurve("x", []kit.TrainOutcome{ok, late, early}, 0)
	if len(line.Y) != 2 || line.Y[1] != 0.8 || len(marks) != 2 || marks[0].X != 1 || marks[1].X != 0 {
		t.Errorf("curve %v, markers %v: want the surviving run only, and a marker at the epoch each run diverged in", line.Y, marks)
	}
	for _, m := range marks {
		if m.Y >= 0 {
			t.Errorf("diverged-run marker at y=%g: inside the accuracy axis it reads as a value", m.Y)
		}
	}
}

// The faithful profile plans the design: 15 nets at 6 rates, at
// depths 2 and 30, 24 seeds, each cell reading 10000 validation images,
// with the control at 0.95; and every net at every rate of one depth and
// seed is paired (same pair key, so same data order and weight draws).
func TestVanishingFaithfulProfilePlans(t *testing.T) {
	exp := New()
	cfgAny, err := harness.Defaults(exp, false, "faithful")
	if err != nil {
		t.Fatal(err)
	}
	cfg := cfgAny.(*Config)
	if err := harness.Validate(exp, cfg); err != nil {
		t.Fatalf("the faithful profile does not validate: %v", err)
	}
	if cfg.ControlAccuracy != 0.95 || cfg.Validation != 10000 || len(cfg.TrainNets) != 15 || len(cfg.TrainLRs) != 6 {
		t.Errorf("profile: control %g, validation %d, %d nets, %d rates; want 0.95, 10000, 15, 6", cfg.ControlAccuracy, cfg.Validation, len(cfg.TrainNets), len(cfg.TrainLRs))
	}
	train := trainingCells(cfg)
	if want := 15 * 6 * 2 * 24; len(train) != want {
		t.Errorf("%d training cells, want %d", len(train), want)
	}
	pairs := map[string]int{}
	ids := map[string]bool{}
	for _, c := range train {
		if !strings.Contains(c.ID, "/val10000/") || c.Params.Validation != 10000 {
			t.Errorf("cell %s does not read the validation split", c.ID)
		}
		if ids[c.ID] {
			t.Errorf("cell ID %s twice", c.ID)
		}
		ids[c.ID] = true
		pairs[c.Pair]++
	}
	if len(pairs) != 2*24 {
		t.Errorf("%d pairs, want one per depth and seed (48)", len(pairs))
	}
	for p, n := range pairs {
		if n != 90 {
			t.Errorf("pair %s holds %d cells, want every net at every rate (90)", p, n)
		}
	}
	planned := harness.Plan(exp, cfg, 1)
	if len(planned) != len(gradientCells(cfg))+len(train) {
		t.Errorf("%d cells planned, want %d", len(planned), len(gradientCells(cfg))+len(train))
	}
}

// The faithful profile's quick form runs end to end: every net at both
// rates, a rate chosen per net and depth on the validation images and
// shown, and every training verdict naming its budget and threshold.
func TestVanishingFaithfulProfileQuick(t *testing.T) {
	exp := New()
	cfgAny, err := harness.Defaults(exp, true, "faithful")
	if err != nil {
		t.Fatal(err)
	}
	cfg := cfgAny.(*Config)
	cfg.Variants, cfg.Depths, cfg.Seeds = []string{"sigmoid", "tanh", "relu"}, []int{30}, 2
	res, err := harness.Run(context.Background(), exp, cfg, harness.RunOptions{Seed: 1, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	var rates result.Table
	for _, tb := range res.Tables {
		if tb.Name == "learning-rates" {
			rates = tb
		}
	}
	if len(rates.Rows) != 15*2 {
		t.Fatalf("learning-rate table has %d rows, want one per net and depth (30)", len(rates.Rows))
	}
	for _, row := range rates.Rows {
		if strings.Count(strings.Join(row, "|"), "*") != 1 {
			t.Errorf("learning-rate row %v: want exactly one chosen rate", row)
		}
	}
	// One validation reading per epoch recorded (0 and 1; fewer for a
	// run that diverged): as many as the test readings.
	val, test := exptest.RecordTable(t, res, "mnist-validation"), exptest.RecordTable(t, res, "mnist-by-depth")
	if len(val.Rows) != len(test.Rows) || len(val.Rows) < 15*2*2*2 {
		t.Errorf("%d validation records, %d test records: want one of each per recorded epoch of each of the 120 runs", len(val.Rows), len(test.Rows))
	}
	for _, v := range res.Verdicts {
		if v.Claim != "C3" || !strings.Contains(v.Statement, "MNIST") {
			continue
		}
		if !strings.Contains(v.Caveat, "control threshold 0.95 at depth 2") || !strings.Contains(v.Caveat, "chosen per depth on 500 held-out training images") {
			t.Errorf("%q: caveat %q does not state the budget and threshold", v.Statement, v.Caveat)
		}
	}
}

// With one rate per net the grid machinery adds nothing: no learning-rate
// table, no validation records, and cell IDs without a validation part.
func TestVanishingOneRateUnchanged(t *testing.T) {
	cfg := Defaults(false)
	cfg.TrainLRs, cfg.Validation = nil, 0
	cfg.TrainNets[3] = "sigmoid/xavier-normal@0.1"
	cfg.ControlReference = linearNet
	for _, c := range trainingCells(cfg) {
		if strings.Contains(c.ID, "/val") || c.Params.Validation != 0 {
			t.Errorf("cell %s reads a validation split the configuration does not have", c.ID)
		}
	}
	// 4 nets at 3 depths, and the linear reference at --lr, 24 seeds each.
	if got := len(trainingCells(cfg)); got != 4*3*24+24 {
		t.Errorf("%d training cells, want 312", got)
	}
}

// The report's configuration trains every net without "@lr" at each rate
// of the shared grid, and sigmoid at each rate of its own, every run with
// the validation split the rate is chosen on.
func TestVanishingReportGrid(t *testing.T) {
	cfg := Defaults(false)
	if err := validateVanishing(cfg); err != nil {
		t.Fatalf("the report's configuration does not validate: %v", err)
	}
	rates := map[string]map[float64]int{}
	for _, c := range trainingCells(cfg) {
		p := c.Params
		if p.Validation != cfg.Validation || !strings.Contains(c.ID, fmt.Sprintf("/val%d", cfg.Validation)) {
			t.Errorf("cell %s: validation %d, want %d", c.ID, p.Validation, cfg.Validation)
		}
		k := p.Variant + "/" + p.Init
		if rates[k] == nil {
			rates[k] = map[float64]int{}
		}
		rates[k][p.LR]++
	}
	per := len(cfg.TrainDepths) * cfg.TrainSeeds
	for net, byLR := range rates {
		want := map[float64]int{}
		switch net {
		case "sigmoid/xavier-normal":
			for _, lr := range []float64{0.03, 0.1, 0.3, 1} {
				want[lr] = per
			}
		case linearNet + "/xavier-normal":
			// The control's reference, at depth 0 only.
			for _, lr := range []float64{0.001, 0.003, 0.01, 0.03, 0.1, 0.3} {
				want[lr] = cfg.TrainSeeds
			}
		default:
			for _, lr := range cfg.TrainLRs {
				want[lr] = per
			}
		}
		if !maps.Equal(byLR, want) {
			t.Errorf("%s: cells by rate %v, want %v", net, byLR, want)
		}
	}
	if len(rates) != 5 {
		t.Errorf("%d nets, want 4 and the linear reference", len(rates))
	}
}

// The linear reference trains only when it sets the threshold, at depth 0
// (one dense layer, no activation), each seed paired with the control
// nets' seed (the same data order), and its runs set the threshold the
// rules read.
func TestVanishingLinearReference(t *testing.T) {
	cfg := Defaults(true)
	pairs := map[string]bool{}
	var refs []harness.Cell[vanishingCell]
	for _, c := range trainingCells(cfg) {
		if c.Params.Depth == cfg.ControlDepth {
			pairs[c.Pair] = true
		}
		if c.Params.Net == linearNet {
			refs = append(refs, c)
		}
	}
	if len(refs) != cfg.TrainSeeds {
		t.Fatalf("%d reference cells, want one per seed (%d)", len(refs), cfg.TrainSeeds)
	}
	for _, c := range refs {
		if c.Params.Depth != 0 || !pairs[c.Pair] {
			t.Errorf("reference cell %s: depth %d, pair %s; want depth 0, paired with a control net's seed", c.ID, c.Params.Depth, c.Pair)
		}
		net, err := trainedNet(c.Params, 784, rand.New(rand.NewPCG(1, 2)))
		if err != nil {
			t.Fatal(err)
		}
		got := 0
		for _, p := range net.Params() {
			got += len(p.Value)
		}
		if got != 784*10+10 {
			t.Errorf("the reference has %d parameters, want a single 784x10 dense layer and its biases (7850)", got)
		}
	}
	fixed := Defaults(true)
	fixed.ControlAccuracy = 0.9
	untrained := Defaults(true)
	untrained.TrainDepths = nil
	for name, cfg := range map[string]*Config{"a fixed threshold": fixed, "no depth trained": untrained} {
		for _, c := range trainingCells(cfg) {
			if c.Params.Depth == 0 {
				t.Errorf("%s trains the reference too: %s", name, c.ID)
			}
		}
	}
	if _, err := trainedNet(vanishingCell{Variant: "relu", Init: "xavier-normal"}, 784, rand.New(rand.NewPCG(1, 2))); err == nil {
		t.Error("a relu net with no hidden layer was built; only the linear reference has none")
	}
}

// The rules read the chosen rate's runs: with a grid of 0.05 and 1000 (at
// which every run diverges, so it is ineligible) every net is read at
// 0.05, and the accuracy table shows the mean final test accuracy of
// those runs, not of both rates.
func TestVanishingGridReadsChosenRate(t *testing.T) {
	res := quickVanishing(t, 2, func(c *Config) {
		c.Variants, c.Inits, c.Depths, c.Seeds = []string{"relu"}, []string{"he-normal"}, []int{2}, 2
		c.TrainNets = []string{"relu/he-normal", "tanh/xavier-normal"}
		c.TrainLRs, c.Validation = []float64{1000, 0.05}, 300
		c.TrainDepths, c.TrainExamples, c.TestExamples, c.TrainWidth = []int{2}, 300, 300, 16
	})
	records := exptest.RecordTable(t, res, "mnist-by-depth")
	net, lr, epoch, acc := exptest.Column(t, records, "net"), exptest.Column(t, records, "lr"), exptest.Column(t, records, "epoch"), exptest.Column(t, records, "test_acc")
	sum, n := map[string]float64{}, map[string]int{}
	for _, row := range records.Rows {
		if row[lr] == "0.05" && row[epoch] == "1" {
			var x float64
			if _, err := exptest.FmtSscan(row[acc], &x); err != nil {
				t.Fatal(err)
			}
			sum[row[net]] += x
			n[row[net]]++
		}
	}
	var table, rates result.Table
	for _, tb := range res.Tables {
		switch tb.Name {
		case "mnist-by-depth":
			table = tb
		case "learning-rates":
			rates = tb
		}
	}
	for _, row := range table.Rows {
		var mean float64
		if _, err := exptest.FmtSscan(row[1], &mean); err != nil {
			t.Errorf("%s: cell %q has no accuracy (the runs read diverged?): %v", row[0], row[1], err)
			continue
		}
		if want := sum[row[0]] / float64(n[row[0]]); n[row[0]] != 3 || math.Abs(mean-want) > 0.0006 {
			t.Errorf("%s: table shows %q, want the mean of its 3 runs at lr 0.05 (%.4f)", row[0], row[1], want)
		}
		if !strings.Contains(row[1], "lr 0.05 (edge)") {
			t.Errorf("%s: cell %q does not name the chosen rate at the grid's edge", row[0], row[1])
		}
	}
	for _, row := range rates.Rows {
		if !strings.Contains(row[3], "(3 of 3 diverged) ineligible") || !strings.Contains(row[2], "*") {
			t.Errorf("learning-rate row %v: want lr 1000 ineligible and lr 0.05 chosen", row)
		}
	}
}
