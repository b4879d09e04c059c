package kit

import (
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reluexp/reluexp/metrics"
	"github.com/reluexp/reluexp/model"
)

func TestTimingControl(t *testing.T) {
	for _, tc := range []struct {
		name            string
		run, wait       float64
		fails           bool
		failText, about string
	}{
		{"idle", 0.99, 0.01, false, "", "had a core for 99.0% of the time it was ready to run (it waited 0.0 s"},
		{"exactly at the floor passes", 0.8, 0.2, false, "", "80.0%"},
		{"just below the floor fails", 0.799, 0.201, true, "only 79.9% of the time it was ready to run, below the 80%", "79.9%"},
		{"unknown thread statistics are not a failure, and are said", -1, -1, false, "", "could not be measured"},
		{"no run time: unknown", 0, 0.5, false, "", "could not be measured"},
	} {
		c := NewTimingControl(tc.run, tc.wait, 0.5, 1.5, 2)
		if c.Load != 1.5 || c.CPUs != 2 {
			t.Errorf("%s: load %g on %d CPUs, want the larger load 1.5 on 2", tc.name, c.Load, c.CPUs)
		}
		failed, why := c.Failed("a consequence")
		if failed != tc.fails || !strings.Contains(why, tc.failText) || (failed && !strings.Contains(why, ", and a consequence; rerun")) {
			t.Errorf("%s: Failed = %v, %q", tc.name, failed, why)
		}
		if d := c.Describe(); !strings.Contains(d, tc.about) {
			t.Errorf("%s: Describe = %q, want %q in it", tc.name, d, tc.about)
		}
	}
	if failed, why := (TimingControl{CPUShare: math.NaN()}).Failed(""); failed || why != "" {
		t.Errorf("a NaN share failed the control: %q", why)
	}
}

// The probe sees contention: a thread that competes for the cores with
// twice as many busy threads as there are CPUs gets a core for well under
// the control's floor of the time it is ready to run, which a process's
// CPU time over wall time (above 100% with the busy threads counted)
// cannot show. It asserts the probe's sign, not a speed; skipped where the
// kernel keeps no per-thread scheduler statistics, and in -short.
func TestTimingThreadSeesContention(t *testing.T) {
	if testing.Short() {
		t.Skip("spins every core for a second")
	}
	if _, _, ok := threadSched(); !ok {
		t.Skip("no /proc/thread-self/schedstat on this platform: the timing control is not applied there")
	}
	spin := func(d time.Duration) {
		for end := time.Now().Add(d); time.Now().Before(end); {
		}
	}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for range 2 * runtime.NumCPU() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			runtime.LockOSThread()
			for {
				select {
				case <-stop:
					return
				default:
					spin(time.Millisecond)
				}
			}
		}()
	}
	prev := runtime.GOMAXPROCS(4*runtime.NumCPU() + 1)
	defer runtime.GOMAXPROCS(prev)
	tt := StartTimingThread()
	spin(time.Second)
	run, wait, wall := tt.Stop()
	close(stop)
	wg.Wait()
	c := NewTimingControl(run, wait, -1, -1, runtime.NumCPU())
	t.Logf("under contention: ran %.2f s, waited %.2f s in %.2f s: %.1f%%", run, wait, wall, 100*c.CPUShare)
	if failed, _ := c.Failed(""); !failed {
		t.Errorf("a thread sharing %d CPUs with %d busy threads had a core for %.1f%% of its ready time (ran %.2f s, waited %.2f s in %.2f s): the probe did not see the contention",
			runtime.NumCPU(), 2*runtime.NumCPU(), 100*c.CPUShare, run, wait, wall)
	}
}

// TimingOrder visits every item once per repetition and, over many
// repetitions, puts every item in every position and right after every
// other item, which a rotation (each item always after the same one)
// does not.
func TestTimingOrder(t *testing.T) {
	const n, reps = 4, 400
	rng := rand.New(rand.NewPCG(1, 2))
	var pos [n][n]int   // pos[item][position]
	var after [n][n]int // after[item][predecessor]
	for range reps {
		order := TimingOrder(n, rng)
		var once [n]bool
		for j, i := range order {
			if once[i] {
				t.Fatalf("order %v times item %d twice", order, i)
			}
			once[i] = true
			pos[i][j]++
			if j > 0 {
				after[i][order[j-1]]++
			}
		}
	}
	for i := range n {
		for j := range n {
			if pos[i][j] < reps/n/2 {
				t.Errorf("item %d in position %d %d times of %d repetitions, want about %d", i, j, pos[i][j], reps, reps/n)
			}
			// n-1 neighbours a repetition over n(n-1) ordered pairs.
			if i != j && after[i][j] < reps/n/2 {
				t.Errorf("item %d right after item %d %d times, want about %d", i, j, after[i][j], reps/n)
			}
		}
	}
}

