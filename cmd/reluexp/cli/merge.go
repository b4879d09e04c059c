package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/reluexp/reluexp/experiments"
	"github.com/reluexp/reluexp/experiments/harness"
	"github.com/reluexp/reluexp/report"
)

type mergeOptions struct {
	Inputs []string
	Out    string
	Stdout io.Writer
}

func newMergeCmd(stdout io.Writer) *cobra.Command {
	opts := &mergeOptions{Stdout: stdout}
	cmd := &cobra.Command{
		Use:   "merge [--out DIR] SHARD_FOLDER...",
		Short: "Gather the cell records of shards run elsewhere and render the results",
		Long: `Merge the outputs of sharded runs (reluexp run NAME --shard i/n, or under a
Kubernetes Indexed Job, a Slurm job array or a CI matrix). Each input folder is
searched for sweeps (NAME/cells/manifest.json). For each sweep, merge checks that
the shards ran the same configuration, seed and version and that every cell has
a record in exactly one shard; then it copies the records to OUT and renders the
tables, figures and summary exactly as a single-machine run would. If any sweep
is incomplete (cells missing: their count and the first few IDs are shown) or
overlaps, nothing is written and the exit status is 2.`,
		Example: `  reluexp merge --out results shard-1 shard-2 shard-3
  reluexp merge --out results artifacts/*`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usagef("merge needs at least one shard folder")
			}
			return nil
		},
		RunE: func(_ *cobra.Command, args []string) error {
			opts.Inputs = args
			return runMerge(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Out, "out", "results", "folder for the merged results (each sweep goes to OUT/NAME)")
	return cmd
}

func runMerge(opts *mergeOptions) error {
	if err := checkWritableDir(opts.Out); err != nil {
		return usageError{err}
	}
	runs, err := harness.FindRuns(opts.Inputs)
	if err != nil {
		return usageError{err}
	}
	// Check every sweep before writing any, so that an incomplete input
	// leaves nothing half-merged.
	plans := make([]*harness.MergePlan, len(runs))
	var problems []string
	for i, run := range runs {
		if plans[i], err = harness.PrepareMerge(run, experiments.Lookup); err != nil {
			problems = append(problems, err.Error())
		}
	}
	if len(problems) > 0 {
		return usagef("%s\nnothing was written", strings.Join(problems, "\n"))
	}
	for i, run := range runs {
		res, err := plans[i].Write(opts.Out, output)
		if err != nil {
			return err
		}
		if err := report.PrintResult(opts.Stdout, res); err != nil {
			return err
		}
		fmt.Fprintf(opts.Stdout, "\nMerged %d cells of %s from %d folder(s) into %s.\n", len(run.Manifest.Cells), run.Key, len(run.Sources), opts.Out)
	}
	return nil
}
