package metrics

import "math"

// PairedProportions is a paired 2x2 table: n units each scored yes or no
// under two conditions A and B (two runs of one seed, say). Both counts the
// units yes under both, OnlyA yes under A only, OnlyB yes under B only and
// Neither the rest.
type PairedProportions struct {
	Both, OnlyA, OnlyB, Neither int
}

// N is the number of pairs.
func (t PairedProportions) N() int { return t.Both + t.OnlyA + t.OnlyB + t.Neither }

// Diff is the share of yes under A minus under B, (OnlyA-OnlyB)/N, with
// Newcombe's hybrid score interval for paired data (1998, Statistics in
// Medicine 17:2635, method 10) at 95%. The interval squares and adds the
// two marginal Wilson intervals, as for independent proportions, less a
// term for their correlation phi, estimated from the table with Newcombe's
// continuity correction (ad-bc is shrunk towards 0 by N/2 when positive;
// phi is 0 if a margin is empty). Like the Wilson interval, it behaves at
// shares of 0 and 1, where the normal approximation collapses. SD is NaN
// (the interval is not symmetric) and N the number of pairs.
func (t PairedProportions) Diff() Estimate {
	n := t.N()
	if n == 0 {
		nan := math.NaN()
		return Estimate{Mean: nan, Lo: nan, Hi: nan, SD: nan}
	}
	yesA, yesB := t.Both+t.OnlyA, t.Both+t.OnlyB
	a, b := ProportionCI(yesA, n), ProportionCI(yesB, n)
	d := a.Mean - b.Mean
	phi := 0.0
	if yesA > 0 && yesA < n && yesB > 0 && yesB < n {
		cross := float64(t.Both)*float64(t.Neither) - float64(t.OnlyA)*float64(t.OnlyB)
		switch half := float64(n) / 2; {
		case cross > half:
			cross -= half
		case cross >= 0:
			cross = 0
		}
		margins := float64(yesA) * float64(n-yesA) * float64(yesB) * float64(n-yesB)
		phi = cross / math.Sqrt(margins)
	}
	// The lower end pairs A's distance to its lower Wilson bound with B's
	// to its upper one, and the other way round for the upper end.
	aLo, aHi := a.Mean-a.Lo, a.Hi-a.Mean
	bLo, bHi := b.Mean-b.Lo, b.Hi-b.Mean
	lo := d - math.Sqrt(math.Max(0, aLo*aLo+bHi*bHi-2*phi*aLo*bHi))
	hi := d + math.Sqrt(math.Max(0, bLo*bLo+aHi*aHi-2*phi*bLo*aHi))
	return Estimate{Mean: d, Lo: math.Max(-1, lo), Hi: math.Min(1, hi), SD: math.NaN(), N: n}
}
