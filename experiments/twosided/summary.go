package twosided

import (
	"fmt"
	"math"
	"slices"

	"github.com/reluexp/reluexp/experiments/harness"
	"github.com/reluexp/reluexp/experiments/kit"
	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/metrics"
	"github.com/reluexp/reluexp/model"
)

func summarize(c *Config, done []harness.Done[cellParams, cellResult]) (*result.Result, error) {
	born, runs, widths := collect(c, done)
	nets := configNets(c)
	stats := map[arm]netStats{}
	for a, rs := range runs {
		stats[a] = summarizeNet(rs, widths[a], c.Depth)
	}
	table, timing, records := trainingTables(c, nets, stats, runs)
	stressTable := stressTableOf(c, stats)
	paramTable, paramRecords := parameterTables(c, stats)
	bornTable, bornRecords := bornDeadTables(c, born)

	res := &result.Result{}
	res.Tables = append(res.Tables, paramTable, stressTable, table, bornTable, timing)
	res.Records = append(res.Records, records, bornRecords, paramRecords)
	res.Figures = append(res.Figures, dyingFigure(c, stats, runs, born), worthItFigure(c, nets, stats, runs))
	res.Verdicts = append(res.Verdicts,
		cannotDieVerdict(cannotDieEvidenceOf(c, stats)),
		doublesWeightsVerdict(doublesEvidenceOf(c, stats)),
		bornDeadVerdict(bornDeadEvidenceOf(c, born)),
		worthItVerdict(worthItEvidenceOf(c, stats)))
	res.Notes = append(res.Notes,
		fmt.Sprintf("A run diverges when its loss goes above %.4g (10 ln 10) or is not finite; it stops there, is counted in the tables' diverged column, and is left out of every accuracy and dead-unit estimate and of every paired difference (never counted as chance accuracy or as dead units).", divergenceCap),
		"Paired seeds: every net of seed s trains on the same data order, and nets of the same width start from the same first-layer weights; differences are means of per-seed differences.",
		"Time per epoch is measured but, like any wall-clock time, varies from run to run: it appears in the Markdown table only, never in the CSV records, summary.json or the verdicts.")
	return res, nil
}

// divergenceCap is the loss cap of the MNIST runs (kit.TrainClassifier's),
// quoted in the notes.
var divergenceCap = model.DivergenceCap(10)

// arm is one net in one setting: kind is kindTrain or kindStress.
type arm struct{ kind, net string }

// collect sorts the finished cells: born-dead counts pooled per (variant,
// init, width), and each arm's training runs indexed by seed, with its
// width.
func collect(c *Config, done []harness.Done[cellParams, cellResult]) (born map[kit.BornKey]*kit.BornResult, runs map[arm][]*cellResult, widths map[arm]int) {
	born = map[kit.BornKey]*kit.BornResult{}
	runs = map[arm][]*cellResult{}
	widths = map[arm]int{}
	for _, d := range done {
		if d.Params.Kind == kindBorn {
			b := d.Params.Born
			k := kit.BornKey{Variant: b.Variant, Init: b.Init, Width: b.Width}
			if born[k] == nil {
				born[k] = &kit.BornResult{}
			}
			born[k].Add(*d.Result.Born)
			continue
		}
		a := arm{d.Params.Kind, d.Params.Net}
		if runs[a] == nil {
			runs[a] = make([]*cellResult, c.Seeds)
		}
		r := d.Result
		runs[a][d.Params.Seed] = &r
		widths[a] = d.Params.Width
	}
	return born, runs, widths
}

// netStats is one arm's runs, summarised over seeds. Runs that diverged
// are counted and left out of every estimate; their per-seed values are
// NaN, which metrics.PairedDiff leaves out of the pairs.
type netStats struct {
	width, params int
	layers        []LayerCount
	// acc, dead, would: mean [95% CI] over the runs that did not diverge,
	// clamped to [0, 1]; seconds over every run.
	acc, dead, would, seconds metrics.Estimate
	// accs and deads are per seed (NaN for a diverged or missing run).
	accs, deads    []float64
	diverged, runs int
	// deadUnits of units hidden units (runs that did not diverge) were
	// dead after training.
	deadUnits, units int
}

