package metrics

import (
	"math"

	"github.com/reluexp/reluexp/model"
)

// Claim C6 is about the signs of one unit's incoming weight gradient. For a
// dense layer the gradient is x^T dL/dz: one column per unit, one row per
// input. From a single example, column j is x * dL/dz_j, so when every
// input x_k is >= 0 all its non-zero entries carry the sign of dL/dz_j: the
// unit's weights can only all grow or all shrink on that step. Averaging
// over a batch mixes examples whose dL/dz_j differ in sign, which is what
// SameSignColumns lets the experiments measure.

// SameSignColumns counts, in a weight gradient g stored fan_in x units (one
// column per unit, as model.Param stores a dense layer's W), the columns
// whose non-zero entries all share one sign (same) among the columns with
// at least one non-zero entry (moving). Zero entries (an input that was 0,
// so its weight does not move) are ignored; a column of zeros is a unit
// that does not move at all and is counted in neither.
func SameSignColumns(g *model.Matrix) (same, moving int) {
	for j := 0; j < g.Cols; j++ {
		pos, neg := false, false
		for i := 0; i < g.Rows; i++ {
			v := g.Data[i*g.Cols+j]
			switch {
			case v > 0:
				pos = true
			case v < 0:
				neg = true
			}
		}
		if pos || neg {
			moving++
			if pos != neg {
				same++
			}
		}
	}
	return same, moving
}

// SameSignFraction is same/moving from SameSignColumns, NaN if no unit moves.
func SameSignFraction(g *model.Matrix) float64 {
	same, moving := SameSignColumns(g)
	if moving == 0 {
		return math.NaN()
	}
	return float64(same) / float64(moving)
}
