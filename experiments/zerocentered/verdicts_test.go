package zerocentered

import (
	"math"
	"strings"
	"testing"

	"github.com/reluexp/reluexp/experiments/internal/exptest"
	"github.com/reluexp/reluexp/experiments/kit"
	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/metrics"
)

func below(x float64) float64 { return math.Nextafter(x, math.Inf(-1)) }
func above(x float64) float64 { return math.Nextafter(x, math.Inf(1)) }

// frac is a fraction estimate over 10 cells with the given interval.
func frac(mean, lo, hi float64) metrics.Estimate {
	return metrics.Estimate{Mean: mean, Lo: lo, Hi: hi, SD: 0.1, N: 10}
}

// nonNeg is a group behind inputs >= 0 at batch 1: counted cells, of which
// notOne were below 1.
func nonNeg(name string, counted, notOne int) signCellGroup {
	lowest := 1.0
	if notOne > 0 {
		lowest = 0.98
	}
	return signCellGroup{name: name, nonNegative: true, counted: counted, notOne: notOne, lowest: lowest, fraction: frac(1, 1, 1)}
}

// bothSigns is a group behind inputs of both signs at batch 1.
func bothSigns(name string, e metrics.Estimate) signCellGroup {
	return signCellGroup{name: name, counted: 10, fraction: e}
}

func TestSameSignSanity(t *testing.T) {
	relu := nonNeg("relu outputs (raw pixels)", 10, 0)
	tanh := bothSigns("tanh outputs (raw pixels)", frac(0, 0, 0))
	idle := signCellGroup{name: "relu outputs (raw pixels)", nonNegative: true, idle: 10, fraction: frac(math.NaN(), math.NaN(), math.NaN())}
	diverged := signCellGroup{name: "relu outputs (raw pixels)", nonNegative: true, diverged: 10, fraction: frac(math.NaN(), math.NaN(), math.NaN())}
	for _, tc := range []struct {
		name   string
		e      sanityEvidence
		want   result.Outcome
		whyHas string
	}{
		{"batch size 1 not measured", sanityEvidence{}, result.Inconclusive, "batch size 1 was not measured"},
		{"every cell exactly 1, both signs near 0", sanityEvidence{measured: true, groups: []signCellGroup{relu, tanh}}, result.Confirmed, "Every one of 10 cells"},
		{"exactly 1 with no both-sign group", sanityEvidence{measured: true, groups: []signCellGroup{relu}}, result.Confirmed, "behind inputs of both signs: none"},
		{"one cell below 1 behind inputs >= 0", sanityEvidence{measured: true, groups: []signCellGroup{nonNeg("relu outputs (raw pixels)", 10, 1), tanh}}, result.Refuted, "1 of 10 cells below 1, lowest 0.9800"},
		{"no unit moved in any cell (NaN): nothing counted, not refuted", sanityEvidence{measured: true, groups: []signCellGroup{idle, tanh}}, result.Inconclusive, "10 layer counts in which no unit moved"},
		{"every run diverged: nothing counted", sanityEvidence{measured: true, groups: []signCellGroup{diverged, tanh}, diverged: 10}, result.Inconclusive, "10 diverged runs and 0 layer counts"},
		{"idle cells beside counted ones are left out", sanityEvidence{measured: true, groups: []signCellGroup{relu, idle, tanh}}, result.Confirmed, "10 layer counts in which no unit moved"},
		{"both signs: upper end just below the ceiling", sanityEvidence{measured: true, groups: []signCellGroup{relu, bothSigns("tanh", frac(0.4, 0.3, below(bothSignsCeiling)))}}, result.Confirmed, ""},
		{"both signs: upper end at the ceiling", sanityEvidence{measured: true, groups: []signCellGroup{relu, bothSigns("tanh", frac(0.4, 0.3, bothSignsCeiling))}}, result.Inconclusive, "straddles 0.5"},
		{"both signs: lower end just below the ceiling", sanityEvidence{measured: true, groups: []signCellGroup{relu, bothSigns("tanh", frac(0.6, below(bothSignsCeiling), 0.7))}}, result.Inconclusive, "straddles 0.5"},
		{"both signs: lower end at the ceiling (forced)", sanityEvidence{measured: true, groups: []signCellGroup{relu, bothSigns("tanh", frac(0.6, bothSignsCeiling, 0.7))}}, result.Refuted, "forced in most updates: tanh"},
		{"a broken identity outweighs an unclear contrast", sanityEvidence{measured: true, groups: []signCellGroup{nonNeg("relu", 10, 2), bothSigns("tanh", frac(0.5, 0.4, 0.6))}}, result.Refuted, "2 of 10 cells below 1"},
	} {
		v := sameSignSanity(tc.e)
		if v.Outcome != tc.want || !strings.Contains(v.Why, tc.whyHas) {
			t.Errorf("%s: %s (%s), want %s with %q", tc.name, v.Outcome, v.Why, tc.want, tc.whyHas)
		}
		if v.Role != result.Sanity || v.Caveat == "" || v.Effect != nil || v.Margin != nil {
			t.Errorf("%s: role %q, caveat %q, effect %v, margin %v: want a sanity check with a caveat that compares nothing", tc.name, v.Role, v.Caveat, v.Effect, v.Margin)
		}
		exptest.CheckVerdicts(t, &result.Result{Verdicts: []result.Verdict{v}}, nil)
	}
}

// curve is a layer fed by ReLU outputs (judged) with points at batch
// sizes 4, 16 and 64; shown is another source of inputs >= 0, shown beside
// them and not judged.
func curve(name string, fs ...metrics.Estimate) curveSource {
	src := curveSource{name: name, judged: true}
	for i, f := range fs {
		src.points = append(src.points, curvePoint{batch: []int{4, 16, 64}[i], counted: 10, fraction: f})
	}
	return src
}

func shown(name string, fs ...metrics.Estimate) curveSource {
	src := curve(name, fs...)
	src.judged = false
	return src
}

