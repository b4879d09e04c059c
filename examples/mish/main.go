// Command mish is reluexp with one more activation: Mish (Misra 2019),
// f(z) = z tanh(softplus(z)). It registers Mish, then runs reluexp's
// command line, so every experiment takes --variant mish:
//
//	go run ./examples/mish list --variants
//	go run ./examples/mish run vanishing --quick --variant relu,mish --train-nets relu/he-normal,mish/he-normal --out /tmp/mish
//	go run ./examples/mish run dying --quick --variant mish --out /tmp/mish
//
// Copy this folder to add an activation of your own: change the name, the
// two functions, the gain and whether it is one-sided.
package main

import (
	"fmt"
	"math"
	"os"

	"github.com/reluexp/reluexp/cmd/reluexp/cli"
	"github.com/reluexp/reluexp/model"
)

func main() {
	if err := registerMish(); err != nil {
		fmt.Fprintf(os.Stderr, "mish: %v\n", err)
		os.Exit(2)
	}
	os.Exit(cli.Main(os.Args[1:]))
}

// registerMish adds Mish to the model's activations. Register checks the
// derivative against finite differences of the value and refuses it if
// they disagree.
func registerMish() error {
	return model.Register(model.Custom{
		Name:  "mish",
		Value: func(z float64) float64 { return z * math.Tanh(softplus(z)) },
		// With t = tanh(softplus(z)): f'(z) = t + z (1 - t^2) sigmoid(z),
		// since softplus' = sigmoid and tanh' = 1 - tanh^2.
		Deriv: func(z float64) float64 {
			t := math.Tanh(softplus(z))
			return t + z*(1-t*t)*sigmoid(z)
		},
		// He initialisation, the usual start for the smooth ReLUs (Mish,
		// Swish, GELU).
		Gain:    2,
		Summary: "z tanh(softplus(z)) (Misra 2019)",
	})
}

// softplus is log(1 + e^z) without overflow for large z.
func softplus(z float64) float64 { return math.Max(z, 0) + math.Log1p(math.Exp(-math.Abs(z))) }

// sigmoid is 1/(1 + e^-z) without overflow for very negative z.
func sigmoid(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	e := math.Exp(z)
	return e / (1 + e)
}
