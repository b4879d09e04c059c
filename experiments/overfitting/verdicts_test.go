package overfitting

import (
	"math"
	"strings"
	"testing"

	"github.com/reluexp/reluexp/experiments/internal/exptest"
	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/metrics"
)

// paired is a made-up paired comparison of n seeds with the given 95%
// interval (pp) and a minimal detectable effect of a fifth of the margin,
// so that only the cases that say so have too few seeds.
func paired(lo, hi float64, n int) metrics.Paired {
	mean := (lo + hi) / 2
	return metrics.Paired{Diff: metrics.Estimate{Mean: mean, Lo: lo, Hi: hi, SD: (hi - lo) / 4, N: n},
		Lo90: mean - (hi-lo)/2.4, Hi90: mean + (hi-lo)/2.4, MDE: 0.1}
}

// withMDE sets the minimal detectable effect.
func withMDE(p metrics.Paired, mde float64) metrics.Paired { p.MDE = mde; return p }

// healthy is an arm of 10 runs, none diverged or unfit, fit required.
func healthy(label string) armHealth {
	return armHealth{label: label, runs: 10, fitChecked: true}
}

func arm2(a, b armHealth) []armHealth { return []armHealth{a, b} }

// Two healthy arms.
var ok2 = arm2(healthy("a"), healthy("b"))

// The intervals the rules meet, against the gap margin of 0.5 pp.
var (
	gapAbove    = paired(0.7, 1.3, 10)  // shrinks by more than the margin
	gapBelow    = paired(-0.4, 0.3, 10) // any change is smaller than the margin
	gapStraddle = paired(0.2, 0.9, 10)  // contains the margin
)

// checkShape holds one verdict to the project's standard
// (exptest.CheckVerdicts: outcome, role, rule, why, caveat, effect with
// margin and the margin's reason, evidence inside its interval) and adds
// what report.Check also asks: a comparison over two seeds or more reports
// its MDE.
func checkShape(t *testing.T, name string, v result.Verdict) {
	t.Helper()
	t.Run(name, func(t *testing.T) {
		exptest.CheckVerdicts(t, &result.Result{Verdicts: []result.Verdict{v}}, nil)
	})
	if v.Margin != nil && v.N >= 2 && v.MDE == nil {
		t.Errorf("%s: a comparison of %d seeds without an MDE", name, v.N)
	}
}

func TestJudge(t *testing.T) {
	diverged := func(k int) armHealth { h := healthy("x"); h.diverged = k; return h }
	unfit := func(k int, checked bool) armHealth {
		h := healthy("x")
		h.diverged, h.unfit, h.fitChecked = 2, k, checked
		return h
	}
	cases := []struct {
		name   string
		c      comparison
		want   result.Outcome
		reason string // a piece of the reason
	}{
		{"interval above the margin", comparison{p: gapAbove, arms: ok2}, result.Confirmed, "above"},
		{"lower end exactly at the margin is not above it", comparison{p: paired(0.5, 1.1, 10), arms: ok2}, result.Inconclusive, "contains"},
		{"lower end just above the margin", comparison{p: paired(0.5001, 1.1, 10), arms: ok2}, result.Confirmed, "above"},
		{"interval below the margin", comparison{p: gapBelow, arms: ok2}, result.Refuted, "below"},
		{"upper end exactly at the margin is not below it", comparison{p: paired(-0.1, 0.5, 10), arms: ok2}, result.Inconclusive, "contains"},
		{"upper end just below the margin", comparison{p: paired(-0.1, 0.4999, 10), arms: ok2}, result.Refuted, "below"},
		{"interval containing the margin", comparison{p: gapStraddle, arms: ok2}, result.Inconclusive, "contains"},
		{"containing the margin with an MDE above it says too few seeds", comparison{p: withMDE(gapStraddle, 0.8), arms: ok2}, result.Inconclusive, "too few seeds"},
		{"an arm with 6 of 10 runs diverged", comparison{p: gapAbove, arms: arm2(healthy("a"), diverged(6))}, result.Inconclusive, "6 of 10"},
		{"an arm with exactly half its runs diverged still counts", comparison{p: paired(0.7, 1.3, 5), arms: arm2(healthy("a"), diverged(5))}, result.Confirmed, "above"},
		{"an arm with 5 of 8 finite runs unfit", comparison{p: gapAbove, arms: arm2(healthy("a"), unfit(5, true))}, result.Inconclusive, "did not fit"},
		{"an arm with exactly half its finite runs unfit still counts", comparison{p: paired(0.7, 1.3, 5), arms: arm2(healthy("a"), unfit(4, true))}, result.Confirmed, "above"},
		{"unfit runs of an arm not required to fit", comparison{p: gapAbove, arms: arm2(healthy("a"), unfit(8, false))}, result.Confirmed, "above"},
		{"a single pair has no interval", comparison{p: paired(0.7, 1.3, 1), arms: ok2}, result.Inconclusive, "no interval"},
		{"4 pairs of 10 seeds rest on a minority", comparison{p: paired(0.7, 1.3, 4), arms: ok2}, result.Inconclusive, "only 4 of 10"},
		{"5 pairs of 10 seeds are enough", comparison{p: paired(0.7, 1.3, 5), arms: ok2}, result.Confirmed, "above"},
		{"a zero-width interval off the margin decides nothing", comparison{p: metrics.Paired{Diff: metrics.Estimate{Mean: 2, Lo: 2, Hi: 2, SD: 0, N: 10}, MDE: 0}, arms: ok2}, result.Inconclusive, "zero-width"},
	}
	for _, c := range cases {
		j := judge(c.c, gapMargin, 0.99)
		if j.outcome != c.want || !strings.Contains(j.reason, c.reason) {
			t.Errorf("%s: %s (%q), want %s with %q", c.name, j.outcome, j.reason, c.want, c.reason)
		}
	}
}

