package sparsity

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/reluexp/reluexp/experiments/harness"
	"github.com/reluexp/reluexp/experiments/kit"
	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/metrics"
)

// rulesVersion is the version of sparsity's verdict rules (result.Result):
// bump it with every change to a rule's outcome, so that the report reads
// a setting summarised under older rules apart. 1 (session 19): the main
// and accuracy verdicts combine their comparisons by result.EachHolds (one
// arm shown to fail refutes a statement about each arm), and the helps
// verdict by result.SomeHolds with a Bonferroni correction (the statement
// is that some sparsity helps). 2 (session 19, after review 19a): a verdict
// on ReLU's own zeros, relu against leaky (ownZerosVerdict).
const rulesVersion = 2

func summarizeSparsity(c *Config, done []harness.Done[sparsityCell, sparsityResult]) (*result.Result, error) {
	runs := runsByVariant(c, done)
	stats := readVariants(c, runs)
	sp, sr, ac, he := sparseEvidenceFrom(c, runs), sparserEvidenceFrom(c, runs), accuracyEvidenceFrom(c, runs), helpsEvidenceFrom(c, runs)
	res := &result.Result{RulesVersion: rulesVersion}
	res.Verdicts = append(res.Verdicts, sparseVerdict(sp), sparserVerdict(sr), accuracyVerdict(ac), helpsVerdict(he), ownZerosVerdict(ac))
	res.Tables = append(res.Tables, summaryTable(c, stats), comparisonsTable(sp, sr, ac, he), byLayerTable(c, stats))
	res.Records = append(res.Records, epochRecords(c, runs), histogramRecords(c, runs))
	res.Figures = append(res.Figures, sparsityOverEpochs(c, runs), accuracyVsSparsity(c, stats), histogramFigure(c, runs))
	res.Notes = append(res.Notes, sparsityNotes(c)...)
	return res, nil
}

// runsByVariant indexes the finished cells by variant and seed: runs[v][s]
// is variant v's run on seed s (nil if it is missing), so that index s
// pairs the variants.
func runsByVariant(c *Config, done []harness.Done[sparsityCell, sparsityResult]) map[string][]*sparsityResult {
	runs := map[string][]*sparsityResult{}
	for _, a := range arms(c) {
		runs[a] = make([]*sparsityResult, c.Seeds)
	}
	for i := range done {
		d := &done[i]
		if rs, ok := runs[armName(d.Params.Variant, d.Params.L1)]; ok && d.Params.Seed < len(rs) {
			rs[d.Params.Seed] = &d.Result
		}
	}
	return runs
}

// runStatus is what a run counts as.
type runStatus int

const (
	// trained: finished every epoch with test accuracy >= trainedAccFloor.
	// Only these runs give sparsity numbers.
	trained runStatus = iota
	// untrained: finished without diverging but below trainedAccFloor (a
	// collapsed or dead net). Its accuracy counts; its sparsity does not.
	untrained
	// diverged: loss above the cap or not finite at some step; it stopped
	// there. Counted, never averaged in.
	diverged
)

func (s runStatus) String() string {
	return [...]string{"trained", "did not train", "diverged"}[s]
}

func status(r *sparsityResult) runStatus {
	switch {
	case r.Train.Diverged || len(r.Epochs) == 0 || len(r.Train.Epochs) == 0:
		return diverged
	case r.Train.Final().TestAcc < trainedAccFloor:
		return untrained
	}
	return trained
}

// armOf counts a variant's runs by status.
func armOf(name string, rs []*sparsityResult) arm {
	a := arm{name: name}
	for _, r := range rs {
		if r == nil {
			continue
		}
		a.runs++
		switch status(r) {
		case diverged:
			a.diverged++
		case untrained:
			a.untrained++
		}
	}
	return a
}

// pooledZeros is a run's share of exact zeros over all hidden layers at
// the first (init) or last measurement.
func pooledZeros(r *sparsityResult, last bool) float64 {
	e := r.Epochs[0]
	if last {
		e = r.Epochs[len(r.Epochs)-1]
	}
	return kit.Mean(e.Zero)
}

// perSeed reads one number per seed, NaN where get has none: the input
// of metrics.PairedDiff, which leaves out pairs with a NaN side.
func perSeed(rs []*sparsityResult, get func(r *sparsityResult) (float64, bool)) []float64 {
	out := make([]float64, len(rs))
	for s, r := range rs {
		out[s] = math.NaN()
		if r == nil {
			continue
		}
		if v, ok := get(r); ok {
			out[s] = v
		}
	}
	return out
}

// trainedZeros reads the pooled exact-zero share of runs that trained.
func trainedZeros(last bool) func(r *sparsityResult) (float64, bool) {
	return func(r *sparsityResult) (float64, bool) {
		if status(r) != trained {
			return 0, false
		}
		return pooledZeros(r, last), true
	}
}

// finalAccuracy reads the test accuracy of runs that did not diverge.
func finalAccuracy(r *sparsityResult) (float64, bool) {
	if status(r) == diverged {
		return 0, false
	}
	return r.Train.Final().TestAcc, true
}

// stages are the two moments sparsity is compared at.
var stages = []struct {
	name string
	last bool
}{{"at initialisation", false}, {"after training", true}}

// setting describes the nets and their training for the verdicts' caveats.
func setting(c *Config) string {
	return fmt.Sprintf("a %dx%d MLP after %d epochs of %s (lr %g) on %d %s examples", c.Depth, c.Width, c.Epochs, c.Optimizer, c.LR, c.TrainExamples, c.Dataset.Title())
}

// sparseEvidenceFrom pairs relu with each sigmoid/tanh arm, at
// initialisation and after training, over the seeds on which both trained.
func sparseEvidenceFrom(c *Config, runs map[string][]*sparsityResult) sparseEvidence {
	e := sparseEvidence{setting: setting(c)}
	if !slices.Contains(c.Variants, "relu") {
		return e
	}
	relu := runs["relu"]
	for _, v := range c.Variants {
		if v != "sigmoid" && v != "tanh" {
			continue
		}
		for _, st := range stages {
			e.comparisons = append(e.comparisons, comparison{
				name: fmt.Sprintf("relu - %s, exact zeros %s", v, st.name),
				p:    metrics.PairedDiff(perSeed(relu, trainedZeros(st.last)), perSeed(runs[v], trainedZeros(st.last))),
				relu: armOf("relu", relu), other: armOf(v, runs[v]),
				byConstruction: !st.last,
			})
		}
	}
	return e
}

