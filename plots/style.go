package plots

import (
	"image/color"
	"math"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Page geometry. A figure is a grid of panelW x panelH tiles, widened by
// whatever gutters its columns need (legends outside the axes, colour bars),
// with the figure title above.
const (
	dpi    = 150
	panelW = 5 * vg.Inch
	panelH = 3.6 * vg.Inch
)

// Font sizes in points.
const (
	figTitleSize   = 13
	panelTitleSize = 12
	labelSize      = 11
	tickSize       = 10
	legendFontSize = 10
	annotateSize   = 9
)

// Line and glyph sizes.
var (
	lineWidth   = vg.Points(1.5)
	pointRadius = vg.Points(3)
	// markerRadius is the size of a Marker glyph; markers are meant to stand out.
	markerRadius = vg.Points(5)
	theoryDashes = []vg.Length{vg.Points(5), vg.Points(3)}
	dotDashes    = []vg.Length{vg.Points(1.5), vg.Points(2.5)}
)

// palette is Okabe and Ito's colour-blind-safe palette, reordered so that the
// first colours are the most distinct from each other and from white; yellow,
// the hardest to see on white, comes last.
var palette = [8]color.NRGBA{
	{0x00, 0x72, 0xB2, 0xFF}, // blue
	{0xD5, 0x5E, 0x00, 0xFF}, // vermillion
	{0x00, 0x9E, 0x73, 0xFF}, // bluish green
	{0xCC, 0x79, 0xA7, 0xFF}, // reddish purple
	{0x56, 0xB4, 0xE9, 0xFF}, // sky blue
	{0xE6, 0x9F, 0x00, 0xFF}, // orange
	{0x00, 0x00, 0x00, 0xFF}, // black
	{0xF0, 0xE4, 0x42, 0xFF}, // yellow
}

var (
	gridColor = color.Gray{Y: 0xDD}
	nanColor  = color.Gray{Y: 0xBB}
	noteColor = color.Gray{Y: 0x55}
	// mixedMarkerColour draws the legend glyph of a marker group whose
	// markers take several series' colours.
	mixedMarkerColour = color.Gray{Y: 0x66}
)

// styleIndex maps a Line or Marker Style to a palette index: in range it is
// used as is, otherwise (-1 or too large) the position in the panel decides.
func styleIndex(style, pos int) int {
	if style >= 0 && style < len(palette) {
		return style
	}
	return pos % len(palette)
}

// withAlpha returns c with opacity a in [0, 1].
func withAlpha(c color.NRGBA, a float64) color.NRGBA {
	c.A = uint8(math.Round(a * 255))
	return c
}

// textStyle returns a Liberation Sans style of the given size.
func textStyle(size float64, bold, italic bool) text.Style {
	f := font.Font{Typeface: "Liberation", Variant: "Sans", Size: vg.Points(size)}
	if bold {
		f.Weight = xfont.WeightBold
	}
	if italic {
		f.Style = xfont.StyleItalic
	}
	return text.Style{Color: color.Black, Font: f, Handler: plot.DefaultTextHandler}
}

// glyphShape is the marker drawn at the points of a Line with Points set.
// There is one per palette entry, so that lines stay distinguishable in
// greyscale.
type glyphShape int

const (
	circleGlyph glyphShape = iota
	squareGlyph
	triangleGlyph
	diamondGlyph
	triangleDownGlyph
	ringGlyph
	hollowSquareGlyph
	hollowDiamondGlyph
)

// DrawGlyph implements draw.GlyphDrawer.
func (g glyphShape) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	r := sty.Radius
	var p vg.Path
	poly := func(pts ...vg.Point) {
		p.Move(pts[0])
		for _, q := range pts[1:] {
			p.Line(q)
		}
		p.Close()
	}
	switch g {
	case circleGlyph, ringGlyph:
		p.Move(vg.Point{X: pt.X + r, Y: pt.Y})
		p.Arc(pt, r, 0, 2*math.Pi)
		p.Close()
	case squareGlyph, hollowSquareGlyph:
		s := r * 0.85
		poly(vg.Point{X: pt.X - s, Y: pt.Y - s}, vg.Point{X: pt.X + s, Y: pt.Y - s},
			vg.Point{X: pt.X + s, Y: pt.Y + s}, vg.Point{X: pt.X - s, Y: pt.Y + s})
	case triangleGlyph:
		s := r * 1.2
		poly(vg.Point{X: pt.X, Y: pt.Y + s}, vg.Point{X: pt.X - s*0.866, Y: pt.Y - s*0.5},
			vg.Point{X: pt.X + s*0.866, Y: pt.Y - s*0.5})
	case triangleDownGlyph:
		s := r * 1.2
		poly(vg.Point{X: pt.X, Y: pt.Y - s}, vg.Point{X: pt.X + s*0.866, Y: pt.Y + s*0.5},
			vg.Point{X: pt.X - s*0.866, Y: pt.Y + s*0.5})
	default: // diamonds
		s := r * 1.2
		poly(vg.Point{X: pt.X, Y: pt.Y + s}, vg.Point{X: pt.X + s, Y: pt.Y},
			vg.Point{X: pt.X, Y: pt.Y - s}, vg.Point{X: pt.X - s, Y: pt.Y})
	}
	switch g {
	case ringGlyph, hollowSquareGlyph, hollowDiamondGlyph:
		c.SetColor(color.White)
		c.Fill(p)
		c.SetLineStyle(draw.LineStyle{Color: sty.Color, Width: vg.Points(1.2)})
		c.Stroke(p)
	default:
		c.SetColor(sty.Color)
		c.Fill(p)
	}
}

