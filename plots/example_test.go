package plots_test

import (
	"fmt"
	"log"
	"math"
	"path/filepath"

	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/plots"
)

// outDir is where the examples write their images. TestExamples points it
// at testdata when regenerating the golden images (go test ./plots -update)
// and at a temporary directory otherwise.
var outDir = "testdata"

// Example_line draws a line panel on a log y axis: two measured series with
// confidence bands, the dashed predictions beside them, and a marker where a
// run diverged. The zero and the NaN in the data are left out of the line,
// which is broken there, instead of crashing the log axis.
func Example_line() {
	depth := make([]float64, 20)
	he, heLo, heHi := make([]float64, 20), make([]float64, 20), make([]float64, 20)
	xavier, xaLo, xaHi := make([]float64, 20), make([]float64, 20), make([]float64, 20)
	heTheory, xaTheory := make([]float64, 20), make([]float64, 20)
	for i := range depth {
		d := float64(i + 1)
		depth[i] = d
		heTheory[i] = 1
		xaTheory[i] = math.Pow(0.5, d/2)
		he[i] = 1 + 0.15*math.Sin(d)
		heLo[i], heHi[i] = he[i]*(1-0.02*d), he[i]*(1+0.02*d)
		xavier[i] = xaTheory[i] * (1 + 0.2*math.Cos(1.7*d))
		xaLo[i], xaHi[i] = xavier[i]*0.6, xavier[i]*1.5
	}
	xavier[13] = 0          // underflowed: cannot be drawn on a log axis
	xavier[16] = math.NaN() // a failed run
	heLo[19] = -0.1         // the band's lower edge runs off the bottom

	fig := result.Figure{
		Name:  "line",
		Title: "Gradient norm at the first layer of a ReLU network",
		Panels: []result.Panel{{
			Kind:   result.LinePanel,
			XLabel: "depth (layers)",
			YLabel: "gradient norm, first / last layer",
			LogY:   true,
			Lines: []result.Line{
				{Label: "He init", X: depth, Y: he, Lo: heLo, Hi: heHi, Points: true, Style: 0},
				{Label: "He init (theory)", X: depth, Y: heTheory, Theory: true, Style: 0},
				{Label: "Xavier init", X: depth, Y: xavier, Lo: xaLo, Hi: xaHi, Points: true, Style: 1},
				{Label: "Xavier init (theory)", X: depth, Y: xaTheory, Theory: true, Style: 1},
			},
			Markers: []result.Marker{{Label: "diverged", X: 17, Y: 0.01, Style: 1}},
		}},
	}
	if err := plots.WritePNG(fig, filepath.Join(outDir, "line.png")); err != nil {
		log.Fatal(err)
	}
}

// Example_bars draws a grouped bar chart with error bars and a dashed
// reference line.
func Example_bars() {
	fig := result.Figure{
		Name:  "bars",
		Title: "Test accuracy by activation",
		Panels: []result.Panel{{
			Kind:   result.BarPanel,
			YLabel: "test accuracy (%)",
			Bars: &result.Bars{
				Categories: []string{"ReLU", "Leaky ReLU", "GELU", "tanh", "sigmoid"},
				Groups: []result.BarGroup{
					{
						Label:  "MNIST",
						Values: []float64{98.1, 98.2, 98.3, 97.4, 95.0},
						Lo:     []float64{97.9, 98.0, 98.1, 97.1, 94.2},
						Hi:     []float64{98.3, 98.4, 98.5, 97.7, 95.8},
					},
					{
						Label:  "Fashion-MNIST",
						Values: []float64{89.5, 89.9, 90.1, 87.8, 84.3},
						Lo:     []float64{89.0, 89.4, 89.7, 87.2, 83.1},
						Hi:     []float64{90.0, 90.4, 90.5, 88.4, 85.5},
					},
				},
				Refs: []result.RefLine{{Label: "chance", Y: 10}},
			},
		}},
	}
	if err := plots.WritePNG(fig, filepath.Join(outDir, "bars.png")); err != nil {
		log.Fatal(err)
	}
}

// Example_heatmap draws an annotated heatmap; the NaN cell (a diverged run)
// is grey.
func Example_heatmap() {
	rates := []string{"1e-4", "3e-4", "1e-3", "3e-3", "1e-2", "3e-2"}
	depths := []string{"2 layers", "4 layers", "8 layers", "16 layers", "32 layers"}
	values := make([][]float64, len(depths))
	for r := range depths {
		values[r] = make([]float64, len(rates))
		for c := range rates {
			// Dead-unit fraction grows with depth and learning rate.
			values[r][c] = 1 - math.Exp(-0.02*float64((r+1)*(c+1)*(c+1))/3)
		}
	}
	values[4][5] = math.NaN()

	fig := result.Figure{
		Name:  "heatmap",
		Title: "Fraction of dead ReLUs after training",
		Panels: []result.Panel{{
			Kind:   result.HeatmapPanel,
			XLabel: "learning rate",
			YLabel: "depth",
			Heatmap: &result.Heatmap{
				Rows: depths, Cols: rates, Values: values,
				Min: 0, Max: 1, Annotate: "%.2f",
			},
		}},
	}
	if err := plots.WritePNG(fig, filepath.Join(outDir, "heatmap.png")); err != nil {
		log.Fatal(err)
	}
}

