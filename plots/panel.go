package plots

import (
	"image/color"
	"math"

	"github.com/reluexp/reluexp/experiments/result"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// panel is one set of axes ready to draw: the gonum plot and what is drawn
// around it once plot.Align has placed it (title, legend, colour bar).
type panel struct {
	p     *plot.Plot
	title string

	legend *plot.Legend // nil when nothing is labelled
	corner corner       // where the legend goes; outside means in the gutter
	// gutter is the room kept to the right of the axes for a legend outside
	// them or a colour bar.
	gutter vg.Length
	cbar   *colorBar
}

// corner is a legend position.
type corner int

const (
	outside corner = iota // to the right of the axes
	topRight
	topLeft
	bottomRight
	bottomLeft
)

// Legend geometry.
var (
	legendInset  = vg.Points(6)  // from the edges of the data area
	legendPad    = vg.Points(4)  // inside the legend's box
	legendGap    = vg.Points(10) // between the axes and a legend outside them
	legendMargin = vg.Points(4)  // clearance kept between legend and data
)

// maxInsideEntries is the most entries a legend inside the axes may have; a
// longer one goes outside, where it cannot crowd the data.
const maxInsideEntries = 5

func buildPanel(pn result.Panel, title string) *panel {
	switch pn.Kind {
	case result.BarPanel:
		return buildBars(pn, title)
	case result.HeatmapPanel:
		return buildHeatmap(pn, title)
	default:
		return buildLines(pn, title)
	}
}

// gridLines selects the grid lines of a panel.
type gridLines int

const (
	noGrid gridLines = iota
	horizontalGrid
	fullGrid
)

// newPlot returns a plot with the package's fonts, the panel's axis labels
// and light grey grid lines at the labelled ticks.
func newPlot(pn result.Panel, title string, grid gridLines) *plot.Plot {
	p := plot.New()
	// The title is drawn by panel.draw, centred over the data area rather than
	// the whole tile; here it only reserves its room.
	p.Title.Text = title
	p.Title.TextStyle = textStyle(panelTitleSize, true, false)
	p.Title.TextStyle.Color = color.Transparent
	p.Title.TextStyle.XAlign, p.Title.TextStyle.YAlign = draw.XCenter, draw.YTop
	p.Title.Padding = vg.Points(6)

	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = textStyle(labelSize, false, false).Font
		a.Label.Padding = vg.Points(3)
		a.Tick.Label.Font = textStyle(tickSize, false, false).Font
		a.Tick.Length = vg.Points(4)
		a.LineStyle.Width = vg.Points(0.8)
		a.Tick.LineStyle.Width = vg.Points(0.8)
	}
	p.X.Label.Text = pn.XLabel
	p.Y.Label.Text = pn.YLabel
	if grid != noGrid {
		g := plotter.NewGrid()
		g.Horizontal = draw.LineStyle{Color: gridColor, Width: vg.Points(0.6)}
		g.Vertical = g.Horizontal
		if grid == horizontalGrid {
			g.Vertical.Color = nil
		}
		p.Add(g)
	}
	return p
}

// emptyPanel is a panel with no drawable data: its frame, titles and a
// centred note saying so.
func emptyPanel(pn result.Panel, title string) *panel {
	p := newPlot(pn, title, noGrid)
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, 1, 0, 1
	p.X.Tick.Marker, p.Y.Tick.Marker = hiddenTicks, hiddenTicks
	p.Add(note{"no finite data"})
	return &panel{p: p, title: title}
}

// note draws a short message in the middle of the data area.
type note struct{ text string }

func (n note) Plot(c draw.Canvas, _ *plot.Plot) {
	sty := textStyle(labelSize, false, true)
	sty.Color = noteColor
	sty.XAlign, sty.YAlign = draw.XCenter, draw.YCenter
	c.FillText(sty, c.Center(), n.text)
}

