package vanishing

import (
	"math"
	"strings"
	"testing"
)

// runs is a made-up rate: the final validation accuracy of each run, NaN
// for a diverged one.
func runs(lr float64, accs ...float64) rateRuns {
	r := rateRuns{LR: lr, ValAcc: accs}
	for _, a := range accs {
		if math.IsNaN(a) {
			r.Diverged++
		}
	}
	return r
}

var nan = math.NaN()

func TestChooseRate(t *testing.T) {
	cases := []struct {
		name  string
		rates []rateRuns
		want  float64 // the rate chosen
		edge  bool
		none  bool
		note  string // a part of the note; "" for none
	}{
		{"one rate: nothing to choose, no validation needed", []rateRuns{runs(0.01, nan, nan, nan, nan)}, 0.01, false, false, ""},
		{"the best in the middle", []rateRuns{runs(0.01, 0.90, 0.91), runs(0.03, 0.95, 0.96), runs(0.1, 0.94, 0.93), runs(0.3, 0.5, 0.6)}, 0.03, false, false, "lr 0.03 (chosen on validation)"},
		{"the best at the top edge", []rateRuns{runs(0.01, 0.90, 0.91), runs(0.03, 0.92, 0.93), runs(0.1, 0.94, 0.95)}, 0.1, true, false, "at the grid's largest rate: a larger one might do better"},
		{"the best at the bottom edge", []rateRuns{runs(0.01, 0.95, 0.95), runs(0.03, 0.92, 0.93), runs(0.1, 0.2, 0.1)}, 0.01, true, false, "at the grid's smallest rate: a smaller one might do better"},
		// Diverged runs are left out of a rate's mean, so a rate whose
		// survivors score well would win if it were eligible.
		{"more than a quarter diverged: ineligible", []rateRuns{runs(0.01, 0.90, 0.90, 0.90, 0.90), runs(0.03, 0.93, 0.93, 0.93, 0.93), runs(0.1, 0.99, 0.99, nan, nan)}, 0.03, false, false, "lr 0.03"},
		{"a quarter diverged exactly: still eligible", []rateRuns{runs(0.01, 0.90, 0.90, 0.90, 0.90), runs(0.03, 0.93, 0.93, 0.93, 0.93), runs(0.1, 0.99, 0.99, 0.99, nan)}, 0.1, true, false, "largest rate"},
		{"a tie goes to the smaller rate", []rateRuns{runs(0.01, 0.5, 0.5), runs(0.03, 0.94, 0.96), runs(0.1, 0.96, 0.94), runs(0.3, 0.1, 0.1)}, 0.03, false, false, "lr 0.03"},
		{"a tie at the edge goes to the smaller rate", []rateRuns{runs(0.01, 0.95), runs(0.03, 0.95)}, 0.01, true, false, "smallest rate"},
		{"none eligible: the fewest diverged", []rateRuns{runs(0.01, nan, nan, 0.5, nan), runs(0.03, nan, nan, 0.9, 0.9), runs(0.1, nan, nan, nan, nan)}, 0.03, false, true, "no rate of the grid kept its runs from diverging"},
		// Below 0.2 at every rate: the choice is noise, and the note
		// says so rather than "chosen on validation".
		{"no rate learns", []rateRuns{runs(0.001, 0.106, 0.105), runs(0.003, 0.110, 0.111), runs(0.01, 0.106, 0.107)}, 0.003, false, false, "below 0.2 on validation at every rate of the grid, 0.001 to 0.01, best 0.111: the net was not shown to learn at any rate tried; rates beyond the grid were not tried"},
		// Flat at chance, the edge picked by noise: not called rising.
		{"no rate learns, a flat profile's edge", []rateRuns{runs(0.001, 0.107, 0.105), runs(0.003, 0.104, 0.106), runs(0.01, 0.105, 0.104)}, 0.001, true, false, "best 0.106: the net was not shown to learn at any rate tried; rates beyond the grid were not tried"},
		// Better at the edge than at the far end, flat next to the edge:
		// not rising (a review found the far end a wrong comparison).
		{"no rate learns, flat next to the edge", []rateRuns{runs(0.001, 0.121, 0.121), runs(0.003, 0.119, 0.120), runs(0.01, 0.098, 0.097)}, 0.001, true, false, "best 0.121: the net was not shown to learn"},
		// Rising towards the grid's end, below 0.2 throughout: the edge
		// is named, since a rate beyond it might learn.
		{"no rate learns, best at the edge", []rateRuns{runs(0.001, 0.166, 0.168), runs(0.003, 0.143, 0.145), runs(0.01, 0.118, 0.12)}, 0.001, true, false, "best 0.167 at its smallest rate and rising toward it: the net was not shown to learn at any rate tried, and one beyond the grid might let it"},
		{"the best just at the floor learns", []rateRuns{runs(0.001, 0.15), runs(0.003, 0.2), runs(0.01, 0.1)}, 0.003, false, false, "lr 0.003 (chosen on validation)"},
		{"none eligible, tie in divergence: the smaller rate", []rateRuns{runs(0.01, nan, 0.5), runs(0.03, nan, 0.9)}, 0.01, false, true, "lr 0.01 (no rate"},
	}
	for _, tc := range cases {
		ch := chooseRate(tc.rates)
		if ch.LR != tc.want || ch.Edge != tc.edge || ch.NoneEligible != tc.none {
			t.Errorf("%s: chose lr %g (edge %v, none eligible %v), want %g (edge %v, none eligible %v)", tc.name, ch.LR, ch.Edge, ch.NoneEligible, tc.want, tc.edge, tc.none)
		}
		if tc.rates[ch.Index].LR != ch.LR || ch.Grid != len(tc.rates) {
			t.Errorf("%s: index %d, grid %d do not match lr %g of %d rates", tc.name, ch.Index, ch.Grid, ch.LR, len(tc.rates))
		}
		note := ch.note()
		if (tc.note == "") != (note == "") || !strings.Contains(note, tc.note) {
			t.Errorf("%s: note %q, want one containing %q", tc.name, note, tc.note)
		}
	}
	if ch := chooseRate(nil); ch.Index != -1 {
		t.Errorf("no rates: index %d, want -1", ch.Index)
	}
}

