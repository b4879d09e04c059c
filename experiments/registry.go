// Package experiments is the registry: every experiment, in the order
// `reluexp list` shows them (All, Lookup), and the claim catalogue the
// report reads (Claims). The experiments themselves live one per package
// below it (vanishing, exploding, ...); the machinery that runs them is in
// harness, and what several of them share in kit. To add an experiment,
// write its package and add one line to All.
package experiments

import (
	"fmt"
	"sort"
	"strings"

	"github.com/reluexp/reluexp/experiments/cnnspeed"
	"github.com/reluexp/reluexp/experiments/dying"
	"github.com/reluexp/reluexp/experiments/exploding"
	"github.com/reluexp/reluexp/experiments/harness"
	"github.com/reluexp/reluexp/experiments/overfitting"
	"github.com/reluexp/reluexp/experiments/sparsity"
	"github.com/reluexp/reluexp/experiments/speed"
	"github.com/reluexp/reluexp/experiments/twosided"
	"github.com/reluexp/reluexp/experiments/vanishing"
	"github.com/reluexp/reluexp/experiments/zerocentered"
)

// All returns every experiment, in the order `reluexp list` shows them.
func All() []harness.Experiment {
	return []harness.Experiment{
		vanishing.New(),
		exploding.New(),
		zerocentered.New(),
		dying.New(),
		sparsity.New(),
		twosided.New(),
		overfitting.New(),
		speed.New(),
		cnnspeed.New(),
	}
}

// Lookup returns the experiment called name, or an error listing the valid
// names.
func Lookup(name string) (harness.Experiment, error) {
	var names []string
	for _, e := range All() {
		if e.Name() == name {
			return e, nil
		}
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return nil, fmt.Errorf("unknown experiment %q (valid: %s)", name, strings.Join(names, ", "))
}
