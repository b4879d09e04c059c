package zerocentered

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/reluexp/reluexp/experiments/kit"
	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/metrics"
)

// The mechanism rule's thresholds.
const (
	// forcedSameSign is the fraction one example per update must give behind
	// inputs >= 0: its gradient is x dL/dz, every component with the sign of
	// dL/dz. An identity, so it is compared exactly, with no tolerance.
	forcedSameSign = 1.0
	// bothSignsCeiling: a choice; a layer fed by inputs of both signs whose
	// units move all weights one way in under half the updates has no
	// direction forced on it.
	bothSignsCeiling = 0.5
	// minibatchFloor: a choice; the constraint counts as surviving minibatch
	// averaging while at least half the updates still move all weights one way.
	minibatchFloor = 0.5
)

// signGroupEvidence is the sign cells of one layer, fed by one source, at
// one batch size.
type signGroupEvidence struct {
	group       signGroup
	nonNegative bool             // every input the layer received, in every cell, was >= 0
	fractions   []float64        // the same-sign fraction of each cell; NaN where no unit moved
	fraction    metrics.Estimate // their mean [95% CI], clamped to [0, 1]
}

// sameSignEvidence is what the mechanism rule reads.
type sameSignEvidence struct {
	batches []int               // the batch sizes measured, as configured
	groups  []signGroupEvidence // ordered by layer, source, then batch size
}

// sameSignVerdict is the C6 rule on the mechanism: at batch size 1, every
// cell whose layer received only non-negative inputs must have same-sign
// fraction exactly 1, and layers fed by inputs of both signs a mean below
// 1/2 (no forced direction). REFUTED if either fails. Otherwise CONFIRMED
// if, at every batch size measured, the non-negative groups keep a mean
// fraction of at least 1/2 (the constraint survives minibatch averaging),
// and MIXED if it falls below 1/2 at some batch size (it holds per example
// only). Without batch size 1 the rule cannot be applied: MIXED.
func sameSignVerdict(e sameSignEvidence) result.Verdict {
	v := result.Verdict{Claim: "C6",
		Statement: "non-negative inputs to a layer (ReLU or sigmoid outputs) force all weights into a unit to move in the same direction",
		Rule: fmt.Sprintf("at batch size 1: every cell whose layer received only inputs >= 0 has same-sign fraction exactly %g, and every layer fed by inputs of both signs a mean below %g — else REFUTED; "+
			"then CONFIRMED if at every batch size measured each non-negative group keeps a mean fraction >= %g, MIXED if it falls below %g at some batch size (the constraint holds per example but minibatch averaging removes it)",
			forcedSameSign, bothSignsCeiling, minibatchFloor, minibatchFloor)}
	if !slices.Contains(e.batches, 1) {
		v.Outcome = result.Mixed
		v.Why = "batch size 1 was not measured, so the rule cannot be applied."
		return v
	}
	largest := slices.Max(e.batches)
	t := tallySameSign(e.groups, largest)
	v.Evidence = t.evidence
	switch {
	case !t.forcedAtOne || !t.bothSignsLow:
		v.Outcome = result.Refuted
		v.Why = fmt.Sprintf("At batch size 1 the lowest same-sign fraction behind non-negative inputs was %.4f (the rule needs exactly %g) and layers fed by both signs %s a mean below %g.",
			t.worstAtOne, forcedSameSign, map[bool]string{true: "all had", false: "did not all have"}[t.bothSignsLow], bothSignsCeiling)
	case !t.fellBelow:
		v.Outcome = result.Confirmed
		v.Why = fmt.Sprintf("With one example per update every unit behind non-negative inputs moved all its weights the same way (fraction %g), and it still did in at least half the updates at every batch size up to %d.", forcedSameSign, largest)
	default:
		v.Outcome = result.Mixed
		v.Why = mixedSameSignWhy(e.batches, t)
	}
	leadWithReLU(v.Evidence)
	return v
}

