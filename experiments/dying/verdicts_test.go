package dying

import (
	"math"
	"strings"
	"testing"

	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/metrics"
)

// est is a mean over n units with the interval [lo, hi].
func est(mean, lo, hi float64, n int) metrics.Estimate {
	return metrics.Estimate{Mean: mean, Lo: lo, Hi: hi, N: n}
}

// pr is a paired comparison over 12 seeds with 95% interval [lo, hi]; its
// 90% interval is the inner four fifths, its MDE 0.05.
func pr(mean, lo, hi float64) metrics.Paired {
	return metrics.Paired{Diff: est(mean, lo, hi, 12), Lo90: mean - 0.8*(mean-lo), Hi90: mean + 0.8*(hi-mean), MDE: 0.05}
}

// pr90 is a paired comparison with both intervals given.
func pr90(mean, lo90, hi90, lo, hi float64) metrics.Paired {
	return metrics.Paired{Diff: est(mean, lo, hi, 12), Lo90: lo90, Hi90: hi90, MDE: 0.01}
}

// prN is pr over n seeds (n < 2: no interval, infinite MDE).
func prN(n int) metrics.Paired {
	p := pr(0.5, 0.5, 0.5)
	p.Diff.N = n
	if n < 2 {
		p.Diff.Lo, p.Diff.Hi, p.Lo90, p.Hi90, p.MDE = math.NaN(), math.NaN(), math.NaN(), math.NaN(), math.Inf(1)
	}
	return p
}

var (
	up   = math.Inf(1)
	down = math.Inf(-1)
)

// above and below are the nearest floats on either side of x.
func above(x float64) float64 { return math.Nextafter(x, up) }
func below(x float64) float64 { return math.Nextafter(x, down) }

// checkVerdict asserts the outcome and, if why is set, that Why contains
// it; and, for every verdict, a role and a caveat, and a margin exactly
// when there is an effect.
func checkVerdict(t *testing.T, name string, v result.Verdict, want result.Outcome, why string) {
	t.Helper()
	if v.Outcome != want {
		t.Errorf("%s: %s, want %s (%s)", name, v.Outcome, want, v.Why)
	}
	if why != "" && !strings.Contains(v.Why, why) {
		t.Errorf("%s: why %q does not contain %q", name, v.Why, why)
	}
	if v.Role == "" || v.Caveat == "" || v.Rule == "" || v.Why == "" {
		t.Errorf("%s: role %q, caveat %q, rule or why missing", name, v.Role, v.Caveat)
	}
	if (v.Effect == nil) != (v.Margin == nil) {
		t.Errorf("%s: effect %v but margin %v", name, v.Effect, v.Margin)
	}
}

func TestCombineAndFlip(t *testing.T) {
	C, R, M, I := result.Confirmed, result.Refuted, result.Mixed, result.Inconclusive
	cases := []struct {
		name  string
		parts []result.Outcome
		want  result.Outcome
	}{
		{"no parts", nil, I},
		{"all confirmed", []result.Outcome{C, C, C}, C},
		{"all refuted", []result.Outcome{R, R}, R},
		{"confirmed and refuted", []result.Outcome{C, R}, M},
		{"confirmed, refuted and inconclusive", []result.Outcome{C, R, I}, M},
		{"confirmed and inconclusive", []result.Outcome{C, I}, I},
		{"refuted and inconclusive", []result.Outcome{R, I}, I},
		{"all inconclusive", []result.Outcome{I, I}, I},
	}
	for _, tc := range cases {
		if got := combine(tc.parts); got != tc.want {
			t.Errorf("combine, %s: %s, want %s", tc.name, got, tc.want)
		}
	}
	for in, want := range map[result.Outcome]result.Outcome{C: R, R: C, I: I, M: M} {
		if got := flip(in); got != want {
			t.Errorf("flip(%s) = %s, want %s", in, got, want)
		}
	}
}

// fixHigh is a fix at the high rate: ReLU's dead minus its stuck fraction
// in [lo, hi] over 12 seeds, diverged of 12 runs.
func fixHigh(name string, lo, hi float64, diverged int) fixAtHigh {
	return fixAtHigh{name: name, runs: arm{diverged, 12}, diff: pr((lo+hi)/2, lo, hi), acc: est(0.8, 0.7, 0.9, 12-diverged)}
}

