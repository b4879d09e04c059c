package exploding

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/reluexp/reluexp/experiments/harness"
	"github.com/reluexp/reluexp/experiments/internal/exptest"
	"github.com/reluexp/reluexp/experiments/kit"
	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/model"
)

func TestExplodingQuick(t *testing.T) {
	res := exptest.RunQuick(t, New(), 2, nil)
	figs := exptest.RenderAll(t, res)
	for _, name := range []string{"gradient-by-layer-g1", "gradient-by-layer-g4", "growth-by-gain", "loss-curves", "remedies-by-lr", "clip-sweep"} {
		if _, ok := figs[name]; !ok {
			t.Errorf("no figure %s", name)
		}
	}
	// Four verdicts; C7's main one is the remedies rule. Beyond the
	// report's standard, a comparison over two or more units has its MDE.
	exptest.CheckVerdicts(t, res, map[string]int{"C7": 3, "C11": 1})
	if len(res.Verdicts) != 4 {
		t.Errorf("%d verdicts, want 4", len(res.Verdicts))
	}
	for _, v := range res.Verdicts {
		if v.Margin != nil && v.N >= 2 && v.MDE == nil {
			t.Errorf("%s %q: a comparison over %d units without an MDE", v.Claim, v.Statement, v.N)
		}
	}
	main := exptest.VerdictFor(t, res, "C7", "deep ReLU nets' gradients can explode")
	if main.Role != result.Main || main.Margin == nil || *main.Margin != -trainsMargin {
		t.Errorf("remedies verdict: role %q, margin %v; want main, -%g", main.Role, main.Margin, trainsMargin)
	}
	if v := exptest.VerdictFor(t, res, "C7", "ReLU gradients explode"); v.Role != result.Supporting {
		t.Errorf("growth verdict role %q", v.Role)
	}
	if v := exptest.VerdictFor(t, res, "C11", "a deep ReLU net trains best with BatchNorm"); v.Role != result.Part {
		t.Errorf("BatchNorm verdict role %q", v.Role)
	}
	if v := exptest.VerdictFor(t, res, "C7", "the divergence is ReLU's unbounded output's"); v.Role != result.Supporting || v.Margin == nil || *v.Margin != controlMargin {
		t.Errorf("control verdict: role %q, margin %v; want supporting, %g", v.Role, v.Margin, controlMargin)
	}
	// The control's runs are recorded apart, with the variant and
	// initialiser they ran with, at every rate of the plain net.
	ctl := exptest.Records(t, res, "control-training")
	c := explodingDefaults(true)
	if len(ctl) != len(c.plainLRs())*c.TrainSeeds {
		t.Errorf("%d control runs recorded, want %d", len(ctl), len(c.plainLRs())*c.TrainSeeds)
	}
	for _, r := range ctl {
		if r["variant"] != "tanh" || r["init"] != "xavier-normal" {
			t.Errorf("control run %v", r)
		}
	}
	for _, r := range exptest.Records(t, res, "training") {
		if r["remedy"] == "" {
			t.Errorf("training run without remedy name: %v", r)
		}
	}
	found := false
	for _, ln := range figs["remedies-by-lr"].Panels[0].Lines {
		found = found || strings.Contains(ln.Label, "tanh")
	}
	if !found {
		t.Error("no control series in the remedies-by-lr figure")
	}
	// A point some of whose runs diverged carries a second glyph on the
	// point itself, and the caption names it.
	for _, fig := range []string{"remedies-by-lr", "clip-sweep"} {
		acc := figs[fig].Panels[1]
		for _, m := range acc.Markers {
			if m.Label != partlyDivergedLabel {
				continue
			}
			onPoint := false
			for _, ln := range acc.Lines {
				for i := range ln.X {
					onPoint = onPoint || (ln.X[i] == m.X && ln.Y[i] == m.Y)
				}
			}
			if !onPoint {
				t.Errorf("%s: partly-diverged marker at (%g, %g) is not on a drawn point", fig, m.X, m.Y)
			}
			if !strings.Contains(figs[fig].Caption, "marker on a") {
				t.Errorf("%s: partly-diverged marker without a caption sentence", fig)
			}
		}
	}

	// At initialisation, facts that hold at depth 10 whatever the seed:
	// ReLU's gradient grows per layer at gain 4 by more than the
	// threshold (mean field: 0.15 decades), sigmoid's shrinks.
	v := exptest.VerdictFor(t, res, "C7", "ReLU gradients explode")
	if relu := exptest.Evidence(t, v, "relu g=4 depth 10 per-layer growth"); !(relu > explosionRate()) {
		t.Errorf("relu at gain 4: per-layer growth %.3f decades, want > %.3f (mean field: 0.15)", relu, explosionRate())
	}
	if sig := exptest.Evidence(t, v, "sigmoid g=4 depth 10 per-layer growth"); !(sig < 0) {
		t.Errorf("sigmoid at gain 4: per-layer growth %.3f, want < 0", sig)
	}

	// Diverged runs: no accuracy in the records, no loss above the cap in
	// any curve, and a loss curve that ends before the divergence.
	capLoss := model.DivergenceCap(10)
	diverged := 0
	for _, r := range exptest.Records(t, res, "training") {
		if r["diverged"] == "true" {
			diverged++
			if !math.IsNaN(exptest.Num(t, r["test_acc"])) || !math.IsNaN(exptest.Num(t, r["dead_fraction"])) {
				t.Errorf("diverged run %v has an accuracy or dead fraction", r)
			}
			continue
		}
		if acc := exptest.Num(t, r["test_acc"]); !(acc >= 0 && acc <= 1) {
			t.Errorf("run %v: test accuracy %v", r, acc)
		}
	}
	if diverged == 0 {
		t.Error("no run diverged in the quick configuration: the divergence paths went untested")
	}
	for _, r := range exptest.Records(t, res, "loss-curves") {
		if l := exptest.Num(t, r["loss"]); !(l <= capLoss) {
			t.Errorf("loss-curve point %v above the cap %.2f", r, capLoss)
		}
	}
	// The loss figure's axis ends a little above the cap and every
	// divergence marker sits on the cap.
	for _, pn := range figs["loss-curves"].Panels {
		if !(pn.YMax >= capLoss && pn.YMax <= 2*capLoss) {
			t.Errorf("loss panel %q: axis up to %v, want just above the cap %.1f", pn.Title, pn.YMax, capLoss)
		}
		for _, m := range pn.Markers {
			if m.Y != capLoss {
				t.Errorf("loss panel %q: divergence marker at %v, want on the cap", pn.Title, m.Y)
			}
		}
	}
	// Fractions and accuracy bands stay in [0, 1]; the grey no-value band
	// (no line, no label) lies below 0, and the markers of arms that
	// mostly diverged sit on it, apart from every value.
	for _, name := range []string{"remedies-by-lr", "clip-sweep"} {
		for _, pn := range figs[name].Panels {
			for _, m := range pn.Markers {
				if strings.HasPrefix(m.Label, "most runs diverged") && !(m.Y < 0 && m.Y > pn.YMin) {
					t.Errorf("%s %q: a no-accuracy marker at %v, want below 0 on the band, above the axis's foot %v", name, pn.Title, m.Y, pn.YMin)
				}
			}
		}
	}
	for _, pn := range figs["remedies-by-lr"].Panels {
		for _, ln := range pn.Lines {
			if ln.Label == "" && slices.IndexFunc(ln.Y, func(y float64) bool { return !math.IsNaN(y) }) < 0 {
				if ln.Hi != nil && !(ln.Hi[0] < 0) {
					t.Errorf("remedies-by-lr %q: the no-value band reaches %v, want below 0", pn.Title, ln.Hi[0])
				}
				continue
			}
			for i := range ln.Y {
				ys := []float64{ln.Y[i]}
				if ln.Lo != nil {
					ys = append(ys, ln.Lo[i], ln.Hi[i])
				}
				for _, y := range ys {
					if !math.IsNaN(y) && (y < 0 || y > 1) {
						t.Errorf("remedies-by-lr %q %q: value %v outside [0, 1]", pn.Title, ln.Label, y)
					}
				}
			}
			if ln.Lo == nil && !ln.Theory {
				t.Errorf("remedies-by-lr %q %q: no band", pn.Title, ln.Label)
			}
		}
	}
	// Every verdict survives JSON (no NaN or Inf).
	if _, err := json.Marshal(res.Verdicts); err != nil {
		t.Error(err)
	}
}