func summarizeNet(runs []*cellResult, width, depth int) netStats {
	st := netStats{width: width}
	var secs, would []float64
	for _, r := range runs {
		if r == nil {
			st.accs, st.deads = append(st.accs, math.NaN()), append(st.deads, math.NaN())
			continue
		}
		st.runs++
		st.params, st.layers = r.Params, r.Layers
		if r.SecondsPerEpoch > 0 {
			secs = append(secs, r.SecondsPerEpoch)
		}
		if diverged(r) {
			st.diverged++
			st.accs, st.deads = append(st.accs, math.NaN()), append(st.deads, math.NaN())
			continue
		}
		st.accs, st.deads = append(st.accs, r.Train.Final().TestAcc), append(st.deads, r.Dead)
		would = append(would, r.WouldBeDead)
		st.deadUnits += int(math.Round(r.Dead * float64(width*depth)))
		st.units += width * depth
	}
	st.acc, st.dead, st.would = metrics.MeanCI(st.accs).Clamp(0, 1), metrics.MeanCI(st.deads).Clamp(0, 1), metrics.MeanCI(would).Clamp(0, 1)
	st.seconds = metrics.MeanCI(secs)
	return st
}

// diverged reports a run that diverged (or whose dead units were not
// measured, which happens only then).
func diverged(r *cellResult) bool { return r.Train == nil || r.Train.Diverged || !r.Measured }

// settingOf describes how an arm was trained, for titles and rules.
func settingOf(c *Config, kind string) string {
	if kind == kindStress {
		return fmt.Sprintf("%s, lr %g, %d epochs", c.StressOptimizer, c.StressLR, c.Epochs)
	}
	return fmt.Sprintf("%s, lr %g, %d epochs", c.Optimizer, c.LR, c.Epochs)
}

// pairedAgainst is twosided:w's per-seed accuracy minus net's, in the
// accuracy comparison; nil-safe: a net not run gives an empty comparison.
func pairedAgainst(stats map[arm]netStats, net string) (metrics.Paired, bool) {
	ts, ok1 := stats[arm{kindTrain, "twosided:w"}]
	o, ok2 := stats[arm{kindTrain, net}]
	if !ok1 || !ok2 {
		return metrics.Paired{}, false
	}
	return metrics.PairedDiff(ts.accs, o.accs), true
}

