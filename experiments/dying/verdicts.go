package dying

import (
	"fmt"
	"math"
	"strings"

	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/metrics"
)

// The verdict rules. Each reads statistics the summary has already
// computed and decides; none of them sees a run or a cell.

// Born dead (C8, Lu et al. 2019).

const (
	// bornFamilyAlpha is shared among the (width, depth) cells
	// (Bonferroni), so that a correct formula fails some cell only 5% of
	// the time: the conventional 5% level.
	bornFamilyAlpha = 0.05
	// bornMaxFailedShare: a choice; a few failed cells are read as MIXED,
	// more than a tenth of them as a wrong formula.
	bornMaxFailedShare = 0.1
	// bornDeadMajority: a choice; "born dead" is taken to mean the
	// narrowest, deepest nets are constant in at least half the draws.
	bornDeadMajority = 0.5
)

// bornCellTest is one (width, depth) cell of the born-dead table: the
// Monte Carlo count of nets dead at x = 1 against the formula.
type bornCellTest struct {
	width, depth int
	dead, inits  int
	formula      float64
	p            float64 // exact two-sided binomial p-value of dead against formula
}

// bornAnchor is a (width, depth) that Lu et al. 2019 report on, shown as
// evidence.
type bornAnchor struct {
	width, depth        int
	formula             float64
	deadAtOne, bornDead metrics.Estimate
}

type bornDeadEvidence struct {
	cells              []bornCellTest // widths outer, depths inner, as in the table
	anchors            []bornAnchor
	narrowest, deepest int
	bornDead           metrics.Estimate // share of the narrowest, deepest nets constant on [-1, 1]
}

// bornDeadVerdict: every cell of the table is a binomial count; the
// formula passes a cell if the exact p-value of the count is at least
// bornFamilyAlpha divided by the number of cells. An exact test because
// near depth 30 at width 2 the formula is 0.9998 and the misses are a
// handful of rare events, where a normal z-score is far too strict.
func bornDeadVerdict(e bornDeadEvidence) result.Verdict {
	cells := len(e.cells)
	alpha := bornFamilyAlpha / float64(cells)
	v := result.Verdict{Claim: "C8",
		Statement: "deep narrow ReLU nets are born dead, as 1-(1-2^-N)^H predicts (Lu et al. 2019)",
		Rule: fmt.Sprintf("each of the %d (width, depth) cells passes if the exact two-sided binomial p-value of its Monte Carlo count of nets dead at x = 1, against the formula, is >= %.2g (5%% Bonferroni); "+
			"CONFIRMED if all pass and the narrowest, deepest nets are constant on [-1, 1] in at least half the draws; REFUTED if more than 10%% of the cells fail; MIXED otherwise", cells, alpha)}
	failed := 0
	worstP, worstAt := 2.0, "" // 2 is above any p-value
	for _, t := range e.cells {
		if t.p < alpha {
			failed++
		}
		if t.p < worstP {
			worstP, worstAt = t.p, fmt.Sprintf("N=%d, H=%d: %d of %d against %.4f", t.width, t.depth, t.dead, t.inits, t.formula)
		}
	}
	for _, a := range e.anchors {
		v.Evidence = append(v.Evidence,
			result.Evidence{Name: fmt.Sprintf("dead at x = 1, N=%d, H=%d (formula %.4f)", a.width, a.depth, a.formula), Estimate: a.deadAtOne},
			result.Evidence{Name: fmt.Sprintf("born dead (constant on [-1, 1]), N=%d, H=%d", a.width, a.depth), Estimate: a.bornDead})
	}
	v.Evidence = append(v.Evidence, result.Evidence{Name: fmt.Sprintf("born dead (constant on [-1, 1]), N=%d, H=%d", e.narrowest, e.deepest), Estimate: e.bornDead})
	switch {
	case float64(failed) > bornMaxFailedShare*float64(cells):
		v.Outcome = result.Refuted
	case failed == 0 && e.bornDead.Mean >= bornDeadMajority:
		v.Outcome = result.Confirmed
	default:
		v.Outcome = result.Mixed
	}
	v.Why = fmt.Sprintf("%d of %d cells agree with the formula (smallest p-value %.2g, at %s), and %.1f%% of width-%d, depth-%d nets are constant on [-1, 1] (Lu et al. 2019: over 90%% of width-2, depth-10 nets collapse, under 1%% at width 10).",
		cells-failed, cells, worstP, worstAt, 100*e.bornDead.Mean, e.narrowest, e.deepest)
	return v
}

// Dead units appear at high learning rates (C8).

