package dying

// C1 where f'(0) can act: narrow, deep MNIST nets with zero biases.
//
// In the MNIST nets of part 2 a pre-activation is almost never exactly 0
// in float64, so relu and relu-d1 train alike by construction. In a narrow
// deep net with zero biases (Lu et al. 2019's born-dead nets) exact zeros
// are common: once every unit of a layer outputs 0 on an example, every
// pre-activation of the next layer is exactly 0 on it, and so on to the
// output. There f'(0) = 1 passes the gradient back through those layers
// where f'(0) = 0 stops it. These cells train such nets with relu and
// relu-d1 on paired seeds and ask whether the share of nets that end
// collapsed (output the same on every training example) differs.
//
// A reading to test, not a result: the first all-zero layer of an example
// has pre-activations below 0 (exact zeros start only after it), so its
// f'(z) is 0 under both conventions and the gradient stops there either
// way. f'(0) = 1 then reaches only the biases of the layers after it,
// which cannot make the output depend on the input again. The cells
// record the first dead layer at initialisation and at the end so that the
// report can show where the gradient stopped.

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/reluexp/reluexp/data"
	"github.com/reluexp/reluexp/experiments/harness"
	"github.com/reluexp/reluexp/experiments/kit"
	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/metrics"
	"github.com/reluexp/reluexp/model"
)

// narrowOptimizer: plain SGD, so that a weight moves only by its own
// gradient (no momentum carrying an earlier step through a dead layer).
const narrowOptimizer = "sgd"

// narrowCell is one training run of a narrow net.
type narrowCell struct {
	Variant       string  `json:"variant"`
	Width         int     `json:"width"`
	Depth         int     `json:"depth"`
	LR            float64 `json:"lr"`
	Seed          int     `json:"seed"`
	TrainExamples int     `json:"train_examples"`
	TestExamples  int     `json:"test_examples"`
	Epochs        int     `json:"epochs"`
	Batch         int     `json:"batch"`
}

// narrowResult is what a narrow run records. BornDead and Collapsed: the
// last hidden layer's output is the same on every training example (so the
// net's output is), at initialisation and after the last epoch.
// FirstDead*: the first hidden layer (1-based) that outputs 0 on every
// training example, 0 if none. ZeroPre counts the pre-activations exactly
// 0 in training steps, all hidden layers, of PreActs in all.
type narrowResult struct {
	Train         kit.TrainOutcome `json:"train"`
	BornDead      bool             `json:"born_dead"`
	Collapsed     bool             `json:"collapsed"`
	FirstDeadInit int              `json:"first_dead_init"`
	FirstDeadEnd  int              `json:"first_dead_end"`
	ZeroPre       int              `json:"zero_preacts"`
	PreActs       int              `json:"preacts"`
	Steps         int              `json:"steps"`
}

// narrowTwin is the first relu-d<v> variant (f'(0) = v != 0) in variants,
// or "".
func narrowTwin(variants []string) string {
	for _, name := range variants {
		if spec, err := kit.VariantSpec(name); err == nil && spec.Name == "relu" && spec.ReLUDerivAtZero != 0 {
			return name
		}
	}
	return ""
}

// narrowCells lists the narrow runs: relu and its f'(0) twin, every width,
// seed s sharing one random seed (harness Pair "narrow/s<s>") across arms
// and widths. Without a twin nothing is run.
func narrowCells(c *Config) []harness.Cell[dyingCell] {
	twin := narrowTwin(c.Variants)
	if twin == "" {
		return nil
	}
	var cells []harness.Cell[dyingCell]
	for _, v := range []string{"relu", twin} {
		for _, w := range c.NarrowWidths {
			for s := range c.NarrowSeeds {
				p := narrowCell{Variant: v, Width: w, Depth: c.NarrowDepth, LR: c.NarrowLR, Seed: s,
					TrainExamples: c.TrainExamples, TestExamples: c.TestExamples, Epochs: c.NarrowEpochs, Batch: c.Batch}
				id := c.Dataset.CellID(fmt.Sprintf("narrow/%s/w%d/d%d/n%d/e%d/b%d/%s-lr%g/s%d", v, w, c.NarrowDepth, c.TrainExamples, c.NarrowEpochs, c.Batch, narrowOptimizer, c.NarrowLR, s))
				// The first layer dominates: 784*w weights, about 3 passes
				// per step, plus the probes and evaluations.
				weights := float64(784*w + (c.NarrowDepth-1)*w*w)
				cost := weights * float64(c.TrainExamples*c.NarrowEpochs) * 8
				cells = append(cells, harness.Cell[dyingCell]{ID: id, Pair: fmt.Sprintf("narrow/s%d", s), Cost: cost,
					Params: dyingCell{Kind: "narrow", Dataset: c.Dataset, Narrow: &p}})
			}
		}
	}
	return cells
}

