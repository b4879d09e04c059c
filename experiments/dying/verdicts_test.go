package dying

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/reluexp/reluexp/experiments/internal/exptest"
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
// it; and holds the verdict to exptest.CheckVerdicts (role, rule, why,
// caveat, a margin exactly when there is an effect, and its reason).
func checkVerdict(t *testing.T, name string, v result.Verdict, want result.Outcome, why string) {
	t.Helper()
	if v.Outcome != want {
		t.Errorf("%s: %s, want %s (%s)", name, v.Outcome, want, v.Why)
	}
	if why != "" && !strings.Contains(v.Why, why) {
		t.Errorf("%s: why %q does not contain %q", name, v.Why, why)
	}
	exptest.CheckVerdicts(t, &result.Result{Verdicts: []result.Verdict{v}}, nil)
}

func TestFlip(t *testing.T) {
	C, R, M, I := result.Confirmed, result.Refuted, result.Mixed, result.Inconclusive
	for in, want := range map[result.Outcome]result.Outcome{C: R, R: C, I: I, M: M} {
		if got := flip(in); got != want {
			t.Errorf("flip(%s) = %s, want %s", in, got, want)
		}
	}
}

// fixHigh is a fix at the high rate: ReLU's dead minus its would-be-dead fraction
// in [lo, hi] over 12 seeds, diverged of 12 runs.
func fixHigh(name string, lo, hi float64, diverged int) fixAtHigh {
	return fixAtHigh{name: name, runs: arm{diverged, 12}, diff: pr((lo+hi)/2, lo, hi), acc: est(0.8, 0.7, 0.9, 12-diverged), sharedLR: math.NaN(), ownLR: math.NaN()}
}

// Every combination of ReLU's two parts, and of the two halves.
func TestReluHalfAndMainOutcome(t *testing.T) {
	C, R, M, I := result.Confirmed, result.Refuted, result.Mixed, result.Inconclusive
	half := []struct{ die, stay, want result.Outcome }{
		{C, C, C}, {C, R, M}, {C, M, M}, {C, I, I},
		{R, C, R}, {R, R, R}, {R, M, R}, {R, I, R},
		{M, C, M}, {M, R, M}, {M, M, M}, {M, I, M},
		{I, C, I}, {I, R, I}, {I, M, I}, {I, I, I},
	}
	for _, tc := range half {
		if got := reluHalf(tc.die, tc.stay); got != tc.want {
			t.Errorf("reluHalf(die %s, stay %s) = %s, want %s", tc.die, tc.stay, got, tc.want)
		}
	}
	main := []struct{ relu, fixes, want result.Outcome }{
		{C, C, C}, {C, R, M}, {C, M, M}, {C, I, I},
		{R, C, R}, {R, R, R}, {R, M, R}, {R, I, R},
		{M, C, M}, {M, R, M}, {M, M, M}, {M, I, M},
		{I, C, I}, {I, R, I}, {I, M, I}, {I, I, I},
	}
	for _, tc := range main {
		if got := mainOutcome(tc.relu, tc.fixes); got != tc.want {
			t.Errorf("mainOutcome(relu %s, fixes %s) = %s, want %s", tc.relu, tc.fixes, got, tc.want)
		}
	}
}

// ReLU's half is read only at a rate that met pickHigh's criterion and
// where ReLU trains; otherwise it is INCONCLUSIVE whatever its parts.
func TestReluHalfAt(t *testing.T) {
	C, R, M, I := result.Confirmed, result.Refuted, result.Mixed, result.Inconclusive
	parts := []struct{ die, stay, half result.Outcome }{
		{C, C, C}, {C, R, M}, {C, I, I}, {R, C, R}, {I, C, I}, {M, C, M},
	}
	accs := []struct {
		acc    metrics.Estimate
		trains bool
	}{
		{metrics.Estimate{Mean: 0.9, Lo: 0.85, Hi: 0.95, N: 12}, true},
		{metrics.Estimate{Mean: 0.6, Lo: controlMinAcc, Hi: 0.7, N: 12}, true},
		{metrics.Estimate{Mean: 0.6, Lo: above(controlMinAcc), Hi: 0.7, N: 12}, true},
		// The mean clears the floor, the interval does not: not shown to train.
		{metrics.Estimate{Mean: 0.553, Lo: 0.419, Hi: 0.687, N: 12}, false},
		{metrics.Estimate{Mean: 0.6, Lo: below(controlMinAcc), Hi: 0.7, N: 12}, false},
		{metrics.Estimate{Mean: 0.2, Lo: 0.1, Hi: 0.3, N: 12}, false},
		{metrics.Estimate{Mean: 0.9, Lo: math.NaN(), Hi: math.NaN(), N: 1}, true}, // one run: its accuracy
		{metrics.Estimate{Mean: math.NaN(), Lo: math.NaN(), Hi: math.NaN(), N: 0}, false},
	}
	for _, p := range parts {
		for _, a := range accs {
			for _, clean := range []bool{true, false} {
				want := p.half
				if !clean || !a.trains {
					want = I
				}
				if got := reluHalfAt(clean, a.acc, p.die, p.stay); got != want {
					t.Errorf("reluHalfAt(clean %v, acc %+v, die %s, stay %s) = %s, want %s", clean, a.acc, p.die, p.stay, got, want)
				}
			}
		}
	}
}

// check is a rate above lo: ReLU's mean loss of units there, and the
// diverged runs of ReLU and of each fix (of 12).
func check(lr, loss float64, relu int, fixes ...int) rateCheck {
	rc := rateCheck{lr: lr, killed: pr(loss, loss-0.05, loss+0.05), relu: arm{relu, 12}, acc: est(0.8, 0.75, 0.85, 12-relu)}
	for i, d := range fixes {
		rc.fixes = append(rc.fixes, namedArm{name: []string{"leaky", "prelu", "elu"}[i], arm: arm{d, 12}})
	}
	return rc
}

// withAcc sets the lower end of the 95% CI of ReLU's test accuracy at a
// rate, what trains reads (NaN: no finished run).
func withAcc(c rateCheck, acc float64) rateCheck {
	c.acc = est(acc+0.05, acc, acc+0.1, 12)
	if math.IsNaN(acc) {
		c.acc.N = 0
	}
	return c
}

// pickHigh takes the highest rate at which ReLU still trains, whatever
// its dead fractions show.
func TestPickHigh(t *testing.T) {
	cases := []struct {
		name      string
		checks    []rateCheck
		wantHi    float64
		wantClean bool
	}{
		{"no rate above lo", nil, 1, false},
		{"the highest rate that trains", []rateCheck{check(0.3, 0.05, 0, 0), check(0.6, 0.3, 0, 0), check(1, 0.6, 0, 0)}, 1, true},
		{"order of the checks does not matter", []rateCheck{check(1, 0.6, 0, 0), check(0.6, 0.3, 0, 0)}, 1, true},
		{"dead fractions are not looked at: none die", []rateCheck{check(0.6, 0, 0, 0), check(0.8, 0.01, 0, 0)}, 0.8, true},
		{"dead fractions are not looked at: a rate that kills fewer is still read", []rateCheck{check(0.6, 0.5, 0, 0), check(0.8, 0.02, 0, 0)}, 0.8, true},
		{"fixes that diverge do not stop ReLU's half", []rateCheck{check(0.6, 0.3, 0, 4, 12, 12), check(1, 0.6, 5, 8, 12)}, 0.6, true},
		{"ReLU with 4 of 12 diverged: not read", []rateCheck{check(0.6, 0.3, 0, 0), check(0.8, 0.3, 4, 0)}, 0.6, true},
		{"ReLU with 3 of 12 diverged: read", []rateCheck{check(0.6, 0.3, 0, 0), check(0.8, 0.3, 3, 0)}, 0.8, true},
		{"ReLU does not train at the higher rate", []rateCheck{check(0.6, 0.3, 0, 0), withAcc(check(0.8, 0.4, 0, 0), below(controlMinAcc))}, 0.6, true},
		{"ReLU exactly at the accuracy floor", []rateCheck{check(0.6, 0.3, 0, 0), withAcc(check(0.8, 0.4, 0, 0), controlMinAcc)}, 0.8, true},
		{"ReLU's mean above the floor, its interval below: not read", []rateCheck{check(0.6, 0.3, 0, 0), func() rateCheck {
			c := check(0.8, 0.4, 0, 0)
			c.acc = est(0.553, 0.419, 0.687, 12)
			return c
		}()}, 0.6, true},
		{"a gap: a lower rate fails, a higher one trains", []rateCheck{withAcc(check(0.6, 0.3, 0, 0), 0.3), check(0.8, 0.4, 0, 0)}, 0.8, true},
		{"no finished ReLU run", []rateCheck{withAcc(check(0.6, 0.3, 0, 0), math.NaN())}, 1, false},
		{"ReLU trains at no rate", []rateCheck{withAcc(check(0.6, 0.3, 0, 0), 0.2), check(1, 0.6, 5, 8)}, 1, false},
		{"the grid of the full run: lr 0.8 is the highest that trains", []rateCheck{check(0.6, 0.078, 0, 0, 12, 12), check(0.7, 0.193, 0, 3, 12, 12), withAcc(check(0.8, 0.324, 0, 1, 12, 12), 0.56), withAcc(check(0.9, 0.543, 3, 2, 12, 12), 0.335), withAcc(check(1, 0.661, 5, 8, 12, 12), 0.2)}, 0.8, true},
	}
	for _, tc := range cases {
		hi, clean := pickHigh(tc.checks, 1)
		if hi != tc.wantHi || clean != tc.wantClean {
			t.Errorf("%s: lr %g (clean %v), want lr %g (clean %v)", tc.name, hi, clean, tc.wantHi, tc.wantClean)
		}
	}
}

// Part A is read at the rate pickHigh chooses without looking at dead
// fractions, so it can come out REFUTED as well as CONFIRMED or
// INCONCLUSIVE: here lr 0.8 is always chosen (lr 1 does not train), and
// only ReLU's loss of units there changes.
func TestPartAAtPickedRate(t *testing.T) {
	m := dieMargin
	C, R, I := result.Confirmed, result.Refuted, result.Inconclusive
	cases := []struct {
		name   string
		killed metrics.Paired
		want   result.Outcome
		why    string
	}{
		{"few die at the highest rate that trains", pr(0.03, 0, below(m)), R, "points below its best) REFUTED"},
		{"many die", pr(0.3, above(m), 0.5), C, "points below its best) CONFIRMED"},
		{"the interval straddles the margin", pr(0.1, 0.05, 0.15), I, "points below its best) INCONCLUSIVE"},
	}
	for _, tc := range cases {
		checks := []rateCheck{check(0.6, 0.01, 0), check(0.8, tc.killed.Diff.Mean, 0), withAcc(check(1, 0.6, 2), 0.3)}
		checks[1].killed = tc.killed
		hi, clean := pickHigh(checks, 1)
		if hi != 0.8 || !clean {
			t.Fatalf("%s: pickHigh chose lr %g (clean %v), want 0.8", tc.name, hi, clean)
		}
		e := dieCase(0.9, tc.killed, pr(0.01, 0, 0.03), []fixAtHigh{fixHigh("leaky", 0.4, 0.8, 0)})
		e.checks, e.hi, e.clean = checks, hi, clean
		v := dieVerdict(e)
		// ReLU's half, and the claim, follow part A (the dead units stay
		// dead and the fix keeps its units here).
		checkVerdict(t, tc.name, v, tc.want, tc.why)
		if !strings.Contains(v.Why, "lr 0.8 is the highest rate above lr 0.1 (ReLU's best test accuracy) at which ReLU still trains") {
			t.Errorf("%s: why %q does not say how the rate was chosen", tc.name, v.Why)
		}
	}
}

