package vanishing

import (
	"strings"
	"testing"

	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/metrics"
)

// est is a made-up estimate over three seeds.
func est(mean, lo, hi float64) metrics.Estimate {
	return metrics.Estimate{Mean: mean, Lo: lo, Hi: hi, N: 3}
}

var notMeasured metrics.Estimate

func checkVerdict(t *testing.T, name string, v result.Verdict, want result.Outcome, why string) {
	t.Helper()
	if v.Outcome != want {
		t.Errorf("%s: %s, want %s (%s)", name, v.Outcome, want, v.Why)
	}
	if !strings.Contains(v.Why, why) {
		t.Errorf("%s: why %q, want it to contain %q", name, v.Why, why)
	}
}

func TestInitGradientVerdict(t *testing.T) {
	sig, tanh := est(-18, -18.5, -17.5), est(-5, -5.5, -4.5)
	relu := est(0.2, -0.3, 0.7)
	cases := []struct {
		name          string
		sig, tanh, re metrics.Estimate
		want          result.Outcome
		why           string
	}{
		{"sigmoid and tanh vanish, relu keeps", sig, tanh, relu, result.Confirmed, "sigmoid's first-layer gradient is 10^-18.0"},
		{"relu under he not measured", sig, tanh, notMeasured, result.Mixed, "cannot be applied"},
		{"neither sigmoid nor tanh measured", notMeasured, notMeasured, relu, result.Mixed, "cannot be applied"},
		{"only sigmoid vanishes", sig, est(-0.8, -0.9, -0.7), relu, result.Mixed, "tanh's 10^-0.8"},
		{"only sigmoid measured, it vanishes: the claim names both", sig, notMeasured, relu, result.Mixed, "ReLU's under He init 10^0.20"},
		{"only tanh measured, it does not vanish", notMeasured, est(-0.8, -0.9, -0.7), relu, result.Refuted, "tanh's 10^-0.8"},
		{"neither vanishes", est(-2, -2.5, -1.5), est(-0.8, -0.9, -0.7), relu, result.Refuted, "10^-2.0"},
		{"sigmoid upper bound at -3 exactly does not vanish", est(-4, -5, -3), tanh, relu, result.Mixed, ""},
		{"sigmoid upper bound just below -3 vanishes", est(-4, -5, -3.0001), tanh, relu, result.Confirmed, ""},
		{"relu lower bound at -1 exactly keeps", sig, tanh, est(0, -1, 0.5), result.Confirmed, ""},
		{"relu lower bound just below -1 does not keep", sig, tanh, est(0, -1.0001, 0.5), result.Refuted, ""},
		{"relu upper bound at 1 exactly keeps", sig, tanh, est(0, -0.5, 1), result.Confirmed, ""},
		{"relu upper bound just above 1 does not keep", sig, tanh, est(0, -0.5, 1.0001), result.Refuted, ""},
		{"relu mean 0 but interval wider than a decade", sig, tanh, est(0, -1.5, 1.5), result.Refuted, "10^0.00"},
		{"relu shrinks, even though both vanish", sig, tanh, est(-3, -3.5, -2.5), result.Refuted, ""},
	}
	for _, tc := range cases {
		e := initGradientEvidence{Depth: 30, SigmoidXavier: tc.sig, TanhXavier: tc.tanh, ReluHe: tc.re,
			ReluXavier: est(-4.5, -4.9, -4.0), ReluXavierWeight: est(0.1, -0.6, 0.7)}
		checkVerdict(t, tc.name, initGradientVerdict(e), tc.want, tc.why)
	}
}