// The same command gives the same bytes whatever the number of workers.
func TestExplodingDeterministic(t *testing.T) {
	small := func(cfg any) {
		c := cfg.(*Config)
		c.Depths, c.Gains, c.Seeds = []int{4}, []float64{1, 3}, 2
		c.TrainExamples, c.TestExamples, c.TrainSeeds = 300, 200, 2
		c.LRGrid, c.ClipSweep = []float64{0.1}, nil
	}
	a := exptest.DeterministicBytes(t, exptest.RunQuick(t, New(), 1, small), nil)
	b := exptest.DeterministicBytes(t, exptest.RunQuick(t, New(), 3, small), nil)
	if !bytes.Equal(a, b) {
		t.Error("records and summary differ between 1 and 3 workers")
	}
}

// Every arm of a seed shares that seed: at initialisation across variants
// and gains of a depth, in training across remedies and learning rates.
func TestExplodingPairedSeeds(t *testing.T) {
	c := explodingDefaults(true)
	seeds := map[string]uint64{}
	for _, pc := range harness.Plan(New(), c, 1) {
		p := pc.Params.(explodingCell)
		key := "grad"
		if p.Kind == "train" {
			key = "train"
		} else {
			key += kit.Itoa(p.Depth)
		}
		key += "/s" + kit.Itoa(p.Seed)
		if s, ok := seeds[key]; ok && s != pc.Seed {
			t.Errorf("%s: seed %d, but its pair has %d", pc.ID, pc.Seed, s)
		}
		seeds[key] = pc.Seed
	}
	if seeds["train/s0"] == seeds["train/s1"] {
		t.Error("seeds 0 and 1 of training share a seed")
	}
}