func validateNarrow(c *Config) error {
	if len(c.NarrowWidths) == 0 {
		return nil // the part is off
	}
	if err := kit.CheckPositive("narrow-widths", c.NarrowWidths...); err != nil {
		return err
	}
	if err := kit.CheckPositive("narrow-depth, narrow-seeds and narrow-epochs", c.NarrowDepth, c.NarrowSeeds, c.NarrowEpochs); err != nil {
		return err
	}
	if !(c.NarrowLR > 0) || math.IsInf(c.NarrowLR, 0) {
		return fmt.Errorf("narrow-lr must be a positive finite learning rate, got %v", c.NarrowLR)
	}
	return nil
}

// runNarrow trains one narrow net with zero biases and He normal weights.
func runNarrow(ctx context.Context, env *harness.Env, ds kit.Dataset, p narrowCell, rng *rand.Rand) (dyingResult, error) {
	train, test, net, orderRNG, err := trainingNet(env, ds, p.Variant, p.Width, p.Depth, 0, p.TrainExamples, p.TestExamples, rng)
	if err != nil {
		return dyingResult{}, err
	}
	var r narrowResult
	probe := func(_ int, n *model.Network) {
		for l := range n.NumHidden() {
			z := n.Hidden(l).PreActivation
			for _, v := range z.Data {
				if v == 0 {
					r.ZeroPre++
				}
			}
			r.PreActs += len(z.Data)
		}
		r.Steps++
	}
	after := func(epoch int, n *model.Network) {
		constant, firstDead := outputProbe(n, train, 1000)
		if epoch == 0 {
			r.BornDead, r.FirstDeadInit = constant, firstDead
		}
		r.Collapsed, r.FirstDeadEnd = constant, firstDead
	}
	out, err := kit.TrainClassifier(ctx, net, train, test, kit.TrainSpec{Epochs: p.Epochs, Batch: p.Batch, Optimizer: narrowOptimizer, LR: p.LR}, orderRNG,
		kit.TrainHooks{Probe: probe, AfterEpoch: after})
	if err != nil {
		return dyingResult{}, err
	}
	r.Train = out
	return dyingResult{Narrow: &r}, nil
}

// outputProbe runs set through net in evaluation mode, batch rows at a
// time, and reports whether the last hidden layer's output is the same on
// every example (then so is the net's) and the first hidden layer (1-based)
// that outputs exactly 0 on every example, 0 if none.
func outputProbe(net *model.Network, set *data.Set, batch int) (constant bool, firstDead int) {
	layers := net.NumHidden()
	zero := make([]bool, layers)
	for l := range zero {
		zero[l] = true
	}
	constant = true
	var first []float64
	x := kit.AsMatrix(set)
	view := model.Matrix{Cols: x.Cols}
	for start := 0; start < x.Rows; start += batch {
		end := min(start+batch, x.Rows)
		view.Rows, view.Data = end-start, x.Data[start*x.Cols:end*x.Cols]
		net.Forward(&view, false)
		for l := range layers {
			zero[l] = zero[l] && metrics.AllZero(net.Hidden(l).Activation.Data)
		}
		a := net.Hidden(layers - 1).Activation
		if first == nil {
			first = append([]float64(nil), a.Row(0)...)
		}
		for i := 0; constant && i < a.Rows; i++ {
			for j, v := range a.Row(i) {
				if v != first[j] {
					constant = false
					break
				}
			}
		}
	}
	for l, z := range zero {
		if z {
			return constant, l + 1
		}
	}
	return constant, 0
}

