package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/reluexp/reluexp/data"
	"github.com/reluexp/reluexp/experiments"
	"github.com/reluexp/reluexp/experiments/harness"
	"github.com/reluexp/reluexp/model"
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
	// Dataset is the data set every experiment that trains uses (the
	// --dataset flag); "" leaves each experiment its own default.
	Dataset string
	// DatasetSet says --dataset was given (so that an empty value is an
	// error, not the default).
	DatasetSet bool
	Quiet      bool
	// OnlyMissing runs only the experiments without a summary.json (and
	// rebuilds those whose summary.json cannot be read).
	OnlyMissing bool
	// Rerun computes every cell again, ignoring existing records.
	Rerun bool
	// Verify checks the finished report for completeness.
	Verify bool

	// experiments and settings narrow the run for tests: the experiments
	// to run (nil: all) and settings applied to each of them.
	experiments []harness.Experiment
	settings    []harness.Setting

	Stdout, Stderr io.Writer
	Interactive    bool
}

func addAllFlags(cmd *cobra.Command, opts *allOptions) {
	f := cmd.Flags()
	f.StringVar(&opts.Out, "out", "results", "results folder: OUT/NAME/ per experiment, OUT/REPORT.md and OUT/index.html")
	f.Uint64Var(&opts.Seed, "seed", harness.DefaultSeed, "the run's seed")
	f.IntVar(&opts.Seeds, "seeds", 0, "sets --seeds in every experiment that has it (0: each experiment's default); in several experiments it covers only one part (README, where --variant and --seeds apply)")
	f.IntVar(&opts.Workers, "workers", 0, "cells run in parallel (0: one per CPU); results do not depend on it")
	f.BoolVar(&opts.Quick, "quick", false, "the small configurations used by tests and CI")
	f.StringVar(&opts.Dataset, "dataset", "", "data set of every experiment that trains: mnist or fashion-mnist (default: each experiment's own, mnist but for cnnspeed's fashion-mnist) "+datasetWhere)
	f.StringVar(&opts.DataDir, "data-dir", "", dataDirHelp)
	f.BoolVar(&opts.Quiet, "quiet", false, "no progress output")
	f.BoolVar(&opts.Verify, "verify", false, "check that the report is complete: a verdict for every claim, every figure a PNG, every link a file")
	f.BoolVar(&opts.Rerun, "rerun", false, "compute every cell of every experiment again, ignoring the records earlier runs left in OUT/NAME/cells")
}

func newRunAllCmd(stdout, stderr io.Writer) *cobra.Command {
	opts := &allOptions{Stdout: stdout, Stderr: stderr}
	cmd := &cobra.Command{
		Use:   "all",
		Short: "Run every experiment, then build the report",
		Long: `Run every registered experiment in turn (each one's cells in parallel), then
build OUT/REPORT.md and OUT/index.html from their summaries. Each finished cell
is kept as a record in OUT/NAME/cells and reused by the next run, so an
interrupted run resumes where it stopped; --rerun computes every cell again.`,
		Example: "  reluexp run all\n  reluexp run all --quick --out /tmp/results\n  reluexp run all --rerun",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.Interactive = isTerminal(stderr)
			opts.DatasetSet = cmd.Flags().Changed("dataset")
			return runEverything(cmd.Context(), opts)
		},
	}
	addAllFlags(cmd, opts)
	return cmd
}

func newReportCmd(stdout, stderr io.Writer) *cobra.Command {
	opts := &allOptions{Stdout: stdout, Stderr: stderr, OnlyMissing: true}
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Build REPORT.md and index.html from the results, running what is missing",
		Long: `Build OUT/REPORT.md and OUT/index.html: a table of the twelve claims with the
verdicts the experiments computed, one section per experiment (the command that
reproduces it, its verdicts with their rules, figures and tables) and the
environment.

Without --rerun, an experiment that has a summary.json in OUT is taken as it
is; one without is run, reusing the records of its cells that an earlier
(interrupted) run left in OUT/NAME/cells, so running report again resumes. A
summary.json that cannot be read is rebuilt from the cell records, with the
configuration and seed recorded beside them; only cells without a valid record
are computed.

With --rerun, every experiment is run again and every cell computed afresh,
ignoring existing records: a full regeneration (make report passes it). An
interrupted --rerun is not resumed by running it again, which starts over.`,
		Example: "  reluexp report\n  reluexp report --rerun\n  reluexp report --quick --out /tmp/results --verify",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.OnlyMissing = !opts.Rerun
			opts.Interactive = isTerminal(stderr)
			opts.DatasetSet = cmd.Flags().Changed("dataset")
			return runEverything(cmd.Context(), opts)
		},
	}
	addAllFlags(cmd, opts)
	return cmd
}

