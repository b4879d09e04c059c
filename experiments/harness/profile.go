package harness

import (
	"fmt"
	"strings"
)

// A profile is a named set of defaults for an experiment: another starting
// point for its configuration, as --quick is, that flags and --set then
// change like any defaults. The unnamed profile is the experiment's own
// Defaults (the configuration `make report` runs). A profile has a quick
// form too, so that tests run its code paths in seconds.

// Profile is a named set of defaults of an experiment with configuration C.
type Profile[C any] struct {
	// Name is what users type: --profile NAME.
	Name string
	// Summary says in one line what the profile is and what it costs.
	Summary string
	// Defaults returns the profile's configuration, or its quick form.
	Defaults func(quick bool) *C
}

// DefaultProfile is the name of the experiment's own defaults, accepted by
// --profile too.
const DefaultProfile = "default"

// ProfileInfo describes one profile for help texts.
type ProfileInfo struct {
	Name, Summary string
}

// ProfileNames lists the profiles exp accepts, DefaultProfile first.
func ProfileNames(exp Experiment) []string {
	names := []string{DefaultProfile}
	for _, p := range exp.Profiles() {
		names = append(names, p.Name)
	}
	return names
}

// Defaults is exp's configuration under the named profile ("" or
// DefaultProfile: the experiment's own defaults), or its quick form. An
// unknown name is an error listing the valid ones.
func Defaults(exp Experiment, quick bool, profile string) (any, error) {
	if profile == "" || profile == DefaultProfile {
		return exp.NewConfig(quick), nil
	}
	cfg, ok := exp.profileConfig(profile, quick)
	if !ok {
		return nil, fmt.Errorf("unknown profile %q for %s (valid: %s)", profile, exp.Name(), strings.Join(ProfileNames(exp), ", "))
	}
	return cfg, nil
}

// profileName is how a profile is recorded: "" for the default.
func profileName(profile string) string {
	if profile == DefaultProfile {
		return ""
	}
	return profile
}

// LongProfile is the profile every training experiment offers for the
// report's robustness table: its own defaults with twice the training
// budget (epochs or updates), everything else unchanged.
const LongProfile = "long"

// Longer is an experiment's LongProfile: defaults with double applied to
// the full and the quick configuration alike. what names the budget that
// doubles, for the help text.
func Longer[C any](defaults func(quick bool) *C, what string, double func(*C)) Profile[C] {
	return Profile[C]{
		Name:    LongProfile,
		Summary: "the report's configuration with twice the " + what + ", for the robustness table (docs/robustness.md)",
		Defaults: func(quick bool) *C {
			c := defaults(quick)
			double(c)
			return c
		},
	}
}