func TestDieVerdict(t *testing.T) {
	m := dieMargin
	dies := pr(0.6, 0.4, 0.8) // ReLU loses far more than the margin
	keep := fixHigh("leaky", 0.4, 0.8, 0)
	cases := []struct {
		name   string
		lo, hi float64
		acc    float64
		killed metrics.Paired
		fixes  []fixAtHigh
		want   result.Outcome
		why    string
	}{
		{"no high rate at which ReLU finished", math.NaN(), math.NaN(), 0.9, dies, []fixAtHigh{keep}, result.Inconclusive, "needs a learning rate"},
		{"no rate below the high one", math.NaN(), 1, 0.9, dies, []fixAtHigh{keep}, result.Inconclusive, "needs a learning rate"},
		{"control below 0.5 accuracy", 0.1, 1, below(controlMinAcc), dies, []fixAtHigh{keep}, result.Inconclusive, "no working baseline"},
		{"control NaN accuracy", 0.1, 1, math.NaN(), dies, []fixAtHigh{keep}, result.Inconclusive, "no working baseline"},
		{"control exactly at 0.5 accuracy", 0.1, 1, controlMinAcc, dies, []fixAtHigh{keep}, result.Confirmed, ""},
		{"ReLU dies, every fix keeps its units", 0.1, 1, 0.9, dies, []fixAtHigh{keep, fixHigh("prelu", 0.3, 0.5, 0), fixHigh("elu", 0.2, 0.9, 6)}, result.Confirmed, "At lr 1 ReLU ended"},
		{"ReLU's loss: lower bound just above the margin", 0.1, 1, 0.9, pr(0.3, above(m), 0.5), []fixAtHigh{keep}, result.Confirmed, ""},
		{"ReLU's loss: lower bound at the margin", 0.1, 1, 0.9, pr(0.3, m, 0.5), []fixAtHigh{keep}, result.Inconclusive, ""},
		{"ReLU's loss: upper bound just below the margin", 0.1, 1, 0.9, pr(0.05, 0, below(m)), []fixAtHigh{keep}, result.Refuted, ""},
		{"ReLU's loss: upper bound at the margin", 0.1, 1, 0.9, pr(0.05, 0, m), []fixAtHigh{keep}, result.Inconclusive, ""},
		{"ReLU does not die: refuted whatever the fixes", 0.1, 1, 0.9, pr(0.01, -0.01, 0.03), []fixAtHigh{fixHigh("elu", -0.1, 0, 0)}, result.Refuted, ""},
		{"ReLU's loss inconclusive", 0.1, 1, 0.9, pr(0.2, 0, 0.4), []fixAtHigh{keep}, result.Inconclusive, ""},
		{"one seed: no interval", 0.1, 1, 0.9, prN(1), []fixAtHigh{keep}, result.Inconclusive, ""},
		{"one fix keeps its units, another loses as many", 0.1, 1, 0.9, dies, []fixAtHigh{keep, fixHigh("elu", -0.05, 0.05, 0)}, result.Mixed, ""},
		{"every fix loses as many", 0.1, 1, 0.9, dies, []fixAtHigh{fixHigh("leaky", -0.05, 0.05, 0), fixHigh("elu", 0, below(m), 0)}, result.Refuted, ""},
		{"fix: lower bound at the margin", 0.1, 1, 0.9, dies, []fixAtHigh{fixHigh("leaky", m, 0.3, 0)}, result.Inconclusive, ""},
		{"fix: lower bound just above the margin", 0.1, 1, 0.9, dies, []fixAtHigh{fixHigh("leaky", above(m), 0.3, 0)}, result.Confirmed, ""},
		{"fix: upper bound at the margin", 0.1, 1, 0.9, dies, []fixAtHigh{fixHigh("leaky", 0, m, 0)}, result.Inconclusive, ""},
		{"a fix diverged in 7 of 12 runs", 0.1, 1, 0.9, dies, []fixAtHigh{keep, fixHigh("elu", 0.4, 0.8, 7)}, result.Inconclusive, "7 of 12 elu runs diverged"},
		{"a fix diverged in 6 of 12 runs: not most", 0.1, 1, 0.9, dies, []fixAtHigh{keep, fixHigh("elu", 0.4, 0.8, 6)}, result.Confirmed, ""},
		{"a diverging fix does not hide a refuted one", 0.1, 1, 0.9, dies, []fixAtHigh{keep, fixHigh("prelu", 0, 0.05, 0), fixHigh("elu", 0.4, 0.8, 12)}, result.Mixed, ""},
		{"no fix run", 0.1, 1, 0.9, dies, nil, result.Inconclusive, "None of leaky"},
	}
	for _, tc := range cases {
		e := dieEvidence{setup: "test nets", bias: 0, lo: tc.lo, hi: tc.hi, loAcc: est(tc.acc, tc.acc-0.05, tc.acc+0.05, 12), reluHigh: arm{0, 12},
			killed: tc.killed, highDead: est(0.6, 0.4, 0.8, 12), fixes: tc.fixes}
		v := dieVerdict(e)
		checkVerdict(t, tc.name, v, tc.want, tc.why)
		if v.Role != result.Main || v.Claim != "C8" {
			t.Errorf("%s: claim %s role %s, want C8 main", tc.name, v.Claim, v.Role)
		}
	}
}

