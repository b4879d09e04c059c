package kit

import (
	"math"
	"testing"

	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/metrics"
)

// paired makes a comparison with the given 95% and 90% intervals over n pairs.
func paired(lo, hi, lo90, hi90 float64, n int) metrics.Paired {
	return metrics.Paired{Diff: metrics.Estimate{Mean: (lo + hi) / 2, Lo: lo, Hi: hi, N: n}, Lo90: lo90, Hi90: hi90, MDE: 1}
}

func TestSuperiority(t *testing.T) {
	const margin = 0.01
	cases := []struct {
		name string
		p    metrics.Paired
		want result.Outcome
	}{
		{"interval beyond the margin", paired(0.02, 0.05, 0.025, 0.045, 10), result.Confirmed},
		{"lower end exactly at the margin", paired(0.01, 0.05, 0.015, 0.045, 10), result.Inconclusive},
		{"lower end just above the margin", paired(math.Nextafter(0.01, 1), 0.05, 0.015, 0.045, 10), result.Confirmed},
		{"interval straddles the margin", paired(0.005, 0.02, 0.006, 0.018, 10), result.Inconclusive},
		{"interval straddles zero: no significant difference is not a refutation", paired(-0.02, 0.03, -0.01, 0.02, 10), result.Inconclusive},
		{"real but smaller than matters", paired(0.001, 0.009, 0.002, 0.008, 10), result.Refuted},
		{"upper end exactly at the margin", paired(0.001, 0.01, 0.002, 0.009, 10), result.Inconclusive},
		{"the opposite direction", paired(-0.05, -0.02, -0.045, -0.025, 10), result.Refuted},
		{"one pair has no interval", paired(0.5, 0.5, 0.5, 0.5, 1), result.Inconclusive},
		{"no pairs", metrics.Paired{Diff: metrics.Estimate{Mean: math.NaN(), Lo: math.NaN(), Hi: math.NaN()}}, result.Inconclusive},
	}
	for _, tc := range cases {
		if got := Superiority(tc.p, margin); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
}

func TestEquivalence(t *testing.T) {
	const margin = 0.02
	cases := []struct {
		name string
		p    metrics.Paired
		want result.Outcome
	}{
		{"90% interval inside the margins", paired(-0.012, 0.012, -0.01, 0.01, 10), result.Confirmed},
		{"90% interval touches +margin", paired(-0.005, 0.025, 0, 0.02, 10), result.Inconclusive},
		{"90% interval just inside +margin", paired(-0.005, 0.025, 0, math.Nextafter(0.02, 0), 10), result.Confirmed},
		{"wide interval across the margin: too few seeds", paired(-0.1, 0.1, -0.08, 0.08, 3), result.Inconclusive},
		{"95% interval wholly above +margin", paired(0.03, 0.06, 0.035, 0.055, 10), result.Refuted},
		{"95% interval wholly below -margin", paired(-0.06, -0.03, -0.055, -0.035, 10), result.Refuted},
		{"95% lower end exactly at +margin", paired(0.02, 0.06, 0.025, 0.055, 10), result.Inconclusive},
		{"one pair", paired(0, 0, 0, 0, 1), result.Inconclusive},
	}
	for _, tc := range cases {
		if got := Equivalence(tc.p, margin); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
}

func TestMostlyDiverged(t *testing.T) {
	for _, tc := range []struct {
		diverged, runs int
		want           bool
	}{{0, 10, false}, {5, 10, false}, {6, 10, true}, {1, 1, true}, {0, 0, true}} {
		if got, _ := MostlyDiverged("relu", tc.diverged, tc.runs); got != tc.want {
			t.Errorf("%d of %d diverged: %v, want %v", tc.diverged, tc.runs, got, tc.want)
		}
	}
}

func TestCompared(t *testing.T) {
	var v result.Verdict
	p := metrics.PairedDiff([]float64{1, 2, 3}, []float64{0, 0, 0})
	Compared(&v, "relu minus leaky", "pp", p, 0.5, "half a point")
	if v.N != 3 || *v.Margin != 0.5 || v.MarginReason != "half a point" || v.Effect.Estimate.Mean != 2 || *v.MDE != p.MDE || v.Effect.Unit != "pp" {
		t.Errorf("got %+v", v)
	}
}

func TestFootAxis(t *testing.T) {
	cases := []struct {
		name    string
		markers []result.Marker
		want    float64
	}{
		{"no markers: the axis starts at 0", nil, 0},
		{"markers on values only", []result.Marker{{Y: 0.4}}, 0},
		{"a foot marker", []result.Marker{{Y: FootY}}, FootAxisMin},
		{"stacked past the usual end", []result.Marker{{Y: FootY}, {Y: FootY - 3*FootStep}}, FootY - 4*FootStep},
	}
	for _, c := range cases {
		if got := FootAxis(c.markers); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("%s: %g, want %g", c.name, got, c.want)
		}
	}
}

// A panel with marks below zero is labelled from 0 up only.
func TestFootPanel(t *testing.T) {
	pn := result.Panel{YMax: 1, Markers: []result.Marker{{Y: FootY}}}
	FootPanel(&pn)
	if pn.YMin >= 0 || pn.TickMin != 0 || pn.TickMax != 1 {
		t.Errorf("marks below zero: YMin %g, ticks [%g, %g], want YMin < 0 and ticks [0, 1]", pn.YMin, pn.TickMin, pn.TickMax)
	}
	pn = result.Panel{YMax: 1, Markers: []result.Marker{{Y: 0.5}}}
	FootPanel(&pn)
	if pn.YMin != 0 || pn.TickMax > pn.TickMin {
		t.Errorf("no marks below zero: YMin %g, ticks [%g, %g], want 0 and no limit", pn.YMin, pn.TickMin, pn.TickMax)
	}
}

// Empty facts are left out of a joined context.
func TestJoinContext(t *testing.T) {
	for _, tc := range []struct {
		in   []string
		want string
	}{{nil, ""}, {[]string{"", ""}, ""}, {[]string{"", "a", "", "b"}, "a; b"}, {[]string{"a"}, "a"}} {
		if got := JoinContext(tc.in...); got != tc.want {
			t.Errorf("JoinContext(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