const (
	// appearMinFinished: a learning rate is read only if this many seeds
	// did not diverge, the fewest whose interval has a width (one seed
	// gives Lo = Hi = mean).
	appearMinFinished = 2
	// appearMinDead: a choice; the smallest mean dead share at the high
	// learning rate that counts as dying (the stress level of fixesVerdict
	// too).
	appearMinDead = 0.05
	// appearNoDeath: a choice; at most 1% of units dead at every learning
	// rate is read as no dying at all.
	appearNoDeath = 0.01
)

// lrOutcome is ReLU at one learning rate: final dead fraction and test
// accuracy over its seeds, and how many of them diverged.
type lrOutcome struct {
	lr             float64
	dead, acc      metrics.Estimate
	diverged, runs int
}

type appearEvidence struct {
	bias float64     // the reference bias (see referenceBias)
	byLR []lrOutcome // ascending learning rates
}

// appearVerdict compares the dead fraction at the highest learning rate
// where enough seeds finished with the one at the lowest learning rate.
func appearVerdict(e appearEvidence) result.Verdict {
	v := result.Verdict{Claim: "C8",
		Statement: "ReLU units die when the learning rate is too high",
		Rule: fmt.Sprintf("ReLU, bias %g: let lo be the lowest learning rate and hi the highest at which at least 2 seeds did not diverge; on the final dead fraction, "+
			"CONFIRMED if hi's mean is >= 0.05 and its 95%% CI lies above lo's; REFUTED if no learning rate leaves a mean of more than 1%% of units dead; MIXED otherwise", e.bias)}
	lo := e.byLR[0]
	hi := lrOutcome{lr: math.NaN()}
	maxDead, maxLR := 0.0, lo.lr
	for _, s := range e.byLR {
		if s.runs-s.diverged >= appearMinFinished {
			hi = s
		}
		if s.dead.N > 0 && s.dead.Mean > maxDead {
			maxDead, maxLR = s.dead.Mean, s.lr
		}
	}
	var divergedAbove []string
	for _, s := range e.byLR {
		if s.lr > hi.lr && s.diverged > 0 {
			divergedAbove = append(divergedAbove, fmt.Sprintf("%d/%d diverged at lr %s", s.diverged, s.runs, fmtLR(s.lr)))
		}
	}
	if math.IsNaN(hi.lr) || hi.lr == lo.lr {
		v.Outcome = result.Mixed
		v.Why = "Fewer than two learning rates had at least two ReLU seeds that did not diverge, so the rule cannot be applied."
		return v
	}
	v.Evidence = []result.Evidence{
		{Name: fmt.Sprintf("relu dead fraction, lr %s", fmtLR(lo.lr)), Estimate: lo.dead},
		{Name: fmt.Sprintf("relu dead fraction, lr %s", fmtLR(hi.lr)), Estimate: hi.dead},
		{Name: fmt.Sprintf("relu test accuracy, lr %s", fmtLR(hi.lr)), Estimate: hi.acc},
		{Name: fmt.Sprintf("relu runs diverged, lr %s", fmtLR(hi.lr)), Estimate: metrics.ProportionCI(hi.diverged, hi.runs)},
	}
	switch {
	case hi.dead.Mean >= appearMinDead && hi.dead.Lo > lo.dead.Hi:
		v.Outcome = result.Confirmed
	case maxDead <= appearNoDeath:
		v.Outcome = result.Refuted
	default:
		v.Outcome = result.Mixed
	}
	v.Why = fmt.Sprintf("At lr %s %.1f%% of ReLU units ended dead against %.1f%% at lr %s (most: %.1f%% at lr %s)",
		fmtLR(hi.lr), 100*hi.dead.Mean, 100*lo.dead.Mean, fmtLR(lo.lr), 100*maxDead, fmtLR(maxLR))
	if len(divergedAbove) > 0 {
		v.Why += "; above it runs diverged instead (" + strings.Join(divergedAbove, ", ") + ")"
	}
	v.Why += "."
	return v
}

// Dead units never recover (C8).

const (
	// recoverMinEverDead: a choice; with fewer dead units the share that
	// recovered is too uncertain to read.
	recoverMinEverDead = 10
	// recoverNever: a choice; "never" is read as an upper bound below 1%.
	recoverNever = 0.01
	// recoverOften: a choice; a lower bound above 5% means recovery is no
	// rare exception.
	recoverOften = 0.05
)

// recoverEvidence sums the unit histories of every ReLU run (f'(0) = 0 or
// not): all layers, the first hidden layer, and the layers above it.
type recoverEvidence struct {
	all, first, deeper metrics.DeathCounts
}