// sameSignTally is what the mechanism rule finds in the groups.
type sameSignTally struct {
	forcedAtOne  bool    // every cell behind inputs >= 0 at batch 1 had fraction exactly forcedSameSign
	worstAtOne   float64 // the lowest of those fractions (NaN if any was)
	bothSignsLow bool    // every group fed by both signs at batch 1 had a mean below bothSignsCeiling
	fellBelow    bool    // some group behind inputs >= 0 at a larger batch had a mean below minibatchFloor
	// sources names the groups behind inputs >= 0 at the larger batches,
	// first seen first; means holds their formatted means, batch by batch.
	sources  []string
	means    map[string][]string
	evidence []result.Evidence
}

// tallySameSign walks the groups once. Evidence: every group at batch 1,
// and the non-negative groups at the largest batch.
func tallySameSign(groups []signGroupEvidence, largest int) sameSignTally {
	t := sameSignTally{forcedAtOne: true, bothSignsLow: true, worstAtOne: math.Inf(1), means: map[string][]string{}}
	for _, ge := range groups {
		g, e := ge.group, ge.fraction
		if g.batch == 1 {
			if ge.nonNegative {
				for _, f := range ge.fractions {
					t.worstAtOne = math.Min(t.worstAtOne, f)
					if f != forcedSameSign {
						t.forcedAtOne = false
					}
				}
				t.evidence = append(t.evidence, result.Evidence{Name: fmt.Sprintf("%s (all >= 0), batch 1: same-sign fraction", g.fedBy()), Estimate: e})
			} else {
				if !(e.Mean < bothSignsCeiling) {
					t.bothSignsLow = false
				}
				t.evidence = append(t.evidence, result.Evidence{Name: fmt.Sprintf("%s (both signs), batch 1: same-sign fraction", g.fedBy()), Estimate: e})
			}
			continue
		}
		if ge.nonNegative {
			if g.batch == largest {
				t.evidence = append(t.evidence, result.Evidence{Name: fmt.Sprintf("%s (all >= 0), batch %d: same-sign fraction", g.fedBy(), g.batch), Estimate: e})
			}
			if _, ok := t.means[g.fedBy()]; !ok {
				t.sources = append(t.sources, g.fedBy())
			}
			t.means[g.fedBy()] = append(t.means[g.fedBy()], fmt.Sprintf("%.2f", e.Mean))
			t.fellBelow = t.fellBelow || e.Mean < minibatchFloor
		}
	}
	return t
}

// mixedSameSignWhy quotes, per non-negative source, its mean fraction at
// each batch size above 1.
func mixedSameSignWhy(batches []int, t sameSignTally) string {
	var larger []string
	for _, b := range batches {
		if b > 1 {
			larger = append(larger, kit.Itoa(b))
		}
	}
	var parts []string
	for _, src := range t.sources {
		parts = append(parts, fmt.Sprintf("%s for %s", strings.Join(t.means[src], ", "), src))
	}
	return fmt.Sprintf("With one example per update every unit behind non-negative inputs moved all its weights the same way (fraction exactly %g, against near 0 behind inputs of both signs), "+
		"but averaging over a minibatch mixes the signs: at batch %s %s the fraction was %s.", forcedSameSign, map[bool]string{true: "size", false: "sizes"}[len(larger) == 1], strings.Join(larger, ", "), strings.Join(parts, "; "))
}

// leadWithReLU puts ReLU at batch 1, the case the blog describes, first and
// the other non-negative groups next: reports quote the first number of a
// verdict.
func leadWithReLU(evidence []result.Evidence) {
	slices.SortStableFunc(evidence, func(a, b result.Evidence) int {
		rank := func(e result.Evidence) int {
			switch {
			case strings.HasPrefix(e.Name, "relu outputs (all >= 0), batch 1"):
				return 0
			case strings.Contains(e.Name, "(all >= 0)"):
				return 1
			}
			return 2
		}
		return rank(a) - rank(b)
	})
}