func TestBatchCurveVerdict(t *testing.T) {
	high, low, mid := frac(0.9, 0.85, 0.95), frac(0.1, 0.05, 0.15), frac(0.5, 0.4, 0.6)
	nan := metrics.Estimate{Mean: math.NaN(), Lo: math.NaN(), Hi: math.NaN()}
	sigmoid := shown("sigmoid outputs (raw pixels)", high, high, high)
	for _, tc := range []struct {
		name    string
		sources []curveSource
		want    result.Outcome
		whyHas  string
	}{
		{"nothing above batch size 1", nil, result.Inconclusive, "No layer fed by ReLU outputs"},
		{"a source without points", []curveSource{{name: "relu outputs", judged: true}}, result.Inconclusive, "No layer fed by ReLU outputs"},
		{"only sources not judged: nothing decides", []curveSource{sigmoid}, result.Inconclusive, "Shown, not judged: sigmoid outputs (raw pixels) 0.90 at 4"},
		{"holds at every point", []curveSource{curve("relu outputs", high, high, high)}, result.Confirmed, "0.90 at 4, 0.90 at 16, 0.90 at 64 (held at every batch size)"},
		{"gone at every point", []curveSource{curve("relu outputs", low, low, low)}, result.Refuted, "relu outputs 0.10 at 4"},
		{"gone behind ReLU, held behind sigmoid: sigmoid changes nothing", []curveSource{curve("relu outputs", low, low, low), sigmoid}, result.Refuted,
			"below 0.5 from batch 4). Shown, not judged: sigmoid outputs (raw pixels) 0.90 at 4, 0.90 at 16, 0.90 at 64 (held at every batch size)."},
		{"holds behind ReLU, gone behind the pixels: the pixels change nothing", []curveSource{curve("relu outputs", high, high), shown("raw pixels (relu net)", low, low)}, result.Confirmed, "Shown, not judged: raw pixels"},
		{"holds at small batches, gone at large: the batch sizes labelled in order", []curveSource{curve("relu outputs", high, mid, low)}, result.Mixed,
			"relu outputs 0.90 at 4, 0.50 at 16, 0.10 at 64 (below 0.5 from batch 64, not clearly above or below it at batch 16)"},
		{"holds behind one ReLU layer, gone behind another", []curveSource{curve("relu outputs (raw pixels)", high, high), curve("relu outputs (centred pixels)", low, low)}, result.Mixed, "holds (more than half the updates one-signed) at 2 of 4 points (layer, batch size), relu outputs (raw pixels) at batch 4 0.90 [0.85, 0.95]"},
		// The rule as first written: an unclear point keeps it open (a
		// reading formed after the data, REFUTED here, was withdrawn).
		{"unclear at small batches, gone at large (the measured case)", []curveSource{curve("relu outputs", mid, low, low)}, result.Inconclusive,
			"0.50 at 4, 0.10 at 16, 0.10 at 64 (below 0.5 from batch 16, not clearly above or below it at batch 4)"},
		{"gone at every batch size", []curveSource{curve("relu outputs", low, low, low)}, result.Refuted, "breaks the constraint behind ReLU outputs at every batch size"},
		{"unclear and holds only", []curveSource{curve("relu outputs", high, mid)}, result.Inconclusive, "unclear at relu outputs at batch 16"},
		{"unclear everywhere", []curveSource{curve("relu outputs", mid, mid)}, result.Inconclusive, "not clearly above or below 0.5"},
		{"no counted cell at a point (NaN) is unclear, not gone", []curveSource{curve("relu outputs", high, nan)}, result.Inconclusive, "unclear at relu outputs at batch 16"},
		{"lower end at the floor: not holding", []curveSource{curve("relu outputs", frac(0.6, mostUpdates, 0.7))}, result.Inconclusive, "unclear"},
		{"lower end just above the floor: holds", []curveSource{curve("relu outputs", frac(0.6, above(mostUpdates), 0.7))}, result.Confirmed, ""},
		{"upper end at the floor: not gone", []curveSource{curve("relu outputs", frac(0.4, 0.3, mostUpdates))}, result.Inconclusive, "unclear"},
		{"upper end just below the floor: gone", []curveSource{curve("relu outputs", frac(0.4, 0.3, below(mostUpdates)))}, result.Refuted, ""},
	} {
		v := batchCurveVerdict(curveEvidence{sources: tc.sources, steps: 30})
		if v.Outcome != tc.want || !strings.Contains(v.Why, tc.whyHas) {
			t.Errorf("%s: %s (%s), want %s with %q", tc.name, v.Outcome, v.Why, tc.want, tc.whyHas)
		}
		if v.Role != result.Supporting || v.Caveat == "" {
			t.Errorf("%s: role %q, caveat %q: want a supporting verdict with a caveat", tc.name, v.Role, v.Caveat)
		}
		exptest.CheckVerdicts(t, &result.Result{Verdicts: []result.Verdict{v}}, nil)
	}
}

// The sources not judged are evidence, named as such, and do not count
// towards n.
func TestBatchCurveShownNotJudged(t *testing.T) {
	src := curve("relu outputs", frac(0.1, 0.05, 0.15))
	src.points[0].counted = 7
	v := batchCurveVerdict(curveEvidence{sources: []curveSource{src, shown("sigmoid outputs", frac(0.9, 0.85, 0.95))}})
	if len(v.Evidence) != 2 || strings.Contains(v.Evidence[0].Name, "not judged") || !strings.HasSuffix(v.Evidence[1].Name, "(shown, not judged)") || v.N != 7 {
		t.Errorf("evidence %+v, n %d: want the sigmoid point shown, not judged, and n from the ReLU layer", v.Evidence, v.N)
	}
}

// paired is a paired comparison of n seeds with the given 95% interval and
// MDE; the 90% interval is set inside it.
func paired(n int, mean, lo, hi, mde float64) metrics.Paired {
	return metrics.Paired{Diff: metrics.Estimate{Mean: mean, Lo: lo, Hi: hi, SD: 0.05, N: n}, Lo90: lo + (mean-lo)/6, Hi90: hi - (hi-mean)/6, MDE: mde}
}

// speedWorld is a pair of 10 seeds with every run learnt and none diverged,
// compared by p; edit changes it.
// estimate is an estimate of n values with the given mean and interval.
func estimate(n int, mean, lo, hi float64) metrics.Estimate {
	return metrics.Estimate{Mean: mean, Lo: lo, Hi: hi, SD: (hi - lo) / 4, N: n}
}

func speedWorld(p metrics.Paired, edit func(*speedEvidence)) speedEvidence {
	e := speedEvidence{role: result.Main, what: "inputs", seeds: 10, paired: p, steps: 400, batch: 16, caveat: "an MLP on MNIST",
		subject:   "in a ReLU net, SGD learns faster when the first layer's inputs (the pixels) are zero-centred than when they are non-negative",
		arms:      "relu/centred: the same pixels minus their per-pixel mean, against relu/raw: raw pixels in [0, 1]",
		uncentred: speedArm{name: "relu/raw", lrs: "0.18 (10 seeds)", runs: 10, trained: 10},
		centred:   speedArm{name: "relu/centred", lrs: "0.36 (10 seeds)", runs: 10, trained: 10}}
	if edit != nil {
		edit(&e)
	}
	return e
}

