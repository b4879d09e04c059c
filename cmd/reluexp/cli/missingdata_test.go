package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reluexp/reluexp/data"
	"github.com/reluexp/reluexp/experiments"
	"github.com/reluexp/reluexp/experiments/harness"
)

// An experiment whose data set is missing (cnnspeed without Fashion-MNIST:
// its environment variable points at an empty folder) is left out of
// report with a message naming the package, while the others (here sparsity, quick) run and the
// report is written; the left-out experiment gets no folder.
func TestReportLeavesOutExperimentWithoutItsData(t *testing.T) {
	t.Setenv(data.FashionMNISTEnv, t.TempDir())
	out := t.TempDir()
	var o, e bytes.Buffer
	sp, err := experiments.Lookup("sparsity")
	if err != nil {
		t.Fatal(err)
	}
	cnn, err := experiments.Lookup("cnnspeed")
	if err != nil {
		t.Fatal(err)
	}
	opts := &allOptions{Out: out, Seed: 1, Workers: 2, Quick: true, OnlyMissing: true, Stdout: &o, Stderr: &e,
		experiments: []harness.Experiment{sp, cnn}}
	if err := runEverything(context.Background(), opts); err != nil {
		t.Fatalf("report: %v\n%s", err, e.String())
	}
	if !strings.Contains(e.String(), "cnnspeed: left out: ") || !strings.Contains(e.String(), "apt-get install dataset-fashion-mnist") {
		t.Errorf("stderr %q does not say cnnspeed was left out and how to get the data", e.String())
	}
	if _, err := os.Stat(filepath.Join(out, "cnnspeed")); !os.IsNotExist(err) {
		t.Errorf("cnnspeed's folder was written (%v)", err)
	}
	if _, err := os.Stat(filepath.Join(out, "REPORT.md")); err != nil {
		t.Errorf("no report: %v", err)
	}
}
