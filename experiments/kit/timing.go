package kit

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"time"

	"github.com/reluexp/reluexp/metrics"
	"github.com/reluexp/reluexp/model"
)

// MinCPUShare is the share of the time it was ready to run that a timing
// cell's thread must have had a core for its timings to decide anything. A
// timing cell runs alone on one thread, so on an idle machine the share is
// about 1; below 0.8 the thread waited for a core more than a fifth of the
// time it could have run, and a preempted sample inflates whatever it was
// timing: the timing verdicts are then INCONCLUSIVE, as a control that
// failed.
const MinCPUShare = 0.8

// TimingThread is the OS thread a timing cell runs its clock readings on,
// with its scheduler statistics at the start. The share of a thread's
// ready time it spends on a core sees contention where a process's CPU
// time over wall time cannot: a process counts the garbage collector's and
// other threads' CPU too (more than 100% on an idle machine), while a
// thread that waits in the run queue for a core is seen waiting.
type TimingThread struct {
	run0, wait0, steal0  float64
	ok, stealOK, stopped bool
	start                time.Time
}

// StartTimingThread pins the calling goroutine to its OS thread, so that
// every clock reading of the cell comes from that thread, and reads its
// scheduler statistics. Stop must be called on the same goroutine.
func StartTimingThread() *TimingThread {
	runtime.LockOSThread()
	t := &TimingThread{start: time.Now()}
	t.run0, t.wait0, t.ok = threadSched()
	t.steal0, t.stealOK = stealSeconds()
	return t
}

// Stop reads the thread's statistics again and unpins it: the seconds the
// thread ran and waited for a core since the start (both -1 where the
// platform does not keep them), and the wall seconds. On a virtual machine
// the host can take a virtual CPU away while the thread counts as running:
// that stolen time, the machine's share of it per CPU, is counted as
// waiting. Calling it again (a deferred Stop after the one that read the
// result) reads again and unpins nothing more.
func (t *TimingThread) Stop() (run, wait, wall float64) {
	if !t.stopped {
		t.stopped = true
		defer runtime.UnlockOSThread()
	}
	wall = time.Since(t.start).Seconds()
	r1, w1, ok := threadSched()
	if !t.ok || !ok {
		return -1, -1, wall
	}
	run, wait = r1-t.run0, w1-t.wait0
	if s1, ok := stealSeconds(); ok && t.stealOK {
		stolen := (s1 - t.steal0) / float64(runtime.NumCPU())
		run, wait = math.Max(run-stolen, 0), wait+stolen
	}
	return run, wait, wall
}

// TimingControl is how busy the machine was while a timing cell ran.
type TimingControl struct {
	// CPUShare is the share of the time the timing thread was ready to run
	// that it had a core: its run time over run plus run-queue wait (time
	// stolen by a hypervisor counted as waiting); NaN where it could not be
	// measured (the gate is then not applied, and Describe says so).
	CPUShare float64
	// Wait is the seconds the thread waited for a core (NaN if unknown).
	Wait float64
	// Load is the highest 1-minute load average seen around the cell (-1
	// if unknown), CPUs the machine's CPUs.
	Load float64
	CPUs int
}