func TestSpeedVerdict(t *testing.T) {
	m := speedMargin
	big := paired(10, 0.15, 0.12, 0.18, 0.02)
	for _, tc := range []struct {
		name   string
		e      speedEvidence
		want   result.Outcome
		whyHas string
	}{
		{"centred clearly faster", speedWorld(big, nil), result.Confirmed, "1.41 [1.32, 1.51] times the centred arm's"},
		{"lower end just above the margin", speedWorld(paired(10, 0.1, above(m), 0.2, 0.02), nil), result.Confirmed, "a knife edge"},
		{"lower end clear of the margin: no knife edge", speedWorld(paired(10, 0.1, m+nearMargin, 0.2, 0.02), nil), result.Confirmed, ""},
		{"lower end at the margin", speedWorld(paired(10, 0.1, m, 0.2, 0.02), nil), result.Inconclusive, "straddles the margin"},
		{"interval straddles the margin, MDE below it", speedWorld(paired(10, 0.04, 0.02, 0.06, 0.03), nil), result.Inconclusive, "the interval straddles the margin:"},
		{"interval straddles the margin, MDE above it", speedWorld(paired(10, 0.04, -0.05, 0.13, 0.12), nil), result.Inconclusive, "detect only effects larger"},
		{"upper end at the margin", speedWorld(paired(10, 0, -0.02, m, 0.02), nil), result.Inconclusive, "straddles"},
		{"upper end just below the margin: any gain too small", speedWorld(paired(10, 0, -0.02, below(m), 0.02), nil), result.Refuted, "smaller than the margin"},
		{"uncentred clearly faster", speedWorld(paired(10, -0.15, -0.18, -0.12, 0.02), nil), result.Refuted, "the uncentred arm learnt faster"},
		{"uncentred faster but within the margin", speedWorld(paired(10, -0.03, -0.04, -0.02, 0.02), nil), result.Refuted, "slowed training (the interval lies below zero), by less than the margin"},
		{"one seed: nothing to estimate", speedWorld(paired(1, 0.15, 0.15, 0.15, math.Inf(1)), func(e *speedEvidence) { e.seeds = 1; e.uncentred.runs, e.centred.runs, e.uncentred.trained = 1, 1, 1 }), result.Inconclusive, "fewer than two seeds"},
		{"uncentred arm diverged in 6 of 10 runs", speedWorld(big, func(e *speedEvidence) { e.uncentred.diverged, e.uncentred.trained = 6, 4 }), result.Inconclusive, "6 of 10 relu/raw runs diverged"},
		{"centred arm diverged in 6 of 10 runs", speedWorld(big, func(e *speedEvidence) { e.centred.diverged = 6 }), result.Inconclusive, "6 of 10 relu/centred runs diverged"},
		{"diverged in exactly half: not mostly, but too many seeds incomplete", speedWorld(paired(5, 0.15, 0.12, 0.18, 0.02), func(e *speedEvidence) { e.centred.diverged = 5 }), result.Inconclusive, "5 of 10 seeds lack a value"},
		{"control learnt in exactly half its runs", speedWorld(big, func(e *speedEvidence) { e.uncentred.trained = 5 }), result.Inconclusive, "The control did not learn"},
		{"control learnt in 6 of 10 runs", speedWorld(big, func(e *speedEvidence) { e.uncentred.trained = 6 }), result.Confirmed, ""},
		// A running mean must centre for the pair to be read (session 22).
		{"running mean centres: read", speedWorld(big, func(e *speedEvidence) { e.runningMean, e.offset = true, estimate(10, 0.1, 0.08, 0.19) }), result.Confirmed, "The running mean centres over the run: relu/centred's offset share 0.100 [0.080, 0.190] (n = 10, below the ceiling 0.2)"},
		{"running mean centres over the run, not early: shown, read", speedWorld(big, func(e *speedEvidence) {
			e.runningMean, e.offset, e.offsetEarly = true, estimate(10, 0.1, 0.08, 0.19), estimate(10, 0.22, 0.21, 0.23)
		}), result.Confirmed, "over the first 1600 examples, where it lags most, 0.220 [0.210, 0.230], not below the ceiling (shown: the check reads the whole run"},
		{"running mean at the ceiling: not read", speedWorld(big, func(e *speedEvidence) { e.runningMean, e.offset = true, estimate(10, 0.15, 0.1, offsetCeiling) }), result.Inconclusive, "The running mean did not centre: relu/centred's offset share (its units' mean outputs against their spread) was 0.150 [0.100, 0.200] (n = 10), not below the ceiling 0.2"},
		{"running mean not measured: not read", speedWorld(big, func(e *speedEvidence) { e.runningMean, e.offset = true, metrics.MeanCI(nil) }), result.Inconclusive, "The running mean did not centre"},
		{"no running mean: the share is not checked", speedWorld(big, func(e *speedEvidence) { e.offset = estimate(10, 0.5, 0.4, 0.6) }), result.Confirmed, ""},
		{"2 of 10 seeds incomplete: read, and said", speedWorld(paired(8, 0.15, 0.12, 0.18, 0.02), func(e *speedEvidence) { e.centred.diverged = 2 }), result.Confirmed, "2 of 10 seeds left out"},
		{"3 of 10 seeds incomplete: not read", speedWorld(paired(7, 0.15, 0.12, 0.18, 0.02), func(e *speedEvidence) { e.centred.diverged = 3 }), result.Inconclusive, "3 of 10 seeds lack a value"},
		// An arm at the edge of its grid: only the direction that could
		// turn the outcome makes it INCONCLUSIVE.
		{"gain, uncentred arm at its grid's lowest rate", speedWorld(big, func(e *speedEvidence) { e.uncentred.edge, e.uncentred.edgeRate = "the lowest", 0.09 }), result.Inconclusive, "relu/raw ran at the lowest rate of its grid (0.09) on most seeds"},
		{"gain, centred arm at an edge: a better rate only grows it", speedWorld(big, func(e *speedEvidence) { e.centred.edge, e.centred.edgeRate = "the highest", 0.72 }), result.Confirmed, ""},
		{"too small a gain, centred arm at an edge", speedWorld(paired(10, 0, -0.02, below(m), 0.02), func(e *speedEvidence) { e.centred.edge, e.centred.edgeRate = "the highest", 0.72 }), result.Inconclusive, "relu/centred ran at the highest rate"},
		{"too small a gain, uncentred arm at an edge: a better rate only shrinks it", speedWorld(paired(10, 0, -0.02, below(m), 0.02), func(e *speedEvidence) { e.uncentred.edge, e.uncentred.edgeRate = "the lowest", 0.09 }), result.Refuted, "smaller than the margin"},
		{"straddling, an arm at an edge: INCONCLUSIVE for the interval", speedWorld(paired(10, 0.04, 0.02, 0.06, 0.03), func(e *speedEvidence) { e.uncentred.edge = "the lowest" }), result.Inconclusive, "the interval straddles the margin:"},
	} {
		v, _ := speedVerdict(tc.e, nil)
		if v.Outcome != tc.want || !strings.Contains(v.Why, tc.whyHas) {
			t.Errorf("%s: %s (%s), want %s with %q", tc.name, v.Outcome, v.Why, tc.want, tc.whyHas)
		}
		if v.Effect == nil || v.Margin == nil || *v.Margin != speedMargin || v.N != tc.e.paired.Diff.N || v.Caveat == "" || v.Role != result.Main {
			t.Errorf("%s: effect %v, margin %v, n %d, caveat %q, role %q: want the comparison filled in", tc.name, v.Effect, v.Margin, v.N, v.Caveat, v.Role)
		}
		if (v.MDE == nil) != math.IsInf(tc.e.paired.MDE, 1) {
			t.Errorf("%s: MDE %v for a comparison whose MDE is %v", tc.name, v.MDE, tc.e.paired.MDE)
		}
		if v.MarginReason != speedMarginReason {
			t.Errorf("%s: margin reason %q", tc.name, v.MarginReason)
		}
		exptest.CheckVerdicts(t, &result.Result{Verdicts: []result.Verdict{v}}, nil)
	}
}

// The statement is the pair's words and its arms, and the role follows
// the evidence.
func TestSpeedVerdictStatement(t *testing.T) {
	v, _ := speedVerdict(speedWorld(paired(10, 0.1, 0.08, 0.12, 0.02), func(e *speedEvidence) {
		e.role, e.subject, e.arms = result.Supporting, "a subject", "a: one, against b: another"
	}), nil)
	if v.Statement != "a subject (a: one, against b: another)" || v.Role != result.Supporting {
		t.Errorf("statement %q, role %q", v.Statement, v.Role)
	}
}

func TestGridEdge(t *testing.T) {
	grid := []float64{0.045, 0.09, 0.18, 0.36, 0.72}
	for _, tc := range []struct {
		chosen []float64
		want   string
		rate   float64
	}{
		{[]float64{0.045, 0.045, 0.09}, "the lowest", 0.045},
		{[]float64{0.72, 0.72, 0.36}, "the highest", 0.72},
		{[]float64{0.045, 0.09, 0.18, 0.72}, "", math.NaN()},
		{[]float64{0.045, 0.045, 0.09, 0.09}, "", math.NaN()},
		{[]float64{0.18, 0.18}, "", math.NaN()},
	} {
		got, rate := gridEdge(tc.chosen, grid)
		if got != tc.want || (got != "" && rate != tc.rate) {
			t.Errorf("gridEdge(%v) = %q %g, want %q %g", tc.chosen, got, rate, tc.want, tc.rate)
		}
	}
	if got, _ := gridEdge([]float64{0.1}, []float64{0.1}); got != "" {
		t.Errorf("a one-rate grid has no edge to be at: %q", got)
	}
}