func runEverything(ctx context.Context, opts *allOptions) error {
	if opts.Workers < 0 {
		return usagef("--workers %d: must be 0 (one per CPU) or more", opts.Workers)
	}
	if opts.Seeds < 0 {
		return usagef("--seeds %d: must be positive (or 0 for each experiment's default)", opts.Seeds)
	}
	datasets := []string{data.MNIST}
	if opts.DatasetSet || opts.Dataset != "" {
		if err := data.CheckDataset(opts.Dataset); err != nil {
			return usagef("--dataset: %v", err)
		}
		datasets = []string{opts.Dataset}
	}
	if err := checkData(datasets, opts.DataDir); err != nil {
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
	exps := opts.experiments
	if exps == nil {
		exps = experiments.All()
	}
	var plans []planned
	var skipped []string
	for _, exp := range exps {
		sw := harness.Options{Experiment: exp, Quick: opts.Quick, Out: opts.Out, Seed: opts.Seed, Workers: opts.Workers,
			Env: &harness.Env{DataDir: opts.DataDir}, Force: opts.Rerun, Output: output}
		if opts.OnlyMissing {
			run, err := report.LoadRun(opts.Out, exp.Name())
			if err == nil {
				if err := sameDataset(run, exp, opts); err != nil {
					return usageError{err}
				}
				continue
			}
			if !errors.Is(err, fs.ErrNotExist) {
				// The summary is derived from the records: rebuild it from
				// them, as the sweep that made them was configured.
				job, m, merr := harness.JobFromManifest(exp, filepath.Join(opts.Out, exp.Name()))
				if merr == nil && opts.Dataset != "" && datasetName(harness.DatasetOf(job.Config)) != opts.Dataset {
					merr = fmt.Errorf("its records are on %s, not the --dataset %s", datasetName(harness.DatasetOf(job.Config)), opts.Dataset)
				}
				if merr == nil {
					if !opts.Quiet {
						fmt.Fprintf(opts.Stderr, "%s: %v\n%s: rebuilding its summary from the cell records in %s (cells without a valid record are computed)\n",
							exp.Name(), err, exp.Name(), filepath.Join(job.Dir, harness.CellsDir))
					}
					sw.Quick, sw.Profile, sw.Seed = m.Quick, m.Profile, m.Seed
					plans = append(plans, planned{sw, []harness.Job{job}})
					continue
				}
				if !opts.Quiet {
					fmt.Fprintf(opts.Stderr, "%s: %v\n%s: no usable cell records to rebuild it from (%v), so it runs again\n", exp.Name(), err, exp.Name(), merr)
				}
			}
		}
		sw.Settings = append(sw.Settings, opts.settings...)
		sw.Settings = append(sw.Settings, datasetSettings(exp, opts.Dataset, opts.Quick)...)
		if opts.Seeds > 0 {
			if _, ok := harness.FieldValue(exp.NewConfig(opts.Quick), "seeds"); ok {
				sw.Settings = append(sw.Settings, harness.Setting{Name: "seeds", Values: []string{strconv.Itoa(opts.Seeds)}, Source: fmt.Sprintf("--seeds=%d", opts.Seeds)})
			}
		}
		jobs, err := harness.Jobs(sw)
		if err != nil {
			return usageError{err}
		}
		if missing := missingData(jobs); missing != nil {
			// An experiment that trains on a data set this machine does not
			// have (Fashion-MNIST is a Debian package, not a module) is
			// left out of the run and the report, saying so, rather than
			// failing every cell; `run NAME` refuses it with exit 2.
			fmt.Fprintf(opts.Stderr, "%s: left out: %v\n", exp.Name(), missing)
			skipped = append(skipped, exp.Name())
			continue
		}
		plans = append(plans, planned{sw, jobs})
	}
	// The environment is read before the run, so that the commit is the
	// one the run started from.
	env := report.CurrentEnvironment(opts.Out)
	if !opts.Quiet && len(plans) > 0 {
		fmt.Fprintln(opts.Stderr, backendNotice(model.BLASBackend(), installedOpenBLAS()))
	}
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
			if opts.Quiet {
				continue
			}
			if o.Cleaned > 0 {
				fmt.Fprintf(opts.Stderr, "%s: removed %d temporary file(s) an interrupted run had left in %s\n", p.opts.Experiment.Name(), o.Cleaned, o.Job.Dir)
			}
			fmt.Fprintf(opts.Stderr, "%s: done (%d cells run, %d reused), %s since start\n", p.opts.Experiment.Name(), o.Report.Ran, o.Report.Reused, time.Since(start).Round(time.Second))
		}
	}
	var runs []report.Run
	for _, exp := range exps {
		if slices.Contains(skipped, exp.Name()) {
			if _, err := report.LoadRun(opts.Out, exp.Name()); err != nil {
				continue
			}
		}
		r, err := report.LoadRun(opts.Out, exp.Name())
		if err != nil {
			return fmt.Errorf("reading %s's results: %w", exp.Name(), err)
		}
		runs = append(runs, r)
	}
	site := report.NewSite(experiments.Claims(), runs, env)
	extra, err := report.LoadRobustness(opts.Out)
	if err != nil {
		return fmt.Errorf("reading the robustness runs in %s: %w", filepath.Join(opts.Out, report.RobustnessDir), err)
	}
	site.SetRobustness(report.NewRobustness(experiments.Claims(), runs, extra))
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
		for _, r := range runs {
			names = append(names, r.Name)
		}
		if err := report.Check(opts.Out, experiments.Claims(), names); err != nil {
			return err
		}
		fmt.Fprintln(opts.Stdout, "The report is complete: every claim has one main verdict (or only sanity checks), every verdict its role and caveat, every figure is a PNG, every link leads to a file.")
		if len(skipped) > 0 {
			fmt.Fprintf(opts.Stdout, "Left out for want of their data (see above): %s.\n", strings.Join(skipped, ", "))
		}
	}
	return nil
}