func TestRecoverVerdict(t *testing.T) {
	m := recoverMargin
	cases := []struct {
		name  string
		share metrics.Paired
		depth int
		want  result.Outcome
		why   string
	}{
		{"one hidden layer: nothing can recover", pr(0, 0, 0), 1, result.Inconclusive, "single hidden layer"},
		{"upper bound just below the margin: never recover", pr(0.01, 0, below(m)), 3, result.Confirmed, ""},
		{"upper bound at the margin", pr(0.01, 0, m), 3, result.Inconclusive, ""},
		{"lower bound just above the margin: they recover", pr(0.12, above(m), 0.2), 3, result.Refuted, "12.0%"},
		{"lower bound at the margin", pr(0.12, m, 0.2), 3, result.Inconclusive, ""},
		{"interval across the margin", pr(0.05, 0.01, 0.09), 3, result.Inconclusive, ""},
		{"one seed with dead units", prN(1), 3, result.Inconclusive, "Fewer than two seeds"},
	}
	for _, tc := range cases {
		e := recoverEvidence{setup: "test nets", share: tc.share, first: metrics.DeathCounts{EverDead: 10}, deeper: metrics.DeathCounts{EverDead: 100, Recovered: 12},
			runs: arm{0, 60}, depth: tc.depth, sgd: true}
		checkVerdict(t, tc.name, recoverVerdict(e), tc.want, tc.why)
	}
}

// rev is a fix against ReLU: the difference in the share of units that
// came back in [lo, hi], diverged of 60 runs at 5 settings.
func rev(name string, lo, hi float64, diverged int) reviveFix {
	return reviveFix{name: name, diff: pr((lo+hi)/2, lo, hi), settings: 5, runs: arm{diverged, 60}}
}

func TestReviveVerdict(t *testing.T) {
	m := reviveMargin
	cases := []struct {
		name   string
		fixes  []reviveFix
		want   result.Outcome
		why    string
		effect string // the fix whose comparison is the effect
	}{
		{"no fix run", nil, result.Inconclusive, "None of leaky", ""},
		{"every fix's units come back", []reviveFix{rev("leaky", 0.2, 0.4, 0), rev("elu", 0.3, 0.5, 0)}, result.Confirmed, "leaky +0.300", "leaky"},
		{"no fix's units come back more", []reviveFix{rev("leaky", -0.1, 0.05, 0), rev("elu", -0.2, 0, 0)}, result.Refuted, "", "elu"},
		{"one does, one does not", []reviveFix{rev("leaky", 0.2, 0.4, 0), rev("elu", -0.2, 0, 0)}, result.Mixed, "", "elu"},
		{"lower bound just above the margin", []reviveFix{rev("leaky", above(m), 0.3, 0)}, result.Confirmed, "", "leaky"},
		{"lower bound at the margin", []reviveFix{rev("leaky", m, 0.3, 0)}, result.Inconclusive, "", "leaky"},
		{"upper bound just below the margin", []reviveFix{rev("leaky", 0, below(m), 0)}, result.Refuted, "", "leaky"},
		{"upper bound at the margin", []reviveFix{rev("leaky", 0, m, 0)}, result.Inconclusive, "", "leaky"},
		{"a fix that diverged in most compared runs", []reviveFix{rev("leaky", 0.2, 0.4, 0), rev("elu", 0.2, 0.4, 31)}, result.Inconclusive, "31 of 60 elu runs diverged", "leaky"},
		{"a fix with no setting left", []reviveFix{rev("leaky", 0.2, 0.4, 0), {name: "elu", diff: prN(0)}}, result.Inconclusive, "elu diverged in most runs at every setting", "leaky"},
	}
	for _, tc := range cases {
		v := reviveVerdict(reviveEvidence{setup: "test nets", fixes: tc.fixes})
		checkVerdict(t, tc.name, v, tc.want, tc.why)
		if tc.effect != "" && (v.Effect == nil || !strings.HasPrefix(v.Effect.Name, tc.effect)) {
			t.Errorf("%s: effect %+v, want %s's comparison", tc.name, v.Effect, tc.effect)
		}
	}
}