// The main verdict's Why names the running-mean twins of its pair: at
// batch 1 and at its own batch size; other pairs, and a main pair at
// batch 1 or itself centred by a running mean, add nothing.
func TestTwinAsides(t *testing.T) {
	ev := func(u, c string, batch int, mean float64) speedEvidence {
		return speedEvidence{uncentred: speedArm{name: u}, centred: speedArm{name: c}, batch: batch,
			paired: metrics.Paired{Diff: metrics.Estimate{Mean: mean, Lo: mean - 0.01, Hi: mean + 0.01, N: 12}}}
	}
	main := ev("relu/raw", "relu-centred/raw", 16, 0.05)
	one := ev("relu/raw@1", "relu-runcentred/raw@1", 1, 0.01)
	same := ev("relu/raw", "relu-runcentred/raw", 16, 0.02)
	sig := ev("sigmoid/raw", "sigmoid-centred/raw", 16, 0.17)
	other := ev("relu/raw@4", "relu-runcentred/raw@4", 4, 0.03)
	batchSig := ev("sigmoid/raw", "sigmoid-batchcentred/raw", 16, 0.12)
	batchSig.control = true
	vs := func(n int) []result.Verdict {
		out := make([]result.Verdict, n)
		for i := range out {
			out[i].Outcome = result.Refuted
		}
		return out
	}
	got := twinAsides([]speedEvidence{main, sig, one, other, same, batchSig}, vs(6))
	for _, want := range []string{"with one example per update", "relu/raw@1 over relu-runcentred/raw@1", "at the same batch size (16)", "relu/raw over relu-runcentred/raw, supporting): REFUTED, the uncentred arm's mean loss over the whole run was 1.05 [1.02, 1.07]",
		"the same centring applied to sigmoid's outputs at the same batch size", "sigmoid/raw over sigmoid-batchcentred/raw, control): REFUTED, the uncentred arm's mean loss over the whole run was 1.32"} {
		if !strings.Contains(got, want) {
			t.Errorf("asides %q lack %q", got, want)
		}
	}
	if strings.Contains(got, "sigmoid-centred") || strings.Contains(got, "@4") {
		t.Errorf("asides %q name a pair that is neither a running-mean twin at batch 1 or 16 nor the main pair's centring on sigmoid", got)
	}
	if strings.Index(got, "one example") > strings.Index(got, "same batch size") {
		t.Errorf("asides %q: want the pairs in their order", got)
	}
	// A main pair centred by a running mean names the minibatch pair and
	// the batch-1 pair beside it, and its own centring's control.
	runSig := ev("sigmoid/raw", "sigmoid-runcentred/raw", 16, 0.19)
	runSig.control = true
	got = twinAsides([]speedEvidence{same, main, one, batchSig, runSig}, vs(5))
	for _, want := range []string{"at the same batch size (16), centred by the minibatch mean, which also couples the examples of a batch (BatchNorm's centring without its scaling) (relu/raw over relu-centred/raw, supporting)",
		"(relu/raw@1 over relu-runcentred/raw@1, supporting)", "(sigmoid/raw over sigmoid-runcentred/raw, control)"} {
		if !strings.Contains(got, want) {
			t.Errorf("running-mean main: asides %q lack %q", got, want)
		}
	}
	if strings.Contains(got, "sigmoid-batchcentred") {
		t.Errorf("running-mean main: asides %q name the other centring's control", got)
	}
	for _, evs := range [][]speedEvidence{{one, same}, {main, sig}, nil} {
		if got := twinAsides(evs, vs(len(evs))); got != "" {
			t.Errorf("main %+v: asides %q, want none", evs, got)
		}
	}
}

// Both horizons decide, read together by result.EachHolds: every pair of
// readings gives its outcome, a Context says when they disagree, and the
// early horizon is in the evidence only when it was read.
func TestHorizons(t *testing.T) {
	m := speedMargin
	conf := paired(10, 0.08, 0.06, 0.10, 0.01)     // CONFIRMED: above log10(1.1)
	ref := paired(10, 0.03, 0.02, 0.04, 0.01)      // REFUTED: below it
	inc := paired(10, m, m-0.01, m+0.01, 0.01)     // INCONCLUSIVE: straddles it
	late := paired(10, -0.01, -0.02, -0.005, 0.01) // after the window: the centred arm behind
	for _, tc := range []struct {
		name         string
		whole, early metrics.Paired
		want         result.Outcome
		whyHas       string
		contextHas   string
	}{
		// Its upper end (1.096) lies within 0.46% of the margin, and alone
		// it decides: the Context says what the other side would read.
		{"no early horizon: the whole run decides", ref, metrics.Paired{}, result.Refuted, "Over the whole run: REFUTED, centring the inputs did speed training",
			"the mean loss over the whole run reads REFUTED on a knife edge (1.072 [1.047, 1.096], an end 0.32% from the margin), and had it straddled the margin the pair would read INCONCLUSIVE"},
		{"both hold", conf, conf, result.Confirmed, "Both horizons together (each must hold, and a horizon whose positive controls failed leaves no refutation standing; they decide jointly by a rule added after the results were seen; before it, the whole run alone decided, which reads confirmed here): CONFIRMED.", ""},
		{"both refuted", ref, ref, result.Refuted, "Over the first 1600 examples: REFUTED, centring the inputs did speed training (the interval lies above zero), but by less than the margin", ""},
		{"faster at the start only", ref, conf, result.Mixed, "Over the first 1600 examples: CONFIRMED, centring the inputs made training faster by more than the margin: the uncentred arm's mean loss was 1.2 [1.15, 1.26]",
			"the two horizons read differently (they decide jointly by a rule added after the results were seen; before it, the whole run alone decided): over the first 1600 examples CONFIRMED (ratio 1.2 [1.15, 1.26]), over the whole run REFUTED (ratio 1.07 [1.05, 1.096]); after them, 0.977 [0.955, 0.989] (n = 10, shown): later the centred arm's loss was higher: its early lead reversed"},
		{"faster over the run, not at the start", conf, ref, result.Mixed, "which reads confirmed here): MIXED", "over the first 1600 examples REFUTED"},
		{"refuted over the run, the start unclear", ref, inc, result.Refuted, "Over the first 1600 examples: INCONCLUSIVE, the interval straddles the margin", "over the first 1600 examples INCONCLUSIVE"},
		{"held over the run, the start unclear", conf, inc, result.Inconclusive, "which reads confirmed here): INCONCLUSIVE", "over the whole run CONFIRMED"},
		{"both unclear", inc, inc, result.Inconclusive, "Over the whole run: INCONCLUSIVE, the interval straddles", ""},
	} {
		v, hs := speedVerdict(speedWorld(tc.whole, func(e *speedEvidence) { e.early, e.late = tc.early, late }), nil)
		if v.Outcome != tc.want || !strings.Contains(v.Why, tc.whyHas) || (tc.contextHas == "") != (v.Context == "") || !strings.Contains(v.Context, tc.contextHas) {
			t.Errorf("%s: %s, why %q, context %q; want %s with %q and %q", tc.name, v.Outcome, v.Why, v.Context, tc.want, tc.whyHas, tc.contextHas)
		}
		read := tc.early.Diff.N > 0
		if len(hs) != map[bool]int{false: 1, true: 2}[read] {
			t.Errorf("%s: %d horizons read", tc.name, len(hs))
		}
		got := false
		for _, ev := range v.Evidence {
			got = got || strings.Contains(ev.Name, "over the first 1600 examples") && strings.Contains(ev.Name, "decides beside the whole run")
		}
		if got != read {
			t.Errorf("%s: early horizon in the evidence %v, want %v", tc.name, got, read)
		}
		if !strings.Contains(v.Rule, result.EachHoldsRule) {
			t.Errorf("%s: rule %q does not say how the horizons combine", tc.name, v.Rule)
		}
	}
}