// markerShape is the glyph of a result.Marker: a thick stroked symbol with a
// white halo, so that it reads on top of lines and bands. Successive marker
// groups in a panel get successive shapes: a cross, an asterisk, a plus and
// an open square.
type markerShape int

const (
	crossMarker markerShape = iota
	starMarker
	plusMarker
	boxMarker
	numMarkerShapes
)

// DrawGlyph implements draw.GlyphDrawer.
func (m markerShape) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	r := sty.Radius
	var p vg.Path
	if m == boxMarker {
		// An open square, a little smaller than the spokes reach.
		h := r * 0.75
		p.Move(vg.Point{X: pt.X - h, Y: pt.Y - h})
		p.Line(vg.Point{X: pt.X + h, Y: pt.Y - h})
		p.Line(vg.Point{X: pt.X + h, Y: pt.Y + h})
		p.Line(vg.Point{X: pt.X - h, Y: pt.Y + h})
		p.Close()
	}
	var angles []float64
	switch m {
	case boxMarker:
	case crossMarker:
		angles = []float64{math.Pi / 4, 3 * math.Pi / 4}
	case starMarker:
		angles = []float64{math.Pi / 2, math.Pi/2 + math.Pi/3, math.Pi/2 + 2*math.Pi/3}
	default:
		angles = []float64{0, math.Pi / 2}
	}
	for _, a := range angles {
		dx, dy := r*vg.Length(math.Cos(a)), r*vg.Length(math.Sin(a))
		p.Move(vg.Point{X: pt.X - dx, Y: pt.Y - dy})
		p.Line(vg.Point{X: pt.X + dx, Y: pt.Y + dy})
	}
	c.SetLineStyle(draw.LineStyle{Color: color.White, Width: vg.Points(4)})
	c.Stroke(p)
	c.SetLineStyle(draw.LineStyle{Color: sty.Color, Width: vg.Points(2)})
	c.Stroke(p)
}

// viridisStops is viridis(11) as published by the viridisLite R package;
// colours in between are interpolated linearly in sRGB, which is close
// enough to the original for a figure.
var viridisStops = [...]color.NRGBA{
	{0x44, 0x01, 0x54, 0xFF},
	{0x48, 0x25, 0x76, 0xFF},
	{0x41, 0x44, 0x87, 0xFF},
	{0x35, 0x60, 0x8D, 0xFF},
	{0x2A, 0x78, 0x8E, 0xFF},
	{0x21, 0x90, 0x8C, 0xFF},
	{0x22, 0xA8, 0x84, 0xFF},
	{0x43, 0xBF, 0x71, 0xFF},
	{0x7A, 0xD1, 0x51, 0xFF},
	{0xBB, 0xDF, 0x27, 0xFF},
	{0xFD, 0xE7, 0x25, 0xFF},
}

// viridis returns the colour of t in [0, 1] (clamped).
func viridis(t float64) color.NRGBA {
	switch {
	case math.IsNaN(t):
		return color.NRGBA{A: 0xFF}
	case t <= 0:
		return viridisStops[0]
	case t >= 1:
		return viridisStops[len(viridisStops)-1]
	}
	f := t * float64(len(viridisStops)-1)
	i := int(f)
	if i >= len(viridisStops)-1 {
		return viridisStops[len(viridisStops)-1]
	}
	u := f - float64(i)
	a, b := viridisStops[i], viridisStops[i+1]
	mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(x) + u*(float64(y)-float64(x)))) }
	return color.NRGBA{R: mix(a.R, b.R), G: mix(a.G, b.G), B: mix(a.B, b.B), A: 0xFF}
}

// luminance is the relative luminance of c in [0, 1] (WCAG definition).
func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	lin := func(v uint32) float64 {
		s := float64(v) / 0xFFFF
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

// contrastText returns black or white, whichever reads better on bg.
func contrastText(bg color.Color) color.Color {
	// Black on bg has contrast (L+0.05)/0.05, white (1.05)/(L+0.05); they are
	// equal at L ≈ 0.179.
	if luminance(bg) > 0.179 {
		return color.Black
	}
	return color.White
}
