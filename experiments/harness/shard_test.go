package harness_test

import (
	"strings"
	"testing"

	"github.com/reluexp/reluexp/experiments/harness"
	"github.com/reluexp/reluexp/experiments/kit"
)

func TestParseShard(t *testing.T) {
	cases := []struct {
		in   string
		want harness.Shard
		err  string
	}{
		{"1/3", harness.Shard{1, 3}, ""},
		{" 3/3 ", harness.Shard{3, 3}, ""},
		{"1/1", harness.Shard{1, 1}, ""},
		{"4/3", harness.Shard{}, "between 1 and 3"},
		{"0/3", harness.Shard{}, "between 1 and 3"},
		{"1/0", harness.Shard{}, "at least 1"},
		{"2", harness.Shard{}, "want i/n"},
		{"a/b", harness.Shard{}, "integers"},
		{"", harness.Shard{}, "want i/n"},
	}
	for _, c := range cases {
		got, err := harness.ParseShard(c.in)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("ParseShard(%q) error %v, want %q", c.in, err, c.err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("ParseShard(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
}

func TestShardFromEnv(t *testing.T) {
	cases := []struct {
		name      string
		env       map[string]string
		countFlag int
		want      harness.Shard
		source    string
		err       string
	}{
		{"nothing set", nil, 0, harness.Shard{}, "", ""},
		{"kubernetes with env count", map[string]string{"JOB_COMPLETION_INDEX": "0", "RELUEXP_SHARD_COUNT": "3"}, 0, harness.Shard{1, 3}, "Kubernetes", ""},
		{"kubernetes with flag count", map[string]string{"JOB_COMPLETION_INDEX": "2"}, 3, harness.Shard{3, 3}, "--shard-count", ""},
		{"kubernetes without count", map[string]string{"JOB_COMPLETION_INDEX": "1"}, 0, harness.Shard{}, "", "RELUEXP_SHARD_COUNT"},
		{"kubernetes index too large", map[string]string{"JOB_COMPLETION_INDEX": "3", "RELUEXP_SHARD_COUNT": "3"}, 0, harness.Shard{}, "", "not below"},
		{"kubernetes bad index", map[string]string{"JOB_COMPLETION_INDEX": "x", "RELUEXP_SHARD_COUNT": "3"}, 0, harness.Shard{}, "", "non-negative integer"},
		{"slurm with count", map[string]string{"SLURM_ARRAY_TASK_ID": "6", "SLURM_ARRAY_TASK_MIN": "5", "SLURM_ARRAY_TASK_COUNT": "3"}, 0, harness.Shard{2, 3}, "Slurm", ""},
		{"slurm from max", map[string]string{"SLURM_ARRAY_TASK_ID": "0", "SLURM_ARRAY_TASK_MIN": "0", "SLURM_ARRAY_TASK_MAX": "3"}, 0, harness.Shard{1, 4}, "Slurm", ""},
		{"slurm with step", map[string]string{"SLURM_ARRAY_TASK_ID": "8", "SLURM_ARRAY_TASK_MIN": "0", "SLURM_ARRAY_TASK_MAX": "12", "SLURM_ARRAY_TASK_STEP": "4"}, 0, harness.Shard{3, 4}, "Slurm", ""},
		{"slurm without size", map[string]string{"SLURM_ARRAY_TASK_ID": "1"}, 0, harness.Shard{}, "", "SLURM_ARRAY_TASK_COUNT"},
	}
	for _, c := range cases {
		got, source, err := harness.ShardFromEnv(func(k string) string { return c.env[k] }, c.countFlag)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s: error %v, want %q", c.name, err, c.err)
			}
			continue
		}
		if err != nil || got != c.want || !strings.Contains(source, c.source) {
			t.Errorf("%s: got %v from %q (%v), want %v from %q", c.name, got, source, err, c.want, c.source)
		}
	}
}

// Every cell lands in exactly one shard, the same way whatever order the
// cells come in, and expensive cells are spread out.
func TestAssignShardsIsAPartitionBalancedByCost(t *testing.T) {
	var cells []harness.PlannedCell
	for i := range 40 {
		cells = append(cells, harness.PlannedCell{ID: kit.Itoa(i), Cost: float64(1 + i%7)})
	}
	a := harness.AssignShards(cells, 3)
	reversed := make([]harness.PlannedCell, len(cells))
	for i, c := range cells {
		reversed[len(cells)-1-i] = c
	}
	b := harness.AssignShards(reversed, 3)
	load := make([]float64, 4)
	for _, c := range cells {
		if a[c.ID] < 1 || a[c.ID] > 3 {
			t.Fatalf("cell %s assigned to shard %d", c.ID, a[c.ID])
		}
		if a[c.ID] != b[c.ID] {
			t.Errorf("cell %s: shard %d or %d depending on order", c.ID, a[c.ID], b[c.ID])
		}
		load[a[c.ID]] += c.Cost
	}
	if spread := max(load[1], load[2], load[3]) - min(load[1], load[2], load[3]); spread > 7 {
		t.Errorf("shard loads %v differ by more than the largest cell", load[1:])
	}
}