// trainingTables builds the accuracy table, the wall-clock timing table
// (volatile: Markdown and terminal only) and the per-epoch records of every
// MNIST run.
func trainingTables(c *Config, nets []netSpec, stats map[arm]netStats, runs map[arm][]*cellResult) (table, timing, records result.Table) {
	table = result.Table{Name: "twosided",
		Title: fmt.Sprintf("Is it worth its weights? %s, %d hidden layers, %d training examples, %s: mean [95%% CI] over the seeds that did not diverge",
			c.Dataset.Title(), c.Depth, c.TrainExamples, settingOf(c, kindTrain)),
		Columns: []string{"net", "width", "parameters", "test accuracy", "twosided:w minus net (paired)", "dead units", "would-be dead", "diverged"},
		Note: "Dead: output exactly 0 on every training example, after training. Would-be dead: pre-activation <= 0 on every training example. " +
			fmt.Sprintf("Paired: mean [95%% CI] of per-seed differences; the margin that matters is %g.", accuracyMargin)}
	timing = result.Table{Name: "twosided-timing", Volatile: true,
		Title:   "Seconds per training epoch (wall clock), mean [95% CI] over seeds",
		Columns: []string{"setting", "net", "width", "parameters", "s/epoch"},
		Note:    "Measured on this machine with other cells running beside it: not reproducible, so kept out of the CSV files and summary.json. Stress runs also count dead units after every epoch."}
	records = result.Table{Name: "twosided", Columns: []string{"setting", "optimizer", "lr", "net", "variant", "width", "params", "seed", "epoch", "train_loss", "test_acc",
		"dead_at_epoch", "would_be_dead_at_epoch", "dead_init", "dead", "would_be_dead", "diverged", "diverged_step"}}
	for _, n := range nets {
		s := stats[arm{kindTrain, n.String()}]
		diff := "-"
		if n.String() != "twosided:w" {
			if p, ok := pairedAgainst(stats, n.String()); ok {
				diff = fmtPaired(p, 4)
			}
		}
		table.Rows = append(table.Rows, []string{n.String(), kit.Itoa(s.width), kit.Itoa(s.params), kit.FmtEstimate(s.acc, 4), diff, kit.FmtEstimate(s.dead, 3),
			kit.FmtEstimate(s.would, 3), fmt.Sprintf("%d/%d", s.diverged, s.runs)})
	}
	for _, kind := range []string{kindStress, kindTrain} {
		list := nets
		optimizer, lr := c.Optimizer, c.LR
		if kind == kindStress {
			list, optimizer, lr = stressNets, c.StressOptimizer, c.StressLR
		}
		for _, n := range list {
			a := arm{kind, n.String()}
			s := stats[a]
			timing.Rows = append(timing.Rows, []string{kind, n.String(), kit.Itoa(s.width), kit.Itoa(s.params), kit.FmtEstimate(s.seconds, 2)})
			for seed, r := range runs[a] {
				if r == nil {
					continue
				}
				dead, would, deadInit := "", "", kit.Ftoa(r.DeadInit)
				if !diverged(r) {
					dead, would = kit.Ftoa(r.Dead), kit.Ftoa(r.WouldBeDead)
				}
				if len(r.Train.Epochs) == 0 {
					deadInit = ""
				}
				for i, e := range r.Train.Epochs {
					de, we := "", ""
					if i < len(r.DeadByEpoch) {
						de, we = kit.Ftoa(r.DeadByEpoch[i]), kit.Ftoa(r.WouldByEpoch[i])
					}
					records.Rows = append(records.Rows, []string{kind, optimizer, kit.Ftoa(lr), n.String(), n.Variant, kit.Itoa(s.width), kit.Itoa(r.Params), kit.Itoa(seed), kit.Itoa(e.Epoch),
						kit.Ftoa(e.TrainLoss), kit.Ftoa(e.TestAcc), de, we, deadInit, dead, would, fmt.Sprint(r.Train.Diverged), kit.Itoa(r.Train.DivergedStep)})
				}
			}
		}
	}
	return table, timing, records
}

// fmtPaired writes a paired difference "d [lo, hi]" with a sign.
func fmtPaired(p metrics.Paired, digits int) string {
	switch {
	case p.Diff.N == 0:
		return "n/a"
	case p.Diff.N < 2:
		return fmt.Sprintf("%+.*f", digits, p.Diff.Mean)
	}
	return fmt.Sprintf("%+.*f [%+.*f, %+.*f]", digits, p.Diff.Mean, digits, p.Diff.Lo, digits, p.Diff.Hi)
}

// stressTableOf is the dying stress test: relu:w against twosided:w.
func stressTableOf(c *Config, stats map[arm]netStats) result.Table {
	t := result.Table{Name: "twosided-stress",
		Title: fmt.Sprintf("Can its units die? %s, %d hidden layers of %d, %d training examples, %s (a learning rate that kills ReLU units): mean [95%% CI] over the seeds that did not diverge",
			c.Dataset.Title(), c.Depth, c.Width, c.TrainExamples, settingOf(c, kindStress)),
		Columns: []string{"net", "width", "dead units", "dead units (count)", "would-be dead", "test accuracy", "diverged"},
		Note:    fmt.Sprintf("Dead: output exactly 0 on every training example, after training; the margin that matters is %g. Would-be dead: pre-activation <= 0 on every training example (dead had the unit been a ReLU). Count: dead units of all hidden units, summed over the runs that did not diverge.", deadMargin)}
	for _, n := range stressNets {
		s := stats[arm{kindStress, n.String()}]
		t.Rows = append(t.Rows, []string{n.String(), kit.Itoa(s.width), kit.FmtEstimate(s.dead, 3), fmt.Sprintf("%d of %d", s.deadUnits, s.units),
			kit.FmtEstimate(s.would, 3), kit.FmtEstimate(s.acc, 4), fmt.Sprintf("%d/%d", s.diverged, s.runs)})
	}
	return t
}

