package cli

import (
	"bytes"
	"compress/gzip"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reluexp/reluexp/data"
	"github.com/reluexp/reluexp/experiments"
)

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = execute(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

// Bad input: a clear message naming the problem and the valid choices, exit
// status 2, and nothing written.
func TestBadInputIsRejectedBeforeAnythingIsWritten(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "a-file")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	cases := []struct {
		name string
		args []string
		want []string
	}{
		{"unknown experiment", []string{"run", "vanishingg"}, []string{`unknown experiment "vanishingg"`, "valid: ", "vanishing"}},
		{"no experiment", []string{"run"}, []string{"needs an experiment name", "valid: ", "vanishing"}},
		{"unknown variant", []string{"run", "vanishing", "--quick", "--variant", "relu,relu6"}, []string{`unknown variant "relu6"`, "valid: relu, leaky"}},
		{"depth 0", []string{"run", "vanishing", "--quick", "--depths", "0"}, []string{"depths must be positive"}},
		{"negative seed count", []string{"run", "vanishing", "--quick", "--seeds", "-1"}, []string{"seeds", "must be positive"}},
		{"malformed number", []string{"run", "vanishing", "--lr", "abc"}, []string{`"abc"`, "not a number"}},
		{"malformed list", []string{"run", "vanishing", "--depths", "2,,5"}, []string{"empty item 2"}},
		{"negative seed", []string{"run", "vanishing", "--seed", "-3"}, []string{"invalid argument", "--seed"}},
		{"unknown flag", []string{"run", "vanishing", "--widht", "3"}, []string{"unknown flag: --widht"}},
		{"out is a file", []string{"run", "vanishing", "--quick", "--out", file}, []string{"is a file, not a folder"}},
		{"out under a file", []string{"run", "vanishing", "--quick", "--out", filepath.Join(file, "sub")}, []string{"is a file, not a folder"}},
		{"data dir without MNIST", []string{"run", "vanishing", "--quick", "--data-dir", dir, "--out", out}, []string{dir}},
		{"negative workers", []string{"run", "vanishing", "--quick", "--workers", "-2", "--out", out}, []string{"--workers -2"}},
		{"unknown command", []string{"rnu"}, []string{`unknown command "rnu"`}},
		{"set malformed number", []string{"run", "vanishing", "--quick", "--set", "lr=abc", "--out", out}, []string{`--lr="abc"`, "not a number"}},
		{"set unknown key", []string{"run", "vanishing", "--quick", "--set", "rate=1", "--out", out}, []string{`unknown setting "rate"`, "valid: variant, inits"}},
		{"set without value", []string{"run", "vanishing", "--quick", "--set", "lr=", "--out", out}, []string{"no value"}},
		{"shard past the count", []string{"run", "vanishing", "--quick", "--shard", "4/3", "--out", out}, []string{"--shard \"4/3\"", "between 1 and 3"}},
		{"shard zero", []string{"run", "vanishing", "--quick", "--shard", "0/3", "--out", out}, []string{"numbered from 1"}},
		{"shard count without index", []string{"run", "vanishing", "--quick", "--shard-count", "3", "--out", out}, []string{"no shard index"}},
		{"merge nothing", []string{"merge"}, []string{"at least one shard folder"}},
		{"unknown init", []string{"run", "vanishing", "--quick", "--inits", "kaiming", "--out", out}, []string{`unknown init "kaiming"`, "valid: xavier-uniform, xavier-normal, he-uniform"}},
		{"unknown optimiser", []string{"run", "vanishing", "--quick", "--optimizer", "adagrad", "--out", out}, []string{`unknown optimizer "adagrad"`, "valid: sgd, momentum, adam"}},
		{"learning rate 0", []string{"run", "vanishing", "--quick", "--lr", "0", "--out", out}, []string{"learning rate 0 must be a positive number"}},
		{"negative learning rate", []string{"run", "exploding", "--quick", "--lr", "-1", "--out", out}, []string{"learning rate", "positive"}},
		{"width 0", []string{"run", "vanishing", "--quick", "--width", "0", "--out", out}, []string{"must be positive, got 0"}},
		{"dropout rate 1", []string{"run", "overfitting", "--quick", "--hidden-dropout", "0,1", "--out", out}, []string{"dropout", "[0, 1)"}},
		{"negative dropout rate", []string{"run", "overfitting", "--quick", "--input-dropout", "-0.2", "--out", out}, []string{"dropout", "[0, 1)"}},
		{"too much memory", []string{"run", "vanishing", "--quick", "--width", "200000", "--out", out}, []string{"needs about", "GiB", "fewer --workers"}},
		{"run all with negative seeds", []string{"run", "all", "--quick", "--seeds", "-1", "--out", out}, []string{"--seeds -1"}},
		{"report with an unwritable out", []string{"report", "--quick", "--out", file}, []string{"is a file, not a folder"}},
		{"merge a missing folder", []string{"merge", "--out", out, filepath.Join(dir, "absent")}, []string{"absent", "see: reluexp merge --help"}},
		{"misspelt experiment", []string{"run", "vanishng"}, []string{`unknown experiment "vanishng"`, "\ndid you mean vanishing?", "see: reluexp run --help"}},
		{"misspelt variant", []string{"run", "dying", "--quick", "--variant", "lekay", "--out", out}, []string{`unknown variant "lekay"`, "did you mean leaky?", "see: reluexp run dying --help"}},
		{"misspelt setting", []string{"run", "vanishing", "--quick", "--set", "widht=8", "--out", out}, []string{`unknown setting "widht"`, "did you mean width?"}},
		{"misspelt command", []string{"rpeort"}, []string{"did you mean report?", "see: reluexp --help"}},
		{"flag and --set", []string{"run", "vanishing", "--quick", "--set", "width=16", "--width", "32", "--out", out}, []string{"width is given twice", "--width=32", "--set width=16"}},
		{"--set twice", []string{"run", "vanishing", "--quick", "--set", "width=16", "--set", "width=32", "--out", out}, []string{"--set width=16 and by --set width=32"}},
		{"flag twice", []string{"run", "vanishing", "--quick", "--width", "16", "--width", "32", "--out", out}, []string{"--width is given twice (--width=16 and --width=32)"}},
		{"empty list not promised", []string{"run", "vanishing", "--quick", "--depths=", "--out", out}, []string{"--depths", "needs at least one value"}},
		{"unknown profile", []string{"run", "overfitting", "--profile", "papper", "--out", out}, []string{`unknown profile "papper" for overfitting`, "valid: default, paper"}},
		{"a profile the experiment does not have", []string{"run", "vanishing", "--quick", "--profile", "paper", "--out", out}, []string{`unknown profile "paper" for vanishing`, "valid: default"}},
		{"a setting the profile's defaults reject", []string{"run", "overfitting", "--profile", "paper", "--sizes", "10000,55000", "--out", out}, []string{"overlap"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, tc.args...)
			if code != exitUsage {
				t.Errorf("exit status %d, want %d (stderr: %s)", code, exitUsage, stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr %q does not mention %q", stderr, w)
				}
			}
			if !strings.Contains(stderr, "\nsee: reluexp") || !strings.HasSuffix(stderr, " --help\n") {
				t.Errorf("stderr %q does not end by pointing to the help", stderr)
			}
			if stdout != "" {
				t.Errorf("bad input printed results: %q", stdout)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("bad input created %s", out)
			}
		})
	}
}

