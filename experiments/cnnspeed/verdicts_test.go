package cnnspeed

import (
	"math"
	"strings"
	"testing"

	"github.com/reluexp/reluexp/experiments/harness"
	"github.com/reluexp/reluexp/experiments/internal/exptest"
	"github.com/reluexp/reluexp/experiments/kit"
	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/metrics"
)

const (
	C = result.Confirmed
	R = result.Refuted
	M = result.Mixed
	I = result.Inconclusive
)

// lpd is a paired log ratio over 10 seeds whose 95% interval, as ratios,
// is [lo, hi]; its MDE is 1.4 half-widths.
func lpd(lo, hi float64) metrics.Paired {
	l, h := math.Log(lo), math.Log(hi)
	m, w := (l+h)/2, (h-l)/2
	return metrics.Paired{Diff: metrics.Estimate{Mean: m, Lo: l, Hi: h, SD: w, N: 10}, Lo90: m - 0.8*w, Hi90: m + 0.8*w, MDE: 1.4 * w}
}

// trained is an arm of 10 seeds that all reached the threshold.
func trained(name string) arm {
	return arm{name: name, n: 10, reached: 10, median: 400, lrs: "0.1"}
}

func withBudget(a arm, k int) arm {
	a.reached -= k
	a.budget += k
	return a
}

func withEdge(a arm) arm {
	a.edge = "the lowest rate, 0.01,"
	return a
}

func TestDecideRung(t *testing.T) {
	untrained := arm{name: "relu", n: 10, reached: 4, budget: 6, median: math.Inf(1), lrs: "0.1"}
	cases := []struct {
		name      string
		relu, arm arm
		p         metrics.Paired
		want      result.Outcome
		whyHas    string
	}{
		{"relu did not train", untrained, trained("tanh"), lpd(2, 3), I, "reached it on only 4 of 10"},
		{"beyond the margin", trained("relu"), trained("tanh"), lpd(1.5, 3), C, "1.50, 3.00"},
		{"below the margin", trained("relu"), trained("tanh"), lpd(0.8, 1.2), R, "0.80, 1.20"},
		{"straddles", trained("relu"), trained("tanh"), lpd(1.1, 1.6), I, "straddling the margin"},
		{"straddles, too few seeds", trained("relu"), trained("tanh"), lpd(0.5, 3), I, "more seeds could tell"},
		{"beyond, but relu censored", withBudget(trained("relu"), 2), trained("tanh"), lpd(1.5, 3), I, "2 relu run(s) counted at the budget flatter relu"},
		{"beyond, other censored: a lower bound holds", trained("relu"), withBudget(trained("tanh"), 3), lpd(1.5, 3), C, "ratio is a lower bound"},
		{"below, but other censored", trained("relu"), withBudget(trained("tanh"), 1), lpd(0.8, 1.2), I, "could be slower still"},
		{"below, relu censored: still below", withBudget(trained("relu"), 1), trained("tanh"), lpd(0.8, 1.2), R, "0.80, 1.20"},
		{"below, but relu at the grid's edge", withEdge(trained("relu")), trained("tanh"), lpd(0.8, 1.2), I, "might make ReLU faster"},
		{"beyond, but other at the grid's edge", trained("relu"), withEdge(trained("tanh")), lpd(1.5, 3), I, "might make tanh faster"},
		{"beyond, relu at the grid's edge: holds", withEdge(trained("relu")), trained("tanh"), lpd(1.5, 3), C, "1.50, 3.00"},
		{"one seed: no interval", trained("relu"), trained("tanh"), metrics.Paired{Diff: metrics.Estimate{Mean: 1, Lo: math.NaN(), Hi: math.NaN(), N: 1}, MDE: math.Inf(1)}, I, "no interval"},
	}
	for _, c := range cases {
		got, why := decideRung(rung{threshold: 0.2, relu: c.relu, arm: c.arm, p: c.p}, 1500)
		if got != c.want || !strings.Contains(why, c.whyHas) {
			t.Errorf("%s: %s (%s); want %s with %q", c.name, got, why, c.want, c.whyHas)
		}
	}
}

