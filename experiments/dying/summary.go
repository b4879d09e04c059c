package dying

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/reluexp/reluexp/experiments/harness"
	"github.com/reluexp/reluexp/experiments/kit"
	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/metrics"
	"github.com/reluexp/reluexp/model"
)

// rulesVersion is the version of dying's verdict rules (result.Result):
// bump it with every change to a rule's outcome, so that the report reads
// a setting summarised under older rules apart. 1: the revive verdict
// combined by result.EachHolds and read by initial bias (session 17). (A
// minimum of units per layer group, tried in session 18, was withdrawn
// before it was committed to results: see layerCame.decides.) 2: the
// revive verdict weights the settings within a seed by Mantel-Haenszel
// weights, not equally (withinSettings; session 18, after review 18a).
const rulesVersion = 2

// summarizeDying turns the cells into the tables, records, figures,
// verdicts and notes; their order is the order of the report.
func summarizeDying(c *Config, done []harness.Done[dyingCell, dyingResult]) (*result.Result, error) {
	born, trains := groupCells(c, done)
	variants := withReference(c.Variants)
	stats := settingStatsOf(trains)
	layers := layerRecoveryOf(c, variants, trains, func(v string) []trainKey { return stableSettings(c, v, trains) })
	recovered := recoverEvidenceOf(c, trains)
	revive := reviveEvidenceOf(c, variants, trains, layers)
	reviveV := reviveVerdict(revive)
	grad := gradEvidenceOf(c, stats, trains)
	die := dieEvidenceOf(c, variants, stats, trains)
	narrow := narrowEvidenceOf(c, done)
	var choice []result.Table
	if c.Validation > 0 {
		choice = append(choice, rateChoiceTable(c, die, stats))
	}
	res := &result.Result{
		RulesVersion: rulesVersion,
		Tables: []result.Table{
			bornX1Table(c, born),
			bornGridTable(c, variants, born),
			killedTable(c, variants, stats),
			recoveryTable(c, variants, trains),
			layerRecoveryTable(layers, seedsNote(c)),
			zeroGradTable(grad),
			narrowTable(narrow),
		},
		Records: []result.Table{
			bornRecords(c, variants, born),
			trainingRecords(c, variants, trains),
			recoveryRecords(c, variants, trains),
			narrowRecords(c, done),
		},
		Figures: []result.Figure{
			bornHeatmapFigure(c, born),
			bornByDepthFigure(c, born),
			deadVsLRFigure(c, variants, stats, trains),
			deadOverEpochsFigure(c, trains, die.lo, die.hi, nearBestLR(die), die.bias),
		},
		Verdicts: []result.Verdict{
			dieVerdict(die),
			workingNetVerdict(die),
			recoverVerdict(recovered),
			firstLayerVerdict(recovered),
			reviveV,
			bornDeadVerdict(bornDeadEvidenceOf(c, born)),
			raiVerdict(raiEvidenceOf(c, born)),
			formulaVerdict(formulaEvidenceOf(c, born)),
			gradVerdict(grad),
			mostZerosVerdict(grad),
		},
		Notes: append(asymmetricNote(c, born), trainingNotes(c)...),
	}
	res.Tables = append(res.Tables, choice...)
	res.Verdicts = append(res.Verdicts, c1Verdicts(derivVerdict(derivEvidenceOf(c, variants, trains)), narrowVerdict(narrow))...)
	// The fix-against-ReLU recovery figure needs a fix among the variants
	// (a run of --variant mish alone has none to draw).
	if len(fixNames(c.Variants)) > 0 {
		res.Figures = append(res.Figures, reviveDiffFigure(revive, reviveV.Outcome), layerRecoveryFigure(c, trains))
	}
	return res, nil
}

// trainRuns holds each setting's runs indexed by seed; a missing run has
// a nil Train.
type trainRuns map[trainKey][]dyingResult

// groupCells adds up the Monte Carlo batches of each (variant, init,
// width) and puts every training run at its seed.
func groupCells(c *Config, done []harness.Done[dyingCell, dyingResult]) (bornResults, trainRuns) {
	born := bornResults{}
	trains := trainRuns{}
	for _, d := range done {
		if d.Params.Kind == "born" {
			b := d.Params.Born
			k := kit.BornKey{Variant: b.Variant, Init: b.Init, Width: b.Width}
			if born[k] == nil {
				born[k] = &kit.BornResult{}
			}
			born[k].Add(*d.Result.Born)
			continue
		}
		if d.Params.Kind != "train" {
			continue // narrow runs: see narrowEvidenceOf
		}
		k := trainKey{d.Params.Variant, d.Params.LR, d.Params.Bias}
		if trains[k] == nil {
			trains[k] = make([]dyingResult, c.seedsOf(k.variant))
		}
		if s := d.Params.Seed; s >= 0 && s < len(trains[k]) {
			trains[k][s] = d.Result
		}
	}
	return born, trains
}

func trainingNotes(c *Config) []string {
	notes := []string{
		fmt.Sprintf("Dead means an output of exactly 0 on every one of the %d training examples the net is trained on (the first %d of %s's training set), checked after every epoch in evaluation mode.", c.TrainExamples, c.TrainExamples, c.Dataset.Title()),
		fmt.Sprintf("Paired seeds: the %d runs of seed s (every variant, learning rate and bias) start from the same weights (biases aside) and see the same data order; comparisons are means of per-seed differences.", len(withReference(c.Variants))*len(c.LRs)*len(c.Biases)),
		fmt.Sprintf("A run diverges at the first step whose training loss is above 10 ln 10 = %.2f (model.DivergenceCap) or not finite; diverged runs are counted per arm and left out of every unit fraction and accuracy.", model.DivergenceCap(10)),
	}
	if more := c.moreSeeded(); len(more) > 0 {
		notes = append(notes, fmt.Sprintf("Seeds: %s ran %d seeds per learning rate and bias, every other variant %d. The verdicts read on relu alone (its loss of units between two rates, the recovery of its dead units, C9) use all of relu's; a comparison of two arms pairs the seeds both ran: all %d for two of %s, the first %d otherwise.", joinAnd(more), c.allSeeds(), c.Seeds, c.allSeeds(), joinAnd(more), c.Seeds))
	}
	if c.Validation > 0 {
		notes = append(notes, fmt.Sprintf("Validation: relu's runs also read the last %d images of %s's training set, never trained on, once at the end. C8's two rates are chosen on them (rate-choice table), not on the test accuracy reported there: lo, relu's best, and hi, the highest rate at which relu still trains. The gates that ask whether a net trains at a setting read test accuracy: a fix's rates in C8, as the other arms read no validation images, and the settings the recovery and C9 verdicts pool, to keep one meaning of \"trains\" across every arm. They choose no best rate.", c.Validation, c.Dataset.Title()))
	}
	if c.Optimizer == "sgd" {
		notes = append(notes, firstLayerNote)
	}
	return append(notes, "CS231n: \"as much as 40% of your network can be dead\" with too high a learning rate.")
}

// Training runs read.

type trainKey struct {
	variant  string
	lr, bias float64
}

// runStats reads one training run. The fractions and accuracy are NaN for
// a run that diverged (or is missing), so that metrics.PairedDiff and
// metrics.MeanCI leave it out.
type runStats struct {
	present, diverged bool
	dead              float64 // final fraction of dead hidden units, all layers pooled
	stuck             float64
	wouldBe           float64
	zeroGrad          float64 // last epoch, all layers pooled
	acc               float64 // final test accuracy
	val               float64 // validation accuracy (NaN if not read)
}

func readRun(r dyingResult) runStats {
	nan := math.NaN()
	s := runStats{dead: nan, stuck: nan, wouldBe: nan, zeroGrad: nan, acc: nan, val: nan}
	if r.Train == nil {
		return s
	}
	s.present = true
	if r.Train.Diverged || len(r.Epochs) == 0 {
		s.diverged = true
		return s
	}
	last := r.Epochs[len(r.Epochs)-1]
	s.dead, s.stuck, s.wouldBe, s.acc = kit.Mean(last.Dead), kit.Mean(last.Stuck), kit.Mean(last.WouldBeDead), r.Train.Final().TestAcc
	if len(last.ZeroGrad) > 0 {
		s.zeroGrad = kit.Mean(last.ZeroGrad)
	}
	if r.ValAcc != nil {
		s.val = *r.ValAcc
	}
	return s
}

// moreSeeded lists the variants run that ran more seeds than Seeds.
func (c *Config) moreSeeded() []string {
	var out []string
	for _, v := range withReference(c.Variants) {
		if c.seedsOf(v) > c.Seeds {
			out = append(out, v)
		}
	}
	return out
}

// bySeeds writes f of the seed count, "f(12)", or "f(12) (relu and
// leaky's f(40))" when some arms ran more seeds than the others.
func bySeeds(c *Config, f func(n int) string) string {
	if more := c.moreSeeded(); len(more) > 0 {
		return fmt.Sprintf("%s (%s's %s)", f(c.Seeds), joinAnd(more), f(c.allSeeds()))
	}
	return f(c.Seeds)
}

// head is t with every setting's runs cut to the seeds below n, those
// every arm ran.
func (t trainRuns) head(n int) trainRuns {
	out := trainRuns{}
	for k, runs := range t {
		out[k] = pairedHead(runs, n)
	}
	return out
}

// seedsNote says, for a caption or table note, which arms ran more seeds
// than the others ("" if none did).
func seedsNote(c *Config) string {
	more := c.moreSeeded()
	if len(more) == 0 {
		return ""
	}
	return fmt.Sprintf("%s ran %d seeds per setting and every other variant %d (their first %d are the others' seeds), so their means and intervals are over more runs; compare arms on the paired verdicts. ", joinAnd(more), c.allSeeds(), c.Seeds, c.Seeds)
}

// pairedHead is the runs of seeds below n, those every arm ran.
func pairedHead(runs []dyingResult, n int) []dyingResult {
	return runs[:min(len(runs), n)]
}

// finished reports whether a run is there and did not diverge.
func finished(r dyingResult) bool { s := readRun(r); return s.present && !s.diverged }

// armOf counts the runs of the given settings and those that diverged.
func armOf(trains trainRuns, keys ...trainKey) arm {
	var a arm
	for _, k := range keys {
		for _, r := range trains[k] {
			s := readRun(r)
			if !s.present {
				continue
			}
			a.runs++
			if s.diverged {
				a.diverged++
			}
		}
	}
	return a
}

// perSeed reads one value per seed of a setting (NaN where the run
// diverged or is missing).
func perSeed(c *Config, trains trainRuns, k trainKey, get func(runStats) float64) []float64 {
	out := make([]float64, c.allSeeds())
	for s := range out {
		out[s] = math.NaN()
		if runs := trains[k]; s < len(runs) {
			out[s] = get(readRun(runs[s]))
		}
	}
	return out
}

// pooledRatio adds up num and den over the finished runs of each seed in
// the given settings and returns num/den per seed (NaN where den is 0).
func pooledRatio(c *Config, trains trainRuns, keys []trainKey, add func(r dyingResult) (num, den float64)) []float64 {
	num, den := make([]float64, c.allSeeds()), make([]float64, c.allSeeds())
	for _, k := range keys {
		for s, r := range trains[k] {
			if s < c.allSeeds() && finished(r) {
				n, d := add(r)
				num[s] += n
				den[s] += d
			}
		}
	}
	out := make([]float64, c.allSeeds())
	for s := range out {
		out[s] = math.NaN()
		if den[s] > 0 {
			out[s] = num[s] / den[s]
		}
	}
	return out
}

func allSettings(c *Config, variant string) []trainKey {
	var keys []trainKey
	for _, b := range c.Biases {
		for _, lr := range c.LRs {
			keys = append(keys, trainKey{variant, lr, b})
		}
	}
	return keys
}

// settingStats summarises the seeds of one (variant, lr, bias): means over
// the finished runs, fractions clamped to [0, 1].
type settingStats struct {
	dead, stuck, wouldBe, zeroGrad, acc metrics.Estimate
	val                                 metrics.Estimate // validation accuracy, for the runs that read it
	arm
}

