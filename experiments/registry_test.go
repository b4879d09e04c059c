package experiments

import (
	"go/build"
	"path"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/reluexp/reluexp/experiments/harness"
)

const module = "github.com/reluexp/reluexp"

// deps lists the module's packages that pkg imports, directly or not,
// leaving out test files.
func deps(t *testing.T, pkg string) []string {
	t.Helper()
	seen := map[string]bool{}
	var walk func(string)
	walk = func(p string) {
		// ImportDir reads the folder's files; Import would ask the go
		// command, once per package, which is slow.
		bp, err := build.ImportDir(filepath.Join("..", strings.TrimPrefix(p, module)), 0)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		for _, imp := range bp.Imports {
			if strings.HasPrefix(imp, module+"/") && !seen[imp] {
				seen[imp] = true
				walk(imp)
			}
		}
	}
	walk(pkg)
	var out []string
	for p := range seen {
		out = append(out, strings.TrimPrefix(p, module+"/"))
	}
	slices.Sort(out)
	return out
}

// The layering of ARCHITECTURE.md: no experiment imports another, the
// runner and the shared kit import no experiment, the data an experiment
// returns imports none of the computing packages, and nothing below the
// command line imports what renders (report, plots) except test support.
func TestImportLayering(t *testing.T) {
	var names []string
	for _, e := range All() {
		names = append(names, e.Name())
	}
	isExperiment := func(p string) bool {
		return strings.HasPrefix(p, "experiments/") && slices.Contains(names, path.Base(p))
	}
	forbidden := func(pkg string, bad func(string) bool, why string) {
		for _, d := range deps(t, module+"/"+pkg) {
			if bad(d) {
				t.Errorf("%s imports %s: %s", pkg, d, why)
			}
		}
	}
	renders := func(d string) bool { return d == "report" || d == "plots" || strings.HasPrefix(d, "cmd/") }
	for _, n := range names {
		pkg := "experiments/" + n
		forbidden(pkg, isExperiment, "no experiment imports another; share through experiments/kit")
		forbidden(pkg, renders, "experiments return data; report and plots render it")
		forbidden(pkg, func(d string) bool { return d == "experiments/internal/exptest" }, "exptest is for tests only")
	}
	for _, pkg := range []string{"experiments/harness", "experiments/kit"} {
		forbidden(pkg, func(d string) bool { return isExperiment(d) || d == "experiments" }, "it sits below the experiments")
		forbidden(pkg, renders, "it computes; report and plots render")
	}
	forbidden("experiments/harness", func(d string) bool { return d == "experiments/kit" }, "the runner knows nothing of training")
	forbidden("experiments/result", func(d string) bool { return d == "model" || d == "metrics" || d == "data" },
		"result is plain data, free of the computing packages")
	for _, pkg := range []string{"model", "metrics", "data"} {
		forbidden(pkg, func(d string) bool { return strings.HasPrefix(d, "experiments") }, "it sits below the experiments")
	}
}

func TestLookup(t *testing.T) {
	for _, e := range All() {
		got, err := Lookup(e.Name())
		if err != nil || got.Name() != e.Name() {
			t.Errorf("Lookup(%q) = %v, %v", e.Name(), got, err)
		}
	}
	if _, err := Lookup("vanishng"); err == nil || !strings.Contains(err.Error(), "vanishing") {
		t.Errorf("Lookup of an unknown name: %v, want an error listing the valid names", err)
	}
}

// Every experiment that gives a claim its main verdict by training offers
// the long profile the robustness table reads (docs/robustness.md), and
// that profile is a valid configuration, quick and full, that differs from
// the defaults.
func TestLongProfiles(t *testing.T) {
	robust := []string{"twosided", "sparsity", "zerocentered", "dying", "exploding", "vanishing", "overfitting"}
	for _, e := range All() {
		if !slices.Contains(harness.ProfileNames(e), harness.LongProfile) {
			if slices.Contains(robust, e.Name()) {
				t.Errorf("%s has no %q profile; the robustness runs (make robustness) need it", e.Name(), harness.LongProfile)
			}
			continue
		}
		for _, quick := range []bool{true, false} {
			cfg, err := harness.Defaults(e, quick, harness.LongProfile)
			if err != nil {
				t.Fatalf("%s: %v", e.Name(), err)
			}
			if err := harness.Validate(e, cfg); err != nil {
				t.Errorf("%s --profile long (quick %v): %v", e.Name(), quick, err)
			}
			if reflect.DeepEqual(cfg, e.NewConfig(quick)) {
				t.Errorf("%s --profile long (quick %v) is the default configuration", e.Name(), quick)
			}
		}
	}
}
