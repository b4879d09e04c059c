package plots

import (
	"image/color"
	"math"

	"github.com/reluexp/reluexp/experiments/result"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// barSlot is the fraction of a category's width its group of bars takes.
const barSlot = 0.8

// bar is one bar of a grouped bar chart, in data coordinates.
type bar struct {
	x0, x1, top float64
	color       color.Color
}

// errBar is an error bar from lo to hi at x, in axis coordinates; capHalf
// is half the cap's width. A NaN lo is drawn from the bottom of the axis.
type errBar struct{ x, lo, hi, capHalf float64 }

// barDot is one value of a bar chart drawn as a dot (result.Bars.Dots),
// in data coordinates.
type barDot struct {
	x, y  float64
	color color.Color
	bound int // result.BoundBelow (arrow up), result.BoundAbove (arrow down), 0 a value
}

// boundSwatch is the legend's thumbnail of a bound, dir result.BoundBelow
// or result.BoundAbove.
type boundSwatch struct{ dir int }

func (s boundSwatch) Thumbnail(c *draw.Canvas) {
	// Away from the arrow's side, with a short arrow, to keep to its row.
	pt := c.Center()
	pt.Y -= vg.Length(s.dir) * vg.Points(2.5)
	drawBound(c, pt, color.Gray{Y: 0x50}, vg.Points(3), s.dir)
}

// drawBound draws a bound at pt: an open dot and an arrow of the given
// length pointing up (dir result.BoundBelow) or down (result.BoundAbove).
func drawBound(c *draw.Canvas, pt vg.Point, col color.Color, arrow vg.Length, dir int) {
	c.DrawGlyph(draw.GlyphStyle{Color: col, Radius: dotRadius, Shape: draw.RingGlyph{}}, pt)
	sty := draw.LineStyle{Color: col, Width: vg.Points(1.2)}
	d := vg.Length(dir)
	tip := vg.Point{X: pt.X, Y: pt.Y + d*(dotRadius+arrow)}
	c.StrokeLines(sty, []vg.Point{{X: pt.X, Y: pt.Y + d*dotRadius}, tip})
	c.StrokeLines(sty, []vg.Point{{X: tip.X - vg.Points(2.5), Y: tip.Y - d*vg.Points(3)}, tip, {X: tip.X + vg.Points(2.5), Y: tip.Y - d*vg.Points(3)}})
}

// dotRadius is a dot's radius; boundArrow the length of the arrow beside
// a bound's open dot (above a lower bound, below an upper one).
const (
	dotRadius  = vg.Length(3.5)
	boundArrow = vg.Length(7)
)

// barsPlot draws bars from base, or dots, then error bars over them, and
// the missing label at the categories in missing.
type barsPlot struct {
	bars    []bar
	errs    []errBar
	dots    []barDot
	base    float64
	missing []float64 // x of the categories without a value
	label   string
	bounds  map[int]int // dots by their bound (BarGroup.Bounds)
}

// dotSwatch is the legend's thumbnail of a series drawn as dots.
type dotSwatch struct{ color color.Color }

func (s dotSwatch) Thumbnail(c *draw.Canvas) {
	c.DrawGlyph(draw.GlyphStyle{Color: s.color, Radius: dotRadius, Shape: draw.CircleGlyph{}}, c.Center())
}

// zeroBarHeight is the height a bar of zero height is drawn with, so that
// a measured zero is seen and not taken for a missing value.
const zeroBarHeight = vg.Length(1.5)

func (b *barsPlot) Plot(c draw.Canvas, plt *plot.Plot) {
	trX, trY := plt.Transforms(&c)
	base := trY(b.base)
	for _, br := range b.bars {
		x0, x1, top := trX(br.x0), trX(br.x1), trY(br.top)
		if top == base {
			top = base + zeroBarHeight
		}
		poly := c.ClipPolygonXY([]vg.Point{{X: x0, Y: base}, {X: x0, Y: top}, {X: x1, Y: top}, {X: x1, Y: base}})
		if len(poly) > 0 {
			c.FillPolygon(br.color, poly)
		}
	}
	for _, d := range b.dots {
		pt := vg.Point{X: trX(d.x), Y: trY(d.y)}
		switch {
		case !c.Contains(pt):
		case d.bound != 0:
			drawBound(&c, pt, d.color, boundArrow, d.bound)
		default:
			c.DrawGlyph(draw.GlyphStyle{Color: d.color, Radius: dotRadius, Shape: draw.CircleGlyph{}}, pt)
		}
	}
	if b.label != "" {
		ts := textStyle(labelSize, false, true)
		ts.Color = color.Gray{Y: 0x60}
		ts.XAlign, ts.YAlign = draw.XCenter, draw.YBottom
		for _, x := range b.missing {
			pt := vg.Point{X: trX(x), Y: base + vg.Points(3)}
			if c.Contains(pt) {
				c.FillText(ts, pt, b.label)
			}
		}
	}
	sty := draw.LineStyle{Color: color.Black, Width: vg.Points(1)}
	for _, e := range b.errs {
		lo := e.lo
		if math.IsNaN(lo) {
			lo = plt.Y.Min
		}
		x, x0, x1 := trX(e.x), trX(e.x-e.capHalf), trX(e.x+e.capHalf)
		ylo, yhi := trY(lo), trY(e.hi)
		lines := [][]vg.Point{
			{{X: x, Y: ylo}, {X: x, Y: yhi}},
			{{X: x0, Y: yhi}, {X: x1, Y: yhi}},
		}
		if !math.IsNaN(e.lo) {
			lines = append(lines, []vg.Point{{X: x0, Y: ylo}, {X: x1, Y: ylo}})
		}
		c.StrokeLines(sty, c.ClipLinesXY(lines...)...)
	}
}

// refStyle draws a bar panel's reference lines: dashed, dark grey.
var refStyle = draw.LineStyle{Color: color.Gray{Y: 0x40}, Width: vg.Points(1), Dashes: theoryDashes}

// plainRefStyle draws a plain reference level (result.RefLine.Plain):
// solid and light grey, apart from a dashed margin beside it.
var plainRefStyle = draw.LineStyle{Color: color.Gray{Y: 0x90}, Width: vg.Points(1.2)}

func refStyleOf(r result.RefLine) draw.LineStyle {
	if r.Plain {
		return plainRefStyle
	}
	return refStyle
}

// hline draws a horizontal line across the data area at y.
type hline struct {
	y   float64
	sty draw.LineStyle
}

func (h hline) Plot(c draw.Canvas, plt *plot.Plot) {
	_, trY := plt.Transforms(&c)
	y := trY(h.y)
	if c.ContainsY(y) {
		c.StrokeLine2(h.sty, c.Min.X, y, c.Max.X, y)
	}
}

// layoutBars places a bar panel's bars (or dots) and error bars in axis
// coordinates, and spans what they cover.
func layoutBars(pn result.Panel) (*barsPlot, span) {
	b := pn.Bars
	okY := func(v float64) bool { return finite(v) && (!pn.LogY || v > 0) }
	ty := axisMap(pn.LogY)
	w := barSlot / float64(len(b.Groups))
	var ys span
	bp := &barsPlot{bounds: map[int]int{}}
	for g, grp := range b.Groups {
		col := palette[g%len(palette)]
		for k, v := range grp.Values {
			x0 := float64(k) - barSlot/2 + float64(g)*w
			switch {
			case okY(v) && b.Dots:
				bound := 0
				if grp.Bounds != nil {
					bound = grp.Bounds[k]
				}
				bp.dots = append(bp.dots, barDot{x: x0 + w/2, y: ty(v), color: col, bound: bound})
				ys.add(ty(v))
				bp.bounds[bound]++
			case okY(v):
				bp.bars = append(bp.bars, bar{x0: x0 + 0.04*w, x1: x0 + 0.96*w, top: ty(v), color: col})
				ys.add(ty(v))
			}
			if grp.Lo == nil {
				continue
			}
			lo, hi := grp.Lo[k], grp.Hi[k]
			if !finite(lo) || !finite(hi) || (pn.LogY && hi <= 0) {
				continue
			}
			if pn.LogY && lo <= 0 {
				lo = math.NaN()
			} else {
				lo = ty(lo)
				ys.add(lo)
			}
			hi = ty(hi)
			ys.add(hi)
			bp.errs = append(bp.errs, errBar{x: x0 + w/2, lo: lo, hi: hi, capHalf: math.Min(0.25*w, 0.08)})
		}
	}
	if b.Missing != "" {
		bp.label = b.Missing
		for k := range b.Categories {
			empty := true
			for _, grp := range b.Groups {
				if k < len(grp.Values) && okY(grp.Values[k]) {
					empty = false
				}
			}
			if empty {
				bp.missing = append(bp.missing, float64(k))
			}
		}
	}
	return bp, ys
}

// buildBars builds a grouped bar chart: categories along x, one colour per
// group, each value a bar or, with Bars.Dots, a dot. On a log axis bars
// start at the bottom of the axis and values <= 0 are not drawn; NaN and
// ±Inf are never drawn.
func buildBars(pn result.Panel, title string) *panel {
	b := pn.Bars
	okY := func(v float64) bool { return finite(v) && (!pn.LogY || v > 0) }
	ty := axisMap(pn.LogY)
	bp, ys := layoutBars(pn)
	if ys.n == 0 {
		return emptyPanel(pn, title)
	}
	var refs []result.RefLine
	for _, r := range b.Refs {
		if okY(r.Y) {
			refs = append(refs, r)
			ys.add(ty(r.Y))
		}
	}

	p := newPlot(pn, title, horizontalGrid)
	pd := &panel{p: p, title: title}
	var ymin, ymax float64
	if pn.LogY {
		setLog(&p.Y)
		// Bars start at a decade below the smallest value, so that the
		// smallest bar is still a visible bar (coordinates are log10).
		ymin = math.Floor(ys.min)
		if ys.min-ymin < math.Log10(1.5) {
			ymin--
		}
		ymax = math.Max(ys.max, ymin+1)
	} else {
		p.Y.Tick.Marker = linearTicks{}
		ymin, ymax = widen(math.Min(0, ys.min), math.Max(0, ys.max), false)
	}
	// A little room beyond the longest bar or error bar.
	r := ymax - ymin
	ymax += 0.05 * r
	if !pn.LogY && ymin < 0 {
		ymin -= 0.05 * r
	}
	if pn.YMax > pn.YMin {
		ymin, ymax = ty(pn.YMin), ty(pn.YMax)
	}
	bp.base = 0
	if pn.LogY {
		bp.base = ymin
	}
	p.Add(bp)
	if !pn.LogY && ymin < 0 && ymax > 0 {
		p.Add(hline{0, draw.LineStyle{Color: color.Black, Width: vg.Points(0.8)}})
	}
	for _, r := range refs {
		p.Add(hline{ty(r.Y), refStyleOf(r)})
	}

	nominalX(p, b.Categories)
	p.X.Padding = 0 // bars stand on the axis
	p.X.Min, p.X.Max = -0.5, float64(len(b.Categories))-0.5
	p.Y.Min, p.Y.Max = ymin, ymax

	// The labels are turned before the legend is placed: turned labels
	// take height from the data area, and the legend's place is judged on
	// the data area it will get (a legend placed first could be judged
	// clear of dots it then covered).
	unturned := p.X.Tick.Label
	turnLabels(p, b.Categories, pd.estimateDataArea())
	lg, entries := newLegend(), 0
	for g, grp := range b.Groups {
		if grp.Label != "" && b.Dots {
			lg.Add(grp.Label, dotSwatch{palette[g%len(palette)]})
			entries++
		} else if grp.Label != "" {
			lg.Add(grp.Label, swatch{palette[g%len(palette)]})
			entries++
		}
	}
	if bp.bounds[result.BoundBelow] > 0 {
		lg.Add("at least (a lower bound)", boundSwatch{result.BoundBelow})
		entries++
	}
	if bp.bounds[result.BoundAbove] > 0 {
		lg.Add("at most (an upper bound)", boundSwatch{result.BoundAbove})
		entries++
	}
	named := map[string]bool{}
	for _, r := range refs {
		if r.Label != "" && !named[r.Label] {
			named[r.Label] = true
			lg.Add(r.Label, &plotter.Line{LineStyle: refStyleOf(r)})
			entries++
		}
	}
	if entries > 0 {
		pd.legend = lg
		g := &geometry{lw: vg.Points(2)}
		nx := func(v float64) float64 { return p.X.Norm(v) }
		ny := func(v float64) float64 { return p.Y.Norm(v) }
		yb := ny(bp.base)
		for _, br := range bp.bars {
			x0, x1, yt := nx(br.x0), nx(br.x1), ny(br.top)
			g.polys = append(g.polys, []pt{{x0, yb}, {x0, yt}, {x1, yt}, {x1, yb}})
		}
		for _, d := range bp.dots {
			r := dotRadius
			if d.bound != 0 {
				r += boundArrow // the arrow beside it
			}
			g.dots = append(g.dots, dot{pt{nx(d.x), ny(d.y)}, r})
		}
		for _, r := range refs {
			g.segs = append(g.segs, [2]pt{{0, ny(ty(r.Y))}, {1, ny(ty(r.Y))}})
		}
		for _, e := range bp.errs {
			lo := e.lo
			if math.IsNaN(lo) {
				lo = ymin
			}
			g.segs = append(g.segs, [2]pt{{nx(e.x), ny(lo)}, {nx(e.x), ny(e.hi)}})
		}
		pd.placeLegend(g, entries, pn.YMax > pn.YMin)
		if pd.corner == outside {
			// The gutter narrows the slots: decide the turn again.
			p.X.Tick.Label = unturned
			turnLabels(p, b.Categories, pd.estimateDataArea())
		}
	}
	return pd
}

// nominalX labels the x axis with names at 0, 1, ... like plot.NominalX,
// but keeps the axis line.
func nominalX(p *plot.Plot, names []string) {
	p.NominalX(names...)
	p.X.LineStyle.Width = vg.Points(0.8)
	p.Y.Padding = 0
}

// turnLabels turns the category labels of the x axis when they would
// overlap in the data area da (as estimateDataArea gives it, in a tile whose
// left edge is at 0): by 30 degrees, or upright if even that would not fit.
//
// Labels turned by 30 degrees end at their category and hang to its left,
// below the x axis, where the y axis leaves room. When a long first label
// would stick out of the tile there, the plot would have to push its data
// area right, away from the y axis; if the labels then stick out less on
// the right, they are turned the other way, to start at their category and
// hang to its right.
func turnLabels(p *plot.Plot, names []string, da draw.Canvas) {
	sty := &p.X.Tick.Label
	var widest vg.Length
	for _, n := range names {
		widest = max(widest, sty.Width(n))
	}
	slot := (da.Max.X - da.Min.X) / vg.Length(len(names))
	h := sty.Height("Mg")
	switch {
	case widest+vg.Points(4) <= slot:
		return
	case slot < 1.5*h:
		sty.Rotation = math.Pi / 2
		sty.XAlign, sty.YAlign = draw.XRight, draw.YCenter
		thinLabels(&p.X, names, slot, 1.2*h)
		return
	case slot < 2.2*h:
		// Turned by 45 degrees, neighbouring labels stay slot*sin(45)
		// apart, more than their height: readable without thinning.
		sty.Rotation = math.Pi / 4
		sty.XAlign, sty.YAlign = draw.XRight, draw.YTop
		p.Add(labelRoom{names: names, sty: *sty, spare: da.Min.X})
		return
	}
	var left, right vg.Length // how far the labels stick out on each side
	cos := vg.Length(math.Cos(math.Pi / 6))
	for i, n := range names {
		w := sty.Width(n) * cos
		left = max(left, w-(vg.Length(i)+0.5)*slot-da.Min.X)
		right = max(right, w-(vg.Length(len(names)-i)-0.5)*slot)
	}
	if left > 0 && right < left {
		sty.Rotation = -math.Pi / 6
		sty.XAlign, sty.YAlign = draw.XLeft, draw.YTop
		return // the plot pads for the x axis's labels on the right
	}
	sty.Rotation = math.Pi / 6
	sty.XAlign, sty.YAlign = draw.XRight, draw.YTop
	// The plot pads only for the x axis's labels on the right.
	p.Add(labelRoom{names: names, sty: *sty, spare: da.Min.X})
}

// thinLabels labels only every k-th of the names at 0, 1, ... on a, for the
// smallest k that gives each label room of at least need when the names are
// slot apart.
func thinLabels(a *plot.Axis, names []string, slot, need vg.Length) {
	if slot >= need || slot <= 0 {
		return
	}
	k := int(math.Ceil(float64(need / slot)))
	ticks := make(plot.ConstantTicks, len(names))
	for i, n := range names {
		ticks[i] = plot.Tick{Value: float64(i)}
		if i%k == 0 {
			ticks[i].Label = n
		}
	}
	a.Tick.Marker = ticks
}

// labelRoom reserves horizontal room for turned category labels beyond the
// spare room left of the data area.
type labelRoom struct {
	names []string
	sty   text.Style
	spare vg.Length
}

func (labelRoom) Plot(draw.Canvas, *plot.Plot) {}

func (l labelRoom) GlyphBoxes(p *plot.Plot) []plot.GlyphBox {
	boxes := make([]plot.GlyphBox, len(l.names))
	for i, n := range l.names {
		r := l.sty.Rectangle(n)
		boxes[i] = plot.GlyphBox{
			X:         p.X.Norm(float64(i)),
			Rectangle: vg.Rectangle{Min: vg.Point{X: min(0, r.Min.X+l.spare)}, Max: vg.Point{X: r.Max.X}},
		}
	}
	return boxes
}