func summarizeSetting(runs []dyingResult) settingStats {
	var dead, stuck, would, zg, acc, val []float64
	var st settingStats
	for _, r := range runs {
		s := readRun(r)
		if !s.present {
			continue
		}
		st.runs++
		if s.diverged {
			st.diverged++
			continue
		}
		dead, stuck, would, zg, acc = append(dead, s.dead), append(stuck, s.stuck), append(would, s.wouldBe), append(zg, s.zeroGrad), append(acc, s.acc)
		if !math.IsNaN(s.val) {
			val = append(val, s.val)
		}
	}
	st.dead = metrics.MeanCI(dead).Clamp(0, 1)
	st.stuck = metrics.MeanCI(stuck).Clamp(0, 1)
	st.wouldBe = metrics.MeanCI(would).Clamp(0, 1)
	st.zeroGrad = metrics.MeanCI(zg).Clamp(0, 1)
	st.acc = metrics.MeanCI(acc).Clamp(0, 1)
	st.val = metrics.MeanCI(val).Clamp(0, 1)
	return st
}

func settingStatsOf(trains trainRuns) map[trainKey]settingStats {
	stats := map[trainKey]settingStats{}
	for k, runs := range trains {
		stats[k] = summarizeSetting(runs)
	}
	return stats
}

// mostlyDiverged reports whether more than half of a setting's runs
// diverged (kit.MaxDivergedShare).
func (s settingStats) mostlyDiverged() bool {
	m, _ := kit.MostlyDiverged("", s.diverged, s.runs)
	return m
}

// Born dead.

// bornFormula is 1-(1-2^-N)^H, the probability that a ReLU net of width N
// and H hidden layers, zero biases, is dead at a fixed input.
func bornFormula(width, depth int) float64 {
	return 1 - math.Pow(1-math.Pow(2, -float64(width)), float64(depth))
}

// bornResults holds the Monte Carlo counts of each (variant, init, width),
// every depth up to the largest.
type bornResults map[kit.BornKey]*kit.BornResult

func (b bornResults) of(variant, init string, width int) *kit.BornResult {
	return b[kit.BornKey{Variant: variant, Init: init, Width: width}]
}

// relu is the reference the formula describes: ReLU under He init.
func (b bornResults) relu(width int) *kit.BornResult { return b.of("relu", kit.HeInit, width) }

func fraction(k, n int) float64 { return float64(k) / float64(n) }

func bornRecords(c *Config, variants []string, born bornResults) result.Table {
	maxDepth := slices.Max(c.BornDepths)
	records := result.Table{Name: "born-dead", Columns: []string{"variant", "init", "width", "depth", "inits", "dead_at_x1", "constant_on_grid", "formula_dead_at_x1"}}
	for _, vi := range bornVariants(variants, c.Asymmetric) {
		for _, w := range c.BornWidths {
			b := born.of(vi[0], vi[1], w)
			for h := 1; h <= maxDepth; h++ {
				records.Rows = append(records.Rows, []string{vi[0], vi[1], kit.Itoa(w), kit.Itoa(h), kit.Itoa(b.Inits),
					kit.Itoa(b.DeadAtOne[h-1]), kit.Itoa(b.Constant[h-1]), kit.Ftoa(bornFormula(w, h))})
			}
		}
	}
	return records
}

func bornX1Table(c *Config, born bornResults) result.Table {
	x1 := result.Table{Name: "born-dead-x1",
		Title:   "ReLU nets, He init, zero biases: fraction with a hidden layer entirely zero at x = 1, Monte Carlo [95% CI] (formula 1-(1-2^-N)^H)",
		Columns: append([]string{"width N"}, kit.DepthHeaders(c.BornDepths)...),
		Note:    fmt.Sprintf("%d random initialisations per width; one input, H hidden layers of N units.", c.BornInits)}
	for _, w := range c.BornWidths {
		b := born.relu(w)
		row := []string{kit.Itoa(w)}
		for _, h := range c.BornDepths {
			e := metrics.ProportionCI(b.DeadAtOne[h-1], b.Inits)
			row = append(row, fmt.Sprintf("%s (%s)", kit.FmtEstimate(e, 3), kit.FmtFloat(bornFormula(w, h), 3)))
		}
		x1.Rows = append(x1.Rows, row)
	}
	return x1
}

func bornGridTable(c *Config, variants []string, born bornResults) result.Table {
	grid := result.Table{Name: "born-dead-grid",
		Title:   fmt.Sprintf("Born dead: fraction of nets whose output is the same at all %d points of a grid on [-1, 1], Monte Carlo [95%% CI]", c.BornGrid),
		Columns: append([]string{"variant", "init", "width N"}, kit.DepthHeaders(c.BornDepths)...),
		Note:    "Zero biases for he-normal. A variant that never outputs exactly 0 cannot be constant: its row measures that it is not."}
	for _, vi := range bornVariants(variants, c.Asymmetric) {
		for _, w := range c.BornWidths {
			b := born.of(vi[0], vi[1], w)
			row := []string{vi[0], vi[1], kit.Itoa(w)}
			for _, h := range c.BornDepths {
				row = append(row, kit.FmtEstimate(metrics.ProportionCI(b.Constant[h-1], b.Inits), 3))
			}
			grid.Rows = append(grid.Rows, row)
		}
	}
	return grid
}

// bornHeatmapFigure: measured, formula, born dead; widths top to bottom.
func bornHeatmapFigure(c *Config, born bornResults) result.Figure {
	return result.Figure{Name: "born-dead-heatmap", Title: "Deep narrow ReLU nets at initialisation (He init, zero biases)",
		Caption: fmt.Sprintf("Left: Monte Carlo fraction of %d nets per width with a hidden layer entirely zero at x = 1. Middle: the formula 1-(1-2^-N)^H. Right: fraction whose output is constant on [-1, 1] (born dead).", c.BornInits),
		Panels: []result.Panel{
			bornHeatmap(c, "dead at x = 1 (Monte Carlo)", func(w, h int) float64 { return fraction(born.relu(w).DeadAtOne[h-1], born.relu(w).Inits) }),
			bornHeatmap(c, "formula 1-(1-2^-N)^H", func(w, h int) float64 { return bornFormula(w, h) }),
			bornHeatmap(c, "born dead: constant on [-1, 1]", func(w, h int) float64 { return fraction(born.relu(w).Constant[h-1], born.relu(w).Inits) }),
		}}
}

func bornHeatmap(c *Config, title string, value func(w, h int) float64) result.Panel {
	hm := &result.Heatmap{Min: 0, Max: 1, Annotate: "%.2f"}
	for _, h := range c.BornDepths {
		hm.Cols = append(hm.Cols, kit.Itoa(h))
	}
	for _, w := range c.BornWidths {
		hm.Rows = append(hm.Rows, kit.Itoa(w))
		var row []float64
		for _, h := range c.BornDepths {
			row = append(row, value(w, h))
		}
		hm.Values = append(hm.Values, row)
	}
	return result.Panel{Kind: result.HeatmapPanel, Title: title, XLabel: "depth H (hidden layers)", YLabel: "width N", Heatmap: hm}
}

// bornByDepthFigure draws every depth up to the largest, not only those of
// the tables.
func bornByDepthFigure(c *Config, born bornResults) result.Figure {
	depths := make([]float64, slices.Max(c.BornDepths))
	for i := range depths {
		depths[i] = float64(i + 1)
	}
	atOne := result.Panel{Kind: result.LinePanel, Title: "dead at x = 1, He init", XLabel: "depth H (hidden layers)", YLabel: "fraction of nets", YMin: 0, YMax: 1}
	constant := result.Panel{Kind: result.LinePanel, Title: "born dead (constant on [-1, 1]), He init", XLabel: "depth H (hidden layers)", YLabel: "fraction of nets", YMin: 0, YMax: 1}
	rai := result.Panel{Kind: result.LinePanel, Title: "born dead, asymmetric init (Lu et al. 2019)", XLabel: "depth H (hidden layers)", YLabel: "fraction of nets", YMin: 0, YMax: 1}
	for i, w := range c.BornWidths {
		b := born.relu(w)
		atOne.Lines = append(atOne.Lines, proportionLine(fmt.Sprintf("N = %d", w), depths, b.DeadAtOne, b.Inits, i))
		// One legend entry for all the dashed lines: they share the colour of their width.
		th := result.Line{X: depths, Theory: true, Style: i}
		if i == 0 {
			th.Label = "formula"
		}
		for _, h := range depths {
			th.Y = append(th.Y, bornFormula(w, int(h)))
		}
		atOne.Lines = append(atOne.Lines, th)
		constant.Lines = append(constant.Lines, proportionLine(fmt.Sprintf("N = %d", w), depths, b.Constant, b.Inits, i))
		if r := born.of("relu", kit.AsymmetricInit, w); r != nil {
			rai.Lines = append(rai.Lines, proportionLine(fmt.Sprintf("N = %d", w), depths, r.Constant, r.Inits, i))
		}
	}
	fig := result.Figure{Name: "born-dead-by-depth", Title: "Born-dead ReLU nets by depth",
		Caption: "Monte Carlo fraction of nets with 95% Wilson band. Left: dead at x = 1 under He init; dashed, in each width's colour: the formula 1-(1-2^-N)^H, exact for the event \"a hidden layer is entirely zero at x = 1\" with zero biases, so where it agrees it lies on (and is hidden by) the measurement; its legend entry stands for every width's. Middle: born dead (constant on [-1, 1]) under He init, which needs the net dead at x = -1 as well.",
		Panels:  []result.Panel{atOne, constant}}
	if len(rai.Lines) > 0 {
		fig.Panels = append(fig.Panels, rai)
		fig.Caption += " Right: born dead under the asymmetric initialisation Lu et al. 2019 propose as the remedy for born-dead nets, on the same widths and depths."
	}
	return fig
}

// proportionLine draws counts[i] of n at depth depths[i], with its Wilson band.
func proportionLine(label string, depths []float64, counts []int, n, style int) result.Line {
	ln := result.Line{Label: label, X: depths, Style: style}
	for _, k := range counts {
		e := metrics.ProportionCI(k, n)
		ln.Y, ln.Lo, ln.Hi = append(ln.Y, e.Mean), append(ln.Lo, e.Lo), append(ln.Hi, e.Hi)
	}
	return ln
}

// asymmetricNote compares Lu et al.'s remedy with He init at the first
// width listed and the largest depth; nil if it was not measured.
func asymmetricNote(c *Config, born bornResults) []string {
	maxDepth := slices.Max(c.BornDepths)
	var notes []string
	if r := born.of("relu", kit.AsymmetricInit, c.BornWidths[0]); r != nil && born.relu(c.BornWidths[0]) != nil {
		w := c.BornWidths[0]
		notes = append(notes, fmt.Sprintf("Asymmetric init (Lu et al. 2019, as read here: N(0, 0.6007^2/fan_in) weights and bias, one of them per unit redrawn from Beta(2,1); these constants could not be checked against the paper's text, of which only the abstract and bibliographic data, Commun. Comput. Phys. 28(5):1671-1706, 2020, arXiv:1903.06733, were at hand): born-dead rate at width %d, depth %d is %.3f against %.3f under He init.",
			w, maxDepth, fraction(r.Constant[maxDepth-1], r.Inits), fraction(born.relu(w).Constant[maxDepth-1], born.relu(w).Inits)))
	}
	return notes
}

// Killed in training: tables.

func fmtLR(lr float64) string { return strconv.FormatFloat(lr, 'g', -1, 64) }

func killedTable(c *Config, variants []string, stats map[trainKey]settingStats) result.Table {
	t := result.Table{Name: "killed-by-lr",
		Title:   fmt.Sprintf("%s, %d hidden layers of %d, %s, %d epochs: hidden units after training, mean [95%% CI] over the seeds that did not diverge", c.Dataset.Title(), c.Depth, c.Width, c.Optimizer, c.Epochs),
		Columns: []string{"variant", "bias", "lr", "dead", "stuck", "would-be dead", "zero dL/dz entries", "test accuracy", "diverged"},
		Note: "Dead: output exactly 0 on every training example. Stuck: the same output on every training example (a dead ReLU unit is stuck at 0; an ELU unit can be stuck at -1). Would-be dead: pre-activation <= 0 on every training example (dead had the unit been a ReLU). " +
			"Zero dL/dz entries: in the last epoch's training steps. Every column but the last is over the runs that did not diverge (n/a: all diverged); diverged: runs whose loss went above 10 ln 10 or was not finite. " + seedsNote(c)}
	for _, v := range variants {
		for _, b := range c.Biases {
			for _, lr := range c.LRs {
				s := stats[trainKey{v, lr, b}]
				t.Rows = append(t.Rows, []string{v, kit.Ftoa(b), fmtLR(lr), kit.FmtEstimate(s.dead, 3), kit.FmtEstimate(s.stuck, 3), kit.FmtEstimate(s.wouldBe, 3),
					kit.FmtEstimate(s.zeroGrad, 3), kit.FmtEstimate(s.acc, 3), fmt.Sprintf("%d/%d", s.diverged, s.runs)})
			}
		}
	}
	return t
}