// dieCase is the evidence at lo 0.1 and hi = top 1, every arm with 12 runs
// and none diverged.
func dieCase(acc float64, killed, recovered metrics.Paired, fixes []fixAtHigh) dieEvidence {
	var names []namedArm
	for _, f := range fixes {
		names = append(names, namedArm{name: f.name, arm: f.runs})
	}
	loAcc := est(acc, acc-0.05, acc+0.05, 12)
	if math.IsNaN(acc) {
		loAcc.N = 0 // no finished run
	}
	return dieEvidence{setup: "test nets", bias: 0, lo: 0.1, top: 1, hi: 1, clean: true,
		atLo:   rateCheck{lr: 0.1, relu: arm{0, 12}, fixes: names},
		checks: []rateCheck{{lr: 1, killed: killed, relu: arm{0, 12}, fixes: names, acc: est(0.8, 0.7, 0.9, 12)}},
		loAcc:  loAcc, reluHigh: arm{0, 12}, killed: killed,
		highDead: est(0.6, 0.4, 0.8, 12), highAcc: est(0.8, 0.7, 0.9, 12), recovered: recovered, fixes: fixes, reluOwnLR: math.NaN()}
}

func TestDieVerdict(t *testing.T) {
	m, r := dieMargin, recoverMargin
	C, R, M, I := result.Confirmed, result.Refuted, result.Mixed, result.Inconclusive
	dies := pr(0.6, 0.4, 0.8)       // ReLU loses far more than the margin
	stays := pr(0.01, 0, 0.03)      // almost no dead unit comes back
	comesBack := pr(0.25, 0.1, 0.4) // a quarter come back
	keep := fixHigh("leaky", 0.4, 0.8, 0)
	cases := []struct {
		name      string
		acc       float64
		killed    metrics.Paired
		recovered metrics.Paired
		fixes     []fixAtHigh
		half      result.Outcome // ReLU's half
		want      result.Outcome
		why       string
	}{
		{"control below 0.5 accuracy", below(controlMinAcc), dies, stays, []fixAtHigh{keep}, I, I, "no working baseline"},
		{"control NaN accuracy", math.NaN(), dies, stays, []fixAtHigh{keep}, I, I, "no working baseline"},
		{"control exactly at 0.5 accuracy", controlMinAcc, dies, stays, []fixAtHigh{keep}, C, C, ""},
		{"ReLU dies and stays dead, every fix keeps its units", 0.9, dies, stays, []fixAtHigh{keep, fixHigh("prelu", 0.3, 0.5, 0), fixHigh("elu", 0.2, 0.9, 3)}, C, C, "ReLU's half (many die and stay dead) holds: CONFIRMED"},
		{"ReLU's loss: lower bound just above the margin", 0.9, pr(0.3, above(m), 0.5), stays, []fixAtHigh{keep}, C, C, ""},
		{"ReLU's loss: lower bound at the margin", 0.9, pr(0.3, m, 0.5), stays, []fixAtHigh{keep}, I, I, "not resolved against the margin"},
		{"ReLU's loss: upper bound just below the margin", 0.9, pr(0.05, 0, below(m)), stays, []fixAtHigh{keep}, R, R, "ReLU's half is REFUTED"},
		{"ReLU's loss: upper bound at the margin", 0.9, pr(0.05, 0, m), stays, []fixAtHigh{keep}, I, I, ""},
		{"ReLU does not die: refuted whatever the fixes", 0.9, pr(0.01, -0.01, 0.03), stays, []fixAtHigh{fixHigh("elu", -0.1, 0, 0)}, R, R, ""},
		{"ReLU does not die and its few dead units come back", 0.9, pr(0.01, -0.01, 0.03), comesBack, []fixAtHigh{keep}, R, R, ""},
		{"ReLU's loss inconclusive", 0.9, pr(0.2, 0, 0.4), stays, []fixAtHigh{keep}, I, I, ""},
		{"one seed: no interval", 0.9, prN(1), stays, []fixAtHigh{keep}, I, I, ""},
		{"dead units come back, fixes keep theirs", 0.9, dies, comesBack, []fixAtHigh{keep}, M, M, "many die, but 25.0% per seed of the dead units in layers 2 and up were alive at a later epoch end (less than half; some of them died again)"},
		{"most dead units come back", 0.9, dies, pr(0.85, 0.75, 0.95), []fixAtHigh{keep}, M, M, "85.0% per seed of the dead units in layers 2 and up were alive at a later epoch end (more than half"},
		{"dead units come back, fixes diverge", 0.9, dies, comesBack, []fixAtHigh{fixHigh("leaky", 0.4, 0.8, 8), fixHigh("elu", 0.4, 0.8, 12)}, M, M, "whatever the fixes show"},
		{"dead units come back, fixes lose as many", 0.9, dies, comesBack, []fixAtHigh{fixHigh("leaky", -0.05, 0.05, 0)}, M, M, ""},
		{"recovered: upper bound just below the margin", 0.9, dies, pr(0.02, 0, below(r)), []fixAtHigh{keep}, C, C, ""},
		{"recovered: upper bound at the margin", 0.9, dies, pr(0.02, 0, r), []fixAtHigh{keep}, I, I, "whether they stay dead cannot be told"},
		{"recovered: lower bound just above the margin", 0.9, dies, pr(0.1, above(r), 0.15), []fixAtHigh{keep}, M, M, ""},
		{"recovered: lower bound at the margin", 0.9, dies, pr(0.1, r, 0.15), []fixAtHigh{keep}, I, I, ""},
		{"no dead unit in the deeper layers", 0.9, dies, prN(0), []fixAtHigh{keep}, I, I, "No run there had a dead unit in layers 2 and up"},
		{"one fix keeps its units, another loses as many", 0.9, dies, stays, []fixAtHigh{keep, fixHigh("elu", -0.05, 0.05, 0)}, C, M, "The fixes' half is MIXED"},
		{"every fix loses as many", 0.9, dies, stays, []fixAtHigh{fixHigh("leaky", -0.05, 0.05, 0), fixHigh("elu", 0, below(m), 0)}, C, M, "The fixes' half is REFUTED"},
		{"fix: lower bound at the margin", 0.9, dies, stays, []fixAtHigh{fixHigh("leaky", m, 0.3, 0)}, C, I, ""},
		{"fix: lower bound just above the margin", 0.9, dies, stays, []fixAtHigh{fixHigh("leaky", above(m), 0.3, 0)}, C, C, ""},
		{"fix: upper bound at the margin", 0.9, dies, stays, []fixAtHigh{fixHigh("leaky", 0, m, 0)}, C, I, ""},
		{"a fix diverged in 7 of 12 runs", 0.9, dies, stays, []fixAtHigh{keep, fixHigh("elu", 0.4, 0.8, 7)}, C, I, "ELU does not train at lr 1 (7/12 diverged"},
		{"a fix diverged in 6 of 12 runs, no shared rate", 0.9, dies, stays, []fixAtHigh{keep, fixHigh("elu", 0.4, 0.8, 6)}, C, I, "ELU does not train at lr 1 (6/12 diverged, test accuracy 0.800) nor at any rate where ReLU trains"},
		{"a diverging fix does not hide a refuted one", 0.9, dies, stays, []fixAtHigh{keep, fixHigh("prelu", 0, 0.05, 0), fixHigh("elu", 0.4, 0.8, 12)}, C, M, ""},
		{"one fix loses as many, the others diverge: the fixes' half is refuted", 0.9, dies, stays, []fixAtHigh{fixHigh("leaky", -0.05, 0.05, 0), fixHigh("prelu", 0.4, 0.8, 12), fixHigh("elu", 0.4, 0.8, 12)}, C, M, "The fixes' half is REFUTED"},
		{"no fix run", 0.9, dies, stays, nil, C, I, "None of leaky"},
	}
	for _, tc := range cases {
		v := dieVerdict(dieCase(tc.acc, tc.killed, tc.recovered, tc.fixes))
		checkVerdict(t, tc.name, v, tc.want, tc.why)
		if v.Role != result.Main || v.Claim != "C8" {
			t.Errorf("%s: claim %s role %s, want C8 main", tc.name, v.Claim, v.Role)
		}
		// The Why says a half holds only when it does, and names ReLU's
		// half's outcome whenever the rule gets that far.
		if strings.Contains(v.Why, "holds") != (tc.half == C && tc.acc >= controlMinAcc) {
			t.Errorf("%s: ReLU's half %s but why %q", tc.name, tc.half, v.Why)
		}
		if tc.acc >= controlMinAcc && !strings.Contains(v.Why, "ReLU's half") {
			t.Errorf("%s: why %q does not name ReLU's half", tc.name, v.Why)
		}
	}
	// The stricter reading of "came back" is shown and does not decide.
	e := dieCase(0.9, pr(0.3, 0.2, 0.4), pr(0.1, above(r), 0.15), []fixAtHigh{fixHigh("leaky", 0.2, 0.3, 0)})
	e.recoveredClearly = pr(0.03, 0.01, 0.06)
	checkVerdict(t, "stricter reading straddles", dieVerdict(e), M, "(a stricter reading, shown, not decided on): 3.0% (+0.030 [0.010, 0.060], n=12, MDE 0.05), straddling the 5% margin.")
}

// The fallback rate and a high rate where ReLU does not train make ReLU's
// half, and so the claim, INCONCLUSIVE, however many units die there.
func TestDieVerdictHighGate(t *testing.T) {
	C, I := result.Confirmed, result.Inconclusive
	dies, stays := pr(0.6, 0.4, 0.8), pr(0.01, 0, 0.03)
	keep := fixHigh("leaky", 0.4, 0.8, 0)
	cases := []struct {
		name    string
		clean   bool
		highAcc float64
		want    result.Outcome
		why     string
	}{
		{"criterion met, ReLU trains at hi", true, 0.8, C, "holds: CONFIRMED"},
		{"criterion met, ReLU at hi exactly at the floor", true, controlMinAcc, C, "holds: CONFIRMED"},
		{"criterion met, ReLU at hi just below the floor", true, below(controlMinAcc), I, "ReLU is not shown to train there"},
		{"criterion met, no finished ReLU run at hi", true, math.NaN(), I, "ReLU is not shown to train there"},
		{"fallback, ReLU trains at hi", false, 0.8, I, "lr 1 is only the fallback"},
		{"fallback, ReLU does not train at hi", false, 0.2, I, "; and at lr 1"},
	}
	for _, tc := range cases {
		e := dieCase(0.9, dies, stays, []fixAtHigh{keep})
		e.clean, e.highAcc = tc.clean, est(tc.highAcc+0.05, tc.highAcc, tc.highAcc+0.1, 12) // highAcc: the interval's lower end
		if math.IsNaN(tc.highAcc) {
			e.highAcc.N = 0
		}
		v := dieVerdict(e)
		checkVerdict(t, tc.name, v, tc.want, tc.why)
		if tc.want == I && !strings.Contains(v.Why, "part A (many die") || !strings.Contains(v.Why, ") CONFIRMED.") {
			t.Errorf("%s: why %q hides part A", tc.name, v.Why)
		}
	}
}

// The fallback's Why when ReLU trains at no rate above lo.
func TestGateWhyFallbackWithoutRates(t *testing.T) {
	e := dieCase(0.9, pr(0.05, 0, 0.08), pr(0.01, 0, 0.03), nil)
	e.clean = false
	e.checks[0].killed, e.checks[0].acc = e.killed, est(0.3, 0.2, 0.4, 12)
	v := dieVerdict(e)
	checkVerdict(t, "fallback, nothing trains", v, result.Inconclusive, "ReLU still trains at no rate above lr 0.1, so lr 1 is only the fallback: lr 1 (ReLU 0/12 diverged; its 12 finished runs reach test accuracy 0.300)")
	if !strings.Contains(v.Why, "At no rate above lr 0.1 (ReLU's best test accuracy) does ReLU still train") {
		t.Errorf("why %q", v.Why)
	}
}

