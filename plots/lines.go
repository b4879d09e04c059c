package plots

import (
	"image/color"
	"math"
	"slices"

	"github.com/reluexp/reluexp/experiments/result"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// runs returns the maximal [start, end) runs of indices below n where ok
// holds: the pieces a line is split into at points that cannot be drawn.
func runs(n int, ok func(int) bool) [][2]int {
	var out [][2]int
	start := -1
	for i := 0; i <= n; i++ {
		if i < n && ok(i) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			out = append(out, [2]int{start, i})
			start = -1
		}
	}
	return out
}

// band is one drawable piece of a Line's Lo/Hi band, in axis coordinates.
// A NaN in lo marks a lower bound at or below zero on a log axis: it is
// drawn at the bottom of the axis.
type band struct{ x, lo, hi []float64 }

// buildLines builds a line panel. Points that cannot be drawn (NaN, ±Inf,
// and on a log axis values <= 0) are dropped and the line is broken there;
// isolated points left between dropped ones are drawn as dots.
func buildLines(pn result.Panel, title string) *panel {
	okX := func(v float64) bool { return finite(v) && (!pn.LogX || v > 0) }
	okY := func(v float64) bool { return finite(v) && (!pn.LogY || v > 0) }
	tx, ty := axisMap(pn.LogX), axisMap(pn.LogY)

	type series struct {
		style int
		segs  []plotter.XYs
		bands []band
	}
	var xs, ys span
	all := make([]series, len(pn.Lines))
	for i, ln := range pn.Lines {
		s := series{style: styleIndex(ln.Style, i)}
		for _, r := range runs(len(ln.X), func(k int) bool { return okX(ln.X[k]) && okY(ln.Y[k]) }) {
			xy := make(plotter.XYs, 0, r[1]-r[0])
			for k := r[0]; k < r[1]; k++ {
				q := plotter.XY{X: tx(ln.X[k]), Y: ty(ln.Y[k])}
				xy = append(xy, q)
				xs.add(q.X)
				ys.add(q.Y)
			}
			s.segs = append(s.segs, xy)
		}
		if ln.Lo != nil {
			ok := func(k int) bool {
				return okX(ln.X[k]) && finite(ln.Lo[k]) && finite(ln.Hi[k]) && (!pn.LogY || ln.Hi[k] > 0)
			}
			for _, r := range runs(len(ln.X), ok) {
				// A run of one point has no width to shade: it is drawn
				// as an error bar instead.
				var b band
				for k := r[0]; k < r[1]; k++ {
					x, lo, hi := tx(ln.X[k]), math.NaN(), ty(ln.Hi[k])
					if !pn.LogY || ln.Lo[k] > 0 {
						lo = ty(ln.Lo[k])
						ys.add(lo)
					}
					b.x = append(b.x, x)
					b.lo = append(b.lo, lo)
					b.hi = append(b.hi, hi)
					xs.add(x)
					ys.add(hi)
				}
				s.bands = append(s.bands, b)
			}
		}
		all[i] = s
	}
	var markers []int // indices of drawable markers
	var mxy plotter.XYs
	for i, m := range pn.Markers {
		if okX(m.X) && okY(m.Y) {
			q := plotter.XY{X: tx(m.X), Y: ty(m.Y)}
			markers = append(markers, i)
			mxy = append(mxy, q)
			xs.add(q.X)
			ys.add(q.Y)
		}
	}
	if xs.n == 0 {
		return emptyPanel(pn, title)
	}

	p := newPlot(pn, title, fullGrid)
	pd := &panel{p: p, title: title}
	xmin, xmax := widen(xs.min, xs.max, pn.LogX)
	ymin, ymax := widen(ys.min, ys.max, pn.LogY)
	if pn.YMax > pn.YMin {
		ymin, ymax = ty(pn.YMin), ty(pn.YMax)
	}
	if pn.XMax > pn.XMin {
		xmin, xmax = tx(pn.XMin), tx(pn.XMax)
	}
	p.X.Tick.Marker, p.Y.Tick.Marker = linearTicks{}, linearTicks{}
	if pn.LogX {
		setLog(&p.X)
	}
	if pn.LogY {
		setLog(&p.Y)
	}
	if pn.TickMax > pn.TickMin && okY(pn.TickMin) && okY(pn.TickMax) {
		p.Y.Tick.Marker = ticksWithin{p.Y.Tick.Marker, ty(pn.TickMin), ty(pn.TickMax)}
	}

	lineStyle := func(ln result.Line, st int) draw.LineStyle {
		ls := draw.LineStyle{Color: palette[st], Width: lineWidth}
		if ln.Theory {
			ls.Dashes = theoryDashes
		}
		if ln.Dotted {
			ls.Dashes = dotDashes
		}
		return ls
	}
	glyphStyle := func(st int) draw.GlyphStyle {
		return draw.GlyphStyle{Color: palette[st], Radius: pointRadius, Shape: glyphShape(st)}
	}

	// Bands first, so that every line is drawn over every band.
	for _, s := range all {
		for _, b := range s.bands {
			if len(b.x) == 1 {
				lo := b.lo[0]
				if math.IsNaN(lo) {
					lo = ymin
				}
				bar, err := plotter.NewLine(plotter.XYs{{X: b.x[0], Y: lo}, {X: b.x[0], Y: b.hi[0]}})
				if err != nil {
					panic(err) // cannot happen: the values are finite
				}
				bar.LineStyle = draw.LineStyle{Color: withAlpha(palette[s.style], 0.6), Width: 2 * lineWidth}
				p.Add(bar)
				continue
			}
			ring := make(plotter.XYs, 0, 2*len(b.x))
			for k := range b.x {
				ring = append(ring, plotter.XY{X: b.x[k], Y: b.hi[k]})
			}
			for k := len(b.x) - 1; k >= 0; k-- {
				lo := b.lo[k]
				if math.IsNaN(lo) {
					lo = ymin
				}
				ring = append(ring, plotter.XY{X: b.x[k], Y: lo})
			}
			poly, err := plotter.NewPolygon(ring)
			if err != nil {
				panic(err) // cannot happen: the values are finite
			}
			poly.Color = withAlpha(palette[s.style], 0.2)
			poly.LineStyle.Width = 0
			p.Add(poly)
		}
	}
	lineOrder := make([]int, len(all)) // indices into all, in drawing order
	for i := range lineOrder {
		lineOrder[i] = i
		if pn.FirstOnTop {
			lineOrder[i] = len(all) - 1 - i
		}
	}
	for _, i := range lineOrder {
		s := all[i]
		ln := pn.Lines[i]
		for _, seg := range s.segs {
			if len(seg) >= 2 {
				l, err := plotter.NewLine(seg)
				if err != nil {
					panic(err)
				}
				l.LineStyle = lineStyle(ln, s.style)
				p.Add(l)
			}
			if ln.Points || len(seg) == 1 {
				sc, err := plotter.NewScatter(seg)
				if err != nil {
					panic(err)
				}
				sc.GlyphStyle = glyphStyle(s.style)
				if !ln.Points {
					// A lone point between dropped ones: a small dot, so
					// that the value is not lost.
					sc.GlyphStyle.Shape = circleGlyph
					sc.GlyphStyle.Radius = lineWidth * 1.3
				}
				p.Add(sc)
			}
		}
	}

	// Markers, grouped by label in order of first appearance: one legend
	// entry and one glyph shape per group.
	var labels []string
	group := map[string]int{}
	for _, i := range markers {
		if _, ok := group[pn.Markers[i].Label]; !ok {
			group[pn.Markers[i].Label] = len(labels)
			labels = append(labels, pn.Markers[i].Label)
		}
	}
	markerGlyph := func(m result.Marker, pos int) draw.GlyphStyle {
		shape := markerShape(group[m.Label] % int(numMarkerShapes))
		if m.Shape > result.ShapeByGroup {
			shape = markerShape((m.Shape - 1) % int(numMarkerShapes))
		}
		return draw.GlyphStyle{Color: palette[styleIndex(m.Style, pos)], Radius: markerRadius, Shape: shape}
	}
	order := make([]int, len(markers)) // indices into markers, in drawing order
	for j := range order {
		order[j] = j
	}
	if pn.FirstOnTop {
		// Later groups first, so that the first group is drawn last, on top.
		slices.SortStableFunc(order, func(a, b int) int {
			return group[pn.Markers[markers[b]].Label] - group[pn.Markers[markers[a]].Label]
		})
	}
	for _, j := range order {
		m := pn.Markers[markers[j]]
		sc, err := plotter.NewScatter(plotter.XYs{mxy[j]})
		if err != nil {
			panic(err)
		}
		sc.GlyphStyle = markerGlyph(m, group[m.Label])
		p.Add(sc)
	}

	// The data ranges, set after Add, which widens them to the plotters'.
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = xmin, xmax, ymin, ymax

	// Legend: one entry per labelled line, one per labelled marker group.
	lg, entries := newLegend(), 0
	for i, ln := range pn.Lines {
		if ln.Label == "" {
			continue
		}
		st := all[i].style
		lg.Add(ln.Label, legendThumbs(ln, all[i].segs, all[i].bands, withAlpha(palette[st], 0.2), lineStyle(ln, st), glyphStyle(st))...)
		entries++
	}
	for g, label := range labels {
		if label == "" {
			continue
		}
		if first, mixed, ok := markerGroup(pn.Markers, markers, label, g); ok {
			// A group drawn in several series' colours shows its glyph
			// in grey: the first one's colour would say it belongs to
			// that series alone.
			gs := markerGlyph(first, g)
			if mixed {
				gs.Color = mixedMarkerColour
			}
			lg.Add(label, &plotter.Scatter{GlyphStyle: gs})
			entries++
		}
	}
	if entries > 0 {
		pd.legend = lg
		g := &geometry{lw: lineWidth/2 + pointRadius}
		nx := func(v float64) float64 { return p.X.Norm(v) }
		ny := func(v float64) float64 { return p.Y.Norm(v) }
		for i, s := range all {
			for _, seg := range s.segs {
				for k := 1; k < len(seg); k++ {
					g.segs = append(g.segs, [2]pt{{nx(seg[k-1].X), ny(seg[k-1].Y)}, {nx(seg[k].X), ny(seg[k].Y)}})
				}
				if len(seg) == 1 || pn.Lines[i].Points {
					for _, q := range seg {
						g.dots = append(g.dots, dot{pt{nx(q.X), ny(q.Y)}, pointRadius * 1.2})
					}
				}
			}
			for _, b := range s.bands {
				poly := make([]pt, 0, 2*len(b.x))
				for k := range b.x {
					poly = append(poly, pt{nx(b.x[k]), ny(b.hi[k])})
				}
				for k := len(b.x) - 1; k >= 0; k-- {
					lo := b.lo[k]
					if math.IsNaN(lo) {
						lo = ymin
					}
					poly = append(poly, pt{nx(b.x[k]), ny(lo)})
				}
				g.polys = append(g.polys, poly)
			}
		}
		for _, q := range mxy {
			g.dots = append(g.dots, dot{pt{nx(q.X), ny(q.Y)}, markerRadius + vg.Points(2)})
		}
		pd.placeLegend(g, entries, pn.YMax > pn.YMin)
	}
	return pd
}

