package sparsity

import (
	"bytes"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/reluexp/reluexp/experiments/harness"
	"github.com/reluexp/reluexp/experiments/internal/exptest"
	"github.com/reluexp/reluexp/experiments/kit"
	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/metrics"
	"github.com/reluexp/reluexp/model"
)

// checkVerdicts checks the verdicts of a run: exptest.CheckVerdicts (valid
// outcomes and roles, rule, why and caveat, every margin with its effect and
// its reason) on five C5 verdicts, and here exactly one main and no sanity
// check, every comparison with effect, margin, n and (from two seeds) MDE.
func checkVerdicts(t *testing.T, res *result.Result) {
	t.Helper()
	if len(res.Verdicts) != 5 {
		t.Fatalf("%d verdicts, want 5", len(res.Verdicts))
	}
	exptest.CheckVerdicts(t, res, map[string]int{"C5": 5})
	mains := 0
	for _, v := range res.Verdicts {
		name := v.Statement
		checkVerdict(t, name, v, v.Role)
		switch v.Role {
		case result.Main:
			mains++
		case result.Supporting:
		default:
			t.Errorf("%s: role %q", name, v.Role)
		}
		noL1 := strings.HasPrefix(v.Why, "No relu arm with an L1 penalty")
		if (v.Effect == nil || v.Margin == nil) && !noL1 && !v.NotTested {
			t.Errorf("%s: every C5 rule compares (but sparsity helps when no L1 arm ran, and a rule whose arm was not run), but effect or margin is missing", name)
		}
		if v.Effect != nil && v.Effect.Estimate.N != v.N {
			t.Errorf("%s: n %d, effect over %d", name, v.N, v.Effect.Estimate.N)
		}
	}
	if mains != 1 {
		t.Errorf("%d main verdicts, want 1", mains)
	}
}

// The quick run completes with its four verdicts; ReLU starts with about
// half of its activations exactly zero, the dense variants have none, a
// near-zero count always includes the exact zeros, and the histograms
// count every activation of the runs that trained once. The same run on
// one worker gives the same bytes.
func TestSparsityQuickRun(t *testing.T) {
	res := exptest.RunQuick(t, New(), 2, nil)
	checkVerdicts(t, res)
	exptest.RenderAll(t, res)
	var reluInit []float64
	trainedRuns := map[string]map[string]bool{}
	for _, r := range exptest.Records(t, res, "sparsity") {
		zero, near := exptest.Num(t, r["exact_zero"]), exptest.Num(t, r["near_zero"])
		if near < zero || zero < 0 || zero > 1 {
			t.Errorf("%s seed %s epoch %s layer %s: near zeros %g, exact zeros %g", r["variant"], r["seed"], r["epoch"], r["layer"], near, zero)
		}
		if loss := exptest.Num(t, r["train_loss"]); r["status"] != "diverged" && loss > model.DivergenceCap(10) {
			t.Errorf("%s seed %s: a run that did not diverge has loss %g above the cap", r["variant"], r["seed"], loss)
		}
		switch {
		case r["variant"] == "relu" && r["epoch"] == "0":
			reluInit = append(reluInit, zero)
		case !strings.HasPrefix(r["variant"], "relu") && zero != 0:
			t.Errorf("%s has exact zeros (%g) at epoch %s", r["variant"], zero, r["epoch"])
		}
		if r["status"] == "trained" {
			if trainedRuns[r["variant"]] == nil {
				trainedRuns[r["variant"]] = map[string]bool{}
			}
			trainedRuns[r["variant"]][r["seed"]] = true
		}
	}
	if m := kit.Mean(reluInit); math.Abs(m-0.5) > 0.1 {
		t.Errorf("relu at initialisation: %.3f exact zeros on average, want about 0.5", m)
	}
	total := map[string]float64{}
	for _, r := range exptest.Records(t, res, "histograms") {
		total[r["variant"]+"/"+r["stage"]] += exptest.Num(t, r["count"])
	}
	cfg := sparsityDefaults(true)
	for k, n := range total {
		want := float64(cfg.ProbeExamples*cfg.Width*cfg.Depth) * float64(len(trainedRuns[strings.Split(k, "/")[0]]))
		if n != want {
			t.Errorf("histogram %s counts %g activations, want %g", k, n, want)
		}
	}

	again := exptest.RunQuick(t, New(), 1, nil)
	if !bytes.Equal(exptest.DeterministicBytes(t, res, nil), exptest.DeterministicBytes(t, again, nil)) {
		t.Error("the quick run differs between 2 workers and 1")
	}
}

