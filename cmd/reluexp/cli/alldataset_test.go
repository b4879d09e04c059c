package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reluexp/reluexp/data"
	"github.com/reluexp/reluexp/experiments"
	"github.com/reluexp/reluexp/experiments/harness"
)

// run all and report take --dataset, name the valid data sets for a bad
// one, exit 2 and write nothing; their help names the choices.
func TestAllDatasetFlag(t *testing.T) {
	for _, cmd := range [][]string{{"run", "all"}, {"report"}} {
		for _, bad := range []string{"cifar10", "MNIST", ""} {
			t.Run(strings.Join(cmd, " ")+"/"+bad, func(t *testing.T) {
				out := filepath.Join(t.TempDir(), "out")
				checkRejected(t, out, []string{"--dataset", "unknown data set", "valid: mnist, fashion-mnist"},
					append(cmd, "--quick", "--dataset="+bad, "--out", out)...)
			})
		}
	}
	for _, cmd := range [][]string{{"run", "all"}, {"report"}, {"run", "sparsity"}} {
		code, stdout, _ := runCLI(t, append(cmd, "--help")...)
		if code != 0 || !strings.Contains(stdout, "--dataset string ") || !strings.Contains(stdout, "mnist or fashion-mnist") {
			t.Errorf("%s --help (exit %d) does not describe --dataset as a string flag:\n%s", strings.Join(cmd, " "), code, stdout)
		}
	}
}

// --dataset reaches every experiment that trains: each one's jobs train
// on the data set given, and without the flag each keeps its default.
func TestDatasetSettingsReachEveryExperiment(t *testing.T) {
	for _, exp := range experiments.All() {
		for _, ds := range data.Datasets {
			settings := datasetSettings(exp, ds, true)
			if len(settings) != 1 {
				t.Errorf("%s: --dataset %s gives settings %v, want the dataset setting", exp.Name(), ds, settings)
				continue
			}
			jobs, err := harness.Jobs(harness.Options{Experiment: exp, Quick: true, Settings: settings, Out: t.TempDir(), Seed: 1})
			if err != nil {
				t.Fatalf("%s: %v", exp.Name(), err)
			}
			for _, j := range jobs {
				if got := datasetName(harness.DatasetOf(j.Config)); got != ds {
					t.Errorf("%s with --dataset %s trains on %s", exp.Name(), ds, got)
				}
			}
		}
		if s := datasetSettings(exp, "", true); s != nil {
			t.Errorf("%s without --dataset gets settings %v", exp.Name(), s)
		}
	}
}

// report --dataset fashion-mnist trains on Fashion-MNIST; a later report
// that would take those results as MNIST ones refuses, naming the folder,
// before anything runs.
func TestReportDatasetFashion(t *testing.T) {
	fashionDir(t)
	sp, err := experiments.Lookup("sparsity")
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	var o, e bytes.Buffer
	opts := &allOptions{Out: out, Seed: 1, Workers: 2, Quick: true, Quiet: true, OnlyMissing: true, Dataset: data.FashionMNIST, DatasetSet: true,
		Stdout: &o, Stderr: &e, experiments: []harness.Experiment{sp}}
	if err := runEverything(context.Background(), opts); err != nil {
		t.Fatalf("report --dataset fashion-mnist: %v\n%s", err, e.String())
	}
	raw, err := os.ReadFile(filepath.Join(out, "sparsity", "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	var sum struct {
		Command string `json:"command"`
		Config  struct {
			Dataset string `json:"dataset"`
		} `json:"config"`
	}
	if err := json.Unmarshal(raw, &sum); err != nil {
		t.Fatal(err)
	}
	if sum.Config.Dataset != data.FashionMNIST || !strings.Contains(sum.Command, "--dataset=fashion-mnist") {
		t.Errorf("summary.json: config dataset %q, command %q; want fashion-mnist in both", sum.Config.Dataset, sum.Command)
	}
	report, _ := os.ReadFile(filepath.Join(out, "REPORT.md"))
	os.Remove(filepath.Join(out, "REPORT.md"))
	for _, ds := range []string{data.MNIST, ""} {
		opts := *opts
		opts.Dataset, opts.DatasetSet = ds, ds != ""
		err = runEverything(context.Background(), &opts)
		if ds == "" {
			// Without --dataset, the results are taken as they are.
			if err != nil {
				t.Errorf("report without --dataset: %v", err)
			}
			continue
		}
		var ue usageError
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), filepath.Join(out, "sparsity")+" holds sparsity's results on Fashion-MNIST") {
			t.Errorf("report --dataset mnist over Fashion-MNIST results: %v, want a usage error naming the folder", err)
		}
		if _, err := os.Stat(filepath.Join(out, "REPORT.md")); !os.IsNotExist(err) {
			t.Errorf("the refused report was written (%v)", err)
		}
	}
	if len(report) == 0 {
		t.Error("the first report was not written")
	}
}
