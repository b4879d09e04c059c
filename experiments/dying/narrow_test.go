package dying

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/reluexp/reluexp/data"
	"github.com/reluexp/reluexp/experiments/harness"
	"github.com/reluexp/reluexp/experiments/kit"
	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/metrics"
	"github.com/reluexp/reluexp/model"
)

// narrowEv builds evidence from a paired table of collapse (A relu, B
// relu-d1), born-dead and acted pair counts and diverged runs.
func narrowEv(t metrics.PairedProportions, bornDead, acted, diverged int) narrowEvidence {
	n := t.N()
	return narrowEvidence{twin: "relu-d1", widths: []int{2, 3}, depth: 10, lr: 0.01, epochs: 2, n: 6000,
		collapsed: t, bornDead: bornDead, acted: acted,
		relu:  narrowArm{runs: n, finished: n, zeroPre: 1000, preActs: 100000},
		other: narrowArm{runs: n, finished: n, zeroPre: 10, preActs: 100000},
		runs:  arm{runs: 2*n + diverged, diverged: diverged}}
}

func TestNarrowVerdict(t *testing.T) {
	same := metrics.PairedProportions{Both: 150, Neither: 50}
	cases := []struct {
		name string
		in   narrowEvidence
		want result.Outcome
		why  string
	}{
		{"no twin: not tested", narrowEvidence{widths: []int{2}}, result.Inconclusive, "No narrow nets"},
		{"no widths: not tested", narrowEvidence{twin: "relu-d1"}, result.Inconclusive, "No narrow nets"},
		{"no finished pair", narrowEv(metrics.PairedProportions{}, 0, 0, 0), result.Inconclusive, "No pair"},
		{"identical collapse, born dead, zeros met", narrowEv(same, 150, 200, 0), result.Confirmed, "inside ±0.10"},
		{"a few rescues: still inside", narrowEv(metrics.PairedProportions{Both: 145, OnlyA: 5, Neither: 50}, 150, 200, 0), result.Confirmed, "relu only 5"},
		{"rescues inside the margin but not zero", narrowEv(metrics.PairedProportions{Both: 140, OnlyA: 10, Neither: 50}, 150, 200, 0), result.Confirmed, "excludes 0"},
		{"relu-d1 rescues many", narrowEv(metrics.PairedProportions{Both: 60, OnlyA: 90, Neither: 50}, 150, 200, 0), result.Refuted, "beyond the 0.10 margin"},
		{"relu-d1 collapses many more", narrowEv(metrics.PairedProportions{Both: 60, OnlyB: 90, Neither: 50}, 150, 200, 0), result.Refuted, "beyond the 0.10 margin"},
		{"straddles the margin", narrowEv(metrics.PairedProportions{Both: 130, OnlyA: 20, Neither: 50}, 150, 200, 0), result.Inconclusive, "straddles"},
		{"few pairs: wide interval", narrowEv(metrics.PairedProportions{Both: 6, Neither: 2}, 6, 8, 0), result.Inconclusive, "straddles"},
		{"nothing to rescue", narrowEv(same, 100, 200, 0), result.Inconclusive, "only 100 of 200 pairs were born dead"},
		{"convention barely acted", narrowEv(same, 150, 90, 0), result.Inconclusive, "barely acted"},
		{"mostly diverged", narrowEv(same, 150, 200, 500), result.Inconclusive, "diverged"},
	}
	for _, tc := range cases {
		v := narrowVerdict(tc.in)
		if v.Outcome != tc.want {
			t.Errorf("%s: %s, want %s (%s)", tc.name, v.Outcome, tc.want, v.Why)
		}
		if !strings.Contains(v.Why, tc.why) {
			t.Errorf("%s: Why %q lacks %q", tc.name, v.Why, tc.why)
		}
		if v.Claim != "C1" || v.Role != result.Supporting || v.Rule == "" || v.Caveat == "" {
			t.Errorf("%s: claim %s role %s, rule or caveat empty", tc.name, v.Claim, v.Role)
		}
		if v.NotTested != strings.HasPrefix(tc.why, "No narrow") {
			t.Errorf("%s: NotTested %v", tc.name, v.NotTested)
		}
		// A CONFIRMED whose interval excludes 0 says on the first screen
		// that f'(0) changes some nets' fate.
		if ctx := "\"does not change\" holds within the 10-point margin, not exactly: +5.0 points of these nets"; (tc.why == "excludes 0") != strings.HasPrefix(v.Context, ctx) {
			t.Errorf("%s: context %q", tc.name, v.Context)
		}
	}
}