// rateChoiceTable shows how C8's baseline rate lo was chosen: ReLU's mean
// validation and test accuracy at each rate of the reference bias, the
// rates at or above top (where most runs may diverge) marked as not
// eligible.
func rateChoiceTable(c *Config, e dieEvidence, stats map[trainKey]settingStats) result.Table {
	t := result.Table{Name: "rate-choice",
		Title:   fmt.Sprintf("How C8's baseline rate (lo) was chosen: relu at bias %g, mean accuracy on %d validation images held out of the %s training set, [95%% CI] over the runs that did not diverge; * the baseline rate chosen (lo), hi the rate C8 reads, r the rate of its supporting verdict on a net that still works", e.bias, c.Validation, c.Dataset.Title()),
		Columns: []string{"lr", "runs", "diverged", "validation accuracy", "test accuracy", "eligible for lo"},
		Note: fmt.Sprintf("lo is the rate below top (the highest at which at most half of relu's runs diverged, lr %s) with the best mean validation accuracy; the test accuracy there is the control C8 reports. hi, the rate C8 reads, is the highest above lo at which at most %.0f%% of the runs diverged and the lower end of the validation accuracy's 95%% CI is at least %.1f. "+
			"r is the highest rate above lo at which at most %.0f%% of the runs diverged and the mean validation accuracy is within %.0f points of lo's (it may be hi). "+
			"The validation images are the last of the training set, the training examples its first %d.", fmtLR(e.top), 100*cleanDivergedShare, controlMinAcc, 100*cleanDivergedShare, 100*nearBestAcc, c.TrainExamples)}
	r := math.NaN()
	if w := workingRate(e); w != nil {
		r = w.lr
	}
	for _, lr := range slices.Sorted(slices.Values(c.LRs)) {
		s := stats[trainKey{"relu", lr, e.bias}]
		mark := fmtLR(lr)
		switch lr {
		case e.lo:
			mark += " * (lo)"
		case e.hi:
			mark += " (hi)"
		}
		if lr == r {
			mark += " (r)"
		}
		eligible := "yes"
		if !(lr < e.top) {
			eligible = "no (not below top)"
		}
		t.Rows = append(t.Rows, []string{mark, kit.Itoa(s.runs), kit.Itoa(s.diverged), kit.FmtEstimate(s.val, 3), kit.FmtEstimate(s.acc, 3), eligible})
	}
	t.Note += valTestGapNote(c, e, stats)
	return t
}

// valTestGapNote says, when validation accuracy at lo lies above the test
// accuracy by more than valTestGap, which images the two read, what the
// gap touches (hi's gate reads the level of validation accuracy) and what
// it does not (the choice of lo reads the ranking of the rates: the best
// rate on test accuracy is given beside it). Empty for a small gap.
func valTestGapNote(c *Config, e dieEvidence, stats map[trainKey]settingStats) string {
	lo := stats[trainKey{"relu", e.lo, e.bias}]
	gap := lo.val.Mean - lo.acc.Mean
	if !(gap > valTestGap) {
		return ""
	}
	best, bestAcc := math.NaN(), math.Inf(-1)
	for _, lr := range slices.Sorted(slices.Values(c.LRs)) {
		if s := stats[trainKey{"relu", lr, e.bias}]; lr < e.top && s.acc.Mean > bestAcc {
			best, bestAcc = lr, s.acc.Mean
		}
	}
	note := fmt.Sprintf(" Validation accuracy at lo lies %.1f points above test accuracy. The two read different blocks of the %s files, the last %d images of the training file and the first %d of the test file, and the files are not shuffled, so blocks can differ in difficulty; the cause of this gap was not tested here.",
		100*gap, c.Dataset.Title(), c.Validation, c.TestExamples)
	note += fmt.Sprintf(" The choice of lo reads only how the rates rank: the best mean test accuracy among the eligible rates is at lr %s (%.3f), against lo = %s (%.3f there).", fmtLR(best), bestAcc, fmtLR(e.lo), lo.acc.Mean)
	if hi, ok := stats[trainKey{"relu", e.hi, e.bias}]; ok && hi.acc.N >= 2 {
		note += fmt.Sprintf(" hi's gate reads the level of validation accuracy, which the gap makes easier to pass than the same gate on test accuracy: at hi, lr %s, the test accuracy's 95%% CI starts at %.3f (the gate: %.1f).", fmtLR(e.hi), hi.acc.Lo, controlMinAcc)
	}
	return note
}

// valTestGap: a validation accuracy this far above the test accuracy at
// lo (2 points, several times either interval's half-width here) is
// explained in the rate-choice table's note.
const valTestGap = 0.02

// sumCounts adds up the unit histories of the finished runs, over all
// layers (layer < 0), layer l only, or (fromLayer) layers l and up.
func sumCounts(runs []dyingResult, wouldBe bool, layer int, fromLayer bool) metrics.DeathCounts {
	var total metrics.DeathCounts
	for _, r := range runs {
		if !finished(r) {
			continue
		}
		hist := r.Dead
		if wouldBe {
			hist = r.WouldBeDead
		}
		for l, h := range hist {
			if layer < 0 || l == layer || (fromLayer && l >= layer) {
				total = total.Add(h)
			}
		}
	}
	return total
}

func recoveryTable(c *Config, variants []string, trains trainRuns) result.Table {
	t := result.Table{Name: "recovery",
		Title:   "Hidden units followed across epochs, summed over learning rates and the seeds that did not diverge: dead / would-be dead",
		Columns: []string{"variant", "bias", "units", "ever dead", "dead at init", "killed in training", "recovered", "dead at end"},
		Note:    "Each cell: dead units / would-be-dead units (pre-activation <= 0 on every training example). Killed: alive after one epoch and dead after a later one. Recovered: dead after one epoch (or at init) and alive after a later one. Counts pool units for reading; the verdicts use seeds as the unit. " + seedsNote(c)}
	for _, v := range variants {
		for _, b := range c.Biases {
			var runs []dyingResult
			for _, lr := range c.LRs {
				runs = append(runs, trains[trainKey{v, lr, b}]...)
			}
			d, w := sumCounts(runs, false, -1, false), sumCounts(runs, true, -1, false)
			pair := func(a, b int) string { return fmt.Sprintf("%d / %d", a, b) }
			t.Rows = append(t.Rows, []string{v, kit.Ftoa(b), kit.Itoa(d.Units), pair(d.EverDead, w.EverDead), pair(d.DeadAtStart, w.DeadAtStart),
				pair(d.Killed, w.Killed), pair(d.Recovered, w.Recovered), pair(d.DeadAtEnd, w.DeadAtEnd)})
		}
	}
	return t
}

// layerGroup is a range of hidden layers [from, to), 0-based.
type layerGroup struct {
	name     string
	from, to int
}

// layerGroups splits the hidden layers into the first, whose inputs are
// the fixed pixels, and the deeper ones, whose inputs move as the layers
// below them train.
func layerGroups(depth int) []layerGroup {
	g := []layerGroup{{"1", 0, 1}}
	switch {
	case depth == 2:
		g = append(g, layerGroup{"2", 1, 2})
	case depth > 2:
		g = append(g, layerGroup{fmt.Sprintf("2-%d", depth), 1, depth})
	}
	return g
}

// escapeOf adds up, over a run's trained epochs and the layers of g, the
// units would-be dead (pre-activation <= 0 on every training example; for
// ReLU, dead) at an epoch's start and those of them that had left the
// state by its end: their ratio is the per-epoch escape rate.
func escapeOf(g layerGroup) func(r dyingResult) (left, before float64) {
	return func(r dyingResult) (left, before float64) {
		for _, ep := range r.Epochs {
			for l := g.from; l < g.to && l < len(ep.WouldBefore); l++ {
				left += float64(ep.WouldLeft[l])
				before += float64(ep.WouldBefore[l])
			}
		}
		return left, before
	}
}

// everRecovered adds up a run's would-be-dead history over the layers of
// g: units that came back, of those ever in the state.
func everRecovered(g layerGroup) func(r dyingResult) (recovered, ever float64) {
	return func(r dyingResult) (recovered, ever float64) {
		for l := g.from; l < g.to && l < len(r.WouldBeDead); l++ {
			recovered += float64(r.WouldBeDead[l].Recovered)
			ever += float64(r.WouldBeDead[l].EverDead)
		}
		return recovered, ever
	}
}

// stableSettings lists a variant's (learning rate, bias) settings where at
// most half its runs diverged.
func stableSettings(c *Config, variant string, trains trainRuns) []trainKey {
	var keys []trainKey
	for _, k := range allSettings(c, variant) {
		if !summarizeSetting(trains[k]).mostlyDiverged() {
			keys = append(keys, k)
		}
	}
	return keys
}

// withVariant is keys with their variant set to v.
func withVariant(keys []trainKey, v string) []trainKey {
	out := make([]trainKey, len(keys))
	for i, k := range keys {
		out[i] = trainKey{v, k.lr, k.bias}
	}
	return out
}

// fmtSettings is "lr 0.01 and 0.1 at bias 0; lr 0.3 at bias -0.5".
func fmtSettings(c *Config, keys []trainKey) string {
	var parts []string
	for _, b := range c.Biases {
		var lrs []string
		for _, k := range keys {
			if k.bias == b {
				lrs = append(lrs, fmtLR(k.lr))
			}
		}
		if len(lrs) > 0 {
			parts = append(parts, fmt.Sprintf("lr %s at bias %g", joinAnd(lrs), b))
		}
	}
	return strings.Join(parts, "; ")
}

// layerRecovery is one variant's would-be-dead units in one layer group,
// over the settings keysOf gives it: how many entered the state and came
// back (pooled), and how fast they left it.
type layerRecovery struct {
	variant      string
	group        layerGroup
	settings     int
	recovered    int
	ever         int
	left, before int
	perSeed      metrics.Estimate // per-epoch escape rate, one value per seed
}

func layerRecoveryOf(c *Config, variants []string, trains trainRuns, keysOf func(variant string) []trainKey) []layerRecovery {
	var out []layerRecovery
	for _, v := range variants {
		keys := keysOf(v)
		for _, g := range layerGroups(c.Depth) {
			lr := layerRecovery{variant: v, group: g, settings: len(keys)}
			for _, k := range keys {
				for _, r := range trains[k] {
					if finished(r) {
						a, b := everRecovered(g)(r)
						l, n := escapeOf(g)(r)
						lr.recovered, lr.ever, lr.left, lr.before = lr.recovered+int(a), lr.ever+int(b), lr.left+int(l), lr.before+int(n)
					}
				}
			}
			lr.perSeed = metrics.MeanCI(pooledRatio(c, trains, keys, escapeOf(g))).Clamp(0, 1)
			out = append(out, lr)
		}
	}
	return out
}

// layerRecoveryTable: per variant and layer group, the units that entered
// the would-be-dead state, the share that came back, and how fast: the
// share of the units in the state at an epoch's start that had left it by
// the epoch's end.
func layerRecoveryTable(rows []layerRecovery, seedsNote string) result.Table {
	t := result.Table{Name: "recovery-by-layer",
		Title:   "Would-be-dead units (pre-activation <= 0 on every training example; for ReLU the dead ones) by layer: how many came back, and how fast",
		Columns: []string{"variant", "layers", "settings", "ever in the state", "came back", "unit-epochs in the state", "left per epoch (pooled)", "left per epoch, mean over seeds [95% CI]"},
		Note: "Over the (learning rate, bias) settings where the variant did not diverge in most runs, finished runs only, including settings where the nets did not train (the verdicts leave those out, so their shares differ). Came back: in the state after an epoch (or at init) and out of it after a later one. " +
			"Left per epoch: of the units in the state at the start of an epoch, the share out of it at its end (a unit that stays has an expected stay of about 1/rate epochs). " +
			"Layer 1's inputs are the fixed pixels: under plain SGD a dead ReLU unit there has no way back. " + seedsNote}
	for _, r := range rows {
		pooled := "n/a"
		if r.before > 0 {
			pooled = kit.FmtFloat(float64(r.left)/float64(r.before), 3)
		}
		share := kit.Itoa(r.recovered)
		if r.ever > 0 {
			share = fmt.Sprintf("%d (%.1f%%)", r.recovered, 100*float64(r.recovered)/float64(r.ever))
		}
		t.Rows = append(t.Rows, []string{r.variant, r.group.name, kit.Itoa(r.settings), kit.Itoa(r.ever), share, kit.Itoa(r.before), pooled, kit.FmtEstimate(r.perSeed, 3)})
	}
	return t
}

