package cli

import (
	"strings"
	"testing"

	"github.com/reluexp/reluexp/model"
)

// cubeish is registered for this test binary only: a smooth, two-sided
// activation with a gain of its own.
func init() {
	err := model.Register(model.Custom{Name: "cubeish",
		Value:   func(z float64) float64 { return z + z*z*z/(3+z*z) },
		Deriv:   func(z float64) float64 { d := 3 + z*z; return 1 + (z*z*z*z+9*z*z)/(d*d) },
		Gain:    0.8,
		Summary: "z + z^3/(3+z^2), a test activation"})
	if err != nil {
		panic(err)
	}
}

func TestListVariantsShowsBuiltinsAndRegistered(t *testing.T) {
	code, stdout, stderr := runCLI(t, "list", "--variants")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	rows := map[string][]string{}
	for _, line := range strings.Split(stdout, "\n") {
		var cells []string
		for _, c := range strings.Split(line, "│") {
			cells = append(cells, strings.TrimSpace(c))
		}
		if len(cells) == 7 {
			rows[cells[1]] = cells[2:6]
		}
	}
	for _, v := range model.BuiltinVariants() {
		if r := rows[v]; r == nil || r[0] != "built-in" {
			t.Errorf("built-in %s: row %v", v, r)
		}
	}
	if r := rows["relu"]; r[1] != "yes" || r[2] != "he-normal" {
		t.Errorf("relu: row %v, want one-sided, he-normal", r)
	}
	if r := rows["cubeish"]; strings.Join(r, "|") != "registered|no|gain=0.8|z + z^3/(3+z^2), a test activation" {
		t.Errorf("cubeish: row %v", r)
	}
}

// A registered activation is a variant like the others: the experiments
// accept it, and an unknown name's error lists it among the valid ones.
func TestRegisteredVariantIsAcceptedByExperiments(t *testing.T) {
	for _, args := range [][]string{
		{"run", "vanishing", "--quick", "--variant", "relu,cubeish", "--train-nets", "cubeish/he-normal", "--list"},
		{"run", "dying", "--quick", "--variant", "cubeish", "--list"},
		{"run", "sparsity", "--quick", "--variant", "relu,cubeish", "--list"},
	} {
		code, stdout, stderr := runCLI(t, args...)
		cells := 0
		for _, line := range strings.Split(stdout, "\n") {
			if !strings.HasPrefix(line, "#") && strings.Contains(line, `"variant":"cubeish"`) {
				cells++
			}
		}
		if code != 0 || cells == 0 {
			t.Errorf("%v: exit %d, %d cubeish cells, stderr %q", args, code, cells, stderr)
		}
	}
	code, _, stderr := runCLI(t, "run", "vanishing", "--quick", "--variant", "cubish", "--list")
	if code != exitUsage || !strings.Contains(stderr, `unknown variant "cubish"`) || !strings.Contains(stderr, "twosided, cubeish") {
		t.Errorf("unknown variant: exit %d, stderr %q", code, stderr)
	}
}
