package kit

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/metrics"
)

// The two ways a comparison decides a claim. Every comparative rule names a
// margin: the smallest effect that matters for its claim.
//
// A claim of a difference ("A beats B") is shown by an interval beyond the
// margin and refuted by one that excludes it:
//
//	95% CI lower end > margin     CONFIRMED (the effect is there and matters)
//	95% CI upper end < margin     REFUTED   (any effect is smaller than matters)
//	otherwise                     INCONCLUSIVE
//
// A claim of no difference ("f'(0) does not change training") is shown by
// equivalence, two one-sided tests at 5% (TOST):
//
//	90% CI inside (-margin, margin)         CONFIRMED
//	95% CI wholly above margin or below -margin   REFUTED
//	otherwise                               INCONCLUSIVE
//
// Fewer than two pairs decide nothing (INCONCLUSIVE): one seed has no
// interval.

// Superiority decides "the effect exceeds margin" from a paired comparison.
func Superiority(p metrics.Paired, margin float64) result.Outcome {
	switch {
	case p.Diff.N < 2 || math.IsNaN(p.Diff.Lo):
		return result.Inconclusive
	case p.Diff.Lo > margin:
		return result.Confirmed
	case p.Diff.Hi < margin:
		return result.Refuted
	}
	return result.Inconclusive
}

// Equivalence decides "no difference beyond ±margin" from a paired
// comparison.
func Equivalence(p metrics.Paired, margin float64) result.Outcome {
	switch {
	case p.Diff.N < 2 || math.IsNaN(p.Lo90):
		return result.Inconclusive
	case p.Lo90 > -margin && p.Hi90 < margin:
		return result.Confirmed
	case p.Diff.Lo > margin || p.Diff.Hi < -margin:
		return result.Refuted
	}
	return result.Inconclusive
}

// Compared fills the comparison fields of v: the effect (named, with its
// 95% interval), the margin with its reason (why it is the smallest
// difference that matters), n and the minimal detectable effect.
func Compared(v *result.Verdict, name, unit string, p metrics.Paired, margin float64, reason string) {
	v.Effect = &result.Evidence{Name: name, Estimate: p.Diff, Unit: unit}
	v.Margin = result.Float(margin)
	v.MarginReason = reason
	v.N = p.Diff.N
	// JSON has no infinity: with fewer than two pairs nothing is
	// detectable, and the MDE is left out (the rule says INCONCLUSIVE).
	if !math.IsInf(p.MDE, 0) && !math.IsNaN(p.MDE) {
		v.MDE = result.Float(p.MDE)
	}
}

// A figure with an axis of shares or accuracies from 0 to 1 marks runs
// that diverged (which have no value to draw) below the axis's zero, at
// FootY, stacked down by FootStep, on an axis extended down to
// FootAxisMin (FootAxis): a marker inside [0, 1] would read as a value
// near zero.
const (
	FootY       = -0.06
	FootStep    = 0.045
	FootAxisMin = -0.15
)

// FootAxis is the lower end of a 0-to-1 axis whose panel has markers:
// FootAxisMin when a marker stands below zero (lower still if stacked
// markers reach further), else 0.
func FootAxis(markers []result.Marker) float64 {
	lo := 0.0
	for _, m := range markers {
		if m.Y < 0 {
			lo = math.Min(lo, math.Min(FootAxisMin, m.Y-FootStep))
		}
	}
	return lo
}

// FootPanel sets a 0-to-1 panel's lower end by FootAxis and, when marks
// stand below zero, labels its axis from 0 up only (TickMin), so that no
// tick below zero lends a mark a value.
func FootPanel(pn *result.Panel) {
	pn.YMin = FootAxis(pn.Markers)
	if pn.YMin < 0 {
		pn.TickMin, pn.TickMax = 0, pn.YMax
	}
}

// MaxDivergedShare is the share of diverged runs above which an arm's
// numbers describe blow-ups rather than training: a verdict resting on
// such an arm is INCONCLUSIVE. Half is a choice: past it, the arm's
// surviving runs are a minority selected by luck.
const MaxDivergedShare = 0.5

// MostlyDiverged reports whether more than MaxDivergedShare of an arm's
// runs diverged, with a clause saying so for a verdict's Why.
func MostlyDiverged(arm string, diverged, runs int) (bool, string) {
	if runs == 0 {
		return true, fmt.Sprintf("%s has no runs", arm)
	}
	if float64(diverged) > MaxDivergedShare*float64(runs) {
		return true, fmt.Sprintf("%d of %d %s runs diverged (loss above the cap or not finite)", diverged, runs, arm)
	}
	return false, ""
}

// Streams splits a cell's random source into independent streams for the
// initial weights, the data order and everything else (dropout masks,
// probes), so that two paired arms whose nets differ in size (a two-sided
// layer draws twice the weights) still see the same data order.
func Streams(rng *rand.Rand) (init, order, other *rand.Rand) {
	a, b, c := rng.Uint64(), rng.Uint64(), rng.Uint64()
	return rand.New(rand.NewPCG(a, a^0x9e3779b97f4a7c15)),
		rand.New(rand.NewPCG(b, b^0x9e3779b97f4a7c15)),
		rand.New(rand.NewPCG(c, c^0x9e3779b97f4a7c15))
}

// JoinContext joins a verdict's context facts with "; ", leaving out the
// empty ones.
func JoinContext(facts ...string) string {
	var out []string
	for _, f := range facts {
		if f != "" {
			out = append(out, f)
		}
	}
	return strings.Join(out, "; ")
}