// sparserEvidenceFrom reads ReLU's exact zeros before and after training
// on the same runs, those that trained. Every arm here trains without a
// penalty on the activations, so the L1 arm the statement needs is missing
// (l1Ran false) and relu is the plain arm, reported beside.
func sparserEvidenceFrom(c *Config, runs map[string][]*sparsityResult) sparserEvidence {
	e := sparserEvidence{setting: setting(c)}
	if !slices.Contains(c.Variants, "relu") {
		return e
	}
	e.plain = riseOf("relu", runs["relu"])
	for _, l := range sortedL1s(c) {
		a := armName("relu", l)
		e.sweep = append(e.sweep, l1Point{coef: l, arm: armOf(a, runs[a]), trained: shareCI(finite(perSeed(runs[a], trainedZeros(true))))})
	}
	if coef, ok := nearestL1(c.L1s, glorotL1); ok {
		e.l1Ran, e.l1Coef, e.l1 = true, coef, riseOf(l1ArmLabel(coef), runs[armName("relu", coef)])
		e.vsPlain = metrics.PairedDiff(perSeed(runs[armName("relu", coef)], trainedZeros(true)), perSeed(runs["relu"], trainedZeros(true)))
	}
	return e
}

// sortedL1s is the configuration's L1 coefficients in increasing order.
func sortedL1s(c *Config) []float64 {
	out := slices.Clone(c.L1s)
	slices.Sort(out)
	return out
}

// nearestL1 is the coefficient in l1s nearest to want on a log scale
// (want itself when it is there); false when l1s is empty.
func nearestL1(l1s []float64, want float64) (float64, bool) {
	best, dist := 0.0, math.Inf(1)
	for _, l := range l1s {
		if d := math.Abs(math.Log(l / want)); d < dist {
			best, dist = l, d
		}
	}
	return best, len(l1s) > 0
}

// helpsEvidenceFrom pairs each penalised relu arm with plain relu on the
// same seeds: how much sparser it ended (runs that trained) and its test
// accuracy (runs that did not diverge).
func helpsEvidenceFrom(c *Config, runs map[string][]*sparsityResult) helpsEvidence {
	e := helpsEvidence{setting: setting(c), ran: len(c.L1s) > 0}
	relu := runs["relu"]
	for _, l := range sortedL1s(c) {
		name := armName("relu", l)
		a, r := armOf(name, runs[name]), armOf("relu", relu)
		e.arms = append(e.arms, helpsArm{coef: l,
			zeros: comparison{name: name + " - relu, exact zeros after training", p: metrics.PairedDiff(perSeed(runs[name], trainedZeros(true)), perSeed(relu, trainedZeros(true))), relu: a, other: r},
			acc:   comparison{name: name + " - relu, test accuracy", p: metrics.PairedDiff(perSeed(runs[name], finalAccuracy), perSeed(relu, finalAccuracy)), relu: a, other: r},
			first: metrics.PairedDiff(perSeed(runs[name], accuracyAfterFirst), perSeed(relu, accuracyAfterFirst)),
		})
	}
	return e
}

// accuracyAfterFirst is a run's test accuracy after its first epoch, if
// it did not diverge and ran more than one epoch (else there is nothing
// beside the final accuracy to show).
func accuracyAfterFirst(r *sparsityResult) (float64, bool) {
	if status(r) == diverged || len(r.Train.Epochs) < 3 {
		return 0, false
	}
	return r.Train.Epochs[1].TestAcc, true
}

// riseOf is an arm's exact-zero share at initialisation and after training
// over its runs that trained, with the per-run rise.
func riseOf(name string, rs []*sparsityResult) rise {
	init, last := perSeed(rs, trainedZeros(false)), perSeed(rs, trainedZeros(true))
	return rise{arm: armOf(name, rs), init: shareCI(finite(init)), trained: shareCI(finite(last)), diff: metrics.PairedDiff(last, init)}
}

// exactZeroVariants output exact zeros by construction (relu for every
// negative input, twosided in one of its two columns); every other variant
// is dense: exactly 0 only where its input is.
var exactZeroVariants = []string{"relu", "twosided"}

// accuracyEvidenceFrom pairs relu's test accuracy with each dense arm's,
// over the seeds on which neither diverged.
func accuracyEvidenceFrom(c *Config, runs map[string][]*sparsityResult) accuracyEvidence {
	e := accuracyEvidence{setting: setting(c), data: c.Dataset}
	if !slices.Contains(c.Variants, "relu") {
		return e
	}
	relu := runs["relu"]
	for _, v := range c.Variants {
		if slices.Contains(exactZeroVariants, v) {
			continue
		}
		e.comparisons = append(e.comparisons, comparison{
			name: fmt.Sprintf("relu - %s, test accuracy", v),
			p:    metrics.PairedDiff(perSeed(relu, finalAccuracy), perSeed(runs[v], finalAccuracy)),
			relu: armOf("relu", relu), other: armOf(v, runs[v]),
		})
	}
	// Each twin of ownZeroTwins against every other dense arm, for the
	// handicap gate of the own-sparsity rule.
	for _, twin := range ownZeroTwins {
		if !slices.Contains(c.Variants, twin) {
			continue
		}
		for _, v := range c.Variants {
			if v == twin || slices.Contains(exactZeroVariants, v) {
				continue
			}
			e.twinGaps = append(e.twinGaps, comparison{
				name: fmt.Sprintf("%s - %s, test accuracy", v, twin),
				p:    metrics.PairedDiff(perSeed(runs[v], finalAccuracy), perSeed(runs[twin], finalAccuracy)),
				relu: armOf(v, runs[v]), other: armOf(twin, runs[twin]),
			})
		}
	}
	return e
}

