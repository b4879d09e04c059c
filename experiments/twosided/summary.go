package twosided

import (
	"fmt"
	"math"
	"slices"

	"github.com/reluexp/reluexp/experiments/harness"
	"github.com/reluexp/reluexp/experiments/kit"
	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/metrics"
)

// chanceAccuracy is the test accuracy a diverged run counts as: guessing
// among MNIST's ten classes.
const chanceAccuracy = 0.1

func summarize(c *Config, done []harness.Done[cellParams, cellResult]) (*result.Result, error) {
	born, runs, widths := collect(done)
	nets := configNets(c)
	stats := map[string]netStats{}
	for _, n := range nets {
		stats[n.String()] = summarizeNet(runs[n.String()], widths[n.String()])
	}
	table, timing, records := trainingTables(c, nets, stats, runs)
	bornTable, bornRecords := bornDeadTables(c, nets, born)

	res := &result.Result{}
	res.Tables = append(res.Tables, table, bornTable, timing)
	res.Records = append(res.Records, records, bornRecords)
	res.Figures = append(res.Figures, comparisonFigure(c, nets, stats, runs, born))
	res.Verdicts = append(res.Verdicts,
		cannotDieVerdict(cannotDieEvidenceOf(c, stats, born)),
		worthItVerdict(worthItEvidenceOf(stats)))
	res.Notes = append(res.Notes, "Time per epoch is measured but, like any wall-clock time, varies from run to run: it appears in the Markdown table only, never in the CSV records, summary.json or the verdicts.")
	return res, nil
}

// collect sorts the finished cells: born-dead counts pooled per (variant,
// init, width), and each net's training runs in seed order with its width.
func collect(done []harness.Done[cellParams, cellResult]) (born map[kit.BornKey]*kit.BornResult, runs map[string][]cellResult, widths map[string]int) {
	born = map[kit.BornKey]*kit.BornResult{}
	runs = map[string][]cellResult{}
	widths = map[string]int{}
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
		runs[d.Params.Net] = append(runs[d.Params.Net], d.Result)
		widths[d.Params.Net] = d.Params.Width
	}
	return born, runs, widths
}

// netStats is one net's runs, summarised over seeds.
type netStats struct {
	width, params             int
	acc, dead, would, seconds metrics.Estimate
	diverged, runs            int
	deadMax                   float64
}

// summarizeNet reads one net's runs. A diverged run counts as chance
// accuracy and is left out of the dead-unit estimates, which the cell does
// not measure for it.
func summarizeNet(runs []cellResult, width int) netStats {
	st := netStats{width: width, runs: len(runs)}
	var acc, dead, would, secs []float64
	for _, r := range runs {
		st.params = r.Params
		if r.Train.Diverged {
			st.diverged++
			acc = append(acc, chanceAccuracy)
		} else {
			acc = append(acc, r.Train.Final().TestAcc)
			dead, would = append(dead, r.Dead), append(would, r.WouldBeDead)
			st.deadMax = math.Max(st.deadMax, r.Dead)
		}
		if r.SecondsPerEpoch > 0 {
			secs = append(secs, r.SecondsPerEpoch)
		}
	}
	st.acc, st.dead, st.would = metrics.MeanCI(acc).Clamp(0, 1), metrics.MeanCI(dead).Clamp(0, 1), metrics.MeanCI(would).Clamp(0, 1)
	st.seconds = metrics.MeanCI(secs)
	return st
}

