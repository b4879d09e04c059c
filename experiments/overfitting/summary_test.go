package overfitting

import (
	"math"
	"strings"
	"testing"

	"github.com/reluexp/reluexp/experiments/harness"
)

func TestReadOverfitRun(t *testing.T) {
	res := overfitResult{BestStep: 20, FinalTestAcc: 0.74, BestTestAcc: 0.79, Checkpoints: []overfitCheckpoint{
		{Step: 0, TrainLoss: 2.3, TrainAcc: 0.1, ValAcc: 0.1},
		{Step: 10, TrainLoss: 0.5, TrainAcc: 0.8, ValAcc: 0.7},
		{Step: 20, TrainLoss: 0.1, TrainAcc: 1.0, ValAcc: 0.8},
		{Step: 40, TrainLoss: 0.02, TrainAcc: 1.0, ValAcc: 0.75},
	}}
	// Training accuracy reaches 0.9 halfway from step 10 to 20, where
	// validation accuracy reads 0.75: the gap there is 0.15. Half the
	// budget of 40 is step 20: the late gain is 0.75 - 0.8.
	r := readOverfitRun(0, 40, 0.9, 0.3, 10, res)
	if !r.reached || math.Abs(r.stepAt-15) > 1e-12 || math.Abs(r.gapAt-0.15) > 1e-12 {
		t.Errorf("gap %g at step %g (reached %v), want 0.15 at 15", r.gapAt, r.stepAt, r.reached)
	}
	if math.Abs(r.finalGap-0.25) > 1e-12 || math.Abs(r.lateGain+0.05) > 1e-12 || r.bestTest != 0.79 || r.finalTest != 0.74 || r.bestEpoch != 2 {
		t.Errorf("final gap %g, late gain %g, test %g/%g, best epoch %g; want 0.25, -0.05, 0.74/0.79, 2", r.finalGap, r.lateGain, r.finalTest, r.bestTest, r.bestEpoch)
	}
	// Training loss falls to 0.3 halfway from step 10 to 20, where the
	// gap reads halfway between 0.1 and 0.2.
	if !r.lossReached || math.Abs(r.lossGapAt-0.15) > 1e-12 {
		t.Errorf("gap %g at training loss 0.3 (reached %v), want 0.15", r.lossGapAt, r.lossReached)
	}
	// A level never reached leaves the run censored: no gap, counted.
	if r := readOverfitRun(0, 40, 1.01, 0.01, 10, res); r.reached || !math.IsNaN(r.gapAt) || r.lossReached || !math.IsNaN(r.lossGapAt) {
		t.Errorf("levels 1.01 and loss 0.01: reached %v/%v with gaps %g/%g, want both censored", r.reached, r.lossReached, r.gapAt, r.lossGapAt)
	}
	// A diverged run has no numbers at all, however good its checkpoints.
	res.Diverged = true
	if r := readOverfitRun(0, 40, 0.9, 0.3, 10, res); r.reached || !math.IsNaN(r.finalGap) || !math.IsNaN(r.bestTest) {
		t.Errorf("diverged run read as reached %v, gap %g, test %g", r.reached, r.finalGap, r.bestTest)
	}
}

func TestCheckpointStepsIncludeHalfTheBudget(t *testing.T) {
	for _, steps := range []int{7, 250, 1000, 2500} {
		at := checkpointSteps(steps, 10)
		has := false
		for i, s := range at {
			has = has || s == steps/2
			if i > 0 && s <= at[i-1] {
				t.Errorf("steps %d: checkpoints %v not increasing", steps, at)
			}
		}
		if !has || at[len(at)-1] != steps {
			t.Errorf("steps %d: checkpoints %v lack half the budget or the end", steps, at)
		}
	}
}