func finite(xs []float64) []float64 {
	var out []float64
	for _, x := range xs {
		if !math.IsNaN(x) && !math.IsInf(x, 0) {
			out = append(out, x)
		}
	}
	return out
}

// sparsityStats reads one variant's runs: sparsity over the runs that
// trained, accuracy over the runs that did not diverge.
type sparsityStats struct {
	arm                                               arm
	zeroInit, zeroTrained, nearInit, nearTrained, acc metrics.Estimate
	deadTrained                                       metrics.Estimate
	layerZeroInit, layerZeroTrained                   []metrics.Estimate
	layerNearInit, layerNearTrained                   []metrics.Estimate
}

func readVariants(c *Config, runs map[string][]*sparsityResult) map[string]sparsityStats {
	stats := map[string]sparsityStats{}
	for _, a := range arms(c) {
		stats[a] = readSparsity(c, a, runs[a])
	}
	return stats
}

func readSparsity(c *Config, name string, runs []*sparsityResult) sparsityStats {
	st := sparsityStats{arm: armOf(name, runs)}
	var zi, zt, ni, nt, dt, acc []float64
	lzi, lzt, lni, lnt := make([][]float64, c.Depth), make([][]float64, c.Depth), make([][]float64, c.Depth), make([][]float64, c.Depth)
	for _, r := range runs {
		if r == nil {
			continue
		}
		if a, ok := finalAccuracy(r); ok {
			acc = append(acc, a)
		}
		if status(r) != trained {
			continue
		}
		init, last := r.Epochs[0], r.Epochs[len(r.Epochs)-1]
		zi, ni = append(zi, kit.Mean(init.Zero)), append(ni, kit.Mean(init.NearZero))
		zt, nt, dt = append(zt, kit.Mean(last.Zero)), append(nt, kit.Mean(last.NearZero)), append(dt, kit.Mean(last.Dead))
		for l := range c.Depth {
			lzi[l], lni[l] = append(lzi[l], init.Zero[l]), append(lni[l], init.NearZero[l])
			lzt[l], lnt[l] = append(lzt[l], last.Zero[l]), append(lnt[l], last.NearZero[l])
		}
	}
	st.zeroInit, st.zeroTrained, st.nearInit, st.nearTrained = shareCI(zi), shareCI(zt), shareCI(ni), shareCI(nt)
	st.deadTrained, st.acc = shareCI(dt), shareCI(acc)
	for l := range c.Depth {
		st.layerZeroInit = append(st.layerZeroInit, shareCI(lzi[l]))
		st.layerZeroTrained = append(st.layerZeroTrained, shareCI(lzt[l]))
		st.layerNearInit = append(st.layerNearInit, shareCI(lni[l]))
		st.layerNearTrained = append(st.layerNearTrained, shareCI(lnt[l]))
	}
	return st
}

// shareCI is the mean with its 95% CI of a share or an accuracy, which
// cannot leave [0, 1] even when the t interval of few seeds would.
func shareCI(xs []float64) metrics.Estimate { return metrics.MeanCI(xs).Clamp(0, 1) }

func nearZeroHeader(stage string) string {
	return fmt.Sprintf("|h| < %g, %s", kit.NearZeroEps, stage)
}

// fmtCount is "k/n [lo, hi]", the count with its 95% Wilson interval.
func fmtCount(k, n int) string {
	if n == 0 {
		return "0/0"
	}
	w := metrics.ProportionCI(k, n)
	return fmt.Sprintf("%d/%d [%.2f, %.2f]", k, n, w.Lo, w.Hi)
}

func summaryTable(c *Config, stats map[string]sparsityStats) result.Table {
	t := result.Table{Name: "sparsity",
		Title: fmt.Sprintf("Hidden activations on %d training examples, all %d hidden layers of %d, before and after %d epochs (%s, lr %g), mean [95%% CI] over seeds", c.ProbeExamples, c.Depth, c.Width, c.Epochs, c.Optimizer, c.LR),
		Columns: []string{"variant", "diverged [95% CI]", fmt.Sprintf("did not train (acc < %g)", trainedAccFloor), "exact zeros, init", "exact zeros, trained",
			nearZeroHeader("init"), nearZeroHeader("trained"), "dead units, trained", "test accuracy"},
		Note: fmt.Sprintf("Sparsity columns are over the runs that trained (not diverged, test accuracy >= %g), the same runs at initialisation and after training; test accuracy over the runs that did not diverge. Diverged: loss above %.4g (10 ln 10) or not finite; Wilson interval. Glorot, Bordes & Bengio 2011 (rectifier nets, MNIST): about 50%% exact zeros at initialisation, 83.4%% after training with an L1 penalty on the activations (here only the relu+l1=C arms have one, of coefficient C).",
			trainedAccFloor, 10*math.Log(10))}
	for _, v := range arms(c) {
		s := stats[v]
		t.Rows = append(t.Rows, []string{v, fmtCount(s.arm.diverged, s.arm.runs), fmt.Sprintf("%d/%d", s.arm.untrained, s.arm.runs),
			kit.FmtEstimate(s.zeroInit, 3), kit.FmtEstimate(s.zeroTrained, 3), kit.FmtEstimate(s.nearInit, 3), kit.FmtEstimate(s.nearTrained, 3),
			kit.FmtEstimate(s.deadTrained, 3), kit.FmtEstimate(s.acc, 4)})
	}
	return t
}

