package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reluexp/reluexp/data"
	"github.com/reluexp/reluexp/experiments"
)

// fashionDir returns the installed Fashion-MNIST folder, or skips.
func fashionDir(t *testing.T) string {
	t.Helper()
	t.Setenv(data.FashionMNISTEnv, "")
	dir, _, err := data.DatasetDir(data.FashionMNIST, "")
	if err != nil {
		t.Skipf("Fashion-MNIST is not installed (apt-get install %s): %v", data.FashionMNISTPackage, err)
	}
	return dir
}

// checkRejected runs args and checks bad input: exit 2, every want in
// stderr, nothing on stdout, out not created.
func checkRejected(t *testing.T, out string, want []string, args ...string) {
	t.Helper()
	code, stdout, stderr := runCLI(t, args...)
	if code != exitUsage {
		t.Errorf("exit status %d, want %d (stderr: %s)", code, exitUsage, stderr)
	}
	for _, w := range want {
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
}

// Every experiment that trains has --dataset, and rejects a data set it
// does not know, naming the valid ones.
func TestDatasetFlagBadValues(t *testing.T) {
	for _, exp := range experiments.All() {
		for _, bad := range []string{"cifar10", "MNIST", ""} {
			t.Run(exp.Name()+"/"+bad, func(t *testing.T) {
				out := filepath.Join(t.TempDir(), "out")
				checkRejected(t, out, []string{"unknown data set", "valid: mnist, fashion-mnist"},
					"run", exp.Name(), "--quick", "--dataset="+bad, "--out", out)
			})
		}
	}
}

// The help of --dataset says where the files are looked for.
func TestDatasetFlagHelp(t *testing.T) {
	code, stdout, stderr := runCLI(t, "run", "sparsity", "--help")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, w := range []string{"--dataset", "mnist or fashion-mnist", data.FashionMNISTEnv, data.FashionMNISTSystemDir, "apt-get install " + data.FashionMNISTPackage} {
		if !strings.Contains(stdout, w) {
			t.Errorf("help does not mention %q", w)
		}
	}
}

// Missing Fashion-MNIST files: exit 2, the folder searched and the package
// to install named, nothing written.
func TestFashionMNISTMissing(t *testing.T) {
	empty := t.TempDir()
	missing := filepath.Join(empty, "nowhere")
	t.Run("data dir without the files", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "out")
		checkRejected(t, out, []string{empty, "apt-get install dataset-fashion-mnist"},
			"run", "sparsity", "--quick", "--dataset", "fashion-mnist", "--data-dir", empty, "--out", out)
	})
	t.Run("environment variable names a missing folder", func(t *testing.T) {
		t.Setenv(data.FashionMNISTEnv, missing)
		out := filepath.Join(t.TempDir(), "out")
		checkRejected(t, out, []string{missing, "$" + data.FashionMNISTEnv, "apt-get install dataset-fashion-mnist"},
			"run", "dying", "--quick", "--dataset", "fashion-mnist", "--out", out)
	})
}

// A --data-dir holding another data set than --dataset is an error naming
// both.
func TestDatasetMismatch(t *testing.T) {
	mnist, _, err := data.MNISTDir("")
	if err != nil {
		t.Skip("no MNIST:", err)
	}
	t.Run("MNIST files, --dataset fashion-mnist", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "out")
		checkRejected(t, out, []string{mnist, "are MNIST, not Fashion-MNIST", "--dataset mnist"},
			"run", "sparsity", "--quick", "--dataset", "fashion-mnist", "--data-dir", mnist, "--out", out)
	})
	t.Run("Fashion-MNIST files, default --dataset", func(t *testing.T) {
		fashion := fashionDir(t)
		out := filepath.Join(t.TempDir(), "out")
		checkRejected(t, out, []string{fashion, "are Fashion-MNIST, not MNIST", "--dataset fashion-mnist"},
			"run", "sparsity", "--quick", "--data-dir", fashion, "--out", out)
	})
}

// A quick run on Fashion-MNIST names it in every table and figure title,
// in the command that reproduces it, in the records and in the cell IDs.
func TestFashionMNISTQuickRun(t *testing.T) {
	fashionDir(t)
	out := t.TempDir()
	code, stdout, stderr := runCLI(t, "run", "sparsity", "--quick", "--dataset", "fashion-mnist", "--quiet", "--workers", "2", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "Fashion-MNIST") {
		t.Errorf("the printed result does not name Fashion-MNIST")
	}
	dir := filepath.Join(out, "sparsity")
	b, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	var sum struct {
		Command string `json:"command"`
		Config  struct {
			Dataset string `json:"dataset"`
		} `json:"config"`
		Verdicts []struct {
			Rule, Caveat string
		} `json:"verdicts"`
	}
	if err := json.Unmarshal(b, &sum); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(sum.Command, "--dataset=fashion-mnist") || sum.Config.Dataset != "fashion-mnist" {
		t.Errorf("summary.json: command %q, config dataset %q; want both to name fashion-mnist", sum.Command, sum.Config.Dataset)
	}
	named := false
	for _, v := range sum.Verdicts {
		named = named || strings.Contains(v.Rule+v.Caveat, "Fashion-MNIST")
	}
	if !named {
		t.Error("no verdict's rule or caveat names Fashion-MNIST")
	}
	md, err := os.ReadFile(filepath.Join(dir, "summary.md"))
	if err != nil {
		t.Fatal(err)
	}
	titles := 0
	// Figure titles are "### ..." headings, table titles "**...**" lines.
	for _, line := range strings.Split(string(md), "\n") {
		figure := strings.HasPrefix(line, "### ")
		table := len(line) > 4 && strings.HasPrefix(line, "**") && strings.HasSuffix(line, "**")
		if !figure && !table {
			continue
		}
		titles++
		if !strings.Contains(line, "Fashion-MNIST") {
			t.Errorf("summary.md title %q does not name Fashion-MNIST", line)
		}
	}
	if titles == 0 {
		t.Errorf("summary.md has no titles:\n%s", md)
	}
	cells, err := filepath.Glob(filepath.Join(dir, "cells", "fashion-mnist_*.json"))
	if err != nil || len(cells) == 0 {
		t.Fatalf("no record with a fashion-mnist cell ID in %s (err %v)", filepath.Join(dir, "cells"), err)
	}
	rec, err := os.ReadFile(cells[0])
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(rec), `"dataset":"fashion-mnist"`) && !strings.Contains(string(rec), `"dataset": "fashion-mnist"`) {
		t.Errorf("record %s does not name the data set in its parameters", cells[0])
	}
}