// The gaps are read at the highest level of the ladder that at least 80%
// of the finite runs of every arm reach; the choice reads training
// accuracy only.
func TestMatchedLevelLadder(t *testing.T) {
	// run is a run whose training accuracy climbs to top by step 100.
	run := func(variant string, drop float64, seed int, top float64, diverged bool) harness.Done[overfitCell, overfitResult] {
		r := overfitResult{Steps: 100, Diverged: diverged, Checkpoints: []overfitCheckpoint{
			{Step: 0, TrainAcc: 0.1, ValAcc: 0.1}, {Step: 50, TrainAcc: (0.1 + top) / 2, ValAcc: 0.5}, {Step: 100, TrainAcc: top, ValAcc: 0.8}}}
		return harness.Done[overfitCell, overfitResult]{Params: overfitCell{Variant: variant, HiddenDropout: drop, Size: 2000, Steps: 100, Batch: 64, Seed: seed}, Result: r}
	}
	// arms builds 5 seeds of relu without dropout (reaching 1) and with
	// it, whose seeds reach the given tops.
	arms := func(tops ...float64) []harness.Done[overfitCell, overfitResult] {
		var done []harness.Done[overfitCell, overfitResult]
		for s, top := range tops {
			done = append(done, run("relu", 0, s, 1, false), run("relu", 0.5, s, top, false))
		}
		return done
	}
	cases := []struct {
		name    string
		done    []harness.Done[overfitCell, overfitResult]
		level   float64
		noteHas string
	}{
		{"a fifth of the dropout runs short: the configured level", arms(0.995, 0.995, 0.991, 0.995, 0.5), 0.99, ""},
		// Two of five short is a minority, but reading 0.99 would pair
		// only the three faster-fitting seeds: read where every pair is.
		{"two of five short of 0.99: read lower, where nearly every pair is", arms(0.995, 0.995, 0.995, 0.95, 0.95), 0.95,
			"More than 20% of the finite runs of relu + dropout 0.2/0.5 n=2000 never reached 0.99 training accuracy, so the comparisons they are in are read at 0.95"},
		{"most dropout runs short of 0.99: read at 0.98", arms(0.985, 0.985, 0.985, 0.995, 0.985), 0.98,
			"More than 20% of the finite runs of relu + dropout 0.2/0.5 n=2000 never reached 0.99 training accuracy, so the comparisons they are in are read at 0.98, the highest of 0.99, 0.98, 0.95 and 0.9 that at least 80% of the finite runs of each of ReLU's arms reached"},
		{"down to 0.9", arms(0.92, 0.93, 0.94, 0.99, 0.95), 0.9, "read at 0.9"},
		{"no level reached: the configured one, said", arms(0.5, 0.6, 0.7, 0.99, 0.5), 0.99,
			"No level of 0.99, 0.98, 0.95 and 0.9 was reached by at least 80% of the finite runs of each of ReLU's arms (more than 20% of those of relu + dropout 0.2/0.5 n=2000 never reached 0.99)"},
		// An arm the rule does not read does not move its level.
		{"an arm not counted", append(arms(0.995, 0.995, 0.995, 0.995, 0.995), run("tanh", 0.5, 0, 0.5, false), run("tanh", 0.5, 1, 0.5, false)), 0.99, ""},
		// Diverged runs are not unfit: four of five diverged leave one
		// finite run, which reached 0.99.
		{"diverged runs do not count as unfit", append(arms(0.995), run("relu", 0.5, 1, 0.5, true), run("relu", 0.5, 2, 0.5, true), run("relu", 0.5, 3, 0.5, true), run("relu", 0.5, 4, 0.5, true)), 0.99, ""},
	}
	for _, tc := range cases {
		c := overfittingDefaults(false)
		c.Seeds, c.Sizes, c.DropoutSizes = 5, []int{2000}, []int{2000}
		s := newOverfitSummary(c, tc.done, "ReLU's arms", func(k armKey) bool { return k.variant == "relu" })
		if s.level != tc.level {
			t.Errorf("%s: level %g, want %g", tc.name, s.level, tc.level)
		}
		note := s.levelNote()
		if (tc.noteHas == "") != (note == "") || !strings.Contains(note, tc.noteHas) {
			t.Errorf("%s: note %q, want one containing %q", tc.name, note, tc.noteHas)
		}
		for k, rs := range s.runs {
			for _, o := range rs {
				if o.present && !o.diverged && o.reached && o.train[len(o.train)-1] < tc.level {
					t.Errorf("%s: %v seed %d reached %g with training accuracy %g at most", tc.name, k, o.seed, tc.level, o.train[len(o.train)-1])
				}
			}
		}
	}
}

