package twosided

import (
	"fmt"

	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/metrics"
)

// Thresholds of the cannot-die rule. A two-sided unit is silent only where
// z == 0 exactly, so any dead unit or born-dead net would be a bug worth a
// red verdict.
const (
	maxTwoSidedDead     = 0.0 // largest dead fraction allowed in a twosided run: none (physical limit, above)
	maxTwoSidedBornDead = 0   // twosided nets allowed constant on [-1, 1] in the Monte Carlo: none (physical limit, above)
)

// cannotDieEvidence is what the cannot-die rule reads about twosided:w.
type cannotDieEvidence struct {
	// ran is false when twosided:w was not among the nets; the other fields
	// are then unset.
	ran bool
	// dead and wouldBeDead are the fractions of hidden units dead, and
	// pre-activation <= 0 everywhere, after training, over the runs that
	// did not diverge.
	dead, wouldBeDead metrics.Estimate
	// deadMax is the largest dead fraction in any twosided:w run that did
	// not diverge (0 if every run diverged).
	deadMax float64
	// bornDead of bornInits twosided nets were constant on [-1, 1] at
	// depth bornDepth, summed over the base widths.
	bornDead, bornInits, bornDepth int
	// relu, for contrast, is ReLU at the smallest base width born dead at
	// bornDepth; nil when that net was not run.
	relu *bornDeadRate
}

// bornDeadRate is the born-dead count of one net at one width.
type bornDeadRate struct {
	width, dead, inits int
}

// cannotDieVerdict is the first C12 rule. It returns CONFIRMED or REFUTED,
// or MIXED only when twosided:w was not run.
func cannotDieVerdict(e cannotDieEvidence) result.Verdict {
	v := result.Verdict{Claim: "C12",
		Statement: "a two-sided ReLU unit cannot die, and a two-sided net is never born dead",
		Rule:      "CONFIRMED if every twosided run ends with no dead unit (output 0 on every training example) and no twosided net in the Monte Carlo is constant on [-1, 1]; REFUTED otherwise; MIXED if no twosided net was run"}
	if !e.ran {
		v.Outcome = result.Mixed
		v.Why = "twosided:w was not among the nets, so the rule cannot be applied."
		return v
	}
	v.Evidence = []result.Evidence{
		{Name: "twosided:w dead fraction after training", Estimate: e.dead},
		{Name: "twosided:w would-be-dead fraction (pre-activation <= 0 everywhere)", Estimate: e.wouldBeDead},
		{Name: fmt.Sprintf("twosided nets born dead at depth %d (all base widths)", e.bornDepth), Estimate: metrics.ProportionCI(e.bornDead, e.bornInits)},
	}
	reluBorn := ""
	if e.relu != nil {
		rate := metrics.ProportionCI(e.relu.dead, e.relu.inits)
		v.Evidence = append(v.Evidence, result.Evidence{Name: fmt.Sprintf("relu width %d born dead at depth %d", e.relu.width, e.bornDepth), Estimate: rate})
		reluBorn = fmt.Sprintf(", against %.1f%% of ReLU nets of width %d", 100*rate.Mean, e.relu.width)
	}
	if e.deadMax <= maxTwoSidedDead && e.bornDead <= maxTwoSidedBornDead {
		v.Outcome = result.Confirmed
	} else {
		v.Outcome = result.Refuted
	}
	v.Why = fmt.Sprintf("The largest dead fraction in a two-sided run was %.3f, and %d of %d two-sided nets were born dead at depth %d%s.",
		e.deadMax, e.bornDead, e.bornInits, e.bornDepth, reluBorn)
	return v
}

// netAccuracy is one net's MNIST test accuracy over seeds (a diverged run
// counts as chance), with the net's width and parameter count.
type netAccuracy struct {
	acc           metrics.Estimate
	width, params int
}

// worthItEvidence is what the worth-it rule reads; a net that was not among
// the nets is nil.
type worthItEvidence struct {
	twoSided *netAccuracy // twosided:w
	matched  *netAccuracy // relu:matched, about twosided:w's parameter count
	double   *netAccuracy // relu:2w
	single   *netAccuracy // relu:w, reported but not decisive
}

// worthItVerdict is the second C12 rule, on MNIST test accuracy: the
// two-sided net of width w against ReLU with about the same parameter count
// (relu:matched) and ReLU of width 2w. It has no numeric threshold: it asks
// whether 95% CIs over seeds are separated. CONFIRMED if two-sided's lies
// entirely above relu:matched's and not entirely below relu:2w's; REFUTED
// if it lies entirely below relu:matched's; MIXED otherwise.
func worthItVerdict(e worthItEvidence) result.Verdict {
	v := result.Verdict{Claim: "C12",
		Statement: "doubling the outgoing weights (two-sided ReLU) is worth more than spending them on width",
		Rule: "MNIST test accuracy, 95% CIs over seeds: CONFIRMED if twosided:w's lies entirely above relu:matched's (about the same parameter count) and not entirely below relu:2w's; " +
			"REFUTED if it lies entirely below relu:matched's; MIXED otherwise (including overlapping intervals: no detectable difference)"}
	ts, matched, double, single := e.twoSided, e.matched, e.double, e.single
	if ts == nil || matched == nil {
		v.Outcome = result.Mixed
		v.Why = "twosided:w and relu:matched must both be among the nets for the rule to apply."
		return v
	}
	v.Evidence = []result.Evidence{
		{Name: fmt.Sprintf("twosided:w test accuracy (%d parameters)", ts.params), Estimate: ts.acc},
		{Name: fmt.Sprintf("relu:matched test accuracy (width %d, %d parameters)", matched.width, matched.params), Estimate: matched.acc},
	}
	if double != nil {
		v.Evidence = append(v.Evidence, result.Evidence{Name: fmt.Sprintf("relu:2w test accuracy (%d parameters)", double.params), Estimate: double.acc})
	}
	if single != nil {
		v.Evidence = append(v.Evidence, result.Evidence{Name: fmt.Sprintf("relu:w test accuracy (%d parameters)", single.params), Estimate: single.acc})
	}
	belowDouble := double != nil && ts.acc.Hi < double.acc.Lo
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
	if double != nil {
		why += fmt.Sprintf(" and %.4f for ReLU width %d with %d", double.acc.Mean, double.width, double.params)
	}
	if single != nil {
		why += fmt.Sprintf(" (ReLU width %d: %.4f)", single.width, single.acc.Mean)
	}
	v.Why = why + "."
	return v
}
