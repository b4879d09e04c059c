package plots_test

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "regenerate the golden images in testdata")

// goldenDelta is the per-pixel tolerance of the golden image comparison, on
// gonum's cmpimg scale (0: identical, 1: anything goes). Rendering is
// deterministic, but floating point may round differently on another
// architecture (fused multiply-add), moving an edge's anti-aliasing a little.
const goldenDelta = 0.05

// TestExamples renders each example and compares it with its golden image
// in testdata, as gonum/plot's tests do with cmpimg.CheckPlot. With -update
// it writes the golden images instead.
func TestExamples(t *testing.T) {
	for _, tc := range []struct {
		name string
		fn   func()
	}{
		{"line", Example_line},
		{"bars", Example_bars},
		{"heatmap", Example_heatmap},
		{"grid", Example_grid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := tc.name + ".png"
			golden := filepath.Join("testdata", file)
			if *update {
				outDir = "testdata"
				tc.fn()
				return
			}
			outDir = t.TempDir()
			defer func() { outDir = "testdata" }()
			tc.fn()
			got, err := os.ReadFile(filepath.Join(outDir, file))
			if err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(golden)
			if os.IsNotExist(err) {
				t.Fatalf("golden image %s is missing: run `go test ./plots -update` and look at it", golden)
			}
			if err != nil {
				t.Fatal(err)
			}
			ok, err := equalApprox(got, want, goldenDelta)
			if err != nil {
				t.Fatal(err)
			}
			if !ok {
				kept := filepath.Join(os.TempDir(), "plots-"+file)
				if err := os.WriteFile(kept, got, 0o644); err != nil {
					t.Log(err)
				}
				t.Errorf("%s differs from %s (kept the new image as %s); if the change is intended, run `go test ./plots -update`", tc.name, golden, kept)
			}
		})
	}
}

// equalApprox reports whether two PNG images have the same size and every
// pair of pixels is within delta of each other, measured as in
// gonum.org/v1/plot/cmpimg.EqualApprox (which this package cannot import:
// cmpimg also pulls in rsc.io/pdf, which go.sum does not list).
func equalApprox(raw1, raw2 []byte, delta float64) (bool, error) {
	im1, err := png.Decode(bytes.NewReader(raw1))
	if err != nil {
		return false, fmt.Errorf("decode rendered image: %w", err)
	}
	im2, err := png.Decode(bytes.NewReader(raw2))
	if err != nil {
		return false, fmt.Errorf("decode golden image: %w", err)
	}
	a, b := toRGBA(im1), toRGBA(im2)
	if a.Bounds() != b.Bounds() {
		return false, nil
	}
	const maxDiff = 35215.0 // between the two most different pixels
	limit := maxDiff * delta * delta
	for i := 0; i+3 < len(a.Pix); i += 4 {
		if yiqDiff(a.Pix[i:i+3], b.Pix[i:i+3]) > limit {
			return false, nil
		}
	}
	return true, nil
}

func toRGBA(im image.Image) *image.RGBA {
	if r, ok := im.(*image.RGBA); ok {
		return r
	}
	r := image.NewRGBA(im.Bounds())
	draw.Draw(r, r.Bounds(), im, im.Bounds().Min, draw.Src)
	return r
}

// yiqDiff is the perceptual colour difference of Kotsarenko and Ramos in
// the NTSC YIQ space, as cmpimg computes it.
func yiqDiff(p, q []uint8) float64 {
	yiq := func(c []uint8) (y, i, qq float64) {
		r, g, b := float64(c[0]), float64(c[1]), float64(c[2])
		return r*0.29889531 + g*0.58662247 + b*0.11448223,
			r*0.59597799 - g*0.27417610 - b*0.32180189,
			r*0.21147017 - g*0.52261711 + b*0.31114694
	}
	y1, i1, q1 := yiq(p)
	y2, i2, q2 := yiq(q)
	dy, di, dq := y1-y2, i1-i2, q1-q2
	return 0.5053*dy*dy + 0.299*di*di + 0.1957*dq*dq
}
