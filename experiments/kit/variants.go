package kit

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/reluexp/reluexp/model"
)

// VariantSpec turns a name given to --variant into an activation. Besides the
// model's variants it accepts relu-d<v>: ReLU with f'(0) = v, for claim C1
// (plain relu keeps the model's default, f'(0) = 0). The spelling lives here
// and not in the model: f'(0) is a question only claim C1 asks.
func VariantSpec(name string) (model.ActivationSpec, error) {
	if rest, ok := strings.CutPrefix(name, "relu-d"); ok {
		v, err := strconv.ParseFloat(rest, 64)
		if err != nil || !(v >= 0 && v <= 1) {
			return model.ActivationSpec{}, fmt.Errorf("variant %q: relu-d<v> needs f'(0) = v in [0, 1], e.g. relu-d1", name)
		}
		return model.ActivationSpec{Name: "relu", ReLUDerivAtZero: v}, nil
	}
	if err := model.ValidateVariant(name); err != nil {
		return model.ActivationSpec{}, fmt.Errorf("%w; or relu-d1 for relu with f'(0)=1", err)
	}
	return model.ActivationSpec{Name: name}, nil
}

// InitFor is the initialiser a variant is meant to start from, gain
// included: model.ActivationSpec.RecommendedInit (relu's for relu-d<v>).
// For the built-ins it names the scheme NaturalInit names; only InitFor
// carries a registered activation's own gain (NaturalInit, a scheme
// without a gain, gives such an activation he-normal).
func InitFor(variant string) (model.Init, error) {
	spec, err := VariantSpec(variant)
	if err != nil {
		return model.Init{}, err
	}
	return spec.RecommendedInit(), nil
}

// InitOf is InitFor for a variant already validated: its recommended
// initialiser, gain included (a registered activation's own gain), falling
// back to NaturalInit's scheme for a name VariantSpec does not know.
func InitOf(variant string) model.Init {
	if in, err := InitFor(variant); err == nil {
		return in
	}
	return model.Init{Scheme: NaturalInit(variant)}
}