// Summary of the narrow runs.

// narrowRuns holds each (variant, width)'s runs indexed by seed; a missing
// run is nil.
type narrowRuns map[narrowKey][]*narrowResult

type narrowKey struct {
	variant string
	width   int
}

func groupNarrow(c *Config, done []harness.Done[dyingCell, dyingResult]) narrowRuns {
	runs := narrowRuns{}
	for _, d := range done {
		p := d.Params.Narrow
		if d.Params.Kind != "narrow" || p == nil || d.Result.Narrow == nil {
			continue
		}
		k := narrowKey{p.Variant, p.Width}
		if runs[k] == nil {
			runs[k] = make([]*narrowResult, c.NarrowSeeds)
		}
		if p.Seed >= 0 && p.Seed < c.NarrowSeeds {
			runs[k][p.Seed] = d.Result.Narrow
		}
	}
	return runs
}

// narrowArm counts one arm's runs at one width (or pooled).
type narrowArm struct {
	runs, diverged      int
	bornDead, collapsed int // of the finished runs
	finished            int
	zeroPre, preActs    int
	acc                 []float64 // final test accuracy of the finished runs
}

func (a *narrowArm) add(r *narrowResult) {
	a.runs++
	a.zeroPre += r.ZeroPre
	a.preActs += r.PreActs
	if r.Train.Diverged {
		a.diverged++
		return
	}
	a.finished++
	if r.BornDead {
		a.bornDead++
	}
	if r.Collapsed {
		a.collapsed++
	}
	a.acc = append(a.acc, r.Train.Final().TestAcc)
}

// narrowEvidence is what the C1 narrow rule reads: relu (A) against its
// f'(0) twin (B), paired by seed, the pairs of every width pooled.
type narrowEvidence struct {
	data         kit.Dataset
	twin         string // "" if no relu-d<v> variant was run
	widths       []int
	depth        int
	lr           float64
	epochs, n    int
	relu, other  narrowArm // pooled over widths
	perWidth     []narrowWidth
	collapsed    metrics.PairedProportions // pairs where both finished: yes = collapsed at the end
	bornDead     int                       // pairs born dead (the same in both arms: same weights)
	rescued      int                       // born-dead pairs collapsed under relu only
	rescuedAcc   []float64                 // the twin's final test accuracy in those pairs
	acted        int                       // pairs whose twin run met an exact-zero pre-activation
	identical    int                       // pairs identical to the last bit (every epoch's losses and accuracies)
	discordant   int                       // pairs with exactly one arm diverged
	runs         arm                       // both arms together
	firstDeadMov int                       // born-dead pairs whose first dead layer moved deeper under the twin only
}

type narrowWidth struct {
	width       int
	relu, other narrowArm
}

func narrowEvidenceOf(c *Config, done []harness.Done[dyingCell, dyingResult]) narrowEvidence {
	e := narrowEvidence{data: c.Dataset, twin: narrowTwin(c.Variants), widths: c.NarrowWidths, depth: c.NarrowDepth, lr: c.NarrowLR, epochs: c.NarrowEpochs, n: c.TrainExamples}
	if e.twin == "" || len(c.NarrowWidths) == 0 {
		return e
	}
	runs := groupNarrow(c, done)
	for _, w := range c.NarrowWidths {
		pw := narrowWidth{width: w}
		ra, oa := runs[narrowKey{"relu", w}], runs[narrowKey{e.twin, w}]
		for s := range c.NarrowSeeds {
			var a, b *narrowResult
			if s < len(ra) {
				a = ra[s]
			}
			if s < len(oa) {
				b = oa[s]
			}
			if a != nil {
				pw.relu.add(a)
				e.relu.add(a)
			}
			if b != nil {
				pw.other.add(b)
				e.other.add(b)
			}
			if a == nil || b == nil {
				continue
			}
			if a.Train.Diverged != b.Train.Diverged {
				e.discordant++
			}
			if a.Train.Diverged || b.Train.Diverged {
				continue
			}
			e.addPair(a, b)
		}
		e.perWidth = append(e.perWidth, pw)
	}
	e.runs = arm{runs: e.relu.runs + e.other.runs, diverged: e.relu.diverged + e.other.diverged}
	return e
}