// The rule needs a pair of rates; the Why says how the rate was chosen and
// how many runs of every arm diverged; the caveat names survivors.
func TestDieVerdictSelectionAndSurvivors(t *testing.T) {
	for _, e := range []dieEvidence{
		{setup: "test nets", lo: math.NaN(), top: math.NaN(), hi: math.NaN()},
		{setup: "test nets", lo: math.NaN(), top: 1, hi: 1},
	} {
		checkVerdict(t, "no pair of rates", dieVerdict(e), result.Inconclusive, "needs a learning rate")
	}
	// ReLU trains at no rate above lo: the fallback top, whose survivors
	// do not train either.
	e := dieCase(0.9, pr(0.6, 0.4, 0.8), pr(0.25, 0.1, 0.4), []fixAtHigh{fixHigh("leaky", 0.4, 0.8, 8), fixHigh("prelu", 0, 0, 12), fixHigh("elu", 0, 0, 12)})
	e.atLo = check(0.1, 0, 0, 0, 0, 10)
	e.checks = []rateCheck{check(0.6, 0.078, 0, 0, 12, 12), check(1, 0.6, 5, 8, 12, 12)}
	e.checks[1].killed = e.killed
	e.checks[0].acc, e.checks[1].acc = est(0.45, 0.4, 0.5, 12), est(0.2, 0.1, 0.3, 7)
	e.reluHigh, e.highAcc = arm{5, 12}, est(0.2, 0.1, 0.3, 7)
	e.hi, e.clean = pickHigh(e.checks, 1)
	if e.hi != 1 || e.clean {
		t.Fatalf("pickHigh: lr %g clean %v, want the fallback lr 1", e.hi, e.clean)
	}
	v := dieVerdict(e)
	checkVerdict(t, "no rate trains", v, result.Inconclusive, "")
	for _, want := range []string{"ReLU's half is INCONCLUSIVE, whatever part A shows: ReLU still trains at no rate above lr 0.1, so lr 1 is only the fallback",
		"lr 0.6 (ReLU 0/12 diverged; its 12 finished runs reach test accuracy 0.450); lr 1 (ReLU 5/12 diverged; its 7 finished runs reach test accuracy 0.200)",
		"reach test accuracy 0.200 [0.100, 0.300], whose 95% CI does not clear the 0.5 the control at lr 0.1 must reach", "The claim: INCONCLUSIVE.", "At no rate above lr 0.1", "the highest rate at which at most half the ReLU runs diverged",
		"lr 0.1: relu 0/12, leaky 0/12, prelu 0/12, elu 10/12", "lr 0.6 (ReLU +7.8 points [2.8, 12.8]): relu 0/12, leaky 0/12, prelu 12/12, elu 12/12", "lr 1 (ReLU +60.0 points [40.0, 80.0]): relu 5/12, leaky 8/12, prelu 12/12, elu 12/12",
		"the 7 ReLU runs that did not diverge (5 of 12 diverged), with test accuracy 0.200"} {
		if !strings.Contains(v.Why, want) {
			t.Errorf("why %q does not contain %q", v.Why, want)
		}
	}
	for _, want := range []string{"survivor selection", "7 of 12 ReLU runs that did not diverge at lr 1", "ReLU does not train"} {
		if !strings.Contains(v.Caveat, want) {
			t.Errorf("caveat %q does not contain %q", v.Caveat, want)
		}
	}
	// Nothing diverged and ReLU trains well at hi: no survivor caveat, no
	// edge caveat.
	if v := dieVerdict(dieCase(0.9, pr(0.6, 0.4, 0.8), pr(0.01, 0, 0.03), nil)); strings.Contains(v.Caveat, "survivor") || strings.Contains(v.Caveat, "does not train") || strings.Contains(v.Caveat, "edge") {
		t.Errorf("caveat %q names survivors or the edge where there are none", v.Caveat)
	}
	// ReLU's accuracy at hi clears the floor but its interval does not.
	e = dieCase(0.9, pr(0.3, 0.2, 0.4), pr(0.7, 0.6, 0.8), nil)
	e.highAcc = est(0.56, 0.415, 0.704, 12)
	if v := dieVerdict(e); !strings.Contains(v.Caveat, "lr 1 is the edge of where ReLU trains: its mean test accuracy there (0.560) clears the 0.5 floor, but the 95% CI reaches 0.415") {
		t.Errorf("caveat %q does not name the edge", v.Caveat)
	}
}

// The Why splits ReLU's dead units at hi by layer, counting those that
// came back and died again and those dead at the end.
func TestLayerSplitWhy(t *testing.T) {
	layers := []metrics.DeathCounts{
		{Units: 768, EverDead: 296, DeadAtEnd: 296},
		{Units: 768, EverDead: 200, Recovered: 150, DeadAtEnd: 80}, // 120 alive at the end: 30 came back and died again
		{Units: 768, EverDead: 255, Recovered: 188, DeadAtEnd: 79}, // 176 alive at the end: 12 died again
	}
	got := layerSplitWhy(0.7, layers)
	for _, want := range []string{
		"Pooled over the finished runs at lr 0.7, per hidden layer, layer 1: 296 ever dead, 0 came back, 296 dead at the end",
		"layer 2: 200 ever dead, 150 came back (30 of them dead again at the end), 80 dead at the end",
		"layer 3: 255 ever dead, 188 came back (12 of them dead again at the end), 79 dead at the end",
		"all layers: 338 of 751 ever-dead units came back (45%) and 455 were dead at the end."} {
		if !strings.Contains(got, want) {
			t.Errorf("%q does not contain %q", got, want)
		}
	}
	if got := layerSplitWhy(0.7, nil); got != "" {
		t.Errorf("no counts: %q", got)
	}
	e := dieCase(0.9, pr(0.6, 0.4, 0.8), pr(0.25, 0.1, 0.4), nil)
	e.hiLayers = layers
	v := dieVerdict(e)
	if !strings.Contains(v.Why, "all layers: 338 of 751") {
		t.Errorf("why %q does not give the layer split", v.Why)
	}
	// Deeper units came back (stay dead REFUTED), layer 1's none: the
	// context says so; with a layer-1 unit back, or no recovery read, none.
	if want := "of the 455 ReLU units in layers 2 and up that died at lr 1, 338 came back at a later epoch end (42 of them dead again at the end) and 117 never did, so 159 were dead at the end; in the first hidden layer, where plain SGD cannot revive a dead unit, 0 of 296 came back"; !strings.Contains(v.Context, want) {
		t.Errorf("context %q, want %q", v.Context, want)
	}
	for _, tc := range []struct {
		name   string
		layers []metrics.DeathCounts
		stay   result.Outcome
	}{
		{"most came back", []metrics.DeathCounts{{EverDead: 10, DeadAtEnd: 10}, {EverDead: 100, Recovered: 80, DeadAtEnd: 20}}, result.Refuted},
		{"no unit died", []metrics.DeathCounts{{}}, result.Refuted},
		{"stay dead confirmed", layers, result.Confirmed},
		{"no counts", nil, result.Refuted},
	} {
		if got := firstLayerContext(0.9, tc.layers, tc.stay); got != "" {
			t.Errorf("%s: context %q, want none", tc.name, got)
		}
	}
}

// seedsFor is the smallest n whose MDE is below the margin.
func TestSeedsFor(t *testing.T) {
	for _, tc := range []struct{ sd, margin float64 }{{0.186, 0.05}, {0.174, 0.1}, {1, 0.5}, {0.01, 1}} {
		n := seedsFor(tc.sd, tc.margin)
		if n < 2 || metrics.MDE(tc.sd, n) >= tc.margin || (n > 2 && metrics.MDE(tc.sd, n-1) < tc.margin) {
			t.Errorf("seedsFor(%g, %g) = %d: MDE %g, one fewer %g", tc.sd, tc.margin, n, metrics.MDE(tc.sd, n), metrics.MDE(tc.sd, n-1))
		}
	}
	for _, sd := range []float64{0, math.NaN(), math.Inf(1)} {
		if n := seedsFor(sd, 0.05); n != 0 {
			t.Errorf("seedsFor(%g) = %d, want 0", sd, n)
		}
	}
	if n := seedsFor(1e6, 1e-6); n != 0 {
		t.Errorf("seedsFor beyond %d seeds = %d, want 0", maxSeeds, n)
	}
	if note := mdeNote(metrics.Paired{Diff: metrics.Estimate{N: 12, SD: 0.186}, MDE: 0.166}, 0.05); !strings.Contains(note, "about 111 seeds") {
		t.Errorf("mdeNote %q", note)
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
			runs: arm{0, 60}, depth: tc.depth, sgd: true, settings: 5}
		checkVerdict(t, tc.name, recoverVerdict(e), tc.want, tc.why)
	}
	// The control: settings where ReLU did not train are left out and
	// named; if none is left, nothing is read.
	e := recoverEvidence{setup: "test nets", share: pr(0.12, above(m), 0.2), deeper: metrics.DeathCounts{EverDead: 100, Recovered: 12}, runs: arm{0, 60}, depth: 3, sgd: true,
		settings: 4, untrained: []string{"lr 1 bias 0"}}
	checkVerdict(t, "an untrained setting left out", recoverVerdict(e), result.Refuted, "Left out, ReLU did not train there (the control): lr 1 bias 0")
	e.settings, e.untrained = 0, []string{"lr 0.01 bias -0.5", "lr 1 bias 0"}
	checkVerdict(t, "no setting where ReLU trained", recoverVerdict(e), result.Inconclusive, "ReLU trained at no setting")
	// The stricter reading of "came back" is shown beside the rule and
	// does not decide: below the margin, the outcome stays REFUTED.
	e.settings, e.untrained, e.clearly = 5, nil, pr(0.02, 0.01, 0.03)
	checkVerdict(t, "stricter reading below the margin", recoverVerdict(e), result.Refuted,
		"Counting as back only a unit active on at least 1% of the training examples at that later epoch end (a stricter reading, shown, not decided on): 2.0% (+0.020 [0.010, 0.030], n=12, MDE 0.05), below the 5% margin.")
}

// rev is a fix against ReLU: the difference in the share of units that
// came back in [lo, hi] in both layer groups and pooled, diverged of 60
// runs at 5 settings (and 1 of ReLU's 60).
func rev(name string, lo, hi float64, diverged int) reviveFix {
	d := pr((lo+hi)/2, lo, hi)
	return reviveFix{name: name, diff: d, settings: 5, runs: arm{diverged, 60}, reluRuns: arm{1, 60},
		layers: []layerCame{{group: "1", fix: [2]int{10, 100}, relu: [2]int{0, 100}, diff: d}, {group: "2-3", fix: [2]int{30, 100}, relu: [2]int{20, 100}, diff: d}}}
}

// revLayers is a fix whose layer groups differ: layer 1's difference in
// [lo1, hi1], the deeper layers' in [lo2, hi2], pooled in [plo, phi].
func revLayers(name string, lo1, hi1, lo2, hi2, plo, phi float64) reviveFix {
	f := rev(name, plo, phi, 0)
	f.layers[0].diff, f.layers[1].diff = pr((lo1+hi1)/2, lo1, hi1), pr((lo2+hi2)/2, lo2, hi2)
	return f
}

