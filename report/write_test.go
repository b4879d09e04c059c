package report

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/metrics"
)

func sampleResult() *result.Result {
	return &result.Result{
		Experiment: "sample", Claims: []string{"C9"}, Command: "reluexp run sample",
		Config: map[string]int{"depth": 3},
		Verdicts: []result.Verdict{{Claim: "C9", Statement: "a thing holds", Rule: "x > 1", Outcome: result.Confirmed, Why: "x was 2.",
			Role: result.Main, Caveat: "a sample cannot show much",
			Evidence: []result.Evidence{{Name: "x", Estimate: metrics.MeanCI([]float64{1, 2, 3})}, {Name: "nothing", Estimate: metrics.MeanCI(nil)}}}},
		Tables:  []result.Table{{Name: "t", Title: "A table", Columns: []string{"a", "b|c"}, Rows: [][]string{{"1", "x|y"}}, Note: "a note"}},
		Records: []result.Table{{Name: "r", Columns: []string{"a", "b"}, Rows: [][]string{{"1", "NaN"}, {"2", "0.1"}}}},
		Figures: []result.Figure{{Name: "f", Title: "F", Caption: "cap", Panels: []result.Panel{{Kind: result.LinePanel, XLabel: "x", YLabel: "y", LogY: true,
			Lines: []result.Line{{Label: "l", X: []float64{1, 2, 3}, Y: []float64{1, 0, math.NaN()}}}}}}},
	}
}

// fileNames lists the files in dir, sorted, separated by spaces.
func fileNames(dir string) string {
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return strings.Join(names, " ")
}

func TestWriteExperimentWritesEveryFileOnce(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "sample")
	if err := WriteExperiment(dir, sampleResult()); err != nil {
		t.Fatal(err)
	}
	if got, want := fileNames(dir), "f.png r.csv summary.json summary.md t.md"; got != want {
		t.Errorf("files %q, want %q", got, want)
	}
	csv, _ := os.ReadFile(filepath.Join(dir, "r.csv"))
	if string(csv) != "a,b\n1,NaN\n2,0.1\n" {
		t.Errorf("csv = %q", csv)
	}
	var s Summary
	js, _ := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err := json.Unmarshal(js, &s); err != nil {
		t.Fatalf("summary.json does not parse: %v", err)
	}
	if s.Verdicts[0].Outcome != result.Confirmed || s.Figures[0].File != "f.png" || !math.IsNaN(s.Verdicts[0].Evidence[1].Estimate.Mean) {
		t.Errorf("summary round trip: %+v", s)
	}
	md, _ := os.ReadFile(filepath.Join(dir, "summary.md"))
	for _, want := range []string{"reluexp run sample", "**C9 CONFIRMED**", "![F](f.png)", "x/y", "[r.csv](r.csv)"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("summary.md lacks %q", want)
		}
	}
}

// A rerun removes the outputs its predecessor listed and it no longer
// writes, and leaves every other file of the folder alone.
func TestWriteExperimentRemovesStaleOutputs(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "sample")
	first := sampleResult()
	first.Tables = append(first.Tables, result.Table{Name: "matched-at-0.9", Title: "Old level", Columns: []string{"a"}, Rows: [][]string{{"1"}}})
	if err := WriteExperiment(dir, first); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "timing.txt"), []byte("wall_seconds=1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	second := sampleResult()
	second.Figures = nil
	if err := WriteExperiment(dir, second); err != nil {
		t.Fatal(err)
	}
	if got, want := fileNames(dir), "r.csv summary.json summary.md t.md timing.txt"; got != want {
		t.Errorf("files after the rerun %q, want %q", got, want)
	}
}

func TestWriteExperimentIsDeterministic(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	if err := WriteExperiment(a, sampleResult()); err != nil {
		t.Fatal(err)
	}
	if err := WriteExperiment(b, sampleResult()); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"f.png", "r.csv", "summary.json", "summary.md", "t.md"} {
		x, _ := os.ReadFile(filepath.Join(a, f))
		y, _ := os.ReadFile(filepath.Join(b, f))
		if string(x) != string(y) {
			t.Errorf("%s differs between identical writes", f)
		}
	}
}

func TestWriteExperimentRejectsRaggedRecords(t *testing.T) {
	res := sampleResult()
	res.Records[0].Rows = append(res.Records[0].Rows, []string{"only one"})
	dir := filepath.Join(t.TempDir(), "out")
	if err := WriteExperiment(dir, res); err == nil || !strings.Contains(err.Error(), "row 2") {
		t.Fatalf("error %v, want one naming row 2", err)
	}
	// Rendering fails before anything is written.
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("a failed write left %d files", len(entries))
	}
}

// A number over no values (NaN mean) is "no value", with its n, and
// never "NaN"; a single value has no interval, several have one.
func TestFormatEstimate(t *testing.T) {
	for _, tc := range []struct {
		name string
		e    result.Evidence
		want string
	}{
		{"no values", result.Evidence{Unit: "pp", Estimate: metrics.MeanCI(nil)}, "no value (n=0)"},
		{"one value", result.Evidence{Unit: "pp", Estimate: metrics.MeanCI([]float64{2})}, "2 pp (n=1)"},
		{"several", result.Evidence{Estimate: est(0.5, 0.25, 0.75, 4)}, "0.5 [0.25, 0.75] (95% CI, n=4)"},
		{"a log10 ratio, with the ratio", result.Evidence{Unit: "log10 ratio", Estimate: est(0.02, 0.01, 0.03, 12)}, "0.02 [0.01, 0.03] log10 ratio, a ratio of 1.05 [1.02, 1.07] (95% CI, n=12)"},
	} {
		if got := FormatEstimate(tc.e); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
	dir := filepath.Join(t.TempDir(), "sample")
	if err := WriteExperiment(dir, sampleResult()); err != nil {
		t.Fatal(err)
	}
	md, _ := os.ReadFile(filepath.Join(dir, "summary.md"))
	if !strings.Contains(string(md), "nothing: no value (n=0)") || strings.Contains(string(md), "NaN (n=0)") {
		t.Errorf("summary.md writes a number over no values as:\n%s", md)
	}
}

// A sentence cut at its clauses keeps its later clauses nested under its
// first, so that a label it opens with covers them.
func TestWritePointsNestsClauses(t *testing.T) {
	var b strings.Builder
	writePoints(&b, "Why", "A first sentence that stands alone. Exploratory, on the train seeds: the first clause is long enough; the second clause is long enough too.")
	want := "  - Why:\n" +
		"    - A first sentence that stands alone.\n" +
		"    - Exploratory, on the train seeds: the first clause is long enough\n" +
		"      - the second clause is long enough too.\n"
	if got := b.String(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	b.Reset()
	writePoints(&b, "Rule", "One point.")
	if got := b.String(); got != "  - Rule: One point.\n" {
		t.Errorf("one point: got %q", got)
	}
}