// The positive controls at a pair's batch size gate each of its horizons
// on their own reading there: a REFUTED stands only where every control
// is CONFIRMED; a CONFIRMED needs none.
func TestGateHorizons(t *testing.T) {
	conf := paired(10, 0.08, 0.06, 0.10, 0.01)
	ref := paired(10, 0.03, 0.02, 0.04, 0.01)
	control := func(whole, early metrics.Paired, edit func(*speedEvidence)) speedEvidence {
		return speedWorld(whole, func(e *speedEvidence) {
			e.role, e.control, e.early = result.Supporting, true, early
			e.uncentred.name, e.centred.name = "sigmoid/raw", "sigmoid-centred/raw"
			if edit != nil {
				edit(e)
			}
		})
	}
	for _, tc := range []struct {
		name         string
		whole, early metrics.Paired
		controls     []speedEvidence
		want         result.Outcome
		whyHas       string
	}{
		{"controls hold at both horizons", ref, ref, []speedEvidence{control(conf, conf, nil), control(conf, conf, nil)}, result.Refuted, ""},
		// The early horizon's refutation does not stand alone beside a
		// horizon whose controls failed (review 21c).
		{"a control fails over the whole run only", ref, ref, []speedEvidence{control(conf, conf, nil), control(ref, conf, nil)}, result.Inconclusive,
			"Over the whole run: INCONCLUSIVE, a positive control did not show its speed-up there, so this design may be unable to show one: sigmoid/raw over sigmoid-centred/raw, 1.07 [1.05, 1.096], refuted; without that gate it would be refuted: the uncentred arm's mean loss was 1.07 [1.05, 1.096] times the centred arm's (log10 0.030 [0.020, 0.040], n = 10, MDE 0.010 against margin 0.041); an end of the interval lies 0.32% from the margin (within the 0.46% this report calls a knife edge), which another seed could turn."},
		{"a control fails at both", ref, ref, []speedEvidence{control(ref, ref, nil)}, result.Inconclusive, "Over the first 1600 examples: INCONCLUSIVE, a positive control did not show its speed-up there"},
		{"a control blocked", ref, ref, []speedEvidence{control(conf, conf, func(e *speedEvidence) { e.uncentred.trained = 2 })}, result.Inconclusive, "(not read: The control did not learn"},
		{"confirmed needs no control", conf, conf, []speedEvidence{control(ref, ref, nil)}, result.Confirmed, ""},
		{"MIXED keeps its confirmed start, loses its refuted run", ref, conf, []speedEvidence{control(ref, conf, nil)}, result.Inconclusive, "Over the whole run: INCONCLUSIVE, a positive control did not show its speed-up there"},
		{"no controls: no gate", ref, ref, nil, result.Refuted, ""},
	} {
		v, _ := speedVerdict(speedWorld(tc.whole, func(e *speedEvidence) { e.early = tc.early }), tc.controls)
		if v.Outcome != tc.want || !strings.Contains(v.Why, tc.whyHas) {
			t.Errorf("%s: %s (%s), want %s with %q", tc.name, v.Outcome, v.Why, tc.want, tc.whyHas)
		}
		if strings.Contains(v.Rule, "positive control") != (len(tc.controls) > 0) {
			t.Errorf("%s: rule %q should name the controls' gate when there are controls", tc.name, v.Rule)
		}
	}
}

// The window is whole blocks of the learning curve, shorter than the run.
func TestEarlyBlocks(t *testing.T) {
	for _, tc := range []struct {
		every, batch, steps, want int
	}{
		{20, 16, 400, 5},  // the report: 320 examples a block
		{20, 16, 800, 5},  // twice the budget: the same window
		{10, 16, 60, 0},   // quick: the run is shorter than the window
		{20, 16, 100, 0},  // the run is the window: nothing beside it
		{30, 16, 400, 0},  // 480 examples a block do not make 1600
		{10, 16, 400, 10}, // 160 a block
	} {
		c := &Config{CurveEvery: tc.every, TrainBatch: tc.batch, TrainSteps: tc.steps}
		if got := earlyBlocks(c); got != tc.want {
			t.Errorf("every %d, batch %d, steps %d: %d blocks, want %d", tc.every, tc.batch, tc.steps, got, tc.want)
		}
	}
	r := cellResult{Curve: []float64{4, 2, 1, 1}}
	if got := earlyLog(r, 2); math.Abs(got-math.Log10(3)) > 1e-15 {
		t.Errorf("early log over 2 blocks %v, want log10(3)", got)
	}
	if !math.IsNaN(earlyLog(cellResult{Diverged: true, Curve: r.Curve}, 2)) || !math.IsNaN(earlyLog(r, 5)) {
		t.Error("a diverged run, or one without the blocks, has no early loss")
	}
}

// What the ratio after the early window says beside the early one,
// against the margin.
func TestLateWords(t *testing.T) {
	early := paired(12, 0.05, 0.04, 0.06, 0.01)
	noLead := paired(12, 0.004, -0.008, 0.014, 0.016)
	m := speedMargin
	for _, tc := range []struct {
		early, late metrics.Paired
		want        string
	}{
		{early, metrics.Paired{}, "the later steps weigh in"},
		{early, paired(12, -0.02, -0.03, -0.01, 0.01), "later the centred arm's loss was higher: its early lead reversed"},
		{early, paired(12, 0.0, -0.01, 0.01, 0.01), "later the arms were equal within the margin"},
		{early, paired(12, 0.02, 0.01, 0.03, 0.01), "later the centred arm was ahead by less than the margin"},
		{early, paired(12, 0.07, 0.06, 0.08, 0.01), "later the centred arm was ahead by more than the margin"},
		{early, paired(12, m, m-0.01, m+0.01, 0.01), "later the interval straddles the margin"},
		{noLead, paired(12, -0.02, -0.03, -0.01, 0.01), "the centred arm was not shown ahead at the start; later the centred arm's loss was higher"},
		{noLead, paired(12, 0.0, -0.01, 0.01, 0.01), "the centred arm was not shown ahead at the start; later the arms were equal within the margin"},
	} {
		if got := lateWords(tc.early, tc.late); got != tc.want && !(tc.want == "the later steps weigh in" && strings.HasPrefix(got, tc.want)) {
			t.Errorf("early %+v, late %+v: %q, want %q", tc.early.Diff, tc.late.Diff, got, tc.want)
		}
	}
}

