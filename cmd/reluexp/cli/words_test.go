package cli

// The command line keeps its word: what the README and the help say a
// flag does is what it does.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/reluexp/reluexp/experiments"
	"github.com/reluexp/reluexp/experiments/harness"
	"github.com/reluexp/reluexp/model"
)

// tinyVanishing is a vanishing run of three cells (one net, one depth,
// three seeds) at initialisation only: seconds.
var tinyVanishing = []string{"--quick", "--depths", "2", "--variant", "relu", "--inits", "he-normal", "--train-depths="}

var cellsRun = regexp.MustCompile(`\((\d+) cells run, (\d+) reused`)

// ranReused reads "(N cells run, M reused" from a command's output.
func ranReused(t *testing.T, out string) (ran, reused int) {
	t.Helper()
	m := cellsRun.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no cell counts in %q", out)
	}
	ran, _ = strconv.Atoi(m[1])
	reused, _ = strconv.Atoi(m[2])
	return ran, reused
}

// --rerun computes every cell again; without it a run reuses the records.
func TestRunRerunRecomputesEveryCell(t *testing.T) {
	out := t.TempDir()
	args := append(append([]string{"run", "vanishing"}, tinyVanishing...), "--out", out, "--quiet")
	for _, step := range []struct {
		extra       []string
		ran, reused int
	}{
		{nil, 3, 0},
		{nil, 0, 3}, // resume: nothing left to do
		{[]string{"--rerun"}, 3, 0},
		{[]string{"--force"}, 3, 0}, // the older name
		{nil, 0, 3},
	} {
		code, stdout, stderr := runCLI(t, append(args, step.extra...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", step.extra, code, stderr)
		}
		if ran, reused := ranReused(t, stdout); ran != step.ran || reused != step.reused {
			t.Errorf("%v: %d cells run, %d reused; want %d and %d", step.extra, ran, reused, step.ran, step.reused)
		}
	}
}

// report and run all, narrowed to the tiny vanishing run.
func tinyReport(t *testing.T, out string, rerun bool) (stdout, stderr string) {
	t.Helper()
	var o, e bytes.Buffer
	exp, _ := experiments.Lookup("vanishing")
	var settings []harness.Setting
	for _, raw := range []string{"depths=2", "variant=relu", "inits=he-normal", "train-depths="} {
		s, err := harness.ParseSetting(raw)
		if err != nil {
			t.Fatal(err)
		}
		settings = append(settings, s)
	}
	opts := &allOptions{Out: out, Seed: 1, Workers: 2, Quick: true, OnlyMissing: !rerun, Rerun: rerun, Stdout: &o, Stderr: &e,
		experiments: []harness.Experiment{exp}, settings: settings}
	if err := runEverything(context.Background(), opts); err != nil {
		t.Fatalf("report: %v\n%s", err, e.String())
	}
	return o.String(), e.String()
}

// `report --rerun` recomputes every cell; `report` alone takes finished
// experiments as they are.
func TestReportRerunRecomputesAndReportResumes(t *testing.T) {
	out := t.TempDir()
	_, stderr := tinyReport(t, out, false)
	if ran, reused := ranReused(t, stderr); ran != 3 || reused != 0 {
		t.Errorf("first report: %d run, %d reused", ran, reused)
	}
	if !strings.Contains(stderr, "BLAS backend: "+model.BLASBackend()) {
		t.Errorf("report does not name the backend: %q", stderr)
	}
	_, stderr = tinyReport(t, out, false)
	if strings.Contains(stderr, "vanishing: done") {
		t.Errorf("report reran a finished experiment: %q", stderr)
	}
	_, stderr = tinyReport(t, out, true)
	if ran, reused := ranReused(t, stderr); ran != 3 || reused != 0 {
		t.Errorf("report --rerun: %d cells run, %d reused; want every cell run", ran, reused)
	}
	if _, err := os.Stat(filepath.Join(out, "REPORT.md")); err != nil {
		t.Error(err)
	}
}

// A summary.json that cannot be read is derived data: report rebuilds it
// from the cell records, with the configuration recorded beside them, and
// computes only cells whose record is missing or damaged. A rebuild that
// computed nothing keeps the timing of the run that did.
func TestReportRebuildsACorruptSummaryFromTheRecords(t *testing.T) {
	out := t.TempDir()
	tinyReport(t, out, false)
	dir := filepath.Join(out, "vanishing")
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	summary, timing := read("summary.json"), read("timing.txt")
	for _, damage := range []struct {
		name        string
		summary     []byte
		dropRecord  bool
		ran, reused int
	}{
		{"truncated", summary[:len(summary)/2], false, 0, 3},
		{"not JSON", []byte("\x00\x01garbage"), false, 0, 3},
		{"truncated, a record lost", summary[:10], true, 1, 2},
	} {
		if err := os.WriteFile(filepath.Join(dir, "summary.json"), damage.summary, 0o644); err != nil {
			t.Fatal(err)
		}
		if damage.dropRecord {
			entries, _ := os.ReadDir(filepath.Join(dir, harness.CellsDir))
			for _, e := range entries {
				if strings.HasSuffix(e.Name(), ".json") && e.Name() != "manifest.json" {
					os.Remove(filepath.Join(dir, harness.CellsDir, e.Name()))
					break
				}
			}
		}
		_, stderr := tinyReport(t, out, false)
		if !strings.Contains(stderr, "rebuilding its summary from the cell records") {
			t.Errorf("%s: stderr %q does not say the summary is rebuilt", damage.name, stderr)
		}
		if ran, reused := ranReused(t, stderr); ran != damage.ran || reused != damage.reused {
			t.Errorf("%s: %d cells run, %d reused; want %d and %d", damage.name, ran, reused, damage.ran, damage.reused)
		}
		if !bytes.Equal(read("summary.json"), summary) {
			t.Errorf("%s: the rebuilt summary.json differs from the original", damage.name)
		}
		if damage.ran == 0 && !bytes.Equal(read("timing.txt"), timing) {
			t.Errorf("%s: a rebuild that computed nothing rewrote timing.txt", damage.name)
		}
	}
}

// Merging shards that lack cells is bad input: exit 2, a count and the
// first few cell IDs, and nothing written, not even the complete sweeps.
func TestMergeOfIncompleteShardsIsBadInput(t *testing.T) {
	root := t.TempDir()
	base := []string{"run", "vanishing", "--quick", "--depths", "2", "--variant", "relu,tanh,elu", "--inits", "he-normal,xavier-normal", "--train-depths=", "--quiet"}
	var shards []string
	for i := 1; i <= 3; i++ {
		dir := filepath.Join(root, fmt.Sprintf("shard-%d", i))
		if code, _, stderr := runCLI(t, append(base, "--shard", fmt.Sprintf("%d/3", i), "--out", dir)...); code != 0 {
			t.Fatalf("shard %d: %s", i, stderr)
		}
		shards = append(shards, dir)
	}
	complete := filepath.Join(root, "complete")
	if code, _, stderr := runCLI(t, append(append([]string{"run", "vanishing"}, tinyVanishing...), "--set", "batch=8,16", "--out", complete, "--quiet")...); code != 0 {
		t.Fatal(stderr)
	}
	out := filepath.Join(root, "merged")
	code, stdout, stderr := runCLI(t, "merge", "--out", out, complete, shards[0], shards[1])
	if code != exitUsage {
		t.Errorf("exit %d, want %d", code, exitUsage)
	}
	for _, w := range []string{"vanishing cannot be merged", "6 of its 18 cells have no valid record", "first 5: ", ", and 1 more", "nothing was written", "see: reluexp merge --help"} {
		if !strings.Contains(stderr, w) {
			t.Errorf("stderr %q lacks %q", stderr, w)
		}
	}
	if stdout != "" {
		t.Errorf("printed results: %q", stdout)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Error("an incomplete merge wrote", out)
	}
	if code, _, stderr := runCLI(t, append([]string{"merge", "--out", out, complete}, shards...)...); code != 0 {
		t.Errorf("the complete merge: exit %d, %s", code, stderr)
	}
}

// Each configuration of a --set sweep prints tables that name it, and the
// cells the swept setting does not reach are pointed out.
func TestSweepTablesNameTheirConfiguration(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := runCLI(t, "run", "vanishing", "--quick", "--depths", "2", "--variant", "relu", "--inits", "he-normal",
		"--train-depths", "2", "--train-nets", "relu/he-normal", "--train-examples", "100", "--test-examples", "100",
		"--set", "width=8,16", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	// Tables are printed as a blank line, the title, then the table.
	titles := regexp.MustCompile(`\n\n([^\n]+)\n[┌+|]`).FindAllStringSubmatch(stdout, -1)
	if len(titles) < 4 {
		t.Fatalf("found %d table titles in %q", len(titles), stdout)
	}
	var labels []string
	for _, m := range titles {
		l := regexp.MustCompile(`\[(width=\d+)\]$`).FindStringSubmatch(m[1])
		if l == nil {
			t.Errorf("table %q does not name its configuration", m[1])
			continue
		}
		labels = append(labels, l[1])
	}
	half := len(labels) / 2
	for i, l := range labels {
		if want := map[bool]string{true: "width=8", false: "width=16"}[i < half]; l != want {
			t.Errorf("table %d is labelled %s, want %s: %v", i, l, want, labels)
		}
	}
	if i8, i16 := strings.Index(stdout, "=== vanishing, configuration width=8"), strings.Index(stdout, "=== vanishing, configuration width=16"); i8 < 0 || i16 < i8 {
		t.Errorf("configuration headers missing or out of order")
	}
	if !strings.Contains(stderr, "are the same in all 2 configurations: --width does not reach them") {
		t.Errorf("stderr %q does not point out the training cells --width leaves alone", stderr)
	}
}

func TestBackendNotice(t *testing.T) {
	for _, tc := range []struct {
		backend, lib string
		want, not    []string
	}{
		{"OpenBLAS (cgo, gonum.org/v1/netlib)", "", []string{"BLAS backend: OpenBLAS"}, []string{"apt-get", "faster"}},
		{"gonum (pure Go)", "", []string{"BLAS backend: gonum (pure Go)", "several times faster", "apt-get install libopenblas-dev", "make build", "-tags openblas"}, []string{"installed ("}},
		{"gonum (pure Go)", "/usr/lib/x86_64-linux-gnu/libopenblas.so", []string{"installed (/usr/lib/x86_64-linux-gnu/libopenblas.so)", "built without it", "-tags openblas"}, []string{"apt-get"}},
	} {
		got := backendNotice(tc.backend, tc.lib)
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("notice %q lacks %q", got, w)
			}
		}
		for _, w := range tc.not {
			if strings.Contains(got, w) {
				t.Errorf("notice %q should not say %q", got, w)
			}
		}
	}
	code, _, stderr := runCLI(t, append(append([]string{"run", "vanishing"}, tinyVanishing...), "--out", t.TempDir())...)
	if code != 0 || !strings.HasPrefix(stderr, "BLAS backend: "+model.BLASBackend()) {
		t.Errorf("run does not start by naming the backend: exit %d, %q", code, stderr)
	}
}