func TestFormulaVerdict(t *testing.T) {
	// 1000 of 2000: Wilson 95% interval [0.47811, 0.52189] (computed
	// independently from the score formula).
	const lo, hi = 0.4781079507511692, 0.5218920492488308
	m := formulaMargin
	cell := func(formula float64) bornCellTest {
		return bornCellTest{width: 2, depth: 3, dead: 1000, inits: 2000, formula: formula}
	}
	cases := []struct {
		name  string
		cells []bornCellTest
		want  result.Outcome
		why   string
	}{
		{"no cell", nil, result.Inconclusive, "No cell"},
		{"every interval well inside", []bornCellTest{cell(0.5), cell(0.505)}, result.Confirmed, "2 of 2 cells lie within"},
		{"upper end just inside formula + margin", []bornCellTest{cell(hi - m + 1e-9)}, result.Confirmed, ""},
		{"upper end just past formula + margin", []bornCellTest{cell(hi - m - 1e-9)}, result.Inconclusive, ""},
		{"interval just wholly below formula - margin", []bornCellTest{cell(hi + m + 1e-9)}, result.Refuted, ""},
		{"interval just touching formula - margin", []bornCellTest{cell(hi + m - 1e-9)}, result.Inconclusive, ""},
		{"interval just wholly above formula + margin", []bornCellTest{cell(0.5), cell(lo - m - 1e-9)}, result.Refuted, "1 wholly outside"},
		{"one refuting cell among agreeing ones", []bornCellTest{cell(0.5), cell(0.5), cell(0.6)}, result.Refuted, ""},
	}
	for _, tc := range cases {
		v := formulaVerdict(formulaEvidence{cells: tc.cells})
		checkVerdict(t, tc.name, v, tc.want, tc.why)
		if v.Role != result.Sanity {
			t.Errorf("%s: role %s, want sanity", tc.name, v.Role)
		}
	}
}

func TestBornDeadVerdict(t *testing.T) {
	// Wilson 95% bounds (computed independently): 60/100 lower 0.5020,
	// 59/100 lower 0.4920; 40/100 upper 0.4980, 41/100 upper 0.5080.
	cases := []struct {
		name        string
		dead, inits int
		want        result.Outcome
	}{
		{"no nets drawn", 0, 0, result.Inconclusive},
		{"most born dead", 281, 300, result.Confirmed},
		{"60 of 100: lower bound just above a half", 60, 100, result.Confirmed},
		{"59 of 100: lower bound just below a half", 59, 100, result.Inconclusive},
		{"40 of 100: upper bound just below a half", 40, 100, result.Refuted},
		{"41 of 100: upper bound just above a half", 41, 100, result.Inconclusive},
	}
	for _, tc := range cases {
		e := bornDeadEvidence{width: 2, depth: 10, dead: tc.dead, inits: tc.inits,
			anchors: []bornAnchor{{width: 2, depth: 10, formula: 0.94, deadAtOne: est(0.9, 0.8, 0.95, 100), bornDead: est(0.9, 0.8, 0.95, 100)}}}
		checkVerdict(t, tc.name, bornDeadVerdict(e), tc.want, "")
	}
}

