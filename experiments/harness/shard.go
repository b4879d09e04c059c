package harness

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Shard selects part of a sweep: shard Index of Count, 1-based as in
// Playwright's and Jest's --shard. The zero value (Count 0) is the whole
// sweep.
type Shard struct {
	Index, Count int
}

// Whole reports whether the shard is the whole sweep.
func (s Shard) Whole() bool { return s.Count <= 1 }

func (s Shard) String() string {
	if s.Whole() {
		return "all"
	}
	return fmt.Sprintf("%d/%d", s.Index, s.Count)
}

// ParseShard reads "i/n" with 1 <= i <= n.
func ParseShard(s string) (Shard, error) {
	is, ns, ok := strings.Cut(strings.TrimSpace(s), "/")
	if !ok {
		return Shard{}, fmt.Errorf("--shard %q: want i/n, e.g. 2/5 (1-based)", s)
	}
	i, err1 := strconv.Atoi(strings.TrimSpace(is))
	n, err2 := strconv.Atoi(strings.TrimSpace(ns))
	if err1 != nil || err2 != nil {
		return Shard{}, fmt.Errorf("--shard %q: i and n must be integers, e.g. 2/5", s)
	}
	if n < 1 {
		return Shard{}, fmt.Errorf("--shard %q: the shard count must be at least 1", s)
	}
	if i < 1 || i > n {
		return Shard{}, fmt.Errorf("--shard %q: the index must be between 1 and %d (shards are numbered from 1)", s, n)
	}
	return Shard{Index: i, Count: n}, nil
}

// ShardFromEnv finds the shard a batch system assigned to this process:
// a Kubernetes Indexed Job sets JOB_COMPLETION_INDEX (0-based; the count
// comes from countFlag or RELUEXP_SHARD_COUNT, since Kubernetes does not
// pass it), a Slurm job array sets SLURM_ARRAY_TASK_ID with
// SLURM_ARRAY_TASK_MIN, _MAX, _COUNT and _STEP. It returns the whole sweep
// and an empty source when neither is set.
func ShardFromEnv(getenv func(string) string, countFlag int) (Shard, string, error) {
	if v := getenv("JOB_COMPLETION_INDEX"); v != "" {
		idx, err := strconv.Atoi(v)
		if err != nil || idx < 0 {
			return Shard{}, "", fmt.Errorf("JOB_COMPLETION_INDEX=%q is not a non-negative integer", v)
		}
		count, src := countFlag, "--shard-count"
		if count <= 0 {
			c := getenv("RELUEXP_SHARD_COUNT")
			if c == "" {
				return Shard{}, "", fmt.Errorf("JOB_COMPLETION_INDEX=%s is set but the shard count is not: pass --shard-count N or set RELUEXP_SHARD_COUNT to the Job's completions", v)
			}
			count, err = strconv.Atoi(c)
			if err != nil || count < 1 {
				return Shard{}, "", fmt.Errorf("RELUEXP_SHARD_COUNT=%q is not a positive integer", c)
			}
			src = "$RELUEXP_SHARD_COUNT"
		}
		if idx >= count {
			return Shard{}, "", fmt.Errorf("JOB_COMPLETION_INDEX=%d is not below the shard count %d", idx, count)
		}
		return Shard{Index: idx + 1, Count: count}, fmt.Sprintf("Kubernetes Indexed Job ($JOB_COMPLETION_INDEX=%d, count from %s)", idx, src), nil
	}
	if v := getenv("SLURM_ARRAY_TASK_ID"); v != "" {
		atoi := func(name string, def int) (int, error) {
			s := getenv(name)
			if s == "" {
				return def, nil
			}
			n, err := strconv.Atoi(s)
			if err != nil {
				return 0, fmt.Errorf("%s=%q is not an integer", name, s)
			}
			return n, nil
		}
		id, err := atoi("SLURM_ARRAY_TASK_ID", 0)
		if err != nil {
			return Shard{}, "", err
		}
		lo, err := atoi("SLURM_ARRAY_TASK_MIN", 0)
		if err != nil {
			return Shard{}, "", err
		}
		step, err := atoi("SLURM_ARRAY_TASK_STEP", 1)
		if err != nil || step < 1 {
			return Shard{}, "", fmt.Errorf("SLURM_ARRAY_TASK_STEP=%q is not a positive integer", getenv("SLURM_ARRAY_TASK_STEP"))
		}
		count, err := atoi("SLURM_ARRAY_TASK_COUNT", 0)
		if err != nil {
			return Shard{}, "", err
		}
		if count == 0 {
			hi, err := atoi("SLURM_ARRAY_TASK_MAX", -1)
			if err != nil || hi < lo {
				return Shard{}, "", fmt.Errorf("SLURM_ARRAY_TASK_ID=%s is set but neither SLURM_ARRAY_TASK_COUNT nor a valid SLURM_ARRAY_TASK_MAX is", v)
			}
			count = (hi-lo)/step + 1
		}
		if countFlag > 0 {
			count = countFlag
		}
		idx := (id - lo) / step
		if id < lo || (id-lo)%step != 0 || idx >= count {
			return Shard{}, "", fmt.Errorf("SLURM_ARRAY_TASK_ID=%d does not fit the array (min %d, step %d, count %d)", id, lo, step, count)
		}
		return Shard{Index: idx + 1, Count: count}, fmt.Sprintf("Slurm job array ($SLURM_ARRAY_TASK_ID=%d of %d tasks from %d)", id, count, lo), nil
	}
	return Shard{}, "", nil
}

// AssignShards gives every cell a shard (1..count), balancing the expected
// cost: cells in decreasing cost (ties by ID) each go to the shard with the
// least cost so far (ties to the lowest index), the longest-processing-time
// rule. It depends only on the cells' IDs and costs, so every shard of a
// sweep computes the same assignment.
func AssignShards(cells []PlannedCell, count int) map[string]int {
	out := make(map[string]int, len(cells))
	if count <= 1 {
		for _, c := range cells {
			out[c.ID] = 1
		}
		return out
	}
	order := make([]PlannedCell, len(cells))
	copy(order, cells)
	sort.Slice(order, func(a, b int) bool {
		if order[a].Cost != order[b].Cost {
			return order[a].Cost > order[b].Cost
		}
		return order[a].ID < order[b].ID
	})
	load := make([]float64, count)
	for _, c := range order {
		best := 0
		for s := 1; s < count; s++ {
			if load[s] < load[best] {
				best = s
			}
		}
		// A cell of unknown (zero) cost still counts, so that equal cells
		// spread round-robin.
		load[best] += max(c.Cost, 1e-9)
		out[c.ID] = best + 1
	}
	return out
}