// Every list setting whose help promises that an empty list means something
// accepts one, as a flag and with --set; every other list setting refuses it
// with a clear error.
func TestEmptyListsWherePromised(t *testing.T) {
	promised := 0
	for _, exp := range experiments.All() {
		for _, fd := range harness.Fields(exp.NewConfig(true)) {
			if !strings.HasSuffix(fd.Type, "s") {
				continue
			}
			for _, arg := range [][]string{{"--" + fd.Name + "="}, {"--set", fd.Name + "="}} {
				args := append([]string{"run", exp.Name(), "--quick", "--list", "--out", t.TempDir()}, arg...)
				code, stdout, stderr := runCLI(t, args...)
				switch {
				case fd.EmptyOK && code != 0:
					t.Errorf("%s %v: help says %q, yet exit %d: %s", exp.Name(), arg, fd.Help, code, stderr)
				case !fd.EmptyOK && (code != exitUsage || !strings.Contains(stderr, "needs at least one value")):
					t.Errorf("%s %v: exit %d, %q; want 2 and that it needs a value", exp.Name(), arg, code, stderr)
				}
				if fd.EmptyOK && exp.Name() == "vanishing" && fd.Name == "train-depths" && strings.Contains(stdout, "\ntrain/") {
					t.Errorf("vanishing %v still lists training cells", arg)
				}
			}
			if fd.EmptyOK {
				promised++
			}
		}
	}
	if promised == 0 {
		t.Error("no setting promises an empty list: the test checks nothing")
	}
}

