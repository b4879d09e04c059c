// Package exptest is test support for the experiment packages: it runs an
// experiment's quick configuration and reads its verdicts, records and
// figures. Only _test.go files import it; it renders (report, plots) only to
// check that what an experiment returns can be drawn and written.
package exptest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/reluexp/reluexp/experiments/harness"
	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/report"
)

func FmtSscan(s string, args ...any) (int, error) { return fmt.Sscan(s, args...) }

// RunQuick runs exp's quick configuration, edited, with the given workers.
func RunQuick(t *testing.T, exp harness.Experiment, workers int, edit func(any)) *result.Result {
	t.Helper()
	cfg := exp.NewConfig(true)
	if edit != nil {
		edit(cfg)
	}
	res, err := harness.Run(context.Background(), exp, cfg, harness.RunOptions{Seed: 1, Workers: workers})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// DeterministicBytes renders every record table and the summary; skip, if
// set, leaves out the record tables and verdicts it selects.
func DeterministicBytes(t *testing.T, res *result.Result, skip func(name string) bool) []byte {
	t.Helper()
	var b bytes.Buffer
	for _, r := range res.Records {
		if skip != nil && skip(r.Name) {
			continue
		}
		csv, err := report.CSV(r)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(csv)
	}
	s := report.NewSummary(res)
	var kept []result.Verdict
	for _, v := range s.Verdicts {
		if skip == nil || !skip(v.Rule) {
			kept = append(kept, v)
		}
	}
	s.Verdicts = kept
	js, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	b.Write(js)
	return b.Bytes()
}