func TestAlexNetLine(t *testing.T) {
	for _, c := range []struct {
		name   string
		arm    arm
		p      metrics.Paired
		whyHas string
	}{
		{"excluded", trained("tanh"), lpd(1.1, 2), "is excluded (upper bound 2.00x)"},
		{"within", trained("tanh"), lpd(3, 8), "is within the interval"},
		{"below the interval", trained("tanh"), lpd(7, 9), "lies below the interval"},
		{"above but censored", withBudget(trained("tanh"), 2), lpd(1.1, 2), "within reach"},
	} {
		if got := alexNetLine(rung{arm: c.arm, p: c.p}); !strings.Contains(got, c.whyHas) {
			t.Errorf("%s: %q lacks %q", c.name, got, c.whyHas)
		}
	}
}

// ladder is the evidence for tanh over three thresholds with the given
// ratio intervals.
func ladder(control *kit.TimingControl, ps ...metrics.Paired) ladderEvidence {
	e := ladderEvidence{name: "tanh", budget: 1500, control: control, caveat: "test setting"}
	for i, p := range ps {
		e.rungs = append(e.rungs, rung{threshold: 0.25 - 0.05*float64(i), relu: trained("relu"), arm: trained("tanh"), p: p})
	}
	return e
}

func TestLadderVerdict(t *testing.T) {
	idle := &kit.TimingControl{CPUShare: 0.97, Load: 1, CPUs: 2}
	busy := &kit.TimingControl{CPUShare: 0.4, Load: 9, CPUs: 2}
	unknown := &kit.TimingControl{CPUShare: math.NaN(), Load: -1, CPUs: 2}
	cases := []struct {
		name   string
		e      ladderEvidence
		what   string
		want   result.Outcome
		whyHas string
		effect float64 // the deciding rung's ratio (geometric mean)
		of     string  // the effect's Of: the deciding rung, and every other rung
	}{
		{"all beyond: the smallest decides", ladder(nil, lpd(1.5, 3), lpd(2, 4), lpd(1.3, 1.8)), "updates", C, "Over the ladder: CONFIRMED", math.Sqrt(1.3 * 1.8), "to 15% error (at 25%: 2.12x CONFIRMED; at 20%: 2.83x CONFIRMED)"},
		{"all below: the largest decides", ladder(nil, lpd(0.8, 1.1), lpd(0.9, 1.2)), "updates", R, "Over the ladder: REFUTED", math.Sqrt(0.9 * 1.2), "to 20% error (at 25%: 0.94x REFUTED)"},
		{"mixed", ladder(nil, lpd(1.5, 3), lpd(0.8, 1.1)), "updates", M, "Over the ladder: MIXED", math.Sqrt(0.8 * 1.1), "to 20% error (at 25%: 2.12x CONFIRMED)"},
		{"one undecided", ladder(nil, lpd(1.5, 3), lpd(1.1, 1.6)), "updates", I, "Over the ladder: INCONCLUSIVE (CONFIRMED at 1 of 2 rungs, INCONCLUSIVE at 1; the claim is about each rung", math.Sqrt(1.1 * 1.6), "to 20% error (at 25%: 2.12x CONFIRMED)"},
		// The claim is about each rung (kit.EachHolds): two rungs shown
		// below the margin refute it though a third is undecided, and the
		// effect is the weaker of the refuting rungs, the undecided one
		// named beside it.
		{"two below, one undecided", ladder(nil, lpd(1.1, 1.6), lpd(0.8, 1.1), lpd(0.5, 0.8)), "updates", R, "Over the ladder: REFUTED (INCONCLUSIVE at 1 of 3 rungs, REFUTED at 2; the claim is about each rung: one shown not to hold, with none shown to hold, refutes it", math.Sqrt(0.8 * 1.1), "to 20% error (at 25%: 1.33x INCONCLUSIVE; at 15%: 0.63x REFUTED)"},
		{"one beyond, one below, one undecided", ladder(nil, lpd(1.5, 3), lpd(1.1, 1.6), lpd(0.5, 0.8)), "updates", M, "Over the ladder: MIXED", math.Sqrt(0.5 * 0.8), "to 15% error (at 25%: 2.12x CONFIRMED; at 20%: 1.33x INCONCLUSIVE)"},
		{"seconds on an idle machine", ladder(idle, lpd(1.5, 3)), "seconds", C, "core for 97.0%", math.Sqrt(1.5 * 3), ""},
		{"seconds on a busy machine", ladder(busy, lpd(1.5, 3)), "seconds", I, "INCONCLUSIVE: the timing thread had a core for only 40.0%", math.Sqrt(1.5 * 3), ""},
		{"seconds, share unknown", ladder(unknown, lpd(1.5, 3)), "seconds", C, "could not be measured", math.Sqrt(1.5 * 3), ""},
	}
	censored := ladder(nil, lpd(1.5, 3), lpd(2, 4))
	censored.rungs[0].arm = withBudget(trained("tanh"), 10)
	cases = append(cases, struct {
		name   string
		e      ladderEvidence
		what   string
		want   result.Outcome
		whyHas string
		effect float64
		of     string
	}{"the deciding rung censored at the budget", censored, "updates", C, "Over the ladder: CONFIRMED", math.Sqrt(1.5 * 3), "to 25% error (a lower bound: 10 of 10 tanh runs counted at the budget; at 20%: 2.83x CONFIRMED)"})
	for _, c := range cases {
		v := ladderVerdict(c.e, c.what)
		t.Run(c.name, func(t *testing.T) {
			exptest.CheckVerdicts(t, &result.Result{Verdicts: []result.Verdict{v}}, map[string]int{"C2": 1})
		})
		if v.Outcome != c.want || !strings.Contains(v.Why, c.whyHas) {
			t.Errorf("%s: %s (%s); want %s with %q", c.name, v.Outcome, v.Why, c.want, c.whyHas)
		}
		if v.Effect == nil || math.Abs(v.Effect.Estimate.Mean-c.effect) > 1e-9 {
			t.Errorf("%s: effect %+v, want ratio %g", c.name, v.Effect, c.effect)
		}
		if v.Effect != nil && v.Effect.Of != c.of {
			t.Errorf("%s: effect of %q, want %q", c.name, v.Effect.Of, c.of)
		}
		if len(v.Evidence) != len(c.e.rungs) || !strings.Contains(v.Why, "AlexNet's 6x") {
			t.Errorf("%s: %d evidence rows for %d thresholds, or no AlexNet line: %s", c.name, len(v.Evidence), len(c.e.rungs), v.Why)
		}
		if isTiming := strings.HasPrefix(v.Rule, "Timing verdict"); isTiming != (c.e.control != nil) {
			t.Errorf("%s: rule %q: timing prefix %v, want %v", c.name, v.Rule, isTiming, c.e.control != nil)
		}
	}
}