// The Why closes with how the fixes combine, and shows the wider pooling
// of the recovery-by-layer table beside the rule.
func TestReviveWhyCloses(t *testing.T) {
	e := reviveEvidence{setup: "test nets", fixes: []reviveFix{rev("leaky", -0.1, 0.05, 0), rev("elu", 0.05, 0.2, 0)},
		wide: []wideCame{{"relu", "2-3", [2]int{215, 1000}}, {"leaky", "2-3", [2]int{760, 1000}}, {"elu", "2-3", [2]int{0, 0}}}}
	v := reviveVerdict(e)
	for _, want := range []string{
		"The fixes together: REFUTED (leaky REFUTED, elu INCONCLUSIVE): a fix shown not to hold, and none shown to hold, refutes a claim about each fix. Within a fix,",
		"the shares that came back are layer 2-3: relu 21.5% (215 of 1000), leaky 76.0% (760 of 1000);",
	} {
		if !strings.Contains(v.Why, want) {
			t.Errorf("why %q\nwant %q", v.Why, want)
		}
	}
	if got := wideWhy(nil); got != "" {
		t.Errorf("no counts: %q", got)
	}
	// The pairs compared hold 40 of leaky's 200 units ever in the state
	// (20%) and 200 of elu's 300 (67%): the Why gives both, and the
	// context names leaky, under half, alone.
	e.wide = []wideCame{{"leaky", "1", [2]int{0, 200}}, {"elu", "1", [2]int{0, 300}}}
	e.fixes[0].layers[0].fix, e.fixes[0].layers[1].fix = [2]int{10, 20}, [2]int{5, 20}
	v = reviveVerdict(e)
	for _, want := range []string{"The pairs that decide hold, of each fix's units ever in the state over every setting where it did not diverge in most runs: leaky 40 of 200 (20%), elu 200 of 300 (67%)"} {
		if !strings.Contains(v.Why, want) {
			t.Errorf("why lacks %q", want)
		}
	}
	// It opens with the fix the outcome rests on.
	if want := "decided by leaky (REFUTED) alone; elu INCONCLUSIVE; the settings that decide hold only 20% of leaky's units ever in the state;"; !strings.HasPrefix(v.Context, want) || strings.Contains(v.Context, "elu's") {
		t.Errorf("context %q, want it to open %q and no elu's coverage", v.Context, want)
	}
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
		{"every fix's units come back", []reviveFix{rev("leaky", 0.2, 0.4, 0), rev("elu", 0.3, 0.5, 0)}, result.Confirmed, "runs diverged there: leaky 0/60, relu 1/60", "leaky"},
		{"no fix's units come back more", []reviveFix{rev("leaky", -0.1, 0.05, 0), rev("elu", -0.2, 0, 0)}, result.Refuted, "", "leaky"},
		{"one does, one does not", []reviveFix{rev("leaky", 0.2, 0.4, 0), rev("elu", -0.2, 0, 0)}, result.Mixed, "", "elu"},
		{"lower bound just above the margin", []reviveFix{rev("leaky", above(m), 0.3, 0)}, result.Confirmed, "", "leaky"},
		{"lower bound at the margin", []reviveFix{rev("leaky", m, 0.3, 0)}, result.Inconclusive, "", "leaky"},
		{"upper bound just below the margin", []reviveFix{rev("leaky", 0, below(m), 0)}, result.Refuted, "", "leaky"},
		{"upper bound at the margin", []reviveFix{rev("leaky", 0, m, 0)}, result.Inconclusive, "", "leaky"},
		{"a fix that diverged in most compared runs", []reviveFix{rev("leaky", 0.2, 0.4, 0), rev("elu", 0.2, 0.4, 31)}, result.Inconclusive, "31 of 60 elu runs diverged", "leaky"},
		{"a fix with no setting left", []reviveFix{rev("leaky", 0.2, 0.4, 0), {name: "elu", diff: prN(0)}}, result.Inconclusive, "elu: no setting left (most runs diverged, or a net that had to train did not)", "leaky"},
		// A claim about each fix: one fix shown to fail refutes it while
		// another is undecided, and the effect is a refuted group.
		{"one fix refuted, one undecided", []reviveFix{rev("leaky", 0.05, 0.2, 0), rev("prelu", -0.3, -0.01, 0)}, result.Refuted, "Leaky INCONCLUSIVE over 5 settings", "prelu"},
		{"one fix refuted, one mostly diverged", []reviveFix{rev("leaky", -0.1, 0.05, 0), rev("elu", 0.2, 0.4, 31)}, result.Refuted, "31 of 60 elu runs diverged", "leaky"},
		// A REFUTED verdict shows the weakest refutation: elu's upper
		// end (0.08) is nearer the margin than leaky's (0.02).
		{"refuted: the weakest refutation shown", []reviveFix{rev("leaky", -0.2, 0.02, 0), rev("elu", -0.04, 0.08, 0)}, result.Refuted, "", "elu"},
		// An undecided verdict shows an undecided group as its effect,
		// not a decided one further down (prelu's CONFIRMED groups here).
		{"undecided verdict, decided group beside", []reviveFix{rev("leaky", 0.05, 0.2, 0), rev("prelu", 0.3, 0.5, 0)}, result.Inconclusive, "", "leaky"},
		// Within a fix the layer groups combine the same way: a group
		// shown to fail beside an undecided one refutes that fix.
		{"one group below, one straddling: that fix is refuted", []reviveFix{revLayers("leaky", 0.05, 0.13, -0.1, 0.05, 0, 0.1)}, result.Refuted, "Leaky REFUTED over 5 settings", "leaky minus ReLU, layer 2-3"},
		{"one group above, one straddling: that fix is undecided", []reviveFix{revLayers("leaky", 0.2, 0.3, 0.05, 0.13, 0.1, 0.2)}, result.Inconclusive, "Leaky INCONCLUSIVE over 5 settings", "leaky minus ReLU, layer 2-3"},
		// The layer groups decide, not the pooled share: the arms' mix of
		// layers can make the pooled difference say what no layer does.
		{"pooled below the margin, both groups straddling", []reviveFix{revLayers("leaky", 0.05, 0.13, 0.005, 0.14, -0.02, 0.06)}, result.Inconclusive, "over all layers, within each setting and layer group (shown, not decided) +0.020", "leaky minus ReLU, layer 2-3"},
		{"pooled above the margin, both groups below", []reviveFix{revLayers("leaky", -0.1, 0.05, -0.05, 0.08, 0.15, 0.3)}, result.Refuted, "", "leaky minus ReLU, layer 2-3"},
		{"one group above, one below: that fix is mixed", []reviveFix{revLayers("leaky", 0.2, 0.3, -0.1, 0.05, 0.05, 0.2)}, result.Mixed, "layer 1: leaky 10 of 100, relu 0 of 100 came back (per seed +0.250 [0.200, 0.300], n=12, MDE 0.05, above the 0.10 margin: CONFIRMED)", "leaky minus ReLU, layer 2-3"},
		{"a group with one seed is not compared", []reviveFix{func() reviveFix {
			f := rev("leaky", 0.2, 0.4, 0)
			f.layers[1].diff = prN(1)
			return f
		}()}, result.Confirmed, "layer 2-3: leaky 30 of 100, relu 20 of 100 came back (1 seeds with units in the state in both arms: not compared)", "leaky minus ReLU, layer 1"},
		{"no group with two seeds", []reviveFix{func() reviveFix {
			f := rev("leaky", 0.2, 0.4, 0)
			f.layers[0].diff, f.layers[1].diff = prN(1), prN(0)
			return f
		}()}, result.Inconclusive, "Leaky INCONCLUSIVE over 5 settings", ""},
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
		g, m := gradVerdict(e), mostZerosVerdict(e)
		checkVerdict(t, tc.name, g, tc.want, tc.why)
		checkVerdict(t, tc.name+" (most zeros)", m, tc.most, "")
		// The starved-gradient rule holds by construction: a sanity
		// check that never decides C9; the share of zeros supports.
		if g.Claim != "C9" || g.Role != result.Sanity || m.Claim != "C9" || m.Role != result.Supporting {
			t.Errorf("%s: roles %s %s / %s %s, want C9 sanity and C9 supporting", tc.name, g.Claim, g.Role, m.Claim, m.Role)
		}
	}
	// The settings left out as collapsed are named in the main verdict.
	e := gradEvidence{setup: "test nets", assoc: pr(0.8, 0.7, 0.9), deadShare: pr(0.25, 0.2, 0.3), runs: arm{0, 60}, trained: 5, collapsed: 3, collapsedAlive: 0.9}
	if why := gradVerdict(e).Why; !strings.Contains(why, "In the 3 settings where ReLU was not shown to train") || !strings.Contains(why, "90.0%") {
		t.Errorf("why %q does not describe the collapsed settings", why)
	}
	// The main rule's caveat says it is close to true by construction,
	// what could have made it fail, and points at the supporting result.
	e.dead, e.sgd = est(0.963, 0.95, 0.98, 12), true
	e.deadShare = pr(0.041, 0.031, 0.051)
	caveat := gradVerdict(e).Caveat
	for _, want := range []string{"close to true by construction", "never, for a first-layer unit under plain SGD", "dead units revived within the epoch", "96.3% of steps, not all", "only 4.1% of the zero dL/dz entries"} {
		if !strings.Contains(caveat, want) {
			t.Errorf("caveat %q does not contain %q", caveat, want)
		}
	}
	e.dead, e.sgd = est(1, 1, 1, 12), false
	if caveat := gradVerdict(e).Caveat; strings.Contains(caveat, "not all") || strings.Contains(caveat, "plain SGD") {
		t.Errorf("caveat %q: every step starved, or not plain SGD", caveat)
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
		v := derivVerdict(e)
		checkVerdict(t, tc.name, v, tc.want, tc.why)
		// Only a run without the relu-d<v> arm is "not tested"; a run that
		// had it and could not decide is INCONCLUSIVE on its own numbers.
		if v.NotTested != (tc.other == "") {
			t.Errorf("%s: not tested %v, want %v", tc.name, v.NotTested, tc.other == "")
		}
		// The count of exact zeros, where the convention acts, is shown.
		found := false
		for _, ev := range v.Evidence {
			found = found || strings.HasPrefix(ev.Name, "pre-activations exactly 0 in training steps, both arms (0 of 1000")
		}
		if found != (tc.other != "") {
			t.Errorf("%s: exact-zero count shown %v, want %v", tc.name, found, tc.other != "")
		}
	}
}

// Newcombe 1998 (Statistics in Medicine 17:873), example (a): 56/70 minus
// 48/80 is 0.2000 with the hybrid score interval (method 10) 0.0524 to
// 0.3339.
func TestProportionDiffNewcombe(t *testing.T) {
	e := proportionDiff(56, 70, 48, 80)
	if math.Abs(e.Mean-0.2) > 1e-12 || math.Abs(e.Lo-0.0524) > 5e-5 || math.Abs(e.Hi-0.3339) > 5e-5 {
		t.Errorf("56/70 - 48/80 = %.4f [%.4f, %.4f], want 0.2000 [0.0524, 0.3339]", e.Mean, e.Lo, e.Hi)
	}
	// Both at the edge: the interval stays finite and contains the
	// difference.
	if e := proportionDiff(10, 10, 0, 10); !(e.Lo < 1 && e.Lo > 0.5 && e.Hi == 1) {
		t.Errorf("10/10 - 0/10 = %.4f [%.4f, %.4f]", e.Mean, e.Lo, e.Hi)
	}
}

func TestRaiVerdict(t *testing.T) {
	C, R, I := result.Confirmed, result.Refuted, result.Inconclusive
	cases := []struct {
		name    string
		he, rai [2]int
		want    result.Outcome
		why     string
	}{
		{"the full run's shape: 90% against 30%", [2]int{9045, 10000}, [2]int{2980, 10000}, C, "against a margin of 10 points: CONFIRMED"},
		{"no difference", [2]int{9000, 10000}, [2]int{9000, 10000}, R, ""},
		{"a difference of 10 points, interval across the margin", [2]int{900, 1000}, [2]int{800, 1000}, I, ""},
		{"a small sample cannot tell", [2]int{9, 10}, [2]int{6, 10}, I, ""},
		{"asymmetric init not drawn", [2]int{9, 10}, [2]int{0, 0}, I, "not drawn"},
		{"He init not drawn", [2]int{0, 0}, [2]int{9, 10}, I, "not drawn"},
	}
	for _, tc := range cases {
		v := raiVerdict(raiEvidence{width: 2, depth: 10, he: tc.he, rai: tc.rai})
		checkVerdict(t, tc.name, v, tc.want, tc.why)
		if v.Role != result.Supporting || v.Claim != "C8" {
			t.Errorf("%s: claim %s role %s", tc.name, v.Claim, v.Role)
		}
	}
}

