package kit

import (
	"math"
	"strings"
	"testing"

	"github.com/reluexp/reluexp/model"
)

// A registered activation for this test binary, with a gain of neither He
// nor LeCun.
func init() {
	err := model.Register(model.Custom{Name: "kit-softsign",
		Value: func(z float64) float64 { return z / (1 + math.Abs(z)) },
		Deriv: func(z float64) float64 { d := 1 + math.Abs(z); return 1 / (d * d) },
		Gain:  1.5})
	if err != nil {
		panic(err)
	}
}

func TestVariantSpec(t *testing.T) {
	cases := []struct {
		name    string
		want    model.ActivationSpec
		wantErr []string
	}{
		{name: "relu", want: model.ActivationSpec{Name: "relu"}},
		{name: "relu-d1", want: model.ActivationSpec{Name: "relu", ReLUDerivAtZero: 1}},
		{name: "relu-d0.5", want: model.ActivationSpec{Name: "relu", ReLUDerivAtZero: 0.5}},
		{name: "kit-softsign", want: model.ActivationSpec{Name: "kit-softsign"}},
		{name: "relu-d2", wantErr: []string{"relu-d<v> needs f'(0) = v in [0, 1]"}},
		{name: "kit-sofsign", wantErr: []string{`unknown variant "kit-sofsign"`, "twosided, kit-softsign", "or relu-d1"}},
	}
	for _, tc := range cases {
		got, err := VariantSpec(tc.name)
		if tc.wantErr == nil {
			if err != nil || got != tc.want {
				t.Errorf("VariantSpec(%q) = %+v, %v; want %+v", tc.name, got, err, tc.want)
			}
			continue
		}
		for _, w := range tc.wantErr {
			if err == nil || !strings.Contains(err.Error(), w) {
				t.Errorf("VariantSpec(%q): error %v, want it to contain %q", tc.name, err, w)
			}
		}
	}
}

// InitFor and NaturalInit keep one table between them: the same scheme
// for every built-in; a registered activation gets its gain.
func TestInitForAgreesWithNaturalInit(t *testing.T) {
	for _, v := range model.BuiltinVariants() {
		in, err := InitFor(v)
		if err != nil || in != (model.Init{Scheme: NaturalInit(v)}) {
			t.Errorf("%s: InitFor = %v, %v; NaturalInit = %v", v, in, err, NaturalInit(v))
		}
	}
	if in, err := InitFor("relu-d1"); err != nil || in.Scheme != model.HeNormal {
		t.Errorf("relu-d1: %v, %v", in, err)
	}
	if in, err := InitFor("kit-softsign"); err != nil || in != (model.Init{Scheme: model.Gain, Gain: 1.5}) {
		t.Errorf("kit-softsign: %v, %v; want gain=1.5", in, err)
	}
	if _, err := InitFor("nope"); err == nil {
		t.Error("InitFor of an unknown variant: no error")
	}
}