// trainCell is a small, fast training cell of the exploding experiment.
func trainCell(lr, clip float64, bn bool) explodingCell {
	return explodingCell{Kind: "train", Variant: "relu", Depth: 8, Width: 32, Batch: 25, Init: "he-normal",
		TrainExamples: 500, TestExamples: 200, Epochs: 1, Optimizer: "sgd", LR: lr, Clip: clip, BatchNorm: bn, LossEvery: 1}
}

// Paired arms share initial weights and data order: clipping at a
// threshold no gradient reaches changes nothing, so on one seed it must
// give the very run the plain net gives.
func TestPairedArmsShareWeightsAndOrder(t *testing.T) {
	plain, err := runExplodingCell(context.Background(), &harness.Env{}, trainCell(0.05, 0, false), harness.NewRand(7))
	if err != nil {
		t.Fatal(err)
	}
	clipped, err := runExplodingCell(context.Background(), &harness.Env{}, trainCell(0.05, 1e12, false), harness.NewRand(7))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(plain.Train.Epochs, clipped.Train.Epochs) || !reflect.DeepEqual(plain.Loss, clipped.Loss) {
		t.Errorf("an inactive clip changed the run: %+v against %+v", clipped.Train.Epochs, plain.Train.Epochs)
	}
	// At initialisation, ReLU and tanh of a seed see the same weights and
	// inputs: at the last hidden layer, where nothing has yet been
	// multiplied by a derivative, their gradient norms differ only by the
	// activation; with the identity-like tanh near 0 at a tiny gain they
	// nearly coincide.
	cell := func(v string) explodingCell {
		return explodingCell{Kind: "grad", Variant: v, Gain: 1e-4, Depth: 2, Width: 16, Batch: 8}
	}
	a, err := runExplodingCell(context.Background(), nil, cell("identity"), harness.NewRand(3))
	if err != nil {
		t.Fatal(err)
	}
	b, err := runExplodingCell(context.Background(), nil, cell("tanh"), harness.NewRand(3))
	if err != nil {
		t.Fatal(err)
	}
	if r := a.PreActGrad[1] / b.PreActGrad[1]; math.Abs(r-1) > 1e-3 {
		t.Errorf("identity and tanh at a tiny gain on one seed: gradient ratio %v, want 1 (same weights and inputs)", r)
	}
}

// Clipping by global norm: no update may apply a gradient longer than the
// threshold, and the test is not vacuous: the raw norm did exceed it.
func TestClippingNeverExceedsThreshold(t *testing.T) {
	for _, clip := range []float64{0.5, 5} {
		for _, bn := range []bool{false, true} {
			r, err := runExplodingCell(context.Background(), &harness.Env{}, trainCell(1, clip, bn), harness.NewRand(7))
			if err != nil {
				t.Fatal(err)
			}
			if r.MaxAppliedNorm > clip*(1+1e-12) {
				t.Errorf("clip %g bn %v: an update applied a gradient of norm %.6g", clip, bn, r.MaxAppliedNorm)
			}
			if !(r.Train.MaxGradNorm > clip) {
				t.Errorf("clip %g bn %v: the raw gradient norm never exceeded the threshold (max %.3g), so clipping was not tested", clip, bn, r.Train.MaxGradNorm)
			}
		}
	}
}