// NewTimingControl reads a timing cell's measurements: the seconds its
// thread ran and waited for a core (negative if unknown), the load average
// before and after it, and the machine's CPUs.
func NewTimingControl(run, wait, loadBefore, loadAfter float64, cpus int) TimingControl {
	c := TimingControl{CPUShare: math.NaN(), Wait: math.NaN(), Load: math.Max(loadBefore, loadAfter), CPUs: cpus}
	if run > 0 && wait >= 0 {
		c.CPUShare, c.Wait = run/(run+wait), wait
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
	return true, fmt.Sprintf("the timing thread had a core for only %.1f%% of the time it was ready to run, below the %.0f%% its timings need (1-minute load average %.1f on %d CPUs): other processes shared the cores, so its timings are noise%s; rerun on an idle machine",
		100*t.CPUShare, 100*MinCPUShare, t.Load, t.CPUs, so)
}

// Describe is a sentence on the machine's state for a Why.
func (t TimingControl) Describe() string {
	if math.IsNaN(t.CPUShare) {
		return fmt.Sprintf("The timing thread's share of a core could not be measured (1-minute load average %.1f on %d CPUs).", t.Load, t.CPUs)
	}
	return fmt.Sprintf("The timing thread had a core for %.1f%% of the time it was ready to run (it waited %.1f s for one; 1-minute load average %.1f on %d CPUs).", 100*t.CPUShare, t.Wait, t.Load, t.CPUs)
}

// TimingOrder is the order in which n items are timed in one repetition:
// a fresh random permutation each repetition. Over many repetitions every
// item comes in every position, and right after every other item, about
// equally often, so neither a cost of position (the clock's overhead at
// the start of a round) nor a carry-over from the item timed before (a
// cache warmed or cooled, a buffer evicted) falls on one item. A rotation
// by one each repetition, used until 2026-12-04, balanced the positions
// but gave each item the same predecessor every time. (A second ReLU net's
// layers in the small CNN read 11% slower than the first's under the
// rotation and 14% to 16% slower in a random order: that difference is the
// net's, not the order's, which is what NullReach is for.)
func TimingOrder(n int, rng *rand.Rand) []int { return rng.Perm(n) }

// NullArm is the label of a second ReLU net, built and timed exactly like
// the first, among the arms of the same repetitions. What it reads against
// the first ReLU net is what the timings read when nothing differs but the
// net's own buffers and their place in memory: a difference between two
// activations no larger than that is not the activation's doing (see
// NullReach and Widened).
const NullArm = "relu-null"

// ActivationOf is the activation a timed arm's net is built with: ReLU for
// the null arm, the arm itself otherwise.
func ActivationOf(arm string) string {
	if arm == NullArm {
		return "relu"
	}
	return arm
}

// TimedLayer wraps a layer and adds up the time spent in its Forward and
// Backward: how an activation's share of a training step is measured from
// inside the step. The two clock readings per call cost tens of
// nanoseconds against the tens of microseconds of an activation layer.
type TimedLayer struct {
	model.Layer
	Spent time.Duration
}

func (t *TimedLayer) Forward(x *model.Matrix, train bool) *model.Matrix {
	start := time.Now()
	y := t.Layer.Forward(x, train)
	t.Spent += time.Since(start)
	return y
}

func (t *TimedLayer) Backward(dy *model.Matrix) *model.Matrix {
	start := time.Now()
	dx := t.Layer.Backward(dy)
	t.Spent += time.Since(start)
	return dx
}

// TimeActivations wraps every activation layer of net (a plain activation,
// PReLU, two-sided) in a TimedLayer, in place, and returns the wrappers.
func TimeActivations(net *model.Network) []*TimedLayer {
	var acts []*TimedLayer
	for i, l := range net.Layers {
		switch l.(type) {
		case *model.ActivationLayer, *model.PReLU, *model.TwoSided:
			w := &TimedLayer{Layer: l}
			net.Layers[i] = w
			acts = append(acts, w)
		}
	}
	return acts
}

// ActivationTime is the time spent in acts since their last reset, and
// resets them.
func ActivationTime(acts []*TimedLayer) time.Duration {
	var d time.Duration
	for _, a := range acts {
		d += a.Spent
		a.Spent = 0
	}
	return d
}

// NullReach is how far from zero the null arm's reading reaches: the
// larger end, in absolute value, of its 95% interval (0 without one). A
// difference between two activations no larger than this is within what
// two identical nets show.
func NullReach(null metrics.Estimate) float64 {
	if null.N < 2 || math.IsNaN(null.Lo) || math.IsNaN(null.Hi) {
		return 0
	}
	return math.Max(math.Abs(null.Lo), math.Abs(null.Hi))
}

// ReachFor is the null arm's reach for an activation whose layers take
// reluLayers+beyond (in one unit: % of ReLU's step, say) where ReLU's take
// reluLayers: the reach scaled by that ratio when it exceeds 1, so that a
// misreading which grows with the time the layers take (a bias per unit
// of layer time, not per step) cannot be hidden by an activation with
// slower layers; never below the reach itself, and the reach unscaled
// when ReLU's layer time is not positive.
func ReachFor(reach, reluLayers, beyond float64) float64 {
	if !(reluLayers > 0) || !(beyond > 0) || math.IsNaN(beyond) {
		return reach
	}
	return reach * (reluLayers + beyond) / reluLayers
}

// WidenedInterval names an interval widened by Widened, for
// result.Evidence.Interval: a display must not call it a plain 95% CI.
const WidenedInterval = "95% CI widened by the null arm's reach"

// Widened is p with its intervals (95% and 90%) widened by reach on both
// sides: a timed comparison read against a margin only where it clears
// both the margin and what the null arm shows identical nets differ by.
func Widened(p metrics.Paired, reach float64) metrics.Paired {
	p.Diff.Lo, p.Diff.Hi = p.Diff.Lo-reach, p.Diff.Hi+reach
	p.Lo90, p.Hi90 = p.Lo90-reach, p.Hi90+reach
	return p
}
