package metrics

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/reluexp/reluexp/model"
)

// Measures for dying units (claims C8, C9): whether a layer has gone
// silent, whether a net's output no longer depends on its input, which
// units received no gradient, and which units died or came back over time.

// AllZero reports whether every entry of xs is exactly zero (true for an
// empty slice).
func AllZero(xs []float64) bool {
	for _, v := range xs {
		if v != 0 {
			return false
		}
	}
	return true
}

// RowsEqual reports whether every row of m equals the first row exactly.
// For a layer's activations over a batch of different inputs this means the
// layer, and so everything after it, no longer depends on the input.
func RowsEqual(m *model.Matrix) bool {
	if m.Rows == 0 {
		return true
	}
	first := m.Row(0)
	for i := 1; i < m.Rows; i++ {
		for j, v := range m.Row(i) {
			if v != first[j] {
				return false
			}
		}
	}
	return true
}

// AndZeroColumns clears zero[j] for every unit j with a non-zero entry in
// the batch m. A unit owns the columns c with c % len(zero) == j, as in
// DeadUnitTracker. Start from all true and call it on every batch: what
// stays true are the units whose entries were zero throughout, e.g. units
// that received no gradient at all.
func AndZeroColumns(m *model.Matrix, zero []bool) {
	units := len(zero)
	if units == 0 || m.Cols%units != 0 {
		panic("metrics: AndZeroColumns: columns are not a multiple of the unit count")
	}
	for i := 0; i < m.Rows; i++ {
		for c, v := range m.Row(i) {
			if v != 0 {
				zero[c%units] = false
			}
		}
	}
}

// CountTrue is the number of true entries.
func CountTrue(flags []bool) int {
	n := 0
	for _, f := range flags {
		if f {
			n++
		}
	}
	return n
}

// BinomialZ is how many standard errors k successes in n trials lie from
// the expected n*p: (k - n p) / sqrt(n p (1-p)). When p is 0 or 1 there is
// no spread: it is 0 if k is what p forces and +-Inf otherwise.
func BinomialZ(k, n int, p float64) float64 {
	mean := float64(n) * p
	sd := math.Sqrt(float64(n) * p * (1 - p))
	d := float64(k) - mean
	if sd == 0 {
		if d == 0 {
			return 0
		}
		return math.Copysign(math.Inf(1), d)
	}
	return d / sd
}

// BinomialPValue is the exact two-sided p-value of k successes in n trials
// with success probability p: twice the smaller tail, at most 1. Unlike a
// z-score it stays valid when n*p or n*(1-p) is small, where a Monte Carlo
// rate near 0 or 1 is a handful of rare events.
func BinomialPValue(k, n int, p float64) float64 {
	if p <= 0 || p >= 1 {
		if (p <= 0 && k == 0) || (p >= 1 && k == n) {
			return 1
		}
		return 0
	}
	b := distuv.Binomial{N: float64(n), P: p}
	lower := b.CDF(float64(k))
	upper := 1.0
	if k > 0 {
		upper = 1 - b.CDF(float64(k-1))
	}
	return math.Min(1, 2*math.Min(lower, upper))
}

// DeathCounts summarises the histories of a layer's units over a sequence
// of observations (e.g. one per epoch), each saying which units were dead.
type DeathCounts struct {
	Units int `json:"units"`
	// EverDead units were dead in at least one observation; DeadAtStart in
	// the first, DeadAtEnd in the last.
	EverDead    int `json:"ever_dead"`
	DeadAtStart int `json:"dead_at_start"`
	DeadAtEnd   int `json:"dead_at_end"`
	// Killed units were alive in one observation and dead in a later one;
	// Recovered units were dead in one observation and alive in a later one.
	// A unit can be both.
	Killed    int `json:"killed"`
	Recovered int `json:"recovered"`
	// RecoveredClearly counts the Recovered units that were, at a later
	// observation, clearly alive by the observer's stricter test (see
	// DeathHistory.ObserveClear): 0 when only Observe was used.
	RecoveredClearly int `json:"recovered_clearly,omitempty"`
}

// DeathHistory follows each unit of a layer across observations.
type DeathHistory struct {
	wasDead, wasAlive, killed, recovered, first, last []bool
	recoveredClearly                                  []bool
	observed                                          int
}

// NewDeathHistory follows a layer of the given width.
func NewDeathHistory(units int) *DeathHistory {
	mk := func() []bool { return make([]bool, units) }
	return &DeathHistory{wasDead: mk(), wasAlive: mk(), killed: mk(), recovered: mk(), first: mk(), last: mk(), recoveredClearly: mk()}
}

// Observe records one observation: dead[j] says whether unit j was dead.
func (h *DeathHistory) Observe(dead []bool) { h.ObserveClear(dead, nil) }

// ObserveClear is Observe with a stricter test of coming back beside it:
// clear[j] says whether unit j, not dead, was clearly alive (for example
// active on a set share of the examples, not on one). A unit dead at an
// earlier observation and clearly alive at this one counts in
// RecoveredClearly. A nil clear counts none.
func (h *DeathHistory) ObserveClear(dead, clear []bool) {
	if len(dead) != len(h.wasDead) || (clear != nil && len(clear) != len(dead)) {
		panic("metrics: DeathHistory.Observe: wrong number of units")
	}
	for j, d := range dead {
		if clear != nil && clear[j] && !d && h.wasDead[j] {
			h.recoveredClearly[j] = true
		}
		if d {
			if h.wasAlive[j] {
				h.killed[j] = true
			}
			h.wasDead[j] = true
		} else {
			if h.wasDead[j] {
				h.recovered[j] = true
			}
			h.wasAlive[j] = true
		}
	}
	if h.observed == 0 {
		copy(h.first, dead)
	}
	copy(h.last, dead)
	h.observed++
}

// Counts summarises the observations so far.
func (h *DeathHistory) Counts() DeathCounts {
	return DeathCounts{
		Units:       len(h.wasDead),
		EverDead:    CountTrue(h.wasDead),
		DeadAtStart: CountTrue(h.first),
		DeadAtEnd:   CountTrue(h.last),
		Killed:      CountTrue(h.killed),
		Recovered:   CountTrue(h.recovered),

		RecoveredClearly: CountTrue(h.recoveredClearly),
	}
}

// Add sums two counts (of different layers or runs).
func (c DeathCounts) Add(o DeathCounts) DeathCounts {
	return DeathCounts{
		Units:       c.Units + o.Units,
		EverDead:    c.EverDead + o.EverDead,
		DeadAtStart: c.DeadAtStart + o.DeadAtStart,
		DeadAtEnd:   c.DeadAtEnd + o.DeadAtEnd,
		Killed:      c.Killed + o.Killed,
		Recovered:   c.Recovered + o.Recovered,

		RecoveredClearly: c.RecoveredClearly + o.RecoveredClearly,
	}
}