// A killed run leaves temporary files; the next run removes them, and only
// them.
func TestLeftoverTemporaryFilesAreRemovedByTheNextRun(t *testing.T) {
	out := t.TempDir()
	args := append(append([]string{"run", "vanishing"}, tinyVanishing...), "--out", out)
	if code, _, stderr := runCLI(t, append(args, "--quiet")...); code != 0 {
		t.Fatal(stderr)
	}
	dir := filepath.Join(out, "vanishing")
	left := []string{filepath.Join(dir, harness.CellsDir, ".grad_relu.00c0ffee.json.tmp-2718281828"), filepath.Join(dir, ".summary.json.tmp-31415")}
	kept := []string{filepath.Join(dir, harness.CellsDir, "notes.tmp-1"), filepath.Join(dir, "my.summary.json.tmp-1.txt")}
	for _, p := range append(left, kept...) {
		if err := os.WriteFile(p, []byte("{half"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code, _, stderr := runCLI(t, args...)
	if code != 0 || !strings.Contains(stderr, "removed 2 temporary file(s) an interrupted run had left") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	for _, p := range left {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s is still there", p)
		}
	}
	for _, p := range kept {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s, not the harness's, was removed", p)
		}
	}
}

// The README's table of where --variant and --seeds apply is the one the
// code makes.
func TestREADMEFlagTableIsTheCodes(t *testing.T) {
	readme, err := os.ReadFile("../../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if want := flagScopeTable(); !strings.Contains(string(readme), want) {
		t.Errorf("README.md lacks the table of where the shared settings apply; it should read:\n%s", want)
	}
}

// The scope table covers every experiment, says "no such setting" exactly
// where the experiment lacks it, and each part it says a setting does not
// reach is left unchanged by changing the setting, while the parts it
// reaches do change.
func TestSharedSettingScopesMatchTheCells(t *testing.T) {
	for _, name := range sharedSettings {
		for _, exp := range experiments.All() {
			s, ok := scopes[name][exp.Name()]
			if !ok {
				t.Errorf("no scope for --%s in %s", name, exp.Name())
				continue
			}
			if has := hasSetting(exp, name); has == (s.Absent != "") {
				t.Errorf("%s: has --%s: %v, but the table says %q", exp.Name(), name, has, s.describe(plain))
			}
			if s.Absent != "" {
				for _, f := range regexp.MustCompile(`--[a-z-]+`).FindAllString(s.Absent, -1) {
					if !hasSetting(exp, strings.TrimPrefix(f, "--")) {
						t.Errorf("%s: the table points to %s, which it lacks", exp.Name(), f)
					}
				}
				continue
			}
			for _, e := range s.Elsewhere {
				for _, f := range strings.Split(e.Use, ", ") {
					if !hasSetting(exp, strings.TrimPrefix(f, "--")) {
						t.Errorf("%s: the table points to %s, which it lacks", exp.Name(), f)
					}
				}
			}
			for _, quick := range []bool{true, false} {
				checkScope(t, exp, name, s, quick)
			}
		}
	}
}

func checkScope(t *testing.T, exp harness.Experiment, name string, s scope, quick bool) {
	t.Helper()
	cfg := exp.NewConfig(quick)
	before := cellsByGroup(exp, cfg)
	value, _ := harness.FieldValue(cfg, name)
	changed := exp.NewConfig(quick)
	switch name {
	case "seeds":
		n, _ := strconv.Atoi(value)
		harness.SetField(changed, "seeds", strconv.Itoa(n+1))
	case "variant":
		// Drop one activation, the last that leaves a valid configuration.
		vs := strings.Split(value, ",")
		ok := false
		for i := len(vs) - 1; i >= 0 && len(vs) > 1 && !ok; i-- {
			changed = exp.NewConfig(quick)
			harness.SetField(changed, "variant", strings.Join(slices.Delete(slices.Clone(vs), i, i+1), ","))
			ok = harness.Validate(exp, changed) == nil
		}
		if !ok {
			t.Fatalf("%s (quick %v): no smaller valid --variant than %s", exp.Name(), quick, value)
		}
	}
	if err := harness.Validate(exp, changed); err != nil {
		t.Fatalf("%s: %v", exp.Name(), err)
	}
	after := cellsByGroup(exp, changed)
	elsewhere := map[string]bool{}
	for _, e := range s.Elsewhere {
		group := strings.TrimSuffix(e.Cells, "/")
		elsewhere[group] = true
		if len(before[group]) == 0 && !quick {
			t.Errorf("%s has no %s cells in its full configuration", exp.Name(), e.Cells)
		}
		if !slices.Equal(before[group], after[group]) {
			t.Errorf("%s (quick %v): --%s changes the %s cells (%s), which the table says it does not reach", exp.Name(), quick, name, e.Cells, e.Part)
		}
	}
	anyChange := false
	for group, cells := range before {
		same := slices.Equal(cells, after[group])
		anyChange = anyChange || !same
		// One more seed adds cells to every part the setting reaches.
		if name == "seeds" && !elsewhere[group] && same {
			t.Errorf("%s (quick %v): --seeds leaves the %s/ cells alone, but the table says it reaches %s", exp.Name(), quick, group, s.describe(plain))
		}
	}
	if !anyChange {
		t.Errorf("%s (quick %v): changing --%s changes no cell", exp.Name(), quick, name)
	}
}

// cellsByGroup lists a configuration's cells (ID, seed and parameters) by
// the first part of their ID.
func cellsByGroup(exp harness.Experiment, cfg any) map[string][]string {
	out := map[string][]string{}
	for _, c := range harness.Plan(exp, cfg, 1) {
		group, _, _ := strings.Cut(c.ID, "/")
		params, _ := json.Marshal(c.Params)
		out[group] = append(out[group], fmt.Sprintf("%s %d %s", c.ID, c.Seed, params))
	}
	for _, cells := range out {
		slices.Sort(cells)
	}
	return out
}

// The shared settings' help says where they apply; a flag an experiment
// lacks is an error that says what to use and lists what it takes.
func TestSharedSettingsHelpAndAbsentFlags(t *testing.T) {
	_, stdout, _ := runCLI(t, "run", "vanishing", "--help")
	for _, w := range []string{"(applies to the gradients at initialisation only; for the MNIST training, use --train-nets)",
		"(applies to the gradients at initialisation only; for the MNIST training, use --train-seeds)"} {
		if !strings.Contains(stdout, w) {
			t.Errorf("vanishing --help lacks %q", w)
		}
	}
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"run", "twosided", "--variant", "leaky"}, []string{"unknown flag: --variant: twosided has no --variant; its nets are chosen with --nets",
			"twosided's settings: --nets, --width,", "flags every experiment takes: --out, --seed,", "--rerun", "see: reluexp run twosided --help"}},
		{[]string{"run", "zerocentered", "--variant", "relu"}, []string{"zerocentered has no --variant", "--sign-arms", "--pairs"}},
		{[]string{"run", "vanishing", "--widht", "3"}, []string{"unknown flag: --widht; did you mean --width?", "vanishing's settings: --variant,"}},
		{[]string{"run", "--quick", "vanishing"}, []string{"unknown flag: --quick", "reluexp run takes no flags of its own: they go after what it runs (reluexp run NAME --quick)"}},
		{[]string{"report", "--rerunn"}, []string{"did you mean --rerun?", "reluexp report takes: ", "--verify", "see: reluexp report --help"}},
	} {
		code, _, stderr := runCLI(t, tc.args...)
		if code != exitUsage {
			t.Errorf("%v: exit %d", tc.args, code)
		}
		for _, w := range tc.want {
			if !strings.Contains(stderr, w) {
				t.Errorf("%v: stderr %q lacks %q", tc.args, stderr, w)
			}
		}
	}
}

// hasSetting reports whether exp's configuration has the setting name.
func hasSetting(exp harness.Experiment, name string) bool {
	_, ok := harness.FieldValue(exp.NewConfig(false), name)
	return ok
}