// Corrupt MNIST files in a --data-dir are bad input too: named, exit 2,
// nothing written.
func TestCorruptMNISTIsRejectedUpFront(t *testing.T) {
	src, _, err := data.MNISTDir("")
	if err != nil {
		t.Skip("no MNIST to copy:", err)
	}
	files := []string{"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"}
	cases := []struct {
		name    string
		corrupt func(b []byte) []byte
		file    string
		want    string
	}{
		{"truncated gzip", func(b []byte) []byte { return b[:len(b)/2] }, files[3], files[3]},
		{"not gzip at all", func([]byte) []byte { return []byte("hello") }, files[1], files[1]},
		{"wrong magic", func([]byte) []byte { return gzipBytes(t, []byte{0, 0, 8, 9, 0, 0, 0, 1, 5}) }, files[1], "magic"},
		{"wrong sizes", func([]byte) []byte {
			// One image of 27x28 pixels where MNIST has 28x28.
			return gzipBytes(t, append([]byte{0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 27, 0, 0, 0, 28}, make([]byte, 27*28)...))
		}, files[2], files[2]},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, f := range files {
				b, err := os.ReadFile(filepath.Join(src, f))
				if err != nil {
					t.Fatal(err)
				}
				if f == tc.file {
					b = tc.corrupt(b)
				}
				if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			out := filepath.Join(t.TempDir(), "out")
			code, _, stderr := runCLI(t, "run", "vanishing", "--quick", "--data-dir", dir, "--out", out)
			if code != exitUsage || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, exitUsage, tc.want)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Error("a corrupt data folder still let the run write")
			}
		})
	}
}

