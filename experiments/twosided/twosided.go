package twosided

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/reluexp/reluexp/experiments/harness"
	"github.com/reluexp/reluexp/experiments/kit"
	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/metrics"
	"github.com/reluexp/reluexp/model"
)

// Experiment "twosided": claim C12.
//
// The blog's closing idea: make ReLU two-sided by giving each unit a second
// set of forward weights, used when its input is <= 0, at the cost of
// doubling the weights. model.TwoSided implements it: a unit sends relu(z)
// through one set of outgoing weights and min(z, 0) through the other, so the
// next layer computes A relu(z) - B relu(-z) (CReLU, Shang et al. 2016,
// followed by a linear layer). Such a unit is inactive only where z == 0
// exactly, so it cannot die.
//
// Is doubling the weights this way worth it? The comparison: ReLU of width w;
// two-sided of width w (twice the outgoing weights); ReLU of width 2w (the
// simple way to spend more weights); ReLU of the width whose parameter count
// is closest to the two-sided net's ("matched": with 784 inputs, most
// weights sit in the first layer, which the two-sided trick leaves alone, so
// 2w is far from matched); and Leaky ReLU of width w, the usual cure for
// dying. Each is trained on MNIST over several seeds; dead units are counted
// on every training example after training, and the born-dead rate of the
// same architectures at small widths comes from the dying experiment's
// Monte Carlo.
//
// Time per epoch is wall-clock time and depends on the machine and on what
// else runs; it is shown in the terminal and Markdown table only and kept
// out of the CSV records and summary.json, which must not change from run
// to run.

// Config configures the twosided experiment.
type Config struct {
	Nets          []string `json:"nets" flag:"nets" help:"variant:width pairs, width one of w, 2w or matched (the relu width with about the parameter count of twosided:w)"`
	Width         int      `json:"width" flag:"width" help:"the base width w"`
	Depth         int      `json:"depth" flag:"depth" help:"hidden layers"`
	TrainExamples int      `json:"train_examples" flag:"train-examples" help:"MNIST training examples used; dead means zero on every one of them"`
	TestExamples  int      `json:"test_examples" flag:"test-examples" help:"MNIST test examples evaluated"`
	Epochs        int      `json:"epochs" flag:"epochs" help:"training epochs"`
	Batch         int      `json:"batch" flag:"batch" help:"minibatch size"`
	Optimizer     string   `json:"optimizer" flag:"optimizer" help:"sgd, momentum or adam"`
	LR            float64  `json:"lr" flag:"lr" help:"learning rate (the same for every net)"`
	Seeds         int      `json:"seeds" flag:"seeds" help:"seeds per net"`

	BornWidths []int `json:"born_widths" flag:"born-widths" help:"base widths w of the born-dead nets (one input, zero biases)"`
	BornDepths []int `json:"born_depths" flag:"born-depths" help:"depths shown in the born-dead table"`
	BornInits  int   `json:"born_inits" flag:"born-inits" help:"random initialisations per net and width"`
	BornGrid   int   `json:"born_grid" flag:"born-grid" help:"points of the grid on [-1, 1] (odd)"`
}

func twoSidedDefaults(quick bool) *Config {
	c := &Config{
		Nets:          []string{"relu:w", "twosided:w", "relu:2w", "relu:matched", "leaky:w"},
		Width:         64,
		Depth:         3,
		TrainExamples: 12000,
		TestExamples:  10000,
		Epochs:        5,
		Batch:         64,
		Optimizer:     "sgd",
		LR:            0.1,
		Seeds:         5,
		BornWidths:    []int{2, 3, 4},
		BornDepths:    []int{2, 5, 10, 20},
		BornInits:     1000,
		BornGrid:      21,
	}
	if quick {
		c.Width, c.Depth = 16, 2
		c.TrainExamples, c.TestExamples = 2000, 1000
		c.Epochs, c.Seeds = 2, 3
		c.BornWidths, c.BornDepths, c.BornInits = []int{2}, []int{5, 10}, 300
	}
	return c
}

