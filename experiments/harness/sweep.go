package harness

// A sweep runs an experiment against a results folder: it expands the
// configurations, keeps one record per finished cell (so that a rerun
// resumes and shards run anywhere), and hands the summary to Output once
// every cell has a record. Merge gathers the records of shards run on other
// machines and renders exactly what a single machine would have.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/model"
)

// DefaultSeed is the run seed when none is given.
const DefaultSeed = 1

// Options describe a sweep as typed on the command line.
type Options struct {
	Experiment Experiment
	Quick      bool
	// Profile names the set of defaults the settings start from ("": the
	// experiment's own; see Profile).
	Profile string
	// Settings are the configuration fields set by flags and --set, in the
	// order they apply.
	Settings []Setting
	// Out is the results folder; a sweep writes Out/NAME/ (and
	// Out/NAME/LABEL/ for each configuration when --set spans several).
	Out     string
	Seed    uint64
	Workers int
	Env     *Env
	Shard   Shard
	Force   bool
	// Progress, when set, receives each configuration's progress.
	Progress func(label string, p Progress)
	// Output renders each finished configuration; required for a whole
	// sweep (not for a shard, which only keeps records).
	Output Output
}

// Output renders what a sweep produced into its results folder. The harness
// computes and keeps records; how a result looks on disk (figures, tables,
// summary.json) is the report package's business, passed in here so that
// the harness imports nothing above it.
type Output struct {
	// Experiment writes every output of a summarised configuration into dir.
	Experiment func(dir string, res *result.Result) error
	// Timing writes the wall-clock facts of a run (key=value) into dir.
	Timing func(dir string, values map[string]string) error
}

// Job is one configuration of a sweep and where it goes.
type Job struct {
	Label   string
	Config  any
	Dir     string // the configuration's results folder
	Command string // the command line that reproduces it
}

// Jobs expands opts into its configurations. Every error is the user's
// input (an unknown setting, a malformed value, a configuration the
// experiment rejects) and nothing has been written.
func Jobs(opts Options) ([]Job, error) {
	confs, err := Expand(opts.Experiment, opts.Quick, opts.Profile, opts.Settings)
	if err != nil {
		return nil, err
	}
	var jobs []Job
	for _, c := range confs {
		if err := Validate(opts.Experiment, c.Config); err != nil {
			if c.Label != "" {
				return nil, fmt.Errorf("%s (%s): %w", opts.Experiment.Name(), c.Label, err)
			}
			return nil, fmt.Errorf("%s: %w", opts.Experiment.Name(), err)
		}
		workers := opts.Workers
		if workers <= 0 {
			workers = runtime.NumCPU()
		}
		if err := CheckMemory(opts.Experiment, c.Config, workers); err != nil {
			return nil, err
		}
		dir := filepath.Join(opts.Out, opts.Experiment.Name())
		if c.Label != "" {
			dir = filepath.Join(dir, c.Label)
		}
		jobs = append(jobs, Job{Label: c.Label, Config: c.Config, Dir: dir, Command: CommandLine(opts.Experiment, c.Config, opts.Quick, opts.Profile, opts.Seed)})
	}
	return jobs, nil
}

// CommandLine is the shortest command that reproduces cfg: the settings
// that differ from the defaults of the chosen mode and profile. It depends on the
// configuration only, not on how it was typed (nor on --workers, --out or
// --shard, which do not change results), so summaries stay byte-identical.
func CommandLine(exp Experiment, cfg any, quick bool, profile string, seed uint64) string {
	parts := []string{"reluexp", "run", exp.Name()}
	if profile = profileName(profile); profile != "" {
		parts = append(parts, "--profile="+profile)
	}
	if quick {
		parts = append(parts, "--quick")
	}
	if seed != DefaultSeed {
		parts = append(parts, fmt.Sprintf("--seed=%d", seed))
	}
	defaults, err := Defaults(exp, quick, profile)
	if err != nil {
		defaults = exp.NewConfig(quick)
	}
	for _, fd := range Fields(cfg) {
		if def, _ := FieldValue(defaults, fd.Name); def != fd.Value {
			parts = append(parts, fmt.Sprintf("--%s=%s", fd.Name, fd.Value))
		}
	}
	return strings.Join(parts, " ")
}

// Outcome is what happened to one configuration.
type Outcome struct {
	Job    Job
	Report ExecReport
	// Result is set when every cell had a record and the outputs were
	// written (not for a partial shard).
	Result *result.Result
	// Cleaned counts the temporary files an earlier, killed run had left in
	// the configuration's folders, removed before this one started.
	Cleaned int
}