// minSpeedup is the smallest ratio of steps (geometric means) that counts as
// a difference in speed at all: a choice, as a few steps either way is not one.
const minSpeedup = 1.1

// armSpeed is one arm at its best learning rate.
type armSpeed struct {
	arm      string
	lr       float64
	logSteps metrics.Estimate // log10 steps to the target, mean [95% CI] over seeds
}

// speedComparison is an uncentred arm and its centred counterpart.
type speedComparison struct{ uncentred, centred armSpeed }

// speedEvidence is what the speed rule reads: the pairs, and the setup its
// text quotes.
type speedEvidence struct {
	window int
	target float64
	lrs    []float64
	pairs  []speedComparison
}

// What one pair shows.
const (
	centredFaster     = "centred faster"
	uncentredFaster   = "uncentred faster"
	noClearDifference = "no clear difference"
)

// compareSpeed reads one pair: one arm is faster if the upper end of its
// 95% CI of mean log10 steps lies below the lower end of the other's and it
// needs at least minSpeedup times fewer steps.
func compareSpeed(uncentred, centred metrics.Estimate) string {
	margin := math.Log10(minSpeedup)
	switch {
	case centred.Hi < uncentred.Lo && uncentred.Mean-centred.Mean >= margin:
		return centredFaster
	case uncentred.Hi < centred.Lo && centred.Mean-uncentred.Mean >= margin:
		return uncentredFaster
	}
	return noClearDifference
}

// speedVerdict is the C6 rule on the consequence: for each pair
// (uncentred, centred), both at their best learning rate, compareSpeed.
// CONFIRMED if the centred arm is faster in every pair; REFUTED if it is
// faster in none (a pair where the uncentred arm is faster counts as one
// where the centred is not); MIXED otherwise, and MIXED without any pair.
func speedVerdict(e speedEvidence) result.Verdict {
	v := result.Verdict{Claim: "C6",
		Statement: "zero-centred activations and inputs train faster than non-negative ones (the consequence of the zig-zag)",
		Rule: fmt.Sprintf("steps until the mean training loss over %d steps is <= %g, each arm at its best learning rate from %v; for each pair (uncentred, centred) the centred arm is faster if its 95%% CI of mean log10 steps lies wholly below the uncentred arm's "+
			"and its geometric mean is at least %g times smaller. CONFIRMED if the centred arm is faster in every pair; REFUTED if in none; MIXED otherwise", e.window, e.target, e.lrs, minSpeedup)}
	if len(e.pairs) == 0 {
		v.Outcome = result.Mixed
		v.Why = "the arms contain no uncentred/centred pair (e.g. sigmoid/raw with tanh/raw, or relu/raw with relu/std), so the rule cannot be applied."
		return v
	}
	faster := 0
	var parts []string
	listed := map[string]bool{}
	addArm := func(a armSpeed) {
		if !listed[a.arm] {
			listed[a.arm] = true
			v.Evidence = append(v.Evidence, result.Evidence{Name: fmt.Sprintf("%s (lr %g): log10 steps to target", a.arm, a.lr), Estimate: a.logSteps, Unit: "log10 steps"})
		}
	}
	for _, p := range e.pairs {
		addArm(p.uncentred)
		addArm(p.centred)
		shows := compareSpeed(p.uncentred.logSteps, p.centred.logSteps)
		if shows == centredFaster {
			faster++
		}
		parts = append(parts, fmt.Sprintf("%s %.0f vs %s %.0f steps (%s)", p.uncentred.arm, kit.Pow10(p.uncentred.logSteps.Mean), p.centred.arm, kit.Pow10(p.centred.logSteps.Mean), shows))
	}
	switch faster {
	case len(e.pairs):
		v.Outcome = result.Confirmed
	case 0:
		v.Outcome = result.Refuted
	default:
		v.Outcome = result.Mixed
	}
	v.Why = fmt.Sprintf("The centred arm was faster in %d of %d pairs: %s.", faster, len(e.pairs), strings.Join(parts, "; "))
	return v
}