// At a learning rate that blows the nets up, the diverged runs are
// counted, enter no histogram, and if most relu runs diverged no verdict is
// decided.
func TestSparsityDivergedRunsDecideNothing(t *testing.T) {
	res := exptest.RunQuick(t, New(), 2, func(c any) {
		cfg := c.(*Config)
		cfg.LR, cfg.Epochs = 1e4, 1
	})
	checkVerdicts(t, res)
	diverged, runs := map[string]map[string]bool{}, map[string]map[string]bool{}
	for _, r := range exptest.Records(t, res, "sparsity") {
		for _, m := range []map[string]map[string]bool{runs, diverged} {
			if m[r["variant"]] == nil {
				m[r["variant"]] = map[string]bool{}
			}
		}
		runs[r["variant"]][r["seed"]] = true
		if r["status"] == "diverged" {
			diverged[r["variant"]][r["seed"]] = true
		}
	}
	if 2*len(diverged["relu"]) <= len(runs["relu"]) {
		t.Skipf("only %d of %d relu runs diverged at lr 1e4; nothing to check", len(diverged["relu"]), len(runs["relu"]))
	}
	for _, v := range res.Verdicts {
		if v.Outcome != result.Inconclusive {
			t.Errorf("%q is %s though %d of %d relu runs diverged", v.Statement, v.Outcome, len(diverged["relu"]), len(runs["relu"]))
		}
	}
	for _, r := range exptest.Records(t, res, "histograms") {
		if len(diverged[r["variant"]]) == len(runs[r["variant"]]) {
			t.Errorf("variant %s has a histogram though all its runs diverged", r["variant"])
			break
		}
	}
}

// Paired cells: every variant of one seed gets the same cell seed, and the
// seeds differ between seeds.
func TestSparsityCellsArePaired(t *testing.T) {
	cfg := sparsityDefaults(true)
	seeds := map[int]map[uint64]bool{}
	for _, pc := range harness.Plan(New(), cfg, 1) {
		p := pc.Params.(sparsityCell)
		if seeds[p.Seed] == nil {
			seeds[p.Seed] = map[uint64]bool{}
		}
		seeds[p.Seed][pc.Seed] = true
	}
	distinct := map[uint64]bool{}
	for s, set := range seeds {
		if len(set) != 1 {
			t.Errorf("seed %d: the variants got %d different cell seeds, want 1", s, len(set))
		}
		for k := range set {
			distinct[k] = true
		}
	}
	if len(distinct) != cfg.Seeds {
		t.Errorf("%d distinct cell seeds over %d seeds", len(distinct), cfg.Seeds)
	}
	// The same cell seed gives relu and tanh the same initial weights
	// (the init stream of kit.Streams), so that they are paired.
	weights := func(variant string) []float64 {
		initRNG, _, _ := kit.Streams(rand.New(rand.NewPCG(7, 8)))
		net, err := model.NewMLP(model.MLPSpec{Inputs: 784, Hidden: []int{8, 8}, Outputs: 10, Activation: model.ActivationSpec{Name: variant}, Init: model.Init{Scheme: model.HeNormal}}, initRNG)
		if err != nil {
			t.Fatal(err)
		}
		var w []float64
		for _, p := range net.Params() {
			w = append(w, p.Value...)
		}
		return w
	}
	if !slices.Equal(weights("relu"), weights("tanh")) {
		t.Error("relu and tanh drew different initial weights from the same seed")
	}
}

// fakeRun is a finished run of two hidden layers over one epoch: exact
// zeros z0 at init and z1 after it, test accuracy acc; diverged runs stop
// before epoch 1.
func fakeRun(z0, z1, acc float64, diverged bool) sparsityResult {
	h := metrics.NewHistogram(histLo, histHi, histBins)
	h.Add([]float64{0, 0.5, 1})
	r := sparsityResult{
		Train:  kit.TrainOutcome{Epochs: []kit.EpochStats{{Epoch: 0, TestAcc: 0.1}}, DivergedStep: -1},
		Epochs: []sparsityEpoch{{Epoch: 0, Zero: []float64{z0, z0}, NearZero: []float64{z0, z0}, Dead: []float64{0, 0}}},
		Init:   h,
	}
	if diverged {
		r.Train.Diverged, r.Train.DivergedStep = true, 40
		return r
	}
	r.Train.Epochs = append(r.Train.Epochs, kit.EpochStats{Epoch: 1, TestAcc: acc})
	r.Epochs = append(r.Epochs, sparsityEpoch{Epoch: 1, Zero: []float64{z1, z1}, NearZero: []float64{z1, z1}, Dead: []float64{0, 0}})
	r.Trained = h
	return r
}