// A diverged run is a result: recorded with its step, its loss curve ending
// before it and below the cap, a marker on the figure at the cap, and a
// cell result that survives JSON.
func TestDivergedRunRecorded(t *testing.T) {
	r, err := runExplodingCell(context.Background(), &harness.Env{}, trainCell(3, 0, false), harness.NewRand(7))
	if err != nil {
		t.Fatal(err)
	}
	o := r.Train
	if !o.Diverged || o.DivergedStep <= 0 || o.DivergedStep != o.Steps {
		t.Fatalf("diverged %v at step %d after %d steps, want a divergence at the last step", o.Diverged, o.DivergedStep, o.Steps)
	}
	if len(r.LossSteps) > 0 && r.LossSteps[len(r.LossSteps)-1] >= o.DivergedStep {
		t.Errorf("loss curve steps %v should end before the divergence at %d", r.LossSteps, o.DivergedStep)
	}
	for _, l := range r.Loss {
		if !(l <= model.DivergenceCap(10)) {
			t.Errorf("loss %v in the curve of a diverged run is above the cap", l)
		}
	}
	if r.Dead != nil {
		t.Error("dead units measured on a diverged net")
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var back explodingResult
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, r) {
		t.Error("cell result does not round-trip through JSON")
	}

	// In the summary: a marker at the step of divergence, on the cap.
	res := exptest.RunQuick(t, New(), 2, func(cfg any) {
		c := cfg.(*Config)
		c.Depths, c.Gains, c.Variants, c.Seeds = []int{3}, []float64{2}, []string{"relu"}, 2
		c.LRGrid, c.ClipSweep, c.BN, c.TrainSeeds, c.LR = []float64{3}, nil, false, 2, 3
		c.PlainLRs = nil
	})
	var markers []result.Marker
	for _, f := range res.Figures {
		if f.Name == "loss-curves" {
			markers = f.Panels[0].Markers
		}
	}
	if len(markers) != 2 {
		t.Fatalf("%d divergence markers on the no-remedy panel, want 2 (one per seed)", len(markers))
	}
	for _, m := range markers {
		if !(m.X >= 1) || m.Y != model.DivergenceCap(10) {
			t.Errorf("marker at (%v, %v)", m.X, m.Y)
		}
	}
	// With every plain run diverged there is no stable reference, and the
	// main verdict says so instead of deciding.
	v := exptest.VerdictFor(t, res, "C7", "deep ReLU nets' gradients can explode")
	if v.Outcome != result.Inconclusive {
		t.Errorf("no stable plain rate, yet the remedies verdict is %s: %s", v.Outcome, v.Why)
	}
}

// outcome is a finished run with the given final test accuracy, or a
// diverged one (whose last completed epoch, epoch 0, had accuracy 0.1).
func outcome(acc float64, diverged bool) explodingResult {
	o := &kit.TrainOutcome{Epochs: []kit.EpochStats{{Epoch: 0, TestAcc: 0.1, TrainAcc: 0.1}}, Steps: 10, MaxGradNorm: 3}
	if diverged {
		o.Diverged, o.DivergedStep, o.MaxGradNorm = true, 4, 1e40
		return explodingResult{Train: o}
	}
	o.Epochs = append(o.Epochs, kit.EpochStats{Epoch: 1, TestAcc: acc, TrainAcc: acc})
	dead := 0.2
	return explodingResult{Train: o, Dead: &dead, MeanGradNorm: 2}
}

// A diverged run is counted, and kept out of the accuracy, the dead units
// and the norm estimates; it keeps its place (NaN) in the per-seed list,
// so pairs stay aligned.
func TestStatsOfArmExcludesDiverged(t *testing.T) {
	s := statsOfArm([]explodingResult{outcome(0.8, false), outcome(0, true), outcome(0.9, false)})
	if s.runs != 3 || s.diverged != 1 {
		t.Errorf("%d runs, %d diverged; want 3 and 1", s.runs, s.diverged)
	}
	if math.Abs(s.acc.Mean-0.85) > 1e-12 || s.acc.N != 2 {
		t.Errorf("accuracy %v over %d runs, want 0.85 over the 2 that did not diverge", s.acc.Mean, s.acc.N)
	}
	if !math.IsNaN(s.testBySeed[1]) || s.testBySeed[2] != 0.9 {
		t.Errorf("per-seed accuracy %v, want NaN at the diverged seed 1", s.testBySeed)
	}
	if s.dead.N != 2 || math.Abs(s.maxNorm.Mean-math.Log10(3)) > 1e-12 {
		t.Errorf("dead units over %d runs, log10 largest norm %v; want 2 runs and log10(3)", s.dead.N, s.maxNorm.Mean)
	}
}

