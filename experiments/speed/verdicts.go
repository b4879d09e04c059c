package speed

import (
	"fmt"
	"strings"

	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/metrics"
)

// The verdict rules. Each reads statistics summary.go has computed and
// decides; none reads a cell or a clock itself.

// timingRule prefixes the rule of every verdict that reads a clock.
const timingRule = "Timing verdict: it reads wall-clock measurements of this run, so its numbers, and near a threshold its outcome, change from run to run and machine to machine. "

// sameCost is a ratio to ReLU of 1 (as fast, as many updates). A choice:
// the ratio rules ask only that the 95% CI lie above it, for no minimum
// effect.
const sameCost = 1.0

// notApplicable is the reason a rule gives when the configuration leaves
// nothing to compare ReLU with.
const notApplicable = "variant lacks both tanh and sigmoid, so the rule cannot be applied."

// everyNoneOrSome is CONFIRMED when a claim held in every comparison,
// REFUTED when it held in none, MIXED otherwise. With no comparison at all
// it is CONFIRMED; the summary never asks with none (validation requires a
// kernel size, and a rule that has no one to compare returns first).
func everyNoneOrSome(held, comparisons int) result.Outcome {
	switch {
	case held == comparisons:
		return result.Confirmed
	case held == 0:
		return result.Refuted
	}
	return result.Mixed
}

// Kernels.

// kernelEvidence is the kernels' timings, one entry per kernel size.
type kernelEvidence struct {
	// comparable: relu and at least one of tanh and sigmoid were timed.
	comparable bool
	sizes      []kernelSizeStats
}

type kernelSizeStats struct {
	size int
	// others holds tanh's and sigmoid's (forward + backward) time over
	// ReLU's, per repetition.
	others []namedRatio
	// reluOverCopy and scalarOverCopy are the forward passes of the
	// library's ReLU and of the scalar reference over a copy.
	reluOverCopy, scalarOverCopy ratioStats
}

type namedRatio struct {
	name  string
	ratio ratioStats
}

// ratioStats summarises per-repetition ratios: their geometric mean with
// its 95% CI, and their median.
type ratioStats struct {
	geoMean metrics.Estimate
	median  float64
}

// kernelVerdict: is ReLU's kernel faster than tanh's and sigmoid's at every
// size?
func kernelVerdict(e kernelEvidence) result.Verdict {
	v := result.Verdict{Claim: "C2", Statement: "ReLU's kernel is faster than sigmoid's and tanh's (a threshold instead of an exponential)",
		Rule: timingRule + "At each kernel size, the per-repetition ratio of (forward + backward) time of tanh and of sigmoid to ReLU's, geometric mean with 95% CI over repetitions: " +
			fmt.Sprintf("CONFIRMED if every such CI lies above %g; REFUTED if none does; MIXED otherwise", sameCost)}
	if !e.comparable {
		v.Outcome = result.Mixed
		v.Why = "kernel-variants lacks relu or both tanh and sigmoid, so the rule cannot be applied."
		return v
	}
	above, total := 0, 0
	var parts []string
	for _, size := range e.sizes {
		var ps []string
		for _, o := range size.others {
			total++
			if o.ratio.geoMean.Lo > sameCost {
				above++
			}
			v.Evidence = append(v.Evidence, result.Evidence{Name: fmt.Sprintf("%d elements: %s / relu, forward+backward time", size.size, o.name), Estimate: o.ratio.geoMean, Unit: "x"})
			ps = append(ps, fmt.Sprintf("%s %.1fx", o.name, o.ratio.median))
		}
		v.Evidence = append(v.Evidence,
			result.Evidence{Name: fmt.Sprintf("%d elements: relu forward / copy", size.size), Estimate: size.reluOverCopy.geoMean, Unit: "x"},
			result.Evidence{Name: fmt.Sprintf("%d elements: scalar reference ReLU forward / copy", size.size), Estimate: size.scalarOverCopy.geoMean, Unit: "x"})
		parts = append(parts, fmt.Sprintf("at %d elements %s ReLU's time; ReLU's forward pass runs at %.1fx a copy (a scalar-loop ReLU at %.1fx)",
			size.size, strings.Join(ps, " and "), size.reluOverCopy.median, size.scalarOverCopy.median))
	}
	v.Outcome = everyNoneOrSome(above, total)
	v.Why = fmt.Sprintf("Medians over repetitions, forward plus backward: %s.", strings.Join(parts, "; "))
	return v
}

