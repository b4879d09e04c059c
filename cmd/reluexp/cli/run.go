package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/reluexp/reluexp/data"
	"github.com/reluexp/reluexp/experiments"
	"github.com/reluexp/reluexp/experiments/harness"
	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/model"
	"github.com/reluexp/reluexp/report"
)

// runOptions is everything `reluexp run NAME` needs, parsed from flags.
type runOptions struct {
	Experiment harness.Experiment
	Out        string
	Seed       uint64
	Workers    int
	Quick      bool
	// Profile names the experiment's set of defaults (--profile); "" is
	// its own.
	Profile string
	DataDir string
	Quiet   bool
	// Settings are the experiment's configuration flags the user set, by
	// name, in the order the configuration declares them.
	Settings []setting
	// Sets are the --set key=v1,v2 arguments, applied after Settings.
	Sets []string
	List bool
	// Rerun computes every cell again, ignoring the records of earlier
	// runs (--rerun, or its older name --force).
	Rerun      bool
	ShardSpec  string
	ShardCount int
	// Getenv reads the environment (for the batch systems' shard
	// variables); nil means os.Getenv.
	Getenv func(string) string

	Stdout, Stderr io.Writer
	// Interactive selects the progress display: a line redrawn in place on a
	// terminal, periodic log lines otherwise.
	Interactive bool
}

type setting struct{ name, value string }

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
			if _, err := experiments.Lookup(args[0]); err != nil {
				return usageError{err}
			}
			// A known experiment reaches here only with its flags misplaced
			// before the name, which cobra cannot route.
			return usagef("put the experiment's name first: reluexp run %s [flags]", args[0])
		},
	}
	for _, exp := range experiments.All() {
		cmd.AddCommand(newRunExperimentCmd(exp, stdout, stderr))
	}
	cmd.AddCommand(newRunAllCmd(stdout, stderr))
	return cmd
}

// settingFlag is a configuration flag: it checks the value's syntax when
// parsed (so a typo fails before anything runs) and keeps the text, which
// is applied to the configuration once --quick has chosen its defaults.
// Given twice, it is an error rather than the last one silently winning.
type settingFlag struct {
	name, typ, value string
	check            func(string) error
	given            bool
}

func (f *settingFlag) String() string { return f.value }
func (f *settingFlag) Type() string   { return f.typ }
func (f *settingFlag) Set(s string) error {
	if f.given {
		return fmt.Errorf("--%s is given twice (--%s=%s and --%s=%s): give it once", f.name, f.name, f.value, f.name, s)
	}
	if err := f.check(s); err != nil {
		return err
	}
	f.value, f.given = s, true
	return nil
}

