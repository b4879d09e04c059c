package dying

import (
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/reluexp/reluexp/experiments/harness"
	"github.com/reluexp/reluexp/experiments/kit"
	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/metrics"
)

// summarizeDying turns the cells into the tables, records, figures,
// verdicts and notes; their order is the order of the report.
func summarizeDying(c *Config, done []harness.Done[dyingCell, dyingResult]) (*result.Result, error) {
	born, trains := groupCells(done)
	variants := withReference(c.Variants)
	stats := settingStatsOf(trains)
	return &result.Result{
		Tables: []result.Table{
			bornX1Table(c, born),
			bornGridTable(c, variants, born),
			killedTable(c, variants, stats),
			recoveryTable(c, variants, trains),
		},
		Records: []result.Table{
			bornRecords(c, variants, born),
			trainingRecords(c, variants, trains),
			recoveryRecords(c, variants, trains),
		},
		Figures: []result.Figure{
			bornHeatmapFigure(c, born),
			bornByDepthFigure(c, born),
			deadVsLRFigure(c, variants, stats),
			deadOverEpochsFigure(c, trains),
		},
		Verdicts: []result.Verdict{
			bornDeadVerdict(bornDeadEvidenceOf(c, born)),
			appearVerdict(appearEvidenceOf(c, stats)),
			recoverVerdict(recoverEvidenceOf(c, variants, trains)),
			fixesVerdict(fixesEvidenceOf(c, variants, stats, trains)),
			vanishingGradientVerdict(vanishingEvidenceOf(c, trains)),
			derivAtZeroVerdict(derivAtZeroEvidenceOf(c, variants, stats, trains)),
		},
		Notes: append(asymmetricNote(c, born), trainingNotes(c)...),
	}, nil
}

// groupCells adds up the Monte Carlo batches of each (variant, init,
// width) and lists the training runs of each setting in seed order.
func groupCells(done []harness.Done[dyingCell, dyingResult]) (bornResults, map[trainKey][]dyingResult) {
	born := bornResults{}
	trains := map[trainKey][]dyingResult{}
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
		k := trainKey{d.Params.Variant, d.Params.LR, d.Params.Bias}
		trains[k] = append(trains[k], d.Result)
	}
	return born, trains
}

func trainingNotes(c *Config) []string {
	notes := []string{fmt.Sprintf("Dead means an output of exactly 0 on every one of the %d training examples the net is trained on (the first %d of MNIST's training set), checked after every epoch in evaluation mode.", c.TrainExamples, c.TrainExamples)}
	if c.Optimizer == "sgd" {
		notes = append(notes, "Plain SGD: a first-layer unit that is dead on every training example gets no gradient and its inputs never change, so it cannot come back; a deeper unit can, when the layers below it change.")
	}
	return append(notes, "CS231n: \"as much as 40% of your network can be dead\" with too high a learning rate.")
}

// Training runs read.

type trainKey struct {
	variant  string
	lr, bias float64
}

// runStats reads one training run.
type runStats struct {
	diverged  bool
	dead      float64 // final fraction of dead hidden units, all layers pooled
	stuck     float64
	wouldBe   float64
	zeroGrad  float64 // last completed epoch, all layers pooled
	acc       float64 // final test accuracy; chance (0.1) if the run diverged
	completed int     // epochs completed
}

func readRun(r dyingResult) runStats {
	if len(r.Epochs) == 0 {
		// Non-finite already at initialisation: nothing was measured.
		nan := math.NaN()
		return runStats{diverged: true, dead: nan, stuck: nan, wouldBe: nan, zeroGrad: nan, acc: 0.1}
	}
	last := r.Epochs[len(r.Epochs)-1]
	s := runStats{diverged: r.Train.Diverged, dead: kit.Mean(last.Dead), stuck: kit.Mean(last.Stuck), wouldBe: kit.Mean(last.WouldBeDead), zeroGrad: math.NaN(),
		acc: r.Train.Final().TestAcc, completed: len(r.Epochs) - 1}
	if len(last.ZeroGrad) > 0 {
		s.zeroGrad = kit.Mean(last.ZeroGrad)
	}
	if s.diverged {
		s.acc = 0.1
	}
	return s
}

