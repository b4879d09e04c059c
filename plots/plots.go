// Package plots renders result.Figure values to PNG images fit for a paper:
// Liberation Sans at 10 to 13 points, Okabe and Ito's colour-blind-safe
// palette, light grey grid lines, at 150 dpi.
//
// Conventions:
//
//   - Line.Style and Marker.Style index the palette of eight colours (and,
//     for lines drawn with Points, eight glyph shapes); -1 or an index out of
//     range picks by position: the line's index in the panel, or the marker
//     group's. Theory lines are dashed. Lo/Hi draw a band at 20% opacity.
//   - Markers sharing a Label form one legend entry; successive groups get a
//     cross, an asterisk, a plus and an open square, drawn over everything
//     else.
//   - A legend of at most five entries goes inside the axes, in a corner
//     where it covers no data (raising the y axis a little if needed and
//     allowed); otherwise it goes outside, to the right.
//   - On a log axis values <= 0, and on any axis NaN and ±Inf, are dropped
//     and the line is broken there; a band's lower edge at or below zero on
//     a log axis is drawn at the bottom of the axis. A panel left with
//     nothing to draw says "no finite data".
//   - Bars: one colour per group; BarGroup.Lo and Hi are the ends of the
//     error bar (absolute values, like Line.Lo and Hi). On a log axis bars
//     start at the bottom of the axis. A dot marked BoundBelow (BoundAbove)
//     in Bounds is a lower (upper) bound: an open dot, arrow up (down).
//   - Heatmaps: Values[0] is the top row; NaN cells are grey (with a key
//     under the colour bar), values beyond Min/Max take the end colours.
//
// Rendering is deterministic: the same Figure always gives the same bytes.
// Invalid figures (mismatched lengths, ragged heatmaps, unknown panel kinds,
// no panels) are reported as errors, never as panics.
package plots

import (
	"bytes"
	"fmt"
	"math"
	"strings"

	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/internal/atomicfile"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// PNG renders fig and returns the encoded PNG bytes.
//
// Each panel takes a 5 x 3.6 inch tile at 150 dpi, laid out Columns to a row
// (all in one row when Columns is 0); a column whose panels need a legend
// outside the axes or a colour bar is widened for it, and the figure title,
// when set, takes a strip along the top. The caption is not drawn.
func PNG(fig result.Figure) ([]byte, error) {
	return render(fig)
}

// WritePNG renders fig to path atomically: a reader never sees a partly
// written file, and on error the previous file, if any, is untouched.
func WritePNG(fig result.Figure, path string) error {
	b, err := PNG(fig)
	if err != nil {
		return err
	}
	if err := atomicfile.WriteFile(path, b, 0o644); err != nil {
		return fmt.Errorf("plots: figure %q: %w", fig.Name, err)
	}
	return nil
}

// Layout paddings.
var (
	tiles = draw.Tiles{
		PadX:      vg.Points(14),
		PadY:      vg.Points(12),
		PadTop:    vg.Points(6),
		PadBottom: vg.Points(4),
		PadLeft:   vg.Points(6),
		PadRight:  vg.Points(8),
	}
	figTitlePad = vg.Points(6)
)

// wrapTitle breaks title into lines at spaces so that each fits in
// maxW when drawn in sty: a one-panel figure is narrow, and a title with
// its run's label in front ("Fashion-MNIST run, profile long: ...") would
// otherwise run off both edges. A word longer than maxW gets a line of
// its own.
func wrapTitle(sty draw.TextStyle, title string, maxW vg.Length) string {
	if title == "" || sty.Width(title) <= maxW {
		return title
	}
	var lines []string
	line := ""
	for _, w := range strings.Fields(title) {
		switch {
		case line == "":
			line = w
		case sty.Width(line+" "+w) <= maxW:
			line += " " + w
		default:
			lines = append(lines, line)
			line = w
		}
	}
	return strings.Join(append(lines, line), "\n")
}

func render(fig result.Figure) (out []byte, err error) {
	if err := validate(fig); err != nil {
		return nil, err
	}
	// gonum/plot reports some impossible requests by panicking; the checks
	// above and the cleaning of data below should leave none, but a figure
	// must never take a whole run down.
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("plots: figure %q: rendering failed: %v", fig.Name, r)
		}
	}()

	n := len(fig.Panels)
	cols := fig.Columns
	if cols <= 0 || cols > n {
		cols = n
	}
	rows := (n + cols - 1) / cols

	panels := make([]*panel, n)
	for i, pn := range fig.Panels {
		title := pn.Title
		if n == 1 && title == fig.Title {
			title = "" // said once is enough
		}
		panels[i] = buildPanel(pn, title)
	}

	width := panelW * vg.Length(cols)
	gutters := make([]vg.Length, cols)
	for i, pd := range panels {
		gutters[i%cols] = max(gutters[i%cols], pd.gutter)
	}
	for _, g := range gutters {
		width += g
	}
	titleSty := textStyle(figTitleSize, true, false)
	titleSty.XAlign, titleSty.YAlign = draw.XCenter, draw.YTop
	title := wrapTitle(titleSty, fig.Title, width-2*figTitlePad)
	var titleH vg.Length
	if title != "" {
		titleH = titleSty.Height(title) + 2*figTitlePad
	}
	height := panelH*vg.Length(rows) + titleH

	img := vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(dpi))
	dc := draw.New(img)
	if title != "" {
		dc.FillText(titleSty, vg.Point{X: width / 2, Y: height - figTitlePad}, title)
	}
	body := dc
	body.Max.Y -= titleH

	grid := make([][]*plot.Plot, rows)
	for r := range grid {
		grid[r] = make([]*plot.Plot, cols)
	}
	for i, pd := range panels {
		grid[i/cols][i%cols] = pd.p
	}
	t := tiles
	t.Rows, t.Cols = rows, cols
	canvases := plot.Align(grid, t, body)
	// plot.Align lines up the data areas, not the canvases around them: a
	// panel with a tick label at the very top gets a taller canvas. Titles
	// go at the top of the tallest in their row, so that they line up.
	titleTop := make([]vg.Length, rows)
	for i := range panels {
		r := i / cols
		titleTop[r] = max(titleTop[r], canvases[r][i%cols].Max.Y)
	}
	for i, pd := range panels {
		pd.draw(canvases[i/cols][i%cols], titleTop[i/cols])
	}

	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("plots: figure %q: encode png: %w", fig.Name, err)
	}
	return buf.Bytes(), nil
}

