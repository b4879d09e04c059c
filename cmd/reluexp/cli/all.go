package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/reluexp/reluexp/experiments"
	"github.com/reluexp/reluexp/experiments/harness"
	"github.com/reluexp/reluexp/report"
)

// allOptions drive `reluexp run all` and `reluexp report`: every registered
// experiment with its default (or quick) configuration.
type allOptions struct {
	Out     string
	Seed    uint64
	Seeds   int
	Workers int
	Quick   bool
	DataDir string
	Quiet   bool
	// OnlyMissing runs only the experiments without a summary.json.
	OnlyMissing bool
	// Verify checks the finished report for completeness.
	Verify bool

	Stdout, Stderr io.Writer
	Interactive    bool
}

func addAllFlags(cmd *cobra.Command, opts *allOptions) {
	f := cmd.Flags()
	f.StringVar(&opts.Out, "out", "results", "results folder: OUT/NAME/ per experiment, OUT/REPORT.md and OUT/index.html")
	f.Uint64Var(&opts.Seed, "seed", harness.DefaultSeed, "the run's seed")
	f.IntVar(&opts.Seeds, "seeds", 0, "seeds per configuration in every experiment (0: each experiment's default)")
	f.IntVar(&opts.Workers, "workers", 0, "cells run in parallel (0: one per CPU); results do not depend on it")
	f.BoolVar(&opts.Quick, "quick", false, "the small configurations used by tests and CI")
	f.StringVar(&opts.DataDir, "data-dir", "", "folder with the four MNIST .gz files")
	f.BoolVar(&opts.Quiet, "quiet", false, "no progress output")
	f.BoolVar(&opts.Verify, "verify", false, "check that the report is complete: a verdict for every claim, every figure a PNG, every link a file")
}

func newRunAllCmd(stdout, stderr io.Writer) *cobra.Command {
	opts := &allOptions{Stdout: stdout, Stderr: stderr}
	cmd := &cobra.Command{
		Use:   "all",
		Short: "Run every experiment, then build the report",
		Long: `Run every registered experiment in turn (each one's cells in parallel), then
build OUT/REPORT.md and OUT/index.html from their summaries. Finished cells are
kept, so an interrupted run resumes where it stopped.`,
		Example: "  reluexp run all\n  reluexp run all --quick --out /tmp/results",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.Interactive = isTerminal(stderr)
			return runEverything(cmd.Context(), opts)
		},
	}
	addAllFlags(cmd, opts)
	return cmd
}

func newReportCmd(stdout, stderr io.Writer) *cobra.Command {
	opts := &allOptions{Stdout: stdout, Stderr: stderr, OnlyMissing: true}
	var rerun bool
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Build REPORT.md and index.html from the results, running what is missing",
		Long: `Build OUT/REPORT.md and OUT/index.html: a table of the twelve claims with the
verdicts the experiments computed, one section per experiment (the command that
reproduces it, its verdicts with their rules, figures and tables) and the
environment. Experiments without results in OUT are run first; --rerun runs
them all again (cells that still have a record in OUT/NAME/cells are reused).`,
		Example: "  reluexp report\n  reluexp report --rerun\n  reluexp report --quick --out /tmp/results --verify",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.OnlyMissing = !rerun
			opts.Interactive = isTerminal(stderr)
			return runEverything(cmd.Context(), opts)
		},
	}
	addAllFlags(cmd, opts)
	cmd.Flags().BoolVar(&rerun, "rerun", false, "run every experiment again, not only the missing ones")
	return cmd
}