// The best stable rate is the most accurate rate at which no run diverged.
func TestBestStable(t *testing.T) {
	arms := map[float64]armStats{
		0.03: statsOfArm([]explodingResult{outcome(0.7, false), outcome(0.72, false)}),
		0.1:  statsOfArm([]explodingResult{outcome(0.8, false), outcome(0.82, false)}),
		0.3:  statsOfArm([]explodingResult{outcome(0.95, false), outcome(0, true)}),
		1:    statsOfArm([]explodingResult{outcome(0, true), outcome(0, true)}),
	}
	at := func(lr float64) (armStats, bool) { s, ok := arms[lr]; return s, ok }
	if ref := bestStable([]float64{0.03, 0.1, 0.3, 1}, at); ref == nil || ref.lr != 0.1 {
		t.Errorf("best stable rate %+v, want 0.1 (0.3 is more accurate but one run diverged)", ref)
	}
	if ref := bestStable([]float64{0.3, 1}, at); ref != nil {
		t.Errorf("best stable rate %+v, want none", ref)
	}
	// The edge of the grid: the best rate with no rate of the grid below
	// it (or above it), or a grid of one rate.
	for _, tc := range []struct {
		lrs  []float64
		want float64
		edge bool
	}{
		{[]float64{0.03, 0.1, 0.3, 1}, 0.1, false},
		{[]float64{0.1, 0.3, 1}, 0.1, true},
		{[]float64{0.03, 0.1}, 0.1, true},
		{[]float64{0.1}, 0.1, true},
	} {
		ref := bestStable(tc.lrs, at)
		if ref == nil || ref.lr != tc.want || ref.atEdge() != tc.edge {
			t.Errorf("grid %v: best %+v, want %g, at the edge %v", tc.lrs, ref, tc.want, tc.edge)
		}
	}
	var none *reference
	if none.atEdge() {
		t.Error("no reference is at no edge")
	}
}

// withVal gives a run a validation accuracy.
func withVal(r explodingResult, val float64) explodingResult {
	r.ValAcc = &val
	return r
}

// With a validation split the best stable rate is the one of highest mean
// validation accuracy, whatever the test accuracy read there; without one
// it is the one of highest mean test accuracy. Either way a rate where a
// run diverged is never chosen, and the reference says what it was chosen
// on.
func TestBestStableOnValidation(t *testing.T) {
	arms := map[float64]armStats{
		// 0.03 is best on test, 0.1 on validation; 0.3 is best on both
		// but one of its runs diverged.
		0.03: statsOfArm([]explodingResult{withVal(outcome(0.9, false), 0.7), withVal(outcome(0.92, false), 0.72)}),
		0.1:  statsOfArm([]explodingResult{withVal(outcome(0.8, false), 0.8), withVal(outcome(0.82, false), 0.82)}),
		0.3:  statsOfArm([]explodingResult{withVal(outcome(0.95, false), 0.95), outcome(0, true)}),
	}
	at := func(lr float64) (armStats, bool) { s, ok := arms[lr]; return s, ok }
	ref := bestStable([]float64{0.03, 0.1, 0.3}, at)
	if ref == nil || ref.lr != 0.1 || !ref.onVal() || ref.chosenOn() != "validation" || math.Abs(ref.arm.val.Mean-0.81) > 1e-12 {
		t.Errorf("with validation: %+v, want 0.1 chosen on validation (mean 0.81)", ref)
	}
	if math.Abs(ref.arm.acc.Mean-0.81) > 1e-12 {
		t.Errorf("the reference's test accuracy %v, want 0.81, read at the rate chosen", ref.arm.acc.Mean)
	}
	if note := ref.choiceNote(); note != " (chosen on validation accuracy, 0.810 there)" {
		t.Errorf("choice note %q", note)
	}
	plain := map[float64]armStats{
		0.03: statsOfArm([]explodingResult{outcome(0.9, false), outcome(0.92, false)}),
		0.1:  statsOfArm([]explodingResult{outcome(0.8, false), outcome(0.82, false)}),
	}
	ref = bestStable([]float64{0.03, 0.1}, func(lr float64) (armStats, bool) { s, ok := plain[lr]; return s, ok })
	if ref == nil || ref.lr != 0.03 || ref.onVal() || ref.chosenOn() != "test" {
		t.Errorf("without validation: %+v, want 0.03 chosen on test", ref)
	}
	if note := ref.choiceNote(); note != "" {
		t.Errorf("chosen on test: choice note %q, want none (the rule says so)", note)
	}
	var none *reference
	if none.chosenOn() != "test" {
		t.Error("no reference: want the test wording")
	}
}