// twoSidedNet is one entry of --nets.
type twoSidedNet struct {
	Variant string
	Size    string // w, 2w or matched
}

func (n twoSidedNet) String() string { return n.Variant + ":" + n.Size }

func parseTwoSidedNet(s string) (twoSidedNet, error) {
	v, size, ok := strings.Cut(s, ":")
	if !ok {
		return twoSidedNet{}, fmt.Errorf("net %q: want variant:width, e.g. relu:2w", s)
	}
	if err := model.ValidateVariant(v); err != nil {
		return twoSidedNet{}, fmt.Errorf("net %q: %w", s, err)
	}
	switch size {
	case "w", "2w":
	case "matched":
		if v == "twosided" {
			return twoSidedNet{}, fmt.Errorf("net %q: matched is a width for the one-sided variants (twosided:w is what they are matched to)", s)
		}
	default:
		return twoSidedNet{}, fmt.Errorf("net %q: width %q is not one of w, 2w, matched", s, size)
	}
	return twoSidedNet{v, size}, nil
}

// mlpParams counts the trainable scalars of an MLP whose hidden layers
// have the given width and colsPerUnit activation columns per unit (2 for
// twosided); PReLU adds one slope per unit.
func twoSidedParamCount(variant string, inputs, width, depth, outputs int) int {
	cols := 1
	if variant == "twosided" {
		cols = 2
	}
	n := inputs*width + width // first layer
	n += (depth - 1) * (cols*width*width + width)
	n += cols*width*outputs + outputs
	if variant == "prelu" {
		n += depth * width
	}
	return n
}

// resolveWidth turns a net's size into a width. matched is the width of
// that variant whose parameter count is closest to twosided of width w.
func resolveWidth(n twoSidedNet, inputs, w, depth, outputs int) int {
	switch n.Size {
	case "w":
		return w
	case "2w":
		return 2 * w
	}
	target := twoSidedParamCount("twosided", inputs, w, depth, outputs)
	best := 1
	for u := 1; u <= 4*w+4; u++ {
		if math.Abs(float64(twoSidedParamCount(n.Variant, inputs, u, depth, outputs)-target)) < math.Abs(float64(twoSidedParamCount(n.Variant, inputs, best, depth, outputs)-target)) {
			best = u
		}
	}
	return best
}

func validateTwoSided(c *Config) error {
	if len(c.Nets) == 0 {
		return fmt.Errorf("nets: empty list (e.g. relu:w,twosided:w,relu:2w)")
	}
	for _, s := range c.Nets {
		if _, err := parseTwoSidedNet(s); err != nil {
			return err
		}
	}
	if err := kit.CheckPositive("width, depth, train-examples, test-examples, epochs, batch and seeds",
		c.Width, c.Depth, c.TrainExamples, c.TestExamples, c.Epochs, c.Batch, c.Seeds); err != nil {
		return err
	}
	if err := kit.CheckPositive("born-widths", c.BornWidths...); err != nil {
		return err
	}
	if err := kit.CheckPositive("born-depths and born-inits", append(slices.Clone(c.BornDepths), c.BornInits)...); err != nil {
		return err
	}
	if c.BornGrid < 3 || c.BornGrid%2 == 0 {
		return fmt.Errorf("born-grid must be odd and at least 3 (so that -1, 0 and 1 are on the grid), got %d", c.BornGrid)
	}
	_, err := model.NewOptimizer(c.Optimizer, c.LR)
	return err
}