func TestFirstLayerVerdict(t *testing.T) {
	cases := []struct {
		name  string
		first metrics.DeathCounts
		sgd   bool
		want  result.Outcome
		why   string
	}{
		{"none of 625 came back under SGD", metrics.DeathCounts{EverDead: 625}, true, result.Confirmed, "0 of 625"},
		{"one came back: the probe and the training disagree", metrics.DeathCounts{EverDead: 625, Recovered: 1}, true, result.Refuted, "disagree"},
		{"no unit died", metrics.DeathCounts{}, true, result.Inconclusive, "No first-layer unit died"},
		{"momentum: nothing forces it", metrics.DeathCounts{EverDead: 625}, false, result.Inconclusive, "not plain SGD"},
	}
	for _, tc := range cases {
		v := firstLayerVerdict(recoverEvidence{setup: "test nets", first: tc.first, depth: 3, sgd: tc.sgd})
		checkVerdict(t, tc.name, v, tc.want, tc.why)
		if v.Role != result.Sanity {
			t.Errorf("%s: role %s, want sanity", tc.name, v.Role)
		}
	}
}

// The revive verdict reports how fast units leave the state without
// deciding on it.
func TestReviveVerdictSpeed(t *testing.T) {
	f := rev("leaky", 0.15, 0.3, 0)
	f.fixRate, f.reluRate, f.speed = est(0.3, 0.2, 0.4, 12), est(0.1, 0.05, 0.15, 12), pr(0.2, 0.1, 0.3)
	v := reviveVerdict(reviveEvidence{setup: "test nets", fixes: []reviveFix{f}})
	checkVerdict(t, "speed", v, result.Confirmed, "pooled over settings and layers, which mixes them and can reverse the comparison, 30.0% of leaky's units and 10.0% of ReLU's left it")
	// A slow fix whose units come back more is still CONFIRMED.
	f.speed = pr(-0.2, -0.3, -0.1)
	checkVerdict(t, "slower but more come back", reviveVerdict(reviveEvidence{setup: "test nets", fixes: []reviveFix{f}}), result.Confirmed, "")
}

// fixShared is a fix that does not train at hi (12 of 12 diverged), read
// at the shared rate lr 0.5 with ReLU's loss of units there (killed) and
// ReLU's dead minus the fix's would-be-dead fraction (diff).
func fixShared(name string, killed, diff metrics.Paired) fixAtHigh {
	f := fixHigh(name, 0.4, 0.8, 12)
	f.acc = est(math.NaN(), math.NaN(), math.NaN(), 0)
	f.sharedLR, f.sharedKilled, f.shared = 0.5, killed, diff
	f.ownLR = math.NaN()
	return f
}

// Every branch of fixRule, with the boundaries of each test.
func TestFixRule(t *testing.T) {
	m := dieMargin
	C, R, I := result.Confirmed, result.Refuted, result.Inconclusive
	dies, keeps := pr(0.3, 0.2, 0.4), pr(0.01, -0.01, 0.03)
	trainsAtHi := func(lo, hi float64, diverged int, acc float64) fixAtHigh {
		f := fixHigh("leaky", lo, hi, diverged)
		f.acc = est(acc+0.05, acc, acc+0.1, 12-diverged)                    // acc: the interval's lower end, what trains reads
		f.sharedLR, f.sharedKilled, f.shared = 0.5, dies, pr(0.5, 0.4, 0.6) // would confirm if read
		return f
	}
	noShared := fixShared("elu", dies, pr(0.5, 0.4, 0.6))
	noShared.sharedLR = math.NaN()
	cases := []struct {
		name string
		f    fixAtHigh
		want result.Outcome
		how  fixReading
	}{
		{"trains at hi, keeps its units", trainsAtHi(above(m), 0.3, 0, 0.8), C, readAtHigh},
		{"trains at hi, lower bound at the margin", trainsAtHi(m, 0.3, 0, 0.8), I, readAtHigh},
		{"trains at hi, loses as many", trainsAtHi(-0.05, below(m), 0, 0.8), R, readAtHigh},
		{"trains at hi, upper bound at the margin", trainsAtHi(-0.05, m, 0, 0.8), I, readAtHigh},
		{"3 of 12 diverged at hi: still trains", trainsAtHi(0.2, 0.3, 3, 0.8), C, readAtHigh},
		{"4 of 12 diverged at hi: read at the shared rate", trainsAtHi(-0.05, 0.05, 4, 0.8), C, readShared},
		{"accuracy at hi exactly the floor: trains", trainsAtHi(0.2, 0.3, 0, controlMinAcc), C, readAtHigh},
		{"accuracy at hi below the floor: read at the shared rate", trainsAtHi(-0.05, 0.05, 0, below(controlMinAcc)), C, readShared},
		{"no rate where both train", noShared, I, noSharedRate},
		{"ReLU keeps its units at the shared rate", fixShared("prelu", keeps, pr(0.5, 0.4, 0.6)), I, reluKeeps},
		{"ReLU's loss at the shared rate: upper bound just below the margin", fixShared("prelu", pr(0.05, 0, below(m)), pr(0.5, 0.4, 0.6)), I, reluKeeps},
		{"ReLU's loss at the shared rate: upper bound at the margin", fixShared("prelu", pr(0.05, 0, m), pr(0.5, 0.4, 0.6)), I, reluUnresolved},
		{"ReLU's loss at the shared rate: lower bound at the margin", fixShared("prelu", pr(0.3, m, 0.5), pr(0.5, 0.4, 0.6)), I, reluUnresolved},
		{"ReLU's loss at the shared rate: lower bound just above the margin", fixShared("prelu", pr(0.3, above(m), 0.5), pr(0.5, 0.4, 0.6)), C, readShared},
		{"ReLU's loss at the shared rate: one seed", fixShared("prelu", prN(1), pr(0.5, 0.4, 0.6)), I, reluUnresolved},
		{"shared: the fix keeps its units", fixShared("prelu", dies, pr(0.3, above(m), 0.4)), C, readShared},
		{"shared: lower bound at the margin", fixShared("prelu", dies, pr(0.3, m, 0.4)), I, readShared},
		{"shared: 90% CI inside the margins (TOST)", fixShared("prelu", dies, pr90(0, above(-m), below(m), -0.12, 0.12)), R, readShared},
		{"shared: 90% CI touches the margin", fixShared("prelu", dies, pr90(0, -m, 0.05, -0.12, 0.08)), I, readShared},
		{"shared: upper bound below the margin but 90% CI beyond -margin", fixShared("prelu", dies, pr90(-0.05, -0.12, 0.05, -0.15, 0.08)), I, readShared},
		{"shared: the fix loses more (95% CI below -margin)", fixShared("prelu", dies, pr(-0.3, -0.4, below(-m))), R, readShared},
		{"shared: one seed", fixShared("prelu", dies, prN(1)), I, readShared},
	}
	for _, tc := range cases {
		got, how := fixRule(tc.f)
		if got != tc.want || how != tc.how {
			t.Errorf("%s: %s read %d, want %s read %d", tc.name, got, how, tc.want, tc.how)
		}
	}
}

// A fix that does not train at hi is decided at the shared rate when ReLU
// dies there, and stays INCONCLUSIVE when it does not, with its divergence
// where ReLU dies counted apart; each arm is shown at its own rate.
func TestDieVerdictSharedRate(t *testing.T) {
	dies, stays := pr(0.6, 0.4, 0.8), pr(0.01, 0, 0.03)
	keepsUnits := fixShared("elu", pr(0.001, -0.002, 0.004), pr(-0.01, -0.02, 0))
	keepsUnits.ownLR, keepsUnits.ownWould, keepsUnits.ownDiff = 0.25, est(0.02, 0.01, 0.03, 12), pr(0.5, 0.4, 0.6)
	e := dieCase(0.9, dies, stays, []fixAtHigh{keepsUnits})
	e.checks[0].fixes[0].diverged = 12
	e.reluOwnLR, e.reluOwnDead = 1, est(0.6, 0.5, 0.7, 12)
	v := dieVerdict(e)
	for _, want := range []string{
		"ELU does not train at lr 1 (12/12 diverged)",
		"at lr 0.5, the highest rate where both it and ReLU train, ReLU keeps its units (dead fraction minus at lr 0.1 +0.001 [-0.002, 0.004], n=12, MDE 0.05, below the margin)",
		"where elu trains, this design cannot show a fix: INCONCLUSIVE",
		"elu's runs diverged at the rates where ReLU trains and dies (counted apart: divergence is not a dead unit): lr 1 (12/12)",
		"Each arm at its own highest trainable rate, a reading that mixes rate and activation (shown, not decided on; the fractions are means over each arm's own runs, the differences over the seeds both ran, so the two need not subtract): ReLU lr 1 60.0% dead; elu lr 0.25 2.0% would-be-dead",
	} {
		if !strings.Contains(v.Why, want) {
			t.Errorf("why %q does not contain %q", v.Why, want)
		}
	}
	checkVerdict(t, "ReLU keeps its units where elu trains", v, result.Inconclusive, "The fixes' half is INCONCLUSIVE")

	e = dieCase(0.9, dies, stays, []fixAtHigh{fixShared("prelu", pr(0.3, 0.2, 0.4), pr(0.25, 0.15, 0.35))})
	v = dieVerdict(e)
	checkVerdict(t, "prelu keeps its units where ReLU dies", v, result.Confirmed, "ReLU dies (dead fraction minus at lr 0.1 +0.300 [0.200, 0.400], n=12, MDE 0.05) and its dead fraction minus prelu's would-be-dead fraction is +25.0 points")
	if strings.Contains(v.Why, "own highest trainable rate") {
		t.Errorf("own rates shown without them: %q", v.Why)
	}
	// Unresolved at the shared rate, which is ReLU's best-accuracy rate.
	unresolved := fixShared("prelu", pr(0.1, 0.05, 0.15), pr(0.5, 0.4, 0.6))
	unresolved.sharedLR = 0.1
	checkVerdict(t, "ReLU's loss unresolved where prelu trains", dieVerdict(dieCase(0.9, dies, stays, []fixAtHigh{unresolved})), result.Inconclusive,
		"at lr 0.1, the highest rate where both it and ReLU train, not above lr 0.1, ReLU's best-accuracy rate, whether ReLU loses 10 points of its units is not resolved")
	e = dieCase(0.9, dies, stays, []fixAtHigh{fixShared("prelu", pr(0.3, 0.2, 0.4), pr90(0, -0.05, 0.05, -0.06, 0.06))})
	checkVerdict(t, "prelu loses as many where ReLU dies", dieVerdict(e), result.Mixed, "The fixes' half is REFUTED")
}

