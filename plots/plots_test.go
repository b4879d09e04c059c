package plots

import (
	"bytes"
	"errors"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reluexp/reluexp/experiments/result"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg/draw"
)

var nan, inf = math.NaN(), math.Inf(1)

func linePanel(lines ...result.Line) result.Panel {
	return result.Panel{Kind: result.LinePanel, XLabel: "x", YLabel: "y", Lines: lines}
}

func fig(panels ...result.Panel) result.Figure {
	return result.Figure{Name: "f", Panels: panels}
}

func TestValidationErrors(t *testing.T) {
	ok := []float64{1, 2, 3}
	bars := func(b result.Bars) result.Panel { return result.Panel{Kind: result.BarPanel, Bars: &b} }
	heat := func(h result.Heatmap) result.Panel { return result.Panel{Kind: result.HeatmapPanel, Heatmap: &h} }
	for _, tc := range []struct {
		name string
		fig  result.Figure
		want string // a substring of the error
	}{
		{"no panels", result.Figure{Name: "f"}, `plots: figure "f": no panels`},
		{"negative columns", result.Figure{Name: "f", Columns: -1, Panels: []result.Panel{linePanel()}}, "Columns = -1"},
		{"unknown kind", fig(result.Panel{Kind: "pie"}), `plots: figure "f" panel 0: unknown panel kind "pie"`},
		{"empty kind", fig(result.Panel{}), `unknown panel kind ""`},
		{"len X != len Y", fig(linePanel(result.Line{Label: "a", X: ok, Y: ok[:2]})), `line 0 ("a"): len(X) = 3 but len(Y) = 2`},
		{"Lo without Hi", fig(linePanel(result.Line{X: ok, Y: ok, Lo: ok})), "Lo and Hi must be set together"},
		{"short Hi", fig(linePanel(result.Line{X: ok, Y: ok, Lo: ok, Hi: ok[:1]})), "len(Hi) = 1"},
		{"second panel", fig(linePanel(), linePanel(result.Line{X: ok, Y: nil})), `panel 1: line 0`},
		{"line panel with bars", fig(result.Panel{Kind: result.LinePanel, Bars: &result.Bars{}}), "line panel has Bars"},
		{"fixed log range not positive", fig(result.Panel{Kind: result.LinePanel, LogY: true, YMin: 0, YMax: 1}), "must be positive"},
		{"infinite fixed range", fig(result.Panel{Kind: result.LinePanel, YMin: 0, YMax: inf}), "not finite"},
		{"infinite fixed x range", fig(result.Panel{Kind: result.LinePanel, XMin: 0, XMax: inf}), "x range [0, +Inf] is not finite"},
		{"fixed log x range not positive", fig(result.Panel{Kind: result.LinePanel, LogX: true, XMin: 0, XMax: 1}), "must be positive"},
		{"x range on bars", fig(result.Panel{Kind: result.BarPanel, XMin: 0, XMax: 1, Bars: &result.Bars{Categories: []string{"a"}, Groups: []result.BarGroup{{Label: "g", Values: []float64{1}}}}}), "only line panels"},
		{"bar panel without bars", fig(result.Panel{Kind: result.BarPanel}), "bar panel without Bars"},
		{"bars without categories", fig(bars(result.Bars{Groups: []result.BarGroup{{}}})), "no categories"},
		{"bars without groups", fig(bars(result.Bars{Categories: []string{"a"}})), "no groups"},
		{"bar values vs categories", fig(bars(result.Bars{Categories: []string{"a", "b"}, Groups: []result.BarGroup{{Label: "g", Values: ok}}})), `bar group 0 ("g"): 3 values for 2 categories`},
		{"bar error lengths", fig(bars(result.Bars{Categories: []string{"a", "b", "c"}, Groups: []result.BarGroup{{Values: ok, Lo: ok, Hi: ok[:2]}}})), "len(Hi) = 2"},
		{"bar LogX", fig(result.Panel{Kind: result.BarPanel, LogX: true, Bars: &result.Bars{Categories: []string{"a"}, Groups: []result.BarGroup{{Values: ok[:1]}}}}), "LogX on a bar panel"},
		{"heatmap panel without heatmap", fig(result.Panel{Kind: result.HeatmapPanel}), "heatmap panel without Heatmap"},
		{"heatmap ragged", fig(heat(result.Heatmap{Rows: []string{"r0", "r1"}, Cols: []string{"a", "b"}, Values: [][]float64{{1, 2}, {3}}})), `ragged values: row 1 ("r1") has 1 values for 2 columns`},
		{"heatmap rows", fig(heat(result.Heatmap{Rows: []string{"r0", "r1"}, Cols: []string{"a"}, Values: [][]float64{{1}}})), "1 rows of values for 2 row labels"},
		{"heatmap empty", fig(heat(result.Heatmap{})), "0 rows and 0 columns"},
		{"heatmap min > max", fig(heat(result.Heatmap{Rows: []string{"r"}, Cols: []string{"c"}, Values: [][]float64{{1}}, Min: 2, Max: 1})), "Min <= Max"},
		{"heatmap bad verb", fig(heat(result.Heatmap{Rows: []string{"r"}, Cols: []string{"c"}, Values: [][]float64{{1}}, Annotate: "%d"})), `Annotate "%d"`},
		{"heatmap no verb", fig(heat(result.Heatmap{Rows: []string{"r"}, Cols: []string{"c"}, Values: [][]float64{{1}}, Annotate: "x"})), `Annotate "x"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := PNG(tc.fig)
			if err == nil {
				t.Fatalf("PNG succeeded (%d bytes), want an error containing %q", len(b), tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not contain %q", err, tc.want)
			}
			if !strings.HasPrefix(err.Error(), "plots: figure ") {
				t.Errorf("error %q does not start with \"plots: figure \"", err)
			}
		})
	}
}

// TestAwkwardDataRenders checks that values a log axis cannot show, NaNs,
// infinities and panels left with nothing to draw render without error.
func TestAwkwardDataRenders(t *testing.T) {
	x := []float64{0, 1, 2, 3, 4, 5, 6}
	y := []float64{1, 0, -1, nan, 10, inf, 100}
	allBad := []float64{nan, 0, -1, inf, negInf(), nan, 0}
	heat := func(v [][]float64, min, max float64) result.Panel {
		rows := make([]string, len(v))
		for i := range rows {
			rows[i] = "row"
		}
		cols := make([]string, len(v[0]))
		for i := range cols {
			cols[i] = "col"
		}
		return result.Panel{Kind: result.HeatmapPanel, Heatmap: &result.Heatmap{Rows: rows, Cols: cols, Values: v, Min: min, Max: max, Annotate: "%.1f"}}
	}
	for _, tc := range []struct {
		name  string
		panel result.Panel
	}{
		{"log y with zeros, negatives, NaN, Inf", result.Panel{Kind: result.LinePanel, LogY: true,
			Lines: []result.Line{{Label: "a", X: x, Y: y, Points: true, Style: 0}}}},
		{"log x and y", result.Panel{Kind: result.LinePanel, LogX: true, LogY: true,
			Lines: []result.Line{{Label: "a", X: x, Y: y, Style: -1}}}},
		{"log band through zero", result.Panel{Kind: result.LinePanel, LogY: true,
			Lines: []result.Line{{Label: "a", X: x, Y: []float64{1, 2, 3, 4, 5, 6, 7},
				Lo: []float64{-1, 0, 1, nan, 2, 3, negInf()}, Hi: []float64{2, 3, 4, 5, nan, 7, 8}}}}},
		{"log markers at zero", result.Panel{Kind: result.LinePanel, LogY: true,
			Lines:   []result.Line{{X: x, Y: []float64{1, 2, 3, 4, 5, 6, 7}}},
			Markers: []result.Marker{{Label: "m", X: 1, Y: 0}, {Label: "m", X: 2, Y: 3, Style: 40}}}},
		{"nothing drawable", result.Panel{Kind: result.LinePanel, LogY: true, Title: "t",
			Lines: []result.Line{{Label: "a", X: x, Y: allBad}}}},
		{"no lines at all", result.Panel{Kind: result.LinePanel}},
		{"single point", result.Panel{Kind: result.LinePanel,
			Lines: []result.Line{{Label: "a", X: []float64{3}, Y: []float64{3}}}}},
		{"constant log line", result.Panel{Kind: result.LinePanel, LogY: true,
			Lines: []result.Line{{Label: "a", X: x, Y: []float64{5, 5, 5, 5, 5, 5, 5}}}}},
		{"fixed range excluding the data", result.Panel{Kind: result.LinePanel, YMin: 10, YMax: 20,
			Lines: []result.Line{{Label: "a", X: x, Y: x, Lo: x, Hi: x, Points: true}}}},
		{"fixed log range", result.Panel{Kind: result.LinePanel, LogY: true, YMin: 1e-3, YMax: 1e3,
			Lines: []result.Line{{Label: "a", X: x, Y: y}}}},
		{"fixed x range excluding the data", result.Panel{Kind: result.LinePanel, XMin: 100, XMax: 200,
			Lines: []result.Line{{Label: "a", X: x, Y: x, Points: true}}}},
		{"fixed log x range", result.Panel{Kind: result.LinePanel, LogX: true, XMin: 1e-3, XMax: 1e3,
			Lines: []result.Line{{Label: "a", X: x, Y: y}}}},
		{"huge and tiny values", result.Panel{Kind: result.LinePanel, LogX: true, LogY: true,
			Lines: []result.Line{{Label: "a", X: []float64{5e-324, 1e308}, Y: []float64{1e-300, 1e300}}}}},
		{"huge linear values", result.Panel{Kind: result.LinePanel,
			Lines: []result.Line{{Label: "a", X: []float64{-1e308, 1e308}, Y: []float64{-1e308, 1e308}}}}},
		{"style out of range", result.Panel{Kind: result.LinePanel,
			Lines: []result.Line{{Label: "a", X: x, Y: x, Style: 99}, {Label: "b", X: x, Y: x, Style: -7, Points: true}}}},
		{"log bars with zeros and negative errors", result.Panel{Kind: result.BarPanel, LogY: true,
			Bars: &result.Bars{Categories: []string{"a", "b", "c"}, Groups: []result.BarGroup{
				{Label: "g", Values: []float64{0, 10, nan}, Lo: []float64{-1, 5, 1}, Hi: []float64{1, 20, 2}},
				{Label: "h", Values: []float64{-3, 1e-4, 3}},
			}}}},
		{"log dots with zeros", result.Panel{Kind: result.BarPanel, LogY: true,
			Bars: &result.Bars{Dots: true, Categories: []string{"a", "b", "c"}, Groups: []result.BarGroup{
				{Label: "g", Values: []float64{0, 10, nan}, Lo: []float64{-1, 5, 1}, Hi: []float64{1, 20, 2}},
				{Label: "h", Values: []float64{3, 1e-4, 3}},
			}}}},
		{"bars all NaN", result.Panel{Kind: result.BarPanel,
			Bars: &result.Bars{Categories: []string{"a"}, Groups: []result.BarGroup{{Values: []float64{nan}}}}}},
		{"negative bars", result.Panel{Kind: result.BarPanel,
			Bars: &result.Bars{Categories: []string{"a", "b"}, Groups: []result.BarGroup{{Label: "g", Values: []float64{-2, 3}, Lo: []float64{-3, 2}, Hi: []float64{-1, 4}}}}}},
		{"long category names", result.Panel{Kind: result.BarPanel,
			Bars: &result.Bars{Categories: []string{"a rather long category name", "another long category", "and a third one", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"},
				Groups: []result.BarGroup{{Values: []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}}}}}},
		{"heatmap all NaN", heat([][]float64{{nan, nan}, {nan, nan}}, 0, 0)},
		{"heatmap all NaN with a fixed scale", heat([][]float64{{nan, nan}, {nan, nan}}, 0, 1)},
		{"heatmap with infinities", heat([][]float64{{inf, negInf()}, {1, nan}}, 0, 0)},
		{"heatmap constant", heat([][]float64{{2, 2}, {2, 2}}, 0, 0)},
		{"heatmap big", heat(func() [][]float64 {
			v := make([][]float64, 60)
			for i := range v {
				v[i] = make([]float64, 80)
				for j := range v[i] {
					v[i][j] = float64(i * j)
				}
			}
			return v
		}(), 0, 0)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := PNG(fig(tc.panel))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := png.Decode(bytes.NewReader(b)); err != nil {
				t.Fatalf("output is not a PNG: %v", err)
			}
		})
	}
}

func negInf() float64 { return math.Inf(-1) }

// sampleFigure has a panel of every kind, legends inside and outside, bands,
// markers and a log axis.
func sampleFigure() result.Figure {
	x := []float64{1, 2, 3, 4, 5, 6, 7, 8}
	y := []float64{1, 0.5, 0.3, 0.2, 0.1, 0.05, 0, 0.01}
	lo, hi := make([]float64, len(y)), make([]float64, len(y))
	for i, v := range y {
		lo[i], hi[i] = v*0.5-0.01, v*1.5+0.01
	}
	var many []result.Line
	for k := range 9 {
		ys := make([]float64, len(x))
		for i := range x {
			ys[i] = float64(k) * x[i]
		}
		many = append(many, result.Line{Label: strings.Repeat("l", k+1), X: x, Y: ys, Style: -1})
	}
	return result.Figure{
		Name: "sample", Title: "Sample", Columns: 2,
		Panels: []result.Panel{
			{Kind: result.LinePanel, Title: "log", LogY: true, Lines: []result.Line{
				{Label: "measured", X: x, Y: y, Lo: lo, Hi: hi, Points: true},
				{Label: "theory", X: x, Y: x, Theory: true},
			}, Markers: []result.Marker{{Label: "event", X: 4, Y: 0.5, Style: 3}}},
			{Kind: result.LinePanel, Title: "many", Lines: many},
			{Kind: result.BarPanel, Title: "bars", Bars: &result.Bars{Categories: []string{"a", "b"},
				Groups: []result.BarGroup{{Label: "g", Values: []float64{1, 2}, Lo: []float64{0.5, 1.5}, Hi: []float64{1.5, 2.5}}}}},
			{Kind: result.HeatmapPanel, Title: "heat", Heatmap: &result.Heatmap{Rows: []string{"r"}, Cols: []string{"a", "b"},
				Values: [][]float64{{1, nan}}, Annotate: "%.1f"}},
		},
	}
}

func TestDeterministic(t *testing.T) {
	f := sampleFigure()
	first, err := PNG(f)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		again, err := PNG(f)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first, again) {
			t.Fatal("rendering the same figure twice gave different bytes")
		}
	}
}

// TestConcurrent renders figures from several goroutines at once, as a
// report generator might; run with -race.
func TestConcurrent(t *testing.T) {
	want, err := PNG(sampleFigure())
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			got, err := PNG(sampleFigure())
			if err == nil && !bytes.Equal(got, want) {
				err = errors.New("concurrent rendering gave different bytes")
			}
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

func TestWritePNG(t *testing.T) {
	plain := linePanel(result.Line{X: []float64{1, 2}, Y: []float64{3, 4}})
	labelled := linePanel(result.Line{Label: "a", X: []float64{1, 2}, Y: []float64{3, 4}})
	var crowded []result.Line
	for k := range 10 {
		crowded = append(crowded, result.Line{Label: "series", X: []float64{1, 2}, Y: []float64{float64(k), float64(k + 1)}})
	}
	for _, tc := range []struct {
		name string
		fig  result.Figure
		w, h int // pixels; 0 means "more than one panel's"
	}{
		{"one panel", fig(plain), 750, 540},
		{"legend inside", fig(labelled), 750, 540},
		{"one row", fig(plain, plain, plain), 3 * 750, 540},
		{"two by two", result.Figure{Name: "f", Columns: 2, Panels: []result.Panel{plain, plain, plain, plain}}, 1500, 1080},
		{"ragged grid", result.Figure{Name: "f", Columns: 2, Panels: []result.Panel{plain, plain, plain}}, 1500, 1080},
		{"columns beyond panels", result.Figure{Name: "f", Columns: 5, Panels: []result.Panel{plain, plain}}, 1500, 540},
		{"legend outside", fig(linePanel(crowded...)), 0, 540},
		{"title", result.Figure{Name: "f", Title: "A title", Panels: []result.Panel{plain}}, 750, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "out.png")
			if err := WritePNG(tc.fig, path); err != nil {
				t.Fatal(err)
			}
			entries, err := os.ReadDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			if len(entries) != 1 || entries[0].Name() != "out.png" {
				var names []string
				for _, e := range entries {
					names = append(names, e.Name())
				}
				t.Fatalf("directory holds %v, want only out.png", names)
			}
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			im, err := png.Decode(f)
			if err != nil {
				t.Fatal(err)
			}
			w, h := im.Bounds().Dx(), im.Bounds().Dy()
			if tc.w != 0 && w != tc.w || tc.w == 0 && w <= 750 {
				t.Errorf("width = %d px, want %d (0: more than 750)", w, tc.w)
			}
			if tc.h != 0 && h != tc.h || tc.h == 0 && h <= 540 {
				t.Errorf("height = %d px, want %d (0: more than 540)", h, tc.h)
			}
		})
	}
}

func TestWritePNGErrors(t *testing.T) {
	dir := t.TempDir()
	if err := WritePNG(result.Figure{Name: "f"}, filepath.Join(dir, "bad.png")); err == nil {
		t.Error("WritePNG of an empty figure succeeded")
	}
	good := fig(linePanel(result.Line{X: []float64{1, 2}, Y: []float64{3, 4}}))
	if err := WritePNG(good, filepath.Join(dir, "absent", "out.png")); err == nil {
		t.Error("WritePNG into a missing directory succeeded")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("failed writes left %d files behind", len(entries))
	}
}

func TestLogTicks(t *testing.T) {
	for _, tc := range []struct {
		min, max float64
		want     string // labels, space separated
	}{
		{1e-3, 1, "0.001 0.01 0.1 1"},
		{0.003, 0.9, "0.005 0.01 0.02 0.05 0.1 0.2 0.5"},
		{2, 8, "2 5"},
		{16, 2048, "20 50 100 200 500 1000 2000"},
		{1e-7, 1e5, "1e-07 1e-05 0.001 0.1 10 1000 1e+05"},
		{3, 4, "3.00 3.25 3.50 3.75 4.00"},
	} {
		var got []string
		for _, tk := range (logTicks{}).Ticks(math.Log10(tc.min), math.Log10(tc.max)) {
			if tk.Label != "" {
				got = append(got, tk.Label)
			}
			if v := math.Pow(10, tk.Value); v < tc.min*(1-1e-9) || v > tc.max*(1+1e-9) {
				t.Errorf("[%g, %g]: tick at %g is out of range", tc.min, tc.max, v)
			}
		}
		if g := strings.Join(got, " "); g != tc.want {
			t.Errorf("[%g, %g]: labels %q, want %q", tc.min, tc.max, g, tc.want)
		}
	}
}

func TestLinearTicks(t *testing.T) {
	for _, tc := range []struct {
		min, max float64
		want     string
	}{
		{0, 0.4, "0.0 0.1 0.2 0.3 0.4"},
		{1, 20, "5 10 15 20"},
		{0, 128, "0 25 50 75 100 125"},
		{-1, 1, "-1.0 -0.5 0.0 0.5 1.0"},
		{0, 3e6, "0 1e+06 2e+06 3e+06"},
		{2e-5, 1e-4, "2e-05 4e-05 6e-05 8e-05 0.0001"},
	} {
		var got []string
		for _, tk := range (linearTicks{}).Ticks(tc.min, tc.max) {
			got = append(got, tk.Label)
		}
		if g := strings.Join(got, " "); g != tc.want {
			t.Errorf("[%g, %g]: labels %q, want %q", tc.min, tc.max, g, tc.want)
		}
	}
}

func TestRuns(t *testing.T) {
	ok := []bool{false, true, true, false, true, false, false, true, true, true}
	got := runs(len(ok), func(i int) bool { return ok[i] })
	want := [][2]int{{1, 3}, {4, 5}, {7, 10}}
	if len(got) != len(want) {
		t.Fatalf("runs = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("runs = %v, want %v", got, want)
		}
	}
}

// A band of a single point (an arm measured at one size only) has no width
// to shade; its interval is drawn as an error bar and the axis makes room
// for it.
func TestLoneBandIsDrawn(t *testing.T) {
	pn := linePanel(
		result.Line{X: []float64{1, 10}, Y: []float64{0.9, 1.1}},
		result.Line{X: []float64{10}, Y: []float64{1}, Lo: []float64{0.5}, Hi: []float64{1.5}},
	)
	pd := buildPanel(pn, "")
	if pd.p.Y.Min > 0.5 || pd.p.Y.Max < 1.5 {
		t.Errorf("vertical axis [%g, %g] leaves out the lone point's interval [0.5, 1.5]", pd.p.Y.Min, pd.p.Y.Max)
	}
}

// A marker group's legend glyph takes its series' colour only when every
// marker of the group shares it; markers of one label in several colours
// (one per arm) are "mixed", and the legend draws them in grey.
func TestMarkerGroup(t *testing.T) {
	ms := []result.Marker{
		{Label: "diverged", Style: 0}, {Label: "partly", Style: 2}, {Label: "diverged", Style: 3},
		{Label: "partly", Style: 2}, {Label: "hidden", Style: 1},
	}
	drawable := []int{0, 1, 2, 3} // the last is off the axes
	for _, tc := range []struct {
		label         string
		wantStyle     int
		wantMixed, ok bool
	}{
		{"diverged", 0, true, true},
		{"partly", 2, false, true},
		{"hidden", 0, false, false},
	} {
		first, mixed, ok := markerGroup(ms, drawable, tc.label, 0)
		if ok != tc.ok || mixed != tc.wantMixed || (ok && first.Style != tc.wantStyle) {
			t.Errorf("%s: first style %d, mixed %v, found %v; want %d, %v, %v", tc.label, first.Style, mixed, ok, tc.wantStyle, tc.wantMixed, tc.ok)
		}
	}
}

// A series of points that no line joins shows only its glyph in the
// legend; a joined one, or a plain line, shows its line too.
func TestLegendOfUnjoinedPoints(t *testing.T) {
	one := plotter.XYs{{X: 1, Y: 1}}
	two := plotter.XYs{{X: 1, Y: 1}, {X: 2, Y: 2}}
	ls := draw.LineStyle{Color: palette[0]}
	gs := draw.GlyphStyle{Color: palette[0]}
	bar := band{x: []float64{1}, lo: []float64{0}, hi: []float64{2}}
	wide := band{x: []float64{1, 2}, lo: []float64{0, 1}, hi: []float64{2, 3}}
	cases := []struct {
		name     string
		ln       result.Line
		segs     []plotter.XYs
		bands    []band
		wantLine bool
		wantBand bool
	}{
		{"points apart", result.Line{Points: true}, []plotter.XYs{one, one}, nil, false, false},
		{"points joined", result.Line{Points: true}, []plotter.XYs{one, two}, nil, true, false},
		{"a plain line", result.Line{}, []plotter.XYs{two}, nil, true, false},
		{"a plain line of lone points", result.Line{}, []plotter.XYs{one}, nil, true, false},
		// A band shows its swatch only where it is shaded: one-point runs
		// are error bars.
		{"points apart with error bars", result.Line{Points: true, Lo: []float64{0, 0}, Hi: []float64{2, 2}}, []plotter.XYs{one, one}, []band{bar, bar}, false, false},
		{"a line with a shaded band", result.Line{Lo: []float64{0, 1}, Hi: []float64{2, 3}}, []plotter.XYs{two}, []band{wide}, true, true},
		{"a band shaded in one run", result.Line{Points: true, Lo: []float64{0, 0, 1}, Hi: []float64{2, 2, 3}}, []plotter.XYs{one, two}, []band{bar, wide}, true, true},
	}
	for _, tc := range cases {
		hasLine, hasGlyph, hasBand := false, false, false
		for _, th := range legendThumbs(tc.ln, tc.segs, tc.bands, palette[1], ls, gs) {
			switch th.(type) {
			case *plotter.Line:
				hasLine = true
			case *plotter.Scatter:
				hasGlyph = true
			case *plotter.Polygon:
				hasBand = true
			}
		}
		if hasLine != tc.wantLine || hasGlyph != tc.ln.Points || hasBand != tc.wantBand {
			t.Errorf("%s: line %v, glyph %v, band %v; want %v, %v, %v", tc.name, hasLine, hasGlyph, hasBand, tc.wantLine, tc.ln.Points, tc.wantBand)
		}
	}
}

// A bar panel with Dots draws its values as dots, not bars: no bar stands
// on the axis's floor, and every finite positive value has its dot.
func TestBarDots(t *testing.T) {
	b := result.Bars{Dots: true, Categories: []string{"a", "b"}, Groups: []result.BarGroup{
		{Label: "g", Values: []float64{2, 30}, Lo: []float64{1, 20}, Hi: []float64{3, 40}},
		{Label: "h", Values: []float64{0, 5}},
	}}
	bp, _ := layoutBars(result.Panel{Kind: result.BarPanel, LogY: true, Bars: &b})
	if len(bp.bars) != 0 || len(bp.dots) != 3 || len(bp.errs) != 2 {
		t.Errorf("%d bars, %d dots, %d error bars; want 0, 3 (the zero on a log axis left out), 2", len(bp.bars), len(bp.dots), len(bp.errs))
	}
}

// A plain reference level is drawn solid and light, apart from a dashed
// margin; both render in a bar panel.
func TestPlainRefLine(t *testing.T) {
	if s := refStyleOf(result.RefLine{Plain: true}); len(s.Dashes) != 0 || s.Color == refStyle.Color {
		t.Errorf("a plain level's style %+v: want solid and apart from the margin's", s)
	}
	if s := refStyleOf(result.RefLine{}); len(s.Dashes) == 0 {
		t.Errorf("a margin's style %+v: want dashed", s)
	}
	fig := result.Figure{Name: "refs", Panels: []result.Panel{{Kind: result.BarPanel, YMin: 0.9, YMax: 2, Bars: &result.Bars{Dots: true, Categories: []string{"a", "b"},
		Groups: []result.BarGroup{{Label: "g", Values: []float64{1.05, 1.5}, Lo: []float64{1.03, 1.4}, Hi: []float64{1.07, 1.6}}},
		Refs:   []result.RefLine{{Label: "no difference (1)", Y: 1, Plain: true}, {Label: "margin (1.1)", Y: 1.1}}}}}}
	if err := WritePNG(fig, filepath.Join(t.TempDir(), "refs.png")); err != nil {
		t.Fatal(err)
	}
}

// A category with no value in any group is listed for the Missing label;
// one with a value, even zero, is not.
func TestBarsMissingLabel(t *testing.T) {
	nan := math.NaN()
	b := result.Bars{Missing: "n/a", Categories: []string{"leaky", "prelu", "elu"}, Groups: []result.BarGroup{
		{Label: "fix", Values: []float64{0.1, nan, nan}},
		{Label: "relu", Values: []float64{0, 0, nan}},
	}}
	bp, _ := layoutBars(result.Panel{Kind: result.BarPanel, Bars: &b})
	if len(bp.missing) != 1 || bp.missing[0] != 2 || bp.label != "n/a" {
		t.Errorf("missing %v, label %q; want [2] (elu), \"n/a\"", bp.missing, bp.label)
	}
	if len(bp.bars) != 3 {
		t.Errorf("%d bars, want 3 (zeros are bars)", len(bp.bars))
	}
	b.Missing = ""
	if bp, _ := layoutBars(result.Panel{Kind: result.BarPanel, Bars: &b}); len(bp.missing) != 0 {
		t.Errorf("no Missing label set, yet missing %v", bp.missing)
	}
}

// A title wider than its figure is broken at spaces into lines that fit,
// every word kept in order; one that fits is left alone.
func TestWrapTitle(t *testing.T) {
	sty := textStyle(figTitleSize, true, false)
	short := "C8 recovery verdict"
	if got := wrapTitle(sty, short, panelW); got != short {
		t.Errorf("a title that fits: %q", got)
	}
	long := "Fashion-MNIST run, profile long: C8 recovery verdict: MIXED, share that came back, fix minus ReLU"
	got := wrapTitle(sty, long, panelW)
	lines := strings.Split(got, "\n")
	if len(lines) < 2 {
		t.Fatalf("%q: want it broken into lines", got)
	}
	for _, l := range lines {
		if sty.Width(l) > panelW {
			t.Errorf("line %q is %v wide, over %v", l, sty.Width(l), panelW)
		}
	}
	if strings.Join(strings.Fields(got), " ") != long {
		t.Errorf("%q: words lost or reordered", got)
	}
}

// A dotted level is drawn unlike a dashed one of the same colour.
func TestDottedLine(t *testing.T) {
	render := func(dotted bool) []byte {
		t.Helper()
		b, err := PNG(fig(linePanel(
			result.Line{Label: "curve", X: []float64{1, 2, 3}, Y: []float64{3, 2, 1}},
			result.Line{Label: "level", X: []float64{1, 3}, Y: []float64{2, 2}, Theory: true, Dotted: dotted, Style: 6},
		)))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	if bytes.Equal(render(false), render(true)) {
		t.Error("a dotted level renders as the dashed one")
	}
}

// FirstOnTop draws the first marker group (or line) over a later one at
// the same place; by default the later one is on top.
func TestFirstOnTop(t *testing.T) {
	blue := func(firstOnTop, lines bool) int {
		t.Helper()
		pn := linePanel(result.Line{Label: "curve", X: []float64{0, 2}, Y: []float64{0, 2}, Style: 6})
		pn.Markers = []result.Marker{{Label: "first", X: 1, Y: 1, Style: 0}, {Label: "second", X: 1, Y: 1, Style: 1}}
		if lines {
			pn = linePanel(result.Line{Label: "first", X: []float64{0, 2}, Y: []float64{0, 2}, Style: 0},
				result.Line{Label: "second", X: []float64{0, 2}, Y: []float64{0, 2}, Style: 1})
		}
		pn.FirstOnTop = firstOnTop
		b, err := PNG(fig(pn))
		if err != nil {
			t.Fatal(err)
		}
		im, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		n, want := 0, palette[0]
		for y := im.Bounds().Min.Y; y < im.Bounds().Max.Y; y++ {
			for x := im.Bounds().Min.X; x < im.Bounds().Max.X; x++ {
				if c := color.NRGBAModel.Convert(im.At(x, y)).(color.NRGBA); c == want {
					n++
				}
			}
		}
		return n
	}
	for _, lines := range []bool{false, true} {
		if on, off := blue(true, lines), blue(false, lines); on <= off {
			t.Errorf("lines %v: the first's colour covers %d pixels drawn on top, %d drawn under: FirstOnTop did not bring it up", lines, on, off)
		}
	}
}

// A bound is drawn unlike a value, a lower one unlike an upper one, and
// only as a dot.
func TestBounds(t *testing.T) {
	panel := func(dots bool, bounds []int) result.Panel {
		return result.Panel{Kind: result.BarPanel, Bars: &result.Bars{Dots: dots, Categories: []string{"a", "b"},
			Groups: []result.BarGroup{{Label: "g", Values: []float64{1, 2}, Lo: []float64{0.5, 1.5}, Hi: []float64{1.5, 2.5}, Bounds: bounds}}}}
	}
	for _, tc := range []struct {
		pn   result.Panel
		want string
	}{
		{panel(false, []int{0, result.BoundBelow}), "Bounds needs Dots"},
		{panel(true, []int{result.BoundBelow}), "len(Bounds) = 1, want 2"},
		{panel(true, []int{2, 0}), "value 0 has bound 2"},
	} {
		if _, err := PNG(fig(tc.pn)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("error %v, want one containing %q", err, tc.want)
		}
	}
	render := func(bounds []int) []byte {
		t.Helper()
		b, err := PNG(fig(panel(true, bounds)))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	plain, lower, upper := render(nil), render([]int{0, result.BoundBelow}), render([]int{0, result.BoundAbove})
	if bytes.Equal(plain, lower) {
		t.Error("a lower bound renders as a value")
	}
	if bytes.Equal(upper, plain) || bytes.Equal(upper, lower) {
		t.Error("an upper bound renders as a value or as a lower bound")
	}
}

// ticksWithin labels only the part of the axis that holds values.
func TestTicksWithin(t *testing.T) {
	for _, tk := range (ticksWithin{linearTicks{}, 0, 1}).Ticks(0, 2) {
		if tk.Value < 0 || tk.Value > 1 {
			t.Errorf("tick at %g outside [0, 1]", tk.Value)
		}
	}
	if n := len((ticksWithin{linearTicks{}, 0, 1}).Ticks(0, 2)); n == 0 {
		t.Error("no ticks left within [0, 1]")
	}
}

// A marker's Shape fixes its glyph whatever its group.
func TestMarkerShape(t *testing.T) {
	render := func(shape int) []byte {
		t.Helper()
		pn := linePanel(result.Line{Label: "curve", X: []float64{0, 2}, Y: []float64{0, 2}})
		pn.Markers = []result.Marker{{Label: "m", X: 1, Y: 1, Shape: shape}}
		b, err := PNG(fig(pn))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	if !bytes.Equal(render(result.ShapeByGroup), render(result.ShapeCross)) {
		t.Error("the first group's glyph is not the cross")
	}
	if bytes.Equal(render(result.ShapeCross), render(result.ShapeStar)) {
		t.Error("ShapeStar drawn as the cross")
	}
}

// A fixed x range is the range drawn: it changes the picture, and a range
// equal to the data's own changes nothing.
func TestXRange(t *testing.T) {
	render := func(xmin, xmax float64) []byte {
		t.Helper()
		pn := linePanel(result.Line{Label: "curve", X: []float64{0, 2}, Y: []float64{0, 2}})
		pn.XMin, pn.XMax = xmin, xmax
		b, err := PNG(fig(pn))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	if bytes.Equal(render(0, 0), render(0, 4)) {
		t.Error("an x range of [0, 4] drew the same picture as the data's [0, 2]")
	}
	if !bytes.Equal(render(0, 0), render(0, 2)) {
		t.Error("an x range equal to the data's drew another picture")
	}
}