// seedMean averages f over the runs of the given settings separately for
// each seed, and returns the mean over seeds with its 95% CI, so that a
// verdict reading several settings at once still has its interval over
// seeds. Runs for which f reports false are left out.
func seedMean(trains map[trainKey][]dyingResult, keys []trainKey, f func(dyingResult) (float64, bool)) metrics.Estimate {
	sums, counts := map[int]float64{}, map[int]int{}
	seeds := 0
	for _, k := range keys {
		for s, r := range trains[k] {
			seeds = max(seeds, s+1)
			if v, ok := f(r); ok {
				sums[s] += v
				counts[s]++
			}
		}
	}
	var xs []float64
	for s := range seeds {
		if counts[s] > 0 {
			xs = append(xs, sums[s]/float64(counts[s]))
		}
	}
	return metrics.MeanCI(xs)
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

// settingStats summarises the seeds of one (variant, lr, bias).
type settingStats struct {
	dead, stuck, wouldBe, zeroGrad, acc metrics.Estimate // all but acc over finished runs
	diverged, runs                      int
}

func summarizeSetting(runs []dyingResult) settingStats {
	var dead, stuck, would, zg, acc []float64
	st := settingStats{runs: len(runs)}
	for _, r := range runs {
		s := readRun(r)
		acc = append(acc, s.acc)
		if s.diverged {
			st.diverged++
			continue
		}
		dead, stuck, would, zg = append(dead, s.dead), append(stuck, s.stuck), append(would, s.wouldBe), append(zg, s.zeroGrad)
	}
	st.dead = metrics.MeanCI(dead).Clamp(0, 1)
	st.stuck = metrics.MeanCI(stuck).Clamp(0, 1)
	st.wouldBe = metrics.MeanCI(would).Clamp(0, 1)
	st.zeroGrad = metrics.MeanCI(zg).Clamp(0, 1)
	st.acc = metrics.MeanCI(acc).Clamp(0, 1)
	return st
}

// finalDead, finalStuck and finalAcc read a run for seedMean; the unit
// fractions leave diverged runs out, the accuracy counts them at chance.
func finalDead(r dyingResult) (float64, bool)  { s := readRun(r); return s.dead, !s.diverged }
func finalStuck(r dyingResult) (float64, bool) { s := readRun(r); return s.stuck, !s.diverged }
func finalAcc(r dyingResult) (float64, bool)   { return readRun(r).acc, true }

func settingStatsOf(trains map[trainKey][]dyingResult) map[trainKey]settingStats {
	stats := map[trainKey]settingStats{}
	for k, runs := range trains {
		stats[k] = summarizeSetting(runs)
	}
	return stats
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
		Caption: "Monte Carlo fraction of nets with 95% Wilson band; dashed: the formula 1-(1-2^-N)^H, exact for the event \"a hidden layer is entirely zero at x = 1\" with zero biases. Born dead (constant on [-1, 1]) needs the net dead at x = -1 as well.",
		Panels:  []result.Panel{atOne, constant}}
	if len(rai.Lines) > 0 {
		fig.Panels = append(fig.Panels, rai)
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
		notes = append(notes, fmt.Sprintf("Asymmetric init (Lu et al. 2019, as read here: N(0, 0.6007^2/fan_in) weights and bias, one of them per unit redrawn from Beta(2,1)): born-dead rate at width %d, depth %d is %.3f against %.3f under He init.",
			w, maxDepth, fraction(r.Constant[maxDepth-1], r.Inits), fraction(born.relu(w).Constant[maxDepth-1], born.relu(w).Inits)))
	}
	return notes
}

// Killed in training: tables.

func fmtLR(lr float64) string { return strconv.FormatFloat(lr, 'g', -1, 64) }

