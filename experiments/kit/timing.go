package kit

import (
	"fmt"
	"math"
)

// MinCPUShare is the share of its wall time a timing cell must have had a
// core for its timings to decide anything. A timing cell runs alone on one
// thread, so on an idle machine the share is about 1; below 0.8 it waited
// for a core more than a fifth of the time, and a preempted sample inflates
// whatever it was timing: the timing verdicts are then INCONCLUSIVE, as a
// control that failed.
const MinCPUShare = 0.8

// TimingControl is how busy the machine was while a timing cell ran.
type TimingControl struct {
	// CPUShare is the process's CPU time over the timing cell's wall time;
	// NaN where it could not be measured (the gate is then not applied,
	// and Describe says so).
	CPUShare float64
	// Load is the highest 1-minute load average seen around the cell (-1
	// if unknown), CPUs the machine's CPUs.
	Load float64
	CPUs int
}

// NewTimingControl reads a timing cell's measurements: its process CPU
// seconds (negative if unknown) and wall seconds, the load average before
// and after it, and the machine's CPUs.
func NewTimingControl(cpuSeconds, wallSeconds, loadBefore, loadAfter float64, cpus int) TimingControl {
	c := TimingControl{CPUShare: math.NaN(), Load: math.Max(loadBefore, loadAfter), CPUs: cpus}
	if cpuSeconds >= 0 && wallSeconds > 0 {
		c.CPUShare = cpuSeconds / wallSeconds
	}
	return c
}

// Failed reports whether the timings cannot decide, with the reason;
// consequence, when not empty, adds what a shared core does to this
// experiment's timings ("a saving in % of a step is biased towards zero").
func (t TimingControl) Failed(consequence string) (bool, string) {
	if !(t.CPUShare < MinCPUShare) {
		return false, ""
	}
	so := ""
	if consequence != "" {
		so = ", and " + consequence
	}
	return true, fmt.Sprintf("the timing cell had a core for only %.1f%% of its wall time, below the %.0f%% its timings need (1-minute load average %.1f on %d CPUs): other processes shared the cores, so its timings are noise%s; rerun on an idle machine",
		100*t.CPUShare, 100*MinCPUShare, t.Load, t.CPUs, so)
}

// Describe is a sentence on the machine's state for a Why.
func (t TimingControl) Describe() string {
	if math.IsNaN(t.CPUShare) {
		return fmt.Sprintf("The timing cell's CPU share could not be measured (1-minute load average %.1f on %d CPUs).", t.Load, t.CPUs)
	}
	return fmt.Sprintf("The timing cell had a core for %.1f%% of its wall time (1-minute load average %.1f on %d CPUs).", 100*t.CPUShare, t.Load, t.CPUs)
}

// Rotated is the index of the item timed j-th in repetition rep of n items
// timed in turn: the order starts one item later each repetition, so every
// item is timed in every position equally often (when reps is a multiple
// of n) and a cost of position (a cache warmed or cooled by the item
// before, the clock's own overhead at the start of a round) falls on all
// of them alike instead of always on the same one.
func Rotated(j, rep, n int) int { return (j + rep) % n }
