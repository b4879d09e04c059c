package metrics

import "math"

// Histogram counts values into equal-width bins over [Lo, Hi). Exact zeros
// are counted apart (Zeros) and not binned: a ReLU layer puts most of its
// mass on exactly 0 (claim C5), and a bin around 0 would mix that spike with
// the small non-zero values of the other activations. Values below Lo or at
// or above Hi go to Under and Over; NaN and infinities to NonFinite.
type Histogram struct {
	Lo        float64 `json:"lo"`
	Hi        float64 `json:"hi"`
	Counts    []int   `json:"counts"`
	Zeros     int     `json:"zeros"`
	Under     int     `json:"under"`
	Over      int     `json:"over"`
	NonFinite int     `json:"non_finite"`
}

// NewHistogram returns an empty histogram of bins bins over [lo, hi).
func NewHistogram(lo, hi float64, bins int) *Histogram {
	if !(hi > lo) || bins <= 0 {
		panic("metrics: NewHistogram needs lo < hi and bins > 0")
	}
	return &Histogram{Lo: lo, Hi: hi, Counts: make([]int, bins)}
}

// Add counts every value of xs.
func (h *Histogram) Add(xs []float64) {
	width := (h.Hi - h.Lo) / float64(len(h.Counts))
	for _, v := range xs {
		switch {
		case v == 0:
			h.Zeros++
		case math.IsNaN(v) || math.IsInf(v, 0):
			h.NonFinite++
		case v < h.Lo:
			h.Under++
		case v >= h.Hi:
			h.Over++
		default:
			// Rounding can put a value just below Hi into bin len(Counts).
			b := min(int((v-h.Lo)/width), len(h.Counts)-1)
			h.Counts[b]++
		}
	}
}

// Total is the number of values counted.
func (h *Histogram) Total() int {
	n := h.Zeros + h.Under + h.Over + h.NonFinite
	for _, c := range h.Counts {
		n += c
	}
	return n
}

// Centre is the midpoint of bin b.
func (h *Histogram) Centre(b int) float64 {
	width := (h.Hi - h.Lo) / float64(len(h.Counts))
	return h.Lo + (float64(b)+0.5)*width
}

// Merge adds o's counts to h; both must have the same bins.
func (h *Histogram) Merge(o *Histogram) {
	if o.Lo != h.Lo || o.Hi != h.Hi || len(o.Counts) != len(h.Counts) {
		panic("metrics: Histogram.Merge of histograms with different bins")
	}
	for i, c := range o.Counts {
		h.Counts[i] += c
	}
	h.Zeros += o.Zeros
	h.Under += o.Under
	h.Over += o.Over
	h.NonFinite += o.NonFinite
}
