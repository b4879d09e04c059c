package vanishing

import (
	"fmt"
	"strings"

	"github.com/reluexp/reluexp/experiments/kit"
	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/metrics"
)

// Thresholds of the C3 rule at initialisation, on log10(||dL/dz_1|| / ||dL/dz_L||).
const (
	// A choice: "vanishes" read as the first layer's gradient more than
	// 1000x (three decades) smaller than the last layer's.
	vanishedLog10 = -3.0
	// A choice: "keeps its strength" read as first and last layer within
	// one decade (10x) of each other, either way.
	keptLog10 = 1.0
)

// initGradientEvidence is log10(first/last hidden layer) of a gradient norm
// at the verdict depth, mean and 95% CI over seeds. An estimate with N == 0
// was not measured.
type initGradientEvidence struct {
	Depth int
	// Back-propagated gradient ||dL/dz_l||: the rule reads these.
	SigmoidXavier, TanhXavier, ReluHe, ReluXavier metrics.Estimate
	// Weight gradient ||dL/dW_l|| of ReLU under Xavier: shown, not judged.
	ReluXavierWeight metrics.Estimate
}

func measured(e metrics.Estimate) bool { return e.N > 0 }

// initGradientVerdict is the C3 rule at initialisation: sigmoid and tanh,
// each under Xavier (the init Glorot & Bengio designed for them), vanish,
// and ReLU under He keeps its strength. Intervals decide, not means.
func initGradientVerdict(e initGradientEvidence) result.Verdict {
	v := result.Verdict{Claim: "C3",
		Statement: "sigmoid/tanh gradients shrink layer by layer while ReLU's keep their strength (at initialisation)",
		Rule: fmt.Sprintf("at depth %d, on ||dL/dz_1||/||dL/dz_L||: a saturating activation vanishes if the upper 95%% CI bound of log10 is below %g (xavier-normal); "+
			"ReLU keeps its strength if the whole CI of log10 lies in [%g, %g] (he-normal). CONFIRMED if sigmoid and tanh vanish and ReLU keeps; "+
			"REFUTED if ReLU does not keep or neither sigmoid nor tanh vanishes; MIXED otherwise", e.Depth, vanishedLog10, -keptLog10, keptLog10)}
	if !measured(e.ReluHe) || (!measured(e.SigmoidXavier) && !measured(e.TanhXavier)) {
		v.Outcome = result.Mixed
		v.Why = "the configuration did not measure relu under he-normal and sigmoid or tanh under xavier-normal, so the rule cannot be applied"
		return v
	}
	v.Evidence = initGradientEvidenceList(e)
	vanishes := func(x metrics.Estimate) bool { return measured(x) && x.Hi < vanishedLog10 }
	keeps := e.ReluHe.Lo >= -keptLog10 && e.ReluHe.Hi <= keptLog10
	sigV, tanhV := vanishes(e.SigmoidXavier), vanishes(e.TanhXavier)
	switch {
	case !keeps || (!sigV && !tanhV):
		v.Outcome = result.Refuted
	case sigV && tanhV:
		v.Outcome = result.Confirmed
	default:
		// Also where only one of sigmoid and tanh was measured: the claim
		// names both.
		v.Outcome = result.Mixed
	}
	v.Why = initGradientWhy(e)
	return v
}

func initGradientEvidenceList(e initGradientEvidence) []result.Evidence {
	var out []result.Evidence
	add := func(name string, x metrics.Estimate) {
		out = append(out, result.Evidence{Name: fmt.Sprintf(name, e.Depth), Estimate: x, Unit: "log10"})
	}
	if measured(e.SigmoidXavier) {
		add("sigmoid xavier-normal depth %d log10(first/last)", e.SigmoidXavier)
	}
	if measured(e.TanhXavier) {
		add("tanh xavier-normal depth %d log10(first/last)", e.TanhXavier)
	}
	add("relu he-normal depth %d log10(first/last)", e.ReluHe)
	if measured(e.ReluXavier) {
		add("relu xavier-normal depth %d log10(first/last)", e.ReluXavier)
	}
	if measured(e.ReluXavierWeight) {
		add("relu xavier-normal depth %d log10 weight-gradient first/last", e.ReluXavierWeight)
	}
	return out
}