// spacer draws nothing; its glyph box, hanging off the right edge of the
// data area, makes the plot (and plot.Align) keep a gutter that wide.
type spacer struct{ width vg.Length }

func (spacer) Plot(draw.Canvas, *plot.Plot) {}

func (s spacer) GlyphBoxes(*plot.Plot) []plot.GlyphBox {
	return []plot.GlyphBox{{X: 1, Y: 0.5, Rectangle: vg.Rectangle{Max: vg.Point{X: s.width}}}}
}

// newLegend returns an empty legend in the package's style, with entries
// listed from the top left of the canvas it is drawn in.
func newLegend() *plot.Legend {
	lg := plot.NewLegend()
	lg.TextStyle.Font = textStyle(legendFontSize, false, false).Font
	lg.Top, lg.Left = true, true
	lg.ThumbnailWidth = vg.Points(24)
	lg.Padding = vg.Points(1.5)
	return &lg
}

// legendSize returns the room lg takes when drawn with Top set: its
// entries and, above them, the font's descent that Legend.Draw leaves.
func legendSize(lg *plot.Legend) vg.Point {
	r := lg.Rectangle(draw.Canvas{})
	return vg.Point{X: r.Size().X, Y: r.Size().Y + lg.TextStyle.FontExtents().Descent}
}

// estimateDataArea returns the data area the panel will get, near enough:
// plot.Align gives every panel of a figure about the same, computed from
// tiles of this size (a column is widened by its gutter).
func (pd *panel) estimateDataArea() draw.Canvas {
	tile := draw.Canvas{Rectangle: vg.Rectangle{Max: vg.Point{
		X: panelW + pd.gutter - tiles.PadLeft - tiles.PadRight,
		Y: panelH - tiles.PadTop - tiles.PadBottom,
	}}}
	return pd.p.DataCanvas(tile)
}

// placeLegend decides where the legend, of n entries, goes:
//
//  1. for at most five entries, inside the axes, in the first corner (top
//     right, top left, bottom right, bottom left) where it covers nothing
//     in g;
//  2. else, for at most four entries and a y range the panel does not fix,
//     in the top right corner of a y axis raised by at most 30% to make
//     room above the data;
//  3. else outside the axes on the right, in a gutter.
func (pd *panel) placeLegend(g *geometry, n int, fixedY bool) {
	if n == 0 {
		return
	}
	da := pd.estimateDataArea()
	dw, dh := da.Max.X-da.Min.X, da.Max.Y-da.Min.Y

	size := legendSize(pd.legend)
	bw, bh := size.X+2*legendPad, size.Y+2*legendPad
	if n <= maxInsideEntries && dw > 0 && dh > 0 && bw < 0.5*dw && bh < 0.6*dh {
		// The box, with a safety margin, in normalised data coordinates.
		w := float64((bw + legendInset + legendMargin) / dw * 1.05)
		h := float64((bh + legendInset + legendMargin) / dh * 1.05)
		for _, c := range []corner{topRight, topLeft, bottomRight, bottomLeft} {
			var r rect
			switch c {
			case topRight:
				r = rect{1 - w, 1 - h, 1, 1}
			case topLeft:
				r = rect{0, 1 - h, w, 1}
			case bottomRight:
				r = rect{1 - w, 0, 1, h}
			case bottomLeft:
				r = rect{0, 0, w, h}
			}
			if !g.hits(r, float64(dw), float64(dh)) {
				pd.corner = c
				return
			}
		}
		// Everything in g lies below the old top; lines and glyphs may
		// reach a little above it.
		room := float64((bh + legendInset + legendMargin + markerRadius) / dh * 1.05)
		if n <= 4 && !fixedY && room <= 0.3 {
			y := &pd.p.Y
			y.Max = y.Min + (y.Max-y.Min)/(1-room)
			pd.corner = topRight
			return
		}
	}
	// Outside: shrink the text if the entries would not fit the height.
	for size.Y > dh && pd.legend.TextStyle.Font.Size > vg.Points(7) {
		pd.legend.TextStyle.Font.Size -= vg.Points(0.5)
		size = legendSize(pd.legend)
	}
	pd.corner = outside
	pd.gutter = legendGap + size.X + vg.Points(4)
	pd.p.Add(spacer{pd.gutter})
}