// addPair scores one finished pair.
func (e *narrowEvidence) addPair(a, b *narrowResult) {
	switch {
	case a.Collapsed && b.Collapsed:
		e.collapsed.Both++
	case a.Collapsed:
		e.collapsed.OnlyA++
	case b.Collapsed:
		e.collapsed.OnlyB++
	default:
		e.collapsed.Neither++
	}
	if a.BornDead {
		e.bornDead++
		if a.Collapsed && !b.Collapsed {
			e.rescued++
			e.rescuedAcc = append(e.rescuedAcc, b.Train.Final().TestAcc)
		}
		if b.FirstDeadEnd != a.FirstDeadEnd {
			e.firstDeadMov++
		}
	}
	if b.ZeroPre > 0 {
		e.acted++
	}
	if sameEpochs(a.Train.Epochs, b.Train.Epochs) {
		e.identical++
	}
}

// sameEpochs reports whether two runs' epoch statistics agree to the last
// bit.
func sameEpochs(a, b []kit.EpochStats) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !sameFloat(a[i].TrainLoss, b[i].TrainLoss) || !sameFloat(a[i].TrainAcc, b[i].TrainAcc) || a[i].TestLoss != b[i].TestLoss || a[i].TestAcc != b[i].TestAcc {
			return false
		}
	}
	return true
}

const (
	// narrowMargin: a tenth of the nets saved from (or pushed into)
	// collapse would make f'(0) a choice that matters for such nets; the
	// same tenth the born-dead remedy must reach (raiMargin).
	narrowMargin       = 0.10
	narrowMarginReason = "one net in ten saved from (or pushed into) collapse would make the convention matter for these nets; it is the share the born-dead remedy (asymmetric init) must save to count as one"
	// narrowMinShare: the rule reads only if most pairs are born dead
	// (something to rescue) and f'(0) acted in most pairs (an exact zero
	// met in a training step); with fewer, equal shares would be equal by
	// construction, as in the 64-wide nets.
	narrowMinShare = 0.5
)