func killedTable(c *Config, variants []string, stats map[trainKey]settingStats) result.Table {
	t := result.Table{Name: "killed-by-lr",
		Title:   fmt.Sprintf("MNIST, %d hidden layers of %d, %s, %d epochs: hidden units after training, mean [95%% CI] over the seeds that did not diverge", c.Depth, c.Width, c.Optimizer, c.Epochs),
		Columns: []string{"variant", "bias", "lr", "dead", "stuck", "would-be dead", "zero dL/dz entries", "test accuracy", "diverged"},
		Note:    "Dead: output exactly 0 on every training example. Stuck: the same output on every training example (a dead ReLU unit is stuck at 0; an ELU unit can be stuck at -1). Would-be dead: pre-activation <= 0 on every training example (dead had the unit been a ReLU). Zero dL/dz entries: in the last epoch's training steps. Test accuracy counts a diverged run as chance (0.1)."}
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

// sumCounts adds up the unit histories of runs, over all layers or layer l only.
func sumCounts(runs []dyingResult, wouldBe bool, layer int) metrics.DeathCounts {
	var total metrics.DeathCounts
	for _, r := range runs {
		hist := r.Dead
		if wouldBe {
			hist = r.WouldBeDead
		}
		for l, h := range hist {
			if layer < 0 || l == layer {
				total = total.Add(h)
			}
		}
	}
	return total
}

func recoveryTable(c *Config, variants []string, trains map[trainKey][]dyingResult) result.Table {
	t := result.Table{Name: "recovery",
		Title:   "Hidden units followed across epochs, summed over learning rates and seeds: dead / would-be dead",
		Columns: []string{"variant", "bias", "units", "ever dead", "dead at init", "killed in training", "recovered", "dead at end"},
		Note:    "Each cell: dead units / would-be-dead units (pre-activation <= 0 on every training example). Killed: alive after one epoch and dead after a later one. Recovered: dead after one epoch (or at init) and alive after a later one."}
	for _, v := range variants {
		for _, b := range c.Biases {
			var runs []dyingResult
			for _, lr := range c.LRs {
				runs = append(runs, trains[trainKey{v, lr, b}]...)
			}
			d, w := sumCounts(runs, false, -1), sumCounts(runs, true, -1)
			pair := func(a, b int) string { return fmt.Sprintf("%d / %d", a, b) }
			t.Rows = append(t.Rows, []string{v, kit.Ftoa(b), kit.Itoa(d.Units), pair(d.EverDead, w.EverDead), pair(d.DeadAtStart, w.DeadAtStart),
				pair(d.Killed, w.Killed), pair(d.Recovered, w.Recovered), pair(d.DeadAtEnd, w.DeadAtEnd)})
		}
	}
	return t
}

func trainingRecords(c *Config, variants []string, trains map[trainKey][]dyingResult) result.Table {
	t := result.Table{Name: "training", Columns: []string{"variant", "lr", "bias", "seed", "epoch", "layer", "dead", "stuck", "would_be_dead",
		"zero_preact", "zero_grad", "no_grad_units", "dead_before", "dead_before_no_grad", "train_loss", "test_acc", "diverged", "diverged_step"}}
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
					for i, e := range r.Epochs {
						ep := r.Train.Epochs[i]
						for l := range e.Dead {
							t.Rows = append(t.Rows, []string{v, fmtLR(lr), kit.Ftoa(b), kit.Itoa(seed), kit.Itoa(e.Epoch), kit.Itoa(l + 1), kit.Ftoa(e.Dead[l]), kit.Ftoa(e.Stuck[l]), kit.Ftoa(e.WouldBeDead[l]),
								at(e.ZeroPreact, l), at(e.ZeroGrad, l), at(e.NoGradUnits, l), atInt(e.DeadBefore, l), atInt(e.DeadBeforeNoGrad, l),
								kit.Ftoa(ep.TrainLoss), kit.Ftoa(ep.TestAcc), fmt.Sprint(r.Train.Diverged), kit.Itoa(r.Train.DivergedStep)})
						}
					}
				}
			}
		}
	}
	return t
}

func recoveryRecords(c *Config, variants []string, trains map[trainKey][]dyingResult) result.Table {
	t := result.Table{Name: "recovery", Columns: []string{"variant", "lr", "bias", "seed", "layer", "units",
		"ever_dead", "dead_at_init", "killed", "recovered", "dead_at_end",
		"would_ever", "would_at_init", "would_killed", "would_recovered", "would_at_end"}}
	for _, v := range variants {
		for _, b := range c.Biases {
			for _, lr := range c.LRs {
				for seed, r := range trains[trainKey{v, lr, b}] {
					for l := range r.Dead {
						d, w := r.Dead[l], r.WouldBeDead[l]
						t.Rows = append(t.Rows, []string{v, fmtLR(lr), kit.Ftoa(b), kit.Itoa(seed), kit.Itoa(l + 1), kit.Itoa(d.Units),
							kit.Itoa(d.EverDead), kit.Itoa(d.DeadAtStart), kit.Itoa(d.Killed), kit.Itoa(d.Recovered), kit.Itoa(d.DeadAtEnd),
							kit.Itoa(w.EverDead), kit.Itoa(w.DeadAtStart), kit.Itoa(w.Killed), kit.Itoa(w.Recovered), kit.Itoa(w.DeadAtEnd)})
					}
				}
			}
		}
	}
	return t
}

// Killed in training: figures.

