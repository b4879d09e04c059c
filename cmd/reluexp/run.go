package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/reluexp/reluexp/data"
	"github.com/reluexp/reluexp/experiments"
	"github.com/reluexp/reluexp/report"
)

// runOptions is everything `reluexp run NAME` needs, parsed from flags.
type runOptions struct {
	Experiment experiments.Experiment
	Out        string
	Seed       uint64
	Workers    int
	Quick      bool
	DataDir    string
	Quiet      bool
	// Settings are the experiment's configuration flags the user set, by
	// name, in the order the configuration declares them.
	Settings []setting

	Stdout, Stderr io.Writer
	// Interactive selects the progress display: a line redrawn in place on a
	// terminal, periodic log lines otherwise.
	Interactive bool
}

type setting struct{ name, value string }

const defaultSeed = 1

func newRunCmd(stdout, stderr io.Writer) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "run NAME",
		Short: "Run one experiment and write its results",
		Long: `Run one experiment: its cells run in parallel (--workers), and its figures,
tables, CSV data and summary.json go to OUT/NAME/. The terminal shows the
tables and the verdicts. The same command and seed give byte-identical CSV and
JSON whatever the number of workers.

Experiments: ` + experimentNames() + `. Each has its own flags: reluexp run NAME --help.`,
		Example: `  reluexp run vanishing
  reluexp run vanishing --quick
  reluexp run vanishing --variant relu,sigmoid --inits he-normal --depths 10,30 --seeds 5`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usagef("run needs an experiment name (valid: %s)", experimentNames())
			}
			_, err := experiments.Lookup(args[0])
			return usageError{err}
		},
	}
	for _, exp := range experiments.All() {
		cmd.AddCommand(newRunExperimentCmd(exp, stdout, stderr))
	}
	return cmd
}

// settingFlag is a configuration flag: it checks the value's syntax when
// parsed (so a typo fails before anything runs) and keeps the text, which
// is applied to the configuration once --quick has chosen its defaults.
type settingFlag struct {
	name, typ, value string
	check            func(string) error
}

func (f *settingFlag) String() string { return f.value }
func (f *settingFlag) Type() string   { return f.typ }
func (f *settingFlag) Set(s string) error {
	if err := f.check(s); err != nil {
		return err
	}
	f.value = s
	return nil
}

func newRunExperimentCmd(exp experiments.Experiment, stdout, stderr io.Writer) *cobra.Command {
	opts := &runOptions{Experiment: exp, Stdout: stdout, Stderr: stderr}
	full, quick := exp.NewConfig(false), exp.NewConfig(true)
	var settings []*settingFlag
	cmd := &cobra.Command{
		Use:   exp.Name(),
		Short: fmt.Sprintf("%s (%s)", exp.Summary(), strings.Join(exp.Claims(), ", ")),
		Long:  exp.Doc() + "\n\nClaims tested: " + strings.Join(exp.Claims(), ", ") + ". Defaults shown are the full run's; --quick uses the smaller defaults given in brackets.",
		Example: fmt.Sprintf("  reluexp run %s\n  reluexp run %s --quick --seed 7\n  reluexp run %s --workers 1 --out /tmp/results",
			exp.Name(), exp.Name(), exp.Name()),
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			for _, s := range settings {
				if cmd.Flags().Changed(s.name) {
					opts.Settings = append(opts.Settings, setting{s.name, s.value})
				}
			}
			opts.Interactive = isTerminal(stderr)
			return runExperiment(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Out, "out", "results", "folder for the results (the experiment writes to OUT/NAME)")
	f.Uint64Var(&opts.Seed, "seed", defaultSeed, "the run's seed; every cell's seed derives from it and the cell's ID")
	f.IntVar(&opts.Workers, "workers", 0, "cells run in parallel (0: one per CPU); results do not depend on it")
	f.BoolVar(&opts.Quick, "quick", false, "small, fast configuration for tests and CI")
	f.StringVar(&opts.DataDir, "data-dir", "", "folder with the four MNIST .gz files (default: $"+data.MNISTEnv+", then the GoMNIST module)")
	f.BoolVar(&opts.Quiet, "quiet", false, "no progress output")
	quickValues := map[string]string{}
	for _, fd := range experiments.Fields(quick) {
		quickValues[fd.Name] = fd.Value
	}
	for _, fd := range experiments.Fields(full) {
		scratch := exp.NewConfig(false)
		name := fd.Name
		s := &settingFlag{name: name, typ: fd.Type, value: fd.Value, check: func(v string) error {
			return experiments.SetField(scratch, name, v)
		}}
		usage := fd.Help
		if q := quickValues[name]; q != fd.Value {
			usage += " [quick: " + q + "]"
		}
		f.Var(s, name, usage)
		settings = append(settings, s)
	}
	f.SortFlags = false
	return cmd
}

func runExperiment(ctx context.Context, opts *runOptions) error {
	exp := opts.Experiment
	cfg := exp.NewConfig(opts.Quick)
	for _, s := range opts.Settings {
		if err := experiments.SetField(cfg, s.name, s.value); err != nil {
			return usageError{err}
		}
	}
	if err := experiments.Validate(exp, cfg); err != nil {
		return usageError{fmt.Errorf("%s: %w", exp.Name(), err)}
	}
	if opts.Workers < 0 {
		return usagef("--workers %d: must be 0 (one per CPU) or more", opts.Workers)
	}
	if opts.DataDir != "" {
		if _, _, err := data.MNISTDir(opts.DataDir); err != nil {
			return usageError{err}
		}
	}
	outDir := filepath.Join(opts.Out, exp.Name())
	if err := checkWritableDir(opts.Out); err != nil {
		return usageError{err}
	}

	progress := newProgressPrinter(opts.Stderr, exp.Name(), opts.Interactive, opts.Quiet)
	start := time.Now()
	res, err := experiments.Run(ctx, exp, cfg, experiments.RunOptions{
		Seed: opts.Seed, Workers: opts.Workers, Env: &experiments.Env{DataDir: opts.DataDir}, Progress: progress.update,
	})
	progress.finish()
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return fmt.Errorf("%s interrupted after %s; nothing was written", exp.Name(), time.Since(start).Round(time.Second))
		}
		return err
	}
	res.Command = commandLine(exp, cfg, opts.Quick, opts.Seed)
	if err := report.WriteExperiment(outDir, res); err != nil {
		return err
	}
	if err := report.PrintResult(opts.Stdout, res); err != nil {
		return err
	}
	fmt.Fprintf(opts.Stdout, "\nWrote %s/ in %s.\n", outDir, time.Since(start).Round(100*time.Millisecond))
	return nil
}