func TestCrossings(t *testing.T) {
	checks := []check{{0, 0.9}, {50, 0.5}, {100, 0.3}, {150, 0.2}}
	for _, c := range []struct {
		name       string
		checks     []check
		thresholds []float64
		diverged   bool
		steps      []float64
		reached    []bool
	}{
		{"interpolated", checks, []float64{0.7, 0.4, 0.2}, false, []float64{25, 75, 150}, []bool{true, true, true}},
		{"on a check", checks, []float64{0.5}, false, []float64{50}, []bool{true}},
		{"never", checks, []float64{0.1}, false, []float64{0}, []bool{false}},
		{"at the first check", []check{{0, 0.3}}, []float64{0.5}, false, []float64{0}, []bool{true}},
		{"diverged reaches nothing", checks, []float64{0.7}, true, []float64{0}, []bool{false}},
		{"not monotone: the first crossing", []check{{0, 0.9}, {10, 0.3}, {20, 0.6}, {30, 0.1}}, []float64{0.5}, false, []float64{10 * 0.4 / 0.6}, []bool{true}},
	} {
		steps, reached := crossings(c.checks, c.thresholds, c.diverged)
		for i := range c.thresholds {
			if reached[i] != c.reached[i] || math.Abs(steps[i]-c.steps[i]) > 1e-9 {
				t.Errorf("%s: threshold %g: %v at %g, want %v at %g", c.name, c.thresholds[i], reached[i], steps[i], c.reached[i], c.steps[i])
			}
		}
	}
}