func deadVsLRFigure(c *Config, variants []string, stats map[trainKey]settingStats) result.Figure {
	fig := result.Figure{Name: "dead-vs-lr", Title: fmt.Sprintf("Hidden units after %d epochs of SGD on MNIST, by learning rate", c.Epochs),
		Caption: "Mean over the seeds that did not diverge, with 95% CI band. Top: units with the same output on every training example (for ReLU exactly the dead units, output 0; an ELU unit can be stuck at -1). Middle: units whose pre-activation is <= 0 on every training example. Crosses mark settings where at least one seed diverged (NaN/Inf), placed at the mean of the others (at 0 if none finished). Columns: initial bias of every hidden unit.",
		Columns: len(c.Biases)}
	rows := []struct {
		label string
		get   func(settingStats) metrics.Estimate
	}{
		{"dead or stuck fraction", func(s settingStats) metrics.Estimate { return s.stuck }},
		{"would-be-dead fraction", func(s settingStats) metrics.Estimate { return s.wouldBe }},
		{"test accuracy", func(s settingStats) metrics.Estimate { return s.acc }},
	}
	for _, row := range rows {
		for _, b := range c.Biases {
			pn := result.Panel{Kind: result.LinePanel, Title: fmt.Sprintf("bias %g", b), XLabel: "learning rate", YLabel: row.label, LogX: true, YMin: 0, YMax: 1}
			for vi, v := range variants {
				ln := result.Line{Label: v, Points: true, Style: vi}
				for _, lr := range c.LRs {
					s := stats[trainKey{v, lr, b}]
					e := row.get(s)
					ln.X, ln.Y, ln.Lo, ln.Hi = append(ln.X, lr), append(ln.Y, e.Mean), append(ln.Lo, e.Lo), append(ln.Hi, e.Hi)
					if s.diverged > 0 {
						y := e.Mean
						if math.IsNaN(y) {
							y = 0
						}
						pn.Markers = append(pn.Markers, result.Marker{Label: "some seeds diverged", X: lr, Y: y, Style: vi})
					}
				}
				pn.Lines = append(pn.Lines, ln)
			}
			fig.Panels = append(fig.Panels, pn)
		}
	}
	return fig
}

// deadOverEpochsFigure follows ReLU's dead fraction per layer, and the
// zero-gradient fraction, epoch by epoch.
func deadOverEpochsFigure(c *Config, trains map[trainKey][]dyingResult) result.Figure {
	fig := result.Figure{Name: "dead-over-epochs", Title: "ReLU: dead units per layer and zero gradients, epoch by epoch",
		Caption: "Mean over seeds with 95% CI band; a diverged run stops contributing after its last completed epoch. Epoch 0 is initialisation. Last row: fraction of entries of dL/dz exactly zero in the epoch's training steps, all hidden layers. Columns: initial bias.",
		Columns: len(c.Biases)}
	epochLine := func(label string, style int, runs []dyingResult, get func(dyingEpoch) (float64, bool)) result.Line {
		ln := result.Line{Label: label, Points: true, Style: style}
		for e := 0; e <= c.Epochs; e++ {
			var xs []float64
			for _, r := range runs {
				if e < len(r.Epochs) {
					if v, ok := get(r.Epochs[e]); ok {
						xs = append(xs, v)
					}
				}
			}
			if len(xs) == 0 {
				continue
			}
			est := metrics.MeanCI(xs).Clamp(0, 1)
			ln.X, ln.Y, ln.Lo, ln.Hi = append(ln.X, float64(e)), append(ln.Y, est.Mean), append(ln.Lo, est.Lo), append(ln.Hi, est.Hi)
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
			for i, lr := range c.LRs {
				runs := trains[trainKey{"relu", lr, b}]
				get := func(e dyingEpoch) (float64, bool) { return e.Dead[l], true }
				if l == c.Depth {
					get = func(e dyingEpoch) (float64, bool) { return kit.Mean(e.ZeroGrad), len(e.ZeroGrad) > 0 }
				}
				pn.Lines = append(pn.Lines, epochLine("lr "+fmtLR(lr), i, runs, get))
			}
			fig.Panels = append(fig.Panels, pn)
		}
	}
	return fig
}

// Verdict evidence: the statistics each rule in verdicts.go reads.

// luAnchors are the (width, depth) cells Lu et al. 2019 report on: over 90%
// of width-2, depth-10 nets collapse, under 1% at width 10.
var luAnchors = [][2]int{{2, 10}, {10, 10}}

