package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
			if stdout != "" {
				t.Errorf("bad input printed results: %q", stdout)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("bad input created %s", out)
			}
		})
	}
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
