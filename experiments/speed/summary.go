package speed

import (
	"fmt"
	"math"
	"slices"

	"github.com/reluexp/reluexp/experiments/harness"
	"github.com/reluexp/reluexp/experiments/kit"
	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/metrics"
)

// summarizeSpeed builds the deterministic outputs (updates to target) before
// the timing ones, so that the order of tables and figures keeps every
// clock reading after the results that need none.
func summarizeSpeed(c *Config, done []harness.Done[speedCell, speedResult]) (*result.Result, error) {
	s := readCells(c, done)
	res := &result.Result{}
	s.addUpdatesToTarget(res)
	if s.timing == nil {
		return nil, fmt.Errorf("speed: the timing cell's result is missing")
	}
	s.addTimings(res)
	res.Verdicts = append(res.Verdicts,
		kernelVerdict(s.kernelEvidence()),
		stepVerdict(s.stepEvidence()),
		updatesVerdict(s.updatesEvidence()),
		secondsVerdict(s.secondsEvidence()))
	res.Notes = append(res.Notes, s.notes()...)
	return res, nil
}

// speedRun is one training run towards the target.
type speedRun struct {
	seed int
	r    speedTrain
}

type speedLRKey struct {
	variant string
	lr      float64
}

// speedSummary reads the cells.
type speedSummary struct {
	c      *Config
	timing *speedTiming
	runs   map[speedLRKey][]speedRun
	bestLR map[string]float64
}

// readCells sorts the cells into the timing cell and the training runs by
// activation and learning rate, and picks each activation's best rate.
func readCells(c *Config, done []harness.Done[speedCell, speedResult]) *speedSummary {
	s := &speedSummary{c: c, runs: map[speedLRKey][]speedRun{}, bestLR: map[string]float64{}}
	for _, d := range done {
		switch {
		case d.Result.Timing != nil:
			s.timing = d.Result.Timing
		case d.Result.Train != nil:
			k := speedLRKey{d.Params.Variant, d.Params.LR}
			s.runs[k] = append(s.runs[k], speedRun{seed: d.Params.Seed, r: *d.Result.Train})
		}
	}
	for _, v := range c.Variants {
		s.bestLR[v] = s.pickLR(v)
	}
	return s
}

// addUpdatesToTarget adds the outputs that involve no clock.
func (s *speedSummary) addUpdatesToTarget(res *result.Result) {
	res.Records = append(res.Records, s.trainRecords()...)
	res.Tables = append(res.Tables, s.stepsTable(), s.gridTable())
	res.Figures = append(res.Figures, s.stepsFigure(), s.gridFigure())
}

// addTimings adds the outputs read from the timing cell, all named "timing".
func (s *speedSummary) addTimings(res *result.Result) {
	res.Records = append(res.Records, s.kernelRecords(), s.stepRecords())
	res.Tables = append(res.Tables, s.kernelTable(), s.stepTable(), s.secondsTable())
	res.Figures = append(res.Figures, s.kernelFigure(), s.shareFigure(), s.secondsFigure())
}

func (s *speedSummary) notes() []string {
	c := s.c
	notes := []string{
		"Timing numbers appear only in the files whose names contain \"timing\" and in the verdicts whose rule begins \"Timing verdict\"; they change from run to run. " +
			"Every other file, steps-to-accuracy.csv included, is a deterministic function of the command and seed.",
		fmt.Sprintf("Updates to target: training accuracy checked every %d updates on the first %d of the %d training images, the crossing interpolated between checks. "+
			"Seconds to target: updates to target times the median duration of one training step of that activation in the timing cell (the accuracy checks are not counted).",
			c.EvalEvery, c.EvalExamples, c.TrainExamples),
		"Best learning rate: the one with the most seeds reaching the target, then the fewest updates (geometric mean). Choosing it on the same seeds flatters every activation alike.",
		fmt.Sprintf("Anchor: Krizhevsky et al. 2012 (AlexNet): a 4-layer CNN with ReLU reached 25%% training error on CIFAR-10 six times faster than with tanh. Here: an MLP %s on MNIST, target %.0f%% training accuracy.",
			kit.WidthsLabel(c.Hidden), 100*c.Target),
	}
	for _, v := range c.Variants {
		lr, ok := s.bestLR[v]
		if ok && len(c.LRs) > 2 && (lr == slices.Min(c.LRs) || lr == slices.Max(c.LRs)) {
			notes = append(notes, fmt.Sprintf("The best learning rate of %s (%g) is at the edge of the grid: a wider grid might serve it better.", v, lr))
		}
	}
	return notes
}

