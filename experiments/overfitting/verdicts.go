package overfitting

import (
	"fmt"
	"math"
	"strings"

	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/metrics"
)

// Every rule here reads comparisons of two groups of seeds, each given as a
// Welch 95% interval of the difference of their means (metrics.WelchDiffCI),
// and counts in how many the interval excludes no difference, on which side.

// noDifference is the null value every interval is read against: the two
// groups of runs do not differ.
const noDifference = 0.0

// significance reads a Welch interval: +1 if it lies above 0, -1 if below,
// 0 if it contains 0 or is undefined (fewer than two runs on a side).
func significance(e metrics.Estimate) int {
	switch {
	case math.IsNaN(e.SD) || math.IsNaN(e.Lo) || math.IsNaN(e.Hi):
		return 0
	case e.Lo > noDifference:
		return 1
	case e.Hi < noDifference:
		return -1
	}
	return 0
}

// tally counts the outcomes of a set of comparisons.
type tally struct{ up, down, total int }

func (t *tally) add(e metrics.Estimate) {
	t.total++
	switch significance(e) {
	case 1:
		t.up++
	case -1:
		t.down++
	}
}

// The thresholds of the rule shared by the C10 gap and the C11 verdicts, as
// their rule texts state them; none comes from a paper, all are choices.
const (
	// majorityShare: CONFIRMED needs the expected direction in more than
	// this share of the comparisons ("more than half"), so that a claim read
	// at several sizes must hold at most of them.
	majorityShare = 0.5
	// toleratedOpposite: CONFIRMED also needs at most this many comparisons
	// significant the other way ("and ... in none").
	toleratedOpposite = 0
	// refutedAtMost: REFUTED when at most this many comparisons show the
	// expected direction ("REFUTED if ... in none").
	refutedAtMost = 0
)

// outcome applies the rule shared by the verdicts below: CONFIRMED if the
// expected direction holds significantly in more than half of the
// comparisons and the opposite direction in none; REFUTED if the expected
// direction holds in none; MIXED otherwise.
func (t tally) outcome(expected, opposite int) result.Outcome {
	switch {
	case float64(expected) > majorityShare*float64(t.total) && opposite <= toleratedOpposite:
		return result.Confirmed
	case expected <= refutedAtMost:
		return result.Refuted
	}
	return result.Mixed
}

// reluGapEvidence is what the "ReLU overfits more" rule reads: without
// dropout, at each size, ReLU's gap at the matched training accuracy minus
// each other activation's.
type reluGapEvidence struct {
	// inapplicable: the configuration lacks relu, both tanh and sigmoid, or
	// the runs without dropout.
	inapplicable bool
	sizes        []reluGapAtSize
}

// reluGapAtSize is one size's comparisons, at its matched level.
type reluGapAtSize struct {
	size   int
	level  float64 // matched training accuracy
	versus []gapDifference
}

// gapDifference is ReLU's gap minus another activation's, in pp.
type gapDifference struct {
	other string
	diff  metrics.Estimate
}

// reluGapVerdict: C10, ReLU overfits more, read at equal training accuracy
// so that a net that fits faster is not blamed for opening its gap sooner.
func reluGapVerdict(e reluGapEvidence) result.Verdict {
	v := result.Verdict{Claim: "C10",
		Statement: "at equal training accuracy, ReLU nets have a larger generalisation gap than tanh and sigmoid nets",
		Rule: "without dropout, each run's gap (training minus test accuracy) is read where its training accuracy first reaches the matched level of its size " +
			"(the highest training accuracy every run of that size reached, at most match-level); for each size and each of tanh and sigmoid, the Welch 95% CI of ReLU's mean gap minus the other's: " +
			"CONFIRMED if ReLU's gap is larger (CI above 0) in more than half of these comparisons and smaller (CI below 0) in none; REFUTED if it is larger in none; MIXED otherwise"}
	if e.inapplicable {
		v.Outcome = result.Mixed
		v.Why = "the configuration lacks relu, both tanh and sigmoid, or the runs without dropout, so the rule cannot be applied."
		return v
	}
	var t tally
	var parts []string
	for _, at := range e.sizes {
		var ds []string
		for _, g := range at.versus {
			t.add(g.diff)
			v.Evidence = append(v.Evidence, result.Evidence{
				Name:     fmt.Sprintf("n=%d, training accuracy %.3f: relu gap minus %s gap", at.size, at.level, g.other),
				Estimate: g.diff, Unit: "pp"})
			ds = append(ds, fmt.Sprintf("%+.2f vs %s", g.diff.Mean, g.other))
		}
		parts = append(parts, fmt.Sprintf("n=%d %s", at.size, strings.Join(ds, ", ")))
	}
	v.Outcome = t.outcome(t.up, t.down)
	v.Why = fmt.Sprintf("Without dropout, ReLU's gap at equal training accuracy was significantly larger in %d, smaller in %d and indistinguishable in %d of %d comparisons (ReLU minus other, pp: %s).",
		t.up, t.down, t.total-t.up-t.down, t.total, strings.Join(parts, "; "))
	return v
}