// comparisonsTable lists every paired comparison behind the verdicts with
// its own outcome.
func comparisonsTable(sp sparseEvidence, sr sparserEvidence, ac accuracyEvidence, he helpsEvidence) result.Table {
	t := result.Table{Name: "sparsity-comparisons", Title: "Paired comparisons behind the verdicts: mean of per-seed differences",
		Columns: []string{"comparison", "difference [95% CI]", "90% CI", "n", "MDE (80% power)", "margin", "outcome"},
		Note:    fmt.Sprintf("Each row's own outcome; a row marked not judged is shown beside a verdict it does not decide, with where its 95%% CI lies against the margin. Exact zeros: CONFIRMED if the 95%% CI lies above the margin. Accuracy against a dense arm (non-inferiority, margin > -%g): CONFIRMED if the 95%% CI lies above minus the margin; against leaky and softplus it is read again for \"ReLU's own sparsity helps\" (margin > %[2]g): CONFIRMED if the 95%% CI lies above the margin, REFUTED if below, and a CONFIRMED reads INCONCLUSIVE when another unit without exact zeros beats the twin by more than the margin too (the own-sparsity gate rows, each read the same way). Accuracy of a penalised arm against plain relu (\"sparsity helps\", margin > %[2]g): CONFIRMED if its interval corrected for the number of arms judged (Bonferroni) lies above the margin, REFUTED if the 95%% CI lies below, INCONCLUSIVE otherwise. A comparison whose arm mostly diverged or did not train is INCONCLUSIVE. The rise without a penalty is a measurement of plain training: the sparser verdict needs an arm trained with an L1 penalty on the activations.", accuracyMargin, accuracyMargin)}
	rowOut := func(c comparison, margin string, out string) {
		t.Rows = append(t.Rows, []string{c.name, kit.FmtEstimate(c.p.Diff, 4), fmt.Sprintf("[%s, %s]", kit.FmtFloat(c.p.Lo90, 4), kit.FmtFloat(c.p.Hi90, 4)),
			kit.Itoa(c.p.Diff.N), kit.FmtFloat(c.p.MDE, 3), margin, out})
	}
	row := func(c comparison, margin string, o result.Outcome, why string) {
		out := string(o)
		if why != "" {
			out += " (" + why + ")"
		}
		rowOut(c, margin, out)
	}
	for _, c := range sp.comparisons {
		if c.byConstruction {
			rowOut(c, fmt.Sprintf("> %g", sparseMargin), notJudged(c, sparseMargin, byConstructionReason))
			continue
		}
		o, why := c.decide(sparseMargin, true)
		row(c, fmt.Sprintf("> %g", sparseMargin), o, why)
	}
	if sr.l1Ran {
		c := comparison{name: l1ArmLabel(sr.l1Coef) + ", exact zeros after training minus at initialisation", p: sr.l1.diff, relu: sr.l1.arm}
		o, why := c.decide(sparserMargin, true)
		row(c, fmt.Sprintf("> %g", sparserMargin), o, why)
	}
	if sr.plain.arm.name != "" {
		c := comparison{name: "relu without a penalty, exact zeros after training minus at initialisation", p: sr.plain.diff, relu: sr.plain.arm}
		rowOut(c, fmt.Sprintf("> %g", sparserMargin), notJudged(c, sparserMargin, noPenaltyReason))
	}
	for _, c := range ac.comparisons {
		o, why := c.decideNonInferior()
		row(c, fmt.Sprintf("> -%g", accuracyMargin), o, why)
	}
	// The same comparisons against ReLU's twins read the other way, for
	// "ReLU's own sparsity helps" (review 25a: the table left them out).
	for _, c := range ac.comparisons {
		if !slices.Contains(ownZeroTwins, c.other.name) {
			continue
		}
		o, why := ownZerosAt(ac, c, accuracyMargin)
		c.name += " (ReLU's own sparsity helps)"
		row(c, fmt.Sprintf("> %g", accuracyMargin), o, why)
	}
	// The twins against the other units without zeros: the gate that holds
	// back a gain over a twin that trails for another reason.
	for _, g := range ac.twinGaps {
		o, why := g.superiorAt(accuracyMargin)
		out := fmt.Sprintf("gate: not shown ahead of %s by the margin", g.other.name)
		switch {
		case why != "":
			out = "gate: not read: " + why
		case o == result.Confirmed:
			out = fmt.Sprintf("gate: ahead of %s by more than the margin (a gain of ReLU over %s is not read)", g.other.name, g.other.name)
		}
		g.name += " (own-sparsity gate)"
		rowOut(g, fmt.Sprintf("> %g", accuracyMargin), out)
	}
	k := he.judged()
	for _, a := range he.arms {
		if ok, why := a.sparser(); !ok {
			rowOut(a.zeros, fmt.Sprintf("> %g", sparserMargin), "not judged: "+why)
			continue
		}
		o, why := a.decide(k)
		row(a.acc, fmt.Sprintf("> %g", accuracyMargin), o, why)
	}
	return t
}

func byLayerTable(c *Config, stats map[string]sparsityStats) result.Table {
	t := result.Table{Name: "sparsity-by-layer", Title: "Exact zeros and near zeros per hidden layer, mean [95% CI] over the runs that trained",
		Columns: []string{"variant", "layer", "exact zeros, init", "exact zeros, trained", nearZeroHeader("init"), nearZeroHeader("trained")}}
	for _, v := range arms(c) {
		s := stats[v]
		for l := range c.Depth {
			t.Rows = append(t.Rows, []string{v, kit.Itoa(l + 1), kit.FmtEstimate(s.layerZeroInit[l], 3), kit.FmtEstimate(s.layerZeroTrained[l], 3),
				kit.FmtEstimate(s.layerNearInit[l], 3), kit.FmtEstimate(s.layerNearTrained[l], 3)})
		}
	}
	return t
}

// epochRecords is the CSV of every measurement: one row per variant, seed,
// measured epoch and layer. A diverged run has rows up to its last
// completed epoch; its status says it diverged.
func epochRecords(c *Config, runs map[string][]*sparsityResult) result.Table {
	t := result.Table{Name: "sparsity", Columns: []string{"variant", "seed", "epoch", "layer", "exact_zero", "near_zero", "dead", "train_loss", "test_acc", "status", "diverged_step"}}
	for _, v := range arms(c) {
		for seed, r := range runs[v] {
			if r == nil {
				continue
			}
			st := status(r)
			for i, e := range r.Epochs {
				ep := r.Train.Epochs[i]
				for l := range e.Zero {
					t.Rows = append(t.Rows, []string{v, kit.Itoa(seed), kit.Itoa(e.Epoch), kit.Itoa(l + 1), kit.Ftoa(e.Zero[l]), kit.Ftoa(e.NearZero[l]), kit.Ftoa(e.Dead[l]),
						kit.Ftoa(ep.TrainLoss), kit.Ftoa(ep.TestAcc), st.String(), kit.Itoa(r.Train.DivergedStep)})
				}
			}
		}
	}
	return t
}