// narrowVerdict: the share of narrow, deep, zero-bias nets that end
// collapsed, relu minus its f'(0) twin, paired by seed:
//
//	no twin or no narrow width run, or no finished pair       INCONCLUSIVE (not tested)
//	most runs diverged                                         INCONCLUSIVE
//	born dead in at most half the pairs                        INCONCLUSIVE (nothing to rescue)
//	f'(0) acted (an exact zero met) in at most half the pairs INCONCLUSIVE (the convention barely acted)
//	95% Newcombe interval inside ±narrowMargin                 CONFIRMED
//	95% interval wholly beyond +narrowMargin or -narrowMargin  REFUTED (f'(0) matters)
//	otherwise                                                  INCONCLUSIVE
func narrowVerdict(e narrowEvidence) result.Verdict {
	v := result.Verdict{Claim: "C1", Role: result.Supporting,
		Statement: "in narrow deep nets with zero biases, where exact zeros are common, the value taken for ReLU's f'(0) does not change how many nets end collapsed (output constant on every training example); these nets learn too little for accuracy to be the outcome",
		Rule: fmt.Sprintf("relu against relu-d<v> (f'(0) != 0) on %s nets of %d hidden layers of each narrow width, zero biases, He normal weights, plain SGD, paired by seed (same weights and data order); the share of runs whose output is the same on every training example after the last epoch, relu minus relu-d<v>, over the pairs where both finished, "+
			"with Newcombe's (1998) hybrid score 95%% interval for paired proportions: CONFIRMED if it lies inside ±%.2f (equivalence at the 95%% level, stricter than the 90%% TOST of the other rules, as the paired interval is 95%%), REFUTED if it lies wholly beyond either end, else INCONCLUSIVE; "+
			"also INCONCLUSIVE if most runs diverged, if at most half the pairs are born dead (output constant on the training examples at initialisation: nothing to rescue) or if at most half of the relu-d<v> runs met an exact-zero pre-activation in a training step (the convention barely acted)",
			e.data.Title(), e.depth, narrowMargin),
		Caveat: fmt.Sprintf("%s nets of width %s and %d hidden layers trained for %d epoch(s) at lr %g on the first %d examples; narrow nets learn little in any case, so collapse, not accuracy, is the outcome; "+
			"f'(0) acts only where a pre-activation is exactly 0, which with zero biases happens past a layer that outputs 0 on an example: there the first such layer's pre-activations are below 0, so f'(0) reaches only the biases after it, and a rescue must come through them",
			e.data.Title(), joinInts(e.widths), e.depth, e.epochs, e.lr, e.n)}
	if e.twin == "" || len(e.widths) == 0 {
		v.Outcome = result.Inconclusive
		v.NotTested = true
		v.Why = "No narrow nets were trained: add relu-d1 with --variant and give --narrow-widths."
		return v
	}
	d := e.collapsed.Diff()
	p := metrics.Paired{Diff: d, Lo90: math.NaN(), Hi90: math.NaN(), MDE: pairedShareMDE(d)}
	kit.Compared(&v, "share of narrow nets collapsed at the end, relu minus "+e.twin+" (paired seeds)", "fraction of nets", p, narrowMargin, narrowMarginReason)
	v.Evidence = narrowEvidenceList(e)
	pairs := e.collapsed.N()
	if pairs == 0 {
		v.Outcome = result.Inconclusive
		v.Why = "No pair of narrow runs finished in both arms."
		return v
	}
	why := []string{narrowCountsWhy(e, d)}
	switch mostly, diverged := kit.MostlyDiverged("relu and "+e.twin+" narrow", e.runs.diverged, e.runs.runs); {
	case mostly:
		v.Outcome = result.Inconclusive
		why = append(why, diverged)
	case float64(e.bornDead) <= narrowMinShare*float64(pairs):
		v.Outcome = result.Inconclusive
		why = append(why, fmt.Sprintf("only %d of %d pairs were born dead, so there was little to rescue", e.bornDead, pairs))
	case float64(e.acted) <= narrowMinShare*float64(pairs):
		v.Outcome = result.Inconclusive
		why = append(why, fmt.Sprintf("only %d of %d %s runs met an exact-zero pre-activation in a training step: the convention barely acted", e.acted, pairs, e.twin))
	case d.Lo > -narrowMargin && d.Hi < narrowMargin:
		v.Outcome = result.Confirmed
		why = append(why, fmt.Sprintf("the interval lies inside ±%.2f", narrowMargin))
		if d.Lo > 0 || d.Hi < 0 {
			why = append(why, "it excludes 0, so f'(0) does change the fate of a few nets, by less than the margin")
			// For the first screen, which reads "does not change" in the
			// statement (review 26b): the effect is real, only small.
			v.Context = fmt.Sprintf("\"does not change\" holds within the %.0f-point margin, not exactly: %+.1f points of these nets [%+.1f, %+.1f] more collapse under relu, and %d of %d pairs trained differently", 100*narrowMargin, 100*d.Mean, 100*d.Lo, 100*d.Hi, pairs-e.identical, pairs)
		}
	case d.Lo > narrowMargin || d.Hi < -narrowMargin:
		v.Outcome = result.Refuted
		why = append(why, fmt.Sprintf("the interval lies beyond the %.2f margin: f'(0) changes how many of these nets collapse", narrowMargin))
	default:
		v.Outcome = result.Inconclusive
		why = append(why, fmt.Sprintf("the interval straddles the %.2f margin", narrowMargin))
	}
	v.Why = strings.Join(why, "; ") + "."
	return v
}

