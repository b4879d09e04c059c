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
		if pn.Markers[0].Y == pn.Markers[1].Y {
			t.Errorf("top %v: two markers at x=1 share the height %g", top, pn.Markers[0].Y)
		}
	}
}