type twoSidedCell struct {
	Kind string        `json:"kind"`
	Born *kit.BornCell `json:"born,omitempty"`

	Net           string  `json:"net,omitempty"`
	Variant       string  `json:"variant,omitempty"`
	Width         int     `json:"width,omitempty"`
	Depth         int     `json:"depth,omitempty"`
	Seed          int     `json:"seed,omitempty"`
	TrainExamples int     `json:"train_examples,omitempty"`
	TestExamples  int     `json:"test_examples,omitempty"`
	Epochs        int     `json:"epochs,omitempty"`
	Batch         int     `json:"batch,omitempty"`
	Optimizer     string  `json:"optimizer,omitempty"`
	LR            float64 `json:"lr,omitempty"`
}

func twoSidedNets(c *Config) []twoSidedNet {
	out := make([]twoSidedNet, len(c.Nets))
	for i, s := range c.Nets {
		out[i], _ = parseTwoSidedNet(s)
	}
	return out
}

// bornWidth is the width of net n in the born-dead part at base width w
// (nets of one input and one output, as deep as the deepest depth shown).
func bornWidth(c *Config, n twoSidedNet, w int) int {
	return resolveWidth(n, 1, w, slices.Max(c.BornDepths), 1)
}

func twoSidedCells(c *Config) []harness.Cell[twoSidedCell] {
	var cells []harness.Cell[twoSidedCell]
	// Born dead: one set of cells per (variant, width) actually needed; two
	// nets can need the same one (relu:2w at w = 2 is relu:w at w = 4).
	seen := map[string]bool{}
	maxDepth := slices.Max(c.BornDepths)
	for _, n := range twoSidedNets(c) {
		for _, w := range c.BornWidths {
			for _, b := range kit.BornCells("born", [][2]string{{n.Variant, kit.HeInit}}, []int{bornWidth(c, n, w)}, maxDepth, c.BornGrid, c.BornInits) {
				if seen[b.ID] {
					continue
				}
				seen[b.ID] = true
				p := b.Params
				cells = append(cells, harness.Cell[twoSidedCell]{ID: b.ID, Params: twoSidedCell{Kind: "born", Born: &p}, Cost: b.Cost})
			}
		}
	}
	for _, n := range twoSidedNets(c) {
		width := resolveWidth(n, 784, c.Width, c.Depth, 10)
		for s := range c.Seeds {
			p := twoSidedCell{Kind: "train", Net: n.String(), Variant: n.Variant, Width: width, Depth: c.Depth, Seed: s,
				TrainExamples: c.TrainExamples, TestExamples: c.TestExamples, Epochs: c.Epochs, Batch: c.Batch, Optimizer: c.Optimizer, LR: c.LR}
			id := fmt.Sprintf("train/%s/w%d/d%d/n%d/e%d/b%d/%s-lr%g/s%d", n.Variant, width, c.Depth, c.TrainExamples, c.Epochs, c.Batch, c.Optimizer, c.LR, s)
			cost := 6 * float64(twoSidedParamCount(n.Variant, 784, width, c.Depth, 10)) * float64(c.TrainExamples*c.Epochs)
			cells = append(cells, harness.Cell[twoSidedCell]{ID: id, Params: p, Cost: cost})
		}
	}
	return cells
}

type twoSidedResult struct {
	Born  *kit.BornResult   `json:"born,omitempty"`
	Train *kit.TrainOutcome `json:"train,omitempty"`
	// Params is net.NumParams().
	Params int `json:"params,omitempty"`
	// Fractions of hidden units (all layers) dead, and would-be dead under
	// ReLU, on every training example: at initialisation and after the last
	// completed epoch.
	DeadInit    float64 `json:"dead_init,omitempty"`
	Dead        float64 `json:"dead,omitempty"`
	WouldBeDead float64 `json:"would_be_dead,omitempty"`
	// SecondsPerEpoch is wall-clock time per training epoch (including the
	// epoch's test-set evaluation). It is the one measurement here that
	// changes from run to run: tables show it, records and verdicts never
	// read it.
	SecondsPerEpoch float64 `json:"seconds_per_epoch,omitempty"`
}