// reviveDiffFigure draws what C8's recovery verdict (outcome o) decides
// on: per fix, per layer group, the share of the fix's units that came
// back minus ReLU's, within each setting and averaged per seed, with its
// 95% CI against the margin the fix must clear; one panel per reading
// (reviveCauses), the deciding one first, each on its own scale. A group
// the verdict does not compare (too few seeds, no setting left, or most of
// the fix's runs diverged) is not drawn.
func reviveDiffFigure(e reviveEvidence, o result.Outcome) result.Figure {
	fig := result.Figure{Name: "revive-differences", Title: fmt.Sprintf("C8, do the fixes' units come back more often than ReLU's units: %s", o), Columns: 1}
	var panels []result.Panel
	byPanel := map[string]int{}
	for _, f := range e.fixes {
		key := f.cause
		i, ok := byPanel[key]
		if !ok {
			title := "decides the verdict"
			if f.shownOnly {
				title = "shown, decides nothing"
			}
			if f.cause != "" {
				title += ": " + f.cause
			}
			i, byPanel[key] = len(panels), len(panels)
			panels = append(panels, result.Panel{Kind: result.BarPanel, Title: title, XLabel: "fix, and the outcome of its reading", YLabel: "fix minus ReLU, share that came back",
				Bars: &result.Bars{Dots: true, Missing: "n/a",
					Refs: []result.RefLine{{Label: fmt.Sprintf("margin +%.2f", reviveMargin), Y: reviveMargin}}}})
		}
		bars := panels[i].Bars
		fo, undecidable := f.outcome()
		bars.Categories = append(bars.Categories, fmt.Sprintf("%s\n%s", f.name, fo))
		for j, l := range f.layers {
			if j == len(bars.Groups) {
				bars.Groups = append(bars.Groups, result.BarGroup{Label: "layer " + l.group})
			}
			g := &bars.Groups[j]
			m, lo, hi := math.NaN(), math.NaN(), math.NaN()
			if undecidable == "" && l.decides() {
				m, lo, hi = l.diff.Diff.Mean, l.diff.Diff.Lo, l.diff.Diff.Hi
			}
			g.Values, g.Lo, g.Hi = append(g.Values, m), append(g.Lo, lo), append(g.Hi, hi)
		}
	}
	// Panels are laid out in the order of the fixes' readings; the
	// deciding one comes first there (reviveCauses).
	fig.Panels = panels
	fig.Caption = fmt.Sprintf("Per fix (its label ends with the outcome of its reading), per layer group: the share of the fix's units with pre-activation <= 0 on every training example at some epoch end (or at init) that were above 0 on some example at a later one, minus the same share of ReLU's dead units, within each setting compared (neither arm diverged in most runs; at bias 0 both trained, at a negative bias the fix trained), averaged over the settings per seed with Mantel-Haenszel weights (fix units x ReLU units / their sum, shared by both arms); mean over seeds with 95%% CI, each panel on its own scale. "+
		"A group is drawn only where the verdict compares it (at least %d seeds with units in the state in both arms); n/a: no group compared (most of the fix's runs diverged, or no setting left). "+
		"The first panel decides the verdict: a group holds if its interval lies wholly above the dashed margin, fails if wholly below, and is undecided if it straddles it; every fix and group must hold (the fixes' outcomes combine to the title's). "+
		"The second, at a negative initial bias where most units are born in the state and ReLU's net need not train, decides nothing. "+
		"In layer 1 a ReLU unit cannot come back under plain SGD, so there the difference is the fix's share itself.", minGroupSeeds)
	return fig
}

// reviveFigureRows are the recovery-by-layer figure's rows: how fast the
// units in the negative regime leave it (what the fixes' recovery verdict
// reports beside its rule), and the share of them that ever came back (what
// it decides on).
var reviveFigureRows = []struct {
	label string
	add   func(layerGroup) func(dyingResult) (num, den float64)
}{
	{"share leaving the state per epoch", escapeOf},
	{"share that came back", everRecovered},
}

// layerRecoveryFigure draws each fix against ReLU as the fixes' recovery
// verdict compares them: at the settings reviveSettings keeps for that fix
// (neither diverged in most runs, both trained), per seed over the pairs of
// runs that both finished. Columns: all hidden layers pooled (shown; left
// out with one hidden layer), then each layer group (what the verdict
// decides on).
func layerRecoveryFigure(c *Config, trains trainRuns) result.Figure {
	groups := layerGroups(c.Depth)
	if c.Depth > 1 {
		groups = append([]layerGroup{{"all", 0, c.Depth}}, groups...)
	}
	// One pair of bars per fix and cause (reviveCauses), as the verdict
	// reads them.
	var fixes, cats []string
	var keys [][]trainKey
	var pooled []string
	causes := reviveCauses(c)
	for _, fix := range fixNames(c.Variants) {
		for _, cause := range causes {
			k, skipped, untrained := reviveSettings(c, fix, trains, cause.needReLU, cause.biases)
			cat, gate := fix, fix+" did not train"
			if cause.bias != "" {
				cat = fix + ", " + cause.bias
			}
			if !cause.decides {
				cat += " (shown)"
			}
			if cause.needReLU {
				gate = fix + " or relu did not train"
			}
			fixes, cats, keys = append(fixes, fix), append(cats, cat), append(keys, k)
			what := fmt.Sprintf("%s over %d: %s", cat, len(k), fmtSettings(c, k))
			if len(k) == 0 {
				what = cat + " over none"
			}
			pooled = append(pooled, fmt.Sprintf("%s (left out: %d where most runs of %s or relu diverged, %d where %s)", what, len(skipped), fix, len(untrained), gate))
		}
	}
	fig := result.Figure{Name: "recovery-by-layer", Title: "Units in the negative regime leaving it, fix against ReLU, by initial bias",
		Columns: len(groups)}
	for _, row := range reviveFigureRows {
		for gi, g := range groups {
			bars := &result.Bars{Categories: cats, Missing: "n/a"}
			fixGrp, reluGrp := result.BarGroup{Label: "the fix"}, result.BarGroup{Label: "relu, same settings and seeds (paired)"}
			if gi > 0 {
				// One legend a row, in its first panel: the colours mean
				// the same in every panel (figure audit 25).
				fixGrp.Label, reluGrp.Label = "", ""
			}
			for i, fix := range fixes {
				add := row.add(g)
				// Both bars over the same seeds: those where both arms had
				// a unit in the state (the seeds the verdict's paired
				// difference reads).
				fs, rs := pairedRatio(c, trains, keys[i], fix, "relu", add), pairedRatio(c, trains, keys[i], "relu", fix, add)
				for s := range fs {
					if math.IsNaN(fs[s]) || math.IsNaN(rs[s]) {
						fs[s], rs[s] = math.NaN(), math.NaN()
					}
				}
				f := metrics.MeanCI(fs).Clamp(0, 1)
				r := metrics.MeanCI(rs).Clamp(0, 1)
				if f.N < minGroupSeeds {
					// Fewer seeds than the verdict reads: no interval, no bar.
					f.Mean, f.Lo, f.Hi = math.NaN(), math.NaN(), math.NaN()
					r.Mean, r.Lo, r.Hi = math.NaN(), math.NaN(), math.NaN()
				}
				fixGrp.Values, fixGrp.Lo, fixGrp.Hi = append(fixGrp.Values, f.Mean), append(fixGrp.Lo, f.Lo), append(fixGrp.Hi, f.Hi)
				reluGrp.Values, reluGrp.Lo, reluGrp.Hi = append(reluGrp.Values, r.Mean), append(reluGrp.Lo, r.Lo), append(reluGrp.Hi, r.Hi)
			}
			bars.Groups = []result.BarGroup{fixGrp, reluGrp}
			title := "layer " + g.name
			if g.name == "all" {
				title = "all hidden layers (pooled, not decided on)"
			}
			fig.Panels = append(fig.Panels, result.Panel{Kind: result.BarPanel, Title: title, XLabel: "fix", YLabel: row.label, YMin: 0, YMax: 1, Bars: bars})
		}
	}
	over := "No fix (leaky, prelu, elu) was run, so no bar is drawn."
	if len(fixes) > 0 {
		over = fmt.Sprintf("Each fix is paired with ReLU at the settings C8's recovery verdict compares them on, apart by initial bias: where neither diverged in most runs and the fix reached test accuracy %.1f, the 95%% CI's lower end included, and at a non-negative bias (units that fell into the state in training) ReLU too; at a negative bias, where most units start in the state, ReLU need not train; so each pair of bars pools: %s. ", controlMinAcc, strings.Join(pooled, "; ")) +
			"Settings left out are not drawn; the recovery-by-layer table pools each variant over its own settings, those included."
	}
	fig.Caption = fmt.Sprintf("Units with pre-activation <= 0 on every training example (for ReLU: dead), per seed over the pairs of runs (fix and ReLU, same seed and setting) that both finished, pooled over the settings; mean over the seeds where both arms had a unit in the state, with 95%% CI. These are levels pooled over settings: the verdict instead compares the arms within each setting and averages the differences (pooled, an arm whose units mass at a rate where few come back can look worse though it does better at every rate), decides on the bias-0 pairs only, and shows the negative-bias ones beside. "+
		"A bar drawn as a thin line on the axis is a measured zero (a ReLU unit in layer 1 cannot come back). Top row: of the units in that state at an epoch's start, the share out of it at the epoch's end. Bottom row: of the units ever in it (at init or an epoch's end), the share out of it at a later epoch's end; C8's recovery verdict decides on it per layer group (the columns after the first), not pooled. A pair marked n/a: no setting left (most runs diverged, or a net that had to train did not; the caption's list below says which), or fewer than %d seeds had units in the state in both arms there (the bars are paired, and the verdict needs %d). Bars marked (shown), at a negative bias, decide nothing. "+
		"%s In layer 1 (fixed pixel inputs) a dead ReLU unit gets no gradient and cannot leave under plain SGD; a leaky, PReLU or ELU unit still gets a gradient scaled by its negative-side slope.", minGroupSeeds, minGroupSeeds, over)
	return fig
}

func trainingRecords(c *Config, variants []string, trains trainRuns) result.Table {
	t := result.Table{Name: "training", Columns: []string{"variant", "lr", "bias", "seed", "epoch", "layer", "dead", "stuck", "would_be_dead",
		"zero_preact", "zero_preact_count", "zero_grad", "no_grad_units", "dead_before", "dead_before_no_grad", "steps", "dead_zero_steps", "alive_zero_steps",
		"zero_entries", "dead_zero_entries", "entries", "would_before", "would_left", "dead_left", "train_loss", "test_acc", "val_acc", "diverged", "diverged_step"}}
	at := func(xs []float64, l int) string {
		if l < len(xs) {
			return kit.Ftoa(xs[l])
		}
		return ""
	}
	atInt := func(xs []int, l int) string {
		if l < len(xs) {
			return kit.Itoa(xs[l])
		}
		return ""
	}
	for _, v := range variants {
		for _, b := range c.Biases {
			for _, lr := range c.LRs {
				for seed, r := range trains[trainKey{v, lr, b}] {
					if r.Train == nil {
						continue
					}
					for i, e := range r.Epochs {
						ep := r.Train.Epochs[i]
						steps, val := "", ""
						if e.Epoch > 0 {
							steps = kit.Itoa(e.Steps)
						}
						// Validation images are read once, after the
						// last epoch.
						if i == len(r.Epochs)-1 && r.ValAcc != nil {
							val = kit.Ftoa(*r.ValAcc)
						}
						for l := range e.Dead {
							t.Rows = append(t.Rows, []string{v, fmtLR(lr), kit.Ftoa(b), kit.Itoa(seed), kit.Itoa(e.Epoch), kit.Itoa(l + 1), kit.Ftoa(e.Dead[l]), kit.Ftoa(e.Stuck[l]), kit.Ftoa(e.WouldBeDead[l]),
								at(e.ZeroPreact, l), atInt(e.ZeroPreactCount, l), at(e.ZeroGrad, l), at(e.NoGradUnits, l), atInt(e.DeadBefore, l), atInt(e.DeadBeforeNoGrad, l),
								steps, atInt(e.DeadZeroSteps, l), atInt(e.AliveZeroSteps, l), atInt(e.ZeroEntries, l), atInt(e.DeadZeroEntries, l), atInt(e.Entries, l),
								atInt(e.WouldBefore, l), atInt(e.WouldLeft, l), atInt(e.DeadLeft, l),
								kit.Ftoa(ep.TrainLoss), kit.Ftoa(ep.TestAcc), val, fmt.Sprint(r.Train.Diverged), kit.Itoa(r.Train.DivergedStep)})
						}
					}
				}
			}
		}
	}
	return t
}