func TestCombine(t *testing.T) {
	j := func(o result.Outcome, lo, hi float64) judged {
		return judged{c: comparison{p: paired(lo, hi, 10)}, outcome: o}
	}
	C, R, I := result.Confirmed, result.Refuted, result.Inconclusive
	cases := []struct {
		name     string
		parts    []judged
		want     result.Outcome
		deciding int
	}{
		{"nothing to combine", nil, I, -1},
		{"one confirmed", []judged{j(C, 1, 2)}, C, 0},
		{"both confirmed: the weaker (lower end nearer the margin) decides", []judged{j(C, 1, 2), j(C, 0.6, 3)}, C, 1},
		{"both refuted: the weaker (upper end nearer the margin) decides", []judged{j(R, -1, 0.1), j(R, -2, -1)}, R, 0},
		{"confirmed and refuted: mixed, shown by the refuted one", []judged{j(C, 1, 2), j(R, -1, 0)}, result.Mixed, 1},
		{"confirmed and inconclusive", []judged{j(C, 1, 2), j(I, 0, 1)}, I, 1},
		{"refuted and inconclusive", []judged{j(I, 0, 1), j(R, -1, 0)}, I, 0},
		{"confirmed, refuted and inconclusive: mixed", []judged{j(I, 0, 1), j(C, 1, 2), j(R, -1, 0)}, result.Mixed, 2},
	}
	for _, c := range cases {
		got, d := combine(c.parts)
		if got != c.want || d != c.deciding {
			t.Errorf("%s: %s deciding %d, want %s deciding %d", c.name, got, d, c.want, c.deciding)
		}
	}
}