func TestInitGradientVerdictText(t *testing.T) {
	v := initGradientVerdict(initGradientEvidence{Depth: 30, SigmoidXavier: est(-18, -18.5, -17.5), ReluHe: est(0, -0.5, 0.5), ReluXavier: est(-4.5, -4.9, -4)})
	for _, want := range []string{"at depth 30,", "is below -3 (xavier-normal)", "lies in [-1, 1] (he-normal)"} {
		if !strings.Contains(v.Rule, want) {
			t.Errorf("rule %q lacks %q", v.Rule, want)
		}
	}
	if !strings.Contains(v.Why, "ReLU under Xavier init shrinks too (10^-4.5)") {
		t.Errorf("why %q does not report relu under xavier", v.Why)
	}
	// Unmeasured nets are left out of the evidence, not shown as zeros.
	var names []string
	for _, ev := range v.Evidence {
		names = append(names, ev.Name)
	}
	want := "sigmoid xavier-normal depth 30 log10(first/last)|relu he-normal depth 30 log10(first/last)|relu xavier-normal depth 30 log10(first/last)"
	if got := strings.Join(names, "|"); got != want {
		t.Errorf("evidence %s, want %s", got, want)
	}
}

func TestPassOrBlockVerdict(t *testing.T) {
	exact := passOrBlockEvidence{ReluLayers: 60, ReluPassedOrBlocked: est(1, 1, 1), ReluLowestPassedOrBlocked: 1,
		ReluBlocked: est(0.498, 0.494, 0.503), OtherLayers: 240, OtherBlocked: est(0, 0, 0)}
	with := func(edit func(*passOrBlockEvidence)) passOrBlockEvidence {
		e := exact
		edit(&e)
		return e
	}
	cases := []struct {
		name string
		e    passOrBlockEvidence
		want result.Outcome
		why  string
	}{
		{"every relu entry passed or blocked, others never block", exact, result.Confirmed, "49.8% [49.4, 50.3] of them blocked"},
		{"relu not measured", passOrBlockEvidence{OtherLayers: 240}, result.Mixed, "relu was not among"},
		{"no other activation measured", with(func(e *passOrBlockEvidence) { e.OtherLayers, e.OtherBlocked = 0, notMeasured }), result.Confirmed, "at most 0.00%"},
		{"one relu layer neither passes nor blocks some entries", with(func(e *passOrBlockEvidence) { e.ReluLowestPassedOrBlocked = 0.9997 }), result.Refuted, "lowest fraction 0.999700"},
		{"lowest fraction at the 1e-12 rounding allowance", with(func(e *passOrBlockEvidence) { e.ReluLowestPassedOrBlocked = 1 - 1e-12 }), result.Confirmed, ""},
		{"lowest fraction just beyond the rounding allowance", with(func(e *passOrBlockEvidence) { e.ReluLowestPassedOrBlocked = 1 - 2e-12 }), result.Refuted, ""},
		{"another activation blocks 1% exactly", with(func(e *passOrBlockEvidence) { e.OtherMostBlocked, e.OtherMostBlockedName = 0.01, "elu" }), result.Confirmed, "at most 1.00%"},
		{"another activation blocks just over 1%", with(func(e *passOrBlockEvidence) { e.OtherMostBlocked, e.OtherMostBlockedName = 0.0101, "elu" }), result.Mixed, "elu also blocks 1.0%"},
		{"relu failing outranks another activation blocking", with(func(e *passOrBlockEvidence) {
			e.ReluLowestPassedOrBlocked, e.OtherMostBlocked, e.OtherMostBlockedName = 0.9, 0.5, "elu"
		}), result.Refuted, ""},
	}
	for _, tc := range cases {
		checkVerdict(t, tc.name, passOrBlockVerdict(tc.e), tc.want, tc.why)
	}
	v := passOrBlockVerdict(exact)
	for _, want := range []string{"is 1 (to 1e-12)", "blocks more than 1% of entries"} {
		if !strings.Contains(v.Rule, want) {
			t.Errorf("rule %q lacks %q", v.Rule, want)
		}
	}
}