// A net's rates: its own if it names one, else the grid in increasing
// order, else the shared rate.
func TestNetRates(t *testing.T) {
	cases := []struct {
		net  string
		grid []float64
		want []float64
	}{
		{"relu/he-normal", nil, []float64{0.01}},
		{"relu/he-normal", []float64{0.3, 0.01, 0.1}, []float64{0.01, 0.1, 0.3}},
		{"sigmoid/xavier-normal@0.1", []float64{0.3, 0.01}, []float64{0.1}},
		{"sigmoid/xavier-normal@1+0.03+0.3", []float64{0.3, 0.01}, []float64{0.03, 0.3, 1}},
	}
	for _, tc := range cases {
		n, err := parseNet(tc.net, 0.01)
		if err != nil {
			t.Fatal(err)
		}
		got := n.rates(tc.grid)
		if len(got) != len(tc.want) {
			t.Errorf("%s with grid %v: rates %v, want %v", tc.net, tc.grid, got, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("%s with grid %v: rates %v, want %v", tc.net, tc.grid, got, tc.want)
			}
		}
	}
}

// A net's own grid is checked like a single rate: every entry a positive
// number, none twice.
func TestParseNetOwnGridErrors(t *testing.T) {
	for _, bad := range []string{"sigmoid/xavier-normal@0.1+", "sigmoid/xavier-normal@0.1+x", "sigmoid/xavier-normal@0.1+0.1", "sigmoid/xavier-normal@-1+0.1"} {
		if _, err := parseNet(bad, 0.01); err == nil {
			t.Errorf("parseNet(%q) accepted a bad grid", bad)
		}
	}
}
