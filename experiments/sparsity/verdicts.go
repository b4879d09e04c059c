package sparsity

import (
	"fmt"
	"strings"

	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/metrics"
)

// sparseFloor is the share of exact zeros a trained ReLU net must at least
// keep to count as sparse: the about 50% a ReLU layer has at
// initialisation (Glorot et al. 2011), which training should raise, not
// lower.
const sparseFloor = 0.5

// sparserEvidence is ReLU's share of exactly-zero hidden activations, all
// hidden layers pooled, as mean [95% CI] over seeds.
type sparserEvidence struct {
	reluRan bool
	// zeroInit counts every run measured at initialisation; zeroTrained
	// only the runs that finished training (N == 0 if none did).
	zeroInit, zeroTrained metrics.Estimate
}

// sparserVerdict is the first C5 rule: CONFIRMED if the exact-zero fraction
// after training is at least sparseFloor and its 95% CI lies above the one
// at initialisation (Glorot et al. 2011: 50% -> 83.4%); REFUTED if it is
// below sparseFloor or its CI lies below the initial one; MIXED otherwise.
func sparserVerdict(e sparserEvidence) result.Verdict {
	v := result.Verdict{Claim: "C5",
		Statement: "ReLU makes hidden representations sparse, and training makes them sparser (Glorot et al. 2011: about 50% exact zeros at init, 83.4% after training)",
		Rule:      "ReLU, all hidden layers pooled, fraction of exactly-zero activations: CONFIRMED if after training it is >= 0.5 and its 95% CI lies above the CI at initialisation; REFUTED if after training it is < 0.5 or its CI lies below the initial one; MIXED otherwise"}
	if !e.reluRan || e.zeroTrained.N == 0 {
		v.Outcome = result.Mixed
		v.Why = "relu was not run, or every relu run diverged, so the rule cannot be applied."
		return v
	}
	v.Evidence = []result.Evidence{
		{Name: "relu exact zeros at initialisation", Estimate: e.zeroInit},
		{Name: "relu exact zeros after training", Estimate: e.zeroTrained},
	}
	switch {
	case e.zeroTrained.Mean >= sparseFloor && e.zeroTrained.Lo > e.zeroInit.Hi:
		v.Outcome = result.Confirmed
	case e.zeroTrained.Mean < sparseFloor || e.zeroTrained.Hi < e.zeroInit.Lo:
		v.Outcome = result.Refuted
	default:
		v.Outcome = result.Mixed
	}
	v.Why = fmt.Sprintf("ReLU's hidden activations were %.1f%% exactly zero at initialisation and %.1f%% after training (Glorot et al.: about 50%% and 83.4%%).",
		100*e.zeroInit.Mean, 100*e.zeroTrained.Mean)
	return v
}

// denseCeiling is the share of exact zeros after training below which a
// variant counts as dense, the kind ReLU is compared with. A choice: only
// ReLU-like units output exact zeros, so dense variants have none at all,
// while a two-sided unit has at least half by construction; 1% keeps the
// two apart with room to spare.
const denseCeiling = 0.01

// variantAccuracy is one variant other than ReLU, mean [95% CI] over seeds.
type variantAccuracy struct {
	name string
	// zeroTrained is the share of exact zeros after training, over the
	// runs that finished (N == 0 if none did).
	zeroTrained metrics.Estimate
	// acc is the test accuracy, diverged runs at chance.
	acc metrics.Estimate
}

// sparseAccuracyEvidence is ReLU's test accuracy (diverged runs at chance)
// and every other variant's, in the configured order.
type sparseAccuracyEvidence struct {
	reluRan bool
	reluAcc metrics.Estimate
	others  []variantAccuracy
}

// sparseAccuracyVerdict is the second C5 rule: ReLU against every variant
// that is dense (fewer than denseCeiling exact zeros after training).
// "Clearly worse" means ReLU's 95% CI of test accuracy lies entirely below
// the other's; "clearly better" the reverse. CONFIRMED if ReLU is clearly
// worse than none; REFUTED if it is clearly worse than at least one and
// clearly better than none; MIXED otherwise.
func sparseAccuracyVerdict(e sparseAccuracyEvidence) result.Verdict {
	v := result.Verdict{Claim: "C5",
		Statement: "ReLU's sparsity comes with equal or better accuracy than dense activations",
		Rule:      "MNIST test accuracy (diverged runs at chance), against every variant with < 1% exact zeros after training: CONFIRMED if ReLU's 95% CI lies entirely below none of theirs; REFUTED if it lies entirely below at least one and entirely above none; MIXED otherwise"}
	if !e.reluRan {
		v.Outcome = result.Mixed
		v.Why = "relu was not run, so the rule cannot be applied."
		return v
	}
	v.Evidence = append(v.Evidence, result.Evidence{Name: "relu test accuracy", Estimate: e.reluAcc})
	var worse, better, dense []string
	for _, o := range e.others {
		if !(o.zeroTrained.N > 0 && o.zeroTrained.Mean < denseCeiling) {
			continue
		}
		dense = append(dense, fmt.Sprintf("%s %.4f", o.name, o.acc.Mean))
		v.Evidence = append(v.Evidence, result.Evidence{Name: o.name + " test accuracy", Estimate: o.acc})
		switch {
		case e.reluAcc.Hi < o.acc.Lo:
			worse = append(worse, o.name)
		case e.reluAcc.Lo > o.acc.Hi:
			better = append(better, o.name)
		}
	}
	if len(dense) == 0 {
		v.Outcome = result.Mixed
		v.Why = "No dense variant (fewer than 1% exact zeros after training) finished, so there is nothing to compare with."
		return v
	}
	switch {
	case len(worse) == 0:
		v.Outcome = result.Confirmed
	case len(better) == 0:
		v.Outcome = result.Refuted
	default:
		v.Outcome = result.Mixed
	}
	v.Why = fmt.Sprintf("ReLU reached %.4f test accuracy against %s; its CI lies below %d of them (%v) and above %d (%v).",
		e.reluAcc.Mean, strings.Join(dense, ", "), len(worse), worse, len(better), better)
	return v
}