// reached is a run that crossed one threshold at the given update.
func reachedAt(steps float64) run {
	return run{Checks: []check{{0, 0.9}}, StepsTo: []float64{steps}, Reached: []bool{true}, Steps: int(steps), DivergedStep: -1}
}

func neverReached() run {
	return run{Checks: []check{{0, 0.9}}, StepsTo: []float64{0}, Reached: []bool{false}, Steps: 100, DivergedStep: -1}
}

// synthetic builds a summary from runs by activation, rate and seed.
func synthetic(c *Config, runs map[lrKey][]run) *summary {
	done := []harness.Done[cell, cellResult]{{Result: cellResult{Timing: &timing{}}}}
	for k, rs := range runs {
		for seed, r := range rs {
			r := r
			done = append(done, harness.Done[cell, cellResult]{Params: cell{Kind: "train", Variant: k.variant, LR: k.lr, Seed: seed}, Result: cellResult{Train: &r}})
		}
	}
	return read(c, done)
}

// Each half of the seeds is read at the rate fastest on the other half,
// and a run that never reached the threshold counts at the budget.
func TestCrossFittedRatesAndCensoring(t *testing.T) {
	c := &Config{Variants: []string{"relu", "tanh"}, LRs: []float64{0.01, 0.1}, Seeds: 4, MaxSteps: 100, Thresholds: []float64{0.2}, Batch: 10, TrainExamples: 100}
	s := synthetic(c, map[lrKey][]run{
		// relu: 0.1 is faster on the even seeds (0, 2), 0.01 on the odd.
		{"relu", 0.01}: {reachedAt(50), reachedAt(20), reachedAt(50), reachedAt(20)},
		{"relu", 0.1}:  {reachedAt(10), reachedAt(40), reachedAt(10), reachedAt(40)},
		// tanh: 0.01 everywhere; seed 3 never reaches at 0.01.
		{"tanh", 0.01}: {reachedAt(40), reachedAt(40), reachedAt(40), neverReached()},
		{"tanh", 0.1}:  {neverReached(), neverReached(), neverReached(), neverReached()},
	})
	if got := s.chosen["relu"][0]; got != [2]float64{0.1, 0.01} {
		t.Errorf("relu's rates chosen on the even and odd seeds: %v, want [0.1 0.01]", got)
	}
	// Seed 0 (even) is read at the rate chosen on the odd seeds.
	for seed, want := range []float64{0.01, 0.1, 0.01, 0.1} {
		if got := s.lrFor("relu", 0, seed); got != want {
			t.Errorf("relu seed %d read at %g, want %g", seed, got, want)
		}
	}
	logs := s.logUpdates("tanh", 0)
	for seed, want := range []float64{40, 40, 40, 100} {
		if got := math.Exp(logs[seed]); math.Abs(got-want) > 1e-9 {
			t.Errorf("tanh seed %d: %g updates, want %g", seed, got, want)
		}
	}
	a := s.armOf("tanh", 0)
	if a.reached != 3 || a.budget != 1 || a.edge == "" {
		t.Errorf("tanh arm %+v: want 3 reached, 1 out of budget, at the grid's edge (two rates)", a)
	}
	// relu as read: seeds 0, 2 at 0.01 (50), seeds 1, 3 at 0.1 (40).
	p := s.updatesRatio("tanh", 0)
	want := (math.Log(40.0/50) + math.Log(40.0/40) + math.Log(40.0/50) + math.Log(100.0/40)) / 4
	if p.Diff.N != 4 || math.Abs(p.Diff.Mean-want) > 1e-12 {
		t.Errorf("paired log ratio %+v, want mean %g over 4 seeds", p.Diff, want)
	}
}

