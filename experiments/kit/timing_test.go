package kit

import (
	"math"
	"strings"
	"testing"
)

func TestTimingControl(t *testing.T) {
	for _, tc := range []struct {
		name            string
		cpu, wall       float64
		fails           bool
		failText, about string
	}{
		{"idle", 0.99, 1, false, "", "had a core for 99.0% of its wall time"},
		{"exactly at the floor passes", 0.8, 1, false, "", "80.0%"},
		{"just below the floor fails", 0.799, 1, true, "only 79.9% of its wall time, below the 80%", "79.9%"},
		{"unknown CPU time is not a failure, and is said", -1, 1, false, "", "could not be measured"},
		{"no wall time: unknown", 0.5, 0, false, "", "could not be measured"},
	} {
		c := NewTimingControl(tc.cpu, tc.wall, 0.5, 1.5, 2)
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

// Rotated visits every item once per repetition, and puts every item in
// every position once over n repetitions.
func TestRotated(t *testing.T) {
	const n = 4
	seen := make([][n]int, n) // seen[item][position]
	for rep := range n {
		var once [n]bool
		for j := range n {
			i := Rotated(j, rep, n)
			if once[i] {
				t.Fatalf("rep %d: item %d timed twice", rep, i)
			}
			once[i] = true
			seen[i][j]++
		}
	}
	for i, pos := range seen {
		for j, k := range pos {
			if k != 1 {
				t.Errorf("item %d in position %d %d times over %d repetitions, want 1", i, j, k, n)
			}
		}
	}
	if Rotated(0, 0, 3) != 0 || Rotated(0, 1, 3) != 1 || Rotated(2, 1, 3) != 0 {
		t.Errorf("rep 0 must keep the given order and rep 1 start one later")
	}
}