// histogramStages are the two moments a histogram is taken, in the order
// they are written and drawn.
var histogramStages = []string{"init", "trained"}

// histogramRecords is the CSV of the pooled histograms of the runs that
// trained. Exact zeros are not binned, so they get a row of their own (bin
// 0 to 0), and the tails beyond the bins get one each.
func histogramRecords(c *Config, runs map[string][]*sparsityResult) result.Table {
	t := result.Table{Name: "histograms", Columns: []string{"variant", "stage", "bin_lo", "bin_hi", "count"}}
	for _, v := range c.Variants {
		for _, stage := range histogramStages {
			h := pooledHistogram(runs[v], stage == "trained")
			if h == nil {
				continue
			}
			width := (h.Hi - h.Lo) / float64(len(h.Counts))
			t.Rows = append(t.Rows,
				[]string{v, stage, "0", "0", kit.Itoa(h.Zeros)},
				[]string{v, stage, "-Inf", kit.Ftoa(h.Lo), kit.Itoa(h.Under)})
			for b, n := range h.Counts {
				t.Rows = append(t.Rows, []string{v, stage, kit.Ftoa(h.Lo + float64(b)*width), kit.Ftoa(h.Lo + float64(b+1)*width), kit.Itoa(n)})
			}
			t.Rows = append(t.Rows, []string{v, stage, kit.Ftoa(h.Hi), "+Inf", kit.Itoa(h.Over)})
		}
	}
	return t
}

// pooledHistogram adds up the histograms of the runs that trained, at
// initialisation or after training; nil if there is none.
func pooledHistogram(runs []*sparsityResult, trainedStage bool) *metrics.Histogram {
	var out *metrics.Histogram
	for _, r := range runs {
		if r == nil || status(r) != trained {
			continue
		}
		h := r.Init
		if trainedStage {
			h = r.Trained
		}
		if h == nil {
			continue
		}
		if out == nil {
			out = metrics.NewHistogram(h.Lo, h.Hi, len(h.Counts))
		}
		out.Merge(h)
	}
	return out
}

// epochValue reads one number from a run at an epoch; false if the run has
// none there.
type epochValue func(r *sparsityResult, epoch int) (float64, bool)

// epochSeries is, at each epoch from 0 to epochs, the values of get over
// the runs that trained.
func epochSeries(epochs int, rs []*sparsityResult, get epochValue) [][]float64 {
	out := make([][]float64, epochs+1)
	for _, r := range rs {
		if r == nil || status(r) != trained {
			continue
		}
		for e := 0; e <= epochs; e++ {
			if v, ok := get(r, e); ok {
				out[e] = append(out[e], v)
			}
		}
	}
	return out
}

// allBelow reports whether a series has values and every one is at most
// tol (exactly 0 when tol is 0).
func allBelow(series [][]float64, tol float64) bool {
	any := false
	for _, xs := range series {
		for _, x := range xs {
			if x > tol {
				return false
			}
			any = true
		}
	}
	return any
}

// flatShare is the largest near-zero share that a line on a 0-to-1 axis
// cannot tell from 0 and from another such line (about three pixels in
// the figure): the near-zero panel gathers the variants that stay below it
// on one line, as the exact-zero panels gather the variants at exactly 0.
const flatShare = 0.01

// seriesLine is the mean with its 95% CI at each epoch that has values.
func seriesLine(label string, style int, series [][]float64) result.Line {
	ln := result.Line{Label: label, Points: true, Style: style}
	for e, xs := range series {
		if len(xs) == 0 {
			continue
		}
		est := shareCI(xs)
		ln.X, ln.Y, ln.Lo, ln.Hi = append(ln.X, float64(e)), append(ln.Y, est.Mean), append(ln.Lo, est.Lo), append(ln.Hi, est.Hi)
	}
	return ln
}

func layerZeros(l int) epochValue {
	return func(r *sparsityResult, e int) (float64, bool) {
		if e >= len(r.Epochs) {
			return 0, false
		}
		return r.Epochs[e].Zero[l], true
	}
}

func meanZeros(r *sparsityResult, e int) (float64, bool) {
	if e >= len(r.Epochs) {
		return 0, false
	}
	return kit.Mean(r.Epochs[e].Zero), true
}

func meanNearZeros(r *sparsityResult, e int) (float64, bool) {
	if e >= len(r.Epochs) {
		return 0, false
	}
	return kit.Mean(r.Epochs[e].NearZero), true
}

func testAccuracy(r *sparsityResult, e int) (float64, bool) {
	if e >= len(r.Train.Epochs) {
		return 0, false
	}
	return r.Train.Epochs[e].TestAcc, true
}

// Styles of the reference lines: black for both of Glorot et al.'s
// shares, dashed after training and dotted at initialisation (the
// variants take styles by their position, from 0: orange was the sixth
// variant's too, relu+l1=0.003's, review 25b).
const (
	glorotTrainedStyle = 6
	glorotInitStyle    = 6
)

// glorotAnchors are the published shares, as flat lines across the epochs,
// each naming its condition.
func glorotAnchors(epochs int) []result.Line {
	x := []float64{0, float64(epochs)}
	return []result.Line{
		{Label: fmt.Sprintf("Glorot et al. 2011, MNIST, trained with an L1 penalty: %.1f%%", 100*glorotTrainedZeros), X: x, Y: []float64{glorotTrainedZeros, glorotTrainedZeros}, Theory: true, Style: glorotTrainedStyle},
		{Label: fmt.Sprintf("Glorot et al. 2011, at init: about %.0f%%", 100*glorotInitZeros), X: x, Y: []float64{glorotInitZeros, glorotInitZeros}, Theory: true, Dotted: true, Style: glorotInitStyle},
	}
}