// saturating lists tanh and sigmoid among vs: the activations the claim
// sets ReLU against.
func saturating(vs []string) []string {
	var out []string
	for _, v := range []string{"tanh", "sigmoid"} {
		if slices.Contains(vs, v) {
			out = append(out, v)
		}
	}
	return out
}

// summariseRatios is the geometric mean with its CI, which the rules read,
// and the median, which the reasons quote.
func summariseRatios(xs []float64) ratioStats {
	return ratioStats{geoMean: metrics.GeoMeanCI(xs), median: metrics.Median(xs)}
}

// Updates to target.

// reachedSteps are the updates to target of the runs of k that reached it.
func (s *speedSummary) reachedSteps(k speedLRKey) []float64 {
	var out []float64
	for _, r := range s.runs[k] {
		if r.r.Reached {
			out = append(out, r.r.StepsToTarget)
		}
	}
	return out
}

// pickLR is a variant's best learning rate: the most runs reaching the
// target, then the fewest updates (geometric mean), then the smaller rate.
// It is NaN when no run at any rate reached the target.
func (s *speedSummary) pickLR(v string) float64 {
	best, bestN, bestSteps := math.NaN(), 0, math.Inf(1)
	for _, lr := range s.c.LRs {
		steps := s.reachedSteps(speedLRKey{v, lr})
		if len(steps) == 0 {
			continue
		}
		g := metrics.GeoMeanCI(steps).Mean
		if len(steps) > bestN || (len(steps) == bestN && g < bestSteps) {
			best, bestN, bestSteps = lr, len(steps), g
		}
	}
	return best
}

// stepsOf are the updates to target of a variant at its best rate (nil if
// it never reached the target).
func (s *speedSummary) stepsOf(v string) []float64 {
	lr := s.bestLR[v]
	if math.IsNaN(lr) {
		return nil
	}
	return s.reachedSteps(speedLRKey{v, lr})
}

func (s *speedSummary) epochsPerStep() float64 {
	return float64(s.c.Batch) / float64(s.c.TrainExamples)
}

func (s *speedSummary) trainRecords() []result.Table {
	runs := result.Table{Name: "steps-to-accuracy", Columns: []string{"variant", "lr", "seed", "best_lr", "reached", "steps_to_target",
		"epochs_to_target", "steps_run", "last_accuracy", "stalled", "diverged", "diverged_step"}}
	checks := result.Table{Name: "accuracy-checks", Columns: []string{"variant", "lr", "seed", "step", "train_accuracy"}}
	for _, v := range s.c.Variants {
		for _, lr := range s.c.LRs {
			for _, run := range s.runs[speedLRKey{v, lr}] {
				r := run.r
				steps, epochs, last := math.NaN(), math.NaN(), math.NaN()
				if r.Reached {
					steps, epochs = r.StepsToTarget, r.StepsToTarget*s.epochsPerStep()
				}
				if len(r.Evals) > 0 {
					last = r.Evals[len(r.Evals)-1].Acc
				}
				runs.Rows = append(runs.Rows, []string{v, kit.Ftoa(lr), kit.Itoa(run.seed), fmt.Sprint(lr == s.bestLR[v]), fmt.Sprint(r.Reached),
					kit.Ftoa(steps), kit.Ftoa(epochs), kit.Itoa(r.Steps), kit.Ftoa(last), fmt.Sprint(r.Stalled), fmt.Sprint(r.Diverged), kit.Itoa(r.DivergedStep)})
				for _, e := range r.Evals {
					checks.Rows = append(checks.Rows, []string{v, kit.Ftoa(lr), kit.Itoa(run.seed), kit.Itoa(e.Step), kit.Ftoa(e.Acc)})
				}
			}
		}
	}
	return []result.Table{runs, checks}
}