// missingData is the error of the first data set other than MNIST that the
// jobs train on and this machine does not have (it names the folders
// searched and the package to install), or nil. MNIST comes with the
// module cache and is checked up front.
func missingData(jobs []harness.Job) error {
	for _, ds := range jobDatasets(jobs) {
		if ds == data.MNIST {
			continue
		}
		if _, _, err := data.DatasetDir(ds, ""); err != nil {
			return err
		}
	}
	return nil
}

// datasetSettings is the setting --dataset passes to exp: its data set,
// when exp has the setting (every experiment that trains does) and
// --dataset was given; none otherwise.
func datasetSettings(exp harness.Experiment, dataset string, quick bool) []harness.Setting {
	if dataset == "" {
		return nil
	}
	if _, ok := harness.FieldValue(exp.NewConfig(quick), harness.DatasetSetting); !ok {
		return nil
	}
	return []harness.Setting{{Name: harness.DatasetSetting, Values: []string{dataset}, Source: "--dataset=" + dataset}}
}

// sameDataset checks, for report without --rerun, that the results it
// would take as they are in OUT/NAME were trained on the --dataset asked
// for: a report must not mix data sets, nor present one data set's
// results as another's.
func sameDataset(run report.Run, exp harness.Experiment, opts *allOptions) error {
	if opts.Dataset == "" {
		return nil
	}
	if _, ok := harness.FieldValue(exp.NewConfig(opts.Quick), harness.DatasetSetting); !ok {
		return nil
	}
	has := datasetName(summaryDataset(run.Summary.Config))
	if has == opts.Dataset {
		return nil
	}
	dir := filepath.Join(opts.Out, exp.Name())
	return fmt.Errorf("--dataset %s: %s holds %s's results on %s, which report would take as they are: give another --out for a report on %s, or add --rerun to replace them",
		opts.Dataset, dir, exp.Name(), data.DatasetTitle(has), data.DatasetTitle(opts.Dataset))
}

// summaryDataset is the data set recorded in a summary's configuration
// ("" when it names none, which is MNIST: see kit.Dataset).
func summaryDataset(config any) string {
	m, ok := config.(map[string]any)
	if !ok {
		return ""
	}
	s, _ := m[harness.DatasetSetting].(string)
	return s
}

// datasetName is a recorded data set's name, "" being MNIST.
func datasetName(ds string) string {
	if ds == "" {
		return data.MNIST
	}
	return ds
}
