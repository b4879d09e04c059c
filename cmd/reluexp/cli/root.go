package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/reluexp/reluexp/experiments"
	"github.com/reluexp/reluexp/experiments/harness"
	"github.com/reluexp/reluexp/report"
)

// Exit statuses: 2 for bad input (nothing was run or written), 1 for a run
// that failed or was interrupted.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

// usageError marks an error caused by what the user typed.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

// execute runs the command line args and returns the exit status. Bad
// input is reported with the nearest valid name when a name was mistyped,
// and points to the help of the command that was given.
func execute(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	root := newRootCmd(stdout, stderr)
	root.SetArgs(args)
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return exitOK
	}
	var ue usageError
	if errors.As(err, &ue) || isCobraUsageError(err) {
		fmt.Fprintf(stderr, "reluexp: %s\n", addSuggestions(err.Error()))
		fmt.Fprintf(stderr, "see: %s --help\n", helpPath(cmd))
		return exitUsage
	}
	fmt.Fprintf(stderr, "reluexp: %v\n", err)
	return exitFailure
}

// helpPath is the command whose help a usage error points to: the one that
// was run ("reluexp run dying"), or the root when none was found.
func helpPath(cmd *cobra.Command) string {
	if cmd == nil {
		return "reluexp"
	}
	return cmd.CommandPath()
}

// isCobraUsageError recognises the errors cobra itself returns for an
// unknown command or a malformed flag, which it does not type.
func isCobraUsageError(err error) bool {
	msg := err.Error()
	for _, p := range []string{"unknown command", "unknown flag", "unknown shorthand flag", "flag needs an argument", "invalid argument"} {
		if strings.Contains(msg, p) {
			return true
		}
	}
	return false
}

func newRootCmd(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "reluexp",
		Short: "Test what people believe about the ReLU activation, with experiments",
		Long: `reluexp takes each claim of a well-known blog post on ReLU (the claims C1..C12
of CLAIMS.md) and tests it with experiments on MLPs: gradients by depth, dying
units, sparsity, overfitting, speed, the variants and the remedies. Every
experiment writes PNG figures, Markdown tables, CSV data and a summary.json with
computed verdicts to results/NAME/.`,
		Example: `  reluexp list
  reluexp run vanishing
  reluexp run vanishing --quick --seeds 3
  reluexp run vanishing --variant relu,tanh --depths 10,50 --out /tmp/results`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usagef("unknown command %q (valid: list, run, merge, report, version, help)", args[0])
			}
			return cmd.Help()
		},
	}
	var cpuProfile string
	var stopProfile func()
	root.PersistentFlags().StringVar(&cpuProfile, "cpuprofile", "", "write a CPU profile of the command to `FILE` (read it with go tool pprof)")
	root.PersistentPreRunE = func(cmd *cobra.Command, args []string) error {
		if cpuProfile == "" {
			return nil
		}
		stop, err := startCPUProfile(cpuProfile)
		if err != nil {
			return usagef("--cpuprofile: %v", err)
		}
		stopProfile = stop
		return nil
	}
	root.PersistentPostRun = func(cmd *cobra.Command, args []string) {
		if stopProfile != nil {
			stopProfile()
		}
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(flagError)
	root.AddCommand(newListCmd(stdout), newRunCmd(stdout, stderr), newMergeCmd(stdout), newReportCmd(stdout, stderr), newVersionCmd(stdout))
	return root
}

func experimentNames() string {
	var names []string
	for _, e := range experiments.All() {
		names = append(names, e.Name())
	}
	return strings.Join(names, ", ")
}

// output is where every command writes results: the report package renders
// them, the harness only computes.
var output = harness.Output{Experiment: report.WriteExperiment, Timing: report.WriteTiming}
