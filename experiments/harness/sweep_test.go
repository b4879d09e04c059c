package harness_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/reluexp/reluexp/experiments"
	"github.com/reluexp/reluexp/experiments/harness"
	"github.com/reluexp/reluexp/report"
)

// output writes results as the command line does.
var output = harness.Output{Experiment: report.WriteExperiment, Timing: report.WriteTiming}

// A small vanishing sweep (both of its cell kinds, MNIST included) is
// the test bed.
func testOptions(t *testing.T, out string) harness.Options {
	t.Helper()
	exp, err := experiments.Lookup("vanishing")
	if err != nil {
		t.Fatal(err)
	}
	set := func(name, value string) harness.Setting {
		return harness.Setting{Name: name, Values: []string{value}}
	}
	return harness.Options{Experiment: exp, Quick: true, Out: out, Seed: 5, Workers: 2, Env: &harness.Env{},
		Settings: []harness.Setting{set("depths", "2,6"), set("variant", "relu,sigmoid"), set("train-depths", "2"),
			set("train-examples", "200"), set("test-examples", "200"), set("train-nets", "relu/he-normal")},
		Output: output}
}

func runAll(t *testing.T, opts harness.Options) []harness.Outcome {
	t.Helper()
	jobs, err := harness.Jobs(opts)
	if err != nil {
		t.Fatal(err)
	}
	outs, err := harness.Sweep(context.Background(), opts, jobs)
	if err != nil {
		t.Fatal(err)
	}
	return outs
}

// outputs reads every rendered file of a results folder (not the records
// or timing.txt, which hold wall times).
func outputs(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() || e.Name() == report.TimingFile {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		files[e.Name()] = b
	}
	if len(files) == 0 {
		t.Fatalf("no outputs in %s", dir)
	}
	return files
}

func sameOutputs(t *testing.T, what string, a, b map[string][]byte) {
	t.Helper()
	var names []string
	for n := range a {
		names = append(names, n)
	}
	sort.Strings(names)
	if len(a) != len(b) {
		t.Errorf("%s: %d files against %d", what, len(a), len(b))
	}
	for _, n := range names {
		if !bytes.Equal(a[n], b[n]) {
			t.Errorf("%s: %s differs", what, n)
		}
	}
}

// The sweep run whole, run as 3 shards and merged, and run with one worker
// give byte-identical CSV, JSON, Markdown and PNG files.
func TestShardedMergeEqualsWholeRun(t *testing.T) {
	root := t.TempDir()
	whole := testOptions(t, filepath.Join(root, "whole"))
	runAll(t, whole)
	want := outputs(t, filepath.Join(root, "whole", "vanishing"))

	var shardDirs []string
	for i := 1; i <= 3; i++ {
		opts := testOptions(t, filepath.Join(root, "shard", string(rune('0'+i))))
		opts.Shard = harness.Shard{Index: i, Count: 3}
		outs := runAll(t, opts)
		if outs[0].Result != nil {
			t.Errorf("shard %d rendered outputs from a partial sweep", i)
		}
		shardDirs = append(shardDirs, opts.Out)
	}
	runs, err := harness.FindRuns(shardDirs)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 1 || len(runs[0].Sources) != 3 {
		t.Fatalf("found %d sweeps, want 1 with 3 sources", len(runs))
	}
	merged := filepath.Join(root, "merged")
	if _, err := harness.Merge(runs[0], merged, experiments.Lookup, output); err != nil {
		t.Fatal(err)
	}
	sameOutputs(t, "merged vs whole", outputs(t, filepath.Join(merged, "vanishing")), want)

	one := testOptions(t, filepath.Join(root, "one-worker"))
	one.Workers = 1
	runAll(t, one)
	sameOutputs(t, "--workers 1 vs 2", outputs(t, filepath.Join(root, "one-worker", "vanishing")), want)

	// Two shards alone are missing cells, listed by ID.
	runs, _ = harness.FindRuns(shardDirs[:2])
	_, err = harness.Merge(runs[0], filepath.Join(root, "partial"), experiments.Lookup, output)
	var me *harness.MergeError
	if !errors.As(err, &me) || len(me.Missing) == 0 {
		t.Errorf("merging 2 of 3 shards: %v, want the missing cells", err)
	}
	// The whole run and a shard overlap: duplicates are refused.
	runs, _ = harness.FindRuns([]string{whole.Out, shardDirs[0]})
	if _, err := harness.Merge(runs[0], filepath.Join(root, "dup"), experiments.Lookup, output); !errors.As(err, &me) || len(me.Duplicated) == 0 {
		t.Errorf("merging overlapping folders: %v, want duplicates reported", err)
	}
}