// narrowCountsWhy gives the counts behind the narrow verdict.
func narrowCountsWhy(e narrowEvidence, d metrics.Estimate) string {
	t := e.collapsed
	return fmt.Sprintf("Of %d pairs (widths %s, %d hidden layers, zero biases, lr %g) in which both arms finished, %d were born dead (output constant on the %d training examples at initialisation; the same in both arms); "+
		"at the end relu had %d collapsed and %s %d (both %d, relu only %d, %s only %d, neither %d): relu minus %s %+.3f [%+.3f, %+.3f]; "+
		"of the born-dead pairs, %d were kept from collapse by %s (collapsed under relu only; %s), and in %d the first all-zero layer at the end differed between the arms; "+
		"exact-zero pre-activations in training steps: relu %d of %d, %s %d of %d (its nonzero f'(0) moves the biases after a zero layer, so fewer zeros remain), met in %d of %d %s runs; "+
		"%d of %d pairs ended identical to the last bit and %d pairs diverged in one arm only",
		t.N(), joinInts(e.widths), e.depth, e.lr, e.bornDead, e.n,
		t.Both+t.OnlyA, e.twin, t.Both+t.OnlyB, t.Both, t.OnlyA, e.twin, t.OnlyB, t.Neither, e.twin, d.Mean, d.Lo, d.Hi,
		e.rescued, e.twin, keptAcc(e.rescuedAcc), e.firstDeadMov,
		e.relu.zeroPre, e.relu.preActs, e.twin, e.other.zeroPre, e.other.preActs, e.acted, t.N(), e.twin,
		e.identical, t.N(), e.discordant)
}

func narrowEvidenceList(e narrowEvidence) []result.Evidence {
	var out []result.Evidence
	for _, pw := range e.perWidth {
		for _, a := range []struct {
			name string
			arm  narrowArm
		}{{"relu", pw.relu}, {e.twin, pw.other}} {
			out = append(out,
				result.Evidence{Name: fmt.Sprintf("width %d, %s: born dead (%d of the %d finished runs)", pw.width, a.name, a.arm.bornDead, a.arm.finished), Estimate: metrics.ProportionCI(a.arm.bornDead, a.arm.finished)},
				result.Evidence{Name: fmt.Sprintf("width %d, %s: collapsed at the end (%d of the %d finished runs)", pw.width, a.name, a.arm.collapsed, a.arm.finished), Estimate: metrics.ProportionCI(a.arm.collapsed, a.arm.finished)})
		}
	}
	if e.relu.preActs > 0 {
		out = append(out, result.Evidence{Name: fmt.Sprintf("relu: pre-activations exactly 0 in training steps (%d of %d)", e.relu.zeroPre, e.relu.preActs), Estimate: metrics.ProportionCI(e.relu.zeroPre, e.relu.preActs), Unit: "fraction of pre-activations"})
	}
	if e.other.preActs > 0 {
		out = append(out, result.Evidence{Name: fmt.Sprintf("%s: pre-activations exactly 0 in training steps (%d of %d)", e.twin, e.other.zeroPre, e.other.preActs), Estimate: metrics.ProportionCI(e.other.zeroPre, e.other.preActs), Unit: "fraction of pre-activations"})
	}
	return append(out, armEvidence("relu and "+e.twin+" narrow nets", e.runs))
}

// pairedShareMDE is the difference a paired-proportion interval as wide as
// d's would detect with 80% power: its half-width scaled from 1.96 to
// 1.96 + 0.84 standard errors.
func pairedShareMDE(d metrics.Estimate) float64 {
	const z, zPower = 1.959963984540054, 0.8416212335729143
	if d.N < 2 || math.IsNaN(d.Lo) {
		return math.Inf(1)
	}
	return (d.Hi - d.Lo) / 2 * (z + zPower) / z
}