// Sweep executes the jobs in order: for each, it writes the manifest, runs
// the cells of this shard that lack a record, and, for a whole sweep,
// summarises and writes the outputs. It stops at the first job that fails
// or is interrupted, returning the outcomes so far.
func Sweep(ctx context.Context, opts Options, jobs []Job) ([]Outcome, error) {
	var outs []Outcome
	for _, job := range jobs {
		out, err := sweepJob(ctx, opts, job)
		outs = append(outs, out)
		if err != nil {
			return outs, err
		}
	}
	return outs, nil
}

func sweepJob(ctx context.Context, opts Options, job Job) (Outcome, error) {
	out := Outcome{Job: job}
	cellsDir := filepath.Join(job.Dir, CellsDir)
	m, err := NewManifest(opts.Experiment, job.Config, opts.Seed, opts.Quick, opts.Profile, job.Command)
	if err != nil {
		return out, err
	}
	if err := checkManifest(cellsDir, m); err != nil {
		return out, err
	}
	cleaned, release, err := occupy(cellsDir, job.Dir)
	out.Cleaned = cleaned
	if err != nil {
		return out, err
	}
	defer release()
	if err := WriteManifest(cellsDir, m); err != nil {
		return out, err
	}
	store := DirStore{Dir: cellsDir}
	var progress func(Progress)
	if opts.Progress != nil {
		label := job.Label
		progress = func(p Progress) { opts.Progress(label, p) }
	}
	began := time.Now()
	out.Report, err = Execute(ctx, opts.Experiment, job.Config, ExecOptions{
		Seed: opts.Seed, Workers: opts.Workers, Env: opts.Env, Store: store, Shard: opts.Shard, Force: opts.Force, Progress: progress,
	})
	if err != nil || !opts.Shard.Whole() {
		return out, err
	}
	if out.Result, err = render(opts.Experiment, job.Config, opts.Seed, opts.Profile, job.Command, store, job.Dir, opts.Output); err != nil {
		return out, err
	}
	// The wall time is that of the run that computed the cells: a run that
	// only re-rendered from records (a resume with nothing left to do, a
	// rebuilt summary) keeps the earlier run's timing.
	if out.Report.Ran == 0 {
		return out, nil
	}
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	err = opts.Output.Timing(job.Dir, map[string]string{
		"wall_seconds": strconv.FormatFloat(time.Since(began).Seconds(), 'f', 1, 64),
		"cells_run":    strconv.Itoa(out.Report.Ran),
		"cells_reused": strconv.Itoa(out.Report.Reused),
		"workers":      strconv.Itoa(workers),
		"blas":         model.BLASBackend(),
		// When the cells were last computed, for the report's "last
		// regenerated" (timing.txt is the one file allowed to vary).
		"finished_utc": time.Now().UTC().Format(time.RFC3339),
	})
	return out, err
}