// trainingTables builds the accuracy and dead-unit table, the wall-clock
// timing table (volatile: Markdown and terminal only) and the per-epoch
// records of the MNIST runs.
func trainingTables(c *Config, nets []netSpec, stats map[string]netStats, runs map[string][]cellResult) (table, timing, records result.Table) {
	table = result.Table{Name: "twosided",
		Title:   fmt.Sprintf("MNIST, %d hidden layers, %d training examples, %d epochs (%s, lr %g): mean [95%% CI] over seeds", c.Depth, c.TrainExamples, c.Epochs, c.Optimizer, c.LR),
		Columns: []string{"net", "width", "parameters", "test accuracy", "dead units", "would-be dead", "diverged"},
		Note:    "Dead: output exactly 0 on every training example, after training. Would-be dead: pre-activation <= 0 on every training example."}
	timing = result.Table{Name: "twosided-timing", Volatile: true,
		Title:   "Seconds per training epoch (wall clock), mean [95% CI] over seeds",
		Columns: []string{"net", "width", "parameters", "s/epoch"},
		Note:    "Measured on this machine with other cells running beside it: not reproducible, so kept out of the CSV files and summary.json."}
	records = result.Table{Name: "twosided", Columns: []string{"net", "variant", "width", "params", "seed", "epoch", "train_loss", "test_acc", "dead_init", "dead", "would_be_dead", "diverged"}}
	for _, n := range nets {
		s := stats[n.String()]
		table.Rows = append(table.Rows, []string{n.String(), kit.Itoa(s.width), kit.Itoa(s.params), kit.FmtEstimate(s.acc, 4), kit.FmtEstimate(s.dead, 3),
			kit.FmtEstimate(s.would, 3), fmt.Sprintf("%d/%d", s.diverged, s.runs)})
		timing.Rows = append(timing.Rows, []string{n.String(), kit.Itoa(s.width), kit.Itoa(s.params), kit.FmtEstimate(s.seconds, 2)})
		for seed, r := range runs[n.String()] {
			for _, e := range r.Train.Epochs {
				records.Rows = append(records.Rows, []string{n.String(), n.Variant, kit.Itoa(s.width), kit.Itoa(r.Params), kit.Itoa(seed), kit.Itoa(e.Epoch),
					kit.Ftoa(e.TrainLoss), kit.Ftoa(e.TestAcc), kit.Ftoa(r.DeadInit), kit.Ftoa(r.Dead), kit.Ftoa(r.WouldBeDead), fmt.Sprint(r.Train.Diverged)})
			}
		}
	}
	return table, timing, records
}

// bornDeadTables builds the born-dead table (rate by depth, per net and
// base width) and its records (counts at every depth).
func bornDeadTables(c *Config, nets []netSpec, born map[kit.BornKey]*kit.BornResult) (table, records result.Table) {
	table = result.Table{Name: "twosided-born-dead",
		Title:   fmt.Sprintf("Born dead: fraction of nets (one input, zero biases, He init) constant on [-1, 1], %d initialisations each, 95%% CI", c.BornInits),
		Columns: append([]string{"net", "base width w", "width"}, kit.DepthHeaders(c.BornDepths)...),
		Note:    "matched: the width with about the parameter count of twosided:w at the deepest depth shown."}
	records = result.Table{Name: "twosided-born-dead", Columns: []string{"net", "base_width", "width", "depth", "inits", "dead_at_x1", "constant_on_grid"}}
	for _, n := range nets {
		for _, w := range c.BornWidths {
			bw := bornWidth(c, n, w)
			b := born[kit.BornKey{Variant: n.Variant, Init: kit.HeInit, Width: bw}]
			row := []string{n.String(), kit.Itoa(w), kit.Itoa(bw)}
			for _, h := range c.BornDepths {
				row = append(row, kit.FmtEstimate(metrics.ProportionCI(b.Constant[h-1], b.Inits), 3))
			}
			table.Rows = append(table.Rows, row)
			for h := 1; h <= len(b.Constant); h++ {
				records.Rows = append(records.Rows, []string{n.String(), kit.Itoa(w), kit.Itoa(bw), kit.Itoa(h), kit.Itoa(b.Inits), kit.Itoa(b.DeadAtOne[h-1]), kit.Itoa(b.Constant[h-1])})
			}
		}
	}
	return table, records
}

func comparisonFigure(c *Config, nets []netSpec, stats map[string]netStats, runs map[string][]cellResult, born map[kit.BornKey]*kit.BornResult) result.Figure {
	fig := result.Figure{Name: "twosided", Title: "Two-sided ReLU against ReLU of the same, double and matched width",
		Caption: "Left: MNIST test accuracy after training, mean over seeds with 95% CI (bar labels give the parameter count). Middle: test accuracy by epoch. Right: fraction of nets born dead (constant on [-1, 1]) by depth at the smallest base width, with 95% Wilson band."}
	fig.Panels = []result.Panel{accuracyBarPanel(nets, stats), accuracyCurvePanel(nets, runs), bornDeadPanel(c, nets, born)}
	return fig
}