// A sweep cancelled half-way keeps its finished cells; the rerun runs only
// the missing ones and renders exactly what an uninterrupted run does.
func TestInterruptedSweepResumes(t *testing.T) {
	root := t.TempDir()
	ref := testOptions(t, filepath.Join(root, "ref"))
	runAll(t, ref)
	want := outputs(t, filepath.Join(root, "ref", "vanishing"))

	opts := testOptions(t, filepath.Join(root, "cut"))
	opts.Workers = 1
	jobs, err := harness.Jobs(opts)
	if err != nil {
		t.Fatal(err)
	}
	total := len(harness.Plan(opts.Experiment, jobs[0].Config, opts.Seed))
	ctx, cancel := context.WithCancel(context.Background())
	var finished atomic.Int32
	opts.Progress = func(_ string, p harness.Progress) {
		if finished.Add(1) == int32(total/2) {
			cancel()
		}
	}
	outs, err := harness.Sweep(ctx, opts, jobs)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted run returned %v", err)
	}
	ranFirst := outs[0].Report.Ran
	if ranFirst < total/2 || ranFirst >= total {
		t.Fatalf("interrupted run finished %d of %d cells", ranFirst, total)
	}
	if _, err := os.Stat(filepath.Join(root, "cut", "vanishing", "summary.json")); !os.IsNotExist(err) {
		t.Error("an interrupted run wrote a summary")
	}
	opts.Progress = nil
	outs, err = harness.Sweep(context.Background(), opts, jobs)
	if err != nil {
		t.Fatal(err)
	}
	if rep := outs[0].Report; rep.Reused != ranFirst || rep.Ran != total-ranFirst {
		t.Errorf("resume reused %d and ran %d; want %d and %d", rep.Reused, rep.Ran, ranFirst, total-ranFirst)
	}
	sameOutputs(t, "resumed vs uninterrupted", outputs(t, filepath.Join(root, "cut", "vanishing")), want)
}

// Several values of a one-value setting make one configuration each, in
// its own folder; a list setting takes its list whole.
func TestSetExpandsScalarsIntoConfigurations(t *testing.T) {
	opts := testOptions(t, "/nowhere")
	opts.Settings = append(withoutSetting(opts.Settings, "depths"),
		harness.Setting{Name: "width", Values: []string{"8", "16"}},
		harness.Setting{Name: "batch", Values: []string{"4", "8"}},
		harness.Setting{Name: "depths", Values: []string{"2", "3"}})
	jobs, err := harness.Jobs(opts)
	if err != nil {
		t.Fatal(err)
	}
	var labels []string
	for _, j := range jobs {
		labels = append(labels, j.Label)
	}
	if got := strings.Join(labels, " "); got != "width=8,batch=4 width=8,batch=8 width=16,batch=4 width=16,batch=8" {
		t.Errorf("labels %q", got)
	}
	if jobs[3].Dir != filepath.Join("/nowhere", "vanishing", "width=16,batch=8") {
		t.Errorf("dir %s", jobs[3].Dir)
	}
	if !strings.Contains(jobs[3].Command, "--depths=2,3 --width=16 --batch=8") {
		t.Errorf("command %q does not reproduce the configuration", jobs[3].Command)
	}
	for _, bad := range []struct {
		s    harness.Setting
		want string
	}{
		{harness.Setting{Name: "lr", Values: []string{"abc"}}, "not a number"},
		{harness.Setting{Name: "rate", Values: []string{"1"}}, "unknown setting \"rate\" (valid: variant, inits"},
		{harness.Setting{Name: "width", Values: []string{"0"}}, "must be positive"},
	} {
		o := testOptions(t, "/nowhere")
		o.Settings = append(o.Settings, bad.s)
		if _, err := harness.Jobs(o); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("--set %s=%v: error %v, want %q", bad.s.Name, bad.s.Values, err, bad.want)
		}
	}
}

func withoutSetting(settings []harness.Setting, name string) []harness.Setting {
	var out []harness.Setting
	for _, s := range settings {
		if s.Name != name {
			out = append(out, s)
		}
	}
	return out
}