// Training steps.

// stepSavingThreshold: a choice; a saving below 5% of a step's time is
// measurable but does not change what a practitioner would choose.
const stepSavingThreshold = 5.0

// noExtraTime: the other layers take no longer than ReLU's (no saving); a
// CI above it is a saving detectable at all, the rule's floor for REFUTED.
const noExtraTime = 0.0

// stepEvidence is the activation layers' cost inside a training step, one
// entry per timed net.
type stepEvidence struct {
	// comparable: tanh or sigmoid was timed besides relu.
	comparable bool
	nets       []netStepStats
}

type netStepStats struct {
	net string
	// reluShare is the percentage of ReLU's step spent in its activation
	// layers, mean with 95% CI over repetitions (not clamped).
	reluShare metrics.Estimate
	others    []layerCost
}

// layerCost is tanh's or sigmoid's cost in a step, against ReLU's.
type layerCost struct {
	name string
	// beyondReLU is the time its activation layers take beyond ReLU's
	// layers, as a percentage of ReLU's whole step: mean with 95% CI over
	// repetitions.
	beyondReLU metrics.Estimate
	// wholeStep is its whole step over ReLU's.
	wholeStep ratioStats
}

// stepVerdict: do ReLU's activation layers save a meaningful part of a
// training step in every timed net?
func stepVerdict(e stepEvidence) result.Verdict {
	v := result.Verdict{Claim: "C2", Statement: "the kernel speed matters end to end: ReLU's activation layers save a meaningful part of a training step over tanh's and sigmoid's",
		Rule: timingRule + fmt.Sprintf("For every timed net, the time the tanh and the sigmoid layers take beyond ReLU's layers, as a percentage of ReLU's whole step "+
			"(activation layers timed inside the step, paired by repetition; mean with 95%% CI): CONFIRMED if every such CI lies above %.0f%% of a step; "+
			"REFUTED if no CI lies above %g; MIXED otherwise (a saving that is detectable but small, or not everywhere). The whole-step ratios are reported beside it", stepSavingThreshold, noExtraTime)}
	if !e.comparable {
		v.Outcome = result.Mixed
		v.Why = notApplicable
		return v
	}
	big, detectable, total := 0, 0, 0
	var parts []string
	for _, n := range e.nets {
		var ps []string
		for _, o := range n.others {
			total++
			if o.beyondReLU.Lo > noExtraTime {
				detectable++
			}
			if o.beyondReLU.Lo > stepSavingThreshold {
				big++
			}
			v.Evidence = append(v.Evidence,
				result.Evidence{Name: fmt.Sprintf("hidden %s: %s layers minus relu layers, %% of relu's step", n.net, o.name), Estimate: o.beyondReLU, Unit: "%"},
				result.Evidence{Name: fmt.Sprintf("hidden %s: whole %s step / relu step", n.net, o.name), Estimate: o.wholeStep.geoMean, Unit: "x"})
			ps = append(ps, fmt.Sprintf("%s %+.1f%% of the step (whole step %.2fx)", o.name, o.beyondReLU.Mean, o.wholeStep.median))
		}
		v.Evidence = append(v.Evidence, result.Evidence{Name: fmt.Sprintf("hidden %s: share of the step in the relu layers", n.net), Estimate: n.reluShare.Clamp(0, 100), Unit: "%"})
		parts = append(parts, fmt.Sprintf("hidden %s: ReLU's layers take %.1f%% of its step, and the others' layers cost %s", n.net, n.reluShare.Mean, strings.Join(ps, ", ")))
	}
	switch {
	case big == total:
		v.Outcome = result.Confirmed
	case detectable == 0:
		v.Outcome = result.Refuted
	default:
		v.Outcome = result.Mixed
	}
	v.Why = strings.Join(parts, "; ") + "."
	return v
}

