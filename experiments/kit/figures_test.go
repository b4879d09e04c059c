package kit

import (
	"testing"

	"github.com/reluexp/reluexp/experiments/result"
)

// Runs without a value go on a band outside the data, and markers at one x
// do not sit on one another.
func TestNoValueBand(t *testing.T) {
	for _, top := range []bool{true, false} {
		pn := result.Panel{Kind: result.LinePanel}
		ms := []result.Marker{{Label: "a", X: 1}, {Label: "b", X: 1}, {Label: "c", X: 2}}
		NoValueBand(&pn, ms, 1, 2, 10, 20, top)
		if len(pn.Markers) != 3 || len(pn.Lines) != 1 || pn.Lines[0].Label != "" {
			t.Fatalf("top %v: %d markers, lines %+v", top, len(pn.Markers), pn.Lines)
		}
		band := pn.Lines[0]
		for _, m := range pn.Markers {
			if m.Y < band.Lo[0] || m.Y > band.Hi[0] || (m.Y >= 10 && m.Y <= 20) {
				t.Errorf("top %v: marker %s at %g, outside the band [%g, %g] or among the data [10, 20]", top, m.Label, m.Y, band.Lo[0], band.Hi[0])
			}
			if m.Y < pn.YMin || m.Y > pn.YMax {
				t.Errorf("top %v: marker %s at %g outside the axis [%g, %g]", top, m.Label, m.Y, pn.YMin, pn.YMax)
			}
		}
		if !(pn.TickMax > pn.TickMin) || pn.TickMin > 10 || pn.TickMax < 20 || (top && pn.TickMax > band.Lo[0]) || (!top && pn.TickMin < band.Hi[0]) {
			t.Errorf("top %v: ticks over [%g, %g], want the data [10, 20] and not the band [%g, %g]", top, pn.TickMin, pn.TickMax, band.Lo[0], band.Hi[0])
		}
		if pn.Markers[0].Y == pn.Markers[1].Y {
			t.Errorf("top %v: two markers at x=1 share the height %g", top, pn.Markers[0].Y)
		}
	}
}

// A taller stack of markers at one x gets a taller band: its markers are
// no closer together than a pair's.
func TestNoValueBandGrowsWithTheStack(t *testing.T) {
	gap := func(n int) float64 {
		pn := result.Panel{Kind: result.LinePanel}
		var ms []result.Marker
		for i := 0; i < n; i++ {
			ms = append(ms, result.Marker{Label: string(rune('a' + i)), X: 1})
		}
		NoValueBand(&pn, ms, 1, 2, 10, 20, true)
		return (pn.Markers[1].Y - pn.Markers[0].Y) / (pn.YMax - pn.YMin)
	}
	if two, four := gap(2), gap(4); four < two {
		t.Errorf("four markers at one x %.4f of the axis apart, closer than two (%.4f)", four, two)
	}
	// Four at one x zig-zag, within the band's length.
	pn := result.Panel{Kind: result.LinePanel, LogX: true}
	ms := []result.Marker{{Label: "a", X: 0.1}, {Label: "b", X: 0.1}, {Label: "c", X: 0.1}, {Label: "d", X: 0.1}, {Label: "e", X: 1}}
	NoValueBand(&pn, ms, 0.1, 1, 10, 20, true)
	band := pn.Lines[0]
	for i, m := range pn.Markers {
		if m.X < band.X[0] || m.X > band.X[1] {
			t.Errorf("marker %s at x %g, outside the band's length [%g, %g]", m.Label, m.X, band.X[0], band.X[1])
		}
		if i > 0 && i < 4 && m.X == pn.Markers[i-1].X {
			t.Errorf("markers %s and %s of one stack at one x %g", pn.Markers[i-1].Label, m.Label, m.X)
		}
	}
	if pn.Markers[4].X != 1 {
		t.Errorf("a lone marker moved to x %g", pn.Markers[4].X)
	}
}