// variantLines draws one line per variant of get over the runs that
// trained, except that the variants whose every value is at most tol
// (exactly 0 when tol is 0) share one line at 0 whose label names them
// all: drawn apart they would hide each other at 0. Runs that finished
// below trainedAccFloor are drawn as markers at their own final value; the
// variant's style is its position.
func variantLines(c *Config, runs map[string][]*sparsityResult, get epochValue, tol float64) ([]result.Line, []result.Marker) {
	var lines []result.Line
	var markers []result.Marker
	var zero []string
	zeroStyle := -1
	for vi, v := range arms(c) {
		series := epochSeries(c.Epochs, runs[v], get)
		failed, _ := armOf(v, runs[v]).failed(true)
		switch {
		case failed:
			// Most runs did not train: a line over the few that did would
			// stand for the arm; its runs are drawn as markers below.
		case allBelow(series, tol):
			zero = append(zero, v)
			if zeroStyle < 0 {
				zeroStyle = vi
			}
		default:
			if ln := seriesLine(v, vi, series); len(ln.X) > 0 {
				lines = append(lines, ln)
			}
		}
		for _, r := range runs[v] {
			if r == nil || status(r) != untrained {
				continue
			}
			e := len(r.Epochs) - 1
			if y, ok := get(r, e); ok {
				markers = append(markers, result.Marker{Label: fmt.Sprintf("%s: a run that did not train", v), X: float64(e), Y: y, Style: vi})
			}
		}
	}
	if len(zero) > 0 {
		label := strings.Join(zero, ", ") + ": 0 in every run"
		if tol > 0 {
			label = fmt.Sprintf("%s: under %g%% in every run, drawn at 0", strings.Join(zero, ", "), 100*tol)
		}
		lines = append(lines, result.Line{Label: label, X: []float64{0, float64(c.Epochs)}, Y: []float64{0, 0}, Style: zeroStyle})
	}
	return lines, markers
}

// divergedMarkers marks, at the top edge top of an axis, the epoch in which
// each diverged run stopped: a position, not a value.
func divergedMarkers(c *Config, runs map[string][]*sparsityResult, top float64) []result.Marker {
	var ms []result.Marker
	for vi, v := range arms(c) {
		for _, r := range runs[v] {
			if r == nil || status(r) != diverged {
				continue
			}
			ms = append(ms, result.Marker{Label: v + " diverged", X: float64(len(r.Train.Epochs)), Y: top, Style: vi})
		}
	}
	return ms
}

// sparsityOverEpochs draws exact zeros over all hidden layers with the
// published anchors, one panel per layer, then near zeros and accuracy.
func sparsityOverEpochs(c *Config, runs map[string][]*sparsityResult) result.Figure {
	fig := result.Figure{Name: "sparsity-over-epochs", Title: "Exact zeros in hidden layers over training on " + c.Dataset.Title(),
		Caption: fmt.Sprintf("Mean over the runs that trained with its 95%% CI band; epoch 0 is initialisation. Variants with no exact zero in any run share one line at 0, named in its label; in the near-zero panel so do the variants under %g%% in every run. "+
			"Black, dotted and dashed: Glorot, Bordes & Bengio 2011's rectifier nets on MNIST, about 50%% at initialisation (dotted) and 83.4%% after training (dashed) with an L1 penalty on the activations of coefficient %g, three hidden layers of 1000 units trained to convergence (here only the relu+l1=C arms have a penalty, of coefficient C). "+
			"Runs that ended below %g test accuracy are drawn as markers at their own values; an arm most of whose runs did so gets no line in the sparsity panels. The last panel shows each variant's test accuracy minus relu's on the same seed (paired: same initial weights and data), mean with 95%% CI, from epoch 1; its labels give each variant's final accuracy; an arm most of whose runs did not train gets no line there either, and is marked on a grey band below the values, with its final accuracy in the legend. "+
			"Runs that diverged are left out of every line and marked at the top edge of the last panel, at the epoch in which they stopped.", 100*flatShare, glorotL1, trainedAccFloor),
		Columns: 3}
	pooled := result.Panel{Kind: result.LinePanel, Title: "all hidden layers", XLabel: "epoch", YLabel: "exact zeros", YMin: 0, YMax: 1}
	pooled.Lines, pooled.Markers = variantLines(c, runs, meanZeros, 0)
	pooled.Lines = append(pooled.Lines, glorotAnchors(c.Epochs)...)
	fig.Panels = append(fig.Panels, pooled)
	for l := 0; l < c.Depth; l++ {
		pn := result.Panel{Kind: result.LinePanel, Title: fmt.Sprintf("layer %d", l+1), XLabel: "epoch", YLabel: "exact zeros", YMin: 0, YMax: 1}
		pn.Lines, pn.Markers = variantLines(c, runs, layerZeros(l), 0)
		fig.Panels = append(fig.Panels, pn)
	}
	near := result.Panel{Kind: result.LinePanel, Title: "near zeros, all hidden layers", XLabel: "epoch", YLabel: fmt.Sprintf("share with |h| < %g", kit.NearZeroEps), YMin: 0, YMax: 1}
	near.Lines, near.Markers = variantLines(c, runs, meanNearZeros, flatShare)
	fig.Panels = append(fig.Panels, near)
	// Room beyond the last epoch and above 1, so that the markers of runs
	// that did not train, which stand there, are drawn inside the frame
	// and clear of the legend beside it (figure audit 25).
	for i := range fig.Panels {
		fig.Panels[i].XMin, fig.Panels[i].XMax, fig.Panels[i].YMax = 0, float64(c.Epochs)+0.3, 1.03
	}
	fig.Panels = append(fig.Panels, accuracyPanel(c, runs))
	return fig
}