// The caveat on how a rate was chosen names the bias of a choice on test
// accuracy, and drops it for a choice on validation images.
func TestSelectionCaveat(t *testing.T) {
	onTest := selectionCaveat("the rate is", &reference{lr: 0.1})
	onVal := selectionCaveat("the rate is", &reference{lr: 0.1, arm: arm{val: est(0.9, 0.91, 0.92)}})
	if !strings.Contains(onTest, "same test accuracy") || !strings.Contains(onTest, "upward") {
		t.Errorf("chosen on test: %q, want the upward bias named", onTest)
	}
	if !strings.Contains(onVal, "validation images") || strings.Contains(onVal, "upward") {
		t.Errorf("chosen on validation: %q, want the held-out images and no bias", onVal)
	}
	if selectionCaveat("x", nil) != selectionCaveat("x", &reference{}) {
		t.Error("no reference: want the test wording")
	}
}

func TestExplodingValidation(t *testing.T) {
	cases := []struct {
		name string
		edit func(*Config)
		want string
	}{
		{"unknown variant", func(c *Config) { c.Variants = []string{"relu", "rectifier"} }, "valid: relu"},
		{"zero gain", func(c *Config) { c.Gains = []float64{0, 2} }, "gains must be positive"},
		{"no depth", func(c *Config) { c.Depths = []int{0} }, "depths must be positive"},
		{"bad clip", func(c *Config) { c.Clip = -1 }, "clip must be positive"},
		{"bad sweep", func(c *Config) { c.ClipSweep = []float64{1, math.Inf(1)} }, "clip-sweep"},
		{"bad optimizer", func(c *Config) { c.Optimizer = "rmsprop" }, "valid: sgd"},
		{"bad lr", func(c *Config) { c.LR = 0 }, "learning rate"},
		{"bad train init", func(c *Config) { c.TrainInit = "gain" }, "train-init"},
		{"negative train seeds", func(c *Config) { c.TrainSeeds = -1 }, "train-seeds"},
		{"no sweep seeds", func(c *Config) { c.SweepSeeds = 0 }, "sweep-seeds"},
		{"more sweep seeds than train seeds", func(c *Config) { c.SweepSeeds = c.TrainSeeds + 1 }, "sweep-seeds"},
		{"bad plain rate", func(c *Config) { c.PlainLRs = []float64{-0.03} }, "plain-lr-grid"},
		{"cap check not above the usual cap", func(c *Config) { c.CapCheck = 1 }, "cap-check"},
		{"negative cap check", func(c *Config) { c.CapCheck = -10 }, "cap-check"},
		{"unbounded control", func(c *Config) { c.ControlVariant = "leaky" }, "valid: tanh, sigmoid"},
		{"control is the trained net", func(c *Config) { c.TrainVariant, c.ControlVariant = "tanh", "tanh" }, "differ from train-variant"},
		{"bad control init", func(c *Config) { c.ControlInit = "glorot" }, "control-init"},
		{"negative validation", func(c *Config) { c.Validation = -1 }, "validation -1"},
		{"validation overlaps training", func(c *Config) { c.TrainExamples, c.Validation = 59000, 2000 }, "overlap"},
	}
	for _, tc := range cases {
		cfg := explodingDefaults(true)
		tc.edit(cfg)
		err := harness.Validate(New(), cfg)
		if err == nil || !bytes.Contains([]byte(err.Error()), []byte(tc.want)) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
	if err := harness.Validate(New(), explodingDefaults(false)); err != nil {
		t.Errorf("full defaults: %v", err)
	}
}

// The cells: IDs unique; no remedy at every rate of the plain grid,
// clipping at --clip and BatchNorm at every rate of the grid; the sweep's
// other thresholds at the judged rate only, with their own seed count; at
// least ten seeds per training arm in the full configuration.
func TestExplodingCells(t *testing.T) {
	c := explodingDefaults(false)
	if c.TrainSeeds < 10 || c.SweepSeeds < 10 || c.Seeds < 10 {
		t.Errorf("full configuration with %d training, %d sweep and %d initialisation seeds, want at least 10", c.TrainSeeds, c.SweepSeeds, c.Seeds)
	}
	if len(c.plainLRs()) <= len(c.trainLRs()) || c.plainLRs()[0] >= c.trainLRs()[0] {
		t.Errorf("plain rates %v, want one below the grid %v", c.plainLRs(), c.trainLRs())
	}
	cells := explodingCells(c)
	seen := map[string]bool{}
	perArm := map[remedyRun]int{}
	control := map[float64]int{}
	capCells := map[capKey]int{}
	for _, cl := range cells {
		if seen[cl.ID] {
			t.Fatalf("duplicate cell ID %s", cl.ID)
		}
		seen[cl.ID] = true
		if cl.Pair == "" {
			t.Errorf("cell %s is not paired", cl.ID)
		}
		if p := cl.Params; p.Kind == "train" && p.Cap != 0 {
			capCells[capKey{p.Variant != c.TrainVariant, p.LR}]++
			if p.Cap != c.CapCheck || p.Clip != 0 || p.BatchNorm {
				t.Errorf("cap-check cell %s: %+v", cl.ID, p)
			}
		} else if p.Kind == "train" && p.Variant == c.TrainVariant {
			perArm[remedyRun{p.BatchNorm, p.Clip, p.LR}]++
		} else if p.Kind == "train" {
			control[p.LR]++
			if p.Variant != c.ControlVariant || p.Init != c.ControlInit || p.Clip != 0 || p.BatchNorm {
				t.Errorf("control cell %s: %+v", cl.ID, p)
			}
		}
	}
	for _, lr := range c.plainLRs() {
		want := 0
		if slices.Contains(c.trainLRs(), lr) {
			want = c.TrainSeeds
		}
		// The plain net and BatchNorm share the whole grid, so that each
		// is read at its own best rate on the same terms; clipping runs at
		// the remedies' grid only.
		for _, r := range []remedyRun{{false, 0, lr}, {true, 0, lr}} {
			if perArm[r] != c.TrainSeeds {
				t.Errorf("%s at lr %g: %d cells, want %d", remedy(r.BN, r.Clip), lr, perArm[r], c.TrainSeeds)
			}
		}
		if r := (remedyRun{false, c.Clip, lr}); perArm[r] != want {
			t.Errorf("%s at lr %g: %d cells, want %d", remedy(r.BN, r.Clip), lr, perArm[r], want)
		}
	}
	for _, th := range c.ClipSweep {
		for _, lr := range c.plainLRs() {
			want := 0
			if lr == c.LR {
				want = c.SweepSeeds
			}
			if th != c.Clip && perArm[remedyRun{false, th, lr}] != want {
				t.Errorf("clip %g at lr %g: %d cells, want %d", th, lr, perArm[remedyRun{false, th, lr}], want)
			}
		}
	}
	for _, lr := range c.plainLRs() {
		if control[lr] != c.TrainSeeds {
			t.Errorf("control at lr %g: %d cells, want %d", lr, control[lr], c.TrainSeeds)
		}
	}
	// The higher cap reruns both nets at every rate of the remedies' grid.
	for _, lr := range c.trainLRs() {
		for _, k := range []capKey{{false, lr}, {true, lr}} {
			if capCells[k] != c.TrainSeeds {
				t.Errorf("cap check (control %v) at lr %g: %d cells, want %d", k.control, lr, capCells[k], c.TrainSeeds)
			}
		}
	}
	if len(capCells) != 2*len(c.trainLRs()) {
		t.Errorf("cap check at %d net-rates, want %d", len(capCells), 2*len(c.trainLRs()))
	}
	if len(control) != len(c.plainLRs()) {
		t.Errorf("control at %d rates, want %d", len(control), len(c.plainLRs()))
	}
	// The validation images are read by the plain and BatchNorm arms, the
	// two whose best rate is chosen, and by no other cell.
	for _, cl := range cells {
		p := cl.Params
		wantVal := p.Kind == "train" && p.Cap == 0 && p.Variant == c.TrainVariant && p.Clip == 0
		if got := p.Validation > 0; got != wantVal || (got && (p.Validation != c.Validation || !strings.Contains(cl.ID, fmt.Sprintf("/val%d/", c.Validation)))) {
			t.Errorf("cell %s reads %d validation images, want them: %v", cl.ID, p.Validation, wantVal)
		}
	}
	extra := len(c.plainLRs()) - len(c.trainLRs())
	if want := 3*len(c.trainLRs()) + 2*extra + len(c.ClipSweep); len(perArm) != want {
		t.Errorf("%d training arms, want %d", len(perArm), want)
	}
}

// Adding seeds or plain-only rates adds cells and changes none: every
// cell of the smaller configuration keeps its ID, seed and parameters, so
// its record stays valid.
func TestMoreSeedsKeepCells(t *testing.T) {
	small := explodingDefaults(false)
	small.TrainSeeds, small.SweepSeeds, small.PlainLRs = 10, 10, nil
	before := map[string]harness.PlannedCell{}
	for _, pc := range harness.Plan(New(), small, 1) {
		before[pc.ID] = pc
	}
	after := harness.Plan(New(), explodingDefaults(false), 1)
	kept := 0
	for _, pc := range after {
		if b, ok := before[pc.ID]; ok {
			kept++
			if b.Seed != pc.Seed || !reflect.DeepEqual(b.Params, pc.Params) {
				t.Errorf("%s changed: seed %d -> %d, params %+v -> %+v", pc.ID, b.Seed, pc.Seed, b.Params, pc.Params)
			}
		}
	}
	if kept != len(before) || len(after) <= len(before) {
		t.Errorf("%d of %d cells kept among %d", kept, len(before), len(after))
	}
}

// The control adds cells and changes none: without it the plan is the
// same cells with the same IDs, seeds and parameters, so the ReLU net's
// records stay valid; and seed s of the control shares its seed with seed
// s of the ReLU net (same data order, same normal weight draws).
func TestControlKeepsCellsAndPairs(t *testing.T) {
	without := explodingDefaults(false)
	without.ControlVariant = ""
	before := harness.Plan(New(), without, 1)
	after := harness.Plan(New(), explodingDefaults(false), 1)
	c := explodingDefaults(false)
	// The control's own runs, and both nets' reruns at the higher cap.
	want := len(c.plainLRs())*c.TrainSeeds + 2*len(c.trainLRs())*c.TrainSeeds
	if added := len(after) - len(before); added != want {
		t.Errorf("the control added %d cells, want %d", added, want)
	}
	reluSeed := map[int]uint64{}
	for i, pc := range before {
		if a := after[i]; a.ID != pc.ID || a.Seed != pc.Seed || !reflect.DeepEqual(a.Params, pc.Params) {
			t.Fatalf("cell %d changed: %s -> %s", i, pc.ID, a.ID)
		}
		if p := pc.Params.(explodingCell); p.Kind == "train" {
			reluSeed[p.Seed] = pc.Seed
		}
	}
	for _, pc := range after[len(before):] {
		p := pc.Params.(explodingCell)
		if (p.Variant != "tanh" && p.Cap == 0) || pc.Seed != reluSeed[p.Seed] {
			t.Errorf("control cell %s: variant %s, seed %d; its ReLU pair has %d", pc.ID, p.Variant, pc.Seed, reluSeed[p.Seed])
		}
	}
}

// On one seed the tanh control starts from the ReLU net's normal draws,
// each scaled by its initialiser's standard deviation: every weight of the
// Xavier-initialised tanh net is the He-initialised ReLU net's times
// sqrt((2/(fan_in+fan_out)) / (2/fan_in)), drawn from the same init stream
// as runTrainingCell draws it.
func TestControlSharesWeightDraws(t *testing.T) {
	net := func(variant, init string) *model.Network {
		initRNG, _, _ := kit.Streams(harness.NewRand(7))
		n, err := model.NewMLP(model.MLPSpec{Inputs: 12, Hidden: []int{8, 8}, Outputs: 10,
			Activation: model.ActivationSpec{Name: variant}, Init: model.Init{Scheme: model.InitScheme(init)}}, initRNG)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	relu, tanh := net("relu", "he-normal"), net("tanh", "xavier-normal")
	for _, w := range relu.HiddenWeights() {
		var other *model.Param
		for _, x := range tanh.HiddenWeights() {
			if x.Name == w.Name {
				other = x
			}
		}
		if other == nil || len(other.Value) != len(w.Value) {
			t.Fatalf("no tanh weights matching %s", w.Name)
		}
		k := math.Sqrt(float64(w.Rows) / float64(w.Rows+w.Cols))
		for i := range w.Value {
			if math.Abs(other.Value[i]-k*w.Value[i]) > 1e-12 {
				t.Fatalf("%s[%d]: tanh %v, relu %v times %v", w.Name, i, other.Value[i], w.Value[i], k)
			}
		}
	}
}