// The sensitivity reading of part A: shown at the highest rate where
// ReLU's accuracy stays within nearBestAcc of its best, only when that rate
// is below the one the rule reads.
func TestNearBestWhy(t *testing.T) {
	check := func(lr, acc, rise float64) rateCheck {
		return rateCheck{lr: lr, relu: arm{runs: 12}, acc: metrics.Estimate{Mean: acc, Lo: acc - 0.01, Hi: acc + 0.01, N: 12},
			killed: metrics.Paired{Diff: metrics.Estimate{Mean: rise, Lo: rise - 0.03, Hi: rise + 0.03, N: 12}}}
	}
	e := dieEvidence{lo: 0.25, hi: 0.8, loAcc: metrics.Estimate{Mean: 0.9, N: 12}, highAcc: metrics.Estimate{Mean: 0.56, N: 12},
		checks: []rateCheck{check(0.5, 0.886, 0.05), check(0.6, 0.876, 0.079), check(0.7, 0.7, 0.19), check(0.8, 0.56, 0.32)}}
	got := nearBestWhy(e)
	for _, want := range []string{"at lr 0.6", "within 5 points of its best (0.876 against 0.900)", "+7.9 points [4.9, 10.9], straddles the margin of 10 points; so the supporting verdict on a net that still works cannot tell whether many units die in a net within 5 points of its best", "lost 34 points"} {
		if !strings.Contains(got, want) {
			t.Errorf("nearBestWhy = %q, want %q in it", got, want)
		}
	}
	// Below the margin the reading is REFUTED, and says so; beyond it,
	// it adds nothing about the outcome.
	e.checks[1] = check(0.6, 0.876, 0.032)
	if got := nearBestWhy(e); !strings.Contains(got, "below the margin of 10 points; so the supporting verdict on a net that still works finds that many units die here only in nets that have lost more than 5 points") {
		t.Errorf("below the margin: %q", got)
	}
	e.checks[1] = check(0.6, 0.876, 0.2)
	if got := nearBestWhy(e); !strings.Contains(got, "beyond the margin of 10 points. The rate") {
		t.Errorf("beyond the margin: %q", got)
	}
	e.hi = 0.6 // the rule already reads a near-best rate: nothing to add
	if got := nearBestWhy(e); got != "" {
		t.Errorf("with hi at the near-best rate: %q, want nothing", got)
	}
}

// A part A refuted at hi is INCONCLUSIVE when, one step up, ReLU's runs
// are clean, its mean accuracy clears the floor while its interval does
// not, and many units die there: the refutation turns on the floor.
func TestNextRateDies(t *testing.T) {
	dies, few := pr(0.24, 0.14, 0.34), pr(0.05, 0.02, 0.08)
	next := func(killed metrics.Paired, diverged int, acc metrics.Estimate) rateCheck {
		return rateCheck{lr: 0.4, killed: killed, relu: arm{diverged, 12}, acc: acc}
	}
	read := rateCheck{lr: 0.3, killed: few, relu: arm{0, 12}, acc: est(0.75, 0.7, 0.8, 12)}
	edgeAcc := est(0.544, 0.428, 0.660, 12)
	cases := []struct {
		name string
		up   rateCheck
		want bool
	}{
		{"many die one step up, mean clears the floor, interval does not", next(dies, 0, edgeAcc), true},
		{"one step up ReLU trains by its interval too: pickHigh would have read it", next(dies, 0, est(0.7, 0.6, 0.8, 12)), false},
		{"one step up the mean is below the floor", next(dies, 0, est(0.45, 0.3, 0.6, 12)), false},
		{"one step up too many runs diverged", next(dies, 4, edgeAcc), false},
		{"one step up few die", next(few, 0, edgeAcc), false},
	}
	for _, c := range cases {
		beyond := rateCheck{lr: 0.5, killed: dies, relu: arm{0, 12}, acc: edgeAcc} // two steps up never counts
		if _, got := nextRateDies([]rateCheck{beyond, read, c.up}, 0.3); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}

	e := dieCase(0.9, few, pr(0.01, 0, 0.03), []fixAtHigh{fixHigh("leaky", -0.05, 0.05, 0)})
	e.hi, e.checks = 0.3, []rateCheck{read, next(dies, 0, edgeAcc)}
	v := dieVerdict(e)
	checkVerdict(t, "refuted at hi, many die one step up", v, result.Inconclusive, "part A is INCONCLUSIVE")
	if !strings.Contains(v.Why, "and there +24.0 points of units die") || !strings.Contains(v.Why, "ReLU's half is INCONCLUSIVE: whether many units die turns on") {
		t.Errorf("the edge's Why: %q", v.Why)
	}
	// ReLU loses no units at hi, so a fix that loses as few shows nothing.
	if !strings.Contains(v.Why, "this design cannot show a fix: INCONCLUSIVE") || strings.Contains(v.Why, "The fixes' half is REFUTED") {
		t.Errorf("a fix read where ReLU keeps its units: why %q", v.Why)
	}
}

func TestAtHighWithoutLoss(t *testing.T) {
	C, R, I := result.Confirmed, result.Refuted, result.Inconclusive
	for _, tc := range []struct {
		o       result.Outcome
		how     fixReading
		die     result.Outcome
		want    result.Outcome
		wantHow fixReading
	}{
		{R, readAtHigh, C, R, readAtHigh},
		{C, readAtHigh, R, I, reluKeepsAtHigh},
		{R, readAtHigh, I, I, reluKeepsAtHigh},
		{C, readShared, R, C, readShared}, // the shared rate checks ReLU's loss itself
	} {
		if o, how := atHighWithoutLoss(tc.o, tc.how, tc.die); o != tc.want || how != tc.wantHow {
			t.Errorf("atHighWithoutLoss(%s, %d, die %s) = %s, %d; want %s, %d", tc.o, tc.how, tc.die, o, how, tc.want, tc.wantHow)
		}
	}
}

// C1's main verdict is the narrow nets' when they were trained, the usual
// nets' otherwise.
func TestC1Roles(t *testing.T) {
	usual := result.Verdict{Claim: "C1", Role: result.Main, Statement: "usual"}
	narrow := result.Verdict{Claim: "C1", Role: result.Supporting, Statement: "narrow"}
	vs := c1Verdicts(usual, narrow)
	if vs[0].Role != result.Sanity || vs[1].Role != result.Main {
		t.Errorf("with narrow nets: roles %s, %s; want sanity, main", vs[0].Role, vs[1].Role)
	}
	narrow.NotTested = true
	vs = c1Verdicts(usual, narrow)
	if vs[0].Role != result.Main || vs[1].Role != result.Supporting {
		t.Errorf("without narrow nets: roles %s, %s; want main, supporting", vs[0].Role, vs[1].Role)
	}
}

