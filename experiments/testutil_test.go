package experiments

import (
	"context"
	"fmt"
	"testing"

	"github.com/reluexp/reluexp/experiments/result"
)

func fmtSscan(s string, args ...any) (int, error) { return fmt.Sscan(s, args...) }

// runQuick runs exp's quick configuration, edited, with the given workers.
func runQuick(t *testing.T, exp Experiment, workers int, edit func(any)) *result.Result {
	t.Helper()
	cfg := exp.NewConfig(true)
	if edit != nil {
		edit(cfg)
	}
	res, err := Run(context.Background(), exp, cfg, RunOptions{Seed: 1, Workers: workers})
	if err != nil {
		t.Fatal(err)
	}
	return res
}
