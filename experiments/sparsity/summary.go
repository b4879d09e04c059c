package sparsity

import (
	"fmt"
	"math"
	"slices"

	"github.com/reluexp/reluexp/experiments/harness"
	"github.com/reluexp/reluexp/experiments/kit"
	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/metrics"
)

// Glorot, Bordes & Bengio 2011, rectifier nets on MNIST: drawn as anchors
// in the figure, context rather than a target.
const (
	glorotTrainedZeros = 0.834
	glorotInitZeros    = 0.5
)

// chanceAccuracy is what a diverged run is scored at: guessing among
// MNIST's ten classes.
const chanceAccuracy = 0.1

func summarizeSparsity(c *Config, done []harness.Done[sparsityCell, sparsityResult]) (*result.Result, error) {
	runs := runsByVariant(done)
	stats := readVariants(c, runs)
	res := &result.Result{}
	res.Tables = append(res.Tables, summaryTable(c, stats), byLayerTable(c, stats))
	res.Records = append(res.Records, epochRecords(c, runs), histogramRecords(c, runs))
	res.Figures = append(res.Figures, sparsityOverEpochs(c, runs), histogramFigure(c, runs))
	res.Verdicts = append(res.Verdicts, sparserVerdict(sparserEvidenceFrom(stats)), sparseAccuracyVerdict(sparseAccuracyEvidenceFrom(c, stats)))
	res.Notes = append(res.Notes, sparsityNotes(c)...)
	return res, nil
}

// runsByVariant groups the finished cells by variant, in the order the
// runner returns them (by seed within a variant).
func runsByVariant(done []harness.Done[sparsityCell, sparsityResult]) map[string][]sparsityResult {
	runs := map[string][]sparsityResult{}
	for _, d := range done {
		runs[d.Params.Variant] = append(runs[d.Params.Variant], d.Result)
	}
	return runs
}

// sparsityStats reads one variant's runs.
type sparsityStats struct {
	zeroInit, zeroTrained, nearInit, nearTrained, acc metrics.Estimate
	layerZeroInit, layerZeroTrained                   []metrics.Estimate
	layerNearInit, layerNearTrained                   []metrics.Estimate
	diverged, runs                                    int
}

func readVariants(c *Config, runs map[string][]sparsityResult) map[string]sparsityStats {
	stats := map[string]sparsityStats{}
	for _, v := range c.Variants {
		stats[v] = readSparsity(c, runs[v])
	}
	return stats
}

