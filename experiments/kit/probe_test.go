package kit

import (
	"math"
	"testing"

	"github.com/reluexp/reluexp/data"
	"github.com/reluexp/reluexp/experiments/harness"
	"github.com/reluexp/reluexp/model"
)

func TestMeasureActivity(t *testing.T) {
	rng := harness.NewRand(3)
	set := data.GaussianRandomLabels(200, 8, 3, rng)
	for _, tc := range []struct {
		variant  string
		bias     float64
		wantDead bool // every unit dead
		wantNone bool // no unit dead
	}{
		{"relu", -100, true, false},  // a huge negative bias kills every unit
		{"leaky", -100, false, true}, // leaky units never output exactly zero
		{"twosided", -100, false, true},
		{"relu", 0, false, false},
	} {
		net, err := model.NewMLP(model.MLPSpec{Inputs: 8, Hidden: []int{16, 16}, Outputs: 3,
			Activation: model.ActivationSpec{Name: tc.variant}, Init: model.Init{Scheme: model.HeNormal}, BiasInit: tc.bias}, rng)
		if err != nil {
			t.Fatal(err)
		}
		act := MeasureActivity(net, set, 64)
		first := act[0]
		if tc.wantDead && first.Dead != 1 {
			t.Errorf("%s bias %g: dead %g, want 1", tc.variant, tc.bias, first.Dead)
		}
		if tc.wantNone && first.Dead != 0 {
			t.Errorf("%s bias %g: dead %g, want 0", tc.variant, tc.bias, first.Dead)
		}
		if tc.bias < 0 && first.NonPositive != 1 {
			t.Errorf("%s bias %g: non-positive %g, want 1 (every unit would be dead under ReLU)", tc.variant, tc.bias, first.NonPositive)
		}
		if tc.variant == "relu" && first.Dead != first.NonPositive {
			t.Errorf("relu: dead %g != non-positive %g", first.Dead, first.NonPositive)
		}
		if tc.variant == "relu" && tc.bias == 0 && math.Abs(first.Zero-0.5) > 0.1 {
			t.Errorf("relu at init: %g exact zeros, want about half", first.Zero)
		}
	}
}