// checkManifest refuses a cells folder that holds another experiment's
// records (an --out pointing at the wrong place). The same experiment with
// another seed or configuration may reuse the folder: records are matched by
// ID, parameters and seed, so the old ones are simply not read, and the
// manifest is rewritten to say what the folder now holds.
func checkManifest(cellsDir string, m Manifest) error {
	old, err := ReadManifest(cellsDir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if old.Experiment != m.Experiment || old.Format != m.Format {
		return fmt.Errorf("%s holds records of %s; choose another --out", cellsDir, old.Experiment)
	}
	return nil
}

func render(exp Experiment, cfg any, seed uint64, profile, command string, store Store, dir string, output Output) (*result.Result, error) {
	res, err := Summarize(exp, cfg, seed, store)
	if err != nil {
		return nil, err
	}
	labelProfile(res, DatasetOf(cfg), profile)
	res.Command = command
	if err := output.Experiment(dir, res); err != nil {
		return nil, err
	}
	return res, nil
}

// PrintPlan lists the cells of each job, with the shard each belongs to out
// of shards, as tab-separated lines: ID, shard, seed, expected cost and the
// parameters as JSON.
func PrintPlan(w io.Writer, opts Options, jobs []Job, shards int) error {
	for _, job := range jobs {
		plan := Plan(opts.Experiment, job.Config, opts.Seed)
		assign := AssignShards(plan, shards)
		name := opts.Experiment.Name()
		if job.Label != "" {
			name += " " + job.Label
		}
		fmt.Fprintf(w, "# %s: %d cells, %s\n", name, len(plan), job.Command)
		fmt.Fprintln(w, "id\tshard\tseed\tcost\tparams")
		for _, c := range plan {
			params, err := jsonCompact(c.Params)
			if err != nil {
				return err
			}
			fmt.Fprintf(w, "%s\t%d/%d\t%d\t%.3g\t%s\n", c.ID, assign[c.ID], max(shards, 1), c.Seed, c.Cost, params)
		}
	}
	return nil
}

// MergedRun is one sweep found in the merge inputs.
type MergedRun struct {
	// Key is the sweep's folder relative to its input (e.g. "vanishing" or
	// "vanishing/lr=0.1"); the merged outputs go to Out/Key.
	Key      string
	Manifest Manifest
	Sources  []string // the cells folders holding its records
}

// FindRuns walks the input folders for sweeps (folders holding
// cells/manifest.json) and groups them by their path below the input.
// Manifests of the same sweep must agree.
func FindRuns(inputs []string) ([]*MergedRun, error) {
	byKey := map[string]*MergedRun{}
	for _, in := range inputs {
		st, err := os.Stat(in)
		if err != nil {
			return nil, fmt.Errorf("merge input %s: %w", in, err)
		}
		if !st.IsDir() {
			return nil, fmt.Errorf("merge input %s is not a folder", in)
		}
		err = filepath.WalkDir(in, func(path string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() || d.Name() != CellsDir {
				return nil
			}
			m, err := ReadManifest(path)
			if errors.Is(err, os.ErrNotExist) {
				return filepath.SkipDir
			}
			if err != nil {
				return err
			}
			rel, err := filepath.Rel(in, filepath.Dir(path))
			if err != nil {
				return err
			}
			if rel == "." {
				rel = m.Experiment
			}
			run, ok := byKey[rel]
			if !ok {
				run = &MergedRun{Key: rel, Manifest: m}
				byKey[rel] = run
			} else if !run.Manifest.SameSweep(m) {
				return fmt.Errorf("%s and %s hold different sweeps of %s (configuration, seed or version differ): they cannot be merged",
					run.Sources[0], path, rel)
			}
			run.Sources = append(run.Sources, path)
			return filepath.SkipDir
		})
		if err != nil {
			return nil, err
		}
	}
	if len(byKey) == 0 {
		return nil, fmt.Errorf("no sweep found in %s (looked for %s/manifest.json)", strings.Join(inputs, ", "), CellsDir)
	}
	keys := make([]string, 0, len(byKey))
	for k := range byKey {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	runs := make([]*MergedRun, len(keys))
	for i, k := range keys {
		runs[i] = byKey[k]
	}
	return runs, nil
}

// MergeError says what keeps a sweep from being merged: cells no input has
// a valid record of, and cells more than one input has.
type MergeError struct {
	Key        string
	Cells      int // cells in the sweep
	Missing    []string
	Duplicated map[string][]string // cell ID -> the folders holding it
}

// mergeErrorShown is how many cell IDs a MergeError names of each kind; the
// rest are counted.
const mergeErrorShown = 5

func (e *MergeError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s cannot be merged:", e.Key)
	if n := len(e.Missing); n > 0 {
		fmt.Fprintf(&b, "\n  %d of its %d cells have no valid record in any input (%s)", n, e.Cells, firstFew(e.Missing))
		b.WriteString("\n  a shard has not run, failed, or its folder is not among the inputs: run it (same command and seed) and merge again")
	}
	if n := len(e.Duplicated); n > 0 {
		ids := make([]string, 0, n)
		for id := range e.Duplicated {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		fmt.Fprintf(&b, "\n  %d cells have records in more than one input (%s; %s is in %s)", n, firstFew(ids), ids[0], strings.Join(e.Duplicated[ids[0]], " and "))
		b.WriteString("\n  each cell must come from exactly one shard: leave out the folder that overlaps the others")
	}
	return b.String()
}

// firstFew names the first IDs of a list and counts the rest.
func firstFew(ids []string) string {
	if len(ids) <= mergeErrorShown {
		return strings.Join(ids, ", ")
	}
	return fmt.Sprintf("first %d: %s, and %d more", mergeErrorShown, strings.Join(ids[:mergeErrorShown], ", "), len(ids)-mergeErrorShown)
}

// MergePlan is a sweep whose records have been found and checked, ready to
// be written.
type MergePlan struct {
	run     *MergedRun
	exp     Experiment
	cfg     any
	plan    []PlannedCell
	records *MemoryStore
}

// PrepareMerge reads each sweep's records from its sources and checks that
// every cell of the manifest is present exactly once, writing nothing. Its
// errors are the inputs' fault: a sweep made by another version of the
// experiment, or a *MergeError. lookup finds the experiment named in the
// manifest (the registry's Lookup).
func PrepareMerge(run *MergedRun, lookup func(name string) (Experiment, error)) (*MergePlan, error) {
	exp, err := lookup(run.Manifest.Experiment)
	if err != nil {
		return nil, err
	}
	if run.Manifest.Version != exp.Version() || run.Manifest.Format != RecordFormat {
		return nil, fmt.Errorf("%s was made by %s version %d (record format %d); this reluexp has version %d (format %d): rerun it",
			run.Key, exp.Name(), run.Manifest.Version, run.Manifest.Format, exp.Version(), RecordFormat)
	}
	cfg, err := ConfigFromManifest(exp, run.Manifest)
	if err != nil {
		return nil, err
	}
	plan := Plan(exp, cfg, run.Manifest.Seed)
	merged := NewMemoryStore()
	mergeErr := &MergeError{Key: run.Key, Cells: len(plan), Duplicated: map[string][]string{}}
	for _, c := range plan {
		var found []string
		for _, src := range run.Sources {
			rec, ok, err := LoadValid(exp, DirStore{Dir: src}, c)
			if err != nil {
				return nil, err
			}
			if ok {
				found = append(found, src)
				if len(found) == 1 {
					merged.Save(rec)
				}
			}
		}
		switch len(found) {
		case 0:
			mergeErr.Missing = append(mergeErr.Missing, c.ID)
		case 1:
		default:
			mergeErr.Duplicated[c.ID] = found
		}
	}
	if len(mergeErr.Missing) > 0 || len(mergeErr.Duplicated) > 0 {
		return nil, mergeErr
	}
	return &MergePlan{run: run, exp: exp, cfg: cfg, plan: plan, records: merged}, nil
}

// Write copies the records into out/Key (so that the merged folder can
// itself be resumed or merged) and renders the outputs as a single-machine
// run would.
func (p *MergePlan) Write(out string, output Output) (*result.Result, error) {
	dest := filepath.Join(out, p.run.Key)
	destCells := filepath.Join(dest, CellsDir)
	_, release, err := occupy(destCells, dest)
	if err != nil {
		return nil, err
	}
	defer release()
	store := DirStore{Dir: destCells}
	for _, c := range p.plan {
		rec, _, _ := p.records.Load(c.ID)
		if err := store.Save(rec); err != nil {
			return nil, err
		}
	}
	if err := WriteManifest(destCells, p.run.Manifest); err != nil {
		return nil, err
	}
	return render(p.exp, p.cfg, p.run.Manifest.Seed, p.run.Manifest.Profile, p.run.Manifest.Command, store, dest, output)
}

// Merge is PrepareMerge followed by Write.
func Merge(run *MergedRun, out string, lookup func(name string) (Experiment, error), output Output) (*result.Result, error) {
	p, err := PrepareMerge(run, lookup)
	if err != nil {
		return nil, err
	}
	return p.Write(out, output)
}

func jsonCompact(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}

// JobFromManifest is the job whose records are in dir/cells, configured and
// seeded as its manifest says: running it again reuses every valid record
// and computes only the cells without one, so it rebuilds the outputs of a
// folder whose derived files (summary.json, tables, figures) were lost or
// damaged. The manifest must be exp's, of this version and record format.
func JobFromManifest(exp Experiment, dir string) (Job, Manifest, error) {
	cellsDir := filepath.Join(dir, CellsDir)
	m, err := ReadManifest(cellsDir)
	if err != nil {
		return Job{}, m, err
	}
	if m.Experiment != exp.Name() || m.Version != exp.Version() || m.Format != RecordFormat {
		return Job{}, m, fmt.Errorf("%s describes %s version %d (record format %d), not %s version %d (format %d)",
			filepath.Join(cellsDir, "manifest.json"), m.Experiment, m.Version, m.Format, exp.Name(), exp.Version(), RecordFormat)
	}
	cfg, err := ConfigFromManifest(exp, m)
	if err != nil {
		return Job{}, m, err
	}
	if err := Validate(exp, cfg); err != nil {
		return Job{}, m, fmt.Errorf("the configuration in %s: %w", filepath.Join(cellsDir, "manifest.json"), err)
	}
	return Job{Config: cfg, Dir: dir, Command: m.Command}, m, nil
}