// outputProbe on hand-set nets: negative first-layer weights on
// non-negative inputs kill layer 1 (constant, first dead 1); identity
// weights keep the inputs apart; a dead second layer is found as layer 2.
func TestOutputProbe(t *testing.T) {
	set := &data.Set{X: []float64{1, 0, 0, 2, 3, 1}, Y: []int{0, 1, 0}, N: 3, Dim: 2, Classes: 2}
	net, err := model.NewMLP(model.MLPSpec{Inputs: 2, Hidden: []int{2, 2}, Outputs: 2, Activation: model.ActivationSpec{Name: "relu"}, Init: model.Init{Scheme: model.HeNormal}}, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	set2 := func(l int, w []float64) { copy(net.Hidden(l).Weights.Value, w) }
	cases := []struct {
		name      string
		w1, w2    []float64
		constant  bool
		firstDead int
	}{
		{"identity", []float64{1, 0, 0, 1}, []float64{1, 0, 0, 1}, false, 0},
		{"layer 1 dead", []float64{-1, -1, -1, -1}, []float64{1, 0, 0, 1}, true, 1},
		{"layer 2 dead", []float64{1, 0, 0, 1}, []float64{-1, -1, -1, -1}, true, 2},
		{"one unit dead, one alive", []float64{1, -1, 0, -1}, []float64{1, 0, 0, 1}, false, 0},
	}
	for _, tc := range cases {
		set2(0, tc.w1)
		set2(1, tc.w2)
		for _, batch := range []int{1, 2, 1000} {
			c, f := outputProbe(net, set, batch)
			if c != tc.constant || f != tc.firstDead {
				t.Errorf("%s, batch %d: constant %v, first dead %d; want %v, %d", tc.name, batch, c, f, tc.constant, tc.firstDead)
			}
		}
	}
}

// narrowEvidenceOf pairs runs by seed and width, leaves out pairs with a
// diverged arm (counting those with one), and counts rescues.
func TestNarrowEvidenceOf(t *testing.T) {
	c := &Config{Variants: []string{"relu", "relu-d1"}, NarrowWidths: []int{2}, NarrowDepth: 3, NarrowSeeds: 4, NarrowLR: 0.01, NarrowEpochs: 1, TrainExamples: 10}
	run := func(v string, s int, born, coll, div bool, zeros int) harness.Done[dyingCell, dyingResult] {
		r := &narrowResult{BornDead: born, Collapsed: coll, ZeroPre: zeros, PreActs: 100,
			Train: kit.TrainOutcome{Diverged: div, Epochs: []kit.EpochStats{{TestAcc: 0.1, TestLoss: 2.3}}}}
		return harness.Done[dyingCell, dyingResult]{Params: dyingCell{Kind: "narrow", Narrow: &narrowCell{Variant: v, Width: 2, Seed: s}}, Result: dyingResult{Narrow: r}}
	}
	done := []harness.Done[dyingCell, dyingResult]{
		run("relu", 0, true, true, false, 50), run("relu-d1", 0, true, false, false, 3), // rescued
		run("relu", 1, true, true, false, 50), run("relu-d1", 1, true, true, false, 0), // both collapsed, no zero met
		run("relu", 2, false, false, false, 5), run("relu-d1", 2, false, false, false, 1), // neither
		run("relu", 3, true, true, true, 5), run("relu-d1", 3, true, true, false, 1), // one arm diverged
	}
	e := narrowEvidenceOf(c, done)
	if want := (metrics.PairedProportions{Both: 1, OnlyA: 1, Neither: 1}); e.collapsed != want {
		t.Errorf("table %+v, want %+v", e.collapsed, want)
	}
	if len(e.rescuedAcc) != 1 || e.rescuedAcc[0] != 0.1 {
		t.Errorf("rescued accuracies %v, want [0.1]", e.rescuedAcc)
	}
	if e.bornDead != 2 || e.rescued != 1 || e.acted != 2 || e.discordant != 1 || e.identical != 3 {
		t.Errorf("born dead %d, rescued %d, acted %d, discordant %d, identical %d; want 2, 1, 2, 1, 3", e.bornDead, e.rescued, e.acted, e.discordant, e.identical)
	}
	if e.relu.diverged != 1 || e.runs.runs != 8 || e.relu.zeroPre != 110 || e.other.zeroPre != 5 {
		t.Errorf("relu diverged %d, runs %d, zeros %d/%d", e.relu.diverged, e.runs.runs, e.relu.zeroPre, e.other.zeroPre)
	}
	// Without a relu-d<v> variant no narrow cell is planned.
	if cells := narrowCells(&Config{Variants: []string{"relu", "leaky"}, NarrowWidths: []int{2}, NarrowDepth: 3, NarrowSeeds: 2}); len(cells) != 0 {
		t.Errorf("%d narrow cells without a twin, want 0", len(cells))
	}
}