// accuracyBarPanel shows each net's final test accuracy, labelled with its
// parameter count in thousands.
func accuracyBarPanel(nets []netSpec, stats map[string]netStats) result.Panel {
	bars := &result.Bars{}
	group := result.BarGroup{Label: "test accuracy"}
	for _, n := range nets {
		s := stats[n.String()]
		bars.Categories = append(bars.Categories, fmt.Sprintf("%s (%dk)", n, (s.params+500)/1000))
		group.Values, group.Lo, group.Hi = append(group.Values, s.acc.Mean), append(group.Lo, s.acc.Lo), append(group.Hi, s.acc.Hi)
	}
	bars.Groups = []result.BarGroup{group}
	accs := []float64{}
	for _, n := range nets {
		if a := stats[n.String()].acc; !math.IsNaN(a.Lo) {
			accs = append(accs, a.Lo)
		}
	}
	panel := result.Panel{Kind: result.BarPanel, Title: "accuracy after training", YLabel: "test accuracy", Bars: bars}
	if len(accs) > 0 {
		// Accuracies differ in the second decimal: start the axis near them.
		panel.YMin, panel.YMax = math.Max(0, math.Floor(20*slices.Min(accs))/20-0.05), 1
	}
	return panel
}

func accuracyCurvePanel(nets []netSpec, runs map[string][]cellResult) result.Panel {
	panel := result.Panel{Kind: result.LinePanel, Title: "accuracy by epoch", XLabel: "epoch", YLabel: "test accuracy"}
	for i, n := range nets {
		var outs []kit.TrainOutcome
		for _, r := range runs[n.String()] {
			outs = append(outs, *r.Train)
		}
		panel.Lines = append(panel.Lines, kit.EpochCurve(n.String(), outs, i))
	}
	return panel
}

// bornDeadPanel shows the born-dead rate by depth at the smallest base
// width, where the nets differ most.
func bornDeadPanel(c *Config, nets []netSpec, born map[kit.BornKey]*kit.BornResult) result.Panel {
	w := c.BornWidths[0]
	panel := result.Panel{Kind: result.LinePanel, Title: fmt.Sprintf("born dead, base width %d", w), XLabel: "depth H (hidden layers)", YLabel: "fraction of nets", YMin: 0, YMax: 1}
	for i, n := range nets {
		bw := bornWidth(c, n, w)
		b := born[kit.BornKey{Variant: n.Variant, Init: kit.HeInit, Width: bw}]
		ln := result.Line{Label: fmt.Sprintf("%s (width %d)", n, bw), Style: i}
		for h, k := range b.Constant {
			e := metrics.ProportionCI(k, b.Inits)
			ln.X, ln.Y, ln.Lo, ln.Hi = append(ln.X, float64(h+1)), append(ln.Y, e.Mean), append(ln.Lo, e.Lo), append(ln.Hi, e.Hi)
		}
		panel.Lines = append(panel.Lines, ln)
	}
	return panel
}

// cannotDieEvidenceOf gathers twosided:w's dead units after training and
// the born-dead counts of the twosided nets at the deepest depth, over all
// base widths.
func cannotDieEvidenceOf(c *Config, stats map[string]netStats, born map[kit.BornKey]*kit.BornResult) cannotDieEvidence {
	ts, ok := stats["twosided:w"]
	if !ok {
		return cannotDieEvidence{}
	}
	e := cannotDieEvidence{ran: true, dead: ts.dead, wouldBeDead: ts.would, deadMax: ts.deadMax, bornDepth: slices.Max(c.BornDepths)}
	for _, w := range c.BornWidths {
		b := born[kit.BornKey{Variant: "twosided", Init: kit.HeInit, Width: bornWidth(c, netSpec{"twosided", "w"}, w)}]
		e.bornDead += b.Constant[len(b.Constant)-1]
		e.bornInits += b.Inits
	}
	// The ReLU net of the smallest base width, when some net needed it.
	if b := born[kit.BornKey{Variant: "relu", Init: kit.HeInit, Width: c.BornWidths[0]}]; b != nil {
		e.relu = &bornDeadRate{width: c.BornWidths[0], dead: b.Constant[len(b.Constant)-1], inits: b.Inits}
	}
	return e
}

func worthItEvidenceOf(stats map[string]netStats) worthItEvidence {
	accuracy := func(net string) *netAccuracy {
		s, ok := stats[net]
		if !ok {
			return nil
		}
		return &netAccuracy{acc: s.acc, width: s.width, params: s.params}
	}
	return worthItEvidence{twoSided: accuracy("twosided:w"), matched: accuracy("relu:matched"), double: accuracy("relu:2w"), single: accuracy("relu:w")}
}