// keptAcc describes the test accuracy of the nets f'(0) = 1 kept from
// collapse: kept is not rescued if they stay far from trained.
func keptAcc(accs []float64) string {
	if len(accs) == 0 {
		return "none to score"
	}
	m := metrics.MeanCI(accs).Mean
	if m < controlMinAcc {
		return fmt.Sprintf("not rescued in any useful sense: their mean test accuracy is %s, below %.1f", kit.FmtFloat(m, 3), controlMinAcc)
	}
	return "their mean test accuracy " + kit.FmtFloat(m, 3)
}

// joinInts is "2, 3 and 10": with "and", so that a list of widths
// followed by a depth does not read as one list.
func joinInts(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = kit.Itoa(x)
	}
	return joinAnd(s)
}

// narrowTable: per width and arm, the born-dead and collapsed shares, test
// accuracy and the exact zeros met in training.
func narrowTable(e narrowEvidence) result.Table {
	t := result.Table{Name: "narrow-fprime0",
		Title:   fmt.Sprintf("C1 where exact zeros are common: narrow %s nets, %d hidden layers, zero biases, SGD lr %g, %d epoch(s), relu against %s on paired seeds", e.data.Title(), e.depth, e.lr, e.epochs, orNone(e.twin)),
		Columns: []string{"width", "variant", "runs", "diverged", "born dead", "collapsed at end", "test accuracy [95% CI]", "exact-zero pre-activations in training"},
		Note: "Born dead / collapsed: the last hidden layer's output is the same on every training example, at initialisation / after the last epoch (shares of the finished runs, 95% Wilson intervals). " +
			"The arms of a seed start from the same weights and see the same batches, so born dead is the same in both."}
	for _, pw := range e.perWidth {
		for _, a := range []struct {
			name string
			arm  narrowArm
		}{{"relu", pw.relu}, {e.twin, pw.other}} {
			t.Rows = append(t.Rows, []string{kit.Itoa(pw.width), a.name, kit.Itoa(a.arm.runs), kit.Itoa(a.arm.diverged),
				fmt.Sprintf("%d (%s)", a.arm.bornDead, kit.FmtEstimate(metrics.ProportionCI(a.arm.bornDead, a.arm.finished), 3)),
				fmt.Sprintf("%d (%s)", a.arm.collapsed, kit.FmtEstimate(metrics.ProportionCI(a.arm.collapsed, a.arm.finished), 3)),
				kit.FmtEstimate(metrics.MeanCI(a.arm.acc), 4),
				fmt.Sprintf("%d of %d", a.arm.zeroPre, a.arm.preActs)})
		}
	}
	return t
}

func orNone(s string) string {
	if s == "" {
		return "(no relu-d<v> variant)"
	}
	return s
}

// narrowRecords lists every narrow run (CSV).
func narrowRecords(c *Config, done []harness.Done[dyingCell, dyingResult]) result.Table {
	t := result.Table{Name: "narrow-fprime0", Columns: []string{"variant", "width", "depth", "lr", "seed", "diverged", "born_dead", "collapsed",
		"first_dead_layer_init", "first_dead_layer_end", "test_acc", "test_loss", "zero_preacts", "preacts", "steps"}}
	runs := groupNarrow(c, done)
	twin := narrowTwin(c.Variants)
	if twin == "" {
		return t
	}
	for _, v := range []string{"relu", twin} {
		for _, w := range c.NarrowWidths {
			for s, r := range runs[narrowKey{v, w}] {
				if r == nil {
					continue
				}
				f := r.Train.Final()
				t.Rows = append(t.Rows, []string{v, kit.Itoa(w), kit.Itoa(c.NarrowDepth), fmtLR(c.NarrowLR), kit.Itoa(s),
					strconv.FormatBool(r.Train.Diverged), strconv.FormatBool(r.BornDead), strconv.FormatBool(r.Collapsed),
					kit.Itoa(r.FirstDeadInit), kit.Itoa(r.FirstDeadEnd), kit.Ftoa(f.TestAcc), kit.Ftoa(f.TestLoss),
					kit.Itoa(r.ZeroPre), kit.Itoa(r.PreActs), kit.Itoa(r.Steps)})
			}
		}
	}
	return t
}