// parameterTables count the dense layers of relu:w and twosided:w as the
// stress runs built them (the nets are the same in both settings).
func parameterTables(c *Config, stats map[arm]netStats) (table, records result.Table) {
	relu, ts := stats[arm{kindStress, "relu:w"}], stats[arm{kindStress, "twosided:w"}]
	table = result.Table{Name: "twosided-parameters",
		Title:   fmt.Sprintf("Parameters per dense layer at width %d, as allocated (784 inputs, %d hidden layers, 10 outputs)", c.Width, c.Depth),
		Columns: []string{"layer", "relu:w weights", "relu:w biases", "twosided:w weights", "twosided:w biases", "weights, twosided / relu"},
		Note:    "A two-sided layer outputs [relu(z), min(z, 0)]: the dense layer it feeds has twice the rows. The first layer is fed by the inputs and is not doubled."}
	records = result.Table{Name: "twosided-parameters", Columns: []string{"net", "width", "layer", "weights", "biases"}}
	for i := range min(len(relu.layers), len(ts.layers)) {
		r, t := relu.layers[i], ts.layers[i]
		table.Rows = append(table.Rows, []string{r.Name, kit.Itoa(r.Weights), kit.Itoa(r.Biases), kit.Itoa(t.Weights), kit.Itoa(t.Biases),
			kit.FmtFloat(float64(t.Weights)/float64(r.Weights), 3)})
	}
	if relu.params > 0 {
		table.Rows = append(table.Rows, []string{"whole net", kit.Itoa(relu.params), "", kit.Itoa(ts.params), "", kit.FmtFloat(float64(ts.params)/float64(relu.params), 3) + " (all parameters)"})
	}
	for _, n := range stressNets {
		s := stats[arm{kindStress, n.String()}]
		for _, l := range s.layers {
			records.Rows = append(records.Rows, []string{n.String(), kit.Itoa(s.width), l.Name, kit.Itoa(l.Weights), kit.Itoa(l.Biases)})
		}
	}
	return table, records
}

