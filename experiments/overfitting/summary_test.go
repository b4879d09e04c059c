package overfitting

import (
	"math"
	"testing"
)

func TestOverfitGapAtLevel(t *testing.T) {
	r := readOverfitRun(0, overfitResult{Checkpoints: []overfitCheckpoint{
		{Step: 0, TrainAcc: 0.1, TestAcc: 0.1},
		{Step: 10, TrainAcc: 0.8, TestAcc: 0.7},
		{Step: 20, TrainAcc: 1.0, TestAcc: 0.8},
		{Step: 40, TrainAcc: 1.0, TestAcc: 0.75},
	}})
	// Training accuracy reaches 0.9 halfway from step 10 to 20, where test
	// accuracy reads 0.75: the gap there is 0.15.
	gap, step, ok := r.gapAt(0.9)
	if !ok || math.Abs(step-15) > 1e-12 || math.Abs(gap-0.15) > 1e-12 {
		t.Errorf("gapAt(0.9) = %g at step %g (%v), want 0.15 at 15", gap, step, ok)
	}
	if math.Abs(r.gap-0.25) > 1e-12 || r.bestTest != 0.8 || r.bestStep != 20 || r.maxTrain != 1 {
		t.Errorf("final gap %g, best test %g at %d, max train %g; want 0.25, 0.8 at 20, 1", r.gap, r.bestTest, r.bestStep, r.maxTrain)
	}
	if _, _, ok := r.gapAt(1.01); ok {
		t.Error("a level never reached must not give a gap")
	}
}