// ratioToRelu is the ratio of a variant's updates to target over ReLU's,
// each at its best rate, with its Welch CI on the log scale.
func (s *speedSummary) ratioToRelu(v string) metrics.Estimate {
	return metrics.RatioCI(s.stepsOf(v), s.stepsOf("relu"))
}

func (s *speedSummary) stepsTable() result.Table {
	c := s.c
	t := result.Table{Name: "steps-to-accuracy",
		Title:   fmt.Sprintf("Updates to %.0f%% training accuracy, each activation at its best learning rate: geometric mean [95%% CI] over the seeds that reached it", 100*c.Target),
		Columns: []string{"variant", "best lr", "reached", "updates to target", "epochs to target", "ratio to relu"},
		Note:    fmt.Sprintf("Deterministic: no clock involved. A ratio above 1 means more updates than ReLU (Welch interval on log updates). Runs stop at %d updates.", c.MaxSteps)}
	for _, v := range c.Variants {
		lr := s.bestLR[v]
		if math.IsNaN(lr) {
			t.Rows = append(t.Rows, []string{v, "none", fmt.Sprintf("0/%d at every rate", c.Seeds), "not reached", "", ""})
			continue
		}
		steps := s.stepsOf(v)
		g := metrics.GeoMeanCI(steps)
		ep := metrics.Estimate{Mean: g.Mean * s.epochsPerStep(), Lo: g.Lo * s.epochsPerStep(), Hi: g.Hi * s.epochsPerStep(), N: g.N}
		ratio := "1 (reference)"
		if v != "relu" {
			ratio = kit.FmtEstimate(s.ratioToRelu(v), 2)
		}
		t.Rows = append(t.Rows, []string{v, kit.Ftoa(lr), fmt.Sprintf("%d/%d", len(steps), len(s.runs[speedLRKey{v, lr}])),
			kit.FmtEstimate(g, 0), kit.FmtEstimate(ep, 2), ratio})
	}
	return t
}