// The main verdict says when the speed-up it shows is not shown by its
// running-mean twin at the same batch size: it may come from the
// minibatch mean's coupling.
func TestCouplingContext(t *testing.T) {
	ev := func(u, c string, batch int) speedEvidence {
		return speedEvidence{uncentred: speedArm{name: u}, centred: speedArm{name: c}, batch: batch,
			paired: metrics.Paired{Diff: metrics.Estimate{Mean: 0.02, Lo: 0.01, Hi: 0.03, N: 12}}}
	}
	main := ev("relu/raw", "relu-centred/raw", 16)
	twin := ev("relu/raw", "relu-runcentred/raw", 16)
	one := ev("relu/raw@1", "relu-runcentred/raw@1", 1)
	vs := func(outcomes ...result.Outcome) []result.Verdict {
		out := make([]result.Verdict, len(outcomes))
		for i, o := range outcomes {
			out[i].Outcome = o
		}
		return out
	}
	for _, tc := range []struct {
		name string
		evs  []speedEvidence
		vs   []result.Verdict
		want string
	}{
		{"mixed main, refuted twin", []speedEvidence{main, one, twin}, vs(result.Mixed, result.Refuted, result.Refuted), "its twin centred by a running mean (relu/raw over relu-runcentred/raw), which gives the later layers inputs of both signs without coupling the examples of a batch, reads REFUTED (whole run 1.05 [1.02, 1.07]); the minibatch mean also couples the examples of a batch, but the two centrings are not compared head to head"},
		{"confirmed main, inconclusive twin", []speedEvidence{main, twin}, vs(result.Confirmed, result.Inconclusive), "reads INCONCLUSIVE"},
		{"refuted main: nothing to explain", []speedEvidence{main, twin}, vs(result.Refuted, result.Refuted), ""},
		{"the twin shows it too", []speedEvidence{main, twin}, vs(result.Confirmed, result.Confirmed), ""},
		{"only a batch-1 twin", []speedEvidence{main, one}, vs(result.Confirmed, result.Refuted), ""},
		// The running-mean pair as the main one (since session 21): its
		// Context names the minibatch pair's speed-up.
		{"running-mean main refuted, minibatch pair mixed", []speedEvidence{twin, main, one}, vs(result.Refuted, result.Mixed, result.Refuted), "the pair centred by the minibatch mean (relu/raw over relu-centred/raw, at ), the main pair until the results were seen, reads MIXED (whole run 1.05 [1.02, 1.07]) where this one reads REFUTED; the minibatch mean also couples"},
		{"running-mean main, minibatch pair refuted too: still named", []speedEvidence{twin, main}, vs(result.Refuted, result.Refuted), "the pair centred by the minibatch mean (relu/raw over relu-centred/raw), the main pair until the results were seen, reads REFUTED (whole run 1.05 [1.02, 1.07])"},
		{"running-mean main confirmed, minibatch confirmed", []speedEvidence{twin, main}, vs(result.Confirmed, result.Confirmed), "reads CONFIRMED (whole run"},
		{"neither pair is the main one", []speedEvidence{one, main, twin}, vs(result.Refuted, result.Mixed, result.Refuted), ""},
	} {
		got := couplingContext(tc.evs, tc.vs, nil, 0, "")
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

// A ratio is shown to three figures, or more where fewer would show it
// as the margin without being it.
func TestRatioText(t *testing.T) {
	for _, tc := range []struct {
		x    float64
		want string
	}{
		{math.Log10(1.05), "1.05"},
		{math.Log10(1.1001), "1.1001"},
		{0.04150, "1.1003"},
		{speedMargin, "1.1"},
		{math.Log10(1.0996), "1.0996"},
		{math.Log10(1.096), "1.096"},
		{math.Log10(1.12), "1.12"},
	} {
		if got := ratioText(tc.x); got != tc.want {
			t.Errorf("ratioText(%v) = %q, want %q", tc.x, got, tc.want)
		}
	}
}

// The head-to-head of two pairs' centred arms is paired by seed: log10 of
// the first's loss over the second's, over the whole run and the early
// horizon; a diverged run leaves its seed out.
func TestCentredHeadToHead(t *testing.T) {
	run := func(mean float64, curve ...float64) cellResult { return cellResult{MeanLoss: mean, Curve: curve} }
	a := []pairRun{{c: run(2, 4, 1)}, {c: run(2.2, 4, 1)}, {c: run(2, 4, 1)}}
	b := []pairRun{{c: run(1, 2, 1)}, {c: run(1, 2, 1)}, {c: cellResult{Diverged: true}}}
	h := centredHeadToHead(a, b, 1)
	if h.whole.Diff.N != 2 || math.Abs(h.whole.Diff.Mean-(math.Log10(2)+math.Log10(2.2))/2) > 1e-12 {
		t.Errorf("whole run %+v: want 2 seeds, mean of log10 2 and log10 2.2", h.whole.Diff)
	}
	if h.early.Diff.N != 2 || math.Abs(h.early.Diff.Mean-math.Log10(2)) > 1e-12 {
		t.Errorf("early horizon %+v: want log10(4/2) over 2 seeds", h.early.Diff)
	}
	if h := centredHeadToHead(a, b, 0); h.early.Diff.N != 0 {
		t.Errorf("no early horizon, yet %+v", h.early.Diff)
	}
}

// A reading is on a knife edge when an end of its interval lies within
// nearMargin of the margin, on either side, and not otherwise.
func TestKnifeEdge(t *testing.T) {
	m := speedMargin
	for _, tc := range []struct {
		lo, hi float64
		want   bool
	}{
		{m + nearMargin/2, m + 0.1, true},
		{m - nearMargin/2, m + 0.1, true},
		{m - 0.1, m - nearMargin/2, true},
		{m + nearMargin, m + 0.1, false},
		{m - 0.1, m - nearMargin, false},
		{-0.05, 0.01, false},
	} {
		if got := knifeEdge(metrics.Estimate{Lo: tc.lo, Hi: tc.hi, N: 10}); got != tc.want {
			t.Errorf("[%v, %v] against margin %v: knife edge %v, want %v", tc.lo, tc.hi, m, got, tc.want)
		}
	}
}

// combineMeasures: every pair of the two measures' outcomes (rules version
// 5): agreement stands, a confirmation against a refutation or a MIXED
// measure is MIXED, an undecided measure beside a decided one leaves the
// pair INCONCLUSIVE.
func TestCombineMeasures(t *testing.T) {
	C, R, M, I := result.Confirmed, result.Refuted, result.Mixed, result.Inconclusive
	for _, tc := range []struct{ loss, examples, want result.Outcome }{
		{C, C, C}, {R, R, R}, {M, M, M}, {I, I, I},
		{C, R, M}, {R, C, M},
		{M, C, M}, {M, R, M}, {M, I, M}, {C, M, M}, {R, M, M}, {I, M, M},
		{C, I, I}, {I, C, I}, {R, I, I}, {I, R, I},
	} {
		if got := combineMeasures(tc.loss, tc.examples); got != tc.want {
			t.Errorf("mean loss %s, examples %s: %s, want %s", tc.loss, tc.examples, got, tc.want)
		}
	}
}

// reachBar: censored centred runs bar a CONFIRMED, floored ones a
// REFUTED, and neither touches the other outcomes.
func TestReachBar(t *testing.T) {
	C, R, I := result.Confirmed, result.Refuted, result.Inconclusive
	for _, tc := range []struct {
		o                 result.Outcome
		censored, floored int
		want              result.Outcome
		whyHas            string
	}{
		{C, 0, 0, C, ""}, {C, 1, 0, I, "1 centred runs never reached the target"}, {C, 0, 3, C, ""},
		{R, 0, 0, R, ""}, {R, 0, 1, I, "cannot be refuted"}, {R, 2, 0, R, ""},
		{I, 2, 2, I, ""},
	} {
		got, why := reachBar(tc.o, reachReading{censored: tc.censored, floored: tc.floored})
		if got != tc.want || (tc.whyHas == "") != (why == "") || !strings.Contains(why, tc.whyHas) {
			t.Errorf("%s with %d censored, %d floored: %s (%q), want %s with %q", tc.o, tc.censored, tc.floored, got, why, tc.want, tc.whyHas)
		}
	}
}

// On the confirmation seeds (rules version 5) a pair is read by its mean
// loss and as a speed in examples, each over two readings, and the two
// measures decide together; the controls gate the readings in examples
// by their own readings there.
func TestTwoMeasures(t *testing.T) {
	conf := paired(10, 0.08, 0.06, 0.10, 0.01)
	ref := paired(10, 0.03, 0.02, 0.04, 0.01)
	inc := paired(10, speedMargin, speedMargin-0.01, speedMargin+0.01, 0.01)
	reach := func(target int, p metrics.Paired, censored, floored int) reachReading {
		return reachReading{target: target, paired: p, censored: censored, floored: floored, slope: -0.5}
	}
	world := func(loss, exEarly, exMid reachReading, edit func(*speedEvidence)) speedEvidence {
		return speedWorld(loss.paired, func(e *speedEvidence) {
			e.phase, e.early, e.reachEarly, e.reachMid = confirmPhase, loss.paired, exEarly, exMid
			if edit != nil {
				edit(e)
			}
		})
	}
	l := func(p metrics.Paired) reachReading { return reachReading{paired: p} }
	control := func(exMid metrics.Paired) speedEvidence {
		return world(l(conf), reach(1600, conf, 0, 0), reach(3200, exMid, 0, 0), func(e *speedEvidence) {
			e.role, e.control = result.Supporting, true
			e.uncentred.name, e.centred.name = "sigmoid/raw", "sigmoid-centred/raw"
		})
	}
	for _, tc := range []struct {
		name                 string
		loss, exEarly, exMid reachReading
		controls             []speedEvidence
		want                 result.Outcome
		whyHas, contextHas   string
	}{
		{"both measures refute", l(ref), reach(1600, ref, 0, 0), reach(3200, ref, 0, 0), nil, result.Refuted,
			"In examples to its loss at half the run: REFUTED, centring the inputs did speed training (the interval lies above zero), but by less than the margin that matters: the uncentred arm took 1.07 [1.05, 1.096] times the centred arm's examples to get to its level at 3200 examples",
			"read two ways by the rule fixed before these seeds were run, by the mean loss REFUTED and as a speed in examples REFUTED (at its targets, on the uncentred arm's learning curve, 10% fewer examples is a loss 4.9% to 4.9% lower; the mean loss's margin is 10%): together REFUTED"},
		{"examples confirm, mean loss refutes", l(ref), reach(1600, conf, 0, 0), reach(3200, conf, 0, 0), nil, result.Mixed,
			"The mean loss over its horizons reads refuted, the examples to the targets confirmed. The two measures together: MIXED (by the rule fixed before these seeds were run, docs/c6-confirmation-2.md).", "together MIXED"},
		{"one reading in examples undecided, the other refuted: the examples refute", l(ref), reach(1600, inc, 0, 0), reach(3200, ref, 0, 0), nil, result.Refuted,
			"In examples to the uncentred arm's loss after 1600 examples: INCONCLUSIVE, the interval straddles the margin", "as a speed in examples REFUTED ("},
		{"examples undecided", l(ref), reach(1600, inc, 0, 0), reach(3200, inc, 0, 0), nil, result.Inconclusive,
			"In examples to the uncentred arm's loss after 1600 examples: INCONCLUSIVE, the interval straddles the margin", "as a speed in examples INCONCLUSIVE ("},
		{"both confirm", l(conf), reach(1600, conf, 0, 0), reach(3200, conf, 0, 0), nil, result.Confirmed, "the examples to the targets confirmed", ""},
		{"a censored centred run bars the examples' confirmation", l(conf), reach(1600, conf, 0, 0), reach(3200, conf, 1, 0), nil, result.Inconclusive,
			"In examples to its loss at half the run: INCONCLUSIVE, 1 centred runs never reached the target and count at the run's length, which overstates their speed, so it cannot be confirmed", ""},
		{"a floored centred run bars the examples' refutation", l(ref), reach(1600, ref, 0, 2), reach(3200, inc, 0, 0), nil, result.Inconclusive, "so it cannot be refuted", "as a speed in examples INCONCLUSIVE ("},
		{"controls hold in examples: the refutation stands", l(ref), reach(1600, ref, 0, 0), reach(3200, ref, 0, 0), []speedEvidence{control(conf)}, result.Refuted, "", ""},
		{"a control fails in examples at half the run", l(ref), reach(1600, ref, 0, 0), reach(3200, ref, 0, 0), []speedEvidence{control(ref)}, result.Inconclusive,
			"In examples to its loss at half the run: INCONCLUSIVE, a positive control did not show its speed-up there", "as a speed in examples INCONCLUSIVE ("},
	} {
		v, hs := speedVerdict(world(tc.loss, tc.exEarly, tc.exMid, nil), tc.controls)
		if v.Outcome != tc.want || !strings.Contains(v.Why, tc.whyHas) || !strings.Contains(v.Context, tc.contextHas) {
			t.Errorf("%s: %s\nwhy %q\ncontext %q\nwant %s with %q and %q", tc.name, v.Outcome, v.Why, v.Context, tc.want, tc.whyHas, tc.contextHas)
		}
		if len(hs) != 4 {
			t.Errorf("%s: %d readings, want 4", tc.name, len(hs))
		}
		if !strings.Contains(v.Rule, combineMeasuresRule) || !strings.Contains(v.Rule, "docs/c6-confirmation-2.md") {
			t.Errorf("%s: rule %q does not say how the measures combine", tc.name, v.Rule)
		}
		exptest.CheckVerdicts(t, &result.Result{Verdicts: []result.Verdict{v}}, nil)
	}
	// The train seeds read the mean loss alone.
	v, hs := speedVerdict(world(l(ref), reach(1600, conf, 0, 0), reach(3200, conf, 0, 0), func(e *speedEvidence) { e.phase = "" }), nil)
	if v.Outcome != result.Refuted || len(hs) != 2 {
		t.Errorf("train seeds: %s over %d readings, want REFUTED over the mean loss's 2", v.Outcome, len(hs))
	}
}

// seedDrops leaves out each seed of a reading in turn: here a confirming
// early reading whose lower end (0.0427) lies just above the margin
// (0.0414) turns INCONCLUSIVE without any of five of its six seeds (by
// hand: dropping 0.032 raises the lower end to 0.052; dropping any other
// lowers it to 0.034-0.039), and with it the pair's verdict (the mean
// loss's two readings, REFUTED and CONFIRMED, are MIXED; REFUTED and
// INCONCLUSIVE are REFUTED). A reading far from the margin turns for
// none.
func TestSeedDrops(t *testing.T) {
	edge := []float64{0.032, 0.052, 0.062, 0.072, 0.082, 0.092}
	whole := []float64{0.010, 0.011, 0.012, 0.013, 0.014, 0.015}
	reading := func(lead string, d []float64) horizonReading {
		p := metrics.OneSample(d)
		return horizonReading{lead: lead, paired: p, diffs: d, outcome: kit.Superiority(p, speedMargin)}
	}
	hs := []horizonReading{reading("Over the whole run", whole), reading("Over the first 1600 examples", edge)}
	if hs[0].outcome != result.Refuted || hs[1].outcome != result.Confirmed || decideReadings(hs) != result.Mixed {
		t.Fatalf("set-up: readings %s and %s, pair %s; want REFUTED, CONFIRMED, MIXED", hs[0].outcome, hs[1].outcome, decideReadings(hs))
	}
	got := seedDrops(hs, 1, result.Mixed)
	// The five that turn it are the five largest: from 0.052 up.
	if want := (seedDrop{n: 6, turned: 5, verdict: 5, to: result.Inconclusive, verdictTo: result.Refuted, from: 0.052, above: true}); got != want {
		t.Errorf("seedDrops of the knife edge = %+v, want %+v", got, want)
	}
	if w, want := got.words(result.Confirmed, result.Mixed), "left out one at a time, any one of the 5 of its 6 seeds whose own ratio is at least 1.127 would turn it INCONCLUSIVE, and the pair from MIXED to REFUTED; the other one would not"; w != want {
		t.Errorf("words: %q, want %q", w, want)
	}
	if got := seedDrops(hs, 0, result.Mixed); got.turned != 0 || got.n != 6 {
		t.Errorf("seedDrops of a reading far below the margin = %+v, want none turned of 6", got)
	}
	if w := knifeEdgeContext(hs, result.Mixed); !strings.Contains(w, "had it straddled the margin the pair would read REFUTED; left out one at a time, any one of the 5 of its 6 seeds") {
		t.Errorf("knifeEdgeContext: %q", w)
	}
	if got, want := fragileNote(hs, result.Mixed), "on a knife edge: REFUTED without any one of 5 of its 6 seeds"; got != want {
		t.Errorf("fragileNote = %q, want %q", got, want)
	}
	if got := fragileNote(hs[:1], result.Refuted); got != "" {
		t.Errorf("fragileNote without a knife edge = %q", got)
	}
	// Turned seeds that are neither the largest nor the smallest have no
	// bound; turned readings that leave the verdict are said to.
	if w := (seedDrop{n: 6, turned: 2, from: math.NaN(), to: result.Inconclusive}).words(result.Confirmed, result.Confirmed); w != "left out one at a time, any one of 2 of its 6 seeds would turn it INCONCLUSIVE, and leave the pair's verdict as it is; any of the other 4 would not" {
		t.Errorf("words without a bound: %q", w)
	}
}

// A control that holds the gate open on a knife edge is named in the
// Context of the pair it gates, with what the pair would read had it
// straddled the margin; a control far above the margin is not.
func TestGateKnifeContext(t *testing.T) {
	ref := paired(10, 0.03, 0.02, 0.04, 0.01)
	conf := paired(10, 0.08, 0.06, 0.10, 0.01)
	edge := paired(10, 0.06, speedMargin+nearMargin/2, 0.08, 0.01)
	control := func(whole metrics.Paired) speedEvidence {
		return speedWorld(whole, func(e *speedEvidence) {
			e.role, e.control, e.early = result.Supporting, true, conf
			e.uncentred.name, e.centred.name = "sigmoid/raw", "sigmoid-centred/raw"
		})
	}
	main := speedWorld(ref, func(e *speedEvidence) { e.early = ref })
	v, _ := speedVerdict(main, []speedEvidence{control(edge)})
	want := "the positive control sigmoid/raw over sigmoid-centred/raw, which gates this pair, reads CONFIRMED on a knife edge over the whole run (1.148 [1.103, 1.202]), and had it straddled the margin it would have gated this pair's reading there and the pair would read INCONCLUSIVE"
	if v.Outcome != result.Refuted || !strings.Contains(v.Context, want) {
		t.Errorf("knife-edge control: %s, context %q; want REFUTED with %q", v.Outcome, v.Context, want)
	}
	if v, _ := speedVerdict(main, []speedEvidence{control(conf)}); strings.Contains(v.Context, "the positive control") {
		t.Errorf("a control far from the margin named: %q", v.Context)
	}
}

// A knife edge that does not decide is named in the Why; an undecided
// reading just short of the margin is a knife edge too, whose other side
// (clearing it) can decide.
func TestKnifeEdgesThatDoNotDecide(t *testing.T) {
	m := speedMargin
	reading := func(lead string, lo, hi float64) horizonReading {
		p := paired(10, (lo+hi)/2, lo, hi, 0.01)
		return horizonReading{lead: lead, paired: p, outcome: kit.Superiority(p, m)}
	}
	// REFUTED far below and REFUTED with its upper end just below the
	// margin: straddling, the early one would leave REFUTED.
	hs := []horizonReading{reading("Over the whole run", 0.01, 0.02), reading("Over the first 1600 examples", 0.02, m-nearMargin/2)}
	if got := knifeEdgeContext(hs, result.Refuted); got != "" {
		t.Errorf("a knife edge that does not decide in the Context: %q", got)
	}
	if got := knifeEdgeWhy(hs, result.Refuted); !strings.HasPrefix(got, " On a knife edge without deciding: the mean loss over the first 1600 examples (refuted, ") || !strings.Contains(got, "read inconclusive, the pair would read refuted, the same)") {
		t.Errorf("knifeEdgeWhy: %q", got)
	}
	// INCONCLUSIVE with its lower end just below the margin, beside a
	// CONFIRMED: clearing the margin, it would make the pair CONFIRMED.
	hs = []horizonReading{reading("Over the whole run", m-nearMargin/2, m+0.02), reading("Over the first 1600 examples", m+0.02, m+0.04)}
	if decideReadings(hs) != result.Inconclusive {
		t.Fatalf("set-up: %s, want INCONCLUSIVE", decideReadings(hs))
	}
	if got := knifeEdgeContext(hs, result.Inconclusive); !strings.Contains(got, "the mean loss over the whole run reads INCONCLUSIVE on a knife edge") || !strings.Contains(got, "had it cleared the margin the pair would read CONFIRMED") {
		t.Errorf("knifeEdgeContext of an undecided edge: %q", got)
	}
	// Without per-seed values no seed drop is counted: the note says what
	// the margin's other side gives.
	if got, want := fragileNote(hs, result.Inconclusive), "on a knife edge: CONFIRMED on the margin's other side"; got != want {
		t.Errorf("fragileNote = %q, want %q", got, want)
	}
	if got := knifeEdgeWhy(hs, result.Inconclusive); !strings.HasPrefix(got, " On a knife edge, deciding the verdict: the mean loss over the whole run (inconclusive, ") || !strings.HasSuffix(got, "read confirmed, the pair would read confirmed).") {
		t.Errorf("a deciding edge in knifeEdgeWhy: %q", got)
	}
}

// closeEstimates names overlapping readings with where each pair of
// estimates lies against the margin, and says nothing when an interval
// pair does not overlap.
func TestCloseEstimates(t *testing.T) {
	m := speedMargin
	r := func(lead string, mean float64) horizonReading {
		return horizonReading{lead: lead, paired: paired(12, mean, mean-0.01, mean+0.01, 0.01)}
	}
	train := []horizonReading{r("Over the whole run", 0.02), r("Over the first 1600 examples", m-0.003)}
	confirmed := []horizonReading{r("Over the whole run", 0.025), r("Over the first 1600 examples", m+0.003)}
	got := closeEstimates(train, confirmed)
	if !strings.Contains(got, "the whole run "+ratioText(0.02)+" against "+ratioText(0.025)+", both below the margin") || !strings.Contains(got, ", on either side of the margin)") {
		t.Errorf("closeEstimates = %q", got)
	}
	confirmed[0] = r("Over the whole run", 0.06)
	if got := closeEstimates(train, confirmed); got != "" {
		t.Errorf("intervals apart, yet %q", got)
	}
}

// The head-to-head of the half-centred arm over the fully centred one:
// below 1 the half-centred arm's loss was lower, so the full subtraction
// was slower (review 24c's reading of 0.986 [0.974, 0.998]); near the
// margin the words say so; beyond it, the full subtraction sped training.
func TestHalfHeadWords(t *testing.T) {
	est := func(mean, lo, hi float64) metrics.Estimate {
		return metrics.Estimate{Mean: mean, Lo: lo, Hi: hi, N: 12}
	}
	l := math.Log10
	for _, tc := range []struct {
		name         string
		whole, early metrics.Estimate
		want         string
	}{
		{"half faster, within the margin", est(l(0.986), l(0.974), l(0.998)), est(l(1.008), l(0.995), l(1.022)), "(the full subtraction slower, the interval below 1 over the whole run)"},
		{"full faster, within the margin", est(l(1.03), l(1.02), l(1.04)), est(l(1.03), l(1.02), l(1.04)), "(the full subtraction faster, the interval above 1 over the whole run)"},
		{"no direction", est(0, l(0.99), l(1.01)), metrics.Estimate{}, "(no direction shown, the interval about 1 over the whole run)"},
		{"full faster beyond the margin", est(l(1.3), l(1.2), l(1.4)), est(l(1.3), l(1.2), l(1.4)), ": subtracting the whole running mean rather than half sped training by more than the margin"},
		{"straddling", est(l(1.1), l(1.05), l(1.15)), metrics.Estimate{}, ": not settled against the margin"},
		{"an end at the margin", est(l(1.05), l(1.0), l(1.0999)), metrics.Estimate{}, "a knife edge)"},
	} {
		if got := halfHeadWords(tc.whole, tc.early); !strings.Contains(got, tc.want) {
			t.Errorf("%s: %q, want %q in it", tc.name, got, tc.want)
		}
	}
}