func bornDeadEvidenceOf(c *Config, born bornResults) bornDeadEvidence {
	e := bornDeadEvidence{narrowest: slices.Min(c.BornWidths), deepest: slices.Max(c.BornDepths)}
	for _, w := range c.BornWidths {
		b := born.relu(w)
		for _, h := range c.BornDepths {
			e.cells = append(e.cells, bornCellTest{width: w, depth: h, dead: b.DeadAtOne[h-1], inits: b.Inits, formula: bornFormula(w, h),
				p: metrics.BinomialPValue(b.DeadAtOne[h-1], b.Inits, bornFormula(w, h))})
		}
	}
	for _, anchor := range luAnchors {
		w, h := anchor[0], anchor[1]
		if slices.Contains(c.BornWidths, w) && h <= e.deepest {
			b := born.relu(w)
			e.anchors = append(e.anchors, bornAnchor{width: w, depth: h, formula: bornFormula(w, h),
				deadAtOne: metrics.ProportionCI(b.DeadAtOne[h-1], b.Inits), bornDead: metrics.ProportionCI(b.Constant[h-1], b.Inits)})
		}
	}
	deepNarrow := born.relu(e.narrowest)
	e.bornDead = metrics.ProportionCI(deepNarrow.Constant[e.deepest-1], deepNarrow.Inits)
	return e
}

// referenceBias is the bias the learning-rate rule reads: 0 if measured,
// else the one closest to 0.
func referenceBias(c *Config) float64 {
	best := c.Biases[0]
	for _, b := range c.Biases {
		if math.Abs(b) < math.Abs(best) {
			best = b
		}
	}
	return best
}

func appearEvidenceOf(c *Config, stats map[trainKey]settingStats) appearEvidence {
	e := appearEvidence{bias: referenceBias(c)}
	for _, lr := range slices.Sorted(slices.Values(c.LRs)) {
		s := stats[trainKey{"relu", lr, e.bias}]
		e.byLR = append(e.byLR, lrOutcome{lr: lr, dead: s.dead, acc: s.acc, diverged: s.diverged, runs: s.runs})
	}
	return e
}

// recoverEvidenceOf follows every unit of the variants that can die (ReLU,
// whatever its f'(0)) at every learning rate and bias.
func recoverEvidenceOf(c *Config, variants []string, trains map[trainKey][]dyingResult) recoverEvidence {
	var runs []dyingResult
	for _, name := range variants {
		spec, _ := kit.VariantSpec(name)
		if !spec.CanDie() {
			continue
		}
		for _, b := range c.Biases {
			for _, lr := range c.LRs {
				runs = append(runs, trains[trainKey{name, lr, b}]...)
			}
		}
	}
	e := recoverEvidence{all: sumCounts(runs, false, -1), first: sumCounts(runs, false, 0)}
	for l := 1; l < c.Depth; l++ {
		e.deeper = e.deeper.Add(sumCounts(runs, false, l))
	}
	return e
}

// fixesEvidenceOf pools ReLU and each of leaky, prelu and elu over the
// stress settings, and counts the fixes' stuck runs over every setting.
func fixesEvidenceOf(c *Config, variants []string, stats map[trainKey]settingStats, trains map[trainKey][]dyingResult) fixesEvidence {
	var stress []trainKey
	for _, k := range allSettings(c, "relu") {
		if s := stats[k]; s.dead.N > 0 && s.dead.Mean >= fixesStressDead {
			stress = append(stress, k)
		}
	}
	e := fixesEvidence{stress: len(stress)}
	e.reluDead, e.reluAcc, e.reluDiverged, e.reluRuns = pooledAtStress(stress, "relu", stats, trains)
	for _, name := range variants {
		if name != "leaky" && name != "prelu" && name != "elu" {
			continue
		}
		f := fixOutcome{name: name}
		f.stuck, f.acc, f.diverged, f.runs = pooledAtStress(stress, name, stats, trains)
		f.stuckRuns, f.stuckLRs = stuckRuns(c, name, trains)
		e.fixes = append(e.fixes, f)
	}
	return e
}