// commandLine is the shortest command that reproduces cfg: the settings
// that differ from the defaults of the chosen mode. It depends on the
// configuration only, not on how it was typed (and never on --workers or
// --out, which do not change results), so summaries stay byte-identical.
func commandLine(exp experiments.Experiment, cfg any, quick bool, seed uint64) string {
	parts := []string{"reluexp", "run", exp.Name()}
	if quick {
		parts = append(parts, "--quick")
	}
	if seed != defaultSeed {
		parts = append(parts, fmt.Sprintf("--seed=%d", seed))
	}
	defaults := exp.NewConfig(quick)
	for _, fd := range experiments.Fields(cfg) {
		if def, _ := experiments.FieldValue(defaults, fd.Name); def != fd.Value {
			parts = append(parts, fmt.Sprintf("--%s=%s", fd.Name, fd.Value))
		}
	}
	return strings.Join(parts, " ")
}

// checkWritableDir checks, before anything runs, that dir is (or can be
// created as) a writable folder: the nearest existing ancestor must be a
// folder we can create files in. It creates nothing.
func checkWritableDir(dir string) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return fmt.Errorf("--out %q: %w", dir, err)
	}
	p := abs
	for {
		st, err := os.Stat(p)
		if err == nil {
			if !st.IsDir() {
				return fmt.Errorf("--out %q: %s is a file, not a folder", dir, p)
			}
			probe, err := os.CreateTemp(p, ".reluexp-write-test-*")
			if err != nil {
				return fmt.Errorf("--out %q: cannot write in %s: %v", dir, p, errors.Unwrap(err))
			}
			probe.Close()
			os.Remove(probe.Name())
			return nil
		}
		// A missing folder, or a path running through a file (ENOTDIR),
		// is judged by its nearest existing ancestor.
		if !errors.Is(err, os.ErrNotExist) && !errors.Is(err, syscall.ENOTDIR) {
			return fmt.Errorf("--out %q: %v", dir, err)
		}
		parent := filepath.Dir(p)
		if parent == p {
			return fmt.Errorf("--out %q: no existing parent folder", dir)
		}
		p = parent
	}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}

// progressPrinter shows how far a run has got: on a terminal one line
// redrawn in place, otherwise a log line every tenth of the cells or every
// 30 seconds, whichever comes first.
type progressPrinter struct {
	w           io.Writer
	name        string
	interactive bool
	quiet       bool
	lastLog     time.Time
	lastDecile  int
	drew        bool
}

func newProgressPrinter(w io.Writer, name string, interactive, quiet bool) *progressPrinter {
	return &progressPrinter{w: w, name: name, interactive: interactive, quiet: quiet, lastLog: time.Now()}
}

func (p *progressPrinter) update(pr experiments.Progress) {
	if p.quiet {
		return
	}
	eta := "?"
	if pr.DoneCost > 0 {
		left := time.Duration(float64(pr.Elapsed) / pr.DoneCost * (pr.TotalCost - pr.DoneCost))
		eta = left.Round(time.Second).String()
	}
	line := fmt.Sprintf("%s: %d/%d cells, %s elapsed, ~%s left, last: %s", p.name, pr.Done, pr.Total,
		pr.Elapsed.Round(time.Second), eta, pr.Cell)
	if p.interactive {
		fmt.Fprintf(p.w, "\r\033[K%s", line)
		p.drew = true
		return
	}
	decile := pr.Done * 10 / max(pr.Total, 1)
	if decile > p.lastDecile || time.Since(p.lastLog) > 30*time.Second || pr.Done == pr.Total {
		fmt.Fprintln(p.w, line)
		p.lastDecile, p.lastLog = decile, time.Now()
	}
}

func (p *progressPrinter) finish() {
	if p.drew {
		fmt.Fprintln(p.w)
	}
}

var _ pflag.Value = (*settingFlag)(nil)
