package kit

import (
	"math"

	"github.com/reluexp/reluexp/data"
	"github.com/reluexp/reluexp/metrics"
	"github.com/reluexp/reluexp/model"
)

// LayerActivity describes one hidden layer of a network over a whole data
// set, in evaluation mode (no dropout, batch norm on running statistics).
type LayerActivity struct {
	// Dead is the fraction of units whose output is exactly zero on every
	// example: dead units (C8).
	Dead float64 `json:"dead"`
	// NonPositive is the fraction of units whose pre-activation is <= 0 on
	// every example: the units that would be dead under ReLU, whatever the
	// activation actually is. For ReLU it equals Dead.
	NonPositive float64 `json:"non_positive"`
	// Zero is the fraction of activation entries that are exactly zero
	// (sparsity, C5); NearZero those with |h| < NearZeroEps.
	Zero     float64 `json:"zero"`
	NearZero float64 `json:"near_zero"`
}

// NearZeroEps is the threshold below which an activation counts as nearly
// zero, for activations that never output an exact zero.
const NearZeroEps = 1e-3

// MeasureActivity runs set through net in evaluation mode, batch rows at a
// time, and describes every hidden layer.
func MeasureActivity(net *model.Network, set *data.Set, batch int) []LayerActivity {
	layers := net.NumHidden()
	dead := make([]*metrics.DeadUnitTracker, layers)
	nonPos := make([]*metrics.DeadUnitTracker, layers)
	zeros := make([]int, layers)
	near := make([]int, layers)
	entries := make([]int, layers)
	positive := model.NewMatrix(0, 0)
	for l := range layers {
		units := net.Hidden(l).Units
		dead[l], nonPos[l] = metrics.NewDeadUnitTracker(units), metrics.NewDeadUnitTracker(units)
	}
	x := AsMatrix(set)
	view := &model.Matrix{Cols: x.Cols}
	for start := 0; start < x.Rows; start += batch {
		end := min(start+batch, x.Rows)
		view.Rows, view.Data = end-start, x.Data[start*x.Cols:end*x.Cols]
		net.Forward(view, false)
		for l := range layers {
			h := net.Hidden(l)
			dead[l].Observe(h.Activation)
			// A unit is "alive under ReLU" if its pre-activation is ever
			// positive: track relu(z) the same way as the activations.
			positive.Rows, positive.Cols = h.PreActivation.Rows, h.PreActivation.Cols
			if cap(positive.Data) < len(h.PreActivation.Data) {
				positive.Data = make([]float64, len(h.PreActivation.Data))
			}
			positive.Data = positive.Data[:len(h.PreActivation.Data)]
			for i, z := range h.PreActivation.Data {
				positive.Data[i] = math.Max(z, 0)
			}
			nonPos[l].Observe(positive)
			for _, v := range h.Activation.Data {
				if v == 0 {
					zeros[l]++
				}
				if math.Abs(v) < NearZeroEps {
					near[l]++
				}
			}
			entries[l] += len(h.Activation.Data)
		}
	}
	out := make([]LayerActivity, layers)
	for l := range out {
		out[l] = LayerActivity{
			Dead:        dead[l].Fraction(),
			NonPositive: nonPos[l].Fraction(),
			Zero:        float64(zeros[l]) / float64(entries[l]),
			NearZero:    float64(near[l]) / float64(entries[l]),
		}
	}
	return out
}