// bornDeadTables builds the born-dead table (rate by depth, per net and
// base width) and its records (counts at every depth).
func bornDeadTables(c *Config, born map[kit.BornKey]*kit.BornResult) (table, records result.Table) {
	table = result.Table{Name: "twosided-born-dead",
		Title:   fmt.Sprintf("Born dead: fraction of nets (one input, zero biases, He init) constant on [-1, 1], %d initialisations each, 95%% Wilson CI", c.BornInits),
		Columns: append([]string{"net", "base width w", "width"}, kit.DepthHeaders(c.BornDepths)...),
		Note:    fmt.Sprintf("matched: the width with about the parameter count of twosided:w at the deepest depth shown. The margin that matters is %g.", bornDeadMargin)}
	records = result.Table{Name: "twosided-born-dead", Columns: []string{"net", "base_width", "width", "depth", "inits", "dead_at_x1", "constant_on_grid"}}
	for _, n := range bornNets(c) {
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

// ---------------------------------------------------------------------------
// Figures.

// dyingFigure shows the main verdict (dead units under the stress, by
// epoch) and the born-dead rate.
func dyingFigure(c *Config, stats map[arm]netStats, runs map[arm][]*cellResult, born map[kit.BornKey]*kit.BornResult) result.Figure {
	fig := result.Figure{Name: "twosided-dying", Title: "Can a two-sided unit die?",
		Caption: fmt.Sprintf("Left: fraction of hidden units dead (output 0 on every training example) after each epoch at %s, mean over the seeds that did not diverge with 95%% CI; "+
			"the dashed twosided:w line is its would-be-dead fraction (pre-activation <= 0 everywhere: units a ReLU would have lost, which still pass gradient through their second weights); "+
			"the dashed line labelled margin is the margin %g; diverged runs, if any, are marked at the top where they stopped. "+
			"Right: fraction of nets born dead (constant on [-1, 1]) by depth at base width %d, with 95%% Wilson bands.", settingOf(c, kindStress), deadMargin, c.BornWidths[0])}
	fig.Panels = []result.Panel{stressPanel(c, stats, runs), bornDeadPanel(c, born)}
	return fig
}

// stressPanel draws the dead fraction by epoch of the stress nets.
func stressPanel(c *Config, stats map[arm]netStats, runs map[arm][]*cellResult) result.Panel {
	panel := result.Panel{Kind: result.LinePanel, Title: "dead units during training, " + settingOf(c, kindStress), XLabel: "epoch", YLabel: "fraction of hidden units dead"}
	top := deadMargin
	for i, n := range stressNets {
		rs := runs[arm{kindStress, n.String()}]
		dead := epochCurve(n.String()+" dead", rs, func(r *cellResult) []float64 { return r.DeadByEpoch }, i)
		panel.Lines = append(panel.Lines, dead)
		if n.Variant == "twosided" {
			would := epochCurve(n.String()+" would-be dead", rs, func(r *cellResult) []float64 { return r.WouldByEpoch }, i)
			would.Theory, would.Points = true, false
			panel.Lines = append(panel.Lines, would)
		}
	}
	for _, ln := range panel.Lines {
		for _, h := range ln.Hi {
			top = math.Max(top, h)
		}
	}
	top = math.Min(1, math.Ceil(11*top)/10)
	panel.YMin, panel.YMax = 0, top
	panel.Lines = append(panel.Lines, result.Line{Label: fmt.Sprintf("margin %g", deadMargin), X: []float64{0, float64(c.Epochs)}, Y: []float64{deadMargin, deadMargin}, Theory: true, Style: 7})
	for i, n := range stressNets {
		panel.Markers = append(panel.Markers, divergedMarkers(c, runs[arm{kindStress, n.String()}], 0.97*top, i)...)
	}
	return panel
}

// epochCurve is the mean [95% CI] of a per-epoch series over the runs that
// did not diverge, clamped to [0, 1].
func epochCurve(label string, runs []*cellResult, series func(*cellResult) []float64, style int) result.Line {
	ln := result.Line{Label: label, Points: true, Style: style}
	for e := 0; ; e++ {
		var xs []float64
		for _, r := range runs {
			if r == nil || diverged(r) {
				continue
			}
			if s := series(r); e < len(s) {
				xs = append(xs, s[e])
			}
		}
		if len(xs) == 0 {
			return ln
		}
		est := metrics.MeanCI(xs).Clamp(0, 1)
		ln.X, ln.Y, ln.Lo, ln.Hi = append(ln.X, float64(e)), append(ln.Y, est.Mean), append(ln.Lo, est.Lo), append(ln.Hi, est.Hi)
	}
}

// divergedMarkers marks each diverged run at the (fractional) epoch at
// which it stopped, at height y: never as a value.
func divergedMarkers(c *Config, runs []*cellResult, y float64, style int) []result.Marker {
	var out []result.Marker
	stepsPerEpoch := float64(c.TrainExamples / min(c.Batch, c.TrainExamples))
	for _, r := range runs {
		if r == nil || r.Train == nil || !r.Train.Diverged {
			continue
		}
		out = append(out, result.Marker{Label: "diverged", X: math.Min(float64(c.Epochs), float64(max(r.Train.DivergedStep, 0))/stepsPerEpoch), Y: y, Style: style})
	}
	return out
}

// bornDeadPanel shows the born-dead rate by depth at the smallest base
// width, where the nets differ most.
func bornDeadPanel(c *Config, born map[kit.BornKey]*kit.BornResult) result.Panel {
	w := c.BornWidths[0]
	panel := result.Panel{Kind: result.LinePanel, Title: fmt.Sprintf("born dead, base width %d", w), XLabel: "depth H (hidden layers)", YLabel: "fraction of nets", YMin: 0, YMax: 1}
	for i, n := range bornNets(c) {
		bw := bornWidth(c, n, w)
		b := born[kit.BornKey{Variant: n.Variant, Init: kit.HeInit, Width: bw}]
		ln := result.Line{Label: fmt.Sprintf("%s (width %d)", n, bw), Style: i, Points: true}
		for h, k := range b.Constant {
			e := metrics.ProportionCI(k, b.Inits)
			ln.X, ln.Y, ln.Lo, ln.Hi = append(ln.X, float64(h+1)), append(ln.Y, e.Mean), append(ln.Lo, e.Lo), append(ln.Hi, e.Hi)
		}
		panel.Lines = append(panel.Lines, ln)
	}
	return panel
}

// worthItFigure shows the accuracy comparison.
func worthItFigure(c *Config, nets []netSpec, stats map[arm]netStats, runs map[arm][]*cellResult) result.Figure {
	bars, floor := accuracyBarPanel(nets, stats)
	curves := accuracyCurvePanel(c, nets, runs)
	fig := result.Figure{Name: "twosided", Title: "Beyond the blog: is the two-sided ReLU worth its weights?",
		Caption: fmt.Sprintf("%s at %s, paired seeds, runs that diverged left out. Left: test accuracy after training, mean (dot) with 95%% CI (labels give the parameter count); "+
			"the axis runs from %.3g to %.3g, not from 0, to show differences of a few tenths of a point. Middle: twosided:w minus each ReLU net, mean of per-seed differences with 95%% CI; "+
			"the dashed line is the margin, %+g: the verdict reads the bar vs relu:matched, worth its weights if its whole interval lies above the line, not worth them if it lies below. Right: by epoch from epoch 1, each net's test accuracy minus relu:w's on the same seed, mean with 95%% CI (the nets' own curves lie within a point of each other); the verdict's margin applies to the gap between the twosided:w and relu:matched curves, shown in the middle panel at the end of training; pairs in which either run diverged are left out (diverged runs are counted in the table).",
			c.Dataset.Title(), settingOf(c, kindTrain), floor, bars.YMax, accuracyMargin)}
	fig.Panels = []result.Panel{bars, differencePanel(nets, stats), curves}
	return fig
}

// accuracyBarPanel shows each net's final test accuracy, labelled with its
// parameter count in thousands. The axis starts at floor (returned), a
// tenth below the lowest interval, and says so.
func accuracyBarPanel(nets []netSpec, stats map[arm]netStats) (result.Panel, float64) {
	// Dots, not bars: the axis does not start at 0, so a bar's length
	// would mean nothing (figure audit 25).
	bars := &result.Bars{Dots: true}
	group := result.BarGroup{Label: "test accuracy"}
	lowest, highest := 1.0, 0.0
	for _, n := range nets {
		s := stats[arm{kindTrain, n.String()}]
		label := fmt.Sprintf("%s (%dk)", n, (s.params+500)/1000)
		if s.diverged > 0 {
			label += fmt.Sprintf(", %d/%d diverged", s.diverged, s.runs)
		}
		bars.Categories = append(bars.Categories, label)
		group.Values, group.Lo, group.Hi = append(group.Values, s.acc.Mean), append(group.Lo, s.acc.Lo), append(group.Hi, s.acc.Hi)
		if !math.IsNaN(s.acc.Lo) {
			lowest, highest = math.Min(lowest, s.acc.Lo), math.Max(highest, s.acc.Hi)
		}
	}
	bars.Groups = []result.BarGroup{group}
	floor := axisFloor(lowest)
	// The top a little above the highest interval (the axis up to 1 left
	// most of its height empty), never past 1.
	top := 1.0
	if highest > floor {
		top = math.Min(1, highest+0.25*(highest-floor))
	}
	return result.Panel{Kind: result.BarPanel, Title: "accuracy after training", YLabel: fmt.Sprintf("test accuracy (axis from %.2f)", floor), Bars: bars, YMin: floor, YMax: top}, floor
}

// differencePanel shows twosided:w minus every other net, paired by seed.
func differencePanel(nets []netSpec, stats map[arm]netStats) result.Panel {
	bars := &result.Bars{}
	group := result.BarGroup{Label: "twosided:w minus net"}
	for _, n := range nets {
		if n.String() == "twosided:w" {
			continue
		}
		p, ok := pairedAgainst(stats, n.String())
		if !ok {
			continue
		}
		bars.Categories = append(bars.Categories, "vs "+n.String())
		group.Values, group.Lo, group.Hi = append(group.Values, p.Diff.Mean), append(group.Lo, p.Diff.Lo), append(group.Hi, p.Diff.Hi)
	}
	bars.Groups = []result.BarGroup{group}
	bars.Refs = []result.RefLine{{Label: fmt.Sprintf("margin %+g (worth it above)", accuracyMargin), Y: accuracyMargin}}
	return result.Panel{Kind: result.BarPanel, Title: "paired difference in test accuracy", YLabel: "twosided:w minus net", Bars: bars}
}

// accuracyCurvePanel shows, by epoch from epoch 1, each net's test
// accuracy minus relu:w's on the same seed (pairs where either run
// diverged left out), mean with 95% CI, with zero as a dashed line: the
// nets' own curves lie within a point of each other and would hide the
// differences the verdict reads.
func accuracyCurvePanel(c *Config, nets []netSpec, runs map[arm][]*cellResult) result.Panel {
	const ref = "relu:w"
	panel := result.Panel{Kind: result.LinePanel, Title: "test accuracy minus " + ref + "'s, by epoch", XLabel: "epoch", YLabel: "minus " + ref + " (paired seeds)"}
	base := runs[arm{kindTrain, ref}]
	testAcc := func(r *cellResult, e int) (float64, bool) {
		if r == nil || diverged(r) || r.Train == nil || e >= len(r.Train.Epochs) {
			return 0, false
		}
		return r.Train.Epochs[e].TestAcc, true
	}
	var first, last float64 = math.Inf(1), math.Inf(-1)
	for i, n := range nets {
		if n.String() == ref {
			continue
		}
		rs := runs[arm{kindTrain, n.String()}]
		ln := result.Line{Label: n.String(), Points: true, Style: i}
		for e := 1; e <= c.Epochs; e++ {
			var ds []float64
			for s := range min(len(rs), len(base)) {
				a, ok1 := testAcc(rs[s], e)
				b, ok2 := testAcc(base[s], e)
				if ok1 && ok2 {
					ds = append(ds, a-b)
				}
			}
			if len(ds) == 0 {
				continue
			}
			est := metrics.MeanCI(ds)
			ln.X, ln.Y, ln.Lo, ln.Hi = append(ln.X, float64(e)), append(ln.Y, est.Mean), append(ln.Lo, est.Lo), append(ln.Hi, est.Hi)
			first, last = math.Min(first, float64(e)), math.Max(last, float64(e))
		}
		panel.Lines = append(panel.Lines, ln)
	}
	if first <= last {
		// No margin line: the verdict's margin is on twosided:w minus
		// relu:matched (the middle panel), the gap between two curves here.
		panel.Lines = append(panel.Lines, result.Line{Label: "no difference from " + ref, X: []float64{first, last}, Y: []float64{0, 0}, Theory: true, Style: 0})
	}
	return panel
}

// axisFloor is a round value (a multiple of 0.05) at least a point below
// lowest, where an accuracy axis starts: 0.94 gives 0.90.
func axisFloor(lowest float64) float64 {
	return math.Max(0, math.Round(100*math.Floor(20*(lowest-0.01))/20)/100)
}

// ---------------------------------------------------------------------------
// Evidence for the rules.

func cannotDieEvidenceOf(c *Config, stats map[arm]netStats) cannotDieEvidence {
	death := func(s netStats) armDeath {
		return armDeath{dead: s.dead, would: s.would, acc: s.acc, deadUnits: s.deadUnits, units: s.units, diverged: s.diverged, runs: s.runs}
	}
	relu, ts := stats[arm{kindStress, "relu:w"}], stats[arm{kindStress, "twosided:w"}]
	return cannotDieEvidence{data: c.Dataset, setting: settingOf(c, kindStress), net: fmt.Sprintf("an MLP with %d hidden layers of %d", c.Depth, c.Width), relu: death(relu), twoSided: death(ts),
		diff: metrics.PairedDiff(relu.deads, ts.deads), accDiff: stressAccuracyDiff(stats)}
}

// stressAccuracyDiff is twosided:w's test accuracy minus relu:w's under
// the stress, seed by seed (diverged runs left out of the pairs).
func stressAccuracyDiff(stats map[arm]netStats) metrics.Paired {
	relu, ok1 := stats[arm{kindStress, "relu:w"}]
	ts, ok2 := stats[arm{kindStress, "twosided:w"}]
	if !ok1 || !ok2 {
		return metrics.Paired{}
	}
	return metrics.PairedDiff(ts.accs, relu.accs)
}

func doublesEvidenceOf(c *Config, stats map[arm]netStats) doublesEvidence {
	relu, ts := stats[arm{kindStress, "relu:w"}], stats[arm{kindStress, "twosided:w"}]
	return doublesEvidence{width: c.Width, relu: relu.layers, twoSided: ts.layers, reluTotal: relu.params, twoSidedTotal: ts.params}
}

// bornDeadEvidenceOf gathers the born-dead counts of the two-sided nets at
// the deepest depth over all base widths, and ReLU's at the smallest.
func bornDeadEvidenceOf(c *Config, born map[kit.BornKey]*kit.BornResult) bornDeadEvidence {
	e := bornDeadEvidence{data: c.Dataset, depth: slices.Max(c.BornDepths)}
	for _, w := range c.BornWidths {
		if b := born[kit.BornKey{Variant: "twosided", Init: kit.HeInit, Width: bornWidth(c, netSpec{"twosided", "w"}, w)}]; b != nil {
			e.dead += b.Constant[e.depth-1]
			e.inits += b.Inits
		}
	}
	if b := born[kit.BornKey{Variant: "relu", Init: kit.HeInit, Width: c.BornWidths[0]}]; b != nil {
		e.relu = &bornDeadRate{width: c.BornWidths[0], dead: b.Constant[e.depth-1], inits: b.Inits}
	}
	return e
}

func worthItEvidenceOf(c *Config, stats map[arm]netStats) worthItEvidence {
	accuracy := func(net string) *netAccuracy {
		s, ok := stats[arm{kindTrain, net}]
		if !ok {
			return nil
		}
		return &netAccuracy{acc: s.acc, width: s.width, params: s.params, diverged: s.diverged, runs: s.runs}
	}
	e := worthItEvidence{data: c.Dataset, setting: settingOf(c, kindTrain), net: fmt.Sprintf("an MLP with %d hidden layers on %d %s examples", c.Depth, c.TrainExamples, c.Dataset.Title()), twoSided: accuracy("twosided:w"), matched: accuracy("relu:matched"), double: accuracy("relu:2w"), single: accuracy("relu:w")}
	e.vsMatched, _ = pairedAgainst(stats, "relu:matched")
	e.vsDouble, _ = pairedAgainst(stats, "relu:2w")
	e.vsSingle, _ = pairedAgainst(stats, "relu:w")
	if relu, ok := stats[arm{kindStress, "relu:w"}]; ok {
		e.stressSetting, e.stressReLU, e.stressTwoSided = settingOf(c, kindStress), relu.acc, stats[arm{kindStress, "twosided:w"}].acc
		e.stressVsSingle = stressAccuracyDiff(stats)
	}
	return e
}