// Time to accuracy.

// alexNetRatio is the speed-up of ReLU over tanh Krizhevsky et al. 2012
// report, to read our ratios against.
const alexNetRatio = 6

// versusReLU is tanh or sigmoid against ReLU on the way to the target
// accuracy, each at its best learning rate.
type versusReLU struct {
	name string
	// reached: some seed reached the target at its best learning rate.
	reached bool
	// ratio is its updates (or seconds) to target over ReLU's, with its
	// 95% CI; set only when both reached the target.
	ratio metrics.Estimate
	lr    float64
}

// updatesEvidence is the updates to target, which involve no clock.
type updatesEvidence struct {
	target   float64
	maxSteps int
	// comparable: tanh or sigmoid was trained besides relu.
	comparable  bool
	reluReached bool
	// reluUpdates is ReLU's updates to target (geometric mean with 95% CI
	// over the seeds that reached it) at its best learning rate reluLR.
	reluUpdates   metrics.Estimate
	reluLR        float64
	epochsPerStep float64
	others        []versusReLU
}

// updatesVerdict: does ReLU reach the target in fewer updates than tanh and
// sigmoid?
func updatesVerdict(e updatesEvidence) result.Verdict {
	v := result.Verdict{Claim: "C2",
		Statement: fmt.Sprintf("ReLU reaches %.0f%% training accuracy in fewer updates than tanh and sigmoid, each at its best learning rate (AlexNet: %dx fewer than tanh)", 100*e.target, alexNetRatio),
		Rule: "Deterministic (updates, no clock). For tanh and sigmoid, the ratio of their updates to target to ReLU's (geometric means at each one's best learning rate, Welch 95% CI on the log scale); " +
			fmt.Sprintf("an activation that never reached the target counts as slower. CONFIRMED if ReLU is faster than each (CI above %g); REFUTED if it is faster than neither, or never reached the target while another did; MIXED otherwise", sameCost)}
	if !e.comparable {
		v.Outcome = result.Mixed
		v.Why = notApplicable
		return v
	}
	if !e.reluReached {
		v.Outcome = result.Mixed
		v.Why = fmt.Sprintf("No activation reached %.0f%% training accuracy within %d updates, so the rule cannot be applied.", 100*e.target, e.maxSteps)
		if anyReached(e.others) {
			v.Outcome = result.Refuted
			v.Why = fmt.Sprintf("ReLU never reached %.0f%% training accuracy within %d updates while another activation did.", 100*e.target, e.maxSteps)
		}
		return v
	}
	g := e.reluUpdates
	v.Evidence = append(v.Evidence, result.Evidence{Name: fmt.Sprintf("relu updates to target (lr %g)", e.reluLR), Estimate: g, Unit: "updates"})
	faster := 0
	var parts []string
	for _, o := range e.others {
		if !o.reached {
			faster++
			parts = append(parts, fmt.Sprintf("%s never reached it", o.name))
			continue
		}
		if o.ratio.Lo > sameCost {
			faster++
		}
		v.Evidence = append(v.Evidence, result.Evidence{Name: fmt.Sprintf("%s updates / relu updates (lr %g vs %g)", o.name, o.lr, e.reluLR), Estimate: o.ratio, Unit: "x"})
		parts = append(parts, fmt.Sprintf("%s needed %.2fx as many [%.2f, %.2f]", o.name, o.ratio.Mean, o.ratio.Lo, o.ratio.Hi))
	}
	v.Outcome = everyNoneOrSome(faster, len(e.others))
	v.Why = fmt.Sprintf("At its best learning rate ReLU reached %.0f%% training accuracy in %.0f updates (%.2f epochs); %s (AlexNet: tanh %dx slower; %s).",
		100*e.target, g.Mean, g.Mean*e.epochsPerStep, strings.Join(parts, ", "), alexNetRatio, alexNetReading(v.Evidence))
	return v
}

