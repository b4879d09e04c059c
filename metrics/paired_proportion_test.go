package metrics

import (
	"math"
	"testing"
)

// Fagerland, Lydersen and Laake (2017, Statistical Analysis of Contingency
// Tables, chapter 8) work Newcombe's square-and-add interval on Cavo et
// al.'s (2012) complete responses before and after consolidation therapy:
// 59 both, 6 before only, 16 after only, 80 neither; the difference
// -0.0621 has the 95% interval -0.1186 to -0.0046.
func TestPairedProportionsCavo(t *testing.T) {
	e := PairedProportions{Both: 59, OnlyA: 6, OnlyB: 16, Neither: 80}.Diff()
	if !near(e.Mean, -10.0/161, 1e-12) || !near(e.Lo, -0.1186, 5e-5) || !near(e.Hi, -0.0046, 5e-5) || e.N != 161 {
		t.Errorf("got %.4f [%.4f, %.4f] over %d, want -0.0621 [-0.1186, -0.0046] over 161", e.Mean, e.Lo, e.Hi, e.N)
	}
}

func TestPairedProportionsEdges(t *testing.T) {
	cases := []struct {
		name   string
		table  PairedProportions
		mean   float64
		lo, hi float64 // bounds the interval must respect: lo < Lo, Hi < hi
	}{
		// Every pair yes under A and no under B: the difference is 1
		// and its interval, Wilson's at both ends, stays below 1 and
		// well above 0 (20 pairs: 1 - sqrt(2) 0.161 = 0.772).
		{"all A only, 20", PairedProportions{OnlyA: 20}, 1, 0.77, 1.0001},
		{"all A only, 5", PairedProportions{OnlyA: 5}, 1, 0.38, 1.0001},
		{"all B only", PairedProportions{OnlyB: 10}, -1, -1.0001, -0.6},
		// No discordant pair: the difference is 0 and the interval
		// straddles it.
		{"all both", PairedProportions{Both: 10}, 0, -0.4, 0.4},
		{"all neither", PairedProportions{Neither: 10}, 0, -0.4, 0.4},
		{"concordant mix", PairedProportions{Both: 5, Neither: 5}, 0, -0.3, 0.3},
	}
	for _, tc := range cases {
		e := tc.table.Diff()
		if !near(e.Mean, tc.mean, 1e-12) || !(e.Lo > tc.lo && e.Hi < tc.hi) || !(e.Lo <= e.Mean && e.Mean <= e.Hi) {
			t.Errorf("%s: %.4f [%.4f, %.4f], want %g inside (%g, %g)", tc.name, e.Mean, e.Lo, e.Hi, tc.mean, tc.lo, tc.hi)
		}
	}
	// Pairing narrows the interval when the two conditions agree on most
	// units: the same margins, concordant, give a narrower interval than
	// the same margins with ad = bc (phi = 0, the independent square-and-add).
	paired := PairedProportions{Both: 40, OnlyA: 10, OnlyB: 0, Neither: 50}.Diff()
	indep := PairedProportions{Both: 20, OnlyA: 30, OnlyB: 20, Neither: 30}.Diff()
	if !near(paired.Mean, indep.Mean, 1e-12) || !(paired.Hi-paired.Lo < indep.Hi-indep.Lo) {
		t.Errorf("correlated pairs %.4f [%.4f, %.4f] should be narrower than uncorrelated %.4f [%.4f, %.4f]",
			paired.Mean, paired.Lo, paired.Hi, indep.Mean, indep.Lo, indep.Hi)
	}
	if e := (PairedProportions{}).Diff(); !math.IsNaN(e.Mean) || e.N != 0 {
		t.Errorf("empty table: %+v, want NaN", e)
	}
}
