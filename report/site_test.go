package report

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/reluexp/reluexp/experiments/result"
)

func TestClaimRowsCombineVerdicts(t *testing.T) {
	claims := []result.Claim{{ID: "C1"}, {ID: "C2"}, {ID: "C3"}, {ID: "C4"}}
	runs := []Run{
		{Name: "a", Summary: Summary{Verdicts: []result.Verdict{{Claim: "C1", Outcome: result.Confirmed}, {Claim: "C2", Outcome: result.Confirmed}, {Claim: "C3", Outcome: result.Refuted}}}},
		{Name: "b", Summary: Summary{Verdicts: []result.Verdict{{Claim: "C1", Outcome: result.Confirmed}, {Claim: "C2", Outcome: result.Refuted}, {Claim: "C3", Outcome: result.Refuted}}}},
	}
	rows := ClaimRows(claims, runs)
	want := []result.Outcome{result.Confirmed, result.Mixed, result.Refuted, ""}
	for i, r := range rows {
		if r.Outcome != want[i] {
			t.Errorf("%s: %q, want %q", r.Claim.ID, r.Outcome, want[i])
		}
	}
	if got := strings.Join(rows[0].Sections, ","); got != "a,b" {
		t.Errorf("C1 sections %q", got)
	}
}

// Check finds a claim without a verdict, a figure that is not a PNG and a
// page linking a missing file.
func TestCheckFindsWhatIsMissing(t *testing.T) {
	out := t.TempDir()
	res := sampleResult()
	if err := WriteExperiment(filepath.Join(out, "sample"), res); err != nil {
		t.Fatal(err)
	}
	run, err := LoadRun(out, "sample")
	if err != nil {
		t.Fatal(err)
	}
	claims := []result.Claim{{ID: "C9", Blog: "a <b> claim"}, {ID: "C10"}}
	site := NewSite(claims, []Run{run}, Environment{GoVersion: "go1.x"})
	if err := WriteSite(out, site); err != nil {
		t.Fatal(err)
	}
	page, _ := os.ReadFile(filepath.Join(out, "index.html"))
	if !strings.Contains(string(page), "a &lt;b&gt; claim") || !strings.Contains(string(page), `src="sample/f.png"`) {
		t.Error("the page does not escape text or does not show the figure")
	}
	err = Check(out, claims, []string{"sample"})
	if err == nil || !strings.Contains(err.Error(), "claim C10 has no verdict") {
		t.Errorf("Check: %v, want C10 reported", err)
	}
	if err := Check(out, claims[:1], []string{"sample"}); err != nil {
		t.Errorf("a complete report failed the check: %v", err)
	}
	os.WriteFile(filepath.Join(out, "sample", "f.png"), []byte("not a png"), 0o644)
	os.Remove(filepath.Join(out, "sample", "r.csv"))
	err = Check(out, claims[:1], []string{"sample"})
	for _, want := range []string{"f.png is not a PNG", "links sample/r.csv, which does not exist"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Check: %v, want %q", err, want)
		}
	}
}