func TestHeInitVerdict(t *testing.T) {
	learns, stalls := est(0.6, 0.5, 0.7), est(0.1, 0.09, 0.11)
	cases := []struct {
		name    string
		he, xav metrics.Estimate
		want    result.Outcome
		why     string
	}{
		{"he learns, xavier stalls, intervals apart", learns, stalls, result.Confirmed, "He init reached 0.600 [0.500, 0.700]"},
		{"intervals overlap", est(0.5, 0.1, 0.9), stalls, result.Refuted, "Xavier init 0.100 [0.090, 0.110]"},
		{"he lower bound equal to xavier upper bound is not apart", est(0.3, 0.15, 0.45), est(0.12, 0.09, 0.15), result.Refuted, ""},
		{"xavier learns too, far below he", est(0.9, 0.85, 0.95), est(0.35, 0.3, 0.4), result.Refuted, ""},
		{"xavier lower bound at the 0.2 line learns", learns, est(0.22, 0.2, 0.24), result.Refuted, ""},
		{"apart, he below the 0.2 line", est(0.17, 0.15, 0.19), stalls, result.Mixed, ""},
		{"he lower bound at the 0.2 line learns", est(0.25, 0.2, 0.3), stalls, result.Confirmed, ""},
		{"he lower bound just below the 0.2 line", est(0.25, 0.1999, 0.3), stalls, result.Mixed, ""},
		{"xavier upper bound at the 0.2 line does not stall", learns, est(0.17, 0.15, 0.2), result.Mixed, ""},
		{"xavier upper bound just below the 0.2 line stalls", learns, est(0.17, 0.15, 0.1999), result.Confirmed, ""},
	}
	for _, tc := range cases {
		checkVerdict(t, tc.name, heInitVerdict(heInitEvidence{Depth: 30, He: tc.he, Xavier: tc.xav}), tc.want, tc.why)
	}
}

func TestSigmoidStallsVerdict(t *testing.T) {
	learns, stalls := est(0.6, 0.5, 0.7), est(0.11, 0.1, 0.12)
	cases := []struct {
		name      string
		relu, sig metrics.Estimate
		want      result.Outcome
		why       string
	}{
		{"relu learns, sigmoid stalls, intervals apart", learns, stalls, result.Confirmed, "sigmoid reached 0.110 [0.100, 0.120] test accuracy against ReLU's 0.600 [0.500, 0.700]."},
		{"intervals overlap", est(0.4, 0.1, 0.7), stalls, result.Refuted, ""},
		{"relu lower bound equal to sigmoid upper bound is not apart", est(0.3, 0.12, 0.48), stalls, result.Refuted, ""},
		{"sigmoid above relu", stalls, learns, result.Refuted, ""},
		{"apart, relu below the 0.2 line", est(0.17, 0.15, 0.19), stalls, result.Mixed, ""},
		{"sigmoid learns, but less than relu", learns, est(0.3, 0.25, 0.35), result.Mixed, ""},
		{"relu lower bound at the 0.2 line learns", est(0.25, 0.2, 0.3), stalls, result.Confirmed, ""},
		{"relu lower bound just below the 0.2 line", est(0.25, 0.1999, 0.3), stalls, result.Mixed, ""},
		{"sigmoid upper bound at the 0.2 line does not stall", learns, est(0.15, 0.1, 0.2), result.Mixed, ""},
		{"sigmoid upper bound just below the 0.2 line stalls", learns, est(0.15, 0.1, 0.1999), result.Confirmed, ""},
	}
	for _, tc := range cases {
		checkVerdict(t, tc.name, sigmoidStallsVerdict(sigmoidStallsEvidence{Depth: 30, ReluHe: tc.relu, Sigmoid: tc.sig}), tc.want, tc.why)
	}
	// Tanh is reported, never judged.
	v := sigmoidStallsVerdict(sigmoidStallsEvidence{Depth: 30, ReluHe: learns, Sigmoid: stalls, Tanh: est(0.289, 0, 1), HasTanh: true})
	checkVerdict(t, "tanh shown beside", v, result.Confirmed, "ReLU's 0.600 [0.500, 0.700]; tanh, which barely loses gradient under Xavier init, reached 0.289.")
	if len(v.Evidence) != 3 {
		t.Errorf("evidence %d entries, want relu, sigmoid and tanh", len(v.Evidence))
	}
}
