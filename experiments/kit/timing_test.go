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
