package exptest

import (
	"bytes"
	"encoding/csv"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/plots"
	"github.com/reluexp/reluexp/report"
)

// Records returns a record table as rows keyed by column name.
func Records(t *testing.T, res *result.Result, name string) []map[string]string {
	t.Helper()
	for _, tb := range res.Records {
		if tb.Name != name {
			continue
		}
		b, err := report.CSV(tb)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		var out []map[string]string
		for _, r := range rows[1:] {
			m := map[string]string{}
			for i, c := range rows[0] {
				m[c] = r[i]
			}
			out = append(out, m)
		}
		return out
	}
	t.Fatalf("no record table %q", name)
	return nil
}

func Num(t *testing.T, s string) float64 {
	t.Helper()
	x, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("%q is not a number", s)
	}
	return x
}

func CheckVerdicts(t *testing.T, res *result.Result, want map[string]int) {
	t.Helper()
	got := map[string]int{}
	for _, v := range res.Verdicts {
		got[v.Claim]++
		switch v.Outcome {
		case result.Confirmed, result.Refuted, result.Mixed, result.Inconclusive:
		default:
			t.Errorf("%s %q: outcome %q", v.Claim, v.Statement, v.Outcome)
		}
		switch v.Role {
		case result.Main, result.Part, result.Supporting, result.Sanity:
		default:
			t.Errorf("%s %q: role %q", v.Claim, v.Statement, v.Role)
		}
		if v.Rule == "" || v.Why == "" || v.Caveat == "" {
			t.Errorf("%s %q: rule, why or caveat missing", v.Claim, v.Statement)
		}
		if (v.Effect == nil) != (v.Margin == nil) {
			t.Errorf("%s %q: a comparison needs both its effect and its margin", v.Claim, v.Statement)
		}
		if v.Margin != nil && v.MarginReason == "" {
			t.Errorf("%s %q: margin %g without its reason", v.Claim, v.Statement, *v.Margin)
		}
		for _, e := range v.Evidence {
			if e.Estimate.N > 0 && (math.IsNaN(e.Estimate.Mean) || e.Estimate.Lo > e.Estimate.Mean+1e-12 || e.Estimate.Hi < e.Estimate.Mean-1e-12) {
				t.Errorf("%s %q: evidence %q is not a mean inside its interval: %+v", v.Claim, v.Statement, e.Name, e.Estimate)
			}
		}
	}
	for claim, n := range want {
		if got[claim] != n {
			t.Errorf("%d verdicts on %s, want %d", got[claim], claim, n)
		}
	}
}

// RenderAll draws every figure, which also validates it.
func RenderAll(t *testing.T, res *result.Result) map[string]result.Figure {
	t.Helper()
	figs := map[string]result.Figure{}
	for _, f := range res.Figures {
		if _, err := plots.PNG(f); err != nil {
			t.Errorf("figure %s: %v", f.Name, err)
		}
		figs[f.Name] = f
	}
	return figs
}

func RecordTable(t *testing.T, res *result.Result, name string) result.Table {
	t.Helper()
	for _, r := range res.Records {
		if r.Name == name {
			return r
		}
	}
	t.Fatalf("no record table %q", name)
	return result.Table{}
}

// Column returns the index of a record column.
func Column(t *testing.T, tb result.Table, name string) int {
	t.Helper()
	for i, c := range tb.Columns {
		if c == name {
			return i
		}
	}
	t.Fatalf("table %s has no column %q", tb.Name, name)
	return -1
}

func VerdictFor(t *testing.T, res *result.Result, claim, statementPrefix string) result.Verdict {
	t.Helper()
	for _, v := range res.Verdicts {
		if v.Claim == claim && strings.HasPrefix(v.Statement, statementPrefix) {
			return v
		}
	}
	t.Fatalf("no %s verdict starting %q", claim, statementPrefix)
	return result.Verdict{}
}

func Evidence(t *testing.T, v result.Verdict, prefix string) float64 {
	t.Helper()
	for _, e := range v.Evidence {
		if strings.HasPrefix(e.Name, prefix) {
			return e.Estimate.Mean
		}
	}
	t.Fatalf("verdict %q has no evidence %q", v.Statement, prefix)
	return 0
}