// draw draws the panel in c, a canvas given by plot.Align; titleTop is the
// top of the titles of the panel's row.
func (pd *panel) draw(c draw.Canvas, titleTop vg.Length) {
	pd.p.Draw(c)
	da := pd.p.DataCanvas(c)

	if pd.title != "" {
		sty := pd.p.Title.TextStyle
		sty.Color = color.Black
		w := sty.Width(pd.title)
		x := (da.Min.X + da.Max.X) / 2
		x = min(max(x, c.Min.X+w/2), c.Max.X-w/2)
		c.FillText(sty, vg.Point{X: x, Y: titleTop + sty.FontExtents().Descent}, pd.title)
	}

	if pd.legend != nil {
		size := legendSize(pd.legend)
		var box vg.Rectangle
		switch pd.corner {
		case outside:
			box.Min = vg.Point{X: da.Max.X + legendGap, Y: da.Max.Y - size.Y}
		case topRight:
			box.Min = vg.Point{X: da.Max.X - legendInset - legendPad - size.X, Y: da.Max.Y - legendInset - legendPad - size.Y}
		case topLeft:
			box.Min = vg.Point{X: da.Min.X + legendInset + legendPad, Y: da.Max.Y - legendInset - legendPad - size.Y}
		case bottomRight:
			box.Min = vg.Point{X: da.Max.X - legendInset - legendPad - size.X, Y: da.Min.Y + legendInset + legendPad}
		case bottomLeft:
			box.Min = vg.Point{X: da.Min.X + legendInset + legendPad, Y: da.Min.Y + legendInset + legendPad}
		}
		box.Max = box.Min.Add(size)
		if pd.corner != outside {
			frame := vg.Rectangle{
				Min: box.Min.Sub(vg.Point{X: legendPad, Y: legendPad}),
				Max: box.Max.Add(vg.Point{X: legendPad, Y: legendPad}),
			}
			c.SetColor(color.NRGBA{R: 0xFF, G: 0xFF, B: 0xFF, A: 0xE6})
			c.Fill(frame.Path())
			c.SetLineStyle(draw.LineStyle{Color: color.Gray{Y: 0xAA}, Width: vg.Points(0.5)})
			c.Stroke(frame.Path())
		}
		pd.legend.Draw(draw.Canvas{Canvas: c.Canvas, Rectangle: box})
	}

	if pd.cbar != nil {
		pd.cbar.draw(c, da)
	}
}

// geometry is what a panel draws, in normalised data coordinates (0 to 1
// across the data area), for deciding where a legend covers nothing.
type geometry struct {
	segs  [][2]pt   // line pieces
	polys [][]pt    // bands and bars
	dots  []dot     // glyphs
	lw    vg.Length // clearance around segments and polygons
}

type pt struct{ x, y float64 }

type dot struct {
	pt
	r vg.Length
}

type rect struct{ x0, y0, x1, y1 float64 }

func (r rect) contains(p pt) bool { return p.x >= r.x0 && p.x <= r.x1 && p.y >= r.y0 && p.y <= r.y1 }

// hits reports whether anything in g comes within its clearance of r; dw
// and dh are the data area's size in points.
func (g *geometry) hits(r rect, dw, dh float64) bool {
	grow := func(r rect, by vg.Length) rect {
		ex, ey := float64(by)/dw, float64(by)/dh
		return rect{r.x0 - ex, r.y0 - ey, r.x1 + ex, r.y1 + ey}
	}
	rl := grow(r, g.lw)
	for _, s := range g.segs {
		if segHitsRect(s[0], s[1], rl) {
			return true
		}
	}
	for _, poly := range g.polys {
		if polyHitsRect(poly, rl) {
			return true
		}
	}
	for _, d := range g.dots {
		if grow(r, d.r).contains(d.pt) {
			return true
		}
	}
	return false
}