// accuracyPanel draws each variant's test accuracy minus relu's on the same
// seed, from epoch 1, with its 95% CI: relu, leaky and tanh end within a
// few tenths of a point of each other, and drawn as accuracies they would
// hide one another. Each label gives the variant's final accuracy. Runs
// that diverged are left out of the pairs and marked at the top edge, at
// the epoch in which they stopped. Without relu, the accuracies are drawn.
func accuracyPanel(c *Config, runs map[string][]*sparsityResult) result.Panel {
	if !slices.Contains(c.Variants, "relu") {
		pn := result.Panel{Kind: result.LinePanel, Title: "test accuracy", XLabel: "epoch", YLabel: "test accuracy", YMin: 0, YMax: 1}
		pn.Lines, pn.Markers = variantLines(c, runs, testAccuracy, 0)
		pn.Markers = append(pn.Markers, divergedMarkers(c, runs, 1)...)
		return pn
	}
	pn := result.Panel{Kind: result.LinePanel, Title: "test accuracy minus relu's on the same seed", XLabel: "epoch", YLabel: "accuracy difference"}
	relu := runs["relu"]
	at := func(e int) func(r *sparsityResult) (float64, bool) {
		return func(r *sparsityResult) (float64, bool) {
			if status(r) == diverged || e >= len(r.Train.Epochs) {
				return 0, false
			}
			return r.Train.Epochs[e].TestAcc, true
		}
	}
	final := func(rs []*sparsityResult) string {
		return kit.FmtFloat(kit.Mean(finite(perSeed(rs, finalAccuracy))), 3)
	}
	lo, hi := 0.0, 0.0
	var reference result.Line
	var below []result.Marker
	for vi, v := range arms(c) {
		if v == "relu" {
			reference = result.Line{Label: fmt.Sprintf("relu, the reference (ends at %s)", final(relu)), X: []float64{1, float64(c.Epochs)}, Y: []float64{0, 0}, Theory: true, Style: vi}
			continue
		}
		if failed, _ := armOf(v, runs[v]).failed(true); failed {
			// Most runs did not train: its difference (tens of points)
			// would squash the others' (tenths); it is marked at the
			// bottom edge below.
			below = append(below, result.Marker{Label: fmt.Sprintf("%s: most runs did not train (ends at %s), on the band", v, final(runs[v])), X: float64(c.Epochs), Style: vi})
			continue
		}
		ln := result.Line{Label: fmt.Sprintf("%s (ends at %s)", v, final(runs[v])), Points: true, Style: vi}
		for e := 1; e <= c.Epochs; e++ {
			d := metrics.PairedDiff(perSeed(runs[v], at(e)), perSeed(relu, at(e))).Diff
			if d.N < 2 {
				continue
			}
			ln.X, ln.Y, ln.Lo, ln.Hi = append(ln.X, float64(e)), append(ln.Y, d.Mean), append(ln.Lo, d.Lo), append(ln.Hi, d.Hi)
			lo, hi = math.Min(lo, d.Lo), math.Max(hi, d.Hi)
		}
		if len(ln.X) > 0 {
			pn.Lines = append(pn.Lines, ln)
		}
	}
	// The reference last, dashed over the variants that end where it is.
	pn.Lines = append(pn.Lines, reference)
	if len(below) > 0 {
		// On a band of their own below the values: at the axis' bottom
		// edge a marker read as a difference there (figure audit 25).
		kit.NoValueBand(&pn, below, 1, float64(c.Epochs), lo, hi, false)
	} else {
		pad := 0.1 * (hi - lo)
		if pad == 0 {
			pad = 0.01
		}
		pn.YMin, pn.YMax = lo-pad, hi+pad
	}
	pn.Markers = append(divergedMarkers(c, runs, pn.YMax), pn.Markers...)
	return pn
}

// histShareOut is the share of non-zero activations left outside a
// histogram panel's x axis, half at each end, so that the axis fits the
// mass rather than a handful of outliers.
const histShareOut = 0.001

// histogramFigure draws, per variant, the share of activations in each bin
// before and after training on a log scale; the share of exact zeros is in
// the legend.
func histogramFigure(c *Config, runs map[string][]*sparsityResult) result.Figure {
	fig := result.Figure{Name: "activation-histograms", Title: "Hidden activations before and after training (all layers, probe set, runs that trained)",
		Caption: fmt.Sprintf("Share of all hidden activations per bin of width %g (log scale), pooled over the runs that trained. Exact zeros are not binned: their share is given in the legend. "+
			"Each x axis covers the central %.1f%% of the non-zero activations of its panel (both stages); the rest, and empty bins, are not drawn.", (histHi-histLo)/histBins, 100*(1-histShareOut)),
		Columns: 2}
	for _, v := range c.Variants {
		fig.Panels = append(fig.Panels, histogramPanel(v, runs[v]))
	}
	return fig
}

// histRange returns the bins [first, last] holding the central
// 1-histShareOut of the non-zero values of hs pooled; Under and Over count
// as beyond the first and last bin.
func histRange(hs []*metrics.Histogram) (first, last int) {
	n := len(hs[0].Counts)
	counts := make([]float64, n+2) // under, bins, over
	var total float64
	for _, h := range hs {
		counts[0] += float64(h.Under)
		counts[n+1] += float64(h.Over)
		for b, k := range h.Counts {
			counts[b+1] += float64(k)
		}
		total += float64(h.Total() - h.Zeros - h.NonFinite)
	}
	cut := total * histShareOut / 2
	first, last = 0, n-1
	var acc float64
	for i, k := range counts {
		acc += k
		if acc > cut {
			first = max(0, i-1)
			break
		}
	}
	acc = 0
	for i := len(counts) - 1; i >= 0; i-- {
		acc += counts[i]
		if acc > cut {
			last = min(n-1, i-1)
			break
		}
	}
	return first, max(first, last)
}