// Each comparison reads its own level: a dropout arm short of 0.99 moves
// dropout's comparison to a fallback, not the more-data comparison, whose
// arms reach 0.99.
func TestComparisonsReadTheirOwnLevel(t *testing.T) {
	run := func(drop float64, size, seed int, top float64) harness.Done[overfitCell, overfitResult] {
		r := overfitResult{Steps: 100, Checkpoints: []overfitCheckpoint{
			{Step: 0, TrainAcc: 0.1, ValAcc: 0.1}, {Step: 50, TrainAcc: (0.1 + top) / 2, ValAcc: 0.5 + 0.01*float64(seed)}, {Step: 100, TrainAcc: top, ValAcc: 0.8}}}
		return harness.Done[overfitCell, overfitResult]{Params: overfitCell{Variant: "relu", HiddenDropout: drop, Size: size, Steps: 100, Batch: 64, Seed: seed}, Result: r}
	}
	c := overfittingDefaults(false)
	c.Variants, c.DropoutVariants, c.Seeds, c.Sizes, c.DropoutSizes = []string{"relu"}, []string{"relu"}, 4, []int{500, 2000}, []int{2000}
	var done []harness.Done[overfitCell, overfitResult]
	for s := range 4 {
		done = append(done, run(0, 500, s, 1), run(0, 2000, s, 1), run(0.5, 2000, s, 0.96))
	}
	drop := newOverfitSummary(c, done, "drop", func(k armKey) bool { return k.size == 2000 })
	data := newOverfitSummary(c, done, "data", func(k armKey) bool { return k.rate == 0 })
	e := drop.shrinkEvidence(data)
	if e.dropout.level != 0.95 || e.data.level != 0.99 {
		t.Fatalf("levels: dropout %g, data %g; want 0.95 and 0.99", e.dropout.level, e.data.level)
	}
	if !strings.Contains(e.dropout.name, "gap at 0.95") || !strings.Contains(e.data.name, "gap at 0.99") {
		t.Errorf("names %q and %q do not say their levels", e.dropout.name, e.data.name)
	}
	if !strings.Contains(e.levelNote, "read at 0.95") || strings.Contains(e.levelNote, "read at 0.99") {
		t.Errorf("note %q: want the dropout comparison's fallback alone", e.levelNote)
	}
	// The fit table counts, per level, the runs the choice reads: the
	// dropout arm's tops at 0.96 reach 0.95 and 0.9 only.
	fit := newOverfitSummary(c, done, "", nil).fitTable()
	for _, r := range fit.Rows {
		want := []string{"4/4", "4/4", "4/4", "4/4"}
		if strings.Contains(r[0], "dropout") {
			want = []string{"0/4", "0/4", "4/4", "4/4"}
		}
		if got := r[2:]; strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("fit table row %v: reached %v, want %v", r[:2], got, want)
		}
	}
	if got := fallbackSummaries(c, drop, data); len(got) != 1 || got[0].level != 0.95 || got[0].levelName("matched") != "matched-at-0.95" {
		t.Errorf("fallback tables %v: want one, at 0.95, named matched-at-0.95", got)
	}
}

// An arm with no run to average at a size is marked on a grey band below
// every value drawn, not at a value among them.
func TestNoRunMarkerOnItsBand(t *testing.T) {
	run := func(drop float64, seed int, top, val float64) harness.Done[overfitCell, overfitResult] {
		r := overfitResult{Steps: 100, Checkpoints: []overfitCheckpoint{
			{Step: 0, TrainAcc: 0.1, ValAcc: 0.1}, {Step: 50, TrainAcc: (0.1 + top) / 2, ValAcc: val - 0.1}, {Step: 100, TrainAcc: top, ValAcc: val}}}
		return harness.Done[overfitCell, overfitResult]{Params: overfitCell{Variant: "relu", HiddenDropout: drop, Size: 2000, Steps: 100, Batch: 64, Seed: seed}, Result: r}
	}
	c := overfittingDefaults(false)
	c.Variants, c.DropoutVariants = []string{"relu"}, []string{"relu"}
	c.Seeds, c.Sizes, c.DropoutSizes = 3, []int{2000}, []int{2000}
	var done []harness.Done[overfitCell, overfitResult]
	for s := range 3 {
		done = append(done, run(0, s, 1, 0.8+0.01*float64(s)), run(0.5, s, 0.5, 0.45))
	}
	pn := newOverfitSummary(c, done, "", nil).matchedFigure().Panels[0]
	var none []float64
	for _, m := range pn.Markers {
		if m.Label == noneLabel {
			none = append(none, m.Y)
		}
	}
	if len(none) != 1 {
		t.Fatalf("%d no-run markers, want 1 (the dropout arm)", len(none))
	}
	band := false
	for _, ln := range pn.Lines {
		if ln.Label == "" {
			band = len(ln.Lo) > 0 && ln.Lo[0] < none[0] && none[0] < ln.Hi[0]
			continue
		}
		for _, y := range append(append([]float64{}, ln.Y...), ln.Lo...) {
			if !math.IsNaN(y) && none[0] >= y {
				t.Errorf("the no-run marker at %g is not below %s's value %g", none[0], ln.Label, y)
			}
		}
	}
	if !band {
		t.Errorf("no grey band holds the no-run marker at %g: %+v", none[0], pn.Lines)
	}
	if pn.YMin >= none[0] {
		t.Errorf("the axis starts at %g, above the marker at %g", pn.YMin, none[0])
	}
}