func TestShrinkVerdict(t *testing.T) {
	cmp := func(name string, p metrics.Paired, arms []armHealth) comparison {
		return comparison{name: name, p: p, arms: arms}
	}
	unfitDrop := arm2(healthy("relu"), armHealth{label: "relu + dropout", runs: 10, unfit: 6, fitChecked: true})
	cases := []struct {
		name        string
		e           shrinkEvidence
		want        result.Outcome
		effect      string // the comparison shown as the effect ("" for none)
		whyContains string
	}{
		{"both shrink the gap beyond the margin", shrinkEvidence{level: 0.99, dropout: cmp("drop", gapAbove, ok2), data: cmp("data", paired(5, 8, 10), ok2)}, result.Confirmed, "drop", "above"},
		{"dropout's lower end at the margin", shrinkEvidence{level: 0.99, dropout: cmp("drop", paired(0.5, 1, 10), ok2), data: cmp("data", paired(5, 8, 10), ok2)}, result.Inconclusive, "drop", "contains"},
		{"dropout refuted, data confirmed", shrinkEvidence{level: 0.99, dropout: cmp("drop", gapBelow, ok2), data: cmp("data", paired(5, 8, 10), ok2)}, result.Mixed, "drop", "below"},
		{"both refuted", shrinkEvidence{level: 0.99, dropout: cmp("drop", gapBelow, ok2), data: cmp("data", paired(-1, 0.2, 10), ok2)}, result.Refuted, "drop", "below"},
		{"dropout nets did not fit their training set", shrinkEvidence{level: 0.99, dropout: cmp("drop", gapAbove, unfitDrop), data: cmp("data", paired(5, 8, 10), ok2)}, result.Inconclusive, "drop", "did not fit"},
		{"data undecided", shrinkEvidence{level: 0.99, dropout: cmp("drop", gapAbove, ok2), data: cmp("data", gapStraddle, ok2)}, result.Inconclusive, "data", "contains"},
		{"configuration cannot test it", shrinkEvidence{inapplicable: "no relu runs."}, result.Inconclusive, "", "no relu"},
	}
	for _, c := range cases {
		v := shrinkVerdict(c.e)
		checkShape(t, c.name, v)
		if v.Outcome != c.want || v.Role != result.Main || v.Claim != "C10" || !strings.Contains(v.Why, c.whyContains) {
			t.Errorf("%s: %s %s %s (%q), want main C10 %s with %q", c.name, v.Claim, v.Role, v.Outcome, v.Why, c.want, c.whyContains)
		}
		switch {
		case c.effect == "" && v.Effect != nil:
			t.Errorf("%s: effect %q for a rule that compared nothing", c.name, v.Effect.Name)
		case c.effect != "" && (v.Effect == nil || v.Effect.Name != c.effect || *v.Margin != gapMargin || v.MarginReason != gapMarginReason):
			t.Errorf("%s: effect %+v margin %v, want %q with margin %g", c.name, v.Effect, v.Margin, c.effect, gapMargin)
		}
	}
}

func TestReluGapVerdict(t *testing.T) {
	vs := func(ps ...metrics.Paired) []comparison {
		var out []comparison
		for i, p := range ps {
			out = append(out, comparison{name: []string{"tanh", "sigmoid"}[i], p: p, arms: ok2})
		}
		return out
	}
	divergedTanh := vs(gapAbove, gapAbove)
	divergedTanh[0].arms = arm2(healthy("relu"), armHealth{label: "tanh", runs: 10, diverged: 8, fitChecked: true})
	cases := []struct {
		name   string
		e      reluGapEvidence
		want   result.Outcome
		effect string
	}{
		{"larger than both by more than the margin", reluGapEvidence{level: 0.99, versus: vs(gapAbove, paired(0.6, 2, 10))}, result.Confirmed, "sigmoid"},
		{"smaller than the margin against both", reluGapEvidence{level: 0.99, versus: vs(gapBelow, paired(-2, -1, 10))}, result.Refuted, "tanh"},
		{"larger than one, not the other", reluGapEvidence{level: 0.99, versus: vs(gapAbove, gapBelow)}, result.Mixed, "sigmoid"},
		{"larger than one, undecided against the other", reluGapEvidence{level: 0.99, versus: vs(gapAbove, gapStraddle)}, result.Inconclusive, "sigmoid"},
		{"upper end exactly at the margin against both", reluGapEvidence{level: 0.99, versus: vs(paired(-1, 0.5, 10), paired(-1, 0.5, 10))}, result.Inconclusive, "tanh"},
		{"a larger gap, significantly above zero but below the margin, against both: refuted (smaller than matters)", reluGapEvidence{level: 0.99, versus: vs(paired(0.1, 0.4, 10), paired(0.05, 0.45, 10))}, result.Refuted, "sigmoid"},
		{"no significant difference, the interval reaching past the margin: not refuted", reluGapEvidence{level: 0.99, versus: vs(paired(-0.4, 0.8, 10), paired(-0.4, 0.8, 10))}, result.Inconclusive, "tanh"},
		{"the tanh runs mostly diverged", reluGapEvidence{level: 0.99, versus: divergedTanh}, result.Inconclusive, "tanh"},
		{"a single other activation", reluGapEvidence{level: 0.99, versus: vs(gapAbove)}, result.Confirmed, "tanh"},
		{"configuration cannot test it", reluGapEvidence{inapplicable: "needs relu."}, result.Inconclusive, ""},
	}
	for _, c := range cases {
		v := reluGapVerdict(c.e)
		checkShape(t, c.name, v)
		if v.Outcome != c.want || v.Role != result.Supporting || v.Claim != "C10" {
			t.Errorf("%s: %s %s %s (%q), want supporting C10 %s", c.name, v.Claim, v.Role, v.Outcome, v.Why, c.want)
		}
		if got := ""; v.Effect != nil {
			got = v.Effect.Name
			if got != c.effect || *v.Margin != gapMargin || v.MarginReason != gapMarginReason {
				t.Errorf("%s: effect %q against %g (%q), want %q against %g", c.name, got, *v.Margin, v.MarginReason, c.effect, gapMargin)
			}
		} else if c.effect != "" {
			t.Errorf("%s: no effect, want %q", c.name, c.effect)
		}
	}
}