func (s *speedSummary) gridTable() result.Table {
	c := s.c
	t := result.Table{Name: "lr-grid", Title: "Learning-rate grid: seeds reaching the target, and their updates to target (geometric mean)",
		Columns: []string{"variant"}, Note: "* marks the rate used. Stalled: below 20% accuracy at a check after the first fifth of the budget, stopped."}
	for _, lr := range c.LRs {
		t.Columns = append(t.Columns, fmt.Sprintf("lr %g", lr))
	}
	for _, v := range c.Variants {
		row := []string{v}
		for _, lr := range c.LRs {
			k := speedLRKey{v, lr}
			steps := s.reachedSteps(k)
			cellText := fmt.Sprintf("%d/%d", len(steps), len(s.runs[k]))
			if len(steps) > 0 {
				cellText += fmt.Sprintf(": %.0f", metrics.GeoMeanCI(steps).Mean)
			}
			stalled, diverged := 0, 0
			for _, r := range s.runs[k] {
				if r.r.Stalled {
					stalled++
				}
				if r.r.Diverged {
					diverged++
				}
			}
			if stalled > 0 {
				cellText += fmt.Sprintf(" (%d stalled)", stalled)
			}
			if diverged > 0 {
				cellText += fmt.Sprintf(" (%d diverged)", diverged)
			}
			if lr == s.bestLR[v] {
				cellText += " *"
			}
			row = append(row, cellText)
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

func (s *speedSummary) stepsFigure() result.Figure {
	c := s.c
	bars := &result.Bars{}
	g := result.BarGroup{Label: "updates to target"}
	for _, v := range c.Variants {
		bars.Categories = append(bars.Categories, v)
		e := metrics.GeoMeanCI(s.stepsOf(v))
		g.Values, g.Lo, g.Hi = append(g.Values, e.Mean), append(g.Lo, e.Lo), append(g.Hi, e.Hi)
	}
	bars.Groups = []result.BarGroup{g}
	return result.Figure{Name: "steps-to-accuracy", Title: fmt.Sprintf("Updates to %.0f%% training accuracy (best lr)", 100*c.Target),
		Caption: "Each activation at its best learning rate from the grid: geometric mean over the seeds that reached the target, with 95% CI. A missing bar: never reached within the budget. Deterministic (no clock).",
		Panels:  []result.Panel{{Kind: result.BarPanel, XLabel: "activation", YLabel: "updates", Bars: bars}}}
}

func (s *speedSummary) gridFigure() result.Figure {
	c := s.c
	pn := result.Panel{Kind: result.LinePanel, XLabel: "learning rate", YLabel: "updates to target", LogX: true, LogY: true}
	for vi, v := range c.Variants {
		ln := result.Line{Label: v, Points: true, Style: vi}
		for _, lr := range c.LRs {
			ln.X = append(ln.X, lr)
			steps := s.reachedSteps(speedLRKey{v, lr})
			y := math.NaN()
			if len(steps) > 0 {
				y = metrics.GeoMeanCI(steps).Mean
			}
			ln.Y = append(ln.Y, y)
		}
		pn.Lines = append(pn.Lines, ln)
	}
	return result.Figure{Name: "lr-grid", Title: "Updates to target by learning rate",
		Caption: "Geometric mean over the seeds that reached the target; a rate where no seed reached it has no point. Deterministic (no clock).",
		Panels:  []result.Panel{pn}}
}

// updatesEvidence is what the rule on updates to target reads.
func (s *speedSummary) updatesEvidence() updatesEvidence {
	c := s.c
	e := updatesEvidence{target: c.Target, maxSteps: c.MaxSteps, reluLR: s.bestLR["relu"], epochsPerStep: s.epochsPerStep()}
	e.others = s.againstReLU(s.ratioToRelu)
	e.comparable = len(e.others) > 0
	if relu := s.stepsOf("relu"); len(relu) > 0 {
		e.reluReached, e.reluUpdates = true, metrics.GeoMeanCI(relu)
	}
	return e
}

// againstReLU lists tanh and sigmoid against ReLU; ratio(v), v's cost over
// ReLU's, is read only where both reached the target.
func (s *speedSummary) againstReLU(ratio func(v string) metrics.Estimate) []versusReLU {
	reluReached := len(s.stepsOf("relu")) > 0
	var out []versusReLU
	for _, o := range saturating(s.c.Variants) {
		vs := versusReLU{name: o, reached: len(s.stepsOf(o)) > 0, lr: s.bestLR[o]}
		if vs.reached && reluReached {
			vs.ratio = ratio(o)
		}
		out = append(out, vs)
	}
	return out
}

// Kernel timings.

type kernelKey struct {
	kernel, pass string
	size         int
}

// kernelNs maps each kernel to its samples by repetition.
func (s *speedSummary) kernelNs() map[kernelKey]map[int]float64 {
	out := map[kernelKey]map[int]float64{}
	for _, k := range s.timing.Kernels {
		key := kernelKey{k.Kernel, k.Pass, k.Size}
		if out[key] == nil {
			out[key] = map[int]float64{}
		}
		out[key][k.Rep] = k.NsPerElem
	}
	return out
}

// pairedRatios divides a's samples by b's of the same repetition.
func pairedRatios(a, b map[int]float64) []float64 {
	var out []float64
	for rep := range len(a) + len(b) {
		x, okA := a[rep]
		y, okB := b[rep]
		if okA && okB && y > 0 {
			out = append(out, x/y)
		}
	}
	return out
}

// fmtMedianIQR writes "median [q1, q3]".
func fmtMedianIQR(xs []float64, digits int) string {
	if len(xs) == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%s [%s, %s]", kit.FmtFloat(metrics.Median(xs), digits), kit.FmtFloat(metrics.Quantile(xs, 0.25), digits), kit.FmtFloat(metrics.Quantile(xs, 0.75), digits))
}

func (s *speedSummary) timingNote() string {
	t := s.timing
	return fmt.Sprintf("Timing: measured in this run, so these numbers change from run to run; one cell, one kernel at a time, interleaved across repetitions; median [interquartile range] over repetitions. "+
		"Machine: %s, %d CPUs, matrix products by %s; 1-minute load average %.2f before and %.2f after the timing cell (above 1 means other processes shared the cores).",
		t.GoArch, t.NumCPU, t.Backend, t.LoadBefore, t.LoadAfter)
}

func (s *speedSummary) kernelRecords() result.Table {
	t := result.Table{Name: "timing-kernels", Columns: []string{"kernel", "pass", "size", "rep", "iters", "ns_per_element"}}
	for _, k := range s.timing.Kernels {
		t.Rows = append(t.Rows, []string{k.Kernel, k.Pass, kit.Itoa(k.Size), kit.Itoa(k.Rep), kit.Itoa(k.Iters), kit.Ftoa(k.NsPerElem)})
	}
	return t
}

func (s *speedSummary) kernelTable() result.Table {
	c := s.c
	ns := s.kernelNs()
	t := result.Table{Name: "timing-kernels", Volatile: true, Title: "Activation kernels: nanoseconds per element, and ratio to the bandwidth floor",
		Columns: []string{"size", "kernel", "forward ns/elem", "forward / copy", "backward ns/elem", "backward / copy", "backward / mul"},
		Note: s.timingNote() + " Ratios are medians of the per-repetition ratios. copy (one read, one write per element) is a forward pass's memory floor, " +
			"mul (two reads, one write) a backward pass's; the two-sided ReLU writes twice as much. " +
			"copy is Go's built-in copy, a vectorised memmove; relu, sigmoid and tanh run the library's vector kernels (AVX; AVX2 and FMA for sigmoid and tanh), while mul and the other activations are scalar Go loops, which the compiler does not vectorise, so inside the caches a scalar loop's floor is nearer mul's time than copy's. " +
			"relu-scalar is a reference, not the library's ReLU: the same function as a scalar loop with a sign mask. " +
			"At the smallest size the same inputs repeat on every call, so the branch predictor can learn their signs and the branching kernels (relu, leaky, prelu, elu, selu, twosided) may look faster there than they are on fresh data."}
	for _, n := range c.KernelSizes {
		cp, mul := ns[kernelKey{"copy", "forward", n}], ns[kernelKey{"mul", "backward", n}]
		t.Rows = append(t.Rows, []string{kit.Itoa(n), "copy / mul (floor)", fmtMedianIQR(kit.Values(cp), 3), "1", fmtMedianIQR(kit.Values(mul), 3),
			kit.FmtFloat(metrics.Median(pairedRatios(mul, cp)), 2), "1"})
		for _, v := range append([]string{branchlessReLU}, c.KernelVariants...) {
			f, b := ns[kernelKey{v, "forward", n}], ns[kernelKey{v, "backward", n}]
			t.Rows = append(t.Rows, []string{kit.Itoa(n), v, fmtMedianIQR(kit.Values(f), 3), kit.FmtFloat(metrics.Median(pairedRatios(f, cp)), 2),
				fmtMedianIQR(kit.Values(b), 3), kit.FmtFloat(metrics.Median(pairedRatios(b, cp)), 2), kit.FmtFloat(metrics.Median(pairedRatios(b, mul)), 2)})
		}
	}
	return t
}

func (s *speedSummary) kernelFigure() result.Figure {
	c := s.c
	ns := s.kernelNs()
	f := result.Figure{Name: "timing-kernels", Title: "Activation kernels: ns per element (timing)",
		Caption: "Timing: measured in this run, differs between runs. Median over repetitions with interquartile range. The first pair of bars is the memory floor: a copy (forward) and an elementwise product (backward). One panel per size.",
		Columns: 1}
	for _, n := range c.KernelSizes {
		bars := &result.Bars{Categories: append([]string{"copy/mul", branchlessReLU}, c.KernelVariants...)}
		for _, pass := range []string{"forward", "backward"} {
			g := result.BarGroup{Label: pass}
			base := kernelKey{"copy", "forward", n}
			if pass == "backward" {
				base = kernelKey{"mul", "backward", n}
			}
			for _, cat := range bars.Categories {
				key := base
				if cat != "copy/mul" {
					key = kernelKey{cat, pass, n}
				}
				xs := kit.Values(ns[key])
				g.Values = append(g.Values, metrics.Median(xs))
				g.Lo, g.Hi = append(g.Lo, metrics.Quantile(xs, 0.25)), append(g.Hi, metrics.Quantile(xs, 0.75))
			}
			bars.Groups = append(bars.Groups, g)
		}
		// A decade of headroom above the tallest bar keeps the legend clear
		// of the bars.
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, g := range bars.Groups {
			for i := range g.Values {
				if g.Lo[i] > 0 {
					lo = math.Min(lo, g.Lo[i])
				}
				hi = math.Max(hi, g.Hi[i])
			}
		}
		pn := result.Panel{Kind: result.BarPanel, Title: fmt.Sprintf("%d elements (%s)", n, byteSize(8*n)),
			XLabel: "kernel", YLabel: "ns per element", LogY: true, Bars: bars}
		if lo < hi && !math.IsInf(lo, 0) && !math.IsInf(hi, 0) {
			pn.YMin, pn.YMax = lo/2, hi*10
		}
		f.Panels = append(f.Panels, pn)
	}
	return f
}

func byteSize(b int) string {
	switch {
	case b >= 1<<20:
		return fmt.Sprintf("%d MiB per array", b>>20)
	case b >= 1<<10:
		return fmt.Sprintf("%d KiB per array", b>>10)
	}
	return fmt.Sprintf("%d B per array", b)
}

// kernelEvidence reads, at each size, tanh's and sigmoid's (forward +
// backward) time over ReLU's, and ReLU's forward pass over a copy.
func (s *speedSummary) kernelEvidence() kernelEvidence {
	c := s.c
	others := saturating(c.KernelVariants)
	if !slices.Contains(c.KernelVariants, "relu") || len(others) == 0 {
		return kernelEvidence{}
	}
	ns := s.kernelNs()
	e := kernelEvidence{comparable: true}
	for _, n := range c.KernelSizes {
		relu := forwardPlusBackward(ns, "relu", n)
		size := kernelSizeStats{size: n,
			reluOverCopy:   summariseRatios(pairedRatios(ns[kernelKey{"relu", "forward", n}], ns[kernelKey{"copy", "forward", n}])),
			scalarOverCopy: summariseRatios(pairedRatios(ns[kernelKey{branchlessReLU, "forward", n}], ns[kernelKey{"copy", "forward", n}]))}
		for _, o := range others {
			size.others = append(size.others, namedRatio{name: o, ratio: summariseRatios(pairedRatios(forwardPlusBackward(ns, o, n), relu))})
		}
		e.sizes = append(e.sizes, size)
	}
	return e
}

// forwardPlusBackward is a kernel's forward plus backward time per element
// on n elements, by repetition.
func forwardPlusBackward(ns map[kernelKey]map[int]float64, name string, n int) map[int]float64 {
	out := map[int]float64{}
	f, b := ns[kernelKey{name, "forward", n}], ns[kernelKey{name, "backward", n}]
	for rep, x := range f {
		if y, ok := b[rep]; ok {
			out[rep] = x + y
		}
	}
	return out
}

// Step timings.

type stepKey struct {
	net, variant string
}

func (s *speedSummary) stepSamples() (step, act map[stepKey]map[int]float64) {
	step, act = map[stepKey]map[int]float64{}, map[stepKey]map[int]float64{}
	for _, x := range s.timing.Steps {
		k := stepKey{kit.WidthsLabel(x.Hidden), x.Variant}
		if step[k] == nil {
			step[k], act[k] = map[int]float64{}, map[int]float64{}
		}
		step[k][x.Rep], act[k][x.Rep] = x.StepNs, x.ActivationNs
	}
	return step, act
}

func (s *speedSummary) stepRecords() result.Table {
	t := result.Table{Name: "timing-steps", Columns: []string{"hidden", "variant", "rep", "steps", "step_ns", "activation_ns", "activation_share"}}
	for _, x := range s.timing.Steps {
		t.Rows = append(t.Rows, []string{kit.WidthsLabel(x.Hidden), x.Variant, kit.Itoa(x.Rep), kit.Itoa(x.Steps), kit.Ftoa(x.StepNs), kit.Ftoa(x.ActivationNs), kit.Ftoa(x.ActivationNs / x.StepNs)})
	}
	return t
}

func (s *speedSummary) stepNets() []string {
	var out []string
	for _, h := range s.c.stepNets() {
		out = append(out, kit.WidthsLabel(h))
	}
	return out
}

func (s *speedSummary) stepTable() result.Table {
	c := s.c
	step, act := s.stepSamples()
	t := result.Table{Name: "timing-step", Volatile: true, Title: fmt.Sprintf("A whole training step (forward, backward, %s update) of a batch of %d, and the part spent in the activation layers", c.Optimizer, c.Batch),
		Columns: []string{"hidden", "activation", "step ms", "activation ms", "activation share %", "beyond relu's layers, % of relu step", "step / relu step"},
		Note: s.timingNote() + " The activation layers are timed inside the step by a wrapper around each. \"Beyond relu's layers\" is the time these layers take beyond ReLU's, as a share of ReLU's whole step, mean [95% CI] over repetitions: " +
			"the part of a step the choice of activation decides. step / relu step is the median of per-repetition ratios of whole steps, which also carry the noise of every matrix product."}
	for _, net := range s.stepNets() {
		for _, v := range c.Variants {
			k := stepKey{net, v}
			stepMs, actMs := scaled(kit.Values(step[k]), 1e-6), scaled(kit.Values(act[k]), 1e-6)
			t.Rows = append(t.Rows, []string{net, v, fmtMedianIQR(stepMs, 3), fmtMedianIQR(actMs, 3),
				fmtMedianIQR(scaled(pairedRatios(act[k], step[k]), 100), 1), kit.FmtEstimate(metrics.MeanCI(activationSavings(act, step, net, v)), 2),
				kit.FmtFloat(metrics.Median(pairedRatios(step[k], step[stepKey{net, "relu"}])), 3)})
		}
	}
	return t
}

func scaled(xs []float64, f float64) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = f * x
	}
	return out
}

func (s *speedSummary) shareFigure() result.Figure {
	c := s.c
	step, act := s.stepSamples()
	bars := &result.Bars{Categories: c.Variants}
	for _, net := range s.stepNets() {
		g := result.BarGroup{Label: "hidden " + net}
		for _, v := range c.Variants {
			sh := scaled(pairedRatios(act[stepKey{net, v}], step[stepKey{net, v}]), 100)
			g.Values = append(g.Values, metrics.Median(sh))
			g.Lo, g.Hi = append(g.Lo, metrics.Quantile(sh, 0.25)), append(g.Hi, metrics.Quantile(sh, 0.75))
		}
		bars.Groups = append(bars.Groups, g)
	}
	return result.Figure{Name: "timing-step-share", Title: "Share of a training step in the activation (timing)",
		Caption: fmt.Sprintf("Timing: measured in this run, differs between runs. Median over repetitions with interquartile range; batch %d, %s update, two hidden layers of each width.", c.Batch, c.Optimizer),
		Panels:  []result.Panel{{Kind: result.BarPanel, XLabel: "activation", YLabel: "% of step time", Bars: bars}}}
}

// activationSavings is, per repetition, how much more time the activation
// layers of o take than ReLU's, as a percentage of ReLU's whole step. Both
// are timed inside their steps, interleaved, so a busy machine slows both
// sides alike; the whole-step ratio, which includes every matrix product,
// is far noisier.
func activationSavings(act map[stepKey]map[int]float64, step map[stepKey]map[int]float64, net, o string) []float64 {
	ao, ar, sr := act[stepKey{net, o}], act[stepKey{net, "relu"}], step[stepKey{net, "relu"}]
	var out []float64
	for rep := range len(sr) + 1 {
		x, ok1 := ao[rep]
		y, ok2 := ar[rep]
		z, ok3 := sr[rep]
		if ok1 && ok2 && ok3 && z > 0 {
			out = append(out, 100*(x-y)/z)
		}
	}
	return out
}

// stepEvidence reads, in each timed net, what tanh's and sigmoid's
// activation layers cost beyond ReLU's, and ReLU's own share of its step.
func (s *speedSummary) stepEvidence() stepEvidence {
	others := saturating(s.c.Variants)
	if len(others) == 0 {
		return stepEvidence{}
	}
	step, act := s.stepSamples()
	e := stepEvidence{comparable: true}
	for _, net := range s.stepNets() {
		relu := stepKey{net, "relu"}
		n := netStepStats{net: net, reluShare: metrics.MeanCI(scaled(pairedRatios(act[relu], step[relu]), 100))}
		for _, o := range others {
			n.others = append(n.others, layerCost{name: o,
				beyondReLU: metrics.MeanCI(activationSavings(act, step, net, o)),
				wholeStep:  summariseRatios(pairedRatios(step[stepKey{net, o}], step[relu]))})
		}
		e.nets = append(e.nets, n)
	}
	return e
}

// Seconds to target.

// stepSeconds is the median duration of one step of the time-to-accuracy
// net with activation v, in seconds.
func (s *speedSummary) stepSeconds(v string) float64 {
	step, _ := s.stepSamples()
	return metrics.Median(kit.Values(step[stepKey{kit.WidthsLabel(s.c.Hidden), v}])) * 1e-9
}

// secondsRatio scales the updates ratio by the step-time ratio (median of
// per-repetition ratios), which is treated as exact: its spread over
// repetitions is far below the spread of updates over seeds.
func (s *speedSummary) secondsRatio(v string) metrics.Estimate {
	step, _ := s.stepSamples()
	net := kit.WidthsLabel(s.c.Hidden)
	r := metrics.Median(pairedRatios(step[stepKey{net, v}], step[stepKey{net, "relu"}]))
	e := s.ratioToRelu(v)
	return metrics.Estimate{Mean: e.Mean * r, Lo: e.Lo * r, Hi: e.Hi * r, SD: e.SD, N: e.N}
}

func (s *speedSummary) secondsOf(v string) metrics.Estimate {
	g, t := metrics.GeoMeanCI(s.stepsOf(v)), s.stepSeconds(v)
	return metrics.Estimate{Mean: g.Mean * t, Lo: g.Lo * t, Hi: g.Hi * t, SD: g.SD, N: g.N}
}

func (s *speedSummary) secondsTable() result.Table {
	c := s.c
	t := result.Table{Name: "timing-to-accuracy", Volatile: true, Title: fmt.Sprintf("Seconds of training to %.0f%% training accuracy, each activation at its best learning rate", 100*c.Target),
		Columns: []string{"variant", "step ms (median)", "seconds to target", "ratio to relu"},
		Note: s.timingNote() + " Seconds = updates to target (geometric mean [95% CI] over seeds) x the median step time; the ratio multiplies the updates ratio's interval by the step-time ratio. " +
			"Training time only; the accuracy checks are not counted."}
	for _, v := range c.Variants {
		if len(s.stepsOf(v)) == 0 {
			t.Rows = append(t.Rows, []string{v, kit.FmtFloat(1000*s.stepSeconds(v), 3), "not reached", ""})
			continue
		}
		ratio := "1 (reference)"
		if v != "relu" {
			ratio = kit.FmtEstimate(s.secondsRatio(v), 2)
		}
		t.Rows = append(t.Rows, []string{v, kit.FmtFloat(1000*s.stepSeconds(v), 3), kit.FmtEstimate(s.secondsOf(v), 2), ratio})
	}
	return t
}

func (s *speedSummary) secondsFigure() result.Figure {
	c := s.c
	g := result.BarGroup{Label: "seconds to target"}
	for _, v := range c.Variants {
		e := s.secondsOf(v)
		g.Values, g.Lo, g.Hi = append(g.Values, e.Mean), append(g.Lo, e.Lo), append(g.Hi, e.Hi)
	}
	return result.Figure{Name: "timing-to-accuracy", Title: fmt.Sprintf("Seconds to %.0f%% training accuracy (timing)", 100*c.Target),
		Caption: "Timing: measured in this run, differs between runs. Updates to target (geometric mean with 95% CI over seeds, best learning rate) times the median step time. A missing bar: never reached.",
		Panels:  []result.Panel{{Kind: result.BarPanel, XLabel: "activation", YLabel: "seconds", Bars: &result.Bars{Categories: c.Variants, Groups: []result.BarGroup{g}}}}}
}

// secondsEvidence is what the rule on seconds to target reads.
func (s *speedSummary) secondsEvidence() secondsEvidence {
	e := secondsEvidence{target: s.c.Target}
	e.others = s.againstReLU(s.secondsRatio)
	e.comparable = len(e.others) > 0
	if len(s.stepsOf("relu")) > 0 {
		e.reluReached, e.reluSeconds = true, s.secondsOf("relu")
	}
	return e
}