// A diverged run and a collapsed one (98% zeros at chance accuracy) are
// counted, kept out of every sparsity number, and drawn as markers; the
// collapsed run's accuracy counts, the diverged run's does not.
func TestSparsityExcludesDivergedAndCollapsedRuns(t *testing.T) {
	c := &Config{Variants: []string{"relu", "tanh"}, Width: 4, Depth: 2, TrainExamples: 10, TestExamples: 10, ProbeExamples: 1, Epochs: 1, Batch: 1, Optimizer: "sgd", LR: 0.1, Seeds: 4}
	relu := []sparsityResult{fakeRun(0.5, 0.45, 0.90, false), fakeRun(0.9, 0, 0, true), fakeRun(0.5, 0.98, 0.1, false), fakeRun(0.5, 0.45, 0.92, false)}
	var done []harness.Done[sparsityCell, sparsityResult]
	for s, r := range relu {
		done = append(done, harness.Done[sparsityCell, sparsityResult]{Params: sparsityCell{Variant: "relu", Seed: s}, Result: r},
			harness.Done[sparsityCell, sparsityResult]{Params: sparsityCell{Variant: "tanh", Seed: s}, Result: fakeRun(0, 0, 0.91, false)})
	}
	res, err := summarizeSparsity(c, done)
	if err != nil {
		t.Fatal(err)
	}
	checkVerdicts(t, res)
	for _, v := range res.Verdicts {
		if strings.HasPrefix(v.Statement, "Sparsity helps") || v.NotTested {
			continue // no L1 arm, no leaky arm in this configuration: nothing compared
		}
		wantN := 2 // seeds 0 and 3: relu trained on those only
		if strings.Contains(v.Statement, "costs no accuracy") {
			wantN = 3 // the collapsed run's accuracy counts, the diverged one's not
		}
		if v.N != wantN {
			t.Errorf("%q: n = %d, want %d", v.Statement, v.N, wantN)
		}
	}
	sparser := exptest.VerdictFor(t, res, "C5", "Training with an L1 penalty")
	if sparser.Outcome != result.Inconclusive || !strings.Contains(sparser.Why, "No arm trained with an L1 penalty") {
		t.Errorf("sparser verdict %s (%s): want INCONCLUSIVE, no L1 arm", sparser.Outcome, sparser.Why)
	}
	if got := exptest.Evidence(t, sparser, "relu without a penalty, exact zeros after training"); math.Abs(got-0.45) > 1e-12 {
		t.Errorf("relu exact zeros after training %g, want 0.45 (diverged and collapsed runs left out)", got)
	}
	if got := exptest.Evidence(t, sparser, "relu without a penalty, exact zeros at initialisation"); math.Abs(got-0.5) > 1e-12 {
		t.Errorf("relu exact zeros at initialisation %g, want 0.5 (the same runs as after training)", got)
	}
	row := res.Tables[0].Rows[0]
	if row[0] != "relu" || !strings.HasPrefix(row[1], "1/4 [") || row[2] != "1/4" {
		t.Errorf("relu row %v: want 1/4 diverged and 1/4 that did not train", row)
	}
	figs := exptest.RenderAll(t, res)
	var labels []string
	for _, pn := range figs["sparsity-over-epochs"].Panels {
		for _, m := range pn.Markers {
			labels = append(labels, pn.Title+": "+m.Label)
			if m.Label == "relu diverged" && (m.X != 1 || m.Y != pn.YMax) {
				t.Errorf("diverged marker at (%g, %g), want the top edge (%g) at epoch 1", m.X, m.Y, pn.YMax)
			}
		}
		for _, ln := range pn.Lines {
			for i, y := range ln.Y {
				if pn.YMin == 0 && pn.YMax == 1 && (y < 0 || y > 1 || (ln.Lo != nil && (ln.Lo[i] < 0 || ln.Hi[i] > 1))) {
					t.Errorf("%s, %s: value or band outside [0, 1] at %g", pn.Title, ln.Label, ln.X[i])
				}
			}
		}
	}
	for _, want := range []string{"test accuracy minus relu's on the same seed: relu diverged", "all hidden layers: relu: a run that did not train"} {
		if !slices.Contains(labels, want) {
			t.Errorf("no marker %q among %v", want, labels)
		}
	}
	pooled := figs["sparsity-over-epochs"].Panels[0]
	found := false
	for _, ln := range pooled.Lines {
		found = found || ln.Label == "tanh: 0 in every run"
		if strings.Contains(ln.Label, "83.4") && (!strings.Contains(ln.Label, "L1 penalty") || !strings.Contains(ln.Label, "Glorot et al. 2011")) {
			t.Errorf("reference line %q does not name its condition", ln.Label)
		}
	}
	if !found {
		t.Error("the variants at 0 have no line of their own")
	}
}

