package plots

import (
	"fmt"
	"image/color"
	"math"

	"github.com/reluexp/reluexp/experiments/result"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// buildHeatmap builds a heatmap panel: Values[0] is the top row, columns run
// left to right, NaN cells are grey, ±Inf take the end colours, and a colour
// bar stands to the right.
func buildHeatmap(pn result.Panel, title string) *panel {
	h := pn.Heatmap
	var vs span
	hasNaN := false
	for _, row := range h.Values {
		for _, v := range row {
			if finite(v) {
				vs.add(v)
			}
			hasNaN = hasNaN || math.IsNaN(v)
		}
	}
	vmin, vmax := h.Min, h.Max
	if !(vmax > vmin) {
		if vs.n == 0 {
			return emptyPanel(pn, title)
		}
		vmin, vmax = widen(vs.min, vs.max, false)
	}

	p := newPlot(pn, title, noGrid)
	pd := &panel{p: p, title: title}
	p.Add(&cells{h: h, min: vmin, max: vmax})
	nr, nc := len(h.Rows), len(h.Cols)
	nominalX(p, h.Cols)
	p.X.LineStyle.Width = 0
	rows := make([]string, nr)
	for i := range rows {
		rows[i] = h.Rows[nr-1-i]
	}
	p.NominalY(rows...)
	p.X.Padding, p.Y.Padding = vg.Points(3), vg.Points(3)
	p.X.Min, p.X.Max = -0.5, float64(nc)-0.5
	p.Y.Min, p.Y.Max = -0.5, float64(nr)-0.5

	pd.cbar = &colorBar{min: vmin, max: vmax, nan: hasNaN}
	pd.gutter = pd.cbar.width()
	p.Add(spacer{pd.gutter})
	da := pd.estimateDataArea()
	turnLabels(p, h.Cols, da)
	h1 := p.Y.Tick.Label.Height("Mg")
	thinLabels(&p.Y, rows, (da.Max.Y-da.Min.Y)/vg.Length(nr), 1.1*h1)
	return pd
}

// cells draws the heatmap's cells and, if asked, their values.
type cells struct {
	h        *result.Heatmap
	min, max float64
}

func (cl *cells) color(v float64) color.Color {
	switch {
	case math.IsNaN(v):
		return nanColor
	case math.IsInf(v, 1):
		return viridis(1)
	case math.IsInf(v, -1):
		return viridis(0)
	}
	return viridis((v - cl.min) / (cl.max - cl.min))
}

func (cl *cells) Plot(c draw.Canvas, plt *plot.Plot) {
	trX, trY := plt.Transforms(&c)
	nr := len(cl.h.Rows)
	// White lines between cells big enough to spare them; smaller cells
	// overlap a hair instead, so that anti-aliasing leaves no seams.
	sep := draw.LineStyle{Color: color.White, Width: vg.Points(0.75)}
	w := trX(0.5) - trX(-0.5)
	hgt := trY(0.5) - trY(-0.5)
	separate := w > vg.Points(10) && hgt > vg.Points(10)
	var grow vg.Length
	if !separate {
		grow = vg.Points(0.3)
	}
	for r, row := range cl.h.Values {
		y := float64(nr - 1 - r)
		for k, v := range row {
			x := float64(k)
			cell := vg.Rectangle{
				Min: vg.Point{X: trX(x - 0.5), Y: trY(y - 0.5)},
				Max: vg.Point{X: trX(x + 0.5), Y: trY(y + 0.5)},
			}
			bg := cl.color(v)
			c.SetColor(bg)
			c.Fill(vg.Rectangle{
				Min: cell.Min.Sub(vg.Point{X: grow, Y: grow}),
				Max: cell.Max.Add(vg.Point{X: grow, Y: grow}),
			}.Path())
			size := cell.Size()
			if separate {
				c.SetLineStyle(sep)
				c.Stroke(cell.Path())
			}
			if cl.h.Annotate == "" || math.IsNaN(v) {
				continue
			}
			txt := fmt.Sprintf(cl.h.Annotate, v)
			sty := textStyle(annotateSize, false, false)
			// Shrink the text to fit the cell; leave it out below 5pt.
			scale := math.Min(1, math.Min(
				float64(0.9*size.X/sty.Width(txt)),
				float64(0.8*size.Y/sty.Height(txt))))
			if scale*annotateSize < 5 {
				continue
			}
			sty.Font.Size = vg.Points(annotateSize * scale)
			sty.Color = contrastText(bg)
			sty.XAlign, sty.YAlign = draw.XCenter, draw.YCenter
			c.FillText(sty, cell.Min.Add(cell.Max).Scale(0.5), txt)
		}
	}
}

// colorBar is the key of a heatmap, drawn to the right of its axes: the
// colour scale and, when some cells are NaN, a grey swatch labelled NaN
// below it.
type colorBar struct {
	min, max float64
	nan      bool
}

var (
	cbarGap   = vg.Points(10)
	cbarWidth = vg.Points(12)
	cbarTick  = vg.Points(3)
)

func (cb *colorBar) ticks() []plot.Tick {
	var out []plot.Tick
	for _, t := range (linearTicks{}).Ticks(cb.min, cb.max) {
		if t.Label != "" && t.Value >= cb.min && t.Value <= cb.max {
			out = append(out, t)
		}
	}
	return out
}

// width is the room the colour bar and its labels take.
func (cb *colorBar) width() vg.Length {
	sty := textStyle(tickSize, false, false)
	var widest vg.Length
	for _, t := range cb.ticks() {
		widest = max(widest, sty.Width(t.Label))
	}
	if cb.nan {
		widest = max(widest, sty.Width("NaN"))
	}
	return cbarGap + cbarWidth + cbarTick + vg.Points(3) + widest + vg.Points(2)
}

// draw draws the bar beside da, the data area of the heatmap, in c.
func (cb *colorBar) draw(c draw.Canvas, da draw.Canvas) {
	x0 := da.Max.X + cbarGap
	x1 := x0 + cbarWidth
	y0, y1 := da.Min.Y, da.Max.Y
	line := draw.LineStyle{Color: color.Black, Width: vg.Points(0.6)}
	sty := textStyle(tickSize, false, false)
	sty.XAlign, sty.YAlign = draw.XLeft, draw.YCenter
	if cb.nan {
		key := vg.Rectangle{Min: vg.Point{X: x0, Y: y0}, Max: vg.Point{X: x1, Y: y0 + cbarWidth}}
		c.SetColor(nanColor)
		c.Fill(key.Path())
		c.SetLineStyle(line)
		c.Stroke(key.Path())
		c.FillText(sty, vg.Point{X: x1 + cbarTick + vg.Points(3), Y: y0 + cbarWidth/2}, "NaN")
		y0 += cbarWidth + vg.Points(10)
	}
	const steps = 128
	dy := (y1 - y0) / steps
	for i := range steps {
		r := vg.Rectangle{
			Min: vg.Point{X: x0, Y: y0 + vg.Length(i)*dy},
			Max: vg.Point{X: x1, Y: min(y1, y0+vg.Length(i+1)*dy+vg.Points(0.5))},
		}
		c.SetColor(viridis((float64(i) + 0.5) / steps))
		c.Fill(r.Path())
	}
	frame := vg.Rectangle{Min: vg.Point{X: x0, Y: y0}, Max: vg.Point{X: x1, Y: y1}}
	c.SetLineStyle(line)
	c.Stroke(frame.Path())
	for _, t := range cb.ticks() {
		y := y0 + vg.Length((t.Value-cb.min)/(cb.max-cb.min))*(y1-y0)
		c.StrokeLine2(line, x1, y, x1+cbarTick, y)
		c.FillText(sty, vg.Point{X: x1 + cbarTick + vg.Points(3), Y: y}, t.Label)
	}
}