// Example_grid lays five panels of different kinds out two to a row. The
// panel with many lines gets its legend outside the axes, the heatmap its
// colour bar, and plot.Align lines the axes up across rows and columns.
func Example_grid() {
	steps := make([]float64, 30)
	for i := range steps {
		steps[i] = float64(i+1) * 100
	}
	series := func(f func(s float64) float64) []float64 {
		out := make([]float64, len(steps))
		for i, s := range steps {
			out[i] = f(s)
		}
		return out
	}
	var many []result.Line
	for k := range 6 {
		lr := 0.001 * math.Pow(2, float64(k))
		many = append(many, result.Line{
			Label: fmt.Sprintf("lr = %g", lr),
			X:     steps,
			Y:     series(func(s float64) float64 { return math.Min(0.9, lr*30*(1-math.Exp(-s/1500))) }),
			Style: -1,
		})
	}
	widths := []float64{16, 32, 64, 128, 256, 512, 1024, 2048}
	ratio := make([]float64, len(widths))
	for i, w := range widths {
		ratio[i] = (1 + 3/math.Sqrt(w)) * (1 + 0.04*math.Sin(float64(3*i)))
	}

	fig := result.Figure{
		Name:    "grid",
		Title:   "Dead units in ReLU networks",
		Columns: 2,
		Panels: []result.Panel{
			{
				Kind: result.LinePanel, Title: "(a) dead fraction during training",
				XLabel: "step", YLabel: "dead fraction",
				Lines: []result.Line{
					{Label: "ReLU", X: steps, Y: series(func(s float64) float64 { return 0.3 * (1 - math.Exp(-s/800)) }), Points: true, Style: 0},
					{Label: "Leaky ReLU", X: steps, Y: series(func(s float64) float64 { return 0.02 * (1 - math.Exp(-s/800)) }), Points: true, Style: 2},
				},
				YMin: 0, YMax: 0.4,
			},
			{
				Kind: result.LinePanel, Title: "(b) by learning rate",
				XLabel: "step", YLabel: "dead fraction",
				Lines: many,
			},
			{
				Kind: result.LinePanel, Title: "(c) forward variance ratio",
				XLabel: "width", YLabel: "Var[h_L] / Var[h_0]", LogX: true,
				Lines: []result.Line{
					{Label: "measured", X: widths, Y: ratio, Points: true, Style: 0},
					{Label: "1 + 3/√width", X: widths, Y: predicted(widths), Theory: true, Style: 0},
				},
			},
			{
				Kind: result.BarPanel, Title: "(d) dead fraction at the end",
				YLabel: "dead fraction",
				Bars: &result.Bars{
					Categories: []string{"He", "Xavier", "LSUV", "orthogonal"},
					Groups: []result.BarGroup{
						{Label: "ReLU", Values: []float64{0.28, 0.35, 0.22, 0.25}},
						{Label: "Leaky ReLU", Values: []float64{0.02, 0.03, 0.01, 0.02}},
					},
				},
			},
			{
				Kind: result.HeatmapPanel, Title: "(e) dead fraction by layer",
				XLabel: "layer", YLabel: "init",
				Heatmap: &result.Heatmap{
					Rows: []string{"He", "Xavier", "LSUV"},
					Cols: []string{"1", "2", "3", "4", "5", "6", "7", "8"},
					Values: [][]float64{
						{0.05, 0.08, 0.12, 0.15, 0.19, 0.24, 0.28, 0.31},
						{0.07, 0.12, 0.18, 0.25, 0.31, 0.38, 0.44, 0.52},
						{0.04, 0.06, 0.09, 0.12, 0.14, 0.17, 0.21, 0.23},
					},
					Annotate: "%.2f",
				},
			},
		},
	}
	if err := plots.WritePNG(fig, filepath.Join(outDir, "grid.png")); err != nil {
		log.Fatal(err)
	}
}

// predicted is the predicted variance ratio 1 + 3/sqrt(width).
func predicted(widths []float64) []float64 {
	out := make([]float64, len(widths))
	for i, w := range widths {
		out[i] = 1 + 3/math.Sqrt(w)
	}
	return out
}