// recoverVerdict reads the share of units dead at some probe (init or
// after an epoch) that were alive at a later one, with its Wilson interval.
func recoverVerdict(e recoverEvidence) result.Verdict {
	v := result.Verdict{Claim: "C8",
		Statement: "dead ReLU units never recover",
		Rule: "over every ReLU run (all learning rates, biases, seeds and layers), the share of units dead at some probe (init or after an epoch) that were alive at a later one, with its 95% Wilson interval: " +
			"CONFIRMED if the upper bound is below 0.01; REFUTED if the lower bound is above 0.05; MIXED otherwise, or if fewer than 10 units ever died"}
	all, first, deeper := e.all, e.first, e.deeper
	share := metrics.ProportionCI(all.Recovered, all.EverDead)
	v.Evidence = []result.Evidence{
		{Name: fmt.Sprintf("share of dead ReLU units that recovered (%d of %d)", all.Recovered, all.EverDead), Estimate: share},
		{Name: fmt.Sprintf("first hidden layer (%d of %d)", first.Recovered, first.EverDead), Estimate: metrics.ProportionCI(first.Recovered, first.EverDead)},
		{Name: fmt.Sprintf("deeper layers (%d of %d)", deeper.Recovered, deeper.EverDead), Estimate: metrics.ProportionCI(deeper.Recovered, deeper.EverDead)},
		{Name: fmt.Sprintf("units killed during training (%d of %d)", all.Killed, all.Units), Estimate: metrics.ProportionCI(all.Killed, all.Units)},
	}
	switch {
	case all.EverDead < recoverMinEverDead:
		v.Outcome = result.Mixed
		v.Why = fmt.Sprintf("Only %d ReLU units were ever dead, too few to tell.", all.EverDead)
		return v
	case share.Hi < recoverNever:
		v.Outcome = result.Confirmed
	case share.Lo > recoverOften:
		v.Outcome = result.Refuted
	default:
		v.Outcome = result.Mixed
	}
	v.Why = fmt.Sprintf("%d of %d dead ReLU units (%.1f%%) were alive again after a later epoch: %d of %d in the first hidden layer, %d of %d in deeper layers, which can revive when the layers below them change.",
		all.Recovered, all.EverDead, 100*share.Mean, first.Recovered, first.EverDead, deeper.Recovered, deeper.EverDead)
	return v
}

// Leaky ReLU, PReLU and ELU fix dying (C8).

// fixesStressDead: a choice; a (learning rate, bias) where ReLU's mean
// final dead fraction reaches 5% is a stress setting, one with dying to
// prevent. The summary selects the stress settings with it.
const fixesStressDead = 0.05

// fixOutcome is one of leaky, prelu, elu. Its stuck fraction, accuracy
// and divergences are pooled over the stress settings; stuckRuns and
// stuckLRs count its finished runs, at any setting, that ended with a
// unit stuck at a constant output.
type fixOutcome struct {
	name           string
	stuck, acc     metrics.Estimate
	diverged, runs int
	stuckRuns      int
	stuckLRs       []float64 // ascending
}

type fixesEvidence struct {
	fixes                  []fixOutcome // those run, in the order of the variants
	stress                 int          // stress settings (see fixesStressDead)
	reluDead, reluAcc      metrics.Estimate
	reluDiverged, reluRuns int
}