func initGradientWhy(e initGradientEvidence) string {
	parts := []string{}
	if measured(e.SigmoidXavier) {
		parts = append(parts, fmt.Sprintf("sigmoid's first-layer gradient is 10^%.1f of its last layer's", e.SigmoidXavier.Mean))
	}
	if measured(e.TanhXavier) {
		parts = append(parts, fmt.Sprintf("tanh's 10^%.1f", e.TanhXavier.Mean))
	}
	parts = append(parts, fmt.Sprintf("ReLU's under He init 10^%.2f", e.ReluHe.Mean))
	why := fmt.Sprintf("At depth %d %s", e.Depth, strings.Join(parts, ", "))
	if measured(e.ReluXavier) {
		why += fmt.Sprintf("; but ReLU under Xavier init shrinks too (10^%.1f), so ReLU's advantage depends on the initialiser", e.ReluXavier.Mean)
	}
	return why + "."
}

// Thresholds of the C4 rule, on fractions of dL/dz entries per layer.
const (
	// Rounding allowance: the claim is exact (a derivative of 0 or 1), so
	// ReLU's pass-or-block fraction must be 1 up to floating-point noise.
	passOrBlockTolerance = 1e-12
	// A choice: blocking is ReLU's trait only if no other activation
	// blocks more than 1% of entries (exactly 0).
	otherBlockedMax = 0.01
)

// passOrBlockEvidence pools every hidden layer of every net and seed
// measured at initialisation (one fraction per layer).
type passOrBlockEvidence struct {
	ReluLayers int // 0: relu was not measured
	// ReluPassedOrBlocked is the fraction of entries with dz == dh or
	// dz == 0; ReluLowestPassedOrBlocked its smallest value over layers.
	ReluPassedOrBlocked       metrics.Estimate
	ReluLowestPassedOrBlocked float64
	ReluBlocked               metrics.Estimate // fraction with dz == 0
	OtherLayers               int              // layers of the other activations
	OtherBlocked              metrics.Estimate
	// OtherMostBlocked is the largest blocked fraction of any other
	// activation's layer, and OtherMostBlockedName that activation.
	OtherMostBlocked     float64
	OtherMostBlockedName string
}

// passOrBlockVerdict is the C4 rule: for ReLU every entry of dL/dz is
// either dL/dh exactly or 0, and other activations rarely block.
func passOrBlockVerdict(e passOrBlockEvidence) result.Verdict {
	v := result.Verdict{Claim: "C4",
		Statement: "ReLU's derivative is 0 or 1: each gradient entry passes unchanged or is blocked",
		Rule: fmt.Sprintf("CONFIRMED if, over all ReLU layers and seeds, the fraction of dL/dz entries equal to dL/dh or exactly 0 is 1 (to %g), "+
			"and no other activation blocks more than %g%% of entries; REFUTED if ReLU's fraction is below 1; MIXED otherwise", passOrBlockTolerance, 100*otherBlockedMax)}
	if e.ReluLayers == 0 {
		v.Outcome = result.Mixed
		v.Why = "relu was not among the measured variants, so the rule cannot be applied"
		return v
	}
	v.Evidence = append(v.Evidence,
		result.Evidence{Name: "relu: fraction of dz entries passed unchanged or blocked", Estimate: e.ReluPassedOrBlocked},
		result.Evidence{Name: "relu: fraction of dz entries blocked (exactly 0)", Estimate: e.ReluBlocked})
	if e.OtherLayers > 0 {
		v.Evidence = append(v.Evidence, result.Evidence{Name: "other activations: fraction of dz entries exactly 0", Estimate: e.OtherBlocked})
	}
	blocked := e.ReluBlocked
	switch {
	case e.ReluLowestPassedOrBlocked < 1-passOrBlockTolerance:
		v.Outcome = result.Refuted
		v.Why = fmt.Sprintf("Some ReLU gradient entries were neither passed nor blocked (lowest fraction %.6f).", e.ReluLowestPassedOrBlocked)
	case e.OtherMostBlocked > otherBlockedMax:
		v.Outcome = result.Mixed
		v.Why = fmt.Sprintf("ReLU passes or blocks every entry (%.1f%% blocked at init), but %s also blocks %.1f%% of entries.", 100*blocked.Mean, e.OtherMostBlockedName, 100*e.OtherMostBlocked)
	default:
		v.Outcome = result.Confirmed
		v.Why = fmt.Sprintf("Every ReLU gradient entry was passed unchanged or blocked, %.1f%% [%.1f, %.1f] of them blocked at initialisation; the other activations block at most %.2f%%.",
			100*blocked.Mean, 100*blocked.Lo, 100*blocked.Hi, 100*e.OtherMostBlocked)
	}
	return v
}

// The MNIST rules below read kit.Learns and kit.Stalls: the accuracy line
// (kit.StallsAccuracy, 0.2 against chance 0.1) and its reason live in kit,
// shared with the other experiments that train on MNIST.

// apart reports whether a's interval lies entirely above b's.
func apart(a, b metrics.Estimate) bool { return a.Lo > b.Hi }