// When no rate reaches the threshold on a half, the rate whose runs ended
// closest to it is chosen, not the first of the grid.
func TestRateWhenNoneReaches(t *testing.T) {
	c := &Config{Variants: []string{"relu", "sigmoid"}, LRs: []float64{0.003, 0.03, 0.1}, Seeds: 2, MaxSteps: 100, Thresholds: []float64{0.1}, Batch: 10, TrainExamples: 100}
	ended := func(err float64, diverged bool) run {
		r := neverReached()
		r.Checks = append(r.Checks, check{100, err})
		r.Diverged = diverged
		return r
	}
	s := synthetic(c, map[lrKey][]run{
		{"relu", 0.003}:    {reachedAt(50), reachedAt(50)},
		{"relu", 0.03}:     {reachedAt(50), reachedAt(50)},
		{"relu", 0.1}:      {reachedAt(50), reachedAt(50)},
		{"sigmoid", 0.003}: {ended(0.85, false), ended(0.85, false)},
		{"sigmoid", 0.03}:  {ended(0.2, false), ended(0.25, false)},
		{"sigmoid", 0.1}:   {ended(0.05, true), ended(0.05, true)},
	})
	if got := s.chosen["sigmoid"][0]; got != [2]float64{0.03, 0.03} {
		t.Errorf("sigmoid's rates %v, want 0.03 on both halves (closest to the threshold; 0.1 diverged)", got)
	}
	if got := s.chosen["relu"][0]; got != [2]float64{0.003, 0.003} {
		t.Errorf("relu's rates %v, want the smaller of equals, 0.003", got)
	}
}

// ReLU's layer share, which scales the null arm's reach for a slower
// activation, is the mean over repetitions of its layers over its step.
func TestReluLayerShare(t *testing.T) {
	s := &summary{timing: &timing{Steps: []stepSample{
		{Variant: "relu", Rep: 0, StepNs: 1000, ActivationNs: 80},
		{Variant: "relu", Rep: 1, StepNs: 1000, ActivationNs: 120},
		{Variant: "tanh", Rep: 0, StepNs: 1200, ActivationNs: 300},
	}}}
	if got := s.reluLayerShare(); math.Abs(got-0.1) > 1e-12 {
		t.Errorf("ReLU's layer share %g, want 0.1", got)
	}
}

// A decided rung whose interval ends within 1% of the margin, and whose
// outcome decides the ladder's, is named as a knife edge; far from the
// margin, or not deciding, it is not.
func TestKnifeEdgeRungs(t *testing.T) {
	C, R := result.Confirmed, result.Refuted
	at := func(lo, hi float64) rung { r := ladder(nil, lpd(lo, hi)).rungs[0]; return r }
	for _, tc := range []struct {
		name    string
		rs      []rung
		outs    []result.Outcome
		o       result.Outcome
		fragile string
	}{
		{"lower end 0.5% above the margin, deciding a MIXED", []rung{at(1.256, 1.6), at(0.5, 0.8)}, []result.Outcome{C, R}, result.Mixed, "on a knife edge: REFUTED had the 25% threshold's interval reached the margin"},
		{"far from the margin", []rung{at(1.5, 3), at(0.5, 0.8)}, []result.Outcome{C, R}, result.Mixed, ""},
		{"near the margin but not deciding", []rung{at(0.5, 1.249), at(0.5, 0.8)}, []result.Outcome{R, R}, result.Refuted, ""},
	} {
		why, fragile := knifeEdgeRungs(tc.rs, tc.outs, tc.o)
		if fragile != tc.fragile || (why == "") != (tc.fragile == "") {
			t.Errorf("%s: why %q, fragile %q; want %q", tc.name, why, fragile, tc.fragile)
		}
	}
}