func TestDropoutHelpsVerdict(t *testing.T) {
	// Against the test margin of 0.25 pp.
	above, below, straddle := paired(0.4, 1.2, 10), paired(-1, 0.1, 10), paired(0, 0.6, 10)
	levelled := metrics.Estimate{Mean: 0.1, Lo: 0, Hi: 0.2, N: 10}
	rising := metrics.Estimate{Mean: 0.6, Lo: 0.4, Hi: 0.8, N: 10}
	atTolerance := metrics.Estimate{Mean: lateGainTolerance, Lo: lateGainTolerance - 0.1, Hi: lateGainTolerance + 0.1, N: 10}
	justAbove := metrics.Estimate{Mean: lateGainTolerance + 1e-9, Lo: lateGainTolerance - 0.1, Hi: lateGainTolerance + 0.1, N: 10}
	noneLevelled := metrics.Estimate{Mean: math.NaN(), N: 0}
	base, drop := healthy("relu"), armHealth{label: "relu + dropout", runs: 10}
	gain := func(p metrics.Paired, arms ...armHealth) comparison {
		if arms == nil {
			arms = arm2(base, drop)
		}
		return comparison{name: "gain", p: p, arms: arms}
	}
	unfitBase := base
	unfitBase.unfit = 7
	unfitDrop := drop
	unfitDrop.unfit = 9 // the dropout arm need not fit
	divergedDrop := drop
	divergedDrop.diverged = 6
	cases := []struct {
		name string
		e    dropoutHelpsEvidence
		want result.Outcome
		why  string
	}{
		{"gain above the margin", dropoutHelpsEvidence{level: 0.99, size: 2000, gain: gain(above), lateGain: levelled}, result.Confirmed, "above"},
		{"gain above the margin while the dropout arm still rises", dropoutHelpsEvidence{level: 0.99, size: 2000, gain: gain(above), lateGain: rising}, result.Confirmed, "above"},
		{"lower end exactly at the margin", dropoutHelpsEvidence{level: 0.99, size: 2000, gain: gain(paired(0.25, 1, 10)), lateGain: levelled}, result.Inconclusive, "contains"},
		{"gain below the margin, dropout arm levelled off", dropoutHelpsEvidence{level: 0.99, size: 2000, gain: gain(below), lateGain: levelled}, result.Refuted, "below"},
		{"gain below the margin, late gain exactly at the tolerance", dropoutHelpsEvidence{level: 0.99, size: 2000, gain: gain(below), lateGain: atTolerance}, result.Refuted, "below"},
		{"gain below the margin, late gain just above the tolerance", dropoutHelpsEvidence{level: 0.99, size: 2000, gain: gain(below), lateGain: justAbove}, result.Inconclusive, "not levelled off"},
		{"gain below the margin, dropout arm still rising", dropoutHelpsEvidence{level: 0.99, size: 2000, gain: gain(below), lateGain: rising}, result.Inconclusive, "not levelled off"},
		{"gain below the margin, no late gain measured", dropoutHelpsEvidence{level: 0.99, size: 2000, gain: gain(below), lateGain: noneLevelled}, result.Inconclusive, "not levelled off"},
		{"interval containing the margin", dropoutHelpsEvidence{level: 0.99, size: 2000, gain: gain(straddle), lateGain: levelled}, result.Inconclusive, "contains"},
		// Undecided and still rising: the why names the short budget
		// beside the seeds.
		{"interval containing the margin, dropout arm still rising", dropoutHelpsEvidence{level: 0.99, size: 2000, gain: gain(straddle), lateGain: rising}, result.Inconclusive, "the dropout nets had not levelled off either"},
		{"baseline did not fit its training set", dropoutHelpsEvidence{level: 0.99, size: 2000, gain: gain(above, unfitBase, drop), lateGain: levelled}, result.Inconclusive, "did not fit"},
		{"dropout arm not required to fit", dropoutHelpsEvidence{level: 0.99, size: 2000, gain: gain(above, base, unfitDrop), lateGain: levelled}, result.Confirmed, "above"},
		{"dropout runs mostly diverged", dropoutHelpsEvidence{level: 0.99, size: 2000, gain: gain(paired(0.4, 1.2, 4), base, divergedDrop), lateGain: levelled}, result.Inconclusive, "diverged"},
		{"configuration cannot test it", dropoutHelpsEvidence{inapplicable: "relu is not among the dropout variants."}, result.Inconclusive, "dropout variants"},
	}
	for _, c := range cases {
		v := dropoutHelpsVerdict(c.e)
		checkShape(t, c.name, v)
		if v.Outcome != c.want || v.Role != result.Part || v.Claim != "C11" || !strings.Contains(v.Why, c.why) {
			t.Errorf("%s: %s %s %s (%q), want C11 part %s with %q", c.name, v.Claim, v.Role, v.Outcome, v.Why, c.want, c.why)
		}
		if c.e.inapplicable == "" && (v.Margin == nil || *v.Margin != testMargin || v.MarginReason != testMarginReason) {
			t.Errorf("%s: margin %v, want %g", c.name, v.Margin, testMargin)
		}
	}
}

