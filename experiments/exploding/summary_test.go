package exploding

import (
	"testing"

	"github.com/reluexp/reluexp/experiments/kit"
)

// The control's evidence at the higher cap takes the reruns where they
// exist; at a rate not rerun it reuses the usual runs only if none of them
// stopped (each is then the same run under any higher cap), and otherwise
// leaves the rate out rather than guess.
func TestControlEvidenceHighCap(t *testing.T) {
	c := explodingDefaults(false)
	c.TrainSeeds = 2
	run := func(div bool) explodingResult {
		return explodingResult{Train: &kit.TrainOutcome{Epochs: []kit.EpochStats{{TestAcc: 0.9}}, Diverged: div}}
	}
	stalledRun := explodingResult{Train: &kit.TrainOutcome{Epochs: []kit.EpochStats{{TestAcc: 0.1}}}}
	arms := func(divs ...bool) []explodingResult {
		var rs []explodingResult
		for _, d := range divs {
			rs = append(rs, run(d))
		}
		return rs
	}
	ts := trainingSummary{stats: map[remedyRun]armStats{}, control: map[float64]armStats{}}
	capRuns := map[capKey][]explodingResult{}
	for _, lr := range c.plainLRs() {
		ts.stats[remedyRun{false, 0, lr}] = statsOfArm(arms(false, false))
		ts.control[lr] = statsOfArm(arms(false, false))
	}
	// At 0.03 (not rerun) one control run stopped at the usual cap.
	ts.control[0.03] = statsOfArm(arms(true, false))
	// At 0.3 both control runs stopped at the usual cap; rerun, one came back.
	ts.control[0.3] = statsOfArm(arms(true, true))
	for _, lr := range c.trainLRs() {
		capRuns[capKey{false, lr}] = arms(false, false)
		capRuns[capKey{true, lr}] = arms(false, false)
	}
	capRuns[capKey{true, 0.3}] = arms(true, false)
	// At 1 the control's runs stayed under the higher cap, one at chance:
	// it stalled, and counts as failed there.
	capRuns[capKey{true, 1}] = []explodingResult{stalledRun, run(false)}

	// A rerun with a seed missing is not read: at 0.1 (nothing stopped
	// there) the usual runs stand in.
	capRuns[capKey{true, 0.1}] = []explodingResult{run(false), {}}
	ts.capStats = capStatsOf(capRuns)
	e := controlEvidenceOf(c, ts)
	if len(e.highCap) != len(c.plainLRs()) || e.capFactor != c.CapCheck {
		t.Fatalf("%d rates at the higher cap (factor %g), want %d (%g)", len(e.highCap), e.capFactor, len(c.plainLRs()), c.CapCheck)
	}
	for _, r := range e.highCap {
		switch r.lr {
		case 0.01:
			if !r.ran() || r.control.diverged != 0 {
				t.Errorf("lr 0.01, nothing stopped and not rerun: %+v, want the usual runs", r)
			}
		case 0.1:
			if _, read := ts.capStats[capKey{true, 0.1}]; read || !r.ran() || r.control.runs != 2 || r.control.diverged != 0 {
				t.Errorf("lr 0.1, a rerun with a seed missing: %+v (read %v), want the usual runs", r, read)
			}
		case 0.03:
			if r.ran() {
				t.Errorf("lr 0.03, a run stopped and not rerun: %+v, want it left out", r)
			}
		case 0.3:
			if !r.ran() || r.control.diverged != 1 || r.control.stalled != 0 || r.table.OnlyB != 1 {
				t.Errorf("lr 0.3: %+v, want the reruns (1 of 2 control runs diverged)", r)
			}
		case 1:
			if !r.ran() || r.control.diverged != 1 || r.control.stalled != 1 || r.table.OnlyB != 1 {
				t.Errorf("lr 1: %+v, want the stalled control run counted as failed", r)
			}
		}
	}
	// Counting explosions alone, the stalled run at lr 1 is not counted.
	if len(e.exploded) != len(e.highCap) {
		t.Fatalf("%d rates counting explosions, %d counting failures", len(e.exploded), len(e.highCap))
	}
	for _, r := range e.exploded {
		if r.lr == 1 && (r.control.diverged != 0 || r.control.stalled != 0) {
			t.Errorf("lr 1 counting explosions: %+v, want no control run counted", r)
		}
	}
	// Without reruns there is no higher cap to judge.
	ts.capStats = nil
	if e := controlEvidenceOf(c, ts); e.highCap != nil {
		t.Errorf("no reruns: %d rates at the higher cap, want none", len(e.highCap))
	}
}