// dropoutGapEvidence is what the "dropout shrinks the gap" rule reads.
type dropoutGapEvidence struct {
	// inapplicable: the configuration lacks hidden-dropout 0 or a rate
	// above 0.
	inapplicable bool
	effects      []dropoutEffect
}

// dropoutEffect is what one nonzero hidden rate did to one activation at
// one size, compared with no dropout.
type dropoutEffect struct {
	variant string
	size    int
	dropout string           // the setting, labelled as in the tables
	gap     metrics.Estimate // final gap with dropout minus without, pp
	// test is the final test accuracy with dropout minus without, as a
	// fraction: the rule reports only its direction.
	test metrics.Estimate
}

// dropoutGapVerdict: C10, dropout is a remedy for overfitting.
func dropoutGapVerdict(e dropoutGapEvidence) result.Verdict {
	v := result.Verdict{Claim: "C10", Statement: "dropout shrinks the generalisation gap",
		Rule: "for each activation, size and nonzero hidden dropout rate, the Welch 95% CI of the final gap with dropout minus the final gap without: " +
			"CONFIRMED if dropout shrinks the gap (CI below 0) in more than half of the comparisons and widens it (CI above 0) in none; REFUTED if it shrinks it in none; MIXED otherwise"}
	if e.inapplicable {
		v.Outcome = result.Mixed
		v.Why = "the configuration needs hidden-dropout 0 and at least one rate above 0 to compare."
		return v
	}
	var t, testUp tally
	for _, f := range e.effects {
		t.add(f.gap)
		testUp.add(f.test)
		v.Evidence = append(v.Evidence, result.Evidence{
			Name:     fmt.Sprintf("%s n=%d: final gap with %s minus without", f.variant, f.size, f.dropout),
			Estimate: f.gap, Unit: "pp"})
	}
	v.Outcome = t.outcome(t.down, t.up)
	lo, hi := evidenceRange(v.Evidence)
	v.Why = fmt.Sprintf("Dropout shrank the final gap significantly in %d of %d activation-by-size comparisons and widened it in %d (changes from %+.2f to %+.2f pp); test accuracy rose significantly in %d of them and fell in %d.",
		t.down, t.total, t.up, lo, hi, testUp.up, testUp.down)
	return v
}

// evidenceRange is the smallest and largest defined mean of ev (+Inf and
// -Inf when none is defined).
func evidenceRange(ev []result.Evidence) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, e := range ev {
		if !math.IsNaN(e.Estimate.Mean) {
			lo, hi = math.Min(lo, e.Estimate.Mean), math.Max(hi, e.Estimate.Mean)
		}
	}
	return lo, hi
}

// dataGapEvidence is what the "more data shrinks the gap" rule reads.
type dataGapEvidence struct {
	small, large int // the smallest and largest training-set sizes
	// settings is empty when small == large: there is nothing to compare.
	settings []dataGapSetting
}

// dataGapSetting is one activation and dropout setting's final gap at the
// smallest and the largest size.
type dataGapSetting struct {
	variant, dropout   string
	change             metrics.Estimate // gap at the largest size minus at the smallest, pp
	gapSmall, gapLarge float64          // mean final gaps, pp
}