// fixesVerdict: at the stress settings each fix must have no stuck units,
// train at least as well as ReLU on average, and diverge no more often.
func fixesVerdict(e fixesEvidence) result.Verdict {
	v := result.Verdict{Claim: "C8",
		Statement: "Leaky ReLU, PReLU and ELU prevent dead units",
		Rule: "stress settings: (learning rate, bias) where ReLU's mean final dead fraction is >= 0.05. CONFIRMED if each of leaky, prelu, elu (those run) ends no finished run with a stuck unit " +
			"(the same output on every training example, as a dead ReLU unit is stuck at 0), and at the stress settings its mean test accuracy (diverged runs at chance) is >= ReLU's and it diverged in no more runs than ReLU; " +
			"REFUTED if one of them ends a run with stuck units; " +
			"MIXED otherwise, or if ReLU lost fewer than 5% of its units everywhere"}
	if len(e.fixes) == 0 {
		v.Outcome = result.Mixed
		v.Why = "None of leaky, prelu and elu was run (add them with --variant)."
		return v
	}
	names := make([]string, len(e.fixes))
	for i, f := range e.fixes {
		names[i] = f.name
	}
	if len(e.fixes) < 3 {
		v.Statement += " (tested: " + strings.Join(names, ", ") + ")"
	}
	if e.stress == 0 {
		v.Outcome = result.Mixed
		v.Why = "ReLU lost fewer than 5% of its units at every learning rate and bias, so there was no dying to prevent."
		return v
	}
	v.Evidence = append(v.Evidence,
		result.Evidence{Name: fmt.Sprintf("relu dead fraction at the %d stress settings", e.stress), Estimate: e.reluDead},
		result.Evidence{Name: "relu test accuracy at the stress settings", Estimate: e.reluAcc},
		result.Evidence{Name: "relu runs diverged at the stress settings", Estimate: metrics.ProportionCI(e.reluDiverged, e.reluRuns)})
	anyStuck, allBetter := false, true
	var parts, stuckAt []string
	for _, f := range e.fixes {
		v.Evidence = append(v.Evidence,
			result.Evidence{Name: f.name + " stuck fraction at the stress settings", Estimate: f.stuck},
			result.Evidence{Name: f.name + " test accuracy at the stress settings", Estimate: f.acc},
			result.Evidence{Name: f.name + " runs diverged at the stress settings", Estimate: metrics.ProportionCI(f.diverged, f.runs)})
		if f.stuckRuns > 0 {
			anyStuck = true
			lrs := make([]string, len(f.stuckLRs))
			for i, lr := range f.stuckLRs {
				lrs[i] = fmtLR(lr)
			}
			stuckAt = append(stuckAt, fmt.Sprintf("%s in %d runs (lr %s)", f.name, f.stuckRuns, strings.Join(lrs, ", ")))
		}
		// Written so that a NaN accuracy counts as not better.
		if !(f.acc.Mean >= e.reluAcc.Mean) || f.diverged > e.reluDiverged {
			allBetter = false
		}
		parts = append(parts, fmt.Sprintf("%s %.3f (%d/%d diverged)", f.name, f.acc.Mean, f.diverged, f.runs))
	}
	switch {
	case anyStuck:
		v.Outcome = result.Refuted
	case allBetter:
		v.Outcome = result.Confirmed
	default:
		v.Outcome = result.Mixed
	}
	v.Why = fmt.Sprintf("Where ReLU ended with %.0f%% dead units (%d settings; test accuracy %.3f, %d/%d runs diverged), %s reached test accuracy %s",
		100*e.reluDead.Mean, e.stress, e.reluAcc.Mean, e.reluDiverged, e.reluRuns, strings.Join(names, ", "), strings.Join(parts, ", "))
	if len(stuckAt) > 0 {
		v.Why += "; but units ended stuck at a constant output, as dead as ReLU's, for " + strings.Join(stuckAt, " and ") + "."
	} else {
		v.Why += ", with no unit dead or stuck."
	}
	return v
}

// A dead unit is a form of vanishing gradient (C9).

const (
	// vanishingMinDead: a choice; with fewer dead units the share is too
	// uncertain to read.
	vanishingMinDead = 10
	// vanishingAlways: a choice; "exactly zero gradient" is read as a lower
	// bound of 95% on the share of dead units that got none.
	vanishingAlways = 0.95
	// vanishingRarely: a choice; if most dead units still get a gradient,
	// dying is not a vanishing gradient.
	vanishingRarely = 0.5
)

// vanishingEvidence covers ReLU with f'(0) = 0, every run, layer and
// epoch: dead counts the units dead at the start of an epoch, noGrad those
// of them whose dL/dz was exactly 0 at every step of it. The fractions are
// means over seeds, shown beside.
type vanishingEvidence struct {
	dead, noGrad                      int
	deadFrac, noGradFrac, zeroEntries metrics.Estimate
}

