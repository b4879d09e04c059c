package vanishing

import (
	"fmt"
	"math"

	"github.com/reluexp/reluexp/experiments/kit"
	"github.com/reluexp/reluexp/metrics"
)

// Choosing a learning rate. A net without "@lr" trains at every rate of
// the grid (Config.TrainLRs); per depth, the rules read the rate whose
// runs reach the highest mean validation accuracy after the last epoch.
// The validation images are held out of training and are not the test
// images the rules read, so the choice does not favour a net on the
// numbers it is judged on.

// ineligibleDivergedShare is the share of diverged runs above which a
// rate cannot be chosen: a rate that blows up in more than one run of
// four is too close to the edge of stability to stand for the net, even
// if its surviving runs score well (the survivors are selected by luck).
const ineligibleDivergedShare = 0.25

// rateRuns is what one rate of one net at one depth gave: the validation
// accuracy after the last epoch of each run (NaN for a diverged run) and
// how many runs diverged.
type rateRuns struct {
	LR       float64
	ValAcc   []float64
	Diverged int
}

// eligible reports whether the rate may be chosen: some run did not
// diverge, and no more than ineligibleDivergedShare of them did.
func (r rateRuns) eligible() bool {
	runs := len(r.ValAcc)
	return r.Diverged < runs && float64(r.Diverged) <= ineligibleDivergedShare*float64(runs)
}

// meanVal is the mean validation accuracy over the runs that did not
// diverge (NaN if none).
func (r rateRuns) meanVal() float64 { return metrics.MeanCI(r.ValAcc).Mean }

// rateChoice is the rate chosen for one net at one depth.
type rateChoice struct {
	// Index is the chosen rate's position in the grid (in increasing
	// order), LR the rate and Val its mean validation accuracy.
	Index int
	LR    float64
	Val   float64
	// Grid is the number of rates tried: with one there was no choice.
	Grid int
	// Edge is set when a grid of two or more rates was chosen at its
	// smallest or largest rate: a rate beyond the grid might have done
	// better.
	Edge bool
	// NoneEligible is set when every rate diverged in more than
	// ineligibleDivergedShare of its runs: the rate with the fewest
	// diverged runs is then taken, so that the rules see the divergence.
	NoneEligible bool
	// NoneLearns is set when, of a grid of two or more rates, no eligible
	// rate's mean validation accuracy reached kit.StallsAccuracy: the net
	// stalled at every rate, and which one is read is arbitrary, unless
	// Rising.
	NoneLearns bool
	// Rising is set, for a net that learns at no rate and is read at the
	// grid's edge, when the edge rate's validation accuracy is above its
	// neighbour's beyond noise (paired over seeds, 95% CI above 0): the
	// net still climbs at the edge, and may learn at a rate beyond it. A
	// profile flat near the edge is not flagged (a first version compared
	// the edge with the grid's other end, which any net that merely does
	// worse at the far end passed).
	Rising bool
	// First and Last are the grid's smallest and largest rates.
	First, Last float64
}

// chooseRate picks, from rates in increasing order of LR, the eligible
// rate with the highest mean validation accuracy; a tie goes to the
// smaller rate (the more stable of two that score alike). If no rate is
// eligible it takes the one with the fewest diverged runs (a tie again
// to the smaller rate) and says so. A single rate is always taken: there
// is nothing to choose, and no validation split is needed.
func chooseRate(rates []rateRuns) rateChoice {
	if len(rates) == 0 {
		return rateChoice{Index: -1, LR: math.NaN(), Val: math.NaN()}
	}
	best := -1
	for i, r := range rates {
		if !r.eligible() || math.IsNaN(r.meanVal()) {
			continue
		}
		if best < 0 || r.meanVal() > rates[best].meanVal() {
			best = i
		}
	}
	none := best < 0
	if none {
		best = 0
		for i, r := range rates {
			if r.Diverged < rates[best].Diverged {
				best = i
			}
		}
	}
	ch := rateChoice{Index: best, LR: rates[best].LR, Val: rates[best].meanVal(), Grid: len(rates), NoneEligible: none && len(rates) > 1,
		First: rates[0].LR, Last: rates[len(rates)-1].LR}
	ch.Edge = len(rates) > 1 && !none && (best == 0 || best == len(rates)-1)
	ch.NoneLearns = len(rates) > 1 && !none && ch.Val < kit.StallsAccuracy
	if ch.NoneLearns && ch.Edge {
		next := 1
		if best > 0 {
			next = best - 1
		}
		ch.Rising = metrics.PairedDiff(rates[best].ValAcc, rates[next].ValAcc).Diff.Lo > 0
	}
	return ch
}

// note is how a table or a verdict names the choice: empty for a single
// rate, else the rate and what to know about it.
func (ch rateChoice) note() string {
	switch {
	case ch.Grid < 2:
		return ""
	case ch.NoneEligible:
		return fmt.Sprintf("lr %g (no rate of the grid kept its runs from diverging: more than %g of them diverged at every rate; the rate with the fewest diverged runs is read)", ch.LR, ineligibleDivergedShare)
	case ch.NoneLearns && ch.Rising:
		end := "largest"
		if ch.Index == 0 {
			end = "smallest"
		}
		return fmt.Sprintf("lr %g (below %.1f on validation at every rate of the grid, %g to %g, best %.3f at its %s rate and rising toward it: the net was not shown to learn at any rate tried, and one beyond the grid might let it)", ch.LR, kit.StallsAccuracy, ch.First, ch.Last, ch.Val, end)
	case ch.NoneLearns:
		return fmt.Sprintf("lr %g (below %.1f on validation at every rate of the grid, %g to %g, best %.3f: the net was not shown to learn at any rate tried; rates beyond the grid were not tried)", ch.LR, kit.StallsAccuracy, ch.First, ch.Last, ch.Val)
	case ch.Edge && ch.Index == 0:
		return fmt.Sprintf("lr %g (chosen on validation at the grid's smallest rate: a smaller one might do better)", ch.LR)
	case ch.Edge:
		return fmt.Sprintf("lr %g (chosen on validation at the grid's largest rate: a larger one might do better)", ch.LR)
	}
	return fmt.Sprintf("lr %g (chosen on validation)", ch.LR)
}