func histogramPanel(variant string, runs []*sparsityResult) result.Panel {
	pn := result.Panel{Kind: result.LinePanel, Title: variant, XLabel: "activation h", YLabel: "share of activations", LogY: true}
	var hs []*metrics.Histogram
	var names []string
	for _, stage := range histogramStages {
		if h := pooledHistogram(runs, stage == "trained"); h != nil {
			hs, names = append(hs, h), append(names, stage)
		}
	}
	if len(hs) == 0 {
		return pn
	}
	first, last := histRange(hs)
	smallest, largest := 1.0, 0.0
	for si, h := range hs {
		total := float64(h.Total())
		ln := result.Line{Label: fmt.Sprintf("%s (exact 0: %.1f%%)", names[si], 100*float64(h.Zeros)/total), Style: si}
		for b := first; b <= last; b++ {
			y := math.NaN() // an empty bin breaks the line
			if h.Counts[b] > 0 {
				y = float64(h.Counts[b]) / total
				smallest, largest = math.Min(smallest, y), math.Max(largest, y)
			}
			ln.X, ln.Y = append(ln.X, h.Centre(b)), append(ln.Y, y)
		}
		pn.Lines = append(pn.Lines, ln)
	}
	// Whole decades around the drawn shares, so that the top and bottom
	// are labelled and no line runs into the frame.
	if largest > 0 {
		pn.YMin, pn.YMax = math.Pow(10, math.Floor(math.Log10(smallest))), math.Pow(10, math.Ceil(math.Log10(largest)+0.05))
	}
	return pn
}

func sparsityNotes(c *Config) []string {
	notes := []string{
		fmt.Sprintf("Activations are counted on the first %d training examples, in evaluation mode; the histogram row with bin 0 to 0 counts exact zeros, which are not binned.", c.ProbeExamples),
		"Variants are paired on seeds: for a given seed every variant starts from the same initial weights (He normal) and sees the same minibatches, and each comparison is the mean of per-seed differences.",
		"Every variant trains with the same optimiser and learning rate; none is tuned, so accuracy differences of a few tenths of a percent may reflect that choice.",
		"Glorot et al. reach 83.4% exact zeros with an L1 penalty on the activations (coefficient 0.001) and three hidden layers of 1000 units trained to convergence; here only the relu+l1=C arms have a penalty, on smaller nets trained for a few epochs, so their shares are not expected to match it: the sparser verdict reports which coefficient comes nearest.",
	}
	if slices.Contains(c.Variants, "twosided") {
		notes = append(notes, "A two-sided unit writes two columns, relu(z) and min(z, 0), one of which is always 0: its share of exact zeros is at least one half by construction, not a sign of sparsity; it is compared with neither side.")
	}
	return notes
}

// accuracyVsSparsity draws each arm's test accuracy against its share of
// exact zeros after training, each with its 95% CI as a cross: the
// penalised relu arms trace what more zeros do to accuracy, the dense
// variants sit at 0 zeros. Glorot et al.'s 83.4% is a dashed vertical
// line naming its condition.
func accuracyVsSparsity(c *Config, stats map[string]sparsityStats) result.Figure {
	pn := result.Panel{Kind: result.LinePanel, Title: "test accuracy against exact zeros after training", XLabel: "exact zeros after training (all hidden layers)", YLabel: "test accuracy"}
	lo, hi := math.Inf(1), math.Inf(-1)
	xlo, xhi := math.Inf(1), math.Inf(-1)
	var left []string
	for i, a := range arms(c) {
		s := stats[a]
		if bad, why := s.arm.failed(true); bad {
			left = append(left, why)
			continue
		}
		if s.zeroTrained.N == 0 || s.acc.N == 0 {
			continue
		}
		x, y := s.zeroTrained, s.acc
		bars := result.Line{X: []float64{x.Lo, x.Hi, math.NaN(), x.Mean, x.Mean}, Y: []float64{y.Mean, y.Mean, math.NaN(), y.Lo, y.Hi}, Style: i}
		point := result.Line{Label: fmt.Sprintf("%s (%s runs; bars: 95%% CIs)", a, kit.Itoa(s.acc.N)), X: []float64{x.Mean}, Y: []float64{y.Mean}, Points: true, Style: i}
		pn.Lines = append(pn.Lines, bars, point)
		lo, hi = math.Min(lo, y.Lo), math.Max(hi, y.Hi)
		xlo, xhi = math.Min(xlo, x.Lo), math.Max(xhi, x.Hi)
	}
	// Room on both sides: the dense arms at 0 off the axis, and Glorot et
	// al.'s share inside the frame rather than on its edge.
	pn.XMin, pn.XMax = math.Min(xlo, 0)-0.03, math.Max(xhi, glorotTrainedZeros)+0.05
	if lo > hi {
		lo, hi = 0, 1
	}
	pad := math.Max(0.1*(hi-lo), 0.002)
	pn.YMin, pn.YMax = lo-pad, hi+pad
	pn.Lines = append(pn.Lines, result.Line{Label: fmt.Sprintf("Glorot et al. 2011, MNIST: %.1f%% (L1 %g, 3x1000 units, trained to convergence)", 100*glorotTrainedZeros, glorotL1),
		X: []float64{glorotTrainedZeros, glorotTrainedZeros}, Y: []float64{pn.YMin, pn.YMax}, Theory: true, Style: glorotTrainedStyle})
	return result.Figure{Name: "accuracy-vs-sparsity", Title: "Does a sparser ReLU net classify better?",
		Caption: fmt.Sprintf("Each arm's mean test accuracy (runs that did not diverge) against its mean share of exactly-zero hidden activations after training (runs that trained), each with its 95%% CI as a bar in both directions (the horizontal ones, across seeds of the share of zeros, are mostly narrower than the marker); %d seeds per arm, paired. "+
			"relu+l1=C is relu trained with an L1 penalty of coefficient C on every hidden activation; the other arms have no penalty, and the dense variants have no exact zeros. "+
			"The verdict reads the paired differences between each penalised arm and plain relu (table above), not these unpaired intervals. Dashed: Glorot, Bordes & Bengio 2011's share, in their setting.%s", c.Seeds, leftOut(left)),
		Panels: []result.Panel{pn}}
}

// leftOut is the caption's sentence on the arms not drawn because most of
// their runs failed.
func leftOut(why []string) string {
	if len(why) == 0 {
		return ""
	}
	return " Not drawn, their sparsity unread: " + strings.Join(why, "; ") + "."
}