// pooledAtStress reads variant at the stress settings: its final dead
// fraction (for relu) or stuck fraction (for the others, which can be stuck
// without an exact 0), its test accuracy, both means over seeds, and its
// diverged and total runs.
func pooledAtStress(stress []trainKey, variant string, stats map[trainKey]settingStats, trains map[trainKey][]dyingResult) (lost, acc metrics.Estimate, diverged, runs int) {
	keys := make([]trainKey, len(stress))
	for i, k := range stress {
		keys[i] = trainKey{variant, k.lr, k.bias}
		diverged += stats[keys[i]].diverged
		runs += stats[keys[i]].runs
	}
	get := finalDead
	if variant != "relu" {
		get = finalStuck
	}
	return seedMean(trains, keys, get).Clamp(0, 1), seedMean(trains, keys, finalAcc).Clamp(0, 1), diverged, runs
}

// stuckRuns counts variant's finished runs, at any setting, that ended with
// a stuck unit, and the learning rates (ascending) where they did.
func stuckRuns(c *Config, variant string, trains map[trainKey][]dyingResult) (runs int, lrs []float64) {
	for _, k := range allSettings(c, variant) {
		for _, r := range trains[k] {
			if d, ok := finalStuck(r); ok && d > 0 {
				runs++
				if !slices.Contains(lrs, k.lr) {
					lrs = append(lrs, k.lr)
				}
			}
		}
	}
	slices.Sort(lrs)
	return runs, lrs
}

// vanishingEvidenceOf reads ReLU with f'(0) = 0 only: relu-d<v> passes a
// gradient through a pre-activation of exactly 0.
func vanishingEvidenceOf(c *Config, trains map[trainKey][]dyingResult) vanishingEvidence {
	var e vanishingEvidence
	keys := allSettings(c, "relu")
	for _, k := range keys {
		for _, r := range trains[k] {
			for _, ep := range r.Epochs {
				for l := range ep.DeadBefore {
					e.dead += ep.DeadBefore[l]
					e.noGrad += ep.DeadBeforeNoGrad[l]
				}
			}
		}
	}
	e.deadFrac = seedMean(trains, keys, overTrainedEpochs(func(r dyingResult, ep int) float64 { return kit.Mean(r.Epochs[ep-1].Dead) })).Clamp(0, 1)
	e.noGradFrac = seedMean(trains, keys, overTrainedEpochs(func(r dyingResult, ep int) float64 { return kit.Mean(r.Epochs[ep].NoGradUnits) })).Clamp(0, 1)
	e.zeroEntries = seedMean(trains, keys, overTrainedEpochs(func(r dyingResult, ep int) float64 { return kit.Mean(r.Epochs[ep].ZeroGrad) })).Clamp(0, 1)
	return e
}

// overTrainedEpochs averages get over a run's trained epochs (1 on), for
// seedMean, which then averages per seed over settings.
func overTrainedEpochs(get func(r dyingResult, epoch int) float64) func(dyingResult) (float64, bool) {
	return func(r dyingResult) (float64, bool) {
		var xs []float64
		for ep := 1; ep < len(r.Epochs); ep++ {
			xs = append(xs, get(r, ep))
		}
		return kit.Mean(xs), len(xs) > 0
	}
}

// derivAtZeroEvidenceOf compares relu with the first relu-d<v> variant
// (f'(0) = v != 0) run.
func derivAtZeroEvidenceOf(c *Config, variants []string, stats map[trainKey]settingStats, trains map[trainKey][]dyingResult) derivAtZeroEvidence {
	var e derivAtZeroEvidence
	for _, name := range variants {
		if spec, _ := kit.VariantSpec(name); spec.Name == "relu" && spec.ReLUDerivAtZero != 0 {
			e.other = name
			break
		}
	}
	if e.other == "" {
		return e
	}
	for _, b := range c.Biases {
		for _, lr := range c.LRs {
			e.settings = append(e.settings, deadPair{relu: stats[trainKey{"relu", lr, b}].dead, other: stats[trainKey{e.other, lr, b}].dead})
		}
	}
	e.reluDead = seedMean(trains, allSettings(c, "relu"), finalDead).Clamp(0, 1)
	e.otherDead = seedMean(trains, allSettings(c, e.other), finalDead).Clamp(0, 1)
	e.zeroPre = seedMean(trains, allSettings(c, e.other), zeroPreactShare)
	return e
}

// zeroPreactShare is the share of a run's pre-activation entries exactly 0
// in training steps, averaged over its trained epochs.
func zeroPreactShare(r dyingResult) (float64, bool) {
	var xs []float64
	for _, e := range r.Epochs {
		if len(e.ZeroPreact) > 0 {
			xs = append(xs, kit.Mean(e.ZeroPreact))
		}
	}
	return kit.Mean(xs), len(xs) > 0
}