// A setting given twice is refused with both places named, whichever way
// it was given; an empty value is an empty list, accepted only by a list
// setting whose help promises one.
func TestExpandRefusesTwiceGivenSettingsAndUnpromisedEmptyLists(t *testing.T) {
	exp, _ := experiments.Lookup("vanishing")
	flag := func(name, v string) harness.Setting {
		return harness.Setting{Name: name, Values: []string{v}, Source: "--" + name + "=" + v}
	}
	set := func(raw string) harness.Setting {
		s, err := harness.ParseSetting(raw)
		if err != nil {
			t.Fatalf("ParseSetting(%q): %v", raw, err)
		}
		return s
	}
	for _, tc := range []struct {
		name     string
		settings []harness.Setting
		want     []string // "" means accepted
	}{
		{"flag then --set", []harness.Setting{flag("width", "32"), set("width=16")}, []string{"width is given twice", "--width=32", "--set width=16"}},
		{"--set twice", []harness.Setting{set("width=16"), set("width=32,64")}, []string{"--set width=16", "--set width=32,64"}},
		{"a list twice", []harness.Setting{set("depths=2"), flag("depths", "3")}, []string{"depths is given twice"}},
		{"two settings once each", []harness.Setting{flag("width", "32"), set("batch=16")}, nil},
		{"empty list promised", []harness.Setting{set("train-depths=")}, nil},
		{"empty list not promised", []harness.Setting{set("depths=")}, []string{"--set depths=", "needs at least one value"}},
		{"empty scalar", []harness.Setting{set("width=")}, []string{"--set width=", "needs at least one value"}},
	} {
		confs, err := harness.Expand(exp, true, "", tc.settings)
		if tc.want == nil {
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
			}
			continue
		}
		if err == nil {
			t.Errorf("%s: accepted, %d configurations", tc.name, len(confs))
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q lacks %q", tc.name, err, w)
			}
		}
	}
	confs, err := harness.Expand(exp, true, "", []harness.Setting{set("train-depths=")})
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := harness.FieldValue(confs[0].Config, "train-depths"); v != "" {
		t.Errorf("train-depths= gave %q, want the empty list", v)
	}
	for _, c := range harness.Plan(exp, confs[0].Config, 1) {
		if strings.HasPrefix(c.ID, "train/") {
			t.Fatalf("an empty train-depths still trains: %s", c.ID)
		}
	}
}

// A merge error names how many cells are missing or doubled and the first
// few of them, not all of them.
func TestMergeErrorSummarisesTheCells(t *testing.T) {
	var missing []string
	for i := range 12 {
		missing = append(missing, fmt.Sprintf("cell/%02d", i))
	}
	e := &harness.MergeError{Key: "vanishing", Cells: 40, Missing: missing,
		Duplicated: map[string][]string{"cell/b": {"x/cells", "y/cells"}, "cell/a": {"x/cells", "z/cells"}}}
	msg := e.Error()
	for _, w := range []string{"12 of its 40 cells have no valid record", "first 5: cell/00, cell/01, cell/02, cell/03, cell/04, and 7 more",
		"2 cells have records in more than one input (cell/a, cell/b; cell/a is in x/cells and z/cells)"} {
		if !strings.Contains(msg, w) {
			t.Errorf("%q lacks %q", msg, w)
		}
	}
	if strings.Contains(msg, "cell/05") {
		t.Errorf("%q lists more than the first few cells", msg)
	}
}

// A corrupt or lost output is rebuilt from the records by the job the
// manifest describes: every cell reused, the same bytes written.
func TestJobFromManifestRebuildsTheOutputs(t *testing.T) {
	root := t.TempDir()
	opts := testOptions(t, root)
	outs := runAll(t, opts)
	dir := outs[0].Job.Dir
	want := outputs(t, dir)
	if err := os.WriteFile(filepath.Join(dir, "summary.json"), []byte(`{"experiment": "vanish`), 0o644); err != nil {
		t.Fatal(err)
	}
	job, m, err := harness.JobFromManifest(opts.Experiment, dir)
	if err != nil {
		t.Fatal(err)
	}
	// The manifest, not the caller, says how the sweep was configured.
	rebuild := harness.Options{Experiment: opts.Experiment, Quick: m.Quick, Out: root, Seed: m.Seed, Workers: 1, Env: &harness.Env{}, Output: output}
	got, err := harness.Sweep(context.Background(), rebuild, []harness.Job{job})
	if err != nil {
		t.Fatal(err)
	}
	if r := got[0].Report; r.Ran != 0 || r.Reused != outs[0].Report.Ran {
		t.Errorf("rebuild ran %d and reused %d cells; want 0 and %d", r.Ran, r.Reused, outs[0].Report.Ran)
	}
	sameOutputs(t, "rebuilt vs first", outputs(t, dir), want)

	other, _ := experiments.Lookup("dying")
	if _, _, err := harness.JobFromManifest(other, dir); err == nil || !strings.Contains(err.Error(), "not dying") {
		t.Errorf("another experiment's manifest: %v", err)
	}
}