// heInitEvidence is MNIST test accuracy of ReLU nets at the deepest trained
// depth, mean and 95% CI over seeds.
type heInitEvidence struct {
	Depth      int
	He, Xavier metrics.Estimate // relu/he-normal, relu/xavier-normal
}

// heInitVerdict is He et al. 2015's observation: a deep ReLU net trains
// with He init and stalls with Xavier init.
func heInitVerdict(e heInitEvidence) result.Verdict {
	he, xav, depth := e.He, e.Xavier, e.Depth
	v := result.Verdict{Claim: "C3",
		Statement: fmt.Sprintf("He et al. 2015: a %d-layer ReLU net trains with He init and stalls with Xavier init", depth),
		Rule: fmt.Sprintf("MNIST test accuracy at depth %d, 95%% CIs over seeds (chance 0.1): CONFIRMED if relu/he-normal learns (CI at or above %.1f), relu/xavier-normal stalls (CI below %.1f) "+
			"and the two CIs are apart; REFUTED if relu/he-normal's CI is not above relu/xavier-normal's, or relu/xavier-normal learns; MIXED otherwise",
			depth, kit.StallsAccuracy, kit.StallsAccuracy),
		Evidence: []result.Evidence{
			{Name: fmt.Sprintf("relu/he-normal depth %d test accuracy", depth), Estimate: he},
			{Name: fmt.Sprintf("relu/xavier-normal depth %d test accuracy", depth), Estimate: xav},
		}}
	switch {
	case !apart(he, xav) || kit.Learns(xav):
		v.Outcome = result.Refuted
	case kit.Learns(he) && kit.Stalls(xav):
		v.Outcome = result.Confirmed
	default:
		v.Outcome = result.Mixed
	}
	v.Why = fmt.Sprintf("At depth %d, ReLU with He init reached %.3f [%.3f, %.3f] test accuracy and with Xavier init %.3f [%.3f, %.3f] (chance 0.1).",
		depth, he.Mean, he.Lo, he.Hi, xav.Mean, xav.Lo, xav.Hi)
	return v
}

// sigmoidStallsEvidence is MNIST test accuracy at the deepest trained
// depth, mean and 95% CI over seeds.
type sigmoidStallsEvidence struct {
	Depth   int
	ReluHe  metrics.Estimate // relu/he-normal
	Sigmoid metrics.Estimate // sigmoid/xavier-normal
	// Tanh (tanh/xavier-normal) is shown, not judged; HasTanh says
	// whether it was trained.
	Tanh    metrics.Estimate
	HasTanh bool
}

// sigmoidStallsVerdict is C3 seen in training: a deep sigmoid net stalls
// where the same ReLU net trains.
func sigmoidStallsVerdict(e sigmoidStallsEvidence) result.Verdict {
	he, sig, depth := e.ReluHe, e.Sigmoid, e.Depth
	v := result.Verdict{Claim: "C3",
		Statement: fmt.Sprintf("a deep (%d-layer) sigmoid net stalls where the same ReLU net trains", depth),
		Rule: fmt.Sprintf("MNIST test accuracy at depth %d, 95%% CIs over seeds (chance 0.1): CONFIRMED if relu/he-normal learns (CI at or above %.1f), sigmoid/xavier-normal stalls (CI below %.1f) "+
			"and the two CIs are apart; REFUTED if sigmoid's CI is not below ReLU's; MIXED otherwise",
			depth, kit.StallsAccuracy, kit.StallsAccuracy),
		Evidence: []result.Evidence{
			{Name: fmt.Sprintf("relu/he-normal depth %d test accuracy", depth), Estimate: he},
			{Name: fmt.Sprintf("sigmoid/xavier-normal depth %d test accuracy", depth), Estimate: sig},
		}}
	if e.HasTanh {
		v.Evidence = append(v.Evidence, result.Evidence{Name: fmt.Sprintf("tanh/xavier-normal depth %d test accuracy", depth), Estimate: e.Tanh})
	}
	switch {
	case !apart(he, sig):
		v.Outcome = result.Refuted
	case kit.Learns(he) && kit.Stalls(sig):
		v.Outcome = result.Confirmed
	default:
		v.Outcome = result.Mixed
	}
	v.Why = fmt.Sprintf("At depth %d, sigmoid reached %.3f [%.3f, %.3f] test accuracy against ReLU's %.3f [%.3f, %.3f].", depth, sig.Mean, sig.Lo, sig.Hi, he.Mean, he.Lo, he.Hi)
	if e.HasTanh {
		v.Why = strings.TrimSuffix(v.Why, ".") + fmt.Sprintf("; tanh, which barely loses gradient under Xavier init, reached %.3f.", e.Tanh.Mean)
	}
	return v
}