func recoveryRecords(c *Config, variants []string, trains trainRuns) result.Table {
	t := result.Table{Name: "recovery", Columns: []string{"variant", "lr", "bias", "seed", "layer", "units",
		"ever_dead", "dead_at_init", "killed", "recovered", "dead_at_end",
		"would_ever", "would_at_init", "would_killed", "would_recovered", "would_at_end", "diverged"}}
	for _, v := range variants {
		for _, b := range c.Biases {
			for _, lr := range c.LRs {
				for seed, r := range trains[trainKey{v, lr, b}] {
					if r.Train == nil {
						continue
					}
					for l := range r.Dead {
						d, w := r.Dead[l], r.WouldBeDead[l]
						t.Rows = append(t.Rows, []string{v, fmtLR(lr), kit.Ftoa(b), kit.Itoa(seed), kit.Itoa(l + 1), kit.Itoa(d.Units),
							kit.Itoa(d.EverDead), kit.Itoa(d.DeadAtStart), kit.Itoa(d.Killed), kit.Itoa(d.Recovered), kit.Itoa(d.DeadAtEnd),
							kit.Itoa(w.EverDead), kit.Itoa(w.DeadAtStart), kit.Itoa(w.Killed), kit.Itoa(w.Recovered), kit.Itoa(w.DeadAtEnd), fmt.Sprint(r.Train.Diverged)})
					}
				}
			}
		}
	}
	return t
}

// Killed in training: figures.

// figureVariants are the variants drawn: relu-d<v> is left out, as it
// lies close to relu (claim C1; the dead-vs-lr caption says how close) and
// would hide it.
func figureVariants(variants []string) []string {
	var out []string
	for _, v := range variants {
		if !strings.HasPrefix(v, "relu-d") {
			out = append(out, v)
		}
	}
	return out
}

// dodgeDecades spreads the variants' points sideways on the log
// learning-rate axis (in decades, between neighbours), so that equal
// values (the fixes' zero stuck fractions) do not hide one another. It
// stays well under the closest rates' spacing (lr 0.9 and 1, 0.046
// decades): at 0.03 a review read relu's point at lr 1 as lr 0.9's.
const dodgeDecades = 0.01

// lrRow is one line row of the dead-vs-lr figure: its label and what it
// draws of a setting.
type lrRow struct {
	label string
	get   func(settingStats) metrics.Estimate
}

// deadVsLRFigure draws every arm's stats; a relu-d<v> twin is not drawn
// but set beside relu in the caption on the seeds both ran (twinNote).
func deadVsLRFigure(c *Config, variants []string, stats map[trainKey]settingStats, trains trainRuns) result.Figure {
	fig := result.Figure{Name: "dead-vs-lr", Title: fmt.Sprintf("Hidden units after %d epochs of SGD on %s, by learning rate", c.Epochs, c.Dataset.Title()),
		Caption: "Rows 1-3: mean over the runs that did not diverge, with 95% CI band (clamped to [0, 1]); a setting where more than half the runs diverged has no point but a cross below the axis's zero in its variant's colour (one row of marks per variant), and a star marks a point from which some diverged runs are missing (the glyphs the exploding figures use for the same two things). " +
			"The variants' points are spread slightly sideways so that equal values stay visible. " +
			"Row 1: units with the same output on every training example (for ReLU exactly the dead units, output 0; an ELU unit can be stuck at -1; a leaky or PReLU unit with a non-zero slope cannot be unless its inputs are, so its row-1 values are near 0 by construction and row 2 is the one the variants are compared on). Row 2: units whose pre-activation is <= 0 on every training example. Row 3: test accuracy. " +
			fmt.Sprintf("Row 4: share of runs that diverged (loss above 10 ln 10 or not finite), with its 95%% Wilson interval where some but not all runs diverged (where none of %s did, it reaches %s, and where all did, down to %s). ", bySeeds(c, kit.Itoa), bySeeds(c, func(n int) string { return kit.FmtFloat(metrics.ProportionCI(0, n).Hi, 2) }), bySeeds(c, func(n int) string { return kit.FmtFloat(metrics.ProportionCI(n, n).Lo, 2) })) +
			seedsNote(c) +
			"Columns: initial bias of every hidden unit.",
		Columns: len(c.Biases)}
	rows := []lrRow{
		{"dead or stuck fraction", func(s settingStats) metrics.Estimate { return s.stuck }},
		{"would-be-dead fraction", func(s settingStats) metrics.Estimate { return s.wouldBe }},
		{"test accuracy", func(s settingStats) metrics.Estimate { return s.acc }},
	}
	drawn := figureVariants(variants)
	lrs := slices.Sorted(slices.Values(c.LRs))
	for _, v := range variants {
		if strings.HasPrefix(v, "relu-d") {
			fig.Caption += " " + twinNote(c, v, settingStatsOf(trains.head(c.pairedSeeds("relu", v))), rows)
		}
	}
	for _, row := range rows {
		for _, b := range c.Biases {
			pn := result.Panel{Kind: result.LinePanel, Title: fmt.Sprintf("bias %g", b), XLabel: "learning rate", YLabel: row.label, LogX: true, YMin: 0, YMax: 1}
			var feet []result.Marker
			footRow := 0 // one row of foot marks per variant that has any
			for vi, v := range drawn {
				hasFoot := false
				ln := result.Line{Label: v, Points: true, Style: vi}
				shift := math.Pow(10, dodgeDecades*(float64(vi)-float64(len(drawn)-1)/2))
				for _, lr := range lrs {
					s := stats[trainKey{v, lr, b}]
					e := row.get(s)
					x := lr * shift
					if s.mostlyDiverged() {
						e = metrics.Estimate{Mean: math.NaN(), Lo: math.NaN(), Hi: math.NaN()}
						feet = append(feet, result.Marker{Label: "most runs diverged", X: x, Y: kit.FootY - kit.FootStep*float64(footRow), Style: vi, Shape: result.ShapeCross})
						hasFoot = true
					}
					ln.X, ln.Y, ln.Lo, ln.Hi = append(ln.X, x), append(ln.Y, e.Mean), append(ln.Lo, e.Lo), append(ln.Hi, e.Hi)
					if s.diverged > 0 && !math.IsNaN(e.Mean) {
						pn.Markers = append(pn.Markers, result.Marker{Label: "some runs diverged", X: x, Y: e.Mean, Style: vi, Shape: result.ShapeStar})
					}
				}
				if hasFoot {
					footRow++
				}
				pn.Lines = append(pn.Lines, ln)
			}
			pn.Markers = append(pn.Markers, feet...)
			kit.FootPanel(&pn)
			fig.Panels = append(fig.Panels, pn)
		}
	}
	// Row 4 shares row 1-3's log axis and sideways spread, so that a
	// setting sits at the same place in every row.
	for _, b := range c.Biases {
		pn := result.Panel{Kind: result.LinePanel, Title: fmt.Sprintf("bias %g", b), XLabel: "learning rate", YLabel: "share of runs diverged", LogX: true, YMin: 0, YMax: 1}
		for vi, v := range drawn {
			ln := result.Line{Label: v, Points: true, Style: vi}
			shift := math.Pow(10, dodgeDecades*(float64(vi)-float64(len(drawn)-1)/2))
			for _, lr := range lrs {
				s := stats[trainKey{v, lr, b}]
				e := metrics.ProportionCI(s.diverged, s.runs)
				if s.diverged == 0 || s.diverged == s.runs {
					// None or all: the caption gives the interval, which
					// drawn for every variant at every rate would bury
					// the rest.
					e.Lo, e.Hi = math.NaN(), math.NaN()
				}
				ln.X, ln.Y, ln.Lo, ln.Hi = append(ln.X, lr*shift), append(ln.Y, e.Mean), append(ln.Lo, e.Lo), append(ln.Hi, e.Hi)
			}
			pn.Lines = append(pn.Lines, ln)
		}
		fig.Panels = append(fig.Panels, pn)
	}
	return fig
}

// twinNote says how close the variant twin (relu-d<v>, not drawn) comes
// to relu in the figure's rows: the largest gap between their means over
// the settings where neither diverged in most runs, and where it is.
func twinNote(c *Config, twin string, stats map[trainKey]settingStats, rows []lrRow) string {
	gap, where, compared := -1.0, "", 0
	for _, b := range c.Biases {
		for _, lr := range c.LRs {
			r, t := stats[trainKey{"relu", lr, b}], stats[trainKey{twin, lr, b}]
			if r.runs == 0 || t.runs == 0 || r.mostlyDiverged() || t.mostlyDiverged() {
				continue
			}
			compared++
			for _, row := range rows {
				x, y := row.get(r).Mean, row.get(t).Mean
				if d := math.Abs(x - y); d > gap {
					gap, where = d, fmt.Sprintf("%s at lr %s, bias %g: relu %.3f, %s %.3f", row.label, fmtLR(lr), b, x, twin, y)
				}
			}
		}
	}
	if compared == 0 || gap < 0 {
		return fmt.Sprintf("%s is not drawn; no setting has most runs of both it and relu finished.", twin)
	}
	if gap == 0 {
		return fmt.Sprintf("%s is not drawn: on the %d seeds both ran, its means equal relu's in rows 1-3 at each of the %d settings where neither diverged in most runs.", twin, c.pairedSeeds("relu", twin), compared)
	}
	return fmt.Sprintf("%s is not drawn: on the %d seeds both ran, its means in rows 1-3 are within %.1f points of relu's at each of the %d settings where neither diverged in most runs (the largest gap: %s).", twin, c.pairedSeeds("relu", twin), 100*gap, compared, where)
}

// dodgeEpochs spreads the learning rates' points sideways (in epochs,
// between neighbours) so that equal values do not hide one another.
const dodgeEpochs = 0.04

// epochSpread is how many learning rates, evenly spaced in the run's
// sorted list, the dead-over-epochs figure draws besides the two C8 reads:
// with those two, at most 7 lines, within the plots package's 8 styles, so
// that no two lines share a colour and marker.
const epochSpread = 5

// epochRates picks the learning rates the dead-over-epochs figure draws,
// in increasing order: lo and hi (skipped if NaN or not run) and
// epochSpread rates spread evenly over the sorted rates, the smallest and
// largest among them.
// nearBestLR is the rate of C8's stricter reading (nearBestCheck), NaN if
// none.
func nearBestLR(e dieEvidence) float64 {
	if c := nearBestCheck(e); c != nil {
		return c.lr
	}
	return math.NaN()
}

