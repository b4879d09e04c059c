package kit

import (
	"math"
	"testing"

	"github.com/reluexp/reluexp/model"
)

func TestMeanFieldKnownValues(t *testing.T) {
	// ReLU under He: chi = 1 and q constant (q_1 = 2 for unit inputs).
	mf := ComputeMeanField(model.ActivationSpec{Name: "relu"}, model.Init{Scheme: model.HeNormal}, 100, 100, 100, 5, 1)
	for l := range mf.Q {
		if math.Abs(mf.Q[l]-2) > 1e-6 || math.Abs(mf.Chi[l]-1) > 1e-6 {
			t.Errorf("relu/he layer %d: q %.6f chi %.6f, want 2 and 1", l, mf.Q[l], mf.Chi[l])
		}
	}
	// Identity under Xavier (equal widths): chi = 1 exactly.
	mf = ComputeMeanField(model.ActivationSpec{Name: "identity"}, model.Init{Scheme: model.XavierNormal}, 50, 50, 50, 3, 1)
	if math.Abs(mf.Chi[0]-1) > 1e-9 {
		t.Errorf("identity chi %.9f, want 1", mf.Chi[0])
	}
	// Two-sided under He (fan-in doubled) is critical too.
	mf = ComputeMeanField(model.ActivationSpec{Name: "twosided"}, model.Init{Scheme: model.HeNormal}, 64, 64, 64, 3, 1)
	if math.Abs(mf.Chi[0]-1) > 1e-9 || math.Abs(mf.Q[1]-mf.Q[0]) > 1e-9 {
		t.Errorf("twosided/he chi %.6f q %v, want 1 and constant", mf.Chi[0], mf.Q)
	}
	// E[z^2] for z ~ N(0, 3) by quadrature.
	if got := GaussExpect(func(z float64) float64 { return z * z }, 3); math.Abs(got-3) > 1e-9 {
		t.Errorf("E[z^2] = %.12f, want 3", got)
	}
}