// segHitsRect reports whether the segment ab meets r (Liang–Barsky).
func segHitsRect(a, b pt, r rect) bool {
	t0, t1 := 0.0, 1.0
	dx, dy := b.x-a.x, b.y-a.y
	clip := func(p, q float64) bool {
		if p == 0 {
			return q >= 0
		}
		t := q / p
		if p < 0 {
			if t > t1 {
				return false
			}
			t0 = math.Max(t0, t)
		} else {
			if t < t0 {
				return false
			}
			t1 = math.Min(t1, t)
		}
		return true
	}
	return clip(-dx, a.x-r.x0) && clip(dx, r.x1-a.x) && clip(-dy, a.y-r.y0) && clip(dy, r.y1-a.y) && t0 <= t1
}

// polyHitsRect reports whether the polygon poly meets r.
func polyHitsRect(poly []pt, r rect) bool {
	for i := range poly {
		if segHitsRect(poly[i], poly[(i+1)%len(poly)], r) {
			return true
		}
	}
	// r may lie wholly inside poly.
	c := pt{(r.x0 + r.x1) / 2, (r.y0 + r.y1) / 2}
	in := false
	for i, j := 0, len(poly)-1; i < len(poly); j, i = i, i+1 {
		a, b := poly[i], poly[j]
		if (a.y > c.y) != (b.y > c.y) && c.x < (b.x-a.x)*(c.y-a.y)/(b.y-a.y)+a.x {
			in = !in
		}
	}
	return in
}

// span accumulates the range of values.
type span struct {
	min, max float64
	n        int
}

func (s *span) add(v float64) {
	if s.n == 0 || v < s.min {
		s.min = v
	}
	if s.n == 0 || v > s.max {
		s.max = v
	}
	s.n++
}

// widen returns a usable axis range for data spanning [lo, hi]: unchanged
// unless it is a single value.
func widen(lo, hi float64, log bool) (float64, float64) {
	if hi > lo {
		return lo, hi
	}
	if log { // log10 coordinates: a factor of 2 either way
		return lo - math.Log10(2), hi + math.Log10(2)
	}
	d := math.Abs(lo) * 0.1
	if d == 0 {
		d = 1
	}
	return lo - d, hi + d
}

// setLog makes a a logarithmic axis. It stays a linear axis, but over
// log10 of the data (the panel builders transform the values), with ticks
// labelled by the values themselves. gonum's plot.LogScale would do the
// same drawing, but gonum v0.17 places the axis label's glyph box at the
// normalised arithmetic mean of the range, which on a log axis lies near its
// end: the plot then reserves a wide empty strip above (or right of) the
// data. Working in log space also means no value can reach LogScale's panic.
func setLog(a *plot.Axis) {
	a.Tick.Marker = logTicks{}
}

// axisMap returns the function taking data values to axis coordinates:
// log10 on a log axis, the identity otherwise.
func axisMap(log bool) func(float64) float64 {
	if log {
		return math.Log10
	}
	return func(v float64) float64 { return v }
}

// swatch is a legend thumbnail: a filled block of colour.
type swatch struct{ color color.Color }

func (s swatch) Thumbnail(c *draw.Canvas) {
	h := (c.Max.Y - c.Min.Y) * 0.2
	r := vg.Rectangle{Min: vg.Point{X: c.Min.X + vg.Points(4), Y: c.Min.Y + h}, Max: vg.Point{X: c.Max.X - vg.Points(4), Y: c.Max.Y - h}}
	c.SetColor(s.color)
	c.Fill(r.Path())
}