// The wrapper that times activation layers inside a step must not change
// what they compute, and TimeActivations wraps exactly the activation
// layers of an MLP and of a CNN.
func TestTimedLayers(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	z := model.NewMatrix(4, 3)
	dy := model.NewMatrix(4, 3)
	for i := range z.Data {
		z.Data[i], dy.Data[i] = rng.NormFloat64(), rng.NormFloat64()
	}
	plain := model.NewActivationLayer(model.Tanh{})
	timed := &TimedLayer{Layer: model.NewActivationLayer(model.Tanh{})}
	y1, y2 := plain.Forward(z, true).Clone(), timed.Forward(z, true)
	g1, g2 := plain.Backward(dy).Clone(), timed.Backward(dy)
	if !slices.Equal(y1.Data, y2.Data) || !slices.Equal(g1.Data, g2.Data) {
		t.Error("timed layer changed the activation's output or gradient")
	}
	if timed.Spent <= 0 {
		t.Error("timed layer recorded no time")
	}
	if d := ActivationTime([]*TimedLayer{timed}); d <= 0 || timed.Spent != 0 {
		t.Errorf("ActivationTime = %v, left %v; want the time spent, then a reset", d, timed.Spent)
	}
	mlp, err := model.NewMLP(model.MLPSpec{Inputs: 6, Hidden: []int{5, 4, 3}, Outputs: 2, Activation: model.ActivationSpec{Name: "prelu"}, Init: InitOf("prelu")}, rng)
	if err != nil {
		t.Fatal(err)
	}
	cnn, err := model.NewCNN(model.CNNSpec{Input: model.ImageShape{H: 28, W: 28, C: 1}, Arch: TinyCNN, Activation: model.ActivationSpec{Name: "tanh"}, Init: InitOf("tanh")}, rng)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		net  *model.Network
		want int
	}{{"MLP of 3 hidden layers", mlp, 3}, {"CNN of 2 conv layers", cnn, 2}} {
		layers := len(tc.net.Layers)
		if got := len(TimeActivations(tc.net)); got != tc.want || len(tc.net.Layers) != layers {
			t.Errorf("%s: %d activation layers wrapped (of %d layers, now %d), want %d", tc.name, got, layers, len(tc.net.Layers), tc.want)
		}
	}
}

// NullReach is the far end of the null arm's interval from zero, and
// Widened moves both ends of a comparison's intervals out by it.
func TestNullReachAndWidened(t *testing.T) {
	for _, tc := range []struct {
		name string
		e    metrics.Estimate
		want float64
	}{
		{"around zero", metrics.Estimate{Mean: 0.1, Lo: -0.2, Hi: 0.4, N: 40}, 0.4},
		{"below zero", metrics.Estimate{Mean: -0.13, Lo: -0.22, Hi: -0.03, N: 40}, 0.22},
		{"no interval", metrics.Estimate{Mean: 0.5, Lo: math.NaN(), Hi: math.NaN(), N: 1}, 0},
	} {
		if got := NullReach(tc.e); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("%s: reach %g, want %g", tc.name, got, tc.want)
		}
	}
	p := metrics.Paired{Diff: metrics.Estimate{Mean: 3, Lo: 2, Hi: 4, N: 40}, Lo90: 2.2, Hi90: 3.8}
	w := Widened(p, 0.5)
	if w.Diff.Mean != 3 || w.Diff.Lo != 1.5 || w.Diff.Hi != 4.5 || math.Abs(w.Lo90-1.7) > 1e-12 || math.Abs(w.Hi90-4.3) > 1e-12 || p.Diff.Lo != 2 {
		t.Errorf("Widened(%+v, 0.5) = %+v; want the ends moved out by 0.5, the mean and the original kept", p, w)
	}
}

// The reach grows with the activation's layer time over ReLU's, never
// shrinks below itself, and is left alone without a ReLU layer time.
func TestReachFor(t *testing.T) {
	for _, tc := range []struct {
		name                      string
		reach, reluLayers, beyond float64
		want                      float64
	}{
		{"layers twice ReLU's", 0.85, 8, 8, 1.7},
		{"layers 2.7 times ReLU's", 1, 8, 13.6, 2.7},
		{"layers faster than ReLU's: the reach itself", 0.85, 8, -1, 0.85},
		{"no difference", 0.5, 8, 0, 0.5},
		{"no ReLU layer time", 0.5, 0, 3, 0.5},
		{"no reading", 0.5, 8, math.NaN(), 0.5},
	} {
		if got := ReachFor(tc.reach, tc.reluLayers, tc.beyond); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("%s: %g, want %g", tc.name, got, tc.want)
		}
	}
}

// The stolen time reads where /proc/stat exists: non-negative, and never
// less on a second reading.
func TestStealSeconds(t *testing.T) {
	a, ok := stealSeconds()
	if !ok {
		t.Skip("no /proc/stat on this platform: stolen time is not counted there")
	}
	b, _ := stealSeconds()
	if a < 0 || b < a {
		t.Errorf("stolen seconds %g then %g, want non-negative and non-decreasing", a, b)
	}
}
