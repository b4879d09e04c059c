package cli

import (
	"fmt"
	"io"

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
the shards ran the same configuration, seed and version, that every cell has a
record in exactly one shard (missing cells are listed by ID), copies the records
to OUT, and renders the tables, figures and summary exactly as a single-machine
run would.`,
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
	for _, run := range runs {
		res, err := harness.Merge(run, opts.Out, experiments.Lookup, output)
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