// validate checks everything about fig that would otherwise make a wrong
// picture or a panic. Non-finite data values are not errors: they are
// dropped when drawing.
func validate(fig result.Figure) error {
	if len(fig.Panels) == 0 {
		return fmt.Errorf("plots: figure %q: no panels", fig.Name)
	}
	if fig.Columns < 0 {
		return fmt.Errorf("plots: figure %q: Columns = %d, want >= 0", fig.Name, fig.Columns)
	}
	for i, pn := range fig.Panels {
		if err := validatePanel(pn); err != nil {
			return fmt.Errorf("plots: figure %q panel %d: %w", fig.Name, i, err)
		}
	}
	return nil
}

func validatePanel(pn result.Panel) error {
	if pn.YMax > pn.YMin {
		if !finite(pn.YMin) || !finite(pn.YMax) {
			return fmt.Errorf("y range [%g, %g] is not finite", pn.YMin, pn.YMax)
		}
		if pn.LogY && pn.YMin <= 0 {
			return fmt.Errorf("y range [%g, %g] on a log axis must be positive", pn.YMin, pn.YMax)
		}
	}
	if pn.XMax > pn.XMin {
		if !finite(pn.XMin) || !finite(pn.XMax) {
			return fmt.Errorf("x range [%g, %g] is not finite", pn.XMin, pn.XMax)
		}
		if pn.LogX && pn.XMin <= 0 {
			return fmt.Errorf("x range [%g, %g] on a log axis must be positive", pn.XMin, pn.XMax)
		}
		if pn.Kind != result.LinePanel {
			return fmt.Errorf("x range set on a %s panel; only line panels have one", pn.Kind)
		}
	}
	switch pn.Kind {
	case result.LinePanel:
		if pn.Bars != nil || pn.Heatmap != nil {
			return fmt.Errorf("line panel has Bars or Heatmap set; only Lines and Markers are drawn")
		}
		for j, ln := range pn.Lines {
			if len(ln.X) != len(ln.Y) {
				return fmt.Errorf("line %d (%q): len(X) = %d but len(Y) = %d", j, ln.Label, len(ln.X), len(ln.Y))
			}
			if (ln.Lo == nil) != (ln.Hi == nil) {
				return fmt.Errorf("line %d (%q): Lo and Hi must be set together", j, ln.Label)
			}
			if ln.Lo != nil && (len(ln.Lo) != len(ln.Y) || len(ln.Hi) != len(ln.Y)) {
				return fmt.Errorf("line %d (%q): len(Lo) = %d and len(Hi) = %d, want len(Y) = %d",
					j, ln.Label, len(ln.Lo), len(ln.Hi), len(ln.Y))
			}
		}
	case result.BarPanel:
		b := pn.Bars
		switch {
		case b == nil:
			return fmt.Errorf("bar panel without Bars")
		case pn.Heatmap != nil || len(pn.Lines) > 0 || len(pn.Markers) > 0:
			return fmt.Errorf("bar panel has Lines, Markers or Heatmap set; only Bars are drawn")
		case pn.LogX:
			return fmt.Errorf("LogX on a bar panel: the x axis holds categories")
		case len(b.Categories) == 0:
			return fmt.Errorf("bars: no categories")
		case len(b.Groups) == 0:
			return fmt.Errorf("bars: no groups")
		}
		for g, grp := range b.Groups {
			if len(grp.Values) != len(b.Categories) {
				return fmt.Errorf("bar group %d (%q): %d values for %d categories", g, grp.Label, len(grp.Values), len(b.Categories))
			}
			if (grp.Lo == nil) != (grp.Hi == nil) {
				return fmt.Errorf("bar group %d (%q): Lo and Hi must be set together", g, grp.Label)
			}
			if grp.Lo != nil && (len(grp.Lo) != len(grp.Values) || len(grp.Hi) != len(grp.Values)) {
				return fmt.Errorf("bar group %d (%q): len(Lo) = %d and len(Hi) = %d, want %d",
					g, grp.Label, len(grp.Lo), len(grp.Hi), len(grp.Values))
			}
			if grp.Bounds != nil && len(grp.Bounds) != len(grp.Values) {
				return fmt.Errorf("bar group %d (%q): len(Bounds) = %d, want %d", g, grp.Label, len(grp.Bounds), len(grp.Values))
			}
			if grp.Bounds != nil && !b.Dots {
				return fmt.Errorf("bar group %d (%q): Bounds needs Dots: a bar's length cannot show a bound", g, grp.Label)
			}
			for k, bd := range grp.Bounds {
				if bd != 0 && bd != result.BoundBelow && bd != result.BoundAbove {
					return fmt.Errorf("bar group %d (%q): value %d has bound %d, want 0, BoundBelow or BoundAbove", g, grp.Label, k, bd)
				}
			}
		}
	case result.HeatmapPanel:
		h := pn.Heatmap
		switch {
		case h == nil:
			return fmt.Errorf("heatmap panel without Heatmap")
		case pn.Bars != nil || len(pn.Lines) > 0 || len(pn.Markers) > 0:
			return fmt.Errorf("heatmap panel has Lines, Markers or Bars set; only the Heatmap is drawn")
		case pn.LogX || pn.LogY:
			return fmt.Errorf("LogX/LogY on a heatmap panel: its axes hold labels (log colour scales are not supported)")
		case len(h.Rows) == 0 || len(h.Cols) == 0:
			return fmt.Errorf("heatmap: %d rows and %d columns, want at least one of each", len(h.Rows), len(h.Cols))
		case len(h.Values) != len(h.Rows):
			return fmt.Errorf("heatmap: %d rows of values for %d row labels", len(h.Values), len(h.Rows))
		case !finite(h.Min) || !finite(h.Max) || h.Min > h.Max:
			return fmt.Errorf("heatmap: colour range Min = %g, Max = %g, want finite Min <= Max", h.Min, h.Max)
		}
		for r, row := range h.Values {
			if len(row) != len(h.Cols) {
				return fmt.Errorf("heatmap: ragged values: row %d (%q) has %d values for %d columns", r, h.Rows[r], len(row), len(h.Cols))
			}
		}
		if h.Annotate != "" {
			if s := fmt.Sprintf(h.Annotate, 1.5); bytes.Contains([]byte(s), []byte("%!")) {
				return fmt.Errorf("heatmap: Annotate %q is not a verb for one float64 (gives %q)", h.Annotate, s)
			}
		}
	default:
		return fmt.Errorf("unknown panel kind %q", pn.Kind)
	}
	return nil
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