func gzipBytes(t *testing.T, b []byte) []byte {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Write(b)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestUnwritableOutIsRejected(t *testing.T) {
	// Root writes through permission bits, so as root use /proc, where
	// nobody can create files.
	dir := "/proc"
	if os.Geteuid() != 0 {
		dir = t.TempDir()
		if err := os.Chmod(dir, 0o555); err != nil {
			t.Fatal(err)
		}
	} else if _, err := os.Stat(dir); err != nil {
		t.Skip("no /proc to stage an unwritable folder as root")
	}
	code, _, stderr := runCLI(t, "run", "vanishing", "--quick", "--out", filepath.Join(dir, "reluexp-out"))
	if code != exitUsage || !strings.Contains(stderr, "cannot write") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

func TestListShowsEveryExperimentAndClaim(t *testing.T) {
	code, stdout, _ := runCLI(t, "list")
	if code != 0 || !strings.Contains(stdout, "vanishing") || !strings.Contains(stdout, "C3, C4") {
		t.Errorf("list: exit %d, output %q", code, stdout)
	}
}

func TestVersionNamesTheBLASBackend(t *testing.T) {
	code, stdout, _ := runCLI(t, "version")
	if code != 0 || !strings.Contains(stdout, "BLAS:") || !strings.Contains(stdout, "go1.") {
		t.Errorf("version: exit %d, output %q", code, stdout)
	}
}

func TestHelpShowsExamplesAndExperimentFlags(t *testing.T) {
	code, stdout, _ := runCLI(t, "run", "vanishing", "--help")
	for _, w := range []string{"Examples:", "--depths", "--variant", "[quick: 2,10,30]", "--seeds"} {
		if !strings.Contains(stdout, w) {
			t.Errorf("help lacks %q", w)
		}
	}
	if code != 0 {
		t.Errorf("help exit %d", code)
	}
}

// A quick run writes the documented files, and its command line in the
// summary reproduces the configuration.
func TestQuickRunWritesResults(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := runCLI(t, "run", "vanishing", "--quick", "--depths", "2,30", "--train-depths", "2",
		"--train-examples", "300", "--test-examples", "300", "--out", out, "--quiet")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	dir := filepath.Join(out, "vanishing")
	for _, f := range []string{"summary.json", "summary.md", "gradients.csv", "ratio.md", "gradient-by-layer.png", "ratio-by-depth.png", "mnist-by-depth.png"} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s missing or empty", f)
		}
	}
	if !strings.Contains(stdout, "C3") || !strings.Contains(stdout, "C4") {
		t.Errorf("terminal output lacks the verdicts: %q", stdout)
	}
	summary, _ := os.ReadFile(filepath.Join(dir, "summary.json"))
	want := `"command": "reluexp run vanishing --quick --depths=2,30 --train-depths=2 --train-examples=300 --test-examples=300"`
	if !strings.Contains(string(summary), want) {
		t.Errorf("summary.json lacks %s", want)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
}

func TestListPrintsCellsWithoutRunning(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	code, stdout, stderr := runCLI(t, "run", "vanishing", "--quick", "--depths", "2", "--variant", "relu", "--inits", "he-normal",
		"--train-depths", "2", "--train-nets", "relu/he-normal", "--list", "--shard", "2/2", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	// A comment, a header, then one line per cell: the quick configuration's
	// gradient cells (3 seeds) and its training cells (the net's and the
	// control's linear reference's), every one of them assigned a shard.
	grad, train := 0, 0
	for _, l := range lines[min(2, len(lines)):] {
		switch {
		case strings.HasPrefix(l, "grad/relu/he-normal/w64/b64/d2/s"):
			grad++
		case strings.HasPrefix(l, "train/relu/he-normal/"), strings.HasPrefix(l, "train/linear/"):
			train++
		}
		if f := strings.Split(l, "\t"); len(f) != 5 || (f[1] != "1/2" && f[1] != "2/2") {
			t.Errorf("--list line %q lacks its shard", l)
		}
	}
	if len(lines) < 2 || !strings.HasPrefix(lines[0], "# vanishing: ") || grad != 3 || train == 0 || len(lines) != 2+grad+train {
		t.Errorf("--list printed %q", stdout)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Error("--list wrote files")
	}
}

// The shard index comes from the batch system's variables when --shard is
// not given; the log says which.
func TestShardFromKubernetesEnvironment(t *testing.T) {
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	opts := &runOptions{Out: out, Quick: true, Seed: 1, Stdout: &stdout, Stderr: &stderr,
		Getenv: func(k string) string {
			return map[string]string{"JOB_COMPLETION_INDEX": "1", "RELUEXP_SHARD_COUNT": "2"}[k]
		},
		Settings: []setting{{"depths", "2"}, {"variant", "relu"}, {"train-depths", "2"}, {"train-examples", "100"}, {"test-examples", "100"}, {"train-nets", "relu/he-normal"}}}
	opts.Experiment, _ = experiments.Lookup("vanishing")
	if err := runExperiment(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr.String(), "running shard 2/2, from Kubernetes Indexed Job") {
		t.Errorf("stderr %q does not say where the shard came from", stderr.String())
	}
	if !strings.Contains(stdout.String(), "vanishing shard 2/2: ran") {
		t.Errorf("stdout %q", stdout.String())
	}
}

// TestProfileSelectsDefaults: --profile starts from the profile's
// defaults, which the other flags change as usual, and the command that
// reproduces the run names it.
func TestProfileSelectsDefaults(t *testing.T) {
	code, stdout, stderr := runCLI(t, "run", "overfitting", "--profile", "paper", "--seeds", "1", "--list", "--quiet")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	// 3 activations x (with and without dropout) x 2 sizes x 1 seed, every
	// cell on the paper's nets and optimiser.
	var cells []string
	for _, line := range strings.Split(strings.TrimSpace(stdout), "\n") {
		if strings.HasPrefix(line, "relu/") || strings.HasPrefix(line, "tanh/") || strings.HasPrefix(line, "sigmoid/") {
			cells = append(cells, line)
		}
	}
	if len(cells) != 12 {
		t.Fatalf("%d cells listed, want 12:\n%s", len(cells), stdout)
	}
	for _, c := range cells {
		if !strings.Contains(c, "h1024x1024x1024") || !strings.Contains(c, "momentum-lr0.01-m0.95-decay0.998-maxnorm3.5") {
			t.Errorf("cell %q is not on the paper profile's nets and optimiser", c)
		}
	}
	code, stdout, _ = runCLI(t, "run", "overfitting", "--profile", "default", "--list", "--quiet")
	if code != 0 || strings.Contains(stdout, "h1024") || !strings.Contains(stdout, "adam-lr0.001") {
		t.Errorf("--profile default: exit %d, cells not the report's:\n%s", code, stdout)
	}
}