// dataGapVerdict: C10, "more data is required". Unlike the other rules it
// asks for every combination, not a majority: the rule text says "for every
// combination".
func dataGapVerdict(e dataGapEvidence) result.Verdict {
	v := result.Verdict{Claim: "C10", Statement: "more training data shrinks the generalisation gap",
		Rule: fmt.Sprintf("for each activation and dropout setting, the Welch 95%% CI of the final gap at the largest size (%d) minus the final gap at the smallest (%d): "+
			"CONFIRMED if it lies below 0 for every combination; REFUTED if for none; MIXED otherwise", e.large, e.small)}
	if e.small == e.large {
		v.Outcome = result.Mixed
		v.Why = "only one training-set size was run, so the rule cannot be applied."
		return v
	}
	var t tally
	var parts []string
	for _, g := range e.settings {
		t.add(g.change)
		v.Evidence = append(v.Evidence, result.Evidence{
			Name:     fmt.Sprintf("%s, %s: final gap at n=%d minus at n=%d", g.variant, g.dropout, e.large, e.small),
			Estimate: g.change, Unit: "pp"})
		parts = append(parts, fmt.Sprintf("%s %s %.1f -> %.1f", g.variant, g.dropout, g.gapSmall, g.gapLarge))
	}
	switch {
	case t.down == t.total:
		v.Outcome = result.Confirmed
	case t.down == 0:
		v.Outcome = result.Refuted
	default:
		v.Outcome = result.Mixed
	}
	v.Why = fmt.Sprintf("The final gap at n=%d was significantly smaller than at n=%d in %d of %d activation-by-dropout combinations (pp: %s).",
		e.large, e.small, t.down, t.total, strings.Join(parts, "; "))
	return v
}

// dropoutHelpsReluEvidence is what the C11 dropout rule reads.
type dropoutHelpsReluEvidence struct {
	// inapplicable: the configuration lacks relu, hidden-dropout 0 or a
	// rate above 0.
	inapplicable bool
	effects      []reluDropoutEffect
	// ReLU's mean final test error (%) at the largest size, without
	// dropout and with the setting compared with Srivastava et al.: for
	// the reader, not for the outcome.
	largest             int
	dropout             string
	errWithout, errWith float64
}

// reluDropoutEffect is ReLU's final test accuracy with one nonzero hidden
// rate minus without dropout, at one size, in pp.
type reluDropoutEffect struct {
	size    int
	dropout string
	test    metrics.Estimate
}

// dropoutHelpsReluVerdict: C11, the dropout half: ReLU's success came with
// dropout.
func dropoutHelpsReluVerdict(e dropoutHelpsReluEvidence) result.Verdict {
	v := result.Verdict{Claim: "C11",
		Statement: "ReLU's success comes with dropout: dropout raises a ReLU net's test accuracy (the BatchNorm half of C11 is tested by the exploding experiment)",
		Rule: "for ReLU at each size and nonzero hidden dropout rate, the Welch 95% CI of the final test accuracy with dropout minus without: " +
			"CONFIRMED if dropout raises it (CI above 0) at more than half of these and lowers it (CI below 0) at none; REFUTED if it raises it at none; MIXED otherwise"}
	if e.inapplicable {
		v.Outcome = result.Mixed
		v.Why = "the configuration needs relu, hidden-dropout 0 and a rate above 0, so the rule cannot be applied."
		return v
	}
	var t tally
	for _, f := range e.effects {
		t.add(f.test)
		v.Evidence = append(v.Evidence, result.Evidence{
			Name:     fmt.Sprintf("relu n=%d: final test accuracy with %s minus without", f.size, f.dropout),
			Estimate: f.test, Unit: "pp"})
	}
	v.Outcome = t.outcome(t.up, t.down)
	v.Why = fmt.Sprintf("Dropout raised ReLU's final test accuracy significantly at %d and lowered it at %d of %d sizes and rates; at n=%d ReLU's test error was %.2f%% without and %.2f%% with %s (Srivastava et al. 2014: %.2f%% standard net, %.2f%% dropout ReLU).",
		t.up, t.down, t.total, e.largest, e.errWithout, e.errWith, e.dropout, srivastavaStandard, srivastavaDropoutReLU)
	return v
}