func runEverything(ctx context.Context, opts *allOptions) error {
	if opts.Workers < 0 {
		return usagef("--workers %d: must be 0 (one per CPU) or more", opts.Workers)
	}
	if opts.Seeds < 0 {
		return usagef("--seeds %d: must be positive (or 0 for each experiment's default)", opts.Seeds)
	}
	if err := checkData(opts.DataDir); err != nil {
		return usageError{err}
	}
	if err := checkWritableDir(opts.Out); err != nil {
		return usageError{err}
	}
	// Prepare every experiment before running any, so that a bad setting
	// stops the whole run before it starts.
	type planned struct {
		opts harness.Options
		jobs []harness.Job
	}
	var plans []planned
	for _, exp := range experiments.All() {
		if opts.OnlyMissing {
			if _, err := report.LoadRun(opts.Out, exp.Name()); err == nil {
				continue
			} else if !errors.Is(err, fs.ErrNotExist) {
				return err
			}
		}
		sw := harness.Options{Experiment: exp, Quick: opts.Quick, Out: opts.Out, Seed: opts.Seed, Workers: opts.Workers,
			Env: &harness.Env{DataDir: opts.DataDir}, Output: output}
		if opts.Seeds > 0 {
			if _, ok := harness.FieldValue(exp.NewConfig(opts.Quick), "seeds"); ok {
				sw.Settings = append(sw.Settings, harness.Setting{Name: "seeds", Values: []string{strconv.Itoa(opts.Seeds)}})
			}
		}
		jobs, err := harness.Jobs(sw)
		if err != nil {
			return usageError{err}
		}
		plans = append(plans, planned{sw, jobs})
	}
	// The environment is read before the run, so that the commit is the
	// one the run started from.
	env := report.CurrentEnvironment(opts.Out)
	start := time.Now()
	for _, p := range plans {
		progress := newProgressPrinter(opts.Stderr, p.opts.Experiment.Name(), opts.Interactive, opts.Quiet)
		p.opts.Progress = progress.update
		outcomes, err := harness.Sweep(ctx, p.opts, p.jobs)
		progress.finish()
		if err != nil {
			if errors.Is(err, context.Canceled) {
				return fmt.Errorf("interrupted during %s after %s; finished cells are kept in %s: run the same command again to go on",
					p.opts.Experiment.Name(), time.Since(start).Round(time.Second), filepath.Join(opts.Out, p.opts.Experiment.Name(), harness.CellsDir))
			}
			return err
		}
		for _, o := range outcomes {
			if !opts.Quiet {
				fmt.Fprintf(opts.Stderr, "%s: done (%d cells run, %d reused), %s since start\n", p.opts.Experiment.Name(), o.Report.Ran, o.Report.Reused, time.Since(start).Round(time.Second))
			}
		}
	}
	var runs []report.Run
	for _, exp := range experiments.All() {
		r, err := report.LoadRun(opts.Out, exp.Name())
		if err != nil {
			return fmt.Errorf("reading %s's results: %w", exp.Name(), err)
		}
		runs = append(runs, r)
	}
	site := report.NewSite(experiments.Claims(), runs, env)
	if err := report.WriteSite(opts.Out, site); err != nil {
		return err
	}
	for _, row := range site.Claims {
		outcome := string(row.Outcome)
		switch {
		case outcome != "":
		case len(row.Sanity) > 0:
			outcome = "sanity check"
		default:
			outcome = "not measured"
		}
		fmt.Fprintf(opts.Stdout, "%-4s %-12s %s\n", row.Claim.ID, outcome, row.Claim.Blog)
	}
	fmt.Fprintf(opts.Stdout, "\nWrote %s and %s (%s).\n", filepath.Join(opts.Out, "REPORT.md"), filepath.Join(opts.Out, "index.html"), time.Since(start).Round(time.Second))
	if opts.Verify {
		var names []string
		for _, exp := range experiments.All() {
			names = append(names, exp.Name())
		}
		if err := report.Check(opts.Out, experiments.Claims(), names); err != nil {
			return err
		}
		fmt.Fprintln(opts.Stdout, "The report is complete: every claim has one main verdict (or only sanity checks), every verdict its role and caveat, every figure is a PNG, every link leads to a file.")
	}
	return nil
}
