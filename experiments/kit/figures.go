package kit

import (
	"math"

	"github.com/reluexp/reluexp/experiments/result"
)

// NoValueBand draws runs that have no value (they diverged, say) on a grey
// band of their own outside the data's range [lo, hi], above it (top) or
// below it, so that no marker sits where it reads as a value. It fixes the
// panel's y range to the data and the band, labels the axis only beside
// the data (TickMin, TickMax), shades the band from x0 to x1 (an
// unlabelled band with no line) and places the markers on it, those at
// one x one above another (the band the taller the more there are, three
// or more zig-zagging left and right); the markers' labels say what they
// are in the legend.
func NoValueBand(pn *result.Panel, ms []result.Marker, x0, x1, lo, hi float64, top bool) {
	to, from := func(y float64) float64 { return y }, func(y float64) float64 { return y }
	if pn.LogY {
		to, from = math.Log10, Pow10
	}
	a, b := to(lo), to(hi)
	span := b - a
	if !(span > 0) {
		span = math.Max(math.Abs(a)*0.2, 0.1)
	}
	// The band grows with the tallest stack of markers at one x, so that
	// three or four arms diverging at one rate stay apart (a band sized for
	// two pressed four of them into one another, note 24).
	at := map[float64]int{}
	stack := 0
	for _, m := range ms {
		at[m.X]++
		stack = max(stack, at[m.X])
	}
	pad, width := 0.05*span, 0.14*span*math.Max(1, float64(stack)/2)
	var b0, b1 float64 // the band, in axis coordinates
	if top {
		b0 = b + pad
		b1 = b0 + width
		pn.YMin, pn.YMax = from(a-pad), from(b1)
		pn.TickMin, pn.TickMax = pn.YMin, from(b0)
	} else {
		b1 = a - pad
		b0 = b1 - width
		pn.YMin, pn.YMax = from(b0), from(b+pad)
		pn.TickMin, pn.TickMax = from(b1), pn.YMax
	}
	// Leave a thin gap between the data and the band.
	edge0, edge1 := b0+0.15*width, b1
	if !top {
		edge0, edge1 = b0, b1-0.15*width
	}
	// A stack of three or more also zig-zags left and right of its x, by
	// a fortieth of the band's length, and the band reaches that far past
	// its ends.
	toX, fromX := func(x float64) float64 { return x }, func(x float64) float64 { return x }
	if pn.LogX {
		toX, fromX = math.Log10, Pow10
	}
	dx := 0.0
	if stack >= 3 {
		dx = (toX(x1) - toX(x0)) / 40
		if !(dx > 0) {
			dx = 0.05
		}
	}
	nan := math.NaN()
	pn.Lines = append(pn.Lines, result.Line{X: []float64{fromX(toX(x0) - dx), fromX(toX(x1) + dx)}, Y: []float64{nan, nan}, Lo: []float64{from(edge0), from(edge0)}, Hi: []float64{from(edge1), from(edge1)}, Style: 6})
	// Markers at one x (several arms at one rate) are spread evenly over
	// the band's height, in the order given, so that none hides another.
	seen := map[float64]int{}
	for _, m := range ms {
		seen[m.X]++
		m.Y = from(edge0 + (edge1-edge0)*float64(seen[m.X])/float64(at[m.X]+1))
		if at[m.X] >= 3 {
			side := 1.0
			if seen[m.X]%2 == 1 {
				side = -1
			}
			m.X = fromX(toX(m.X) + side*dx)
		}
		pn.Markers = append(pn.Markers, m)
	}
}