func runTwoSidedCell(ctx context.Context, env *harness.Env, p twoSidedCell, rng *rand.Rand) (twoSidedResult, error) {
	if p.Kind == "born" {
		b, err := kit.RunBornDead(ctx, *p.Born, rng)
		return twoSidedResult{Born: &b}, err
	}
	trainAll, testAll, err := env.MNIST()
	if err != nil {
		return twoSidedResult{}, err
	}
	train, test := kit.Head(trainAll, p.TrainExamples), kit.Head(testAll, p.TestExamples)
	net, err := model.NewMLP(model.MLPSpec{Inputs: train.Dim, Hidden: kit.RepeatInt(p.Width, p.Depth), Outputs: 10,
		Activation: model.ActivationSpec{Name: p.Variant}, Init: model.Init{Scheme: model.HeNormal}}, rng)
	if err != nil {
		return twoSidedResult{}, err
	}
	r := twoSidedResult{Params: net.NumParams()}
	pooled := func(n *model.Network) (dead, would float64) {
		for _, a := range kit.MeasureActivity(n, train, 1000) {
			dead += a.Dead / float64(p.Depth)
			would += a.NonPositive / float64(p.Depth)
		}
		return dead, would
	}
	var start time.Time
	completed := 0
	after := func(epoch int, n *model.Network) {
		// Timing starts after the epoch-0 evaluation and stops before the
		// final probe, so that it covers training and per-epoch evaluation.
		if epoch == 0 {
			r.DeadInit, _ = pooled(n)
			start = time.Now()
			return
		}
		r.SecondsPerEpoch = time.Since(start).Seconds() / float64(epoch)
		completed = epoch
	}
	out, err := kit.TrainClassifier(ctx, net, train, test, kit.TrainSpec{Epochs: p.Epochs, Batch: p.Batch, Optimizer: p.Optimizer, LR: p.LR}, rng, kit.TrainHooks{AfterEpoch: after})
	if err != nil {
		return twoSidedResult{}, err
	}
	r.Train = &out
	if completed > 0 && !out.Diverged {
		r.Dead, r.WouldBeDead = pooled(net)
	}
	return r, nil
}

// TwoSided is the experiment for claim C12.
func New() harness.Experiment {
	return harness.Register(harness.Definition[Config, twoSidedCell, twoSidedResult]{
		Name:    "twosided",
		Claims:  []string{"C12"},
		Summary: "the two-sided ReLU (a second set of weights for x <= 0) against ReLU of the same, double and matched width",
		Doc: `The blog's closing idea: give each ReLU unit a second set of forward weights
used when its input is <= 0, doubling the weights. Compares on MNIST ReLU of
width w, two-sided of width w, ReLU of width 2w, ReLU of the width with about
the two-sided net's parameter count, and Leaky ReLU of width w: test accuracy
(mean and 95% CI over seeds), parameter counts, dead units, the born-dead rate
of the same architectures at small widths, and time per epoch (terminal and
Markdown only: timings change from run to run).`,
		Defaults:  twoSidedDefaults,
		Validate:  validateTwoSided,
		Cells:     twoSidedCells,
		Run:       runTwoSidedCell,
		Summarize: summarizeTwoSided,
		Memory:    twoSidedMemory,
	})
}

// twoSidedStats reads one net's runs.
type twoSidedStats struct {
	width, params             int
	acc, dead, would, seconds metrics.Estimate
	diverged, runs            int
	deadMax                   float64
}