func TestReadingsAgree(t *testing.T) {
	C, R, M, I := result.Confirmed, result.Refuted, result.Mixed, result.Inconclusive
	for _, tc := range []struct {
		deciding, second result.Outcome
		want             string
	}{
		{C, C, "agrees with"}, {R, R, "agrees with"}, {I, I, "agrees with"}, {M, M, "agrees with"},
		{C, R, "contradicts"}, {R, C, "contradicts"},
		{C, I, "neither confirms nor contradicts"}, {I, C, "neither confirms nor contradicts"}, {M, I, "neither confirms nor contradicts"},
		{R, M, "partly contradicts"}, {C, M, "partly contradicts"}, {M, R, "partly contradicts"},
	} {
		if got := readingsAgree(tc.deciding, tc.second); got != tc.want {
			t.Errorf("deciding %s, second %s: %q, want %q", tc.deciding, tc.second, got, tc.want)
		}
	}
}

// TestReluGapVerdictLossReading: the reading at matched training loss is
// judged and reported beside the deciding one, and never changes the
// outcome, whatever it says.
func TestReluGapVerdictLossReading(t *testing.T) {
	vs := func(ps ...metrics.Paired) []comparison {
		var out []comparison
		for i, p := range ps {
			out = append(out, comparison{name: []string{"tanh", "sigmoid"}[i] + " at loss", p: p, arms: ok2})
		}
		return out
	}
	accAbove := []comparison{{name: "tanh", p: gapAbove, arms: ok2}, {name: "sigmoid", p: gapAbove, arms: ok2}}
	accBelow := []comparison{{name: "tanh", p: gapBelow, arms: ok2}, {name: "sigmoid", p: gapBelow, arms: ok2}}
	unfitAtLoss := vs(gapAbove, gapAbove)
	unfitAtLoss[1].arms = arm2(healthy("relu"), armHealth{label: "sigmoid", runs: 10, unfit: 7, fitChecked: true})
	cases := []struct {
		name      string
		acc, loss []comparison
		want      result.Outcome
		says      string
	}{
		{"both readings confirm", accAbove, vs(gapAbove, gapAbove), result.Confirmed, "it would be CONFIRMED, which agrees"},
		{"the loss reading contradicts a confirmation", accAbove, vs(gapBelow, gapBelow), result.Confirmed, "it would be REFUTED, which contradicts"},
		{"the loss reading contradicts a refutation", accBelow, vs(gapAbove, gapAbove), result.Refuted, "it would be CONFIRMED, which contradicts"},
		{"the loss reading undecided", accBelow, vs(gapStraddle, gapBelow), result.Refuted, "which neither confirms nor contradicts"},
		{"runs that never reached the loss level make the loss reading inconclusive", accAbove, unfitAtLoss, result.Confirmed, "never reached"},
	}
	for _, c := range cases {
		v := reluGapVerdict(reluGapEvidence{level: 0.99, lossLevel: 0.05, versus: c.acc, versusLoss: c.loss})
		checkShape(t, c.name, v)
		if v.Outcome != c.want {
			t.Errorf("%s: %s, want %s (the accuracy reading decides)", c.name, v.Outcome, c.want)
		}
		if !strings.Contains(v.Why, "Second reading, at training loss 0.05 (decides nothing)") || !strings.Contains(v.Why, c.says) {
			t.Errorf("%s: why %q, want the loss reading reported with %q", c.name, v.Why, c.says)
		}
		if !strings.Contains(v.Rule, "decides nothing") || !strings.Contains(v.Rule, "matching on accuracy") {
			t.Errorf("%s: the rule does not say which reading decides and why: %q", c.name, v.Rule)
		}
		names := map[string]bool{}
		for _, ev := range v.Evidence {
			names[ev.Name] = true
		}
		if !names["tanh at loss"] || !names["sigmoid at loss"] {
			t.Errorf("%s: the loss reading's comparisons are not among the evidence", c.name)
		}
	}
}