// fewSeeds names the shortfall only for an undecided comparison whose
// MDE is above the margin.
func TestFewSeeds(t *testing.T) {
	wide := metrics.OneSample([]float64{0.3, -0.1, 0.2, 0.0, 0.25, -0.05})
	narrow := metrics.OneSample([]float64{0.05, 0.06, 0.05, 0.07, 0.06, 0.05})
	for _, tc := range []struct {
		name string
		p    metrics.Paired
		o    result.Outcome
		want string
	}{
		{"undecided, too few", wide, result.Inconclusive, "6 seeds are too few, about"},
		{"decided", wide, result.Confirmed, ""},
		{"undecided, enough", narrow, result.Inconclusive, ""},
	} {
		got := fewSeeds(tc.p, 0.1, tc.o)
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

// The caveat names the outcome part A would have at the stricter reading
// of "still trains" when that reading does not confirm it.
func TestDieCaveatStricterReading(t *testing.T) {
	acc := func(m float64) metrics.Estimate { return metrics.Estimate{Mean: m, Lo: m - 0.01, Hi: m + 0.01, N: 12} }
	e := dieEvidence{lo: 0.3, hi: 0.8, top: 1, loAcc: acc(0.9), highAcc: acc(0.6), reluHigh: arm{0, 12},
		checks: []rateCheck{
			{lr: 0.6, relu: arm{0, 12}, acc: acc(0.87), killed: pr(0.09, 0.07, 0.12)},
			{lr: 0.8, relu: arm{0, 12}, acc: acc(0.6), killed: pr(0.3, 0.25, 0.35)},
		}}
	if c := dieCaveat(e); !strings.Contains(c, "read there, at lr 0.6, it is INCONCLUSIVE, so whether many die in a net that still works cannot be told here") {
		t.Errorf("caveat %q does not name the stricter reading's outcome", c)
	}
	e.checks[0].killed = pr(0.2, 0.15, 0.25) // confirmed there too: nothing to add
	if c := dieCaveat(e); strings.Contains(c, "read there, at lr 0.6, it is") {
		t.Errorf("caveat %q names a stricter reading that agrees", c)
	}
}

// resolvedAnyway speaks only for a decided comparison whose MDE is above
// the margin.
func TestResolvedAnyway(t *testing.T) {
	decidedWide := metrics.Paired{Diff: est(0.7, 0.64, 0.77, 37), MDE: 0.09}
	decidedNarrow := metrics.Paired{Diff: est(0.7, 0.68, 0.72, 37), MDE: 0.03}
	straddles := metrics.Paired{Diff: est(0.06, 0.01, 0.11, 37), MDE: 0.09}
	if s := resolvedAnyway(decidedWide, 0.05); !strings.Contains(s, "its MDE, 0.090, is above the margin") {
		t.Errorf("decided, wide: %q", s)
	}
	if s := resolvedAnyway(decidedNarrow, 0.05) + resolvedAnyway(straddles, 0.05); s != "" {
		t.Errorf("narrow or undecided: %q, want nothing", s)
	}
}

// The working-net verdict reads part A at the highest rate where ReLU's
// accuracy stays within nearBestAcc of its best: every outcome, the edge
// that turns a refutation into INCONCLUSIVE, and its controls.
func TestWorkingNetVerdict(t *testing.T) {
	acc := func(m float64) metrics.Estimate { return est(m, m-0.01, m+0.01, 12) }
	dies, few, straddles := pr(0.2, 0.15, 0.25), pr(0.05, 0.02, 0.08), pr(0.09, 0.07, 0.12)
	at := func(lr float64, a metrics.Estimate, killed metrics.Paired, diverged int) rateCheck {
		return rateCheck{lr: lr, relu: arm{diverged, 12}, acc: a, killed: killed}
	}
	base := func(checks ...rateCheck) dieEvidence {
		return dieEvidence{lo: 0.3, hi: 0.8, top: 1, loAcc: acc(0.9), highAcc: acc(0.6), killed: dies, reluHigh: arm{0, 12}, checks: checks}
	}
	far := at(0.8, acc(0.6), dies, 0) // the main rule's rate: 30 points lost, many die
	cases := []struct {
		name string
		e    dieEvidence
		want result.Outcome
		why  string
	}{
		{"many die within 5 points", base(at(0.5, acc(0.89), few, 0), at(0.6, acc(0.87), dies, 0), far), result.Confirmed,
			"lr 0.6 is the highest rate above lr 0.3 (ReLU's best) at which ReLU's test accuracy stays within 5 points of its best (0.870 against 0.900"},
		{"the rise straddles the margin", base(at(0.6, acc(0.87), straddles, 0), far), result.Inconclusive,
			"straddling it, INCONCLUSIVE. The rise sits near the margin (MDE below it): only far more seeds could place the interval on one side of it. At lr 0.8, the next rate of the grid, ReLU's test accuracy is 0.600 [0.590, 0.610], 30 points below its best, and its dead fraction rose by +20.0 points (+0.200 [0.150, 0.250], n=12, MDE 0.05); no rate between the two was run, so the edge of \"still works\" lies between them. The main verdict's part A, read at lr 0.8 where the net has lost 30 points of test accuracy, is CONFIRMED (+20.0 points): many die there, while in a net within 5 points"},
		{"few die within 5 points; the next rate has lost 30", base(at(0.6, acc(0.87), few, 0), far), result.Refuted,
			"At lr 0.8, the next rate of the grid, ReLU's test accuracy is 0.600 [0.590, 0.610], 30 points below its best, and its dead fraction rose by +20.0 points (+0.200 [0.150, 0.250], n=12, MDE 0.05): a net more than 5 points below its best, its 95% CI included; no rate between the two was run, so the edge of \"still works\" lies between them. The main verdict's part A, read at lr 0.8 where the net has lost 30 points of test accuracy, is CONFIRMED (+20.0 points): in this setup many units die only in nets that have lost more than 5 points."},
		{"few die, but one step up may still work and many die", base(at(0.6, acc(0.87), few, 0), at(0.7, est(0.8, 0.74, 0.86, 12), dies, 0), far), result.Inconclusive,
			"at lr 0.7, one step up, the test accuracy"},
		{"few die, but one step up may still work and its rise straddles the margin", base(at(0.6, acc(0.87), few, 0), at(0.7, est(0.8, 0.74, 0.86, 12), straddles, 0), far), result.Inconclusive,
			"its rise in dead units, +9.0 points (+0.090 [0.070, 0.120], n=12, MDE 0.05), is not shown below the margin"},
		{"one step up may still work, but few die there too", base(at(0.6, acc(0.87), few, 0), at(0.7, est(0.8, 0.74, 0.86, 12), few, 0), far), result.Refuted,
			"it may still be within the bound, and its rise is below the margin too"},
		{"one step up may still work but too many runs diverged", base(at(0.6, acc(0.87), few, 0), at(0.7, est(0.8, 0.74, 0.86, 12), dies, 4), far), result.Refuted,
			"4 of its 12 runs diverged, too many to call it a working net"},
		{"the highest working rate has too many runs diverged: the one below is read", base(at(0.5, acc(0.89), dies, 0), at(0.6, acc(0.87), few, 4), far), result.Confirmed,
			"lr 0.5 is the highest rate"},
		{"many die, but the rate read may not work and the rate below straddles", base(at(0.5, acc(0.89), straddles, 0), at(0.6, est(0.86, 0.83, 0.89, 12), dies, 0), far), result.Inconclusive,
			"beyond it, but the 95% CI of that test accuracy reaches 0.830, more than 5 points below its best, so lr 0.6 may not be a working net, and at lr 0.5, the rate below it, the rise is +9.0 points"},
		{"many die where the net may not work, and at the rate below as well", base(at(0.5, acc(0.89), dies, 0), at(0.6, est(0.86, 0.83, 0.89, 12), dies, 0), far), result.Confirmed,
			"beyond it, CONFIRMED"},
		{"many die where the net may not work, and at a rate below that may not work either", base(at(0.5, est(0.87, 0.84, 0.9, 12), dies, 0), at(0.6, est(0.86, 0.83, 0.89, 12), dies, 0), far), result.Inconclusive,
			"and lr 0.5, the rate below it, where many die too (+20.0 points), may not be a working net either (test accuracy 0.870 [0.840, 0.900], 0/12 diverged)"},
		{"many die where the net may not work, and at a rate below with too many diverged", base(at(0.5, acc(0.89), dies, 4), at(0.6, est(0.86, 0.83, 0.89, 12), dies, 0), far), result.Inconclusive,
			"may not be a working net either"},
		{"many die where the net may not work, and no rate below it", base(at(0.6, est(0.86, 0.83, 0.89, 12), dies, 0), far), result.Inconclusive,
			"and no rate between it and the best was run"},
		{"no rate above lo stays within 5 points", base(at(0.6, acc(0.8), dies, 0), far), result.Inconclusive,
			"No rate of the grid above lr 0.3 keeps ReLU's test accuracy within 5 points of its best (0.900)"},
		{"the control does not train", func() dieEvidence {
			e := base(at(0.6, acc(0.4), dies, 0))
			e.loAcc = acc(0.45)
			return e
		}(), result.Inconclusive, "no working net to start from"},
		{"no best rate", func() dieEvidence { e := base(); e.lo = math.NaN(); return e }(), result.Inconclusive, "no best rate"},
	}
	for _, c := range cases {
		checkVerdict(t, c.name, workingNetVerdict(c.e), c.want, c.why)
	}
	// When the main rule already reads a working net, the Why does not
	// claim the two disagree.
	e := base(at(0.6, acc(0.87), few, 0))
	e.hi = 0.6
	if v := workingNetVerdict(e); strings.Contains(v.Why, "main verdict") {
		t.Errorf("hi is the working rate, yet the Why compares: %q", v.Why)
	}
}

// The revive verdict's effect names the groups whose outcome differs from
// the one shown.
func TestOtherGroupsAside(t *testing.T) {
	undecided, below := &layerCame{group: "2-3", diff: pr(0.06, 0.01, 0.11)}, &layerCame{group: "1", diff: pr(0.079, 0.066, 0.091)}
	prelu := &layerCame{group: "2-3", diff: pr(-0.2, -0.38, -0.02)}
	groups := []fixGroup{{"leaky", below}, {"leaky", undecided}, {"prelu", prelu}}
	if got, want := otherGroupsAside(groups, &groups[1]), " (leaky, layer 1: +7.9 points, below the 10-point margin (REFUTED); prelu, layer 2-3: -20.0 points, below the 10-point margin (REFUTED))"; got != want {
		t.Errorf("aside %q, want %q", got, want)
	}
	if got := otherGroupsAside(groups[:1], &groups[0]); got != "" {
		t.Errorf("one group: aside %q, want none", got)
	}
}

// decidingNumbers gives the comparison that decided a fix, at the rate it
// was read at; none when no comparison decided it.
func TestDecidingNumbers(t *testing.T) {
	f := fixAtHigh{name: "leaky", diff: pr(0.053, 0.022, 0.085), shared: pr(-0.01, -0.04, 0.02), sharedLR: 0.3}
	for _, tc := range []struct {
		how  fixReading
		want string
	}{
		{readAtHigh, "+5.3 points, 95% CI +2.2 to +8.5, at lr 0.4"},
		{readShared, "-1.0 points, 95% CI -4.0 to +2.0, at lr 0.3"},
		{noSharedRate, ""},
		{reluKeeps, ""},
	} {
		if got := decidingNumbers(f, tc.how, 0.4); got != tc.want {
			t.Errorf("reading %v: %q, want %q", tc.how, got, tc.want)
		}
	}
	// With the numbers, each fix carries its own.
	got := fixesDetail([]fixAtHigh{{name: "leaky"}, {name: "prelu"}, {name: "elu"}}, []result.Outcome{result.Refuted, result.Inconclusive, result.Refuted}, []string{"+5.3 points, 95% CI +2.2 to +8.5, at lr 0.4", "", "+1.0 points, 95% CI -2.0 to +4.0, at lr 0.2"})
	if want := "leaky and elu save fewer units than the margin where ReLU loses them: leaky +5.3 points, 95% CI +2.2 to +8.5, at lr 0.4 and elu +1.0 points, 95% CI -2.0 to +4.0, at lr 0.2; prelu cannot be told (each of them must fix it)"; got != want {
		t.Errorf("%q, want %q", got, want)
	}
}

// fixesDetail names each fix under the words of its outcome, grouped in
// the fixes' order, and uses no outcome word (the report would read one
// as a part of its own).
func TestFixesDetail(t *testing.T) {
	fixes := []fixAtHigh{{name: "leaky"}, {name: "prelu"}, {name: "elu"}}
	C, R, I := result.Confirmed, result.Refuted, result.Inconclusive
	for _, tc := range []struct {
		parts []result.Outcome
		want  string
	}{
		{[]result.Outcome{R, I, I}, "leaky saves fewer units than the margin where ReLU loses them; prelu and elu cannot be told (each of them must fix it)"},
		{[]result.Outcome{C, C, C}, "leaky, prelu and elu keep their units where ReLU loses them (each of them must fix it)"},
		{[]result.Outcome{I, C, I}, "leaky and elu cannot be told; prelu keeps its units where ReLU loses them (each of them must fix it)"},
		{[]result.Outcome{result.Mixed, R, C}, "leaky points both ways; prelu saves fewer units than the margin where ReLU loses them; elu keeps its units where ReLU loses them (each of them must fix it)"},
	} {
		got := fixesDetail(fixes, tc.parts, nil)
		if got != tc.want {
			t.Errorf("fixesDetail(%v) = %q, want %q", tc.parts, got, tc.want)
		}
		for _, o := range []result.Outcome{C, R, I, result.Mixed} {
			if strings.Contains(got, string(o)) {
				t.Errorf("fixesDetail(%v) = %q holds the outcome word %s", tc.parts, got, o)
			}
		}
	}
}

// The main verdict's context names the fixes' divergence at hi when most
// of some fix's runs diverged there, with ReLU's beside it.
func TestDivergedContext(t *testing.T) {
	e := dieEvidence{hi: 0.8, reluHigh: arm{3, 40}, fixes: []fixAtHigh{{name: "leaky", runs: arm{9, 40}}, {name: "prelu", runs: arm{12, 12}}}}
	want := "at lr 0.8, where ReLU's units die, runs diverged (counted apart, not as dead units): leaky in 9 of 40, prelu in 12 of 12, against ReLU in 3 of 40"
	if got := divergedContext(e); got != want {
		t.Errorf("context %q\nwant %q", got, want)
	}
	e.fixes[1].runs = arm{6, 12}
	if got := divergedContext(e); got != "" {
		t.Errorf("no fix mostly diverged: %q, want none", got)
	}
}

// A fix read apart by initial bias is one part: its readings combine by
// result.EachHolds (one holding beside one failing: MIXED), and the Why
// names each reading's outcome.
func TestReviveCausesCombine(t *testing.T) {
	killed, born := rev("prelu", -0.3, -0.01, 0), rev("prelu", 0.5, 0.8, 0)
	killed.cause, born.cause = "bias 0, units that fell in during training", "bias -0.5, units mostly born in it"
	killed.bias, born.bias = "bias 0", "bias -0.5"
	v := reviveVerdict(reviveEvidence{setup: "test nets", fixes: []reviveFix{killed, born}})
	want := "The fixes together: MIXED (prelu MIXED (bias 0 REFUTED; bias -0.5 CONFIRMED))"
	if v.Outcome != result.Mixed || !strings.Contains(v.Why, want) || !strings.Contains(v.Why, "PReLU (bias 0, units that fell in during training) REFUTED over 5 settings") {
		t.Errorf("%s, why %q\nwant MIXED with %q", v.Outcome, v.Why, want)
	}
	if v.Effect == nil || !strings.HasPrefix(v.Effect.Name, "prelu at bias 0 minus ReLU") {
		t.Errorf("effect %+v, want the refuted reading's", v.Effect)
	}
}

func TestReviveCoverageWithoutWideCounts(t *testing.T) {
	v := reviveVerdict(reviveEvidence{setup: "test nets", fixes: []reviveFix{rev("leaky", -0.1, 0.05, 0)}})
	if v.Context != "" || strings.Contains(v.Why, "The pairs compared hold") {
		t.Errorf("without wide counts: context %q, why %q", v.Context, v.Why)
	}
}

// A reading of units born in the state is shown beside the verdict and
// decides nothing: a CONFIRMED one beside a REFUTED deciding one leaves
// the verdict REFUTED.
func TestReviveShownOnlyReading(t *testing.T) {
	killed, born := rev("prelu", -0.3, -0.01, 0), rev("prelu", 0.5, 0.8, 0)
	killed.cause, born.cause = "bias 0, units that fell in during training", "bias -0.5, units mostly born in it"
	killed.bias, born.bias = "bias 0", "bias -0.5"
	born.shownOnly = true
	v := reviveVerdict(reviveEvidence{setup: "test nets", fixes: []reviveFix{killed, born}})
	if v.Outcome != result.Refuted || !strings.Contains(v.Why, "Shown, not decided on, the units mostly born in the state") || !strings.Contains(v.Why, "PReLU (bias -0.5, units mostly born in it) CONFIRMED over 5 settings") {
		t.Errorf("%s, why %q; want REFUTED with the born reading shown", v.Outcome, v.Why)
	}
	if strings.Contains(v.Effect.Of, "bias -0.5") {
		t.Errorf("effect %q names the reading shown beside", v.Effect.Of)
	}
}

// The differences figure draws what the revive verdict decides on: each
// compared group's paired difference, nothing for a group the verdict
// does not compare, one panel per reading (the deciding one first), and
// each reading's outcome in its label.
func TestReviveDiffFigure(t *testing.T) {
	leaky := revLayers("leaky", -0.1, 0.05, 0.2, 0.3, 0, 0.1)
	leaky.cause = "bias 0, units that fell in during training"
	thin := rev("prelu", 0.2, 0.4, 0)
	thin.cause = leaky.cause
	thin.layers[0].diff = prN(1)
	born := rev("prelu", 0.2, 0.4, 0)
	born.cause, born.shownOnly = "bias -0.5, units mostly born in it", true
	gone := reviveFix{name: "elu", cause: leaky.cause, diff: prN(0), layers: []layerCame{{group: "1", diff: prN(0)}, {group: "2-3", diff: prN(0)}}}
	// Most of its runs diverged: its groups have intervals, but the
	// verdict does not read them.
	blown := rev("elu", 0.2, 0.4, 31)
	blown.cause, blown.shownOnly = born.cause, true
	fig := reviveDiffFigure(reviveEvidence{fixes: []reviveFix{leaky, thin, born, gone, blown}}, result.Mixed)
	if !strings.HasSuffix(fig.Title, ": MIXED") || len(fig.Panels) != 2 {
		t.Fatalf("title %q, %d panels; want the outcome and two panels", fig.Title, len(fig.Panels))
	}
	if p := fig.Panels[0]; p.Title != "decides the verdict: bias 0, units that fell in during training" || !slices.Equal(p.Bars.Categories, []string{"leaky\nMIXED", "prelu\nCONFIRMED", "elu\nINCONCLUSIVE"}) {
		t.Errorf("first panel %q, categories %q", p.Title, p.Bars.Categories)
	}
	if p := fig.Panels[1]; p.Title != "shown, decides nothing: bias -0.5, units mostly born in it" || !slices.Equal(p.Bars.Categories, []string{"prelu\nCONFIRMED", "elu\nINCONCLUSIVE"}) {
		t.Errorf("second panel %q, categories %q", p.Title, p.Bars.Categories)
	}
	for _, g := range fig.Panels[1].Bars.Groups {
		if v := g.Values[1]; !math.IsNaN(v) {
			t.Errorf("%s of a fix whose runs mostly diverged: %g, want none", g.Label, v)
		}
	}
	b := fig.Panels[0].Bars
	if len(b.Groups) != 2 || b.Groups[0].Label != "layer 1" || b.Groups[1].Label != "layer 2-3" {
		t.Fatalf("groups %+v", b.Groups)
	}
	for _, tc := range []struct {
		group, cat int
		want       float64 // NaN: not drawn
	}{
		{0, 0, leaky.layers[0].diff.Diff.Mean},
		{1, 0, leaky.layers[1].diff.Diff.Mean},
		{0, 1, math.NaN()}, // one seed: not compared
		{1, 1, thin.layers[1].diff.Diff.Mean},
		{0, 2, math.NaN()}, // no setting left
		{1, 2, math.NaN()},
	} {
		got := b.Groups[tc.group].Values[tc.cat]
		if math.IsNaN(tc.want) != math.IsNaN(got) || (!math.IsNaN(got) && got != tc.want) {
			t.Errorf("group %d, %q: %g, want %g", tc.group, b.Categories[tc.cat], got, tc.want)
		}
	}
	if len(b.Refs) != 1 || b.Refs[0].Y != reviveMargin {
		t.Errorf("refs %+v, want the margin", b.Refs)
	}
}

// The revive verdict's Context names the fixes it rests on when others
// were undecided.
func TestDecidedBy(t *testing.T) {
	R, I, C, M := result.Refuted, result.Inconclusive, result.Confirmed, result.Mixed
	names := []string{"leaky", "prelu", "elu"}
	for _, tc := range []struct {
		parts []result.Outcome
		want  string
	}{
		{[]result.Outcome{R, I, I}, "decided by leaky (REFUTED) alone; prelu and elu INCONCLUSIVE"},
		{[]result.Outcome{R, M, I}, "decided by leaky (REFUTED) and prelu (MIXED); elu INCONCLUSIVE"},
		{[]result.Outcome{C, C, C}, ""},
		{[]result.Outcome{I, I, I}, ""},
	} {
		if got := decidedBy(names, tc.parts); got != tc.want {
			t.Errorf("%v: %q, want %q", tc.parts, got, tc.want)
		}
	}
}

// The Context says when every group that holds is in layer 1, where
// ReLU's share is 0 by construction.
func TestLayerOneOnly(t *testing.T) {
	above, below := pr(0.3, 0.2, 0.4), pr(0, -0.05, 0.05)
	g := func(group string, d metrics.Paired) fixGroup {
		return fixGroup{"leaky", &layerCame{group: group, diff: d}}
	}
	for _, tc := range []struct {
		name   string
		groups []fixGroup
		want   bool
	}{
		{"layer 1 holds, deeper does not", []fixGroup{g("1", above), g("2-3", below)}, true},
		{"a deeper group holds too", []fixGroup{g("1", above), g("2-3", above)}, false},
		{"nothing holds", []fixGroup{g("1", below), g("2-3", below)}, false},
		{"no deeper group compared", []fixGroup{g("1", above)}, false},
	} {
		if got := layerOneOnly(tc.groups) != ""; got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

// The per-epoch escape rate joins the Context, per layer group, for the
// fixes that decide and have it.
func TestEscapeContext(t *testing.T) {
	fix := func(name string, layer1, deeper metrics.Paired, shownOnly bool) reviveFix {
		return reviveFix{name: name, bias: "bias 0", shownOnly: shownOnly,
			layers: []layerCame{{group: "1", speed: layer1}, {group: "2-3", speed: deeper}}}
	}
	fixes := []reviveFix{
		fix("leaky", pr(0.02, 0.01, 0.03), pr(-0.007, -0.015, 0.002), false),
		fix("prelu", metrics.Paired{}, pr(0.003, -0.1, 0.108), false), // layer 1 without seeds: left out
		fix("elu", metrics.Paired{}, metrics.Paired{}, false),         // no rate: left out
		fix("leaky", pr(0.5, 0.4, 0.6), pr(0.5, 0.4, 0.6), true),      // shown only: left out
	}
	want := "per epoch, the share of units in the state that left it by the epoch's end, fix minus ReLU within each setting (shown, not decided on), in points: leaky at bias 0 layer 1 +2.0 [+1.0, +3.0], layer 2-3 -0.7 [-1.5, +0.2]; prelu at bias 0 layer 2-3 +0.3 [-10.0, +10.8]; the share that came back, which the rule reads, can only grow with the epochs watched, and this rate need not stay the same either (the units still in the state late in training may be harder to free), so neither reading is free of the budget: compare the setting with twice the epochs"
	if got := escapeContext(fixes); got != want {
		t.Errorf("\n got %q\nwant %q", got, want)
	}
	if got := escapeContext(fixes[2:3]); got != "" {
		t.Errorf("no fix with a rate: %q, want none", got)
	}
}

// A compared layer group that one seed, left out, would turn is named in
// the Why; the verdict is fragile only when the turn reaches it.
func TestReviveSeedTurns(t *testing.T) {
	group := func(name string, diffs []float64) layerCame {
		return layerCame{group: name, fix: [2]int{30, 100}, relu: [2]int{20, 100}, diffs: diffs, diff: clampedDiff(metrics.OneSample(diffs))}
	}
	// Upper end 0.096, under the 0.10 margin: REFUTED; without any one of
	// its seven smallest values the upper end passes 0.10.
	knife := []float64{-0.05, 0, 0.02, 0.04, 0.05, 0.06, 0.07, 0.08, 0.1, 0.17}
	below := []float64{0, 0.01, 0.02, 0.01, 0, 0.02, 0.01, 0, 0.01, 0.02}
	wide := []float64{-0.5, 0.6, -0.4, 0.7, 0, 0.3, -0.2, 0.5, 0.1, 0.4}
	fix := func(l1, l23 []float64) reviveFix {
		f := rev("leaky", 0, 0.05, 0)
		f.layers = []layerCame{group("1", l1), group("2-3", l23)}
		return f
	}
	for _, tc := range []struct {
		name    string
		f       reviveFix
		want    result.Outcome
		why     string
		fragile string
	}{
		{"far from the margin", fix(below, below), result.Refuted, "Left out one at a time, no seed turns the reading of any compared fix and layer group.", ""},
		{"a knife edge the other group outweighs", fix(below, knife), result.Refuted, "leaky, layer 2-3 (refuted, +0.054 [0.012, 0.096], n=10, MDE 0.06): any one of 7 of its 10 seeds would turn that reading, and none the verdict (the verdict stands on leaky, layer 1, +0.010 [0.004, 0.016], n=10, MDE 0.01)", ""},
		{"a knife edge that decides", fix(wide, knife), result.Refuted, "any one of 7 of its 10 seeds would turn that reading, and 7 of those the verdict to INCONCLUSIVE", "on a knife edge: INCONCLUSIVE without any one of 7 of its 10 seeds"},
	} {
		v := reviveVerdict(reviveEvidence{setup: "test nets", fixes: []reviveFix{tc.f}})
		if v.Outcome != tc.want || !strings.Contains(v.Why, tc.why) || v.Fragile != tc.fragile {
			t.Errorf("%s: %s, fragile %q, why %q\nwant %s, fragile %q, why with %q", tc.name, v.Outcome, v.Fragile, v.Why, tc.want, tc.fragile, tc.why)
		}
		// The first screen says what a decided verdict stands on when a
		// reading of its outcome is on a knife edge.
		stands := "the refuted stands on leaky, layer 1 (+0.010 [0.004, 0.016], n=10, MDE 0.01), which no single seed left out turns (in layer 1 a dead ReLU unit cannot come back"
		if got := strings.HasPrefix(v.Context, stands); got != (tc.name == "a knife edge the other group outweighs") {
			t.Errorf("%s: context %q", tc.name, v.Context)
		}
	}
}

// One seed alone is named as one, not as "any one of 1".
func TestReviveSeedTurnsOne(t *testing.T) {
	// Upper end 0.13, straddling the 0.10 margin: INCONCLUSIVE; without
	// the 0.3 alone, the interval lies below it.
	diffs := []float64{0.04, 0.05, 0.06, 0.05, 0.04, 0.06, 0.05, 0.03, 0.07, 0.3}
	f := rev("leaky", 0, 0.05, 0)
	f.layers = []layerCame{{group: "2-3", fix: [2]int{30, 100}, relu: [2]int{20, 100}, diffs: diffs, diff: clampedDiff(metrics.OneSample(diffs))}}
	v := reviveVerdict(reviveEvidence{setup: "test nets", fixes: []reviveFix{f}})
	if v.Outcome != result.Inconclusive || !strings.Contains(v.Why, "one particular seed of its 10 would turn that reading, and the verdict to REFUTED") || v.Fragile != "on a knife edge: REFUTED without one particular seed of its 10" {
		t.Errorf("%s: why %q, fragile %q", v.Outcome, v.Why, v.Fragile)
	}
}

// The first screen says when ReLU's half alone sets the headline.
func TestFixesMootContext(t *testing.T) {
	for _, tc := range []struct {
		relu result.Outcome
		want string
	}{
		{result.Confirmed, ""},
		{result.Mixed, "ReLU's half reads MIXED, so the headline is MIXED whatever the fixes show: their half is read only against a shown loss of ReLU units that stay dead"},
		{result.Inconclusive, "ReLU's half reads INCONCLUSIVE, so the headline is INCONCLUSIVE whatever the fixes show: their half is read only against a shown loss of ReLU units that stay dead"},
	} {
		if got := fixesMootContext(tc.relu); got != tc.want || mainOutcome(tc.relu, result.Refuted) != tc.relu && tc.relu != result.Confirmed {
			t.Errorf("%s: %q, want %q", tc.relu, got, tc.want)
		}
	}
}
