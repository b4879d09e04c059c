package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// flagError turns cobra's flag errors into usage errors; an unknown flag's
// error also names the nearest flag the command has, why an experiment lacks
// a flag others have (and what plays its role there), and every flag the
// command takes.
func flagError(cmd *cobra.Command, err error) error {
	name, ok := strings.CutPrefix(err.Error(), "unknown flag: --")
	if !ok {
		return usageError{err}
	}
	var settings, common []string
	inherited := cmd.InheritedFlags()
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		// Global flags (--cpuprofile) belong to every command and are not
		// what a mistyped flag of this one is likely to mean.
		if f.Hidden || f.Name == "help" || inherited.Lookup(f.Name) != nil {
			return
		}
		if _, isSetting := f.Value.(*settingFlag); isSetting {
			settings = append(settings, f.Name)
		} else {
			common = append(common, f.Name)
		}
	})
	var b strings.Builder
	fmt.Fprintf(&b, "unknown flag: --%s", name)
	exp := ""
	if cmd.Parent() != nil && cmd.Parent().Name() == "run" && len(settings) > 0 {
		exp = cmd.Name()
	}
	if hint := absentHint(exp, name); hint != "" {
		fmt.Fprintf(&b, ": %s has no --%s; %s", exp, name, hint)
	} else if s := nearest(name, append(append([]string{}, settings...), common...)); s != "" {
		fmt.Fprintf(&b, "; did you mean --%s?", s)
	}
	switch {
	case exp != "":
		fmt.Fprintf(&b, "\n%s's settings: %s", exp, dashed(settings))
		fmt.Fprintf(&b, "\nflags every experiment takes: %s", dashed(common))
	case len(common) > 0:
		fmt.Fprintf(&b, "\n%s takes: %s", cmd.CommandPath(), dashed(common))
	case cmd.HasSubCommands():
		fmt.Fprintf(&b, "\n%s takes no flags of its own: they go after what it runs (%s NAME --%s)", cmd.CommandPath(), cmd.CommandPath(), name)
	}
	return usageError{fmt.Errorf("%s", b.String())}
}

func dashed(names []string) string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = "--" + n
	}
	return strings.Join(out, ", ")
}