// secondsEvidence is the seconds to target: updates times the step time.
type secondsEvidence struct {
	target float64
	// comparable: tanh or sigmoid was trained besides relu.
	comparable  bool
	reluReached bool
	// reluSeconds is ReLU's seconds to target, mean with 95% CI.
	reluSeconds metrics.Estimate
	others      []versusReLU
}

// secondsVerdict: does ReLU reach the target in less training time than
// tanh and sigmoid?
func secondsVerdict(e secondsEvidence) result.Verdict {
	v := result.Verdict{Claim: "C2",
		Statement: fmt.Sprintf("ReLU reaches %.0f%% training accuracy in less training time than tanh and sigmoid, each at its best learning rate (AlexNet: %dx faster than tanh)", 100*e.target, alexNetRatio),
		Rule: timingRule + "Seconds = updates to target x median step time. For tanh and sigmoid, the ratio of their seconds to ReLU's (the updates ratio's Welch 95% CI scaled by the step-time ratio); " +
			fmt.Sprintf("an activation that never reached the target counts as slower. CONFIRMED if ReLU is faster than each (CI above %g); REFUTED if it is faster than neither, or never reached the target while another did; MIXED otherwise", sameCost)}
	if !e.comparable {
		v.Outcome = result.Mixed
		v.Why = notApplicable
		return v
	}
	if !e.reluReached {
		v.Outcome = result.Mixed
		v.Why = "ReLU never reached the target; see the verdict on updates."
		if anyReached(e.others) {
			v.Outcome = result.Refuted
		}
		return v
	}
	v.Evidence = append(v.Evidence, result.Evidence{Name: "relu seconds to target", Estimate: e.reluSeconds, Unit: "s"})
	faster := 0
	var parts []string
	for _, o := range e.others {
		if !o.reached {
			faster++
			parts = append(parts, fmt.Sprintf("%s never reached it", o.name))
			continue
		}
		if o.ratio.Lo > sameCost {
			faster++
		}
		v.Evidence = append(v.Evidence, result.Evidence{Name: fmt.Sprintf("%s seconds / relu seconds", o.name), Estimate: o.ratio, Unit: "x"})
		parts = append(parts, fmt.Sprintf("%s took %.2fx as long [%.2f, %.2f]", o.name, o.ratio.Mean, o.ratio.Lo, o.ratio.Hi))
	}
	v.Outcome = everyNoneOrSome(faster, len(e.others))
	v.Why = fmt.Sprintf("ReLU trained to the target in %.2f s; %s (AlexNet: tanh %dx slower; %s).", e.reluSeconds.Mean, strings.Join(parts, ", "), alexNetRatio, alexNetReading(v.Evidence))
	return v
}

func anyReached(others []versusReLU) bool {
	for _, o := range others {
		if o.reached {
			return true
		}
	}
	return false
}

// alexNetReading says whether the measured ratios to ReLU (the evidence in
// "x") could be as large as AlexNet's.
func alexNetReading(ev []result.Evidence) string {
	below, n := 0, 0
	for _, e := range ev {
		if e.Unit != "x" {
			continue
		}
		n++
		if e.Estimate.Hi < alexNetRatio {
			below++
		}
	}
	switch {
	case n == 0:
		return "no ratio to compare"
	case below == n:
		return fmt.Sprintf("every upper 95%% bound here is below %d", alexNetRatio)
	}
	return fmt.Sprintf("%d of %d upper 95%% bounds here are below %d", below, n, alexNetRatio)
}
