package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/reluexp/reluexp/cmd/reluexp/cli"
	"github.com/reluexp/reluexp/model"
)

func TestMain(m *testing.M) {
	if err := registerMish(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	os.Exit(m.Run())
}

func run(t *testing.T, args ...string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if code := cli.Execute(context.Background(), args, &stdout, &stderr); code != 0 {
		t.Fatalf("reluexp %s: exit %d\n%s", strings.Join(args, " "), code, stderr.String())
	}
	return stdout.String()
}

// readCSV returns the rows of a CSV file as maps from column to value.
func readCSV(t *testing.T, path string) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	records, err := csv.NewReader(f).ReadAll()
	if err != nil || len(records) < 2 {
		t.Fatalf("%s: %d records, %v", path, len(records), err)
	}
	var rows []map[string]string
	for _, r := range records[1:] {
		row := map[string]string{}
		for i, col := range records[0] {
			row[col] = r[i]
		}
		rows = append(rows, row)
	}
	return rows
}

func number(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("%q is not a number", s)
	}
	return v
}

func TestMishIsRegistered(t *testing.T) {
	if !slices.Contains(model.Variants(), "mish") {
		t.Fatalf("mish is not among %v", model.Variants())
	}
	f, ok := model.ActivationSpec{Name: "mish"}.Elementwise()
	// Mish(1) = tanh(ln(1 + e)) = 0.8650983882673103 (Python's
	// math.tanh(math.log1p(math.e))).
	if !ok || math.Abs(f.Value(1)-0.8650983882673103) > 1e-15 || f.Value(0) != 0 {
		t.Errorf("mish(1) = %v, mish(0) = %v", f.Value(1), f.Value(0))
	}
	if err := registerMish(); err == nil || !strings.Contains(err.Error(), "already registered") {
		t.Errorf("a second registration: %v", err)
	}
	if out := run(t, "list", "--variants"); !strings.Contains(out, "│ mish     │ registered │ no ") {
		t.Errorf("list --variants does not show mish:\n%s", out)
	}
}

// The two commands of the README, in their quick configurations: the
// experiments run on Mish, not on a stand-in. Mish never has an exactly
// zero derivative or output on real data, where ReLU blocks half the
// gradient entries at initialisation and loses units at lr 1.
func TestMishRunsVanishingAndDying(t *testing.T) {
	if testing.Short() {
		t.Skip("trains small MNIST nets: about 20 s")
	}
	out := t.TempDir()
	run(t, "run", "vanishing", "--quick", "--quiet", "--variant", "relu,mish", "--train-nets", "relu/he-normal,mish/he-normal", "--out", out)
	run(t, "run", "dying", "--quick", "--quiet", "--variant", "mish", "--out", out)

	blocked := map[string]float64{}
	theory := 0
	for _, r := range readCSV(t, filepath.Join(out, "vanishing", "gradients.csv")) {
		blocked[r["variant"]] = max(blocked[r["variant"]], number(t, r["blocked_fraction"]))
		if r["variant"] == "mish" && number(t, r["meanfield_preact_grad"]) > 0 {
			theory++
		}
	}
	if blocked["mish"] != 0 || blocked["relu"] < 0.3 {
		t.Errorf("largest share of blocked gradient entries: mish %v (want 0), relu %v (want about half)", blocked["mish"], blocked["relu"])
	}
	if theory == 0 {
		t.Error("no mean-field prediction for mish")
	}
	trained := 0
	for _, r := range readCSV(t, filepath.Join(out, "vanishing", "mnist-by-depth.csv")) {
		if r["net"] == "mish/he-normal" && r["depth"] == "2" && r["epoch"] == "1" {
			trained++
			if acc := number(t, r["test_acc"]); acc < 0.2 {
				t.Errorf("a 2-layer mish net reached test accuracy %v (chance is 0.1)", acc)
			}
		}
	}
	if trained != 3 {
		t.Errorf("%d trained 2-layer mish nets, want the quick configuration's 3 seeds", trained)
	}

	dead := map[string]float64{}
	rows := 0
	for _, r := range readCSV(t, filepath.Join(out, "dying", "training.csv")) {
		if r["variant"] == "mish" {
			rows++
		}
		if r["dead"] != "" {
			dead[r["variant"]] = max(dead[r["variant"]], number(t, r["dead"]))
		}
	}
	if rows == 0 || dead["mish"] != 0 || dead["relu"] == 0 {
		t.Errorf("dying: %d mish rows; largest dead fraction mish %v (want 0), relu %v (want > 0)", rows, dead["mish"], dead["relu"])
	}
}

// Same seed, byte-identical results whatever the number of workers, with a
// registered activation as with the built-ins.
func TestMishRunIsDeterministicAcrossWorkers(t *testing.T) {
	if testing.Short() {
		t.Skip("runs an experiment twice")
	}
	args := []string{"run", "vanishing", "--quick", "--quiet", "--variant", "mish", "--inits", "he-normal,classic", "--depths", "2,10",
		"--train-depths", "2", "--train-nets", "mish/he-normal", "--train-examples", "300", "--test-examples", "300"}
	a, b := t.TempDir(), t.TempDir()
	run(t, append(args, "--workers", "1", "--out", a)...)
	run(t, append(args, "--workers", "2", "--out", b)...)
	files, _ := filepath.Glob(filepath.Join(a, "vanishing", "*.csv"))
	files = append(files, filepath.Join(a, "vanishing", "summary.json"))
	if len(files) < 3 {
		t.Fatalf("only %v written", files)
	}
	for _, fa := range files {
		x, err1 := os.ReadFile(fa)
		y, err2 := os.ReadFile(filepath.Join(b, "vanishing", filepath.Base(fa)))
		if err1 != nil || err2 != nil || !bytes.Equal(x, y) {
			t.Errorf("%s differs between 1 and 2 workers (%v, %v)", filepath.Base(fa), err1, err2)
		}
	}
}