func epochRates(lrs []float64, lo, hi float64, extra ...float64) []float64 {
	sorted := slices.Sorted(slices.Values(lrs))
	sorted = slices.Compact(sorted)
	var out []float64
	if n := len(sorted); n <= epochSpread {
		out = append(out, sorted...)
	} else {
		for i := range epochSpread {
			out = append(out, sorted[int(math.Round(float64(i*(n-1))/float64(epochSpread-1)))])
		}
	}
	for _, lr := range append([]float64{lo, hi}, extra...) {
		if slices.Contains(sorted, lr) {
			out = append(out, lr)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// deadOverEpochsFigure follows ReLU's dead fraction per layer, and the
// zero-gradient fraction, epoch by epoch, over the runs that did not
// diverge, at the rates epochRates picks: lo and hi are the rates C8's main
// verdict reads at bias bias (ReLU's best-accuracy rate and the high rate).
func deadOverEpochsFigure(c *Config, trains trainRuns, lo, hi, near, bias float64) result.Figure {
	lrs := epochRates(c.LRs, lo, hi, near)
	var named []string
	if slices.Contains(lrs, lo) {
		named = append(named, fmt.Sprintf("lr %s is ReLU's best-accuracy rate", fmtLR(lo)))
	}
	if slices.Contains(lrs, hi) && hi != lo {
		named = append(named, fmt.Sprintf("lr %s the high rate", fmtLR(hi)))
	}
	if slices.Contains(lrs, near) {
		named = append(named, fmt.Sprintf("lr %s the highest within %.0f points of the best accuracy (the stricter reading)", fmtLR(near), 100*nearBestAcc))
	}
	which := fmt.Sprintf("Learning rates drawn: %s", joinAnd(fmtLRs(lrs)))
	if len(lrs) < len(slices.Compact(slices.Sorted(slices.Values(c.LRs)))) {
		which += fmt.Sprintf(", %d of the %d run, so that every line has its own colour and marker", len(lrs), len(c.LRs))
		if len(named) > 0 {
			which += fmt.Sprintf(": the rates C8's main verdict reads (bias %g), %s; the others spread evenly over the rates run; the killed-by-lr table has every rate", bias, joinAnd(named))
		} else {
			which += ": spread evenly over the rates run; the killed-by-lr table has every rate"
		}
	}
	// A bias column where no drawn rate trains is said to be one.
	for _, b := range c.Biases {
		best := math.Inf(-1)
		for _, lr := range lrs {
			if st := summarizeSetting(trains[trainKey{"relu", lr, b}]); st.acc.N > 0 {
				best = math.Max(best, st.acc.Mean)
			}
		}
		if best < controlMinAcc {
			which += fmt.Sprintf(". At bias %g no rate drawn reached mean test accuracy %.1f (best %.2f): those nets did not train, and their dead units are those of nets that never learned", b, controlMinAcc, best)
		}
	}
	fig := result.Figure{Name: "dead-over-epochs", Title: "ReLU: dead units per layer and zero gradients, epoch by epoch",
		Caption: which + ". Mean over the runs that did not diverge, with 95% CI band clamped to [0, 1]; a learning rate where more than half the runs diverged has no line and is marked by a cross in its style below the axis's zero at the last epoch; a rate where fewer diverged says how many in its legend entry. The learning rates' points are spread slightly sideways so that equal values stay visible. Epoch 0 is initialisation. Last row: fraction of entries of dL/dz exactly zero in the epoch's training steps, all hidden layers. Columns: initial bias.",
		Columns: len(c.Biases)}
	epochLine := func(label string, style int, runs []dyingResult, get func(dyingEpoch) (float64, bool)) result.Line {
		ln := result.Line{Label: label, Points: true, Style: style}
		for e := 0; e <= c.Epochs; e++ {
			var xs []float64
			for _, r := range runs {
				if finished(r) && e < len(r.Epochs) {
					if v, ok := get(r.Epochs[e]); ok {
						xs = append(xs, v)
					}
				}
			}
			if len(xs) == 0 {
				continue
			}
			est := metrics.MeanCI(xs).Clamp(0, 1)
			x := float64(e) + dodgeEpochs*(float64(style)-float64(len(lrs)-1)/2)
			ln.X, ln.Y, ln.Lo, ln.Hi = append(ln.X, x), append(ln.Y, est.Mean), append(ln.Lo, est.Lo), append(ln.Hi, est.Hi)
		}
		return ln
	}
	for l := 0; l <= c.Depth; l++ {
		for _, b := range c.Biases {
			label := fmt.Sprintf("dead, layer %d", l+1)
			if l == c.Depth {
				label = "zero dL/dz entries"
			}
			pn := result.Panel{Kind: result.LinePanel, Title: fmt.Sprintf("bias %g", b), XLabel: "epoch", YLabel: label, YMin: 0, YMax: 1}
			stacked := 0
			for i, lr := range lrs {
				runs := trains[trainKey{"relu", lr, b}]
				st := summarizeSetting(runs)
				if st.mostlyDiverged() {
					// No line: a cross in the rate's style at the last
					// epoch's foot, stacked when several rates share it.
					pn.Markers = append(pn.Markers, result.Marker{Label: fmt.Sprintf("lr %s: %d of %d runs diverged, no line", fmtLR(lr), st.diverged, st.runs),
						X: float64(c.Epochs), Y: kit.FootY - kit.FootStep*float64(stacked), Style: i})
					stacked++
					continue
				}
				get := func(e dyingEpoch) (float64, bool) { return e.Dead[l], true }
				if l == c.Depth {
					get = func(e dyingEpoch) (float64, bool) { return kit.Mean(e.ZeroGrad), len(e.ZeroGrad) > 0 }
				}
				label := "lr " + fmtLR(lr)
				if st.diverged > 0 {
					label += fmt.Sprintf(" (%d of %d runs diverged, left out)", st.diverged, st.runs)
				}
				pn.Lines = append(pn.Lines, epochLine(label, i, runs, get))
			}
			kit.FootPanel(&pn)
			fig.Panels = append(fig.Panels, pn)
		}
	}
	return fig
}

// fmtLRs formats each learning rate.
func fmtLRs(lrs []float64) []string {
	out := make([]string, len(lrs))
	for i, lr := range lrs {
		out[i] = fmtLR(lr)
	}
	return out
}

// Verdict evidence: the statistics each rule in verdicts.go reads.

// setupOf names the nets and their training, for the caveats.
func setupOf(c *Config) string {
	return fmt.Sprintf("%d-layer, %d-unit MLPs on the first %d %s images, %d epochs of %s (batch %d)", c.Depth, c.Width, c.TrainExamples, c.Dataset.Title(), c.Epochs, c.Optimizer, c.Batch)
}

// referenceBias is the bias the main C8 rule reads: 0 if measured, else
// the one closest to 0.
func referenceBias(c *Config) float64 {
	best := c.Biases[0]
	for _, b := range c.Biases {
		if math.Abs(b) < math.Abs(best) {
			best = b
		}
	}
	return best
}

// fixNames are the fixes the blog names, in the order run.
func fixNames(variants []string) []string {
	var out []string
	for _, v := range variants {
		if v == "leaky" || v == "prelu" || v == "elu" {
			out = append(out, v)
		}
	}
	return out
}

func deadOf(s runStats) float64  { return s.dead }
func wouldOf(s runStats) float64 { return s.wouldBe }
func accOf(s runStats) float64   { return s.acc }

// dieEvidenceOf picks top (the highest learning rate at which at most
// half the ReLU runs diverged, at the reference bias), lo (ReLU's rate
// below top with the best mean validation accuracy, or test accuracy
// without validation images) and hi (pickHigh: the highest rate above
// lo up to top at which ReLU still trains, chosen without looking at dead
// fractions), and pairs the seeds. For each fix it also finds the highest
// rate at which both it and ReLU train and each arm's own highest
// trainable rate (see fixRule and ownRatesWhy).
func dieEvidenceOf(c *Config, variants []string, stats map[trainKey]settingStats, trains trainRuns) dieEvidence {
	nan := math.NaN()
	e := dieEvidence{setup: setupOf(c), bias: referenceBias(c), lo: nan, top: nan, hi: nan, reluOwnLR: nan}
	lrs := slices.Sorted(slices.Values(c.LRs))
	for _, lr := range lrs {
		if s := stats[trainKey{"relu", lr, e.bias}]; s.runs > 0 && !s.mostlyDiverged() {
			e.top = lr
		}
	}
	e.loOnVal = c.Validation > 0
	bestAcc := math.Inf(-1)
	for _, lr := range lrs {
		s := stats[trainKey{"relu", lr, e.bias}]
		if a := chosenAcc(e.loOnVal, s.val, s.acc); lr < e.top && a.N > 0 && a.Mean > bestAcc {
			e.lo, bestAcc = lr, a.Mean
		}
	}
	if math.IsNaN(e.lo) || math.IsNaN(e.top) {
		return e
	}
	fixes := fixNames(variants)
	loKey := trainKey{"relu", e.lo, e.bias}
	loDead := perSeed(c, trains, loKey, deadOf)
	armsAt := func(lr float64) rateCheck {
		st := stats[trainKey{"relu", lr, e.bias}]
		rc := rateCheck{lr: lr, relu: st.arm, acc: st.acc, val: st.val, onVal: e.loOnVal}
		for _, name := range fixes {
			rc.fixes = append(rc.fixes, namedArm{name: name, arm: stats[trainKey{name, lr, e.bias}].arm})
		}
		return rc
	}
	e.atLo = armsAt(e.lo)
	for _, lr := range lrs {
		if lr > e.lo && lr <= e.top {
			rc := armsAt(lr)
			rc.killed = metrics.PairedDiff(perSeed(c, trains, trainKey{"relu", lr, e.bias}, deadOf), loDead)
			e.checks = append(e.checks, rc)
		}
	}
	e.hi, e.clean = pickHigh(e.checks, e.top)
	hiKey := trainKey{"relu", e.hi, e.bias}
	reluHigh := perSeed(c, trains, hiKey, deadOf)
	e.killed = metrics.PairedDiff(reluHigh, loDead)
	e.loAcc, e.loVal, e.highDead, e.highAcc, e.reluHigh = stats[loKey].acc, stats[loKey].val, stats[hiKey].dead, stats[hiKey].acc, stats[hiKey].arm
	e.recovered = metrics.OneSample(pooledRatio(c, trains, []trainKey{hiKey}, deeperRecovery))
	e.recoveredClearly = metrics.OneSample(pooledRatio(c, trains, []trainKey{hiKey}, deeperRecoveryClear))
	for l := 0; l < c.Depth; l++ {
		e.hiLayers = append(e.hiLayers, sumCounts(trains[hiKey], false, l, false))
	}
	trainsAt := func(variant string, lr float64) bool {
		st := stats[trainKey{variant, lr, e.bias}]
		return armTrains(st.arm, st.acc)
	}
	e.reluOwnLR = math.NaN()
	for _, lr := range lrs {
		if trainsAt("relu", lr) {
			e.reluOwnLR = lr
		}
	}
	var reluOwn []float64
	if !math.IsNaN(e.reluOwnLR) {
		k := trainKey{"relu", e.reluOwnLR, e.bias}
		e.reluOwnDead, reluOwn = stats[k].dead, perSeed(c, trains, k, deadOf)
	}
	for _, name := range fixes {
		k := trainKey{name, e.hi, e.bias}
		f := fixAtHigh{name: name, runs: stats[k].arm, acc: stats[k].acc,
			diff: metrics.PairedDiff(reluHigh, perSeed(c, trains, k, wouldOf)), sharedLR: nan, ownLR: nan}
		for _, lr := range lrs {
			if !trainsAt(name, lr) {
				continue
			}
			f.ownLR = lr
			if trainsAt("relu", lr) {
				f.sharedLR = lr
			}
		}
		if !math.IsNaN(f.sharedLR) {
			reluDead := perSeed(c, trains, trainKey{"relu", f.sharedLR, e.bias}, deadOf)
			f.shared = metrics.PairedDiff(reluDead, perSeed(c, trains, trainKey{name, f.sharedLR, e.bias}, wouldOf))
			f.sharedKilled = metrics.PairedDiff(reluDead, loDead)
		}
		if !math.IsNaN(f.ownLR) && reluOwn != nil {
			fk := trainKey{name, f.ownLR, e.bias}
			f.ownWould = stats[fk].wouldBe
			f.ownDiff = metrics.PairedDiff(reluOwn, perSeed(c, trains, fk, wouldOf))
		}
		e.fixes = append(e.fixes, f)
	}
	return e
}

// deeperRecovery counts a run's dead units of hidden layers 2 and up that
// were alive after a later epoch, out of those ever dead.
func deeperRecovery(r dyingResult) (recovered, everDead float64) {
	d := sumCounts([]dyingResult{r}, false, 1, true)
	return float64(d.Recovered), float64(d.EverDead)
}

// deeperRecoveryClear is deeperRecovery with the stricter reading of
// coming back: active on at least clearShare of the training examples at
// a later epoch end.
func deeperRecoveryClear(r dyingResult) (recovered, everDead float64) {
	d := sumCounts([]dyingResult{r}, false, 1, true)
	return float64(d.RecoveredClearly), float64(d.EverDead)
}

// recoverEvidenceOf pools, per seed, the deeper layers' unit histories of
// ReLU (f'(0) = 0) over every learning rate and bias.
func recoverEvidenceOf(c *Config, trains trainRuns) recoverEvidence {
	// The control: only settings where ReLU still trains (shownToTrain: the
	// lower end of the accuracy interval at least controlMinAcc); in the others
	// the nets fail whatever their units do.
	var keys []trainKey
	var untrained []string
	for _, k := range allSettings(c, "relu") {
		if st := summarizeSetting(trains[k]); st.acc.N > 0 && !shownToTrain(st.acc) {
			untrained = append(untrained, fmt.Sprintf("lr %s bias %g", fmtLR(k.lr), k.bias))
			continue
		}
		keys = append(keys, k)
	}
	var all []dyingResult
	for _, k := range keys {
		all = append(all, trains[k]...)
	}
	shares := pooledRatio(c, trains, keys, deeperRecovery)
	return recoverEvidence{setup: setupOf(c), share: metrics.OneSample(shares), clearly: metrics.OneSample(pooledRatio(c, trains, keys, deeperRecoveryClear)), first: sumCounts(all, false, 0, false), deeper: sumCounts(all, false, 1, true),
		runs: armOf(trains, keys...), depth: c.Depth, sgd: c.Optimizer == "sgd", settings: len(keys), untrained: untrained}
}

// reviveSettings is the setting filter of the fixes' recovery comparison
// (reviveVerdict): the (learning rate, bias) settings, variant unset,
// where neither fix nor ReLU diverged in most runs and the fix trained
// (mean test accuracy of the finished runs at least controlMinAcc;
// recovery read in a net that fails says nothing). ReLU need not train
// (needReLU false, the reading of units born in the state): a ReLU net
// whose units were born dead fails to train, which is what the fixes are
// said to prevent, not a failed control; with needReLU (the reading of
// units that fell in during training, which decides) ReLU must train too.
// skipped and untrained name the settings left out, with the
// counts or accuracies that left them out.
func reviveSettings(c *Config, fix string, trains trainRuns, needReLU bool, biases []float64) (keys []trainKey, skipped, untrained []string) {
	for _, b := range biases {
		for _, lr := range c.LRs {
			fs, rs := summarizeSetting(trains[trainKey{fix, lr, b}]), summarizeSetting(trains[trainKey{"relu", lr, b}])
			if fs.mostlyDiverged() || rs.mostlyDiverged() {
				skipped = append(skipped, fmt.Sprintf("lr %s bias %g (%s %d/%d, relu %d/%d)", fmtLR(lr), b, fix, fs.diverged, fs.runs, rs.diverged, rs.runs))
				continue
			}
			if (fs.acc.N > 0 && !shownToTrain(fs.acc)) || (needReLU && rs.acc.N > 0 && !shownToTrain(rs.acc)) {
				untrained = append(untrained, fmt.Sprintf("lr %s bias %g (%s %.2f, relu %.2f)", fmtLR(lr), b, fix, fs.acc.Mean, rs.acc.Mean))
				continue
			}
			keys = append(keys, trainKey{lr: lr, bias: b})
		}
	}
	return keys, skipped, untrained
}

// reviveEvidenceOf compares each fix with ReLU at the settings where
// neither diverged in most runs, per seed: the share of would-be-dead
// units (pre-activation <= 0 on every example; for ReLU the dead ones)
// that came back.
//
// wide is the recovery-by-layer table's pooling (every setting where a
// variant did not diverge in most runs, trained or not), shown beside the
// rule.
func reviveEvidenceOf(c *Config, variants []string, trains trainRuns, wide []layerRecovery) reviveEvidence {
	e := reviveEvidence{setup: setupOf(c)}
	for _, r := range wide {
		if r.variant == "relu" || slices.Contains(fixNames(variants), r.variant) {
			e.wide = append(e.wide, wideCame{variant: r.variant, group: r.group.name, came: [2]int{r.recovered, r.ever}})
		}
	}
	for _, name := range fixNames(variants) {
		for _, cause := range reviveCauses(c) {
			f := reviveFixOf(c, name, trains, cause.needReLU, cause.biases)
			f.cause, f.bias, f.shownOnly = cause.label, cause.bias, !cause.decides
			e.fixes = append(e.fixes, f)
		}
	}
	return e
}

// reviveCause is one way units fall into the state, read apart: at the
// non-negative initial biases they fall in during training (units killed
// by the updates, the dying of the claim), and both nets must train; at a
// negative one most start there (born in it, Lu et al.'s kind), and ReLU
// need not train, as its net fails because its units were born dead, which
// is what the fix is said to prevent.
type reviveCause struct {
	// label names the biases and the kind of units ("bias 0, units that
	// fell in during training"), bias the biases alone ("bias 0"); both
	// empty when the biases are not split.
	label, bias string
	biases      []float64
	needReLU    bool
	// decides: the reading of units that fell in during training decides
	// the verdict; that of units born in the state is shown beside it (a
	// net that trains against a ReLU net that did not tilts it towards
	// the fix, review 17d).
	decides bool
}

// reviveCauses splits the configured biases by sign; a single group keeps
// no label.
func reviveCauses(c *Config) []reviveCause {
	var nonneg, neg []float64
	for _, b := range c.Biases {
		if b < 0 {
			neg = append(neg, b)
		} else {
			nonneg = append(nonneg, b)
		}
	}
	label := func(bs []float64) string {
		var ss []string
		for _, b := range bs {
			ss = append(ss, fmt.Sprintf("%g", b))
		}
		return "bias " + strings.Join(ss, ", ")
	}
	var out []reviveCause
	if len(nonneg) > 0 {
		out = append(out, reviveCause{bias: label(nonneg), label: label(nonneg) + ", units that fell in during training", biases: nonneg, needReLU: true, decides: true})
	}
	if len(neg) > 0 {
		out = append(out, reviveCause{bias: label(neg), label: label(neg) + ", units mostly born in it", biases: neg})
	}
	if len(out) == 1 {
		out[0].label, out[0].bias, out[0].decides = "", "", true
	}
	return out
}

// reviveFixOf is fix name against ReLU at the settings of biases that
// reviveSettings keeps (needReLU: only where ReLU trains too).
func reviveFixOf(c *Config, name string, trains trainRuns, needReLU bool, biases []float64) reviveFix {
	keys, skipped, untrained := reviveSettings(c, name, trains, needReLU, biases)
	f := reviveFix{name: name, skipped: skipped, untrained: untrained,
		runs: armOf(trains, withVariant(keys, name)...), reluRuns: armOf(trains.head(c.pairedSeeds(name, "relu")), withVariant(keys, "relu")...)}
	f.settings = len(keys)
	all := layerGroup{"all", 0, c.Depth}
	fast := func(v, other string) []float64 { return pairedRatio(c, trains, keys, v, other, escapeOf(all)) }
	fixFast, reluFast := fast(name, "relu"), fast("relu", name)
	f.fixRate, f.reluRate = metrics.MeanCI(fixFast).Clamp(0, 1), metrics.MeanCI(reluFast).Clamp(0, 1)
	// The readings over all layers compare within each setting and layer
	// group (review 18b: pooled over the layers, a fix's layer-1 units,
	// which ReLU's cannot match, were set against ReLU's deeper ones).
	var came, left []func(dyingResult) (float64, float64)
	for _, g := range layerGroups(c.Depth) {
		came, left = append(came, everRecovered(g)), append(left, escapeOf(g))
		diffs := withinSettingsDiffs(c, trains, keys, name, everRecovered(g))
		f.layers = append(f.layers, layerCame{group: g.name,
			fix: pooledPairs(c, trains, keys, name, "relu", everRecovered(g)), relu: pooledPairs(c, trains, keys, "relu", name, everRecovered(g)),
			diff: clampedDiff(metrics.OneSample(diffs)), diffs: diffs,
			speed: clampedDiff(withinSettings(c, trains, keys, name, escapeOf(g)))})
	}
	f.diff = clampedDiff(withinSettings(c, trains, keys, name, came...))
	f.speed = clampedDiff(withinSettings(c, trains, keys, name, left...))
	return f
}

// withinSettings is, per seed, the fix's share minus ReLU's (num/den of
// an add) within each stratum, a setting of keys where both runs of the
// seed finished crossed with one of strata (a layer group; one add is
// one stratum per setting), where both had a unit to count, averaged
// over those strata with Mantel-Haenszel weights, fd*rd/(fd+rd) for the
// arms' unit counts fd and rd (so a setting where an arm had one unit in
// the state weighs about as much as one unit, not as much as a setting
// with hundreds: review 18a; both arms share each stratum's weight, so
// the comparison stays within strata); seeds with no such stratum are
// left out. Comparing within a setting first keeps a difference in where
// the arms' units fall (most of one arm's at a rate where few come back
// in the epochs left) from reading as a difference between the arms (Simpson's paradox: review
// 17d found PReLU's units pooled over rates below ReLU's while PReLU did
// as well or better at every rate the two shared).
func withinSettings(c *Config, trains trainRuns, keys []trainKey, fix string, strata ...func(dyingResult) (num, den float64)) metrics.Paired {
	return metrics.OneSample(withinSettingsDiffs(c, trains, keys, fix, strata...))
}

// withinSettingsDiffs is the per-seed differences withinSettings reads,
// in seed order.
func withinSettingsDiffs(c *Config, trains trainRuns, keys []trainKey, fix string, strata ...func(dyingResult) (num, den float64)) []float64 {
	var diffs []float64
	for s := range c.allSeeds() {
		sum, weight := 0.0, 0.0
		for _, k := range keys {
			mine, theirs := trains[trainKey{fix, k.lr, k.bias}], trains[trainKey{"relu", k.lr, k.bias}]
			if s >= len(mine) || s >= len(theirs) || !finished(mine[s]) || !finished(theirs[s]) {
				continue
			}
			for _, add := range strata {
				fn, fd := add(mine[s])
				rn, rd := add(theirs[s])
				if fd > 0 && rd > 0 {
					w := fd * rd / (fd + rd)
					sum += w * (fn/fd - rn/rd)
					weight += w
				}
			}
		}
		if weight > 0 {
			diffs = append(diffs, sum/weight)
		}
	}
	return diffs
}

// clampedDiff is p with its 95% interval cut to [-1, 1], where a
// difference of two shares lies (a t interval over a few seeds can reach
// beyond).
func clampedDiff(p metrics.Paired) metrics.Paired {
	p.Diff = p.Diff.Clamp(-1, 1)
	return p
}

// pairedRatio adds up num and den of variant's runs, per seed, over the
// settings keys (learning rate and bias; the variant is set here) where
// both variant's and other's run of the seed finished, and returns num/den
// per seed (NaN where den is 0).
func pairedRatio(c *Config, trains trainRuns, keys []trainKey, variant, other string, add func(dyingResult) (num, den float64)) []float64 {
	num, den := pairSums(c, trains, keys, variant, other, add)
	out := make([]float64, c.allSeeds())
	for s := range out {
		out[s] = math.NaN()
		if den[s] > 0 {
			out[s] = num[s] / den[s]
		}
	}
	return out
}

// pooledPairs is pairedRatio's sums added over the seeds.
func pooledPairs(c *Config, trains trainRuns, keys []trainKey, variant, other string, add func(dyingResult) (num, den float64)) [2]int {
	num, den := pairSums(c, trains, keys, variant, other, add)
	var out [2]int
	for s := range num {
		out[0] += int(num[s])
		out[1] += int(den[s])
	}
	return out
}

func pairSums(c *Config, trains trainRuns, keys []trainKey, variant, other string, add func(dyingResult) (num, den float64)) (num, den []float64) {
	num, den = make([]float64, c.allSeeds()), make([]float64, c.allSeeds())
	for _, k := range keys {
		mine, theirs := trains[trainKey{variant, k.lr, k.bias}], trains[trainKey{other, k.lr, k.bias}]
		for s := range c.allSeeds() {
			if s >= len(mine) || s >= len(theirs) || !finished(mine[s]) || !finished(theirs[s]) {
				continue
			}
			n, d := add(mine[s])
			num[s] += n
			den[s] += d
		}
	}
	return num, den
}

// luAnchors are the (width, depth) cells Lu et al. 2019 report on: over 90%
// of width-2, depth-10 nets collapse, under 1% at width 10.
var luAnchors = [][2]int{{2, 10}, {10, 10}}

// luDepth is the depth of Lu et al.'s anchor.
const luDepth = 10

func bornDeadEvidenceOf(c *Config, born bornResults) bornDeadEvidence {
	deepest := slices.Max(c.BornDepths)
	e := bornDeadEvidence{width: slices.Min(c.BornWidths), depth: min(luDepth, deepest)}
	for _, anchor := range luAnchors {
		w, h := anchor[0], anchor[1]
		if slices.Contains(c.BornWidths, w) && h <= deepest {
			b := born.relu(w)
			e.anchors = append(e.anchors, bornAnchor{width: w, depth: h, formula: bornFormula(w, h),
				deadAtOne: metrics.ProportionCI(b.DeadAtOne[h-1], b.Inits), bornDead: metrics.ProportionCI(b.Constant[h-1], b.Inits)})
		}
	}
	if b := born.relu(e.width); b != nil {
		e.dead, e.inits = b.Constant[e.depth-1], b.Inits
	}
	return e
}

// raiEvidenceOf reads the narrowest width at Lu et al.'s depth (or the
// deepest measured), He init against the asymmetric init.
func raiEvidenceOf(c *Config, born bornResults) raiEvidence {
	e := raiEvidence{width: slices.Min(c.BornWidths), depth: min(luDepth, slices.Max(c.BornDepths))}
	if b := born.relu(e.width); b != nil {
		e.he = [2]int{b.Constant[e.depth-1], b.Inits}
	}
	if b := born.of("relu", kit.AsymmetricInit, e.width); b != nil {
		e.rai = [2]int{b.Constant[e.depth-1], b.Inits}
	}
	return e
}

func formulaEvidenceOf(c *Config, born bornResults) formulaEvidence {
	var e formulaEvidence
	for _, w := range c.BornWidths {
		b := born.relu(w)
		if b == nil {
			continue
		}
		for _, h := range c.BornDepths {
			e.cells = append(e.cells, bornCellTest{width: w, depth: h, dead: b.DeadAtOne[h-1], inits: b.Inits, formula: bornFormula(w, h)})
		}
	}
	return e
}

// gradEvidenceOf reads ReLU with f'(0) = 0 only (relu-d<v> passes a
// gradient through a pre-activation of exactly 0), per seed over the
// settings where ReLU trained (shownToTrain: accuracy interval's lower end at
// least controlMinAcc)
// and every layer and trained epoch of its finished runs there.
func gradEvidenceOf(c *Config, stats map[trainKey]settingStats, trains trainRuns) gradEvidence {
	var keys, collapsed []trainKey
	for _, k := range allSettings(c, "relu") {
		if s := stats[k]; shownToTrain(s.acc) {
			keys = append(keys, k)
		} else {
			collapsed = append(collapsed, k)
		}
	}
	stats4 := func(layers func(l int) bool) (dead, alive, share, zero []float64) {
		sum := func(get func(e dyingEpoch, l int) (num, den float64)) func(dyingResult) (float64, float64) {
			return sumEpochs(layers, get)
		}
		units := float64(c.Width)
		dead = pooledRatio(c, trains, keys, sum(func(e dyingEpoch, l int) (float64, float64) {
			return float64(e.DeadZeroSteps[l]), float64(e.DeadBefore[l] * e.Steps)
		}))
		alive = pooledRatio(c, trains, keys, sum(func(e dyingEpoch, l int) (float64, float64) {
			return float64(e.AliveZeroSteps[l]), (units - float64(e.DeadBefore[l])) * float64(e.Steps)
		}))
		share = pooledRatio(c, trains, keys, sum(func(e dyingEpoch, l int) (float64, float64) {
			return float64(e.DeadZeroEntries[l]), float64(e.ZeroEntries[l])
		}))
		zero = pooledRatio(c, trains, keys, sum(func(e dyingEpoch, l int) (float64, float64) {
			return float64(e.ZeroEntries[l]), float64(e.Entries[l])
		}))
		return dead, alive, share, zero
	}
	all := func(int) bool { return true }
	dead, alive, share, zero := stats4(all)
	e := gradEvidence{setup: setupOf(c), assoc: metrics.PairedDiff(dead, alive), dead: metrics.MeanCI(dead).Clamp(0, 1), alive: metrics.MeanCI(alive).Clamp(0, 1),
		deadShare: metrics.OneSample(share), zeroEntryFrac: metrics.MeanCI(zero).Clamp(0, 1), runs: armOf(trains, keys...),
		trained: len(keys), collapsed: len(collapsed), collapsedAlive: math.NaN(), sgd: c.Optimizer == "sgd"}
	for l := range c.Depth {
		only := func(m int) bool { return m == l }
		d, a, sh, _ := stats4(only)
		lg := layerGrad{layer: l + 1, assoc: metrics.PairedDiff(d, a), dead: metrics.MeanCI(d).Clamp(0, 1), alive: metrics.MeanCI(a).Clamp(0, 1), deadShare: metrics.OneSample(sh)}
		lg.unitEpochs = unitEpochsOf(trains, keys, only)
		e.layers = append(e.layers, lg)
	}
	aliveSteps := sumEpochs(all, func(e dyingEpoch, l int) (float64, float64) {
		return float64(e.AliveZeroSteps[l]), (float64(c.Width) - float64(e.DeadBefore[l])) * float64(e.Steps)
	})
	var num, den float64
	for _, k := range collapsed {
		for _, r := range trains[k] {
			if finished(r) {
				n, d := aliveSteps(r)
				num, den = num+n, den+d
			}
		}
	}
	if den > 0 {
		e.collapsedAlive = num / den
	}
	e.unitEpochs = unitEpochsOf(trains, keys, all)
	return e
}

// sumEpochs adds up get's num and den over a run's trained epochs and the
// hidden layers l for which layers(l) holds.
func sumEpochs(layers func(l int) bool, get func(e dyingEpoch, l int) (num, den float64)) func(dyingResult) (float64, float64) {
	return func(r dyingResult) (num, den float64) {
		for _, ep := range r.Epochs {
			for l := range ep.DeadZeroSteps {
				if layers(l) {
					n, d := get(ep, l)
					num, den = num+n, den+d
				}
			}
		}
		return num, den
	}
}

// unitEpochsOf counts the (unit, epoch) pairs dead at an epoch's start in
// the chosen layers, over the finished runs of keys.
func unitEpochsOf(trains trainRuns, keys []trainKey, layers func(l int) bool) int {
	n := 0
	for _, k := range keys {
		for _, r := range trains[k] {
			if finished(r) {
				for _, ep := range r.Epochs {
					for l, d := range ep.DeadBefore {
						if layers(l) {
							n += d
						}
					}
				}
			}
		}
	}
	return n
}

// zeroGradTable is C9 per hidden layer: the zero-gradient step shares of
// units dead and alive at an epoch's start, and the share of zero dL/dz
// entries that belong to dead units.
func zeroGradTable(e gradEvidence) result.Table {
	t := result.Table{Name: "zero-grad-by-layer",
		Title:   fmt.Sprintf("ReLU, per hidden layer, at the %d settings where it trained: zero gradients of units dead and alive at an epoch's start, mean over seeds [95%% CI]", e.trained),
		Columns: []string{"layer", "unit-epochs dead at the start", "zero-gradient steps, dead", "zero-gradient steps, alive", "dead minus alive (per seed)", "zero dL/dz entries from dead units"},
		Note: "A zero-gradient step: the unit's dL/dz is exactly 0 on the whole batch, so its weights get no gradient. Per seed, pooled over its finished runs and trained epochs; seeds without a dead unit in the layer are left out of the dead columns. " +
			"Layer 1's inputs are the fixed, non-negative pixels. Shown beside C9's verdicts, which are decided over all layers."}
	for _, l := range e.layers {
		t.Rows = append(t.Rows, []string{kit.Itoa(l.layer), kit.Itoa(l.unitEpochs), kit.FmtEstimate(l.dead, 3), kit.FmtEstimate(l.alive, 3), kit.FmtEstimate(l.assoc.Diff, 3), kit.FmtEstimate(l.deadShare.Diff, 3)})
	}
	return t
}

// derivEvidenceOf compares relu with the first relu-d<v> variant (f'(0) =
// v != 0) run, seed by seed.
func derivEvidenceOf(c *Config, variants []string, trains trainRuns) derivEvidence {
	e := derivEvidence{setup: setupOf(c)}
	for _, name := range variants {
		if spec, _ := kit.VariantSpec(name); spec.Name == "relu" && spec.ReLUDerivAtZero != 0 {
			e.other = name
			break
		}
	}
	if e.other == "" {
		return e
	}
	nan := math.NaN()
	reluDead, otherDead, reluAcc, otherAcc := make([]float64, c.Seeds), make([]float64, c.Seeds), make([]float64, c.Seeds), make([]float64, c.Seeds)
	counts := make([]int, c.Seeds)
	for _, b := range c.Biases {
		for _, lr := range c.LRs {
			rk, ok := trainKey{"relu", lr, b}, trainKey{e.other, lr, b}
			// Only the seeds both arms ran: relu's extra seeds
			// (Config.MoreSeeds) have no twin.
			n := c.pairedSeeds("relu", e.other)
			paired := trainRuns{rk: pairedHead(trains[rk], n), ok: pairedHead(trains[ok], n)}
			e.runs.diverged += armOf(paired, rk, ok).diverged
			e.runs.runs += armOf(paired, rk, ok).runs
			for _, k := range []trainKey{rk, ok} {
				for _, r := range paired[k] {
					for _, ep := range r.Epochs {
						for l := range ep.ZeroPreactCount {
							e.zeroPre += ep.ZeroPreactCount[l]
							e.entries += ep.Entries[l]
						}
					}
				}
			}
			for s := range c.Seeds {
				if s >= len(trains[rk]) || s >= len(trains[ok]) {
					continue
				}
				a, o := trains[rk][s], trains[ok][s]
				as, os := readRun(a), readRun(o)
				if !as.present || !os.present {
					continue
				}
				if as.diverged != os.diverged {
					e.discordant++
				}
				if as.diverged || os.diverged {
					continue
				}
				e.pairs++
				if identicalRuns(a, o) {
					e.identical++
				}
				reluDead[s] += as.dead
				otherDead[s] += os.dead
				reluAcc[s] += as.acc
				otherAcc[s] += os.acc
				counts[s]++
			}
		}
	}
	for s := range c.Seeds {
		if counts[s] == 0 {
			reluDead[s], otherDead[s], reluAcc[s], otherAcc[s] = nan, nan, nan, nan
			continue
		}
		n := float64(counts[s])
		reluDead[s], otherDead[s], reluAcc[s], otherAcc[s] = reluDead[s]/n, otherDead[s]/n, reluAcc[s]/n, otherAcc[s]/n
	}
	e.dead = metrics.PairedDiff(reluDead, otherDead)
	e.acc = metrics.PairedDiff(reluAcc, otherAcc)
	return e
}

// identicalRuns reports whether two finished runs ended in the same state
// to the last bit: every epoch's losses and accuracies, and the final dead
// fractions per layer.
func identicalRuns(a, b dyingResult) bool {
	if len(a.Train.Epochs) != len(b.Train.Epochs) || len(a.Epochs) != len(b.Epochs) {
		return false
	}
	for i, ea := range a.Train.Epochs {
		eb := b.Train.Epochs[i]
		if !sameFloat(ea.TrainLoss, eb.TrainLoss) || ea.TestLoss != eb.TestLoss || ea.TestAcc != eb.TestAcc || !sameFloat(ea.TrainAcc, eb.TrainAcc) {
			return false
		}
	}
	return slices.Equal(a.Epochs[len(a.Epochs)-1].Dead, b.Epochs[len(b.Epochs)-1].Dead)
}

// sameFloat is == with NaN equal to NaN (epoch 0 has no training loss).
func sameFloat(x, y float64) bool { return x == y || (math.IsNaN(x) && math.IsNaN(y)) }

// joinAnd is "a", "a and b" or "a, b and c".
func joinAnd(xs []string) string {
	if len(xs) < 2 {
		return strings.Join(xs, "")
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}

// c1Verdicts gives C1's main role to the narrow zero-bias nets, where exact
// zeros are common and the f'(0) convention can act, when they were
// trained: in the usual nets an exact zero is so rare that their
// equivalence was close to certain beforehand, a check that could hardly
// fail, so it is a sanity check. Without narrow nets the usual nets'
// verdict is the only test there is, and stays main.
func c1Verdicts(usual, narrow result.Verdict) []result.Verdict {
	if !narrow.NotTested {
		usual.Role, narrow.Role = result.Sanity, result.Main
	}
	return []result.Verdict{usual, narrow}
}