// In the near-zero panel the variants that stay under flatShare share one
// line named after them all, so that none hides under another at 0; a
// variant above it keeps its own line. The exact-zero panels gather only
// exact zeros.
func TestVariantLinesGatherFlatVariants(t *testing.T) {
	c := &Config{Variants: []string{"relu", "leaky", "softplus", "tanh"}, Depth: 2, Epochs: 1, Seeds: 2}
	runs := map[string][]*sparsityResult{}
	for v, z := range map[string]float64{"relu": 0.5, "leaky": 0.03, "softplus": 0.001, "tanh": 0.004} {
		for range c.Seeds {
			r := fakeRun(z, z, 0.9, false)
			runs[v] = append(runs[v], &r)
		}
	}
	labels := func(lines []result.Line) []string {
		var out []string
		for _, ln := range lines {
			out = append(out, ln.Label)
		}
		return out
	}
	near, _ := variantLines(c, runs, meanNearZeros, flatShare)
	want := []string{"relu", "leaky", "softplus, tanh: under 1% in every run, drawn at 0"}
	if got := labels(near); !slices.Equal(got, want) {
		t.Errorf("near-zero lines %q, want %q", got, want)
	}
	exact, _ := variantLines(c, runs, meanZeros, 0)
	if got := labels(exact); !slices.Equal(got, []string{"relu", "leaky", "softplus", "tanh"}) {
		t.Errorf("exact-zero lines %q: no variant is exactly 0, so each keeps its line", got)
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

// A penalised arm most of whose runs did not train gets no line in the
// accuracy panel, whose scale then fits the arms that trained, and is
// marked on a band below the values with its final accuracy.
func TestAccuracyPanelLeavesOutAnArmThatDidNotTrain(t *testing.T) {
	c := &Config{Variants: []string{"relu"}, L1s: []float64{0.001, 0.03}, Width: 4, Depth: 2, TrainExamples: 10, TestExamples: 10, ProbeExamples: 1, Epochs: 1, Batch: 1, Optimizer: "sgd", LR: 0.1, Seeds: 3}
	var done []harness.Done[sparsityCell, sparsityResult]
	for s := range c.Seeds {
		done = append(done,
			harness.Done[sparsityCell, sparsityResult]{Params: sparsityCell{Variant: "relu", Seed: s}, Result: fakeRun(0.5, 0.45, 0.93+0.001*float64(s), false)},
			harness.Done[sparsityCell, sparsityResult]{Params: sparsityCell{Variant: "relu", L1: 0.001, Seed: s}, Result: fakeRun(0.5, 0.6, 0.935+0.002*float64(s), false)},
			harness.Done[sparsityCell, sparsityResult]{Params: sparsityCell{Variant: "relu", L1: 0.03, Seed: s}, Result: fakeRun(0.5, 0.99, 0.11, false)})
	}
	pn := accuracyPanel(c, runsByVariant(c, done))
	for _, ln := range pn.Lines {
		if strings.HasPrefix(ln.Label, "relu+l1=0.03") {
			t.Errorf("a line for the arm that did not train: %q", ln.Label)
		}
	}
	if pn.YMin < -0.05 {
		t.Errorf("y axis from %g: want it to fit the arms that trained (tenths of a point), not the collapsed one", pn.YMin)
	}
	var found bool
	for _, m := range pn.Markers {
		if m.Label == "relu+l1=0.03: most runs did not train (ends at 0.110), on the band" {
			found = true
			// On the band below the values: under the lowest tick that
			// is labelled, above the axis' bottom.
			if m.Y >= pn.TickMin || m.Y < pn.YMin || m.X != 1 {
				t.Errorf("marker at (%g, %g), want it on the band [%g, %g) at the last epoch", m.X, m.Y, pn.YMin, pn.TickMin)
			}
		}
	}
	if !found {
		t.Errorf("no marker for the arm that did not train among %+v", pn.Markers)
	}
}