func vanishingGradientVerdict(e vanishingEvidence) result.Verdict {
	v := result.Verdict{Claim: "C9",
		Statement: "dying is a vanishing gradient: a dead ReLU unit receives exactly zero gradient over the following epoch",
		Rule: "ReLU with f'(0) = 0, every run, layer and epoch: of the units dead at the start of an epoch, the share whose dL/dz was exactly 0 at every training step of that epoch (95% Wilson interval). " +
			"CONFIRMED if its lower bound is >= 0.95; REFUTED if its mean is below 0.5; MIXED otherwise, or if fewer than 10 dead units were observed"}
	share := metrics.ProportionCI(e.noGrad, e.dead)
	v.Evidence = []result.Evidence{
		{Name: fmt.Sprintf("share of dead units with zero gradient throughout the next epoch (%d of %d)", e.noGrad, e.dead), Estimate: share},
		{Name: "fraction of units dead at the start of an epoch", Estimate: e.deadFrac},
		{Name: "fraction of units with zero gradient throughout an epoch", Estimate: e.noGradFrac},
		{Name: "fraction of dL/dz entries exactly zero", Estimate: e.zeroEntries},
	}
	switch {
	case e.dead < vanishingMinDead:
		v.Outcome = result.Mixed
		v.Why = fmt.Sprintf("Only %d dead ReLU units were observed at the start of an epoch, too few to tell.", e.dead)
		return v
	case share.Lo >= vanishingAlways:
		v.Outcome = result.Confirmed
	case share.Mean < vanishingRarely:
		v.Outcome = result.Refuted
	default:
		v.Outcome = result.Mixed
	}
	v.Why = fmt.Sprintf("%d of %d units dead at the start of an epoch (%.1f%%) received exactly zero gradient at every step of it; on average %.1f%% of units were dead and %.1f%% got no gradient all epoch, while %.1f%% of individual gradient entries were zero.",
		e.noGrad, e.dead, 100*share.Mean, 100*e.deadFrac.Mean, 100*e.noGradFrac.Mean, 100*e.zeroEntries.Mean)
	return v
}

// The value of ReLU's f'(0) does not change dying (C1).

const (
	// derivMinSeeds: a setting is compared only if both variants have this
	// many finished seeds, the fewest whose interval has a width (one seed
	// gives Lo = Hi = mean).
	derivMinSeeds = 2
	// derivFarApart: a choice; disjoint intervals whose means differ by
	// more than 5% of the units are a real difference, not a sliver.
	derivFarApart = 0.05
)

// deadPair is one (learning rate, bias): the final dead fraction of relu
// and of the relu-d<v> variant, over their finished seeds.
type deadPair struct {
	relu, other metrics.Estimate
}

type derivAtZeroEvidence struct {
	other    string     // the relu-d<v> variant; "" if none was run
	settings []deadPair // biases outer, learning rates inner
	// Means over seeds of every setting: the final dead fractions, and the
	// share of the other variant's pre-activations exactly 0 in training.
	reluDead, otherDead, zeroPre metrics.Estimate
}

// derivAtZeroVerdict compares ReLU with f'(0) = 0 against f'(0) = v != 0,
// setting by setting.
func derivAtZeroVerdict(e derivAtZeroEvidence) result.Verdict {
	v := result.Verdict{Claim: "C1",
		Statement: "the value taken for ReLU's f'(0) does not change how many units die",
		Rule: "for every (learning rate, bias) with at least 2 finished seeds of both relu and relu-d<v>: CONFIRMED if no setting has disjoint 95% CIs of the final dead fraction; " +
			"REFUTED if some setting has disjoint CIs and means more than 0.05 apart; MIXED otherwise"}
	if e.other == "" {
		v.Outcome = result.Mixed
		v.Why = "No relu-d<v> variant with f'(0) != 0 was run (add relu-d1 with --variant)."
		return v
	}
	disjoint, farApart, compared := 0, 0, 0
	for _, s := range e.settings {
		a, o := s.relu, s.other
		if a.N < derivMinSeeds || o.N < derivMinSeeds {
			continue
		}
		compared++
		if a.Hi < o.Lo || o.Hi < a.Lo {
			disjoint++
			if math.Abs(a.Mean-o.Mean) > derivFarApart {
				farApart++
			}
		}
	}
	v.Evidence = []result.Evidence{
		{Name: "relu final dead fraction, all settings", Estimate: e.reluDead},
		{Name: e.other + " final dead fraction, all settings", Estimate: e.otherDead},
		{Name: e.other + ": fraction of pre-activations exactly 0 in training steps (where f'(0) is used)", Estimate: e.zeroPre},
	}
	switch {
	case compared == 0:
		v.Outcome = result.Mixed
		v.Why = "No setting had two finished seeds of both, so the rule cannot be applied."
		return v
	case disjoint == 0:
		v.Outcome = result.Confirmed
	case farApart > 0:
		v.Outcome = result.Refuted
	default:
		v.Outcome = result.Mixed
	}
	v.Why = fmt.Sprintf("In %d of %d settings the dead fractions of relu and %s have disjoint 95%% CIs; a pre-activation was exactly 0, the only place f'(0) enters, in a fraction %.2g of training-step entries.",
		disjoint, compared, e.other, e.zeroPre.Mean)
	return v
}