// TestReluGapVerdictOtherLevels: the same comparisons read at another level
// the run reads (a fallback) are reported, never decide, and the caveat
// names the outcome they would give when it differs.
func TestReluGapVerdictOtherLevels(t *testing.T) {
	below := []comparison{{name: "tanh", p: gapBelow, arms: ok2}, {name: "sigmoid", p: gapBelow, arms: ok2}}
	mixed := []comparison{{name: "tanh at 0.9", p: gapBelow, arms: ok2}, {name: "sigmoid at 0.9", p: gapAbove, arms: ok2}}
	v := reluGapVerdict(reluGapEvidence{level: 0.99, versus: below, alsoAt: []levelReading{{level: 0.9, versus: mixed}}})
	checkShape(t, "another level", v)
	if v.Outcome != result.Refuted {
		t.Errorf("%s, want REFUTED: the reading at 0.99 decides", v.Outcome)
	}
	if !strings.Contains(v.Why, "At 0.9 training accuracy, where this run reads another comparison (earlier in training;") || !strings.Contains(v.Why, "it would be MIXED, which partly contradicts") {
		t.Errorf("why %q lacks the reading at 0.9", v.Why)
	}
	if !strings.Contains(v.Caveat, "read at 0.9 training accuracy, the same comparisons would be MIXED") {
		t.Errorf("caveat %q does not name the other outcome", v.Caveat)
	}
	if later := reluGapVerdict(reluGapEvidence{level: 0.95, versus: below, alsoAt: []levelReading{{level: 0.99, versus: below}}}); !strings.Contains(later.Why, "At 0.99 training accuracy, where this run reads another comparison (later in training;") {
		t.Errorf("a reading at a higher level: why %q", later.Why)
	}
	same := reluGapVerdict(reluGapEvidence{level: 0.99, versus: below, alsoAt: []levelReading{{level: 0.9, versus: below}}})
	if strings.Contains(same.Caveat, "would be") || !strings.Contains(same.Why, "which agrees with") {
		t.Errorf("an agreeing reading: caveat %q, why %q", same.Caveat, same.Why)
	}
}