func summarizeTwoSided(c *Config, done []harness.Done[twoSidedCell, twoSidedResult]) (*result.Result, error) {
	born := map[kit.BornKey]*kit.BornResult{}
	runs := map[string][]twoSidedResult{}
	widths := map[string]int{}
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
	nets := twoSidedNets(c)
	stats := map[string]twoSidedStats{}
	for _, n := range nets {
		st := twoSidedStats{width: widths[n.String()], runs: len(runs[n.String()])}
		var acc, dead, would, secs []float64
		for _, r := range runs[n.String()] {
			st.params = r.Params
			if r.Train.Diverged {
				st.diverged++
				acc = append(acc, 0.1)
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
		stats[n.String()] = st
	}

	res := &result.Result{}
	table := result.Table{Name: "twosided",
		Title:   fmt.Sprintf("MNIST, %d hidden layers, %d training examples, %d epochs (%s, lr %g): mean [95%% CI] over seeds", c.Depth, c.TrainExamples, c.Epochs, c.Optimizer, c.LR),
		Columns: []string{"net", "width", "parameters", "test accuracy", "dead units", "would-be dead", "diverged"},
		Note:    "Dead: output exactly 0 on every training example, after training. Would-be dead: pre-activation <= 0 on every training example."}
	timing := result.Table{Name: "twosided-timing", Volatile: true,
		Title:   "Seconds per training epoch (wall clock), mean [95% CI] over seeds",
		Columns: []string{"net", "width", "parameters", "s/epoch"},
		Note:    "Measured on this machine with other cells running beside it: not reproducible, so kept out of the CSV files and summary.json."}
	records := result.Table{Name: "twosided", Columns: []string{"net", "variant", "width", "params", "seed", "epoch", "train_loss", "test_acc", "dead_init", "dead", "would_be_dead", "diverged"}}
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

	bornTable := result.Table{Name: "twosided-born-dead",
		Title:   fmt.Sprintf("Born dead: fraction of nets (one input, zero biases, He init) constant on [-1, 1], %d initialisations each, 95%% CI", c.BornInits),
		Columns: append([]string{"net", "base width w", "width"}, kit.DepthHeaders(c.BornDepths)...),
		Note:    "matched: the width with about the parameter count of twosided:w at the deepest depth shown."}
	bornRecords := result.Table{Name: "twosided-born-dead", Columns: []string{"net", "base_width", "width", "depth", "inits", "dead_at_x1", "constant_on_grid"}}
	for _, n := range nets {
		for _, w := range c.BornWidths {
			bw := bornWidth(c, n, w)
			b := born[kit.BornKey{Variant: n.Variant, Init: kit.HeInit, Width: bw}]
			row := []string{n.String(), kit.Itoa(w), kit.Itoa(bw)}
			for _, h := range c.BornDepths {
				row = append(row, kit.FmtEstimate(metrics.ProportionCI(b.Constant[h-1], b.Inits), 3))
			}
			bornTable.Rows = append(bornTable.Rows, row)
			for h := 1; h <= len(b.Constant); h++ {
				bornRecords.Rows = append(bornRecords.Rows, []string{n.String(), kit.Itoa(w), kit.Itoa(bw), kit.Itoa(h), kit.Itoa(b.Inits), kit.Itoa(b.DeadAtOne[h-1]), kit.Itoa(b.Constant[h-1])})
			}
		}
	}
	res.Tables = append(res.Tables, table, bornTable, timing)
	res.Records = append(res.Records, records, bornRecords)
	res.Figures = append(res.Figures, twoSidedFigure(c, nets, stats, runs, born))
	res.Verdicts = append(res.Verdicts, cannotDieVerdict(c, stats, born), worthItVerdict(stats))
	res.Notes = append(res.Notes, "Time per epoch is measured but, like any wall-clock time, varies from run to run: it appears in the Markdown table only, never in the CSV records, summary.json or the verdicts.")
	return res, nil
}

func twoSidedFigure(c *Config, nets []twoSidedNet, stats map[string]twoSidedStats, runs map[string][]twoSidedResult, born map[kit.BornKey]*kit.BornResult) result.Figure {
	fig := result.Figure{Name: "twosided", Title: "Two-sided ReLU against ReLU of the same, double and matched width",
		Caption: "Left: MNIST test accuracy after training, mean over seeds with 95% CI (bar labels give the parameter count). Middle: test accuracy by epoch. Right: fraction of nets born dead (constant on [-1, 1]) by depth at the smallest base width, with 95% Wilson band."}
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
	barPanel := result.Panel{Kind: result.BarPanel, Title: "accuracy after training", YLabel: "test accuracy", Bars: bars}
	if len(accs) > 0 {
		// Accuracies differ in the second decimal: start the axis near them.
		barPanel.YMin, barPanel.YMax = math.Max(0, math.Floor(20*slices.Min(accs))/20-0.05), 1
	}
	curves := result.Panel{Kind: result.LinePanel, Title: "accuracy by epoch", XLabel: "epoch", YLabel: "test accuracy"}
	for i, n := range nets {
		var outs []kit.TrainOutcome
		for _, r := range runs[n.String()] {
			outs = append(outs, *r.Train)
		}
		curves.Lines = append(curves.Lines, kit.EpochCurve(n.String(), outs, i))
	}
	w := c.BornWidths[0]
	bornPanel := result.Panel{Kind: result.LinePanel, Title: fmt.Sprintf("born dead, base width %d", w), XLabel: "depth H (hidden layers)", YLabel: "fraction of nets", YMin: 0, YMax: 1}
	for i, n := range nets {
		bw := bornWidth(c, n, w)
		b := born[kit.BornKey{Variant: n.Variant, Init: kit.HeInit, Width: bw}]
		ln := result.Line{Label: fmt.Sprintf("%s (width %d)", n, bw), Style: i}
		for h, k := range b.Constant {
			e := metrics.ProportionCI(k, b.Inits)
			ln.X, ln.Y, ln.Lo, ln.Hi = append(ln.X, float64(h+1)), append(ln.Y, e.Mean), append(ln.Lo, e.Lo), append(ln.Hi, e.Hi)
		}
		bornPanel.Lines = append(bornPanel.Lines, ln)
	}
	fig.Panels = []result.Panel{barPanel, curves, bornPanel}
	return fig
}

// The first C12 rule: CONFIRMED if no two-sided unit was dead after training
// in any run and no two-sided net was born dead at any width and depth;
// REFUTED otherwise. (A two-sided unit is silent only where z == 0 exactly,
// so anything else would be a bug worth a red verdict.)
func cannotDieVerdict(c *Config, stats map[string]twoSidedStats, born map[kit.BornKey]*kit.BornResult) result.Verdict {
	v := result.Verdict{Claim: "C12",
		Statement: "a two-sided ReLU unit cannot die, and a two-sided net is never born dead",
		Rule:      "CONFIRMED if every twosided run ends with no dead unit (output 0 on every training example) and no twosided net in the Monte Carlo is constant on [-1, 1]; REFUTED otherwise; MIXED if no twosided net was run"}
	ts, ok := stats["twosided:w"]
	if !ok {
		v.Outcome = result.Mixed
		v.Why = "twosided:w was not among the nets, so the rule cannot be applied."
		return v
	}
	bornDead, inits := 0, 0
	for _, w := range c.BornWidths {
		b := born[kit.BornKey{Variant: "twosided", Init: kit.HeInit, Width: bornWidth(c, twoSidedNet{"twosided", "w"}, w)}]
		bornDead += b.Constant[len(b.Constant)-1]
		inits += b.Inits
	}
	v.Evidence = []result.Evidence{
		{Name: "twosided:w dead fraction after training", Estimate: ts.dead},
		{Name: "twosided:w would-be-dead fraction (pre-activation <= 0 everywhere)", Estimate: ts.would},
		{Name: fmt.Sprintf("twosided nets born dead at depth %d (all base widths)", slices.Max(c.BornDepths)), Estimate: metrics.ProportionCI(bornDead, inits)},
	}
	reluBorn := ""
	if b := born[kit.BornKey{Variant: "relu", Init: kit.HeInit, Width: c.BornWidths[0]}]; b != nil {
		e := metrics.ProportionCI(b.Constant[len(b.Constant)-1], b.Inits)
		v.Evidence = append(v.Evidence, result.Evidence{Name: fmt.Sprintf("relu width %d born dead at depth %d", c.BornWidths[0], slices.Max(c.BornDepths)), Estimate: e})
		reluBorn = fmt.Sprintf(", against %.1f%% of ReLU nets of width %d", 100*e.Mean, c.BornWidths[0])
	}
	if ts.deadMax == 0 && bornDead == 0 {
		v.Outcome = result.Confirmed
	} else {
		v.Outcome = result.Refuted
	}
	v.Why = fmt.Sprintf("The largest dead fraction in a two-sided run was %.3f, and %d of %d two-sided nets were born dead at depth %d%s.",
		ts.deadMax, bornDead, inits, slices.Max(c.BornDepths), reluBorn)
	return v
}

// The second C12 rule, on MNIST test accuracy: the two-sided net of width w
// against ReLU with about the same parameter count (relu:matched) and ReLU
// of width 2w. CONFIRMED if two-sided's 95% CI lies entirely above
// relu:matched's and not entirely below relu:2w's; REFUTED if it lies
// entirely below relu:matched's; MIXED otherwise.
func worthItVerdict(stats map[string]twoSidedStats) result.Verdict {
	v := result.Verdict{Claim: "C12",
		Statement: "doubling the outgoing weights (two-sided ReLU) is worth more than spending them on width",
		Rule: "MNIST test accuracy, 95% CIs over seeds: CONFIRMED if twosided:w's lies entirely above relu:matched's (about the same parameter count) and not entirely below relu:2w's; " +
			"REFUTED if it lies entirely below relu:matched's; MIXED otherwise (including overlapping intervals: no detectable difference)"}
	ts, okT := stats["twosided:w"]
	matched, okM := stats["relu:matched"]
	if !okT || !okM {
		v.Outcome = result.Mixed
		v.Why = "twosided:w and relu:matched must both be among the nets for the rule to apply."
		return v
	}
	v.Evidence = []result.Evidence{
		{Name: fmt.Sprintf("twosided:w test accuracy (%d parameters)", ts.params), Estimate: ts.acc},
		{Name: fmt.Sprintf("relu:matched test accuracy (width %d, %d parameters)", matched.width, matched.params), Estimate: matched.acc},
	}
	double, okD := stats["relu:2w"]
	if okD {
		v.Evidence = append(v.Evidence, result.Evidence{Name: fmt.Sprintf("relu:2w test accuracy (%d parameters)", double.params), Estimate: double.acc})
	}
	single, okS := stats["relu:w"]
	if okS {
		v.Evidence = append(v.Evidence, result.Evidence{Name: fmt.Sprintf("relu:w test accuracy (%d parameters)", single.params), Estimate: single.acc})
	}
	belowDouble := okD && ts.acc.Hi < double.acc.Lo
	switch {
	case ts.acc.Lo > matched.acc.Hi && !belowDouble:
		v.Outcome = result.Confirmed
	case ts.acc.Hi < matched.acc.Lo:
		v.Outcome = result.Refuted
	default:
		v.Outcome = result.Mixed
	}
	why := fmt.Sprintf("Two-sided width %d reached %.4f with %d parameters against %.4f for ReLU width %d with %d",
		ts.width, ts.acc.Mean, ts.params, matched.acc.Mean, matched.width, matched.params)
	if okD {
		why += fmt.Sprintf(" and %.4f for ReLU width %d with %d", double.acc.Mean, double.width, double.params)
	}
	if okS {
		why += fmt.Sprintf(" (ReLU width %d: %.4f)", single.width, single.acc.Mean)
	}
	v.Why = why + "."
	return v
}

// twoSidedMemory bounds a cell's memory: one MNIST net at twice the base
// width (the widest net compared).
func twoSidedMemory(c *Config) (perCell, shared int64) {
	return kit.MLPBytes(784, kit.RepeatInt(2*c.Width, c.Depth), 10, c.Batch), kit.MNISTBytes
}