func TestGradVerdicts(t *testing.T) {
	g, s := gradMargin, mostShare
	cases := []struct {
		name       string
		assoc      metrics.Paired
		share      metrics.Paired
		runs       arm
		trained    int
		want, most result.Outcome
		why        string
	}{
		{"dead units starved, most zeros from live units", pr(0.8, 0.7, 0.9), pr(0.25, 0.2, 0.3), arm{0, 60}, 5, result.Confirmed, result.Refuted, "got no gradient in"},
		{"lower bounds just above the margins", pr(0.6, above(g), 0.7), pr(0.6, above(s), 0.7), arm{0, 60}, 5, result.Confirmed, result.Confirmed, ""},
		{"lower bounds at the margins", pr(0.6, g, 0.7), pr(0.6, s, 0.7), arm{0, 60}, 5, result.Inconclusive, result.Inconclusive, ""},
		{"upper bounds just below the margins", pr(0.3, 0.2, below(g)), pr(0.3, 0.2, below(s)), arm{0, 60}, 5, result.Refuted, result.Refuted, ""},
		{"upper bounds at the margins", pr(0.3, 0.2, g), pr(0.3, 0.2, s), arm{0, 60}, 5, result.Inconclusive, result.Inconclusive, ""},
		{"no setting in which ReLU trained", pr(0.8, 0.7, 0.9), pr(0.25, 0.2, 0.3), arm{0, 0}, 0, result.Inconclusive, result.Inconclusive, "no net that trains"},
		{"31 of 60 runs diverged", pr(0.8, 0.7, 0.9), pr(0.25, 0.2, 0.3), arm{31, 60}, 5, result.Inconclusive, result.Inconclusive, "31 of 60 ReLU runs diverged"},
		{"30 of 60 runs diverged: not most", pr(0.8, 0.7, 0.9), pr(0.25, 0.2, 0.3), arm{30, 60}, 5, result.Confirmed, result.Refuted, ""},
		{"one seed with a dead unit", prN(1), prN(1), arm{0, 60}, 5, result.Inconclusive, result.Inconclusive, "Fewer than two seeds"},
	}
	for _, tc := range cases {
		e := gradEvidence{setup: "test nets", assoc: tc.assoc, dead: est(0.9, 0.85, 0.95, 12), alive: est(0.1, 0.05, 0.15, 12), deadShare: tc.share,
			unitEpochs: 500, runs: tc.runs, zeroEntryFrac: est(0.7, 0.6, 0.8, 12), trained: tc.trained, collapsed: 3, collapsedAlive: 0.9}
		checkVerdict(t, tc.name, gradVerdict(e), tc.want, tc.why)
		checkVerdict(t, tc.name+" (most zeros)", mostZerosVerdict(e), tc.most, "")
	}
	// The settings left out as collapsed are named in the main verdict.
	e := gradEvidence{setup: "test nets", assoc: pr(0.8, 0.7, 0.9), deadShare: pr(0.25, 0.2, 0.3), runs: arm{0, 60}, trained: 5, collapsed: 3, collapsedAlive: 0.9}
	if why := gradVerdict(e).Why; !strings.Contains(why, "In the 3 settings where ReLU did not train") || !strings.Contains(why, "90.0%") {
		t.Errorf("why %q does not describe the collapsed settings", why)
	}
}

func TestDerivVerdict(t *testing.T) {
	d, a := derivDeadMargin, derivAccMargin
	zero := pr90(0, 0, 0, 0, 0)
	cases := []struct {
		name      string
		other     string
		dead, acc metrics.Paired
		runs      arm
		want      result.Outcome
		why       string
	}{
		{"no relu-d<v> run", "", zero, zero, arm{0, 120}, result.Inconclusive, "No relu-d<v>"},
		{"identical runs", "relu-d1", zero, zero, arm{0, 120}, result.Confirmed, "12 of 12 paired runs"},
		{"both 90% intervals just inside", "relu-d1", pr90(0, above(-d), below(d), -0.03, 0.03), pr90(0, above(-a), below(a), -0.02, 0.02), arm{0, 120}, result.Confirmed, ""},
		{"dead 90% interval reaches the margin", "relu-d1", pr90(0, -0.01, d, -0.03, 0.03), zero, arm{0, 120}, result.Inconclusive, ""},
		{"accuracy 90% interval reaches minus the margin", "relu-d1", zero, pr90(0, -a, 0.005, -0.02, 0.02), arm{0, 120}, result.Inconclusive, ""},
		{"dead 95% interval just beyond the margin", "relu-d1", pr90(0.05, 0.04, 0.06, above(d), 0.07), zero, arm{0, 120}, result.Refuted, ""},
		{"dead 95% interval starting at the margin", "relu-d1", pr90(0.05, 0.04, 0.06, d, 0.07), zero, arm{0, 120}, result.Inconclusive, ""},
		{"accuracy 95% interval just below minus the margin", "relu-d1", zero, pr90(-0.05, -0.06, -0.04, -0.07, below(-a)), arm{0, 120}, result.Refuted, ""},
		{"equivalent dead fraction, different accuracy", "relu-d1", zero, pr90(0.03, 0.02, 0.04, 0.015, 0.045), arm{0, 120}, result.Refuted, ""},
		{"61 of 120 runs diverged", "relu-d1", zero, zero, arm{61, 120}, result.Inconclusive, "61 of 120"},
		{"one seed", "relu-d1", prN(1), prN(1), arm{0, 120}, result.Inconclusive, ""},
	}
	for _, tc := range cases {
		e := derivEvidence{setup: "test nets", other: tc.other, dead: tc.dead, acc: tc.acc, pairs: 12, identical: 12, runs: tc.runs, zeroPre: 0, entries: 1000}
		checkVerdict(t, tc.name, derivVerdict(e), tc.want, tc.why)
	}
}
