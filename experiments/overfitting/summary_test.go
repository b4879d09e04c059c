package overfitting

import (
	"math"
	"testing"
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
