package harness

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// Memory bounds: a configuration whose cells would need more memory than
// the machine has (a width or batch typed with one zero too many) is
// refused before anything runs, with the estimate, instead of swapping for
// an hour. Estimates are deliberately simple upper bounds of the largest
// buffers: parameters with their gradients and optimiser state, and a few
// batch-by-width buffers per layer.

const gib = 1 << 30

// memoryLimit is how much memory the cells may use: $RELUEXP_MEMORY_GIB
// if set, else 80% of the machine's memory (0 if unknown: no check).
func memoryLimit() int64 {
	if s := os.Getenv("RELUEXP_MEMORY_GIB"); s != "" {
		if v, err := strconv.ParseFloat(s, 64); err == nil && v > 0 {
			return int64(v * gib)
		}
	}
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) >= 2 && fields[0] == "MemTotal:" {
			kb, err := strconv.ParseInt(fields[1], 10, 64)
			if err == nil {
				return kb * 1024 * 8 / 10
			}
		}
	}
	return 0
}

// CheckMemory refuses cfg if its cells, run workers at a time, would need
// more memory than the machine has. The experiment's estimate says what
// one cell needs (per) and what all cells share (shared).
func CheckMemory(exp Experiment, cfg any, workers int) error {
	per, shared := exp.memory(cfg)
	if per == 0 {
		return nil
	}
	limit := memoryLimit()
	if limit == 0 {
		return nil
	}
	need := int64(max(workers, 1))*per + shared
	if need <= limit {
		return nil
	}
	return fmt.Errorf("%s: this configuration needs about %.1f GiB (%.1f GiB per cell x %d workers, plus %.1f GiB of data), more than the %.1f GiB this machine allows "+
		"(80%% of its memory, or $RELUEXP_MEMORY_GIB): lower the widths, depths or batch sizes, or run with fewer --workers",
		exp.Name(), float64(need)/gib, float64(per)/gib, max(workers, 1), float64(shared)/gib, float64(limit)/gib)
}