func newRunExperimentCmd(exp harness.Experiment, stdout, stderr io.Writer) *cobra.Command {
	opts := &runOptions{Experiment: exp, Stdout: stdout, Stderr: stderr}
	full, quick := exp.NewConfig(false), exp.NewConfig(true)
	var settings []*settingFlag
	var force bool
	cmd := &cobra.Command{
		Use:   exp.Name(),
		Short: fmt.Sprintf("%s (%s)", exp.Summary(), strings.Join(exp.Claims(), ", ")),
		Long: exp.Doc() + "\n\nClaims tested: " + strings.Join(exp.Claims(), ", ") + ". Defaults shown are the full run's; --quick uses the smaller defaults given in brackets." +
			" A setting may be given once, as a flag or with --set.",
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
			opts.Rerun = opts.Rerun || force
			return runExperiment(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Out, "out", "results", "folder for the results (the experiment writes to OUT/NAME)")
	f.Uint64Var(&opts.Seed, "seed", harness.DefaultSeed, "the run's seed; every cell's seed derives from it and the cell's ID")
	f.IntVar(&opts.Workers, "workers", 0, "cells run in parallel (0: one per CPU); results do not depend on it")
	f.BoolVar(&opts.Quick, "quick", false, "small, fast configuration for tests and CI")
	f.StringVar(&opts.Profile, "profile", "", profileHelp(exp))
	f.StringVar(&opts.DataDir, "data-dir", "", dataDirHelp)
	f.BoolVar(&opts.Quiet, "quiet", false, "no progress output")
	f.StringArrayVar(&opts.Sets, "set", nil, "override a setting with a value or a list, key=v1,v2,... (repeatable); several values of a one-value setting make one configuration each, written to OUT/NAME/key=value/")
	f.BoolVar(&opts.List, "list", false, "print the cells (ID, shard, seed, cost, parameters) and exit without running")
	f.BoolVar(&opts.Rerun, "rerun", false, "compute every cell again, ignoring the records earlier runs left in OUT/NAME/cells (without it, a run reuses them and computes only what is missing)")
	f.BoolVar(&force, "force", false, "the same as --rerun")
	f.StringVar(&opts.ShardSpec, "shard", "", "run only shard i of n (1-based, e.g. 2/5); default: from $JOB_COMPLETION_INDEX or $SLURM_ARRAY_TASK_ID")
	f.IntVar(&opts.ShardCount, "shard-count", 0, "number of shards when the index comes from $JOB_COMPLETION_INDEX (or set $RELUEXP_SHARD_COUNT)")
	quickValues := map[string]string{}
	for _, fd := range harness.Fields(quick) {
		quickValues[fd.Name] = fd.Value
	}
	for _, fd := range harness.Fields(full) {
		scratch := exp.NewConfig(false)
		name := fd.Name
		s := &settingFlag{name: name, typ: fd.Type, value: fd.Value, check: func(v string) error {
			return harness.SetField(scratch, name, v)
		}}
		usage := fd.Help
		if note := scopeHelp(exp.Name(), name); note != "" {
			usage += " " + note
		}
		if name == harness.DatasetSetting {
			usage += " " + datasetWhere
		}
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
	var settings []harness.Setting
	for _, s := range opts.Settings {
		settings = append(settings, harness.Setting{Name: s.name, Values: []string{s.value}, Source: "--" + s.name + "=" + s.value})
	}
	for _, raw := range opts.Sets {
		s, err := harness.ParseSetting(raw)
		if err != nil {
			return usageError{err}
		}
		settings = append(settings, s)
	}
	sw := harness.Options{Experiment: exp, Quick: opts.Quick, Profile: opts.Profile, Settings: settings, Out: opts.Out, Seed: opts.Seed,
		Workers: opts.Workers, Env: &harness.Env{DataDir: opts.DataDir}, Force: opts.Rerun, Output: output}
	jobs, err := harness.Jobs(sw)
	if err != nil {
		return usageError{err}
	}
	if opts.Workers < 0 {
		return usagef("--workers %d: must be 0 (one per CPU) or more", opts.Workers)
	}
	shard, err := chooseShard(opts)
	if err != nil {
		return usageError{err}
	}
	sw.Shard = shard
	if !opts.Quiet {
		warnSharedCells(opts.Stderr, exp, jobs, opts.Seed)
	}
	if opts.List {
		return harness.PrintPlan(opts.Stdout, sw, jobs, shard.Count)
	}
	if err := checkData(jobDatasets(jobs), opts.DataDir); err != nil {
		return usageError{err}
	}
	if err := checkWritableDir(opts.Out); err != nil {
		return usageError{err}
	}

	if !opts.Quiet {
		fmt.Fprintln(opts.Stderr, backendNotice(model.BLASBackend(), installedOpenBLAS()))
	}
	progress := newProgressPrinter(opts.Stderr, exp.Name(), opts.Interactive, opts.Quiet)
	sw.Progress = progress.update
	start := time.Now()
	outcomes, err := harness.Sweep(ctx, sw, jobs)
	progress.finish()
	for _, o := range outcomes {
		if o.Cleaned > 0 && !opts.Quiet {
			fmt.Fprintf(opts.Stderr, "%s: removed %d temporary file(s) an interrupted run had left in %s\n", exp.Name(), o.Cleaned, o.Job.Dir)
		}
		if o.Result == nil {
			continue
		}
		res := o.Result
		if o.Job.Label != "" {
			fmt.Fprintf(opts.Stdout, "\n=== %s, configuration %s (%s/) ===\n", exp.Name(), o.Job.Label, o.Job.Dir)
			res = labelTables(res, o.Job.Label)
		}
		if err := report.PrintResult(opts.Stdout, res); err != nil {
			return err
		}
		fmt.Fprintf(opts.Stdout, "\nWrote %s/ (%d cells run, %d reused from earlier records).\n", o.Job.Dir, o.Report.Ran, o.Report.Reused)
	}
	if err != nil {
		var runErr *harness.RunError
		switch {
		case errors.Is(err, context.Canceled):
			done := 0
			if n := len(outcomes); n > 0 {
				done = outcomes[n-1].Report.Ran
			}
			return fmt.Errorf("%s interrupted after %s: %d cell(s) finished in this run and are kept with the earlier ones in %s; "+
				"run the same command again to finish the rest", exp.Name(), time.Since(start).Round(time.Second), done, recordsDir(outcomes, jobs))
		case errors.As(err, &runErr):
			return fmt.Errorf("%w\nThe other cells' records are kept in %s; fix the cause and run the same command again to retry the failed cells", err, recordsDir(outcomes, jobs))
		}
		return err
	}
	if !shard.Whole() {
		for _, o := range outcomes {
			fmt.Fprintf(opts.Stdout, "%s shard %s: ran %d cell(s), %d already had records, %d in this shard, %d in the sweep; records in %s\n",
				exp.Name(), shard, o.Report.Ran, o.Report.Reused, o.Report.InShard, o.Report.Cells, filepath.Join(o.Job.Dir, harness.CellsDir))
		}
		fmt.Fprintf(opts.Stdout, "When every shard is done, gather them with: reluexp merge --out DIR SHARD_FOLDER...\n")
	}
	return nil
}

// chooseShard reads --shard, or else the batch system's variables.
func chooseShard(opts *runOptions) (harness.Shard, error) {
	if opts.ShardSpec != "" {
		return harness.ParseShard(opts.ShardSpec)
	}
	getenv := opts.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	shard, source, err := harness.ShardFromEnv(getenv, opts.ShardCount)
	if err != nil {
		return shard, err
	}
	if source == "" && opts.ShardCount > 0 {
		return shard, fmt.Errorf("--shard-count %d given but no shard index: use --shard i/n, or run under a Kubernetes Indexed Job ($JOB_COMPLETION_INDEX) or a Slurm array ($SLURM_ARRAY_TASK_ID)", opts.ShardCount)
	}
	if source != "" && !opts.Quiet {
		fmt.Fprintf(opts.Stderr, "%s: running shard %s, from %s\n", opts.Experiment.Name(), shard, source)
	}
	return shard, nil
}

func recordsDir(outcomes []harness.Outcome, jobs []harness.Job) string {
	job := jobs[0]
	if n := len(outcomes); n > 0 {
		job = outcomes[n-1].Job
	}
	return filepath.Join(job.Dir, harness.CellsDir)
}

// dataDirHelp is the --data-dir flag's help.
const dataDirHelp = "folder with the four .gz files of the data set (--dataset); the files are identified from their content, and a folder of another data set is an error " +
	"(default: MNIST from $" + data.MNISTEnv + ", then the GoMNIST module; Fashion-MNIST from $" + data.FashionMNISTEnv + ", then " + data.FashionMNISTSystemDir + ")"

// datasetWhere is added to the help of every --dataset flag: where the
// files are looked for. It has no backquotes, which pflag would take for
// the flag's value name.
const datasetWhere = "(files: --data-dir, else for mnist $" + data.MNISTEnv + " then the GoMNIST module, for fashion-mnist $" + data.FashionMNISTEnv +
	" then " + data.FashionMNISTSystemDir + ", installed by apt-get install " + data.FashionMNISTPackage + ")"

// jobDatasets lists the data sets the jobs train on, each once, in order.
func jobDatasets(jobs []harness.Job) []string {
	var out []string
	for _, j := range jobs {
		ds := harness.DatasetOf(j.Config)
		if ds == "" {
			ds = data.MNIST
		}
		if !slices.Contains(out, ds) {
			out = append(out, ds)
		}
	}
	return out
}

// checkData loads each data set up front, so that missing, truncated,
// corrupt or misidentified files are bad input, reported before anything
// runs or is written, rather than a failure of every cell. MNIST from its
// default place (the module cache) is left to the cells, as it is normally
// there; MNIST from a folder the user named (--data-dir or
// $RELUEXP_MNIST_DIR) and every other data set are checked. The loads are
// cached for the run.
func checkData(datasets []string, dataDir string) error {
	for _, ds := range datasets {
		if ds == data.MNIST && dataDir == "" && os.Getenv(data.MNISTEnv) == "" {
			continue
		}
		dir, _, err := data.DatasetDir(ds, dataDir)
		if err != nil {
			return err
		}
		if _, _, err := data.LoadDataset(ds, dir); err != nil {
			return err
		}
	}
	return nil
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

func (p *progressPrinter) update(label string, pr harness.Progress) {
	if p.quiet {
		return
	}
	eta := "?"
	if pr.DoneCost > 0 {
		left := time.Duration(float64(pr.Elapsed) / pr.DoneCost * (pr.TotalCost - pr.DoneCost))
		eta = left.Round(time.Second).String()
	}
	name := p.name
	if label != "" {
		name += " " + label
	}
	line := fmt.Sprintf("%s: %d/%d cells, %s elapsed, ~%s left, last: %s", name, pr.Done, pr.Total,
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

// labelTables returns a copy of res whose table titles name the
// configuration, so that the tables of a --set sweep printed one after
// another each say which configuration they belong to. The files already
// written are not affected.
func labelTables(res *result.Result, label string) *result.Result {
	out := *res
	out.Tables = make([]result.Table, len(res.Tables))
	for i, t := range res.Tables {
		t.Title = fmt.Sprintf("%s [%s]", t.Title, label)
		out.Tables[i] = t
	}
	return &out
}

// warnSharedCells says when the configurations of a --set sweep share
// cells: the swept setting does not reach them (vanishing's --width does
// not change its MNIST training), so each configuration computes the same
// cells again in its own folder.
func warnSharedCells(w io.Writer, exp harness.Experiment, jobs []harness.Job, seed uint64) {
	if len(jobs) < 2 {
		return
	}
	key := func(c harness.PlannedCell) string {
		params, _ := json.Marshal(c.Params)
		return fmt.Sprintf("%s\x00%d\x00%s", c.ID, c.Seed, params)
	}
	count := map[string]int{}
	for _, j := range jobs {
		for _, c := range harness.Plan(exp, j.Config, seed) {
			count[key(c)]++
		}
	}
	first := harness.Plan(exp, jobs[0].Config, seed)
	shared, example := 0, ""
	for _, c := range first {
		if count[key(c)] == len(jobs) {
			shared++
			if example == "" {
				example = c.ID
			}
		}
	}
	if shared == 0 {
		return
	}
	// The label names the swept settings: "width=64,batch=32".
	var swept []string
	for _, part := range strings.Split(jobs[0].Label, ",") {
		name, _, _ := strings.Cut(part, "=")
		swept = append(swept, "--"+name)
	}
	fmt.Fprintf(w, "note: %d of the %d cells of each configuration (e.g. %s) are the same in all %d configurations: %s does not reach them, "+
		"so each configuration computes them again; see reluexp run %s --help for which part each setting reaches\n",
		shared, len(first), example, len(jobs), strings.Join(swept, " and "), exp.Name())
}

// profileHelp is the help of --profile: the experiment's named sets of
// defaults, each with what it is.
func profileHelp(exp harness.Experiment) string {
	help := "start from a named set of defaults, changed by the other settings like any defaults (valid: " + strings.Join(harness.ProfileNames(exp), ", ") + ")"
	for _, p := range exp.Profiles() {
		help += "; " + p.Name + ": " + p.Summary
	}
	return help
}