// readSparsity pools one variant's runs. Initial values count every run
// that was measured at all; trained values leave out diverged runs, whose
// activations mean nothing, while accuracy scores them at chance so that
// divergence is not hidden.
func readSparsity(c *Config, runs []sparsityResult) sparsityStats {
	st := sparsityStats{runs: len(runs)}
	var zi, zt, ni, nt, acc []float64
	lzi, lzt, lni, lnt := make([][]float64, c.Depth), make([][]float64, c.Depth), make([][]float64, c.Depth), make([][]float64, c.Depth)
	for _, r := range runs {
		if len(r.Epochs) == 0 {
			// Non-finite already at initialisation: nothing was measured.
			st.diverged++
			acc = append(acc, chanceAccuracy)
			continue
		}
		init := r.Epochs[0]
		zi, ni = append(zi, kit.Mean(init.Zero)), append(ni, kit.Mean(init.NearZero))
		for l := range c.Depth {
			lzi[l], lni[l] = append(lzi[l], init.Zero[l]), append(lni[l], init.NearZero[l])
		}
		if r.Train.Diverged {
			st.diverged++
			acc = append(acc, chanceAccuracy)
			continue
		}
		last := r.Epochs[len(r.Epochs)-1]
		zt, nt = append(zt, kit.Mean(last.Zero)), append(nt, kit.Mean(last.NearZero))
		for l := range c.Depth {
			lzt[l], lnt[l] = append(lzt[l], last.Zero[l]), append(lnt[l], last.NearZero[l])
		}
		acc = append(acc, r.Train.Final().TestAcc)
	}
	st.zeroInit, st.zeroTrained, st.nearInit, st.nearTrained, st.acc = shareCI(zi), shareCI(zt), shareCI(ni), shareCI(nt), shareCI(acc)
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

func summaryTable(c *Config, stats map[string]sparsityStats) result.Table {
	t := result.Table{Name: "sparsity",
		Title:   fmt.Sprintf("Hidden activations on %d training examples, all %d hidden layers of %d, before and after %d epochs (%s, lr %g), mean [95%% CI] over seeds", c.ProbeExamples, c.Depth, c.Width, c.Epochs, c.Optimizer, c.LR),
		Columns: []string{"variant", "exact zeros, init", "exact zeros, trained", nearZeroHeader("init"), nearZeroHeader("trained"), "test accuracy", "diverged"},
		Note:    "Glorot, Bordes & Bengio 2011 (rectifier nets, MNIST): 83.4% exact zeros after training, about 50% at initialisation. Trained columns leave out diverged runs; test accuracy counts them as chance (0.1)."}
	for _, v := range c.Variants {
		s := stats[v]
		t.Rows = append(t.Rows, []string{v, kit.FmtEstimate(s.zeroInit, 3), kit.FmtEstimate(s.zeroTrained, 3), kit.FmtEstimate(s.nearInit, 3),
			kit.FmtEstimate(s.nearTrained, 3), kit.FmtEstimate(s.acc, 4), fmt.Sprintf("%d/%d", s.diverged, s.runs)})
	}
	return t
}

func byLayerTable(c *Config, stats map[string]sparsityStats) result.Table {
	t := result.Table{Name: "sparsity-by-layer", Title: "Exact zeros and near zeros per hidden layer, mean [95% CI] over seeds",
		Columns: []string{"variant", "layer", "exact zeros, init", "exact zeros, trained", nearZeroHeader("init"), nearZeroHeader("trained")}}
	for _, v := range c.Variants {
		s := stats[v]
		for l := range c.Depth {
			t.Rows = append(t.Rows, []string{v, kit.Itoa(l + 1), kit.FmtEstimate(s.layerZeroInit[l], 3), kit.FmtEstimate(s.layerZeroTrained[l], 3),
				kit.FmtEstimate(s.layerNearInit[l], 3), kit.FmtEstimate(s.layerNearTrained[l], 3)})
		}
	}
	return t
}

// epochRecords is the CSV of every measurement: one row per variant, seed,
// epoch and layer.
func epochRecords(c *Config, runs map[string][]sparsityResult) result.Table {
	t := result.Table{Name: "sparsity", Columns: []string{"variant", "seed", "epoch", "layer", "exact_zero", "near_zero", "dead", "train_loss", "test_acc", "diverged"}}
	for _, v := range c.Variants {
		for seed, r := range runs[v] {
			for i, e := range r.Epochs {
				ep := r.Train.Epochs[i]
				for l := range e.Zero {
					t.Rows = append(t.Rows, []string{v, kit.Itoa(seed), kit.Itoa(e.Epoch), kit.Itoa(l + 1), kit.Ftoa(e.Zero[l]), kit.Ftoa(e.NearZero[l]), kit.Ftoa(e.Dead[l]),
						kit.Ftoa(ep.TrainLoss), kit.Ftoa(ep.TestAcc), fmt.Sprint(r.Train.Diverged)})
				}
			}
		}
	}
	return t
}

// histogramStages are the two moments a histogram is taken, in the order
// they are written and drawn.
var histogramStages = []string{"init", "trained"}

// histogramRecords is the CSV of the pooled histograms. Exact zeros are
// not binned, so they get a row of their own (bin 0 to 0), and the tails
// beyond the bins get one each.
func histogramRecords(c *Config, runs map[string][]sparsityResult) result.Table {
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

// pooledHistogram adds up the runs' histograms (trained ones leave out
// diverged runs); nil if there is none.
func pooledHistogram(runs []sparsityResult, trained bool) *metrics.Histogram {
	var out *metrics.Histogram
	for _, r := range runs {
		h := r.Init
		if trained {
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
// none there (it diverged earlier).
type epochValue func(r sparsityResult, epoch int) (float64, bool)

// epochLine is the mean over runs of get at each epoch from 0 to epochs,
// with its 95% CI; epochs where no run has a value are left out.
func epochLine(label string, style, epochs int, rs []sparsityResult, get epochValue) result.Line {
	ln := result.Line{Label: label, Points: true, Style: style}
	for e := 0; e <= epochs; e++ {
		var xs []float64
		for _, r := range rs {
			if v, ok := get(r, e); ok {
				xs = append(xs, v)
			}
		}
		if len(xs) == 0 {
			continue
		}
		est := shareCI(xs)
		ln.X, ln.Y, ln.Lo, ln.Hi = append(ln.X, float64(e)), append(ln.Y, est.Mean), append(ln.Lo, est.Lo), append(ln.Hi, est.Hi)
	}
	return ln
}

func layerZeros(l int) epochValue {
	return func(r sparsityResult, e int) (float64, bool) {
		if e >= len(r.Epochs) {
			return 0, false
		}
		return r.Epochs[e].Zero[l], true
	}
}

func meanNearZeros(r sparsityResult, e int) (float64, bool) {
	if e >= len(r.Epochs) {
		return 0, false
	}
	return kit.Mean(r.Epochs[e].NearZero), true
}

func testAccuracy(r sparsityResult, e int) (float64, bool) {
	if e >= len(r.Train.Epochs) {
		return 0, false
	}
	return r.Train.Epochs[e].TestAcc, true
}

// glorotAnchors are the published shares at initialisation and after
// training, as flat lines across the epochs.
func glorotAnchors(epochs int) []result.Line {
	x := []float64{0, float64(epochs)}
	// Style 6 (black in the palette) for the published values.
	return []result.Line{
		{Label: "Glorot 2011", X: x, Y: []float64{glorotTrainedZeros, glorotTrainedZeros}, Theory: true, Style: 6},
		{X: x, Y: []float64{glorotInitZeros, glorotInitZeros}, Theory: true, Style: 6},
	}
}

// sparsityOverEpochs draws one panel of exact zeros per layer, then near
// zeros and accuracy over all layers.
func sparsityOverEpochs(c *Config, runs map[string][]sparsityResult) result.Figure {
	fig := result.Figure{Name: "sparsity-over-epochs", Title: "Exact zeros in hidden layers over training on MNIST",
		Caption: "Mean over seeds with 95% CI band; epoch 0 is initialisation. Dashed black: Glorot et al. 2011's 50% at initialisation and 83.4% after training (rectifier nets on MNIST).",
		Columns: 3}
	for l := 0; l < c.Depth; l++ {
		pn := result.Panel{Kind: result.LinePanel, Title: fmt.Sprintf("layer %d", l+1), XLabel: "epoch", YLabel: "exact zeros", YMin: 0, YMax: 1}
		for vi, v := range c.Variants {
			pn.Lines = append(pn.Lines, epochLine(v, vi, c.Epochs, runs[v], layerZeros(l)))
		}
		pn.Lines = append(pn.Lines, glorotAnchors(c.Epochs)...)
		fig.Panels = append(fig.Panels, pn)
	}
	near := result.Panel{Kind: result.LinePanel, Title: "near zeros, all hidden layers", XLabel: "epoch", YLabel: fmt.Sprintf("share with |h| < %g", kit.NearZeroEps), YMin: 0, YMax: 1}
	acc := result.Panel{Kind: result.LinePanel, Title: "accuracy", XLabel: "epoch", YLabel: "test accuracy", YMin: 0, YMax: 1}
	for vi, v := range c.Variants {
		near.Lines = append(near.Lines, epochLine(v, vi, c.Epochs, runs[v], meanNearZeros))
		acc.Lines = append(acc.Lines, epochLine(v, vi, c.Epochs, runs[v], testAccuracy))
	}
	fig.Panels = append(fig.Panels, near, acc)
	return fig
}

// histogramFigure draws, per variant, the share of activations in each bin
// before and after training on a log scale, and the share of exact zeros as
// a marker at 0.
func histogramFigure(c *Config, runs map[string][]sparsityResult) result.Figure {
	fig := result.Figure{Name: "activation-histograms", Title: "Hidden activations before and after training (all layers, probe set)",
		Caption: fmt.Sprintf("Share of all hidden activations per bin of width %g (log scale), pooled over seeds; exact zeros are not binned but marked at 0 (the share is the marker's height). Values beyond [%g, %g) are left out.", (histHi-histLo)/histBins, histLo, histHi),
		Columns: 3}
	for _, v := range c.Variants {
		fig.Panels = append(fig.Panels, histogramPanel(v, runs[v]))
	}
	return fig
}

func histogramPanel(variant string, runs []sparsityResult) result.Panel {
	pn := result.Panel{Kind: result.LinePanel, Title: variant, XLabel: "activation h", YLabel: "share of activations", LogY: true}
	smallest := 1.0
	for si, stage := range histogramStages {
		h := pooledHistogram(runs, stage == "trained")
		if h == nil {
			continue
		}
		total := float64(h.Total())
		ln := result.Line{Label: stage, Style: si}
		for b, n := range h.Counts {
			ln.X = append(ln.X, h.Centre(b))
			ln.Y = append(ln.Y, float64(n)/total)
			if n > 0 {
				smallest = math.Min(smallest, float64(n)/total)
			}
		}
		pn.Lines = append(pn.Lines, ln)
		if h.Zeros > 0 {
			pn.Markers = append(pn.Markers, result.Marker{Label: "exact 0, " + stage, X: 0, Y: float64(h.Zeros) / total, Style: si})
		}
	}
	// The log axis starts at the decade of the smallest non-empty bin and
	// goes up to 1, so that a marker for the exact zeros is never clipped.
	pn.YMin, pn.YMax = math.Pow(10, math.Floor(math.Log10(smallest))), 1
	return pn
}

// sparserEvidenceFrom reads ReLU's exact zeros, pooled over all hidden
// layers, for the first rule.
func sparserEvidenceFrom(stats map[string]sparsityStats) sparserEvidence {
	s, ok := stats["relu"]
	return sparserEvidence{reluRan: ok, zeroInit: s.zeroInit, zeroTrained: s.zeroTrained}
}

// sparseAccuracyEvidenceFrom reads the test accuracies and trained exact
// zeros for the second rule, the other variants in the configured order.
func sparseAccuracyEvidenceFrom(c *Config, stats map[string]sparsityStats) sparseAccuracyEvidence {
	relu, ok := stats["relu"]
	e := sparseAccuracyEvidence{reluRan: ok, reluAcc: relu.acc}
	for _, name := range c.Variants {
		if name == "relu" {
			continue
		}
		s := stats[name]
		e.others = append(e.others, variantAccuracy{name: name, zeroTrained: s.zeroTrained, acc: s.acc})
	}
	return e
}

func sparsityNotes(c *Config) []string {
	notes := []string{
		fmt.Sprintf("Activations are counted on the first %d training examples, in evaluation mode; the histogram row with bin 0 to 0 counts exact zeros, which are not binned.", c.ProbeExamples),
		"Every variant trains with the same optimiser and learning rate; none is tuned, so accuracy differences of a few tenths of a percent may reflect that choice.",
		"Glorot et al.'s nets and training differ from this small MLP; their 83.4% is context for the reader, not a target.",
	}
	if slices.Contains(c.Variants, "twosided") {
		notes = append(notes, "A two-sided unit writes two columns, relu(z) and min(z, 0), one of which is always 0: its share of exact zeros is at least one half by construction, not a sign of sparsity.")
	}
	return notes
}