// markerGroup finds the drawable markers (indices into ms) with a label:
// the first of them, whether they are drawn in more than one colour (pos
// is the group's position, for markers that pick their style by it), and
// whether there is any.
// legendThumbs is a line's legend entry: its band, its line and its
// glyph, each when drawn. A series of points that nothing joins (NaN
// between every two, segs of one point each) shows its glyph without a
// line: a line in the legend would promise one in the plot. Likewise a
// band whose every run is one point wide, drawn as error bars, shows no
// shaded swatch (review 26d: the legend showed bands that the plot never
// drew).
func legendThumbs(ln result.Line, segs []plotter.XYs, bands []band, fill color.Color, ls draw.LineStyle, gs draw.GlyphStyle) []plot.Thumbnailer {
	var thumbs []plot.Thumbnailer
	for _, b := range bands {
		if len(b.x) >= 2 {
			thumbs = append(thumbs, &plotter.Polygon{Color: fill})
			break
		}
	}
	joined := !ln.Points
	for _, seg := range segs {
		joined = joined || len(seg) >= 2
	}
	if joined {
		thumbs = append(thumbs, &plotter.Line{LineStyle: ls})
	}
	if ln.Points {
		thumbs = append(thumbs, &plotter.Scatter{GlyphStyle: gs})
	}
	return thumbs
}

func markerGroup(ms []result.Marker, drawable []int, label string, pos int) (first result.Marker, mixed, ok bool) {
	for _, i := range drawable {
		m := ms[i]
		if m.Label != label {
			continue
		}
		if !ok {
			first, ok = m, true
		} else if styleIndex(m.Style, pos) != styleIndex(first.Style, pos) {
			mixed = true
		}
	}
	return first, mixed, ok
}
