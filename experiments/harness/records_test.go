package harness_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reluexp/reluexp/experiments/harness"
	"github.com/reluexp/reluexp/experiments/vanishing"
)

func smallVanishing() *vanishing.Config {
	c := vanishing.Defaults(true)
	c.Variants, c.Inits, c.Depths, c.Seeds, c.TrainDepths = []string{"relu", "tanh"}, []string{"he-normal"}, []int{3}, 2, nil
	c.Width, c.Batch = 16, 16
	return c
}

// A rerun reuses every valid record; changed parameters, a failed record
// or a damaged file make the cell run again.
func TestExecuteResumesFromRecords(t *testing.T) {
	exp := vanishing.New()
	cfg := smallVanishing()
	dir := t.TempDir()
	store := harness.DirStore{Dir: dir}
	opts := harness.ExecOptions{Seed: 1, Workers: 2, Store: store}
	rep, err := harness.Execute(context.Background(), exp, cfg, opts)
	if err != nil || rep.Ran != 4 || rep.Reused != 0 {
		t.Fatalf("first run: %+v, %v", rep, err)
	}
	rep, err = harness.Execute(context.Background(), exp, cfg, opts)
	if err != nil || rep.Ran != 0 || rep.Reused != 4 {
		t.Fatalf("rerun: %+v, %v; want everything reused", rep, err)
	}
	// Damage one record and mark another failed: both rerun.
	plan := harness.Plan(exp, cfg, 1)
	if err := os.WriteFile(filepath.Join(dir, harness.RecordFile(plan[0].ID)), []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	rec, _, _ := store.Load(plan[1].ID)
	rec.Error, rec.Result = "boom", nil
	if err := store.Save(rec); err != nil {
		t.Fatal(err)
	}
	rep, err = harness.Execute(context.Background(), exp, cfg, opts)
	if err != nil || rep.Ran != 2 || rep.Reused != 2 {
		t.Errorf("after damage: %+v, %v; want 2 rerun", rep, err)
	}
	// Another seed is another sweep: nothing is reused.
	opts.Seed = 2
	if rep, _ := harness.Execute(context.Background(), exp, cfg, opts); rep.Reused != 0 {
		t.Errorf("another seed reused %d records", rep.Reused)
	}
	// --force reruns everything.
	opts.Seed, opts.Force = 1, true
	if rep, _ := harness.Execute(context.Background(), exp, cfg, opts); rep.Ran != 4 {
		t.Errorf("force ran %d of 4", rep.Ran)
	}
}

func TestSummarizeListsMissingCells(t *testing.T) {
	exp := vanishing.New()
	cfg := smallVanishing()
	store := harness.NewMemoryStore()
	if _, err := harness.Execute(context.Background(), exp, cfg, harness.ExecOptions{Seed: 1, Store: store, Shard: harness.Shard{1, 2}}); err != nil {
		t.Fatal(err)
	}
	_, err := harness.Summarize(exp, cfg, 1, store)
	if err == nil || !strings.Contains(err.Error(), "2 cell(s) have no valid record") {
		t.Fatalf("error %v, want the two missing cells listed", err)
	}
}

func TestCellFailuresAreRecordedAndTheOthersRun(t *testing.T) {
	exp := harness.Register(harness.Definition[struct{}, int, int]{
		Name:     "failing",
		Defaults: func(bool) *struct{} { return &struct{}{} },
		Cells: func(*struct{}) []harness.Cell[int] {
			return []harness.Cell[int]{{ID: "a", Params: 1}, {ID: "b", Params: 2}, {ID: "c", Params: 3}}
		},
		Run: func(_ context.Context, _ *harness.Env, p int, _ *rand.Rand) (int, error) {
			if p == 2 {
				panic("cell b is broken")
			}
			return p * 10, nil
		},
	})
	store := harness.NewMemoryStore()
	rep, err := harness.Execute(context.Background(), exp, &struct{}{}, harness.ExecOptions{Seed: 1, Workers: 2, Store: store})
	if err == nil || !strings.Contains(err.Error(), "b: panic: cell b is broken") {
		t.Fatalf("error %v, want cell b's panic", err)
	}
	if rep.Ran != 3 || len(rep.Failed) != 1 {
		t.Errorf("report %+v", rep)
	}
	for _, id := range []string{"a", "c"} {
		if rec, ok, _ := store.Load(id); !ok || rec.Error != "" {
			t.Errorf("cell %s: record %+v", id, rec)
		}
	}
	if rec, _, _ := store.Load("b"); !strings.Contains(rec.Error, "broken") {
		t.Errorf("failed cell's record lacks its error: %+v", rec)
	}
}

// failingStore saves the first n records and then fails like a full disk.
type failingStore struct {
	harness.DirStore
	mu    sync.Mutex
	left  int
	tried int
}

func (s *failingStore) Save(r harness.Record) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tried++
	if s.left == 0 {
		return fmt.Errorf("write %s: no space left on device", filepath.Join(s.Dir, harness.RecordFile(r.ID)))
	}
	s.left--
	return s.DirStore.Save(r)
}

// A failing write stops the run with the path in the error; the records
// saved before it are intact and a later run reuses them.
func TestStorageFaultStopsTheRunAndKeepsEarlierRecords(t *testing.T) {
	exp := vanishing.New()
	cfg := smallVanishing()
	cfg.Seeds = 6 // 12 cells
	dir := t.TempDir()
	store := &failingStore{DirStore: harness.DirStore{Dir: dir}, left: 3}
	rep, err := harness.Execute(context.Background(), exp, cfg, harness.ExecOptions{Seed: 1, Workers: 1, Store: store})
	if err == nil || !strings.Contains(err.Error(), "no space left on device") || !strings.Contains(err.Error(), dir) {
		t.Fatalf("error %v, want the failed write with its path", err)
	}
	if store.tried >= 12 {
		t.Errorf("the run went on to try %d saves after the disk filled up", store.tried)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 3 {
		t.Errorf("%d records on disk, want the 3 saved before the fault", len(entries))
	}
	rep, err = harness.Execute(context.Background(), exp, cfg, harness.ExecOptions{Seed: 1, Workers: 2, Store: harness.DirStore{Dir: dir}})
	if err != nil || rep.Reused != 3 || rep.Ran != 9 {
		t.Errorf("after the fault: %+v, %v; want 3 reused and 9 run", rep, err)
	}
}

// A cell marked Alone runs before the others with none in flight, however
// many workers there are and wherever it sits in the cost order; the
// others still run in parallel.
func TestAloneCellsRunWithNoOtherInFlight(t *testing.T) {
	var mu sync.Mutex
	inFlight, most := 0, 0
	var order []string
	var aloneSaw []int
	// Two training cells in flight at once close met; each training cell
	// waits for that (or gives up after a while), so a harness that ran
	// them one at a time would leave most at 1.
	met := make(chan struct{})
	exp := harness.Register(harness.Definition[struct{}, string, int]{
		Name:     "alone",
		Defaults: func(bool) *struct{} { return &struct{}{} },
		Cells: func(*struct{}) []harness.Cell[string] {
			var cells []harness.Cell[string]
			for i := range 8 {
				cells = append(cells, harness.Cell[string]{ID: fmt.Sprintf("train%d", i), Params: "train", Cost: 10})
			}
			// Cheapest, so the cost order alone would hand it out last.
			return append(cells, harness.Cell[string]{ID: "timing", Params: "timing", Cost: 1, Alone: true})
		},
		Run: func(_ context.Context, _ *harness.Env, p string, _ *rand.Rand) (int, error) {
			mu.Lock()
			inFlight++
			most = max(most, inFlight)
			order = append(order, p)
			if p == "timing" {
				aloneSaw = append(aloneSaw, inFlight)
			}
			if inFlight == 2 && p == "train" {
				select {
				case <-met:
				default:
					close(met)
				}
			}
			mu.Unlock()
			if p == "train" {
				select {
				case <-met:
				case <-time.After(2 * time.Second):
				}
			}
			mu.Lock()
			inFlight--
			mu.Unlock()
			return 1, nil
		},
	})
	if _, err := harness.Execute(context.Background(), exp, &struct{}{}, harness.ExecOptions{Seed: 1, Workers: 4, Store: harness.NewMemoryStore()}); err != nil {
		t.Fatal(err)
	}
	if len(aloneSaw) != 1 || aloneSaw[0] != 1 || order[0] != "timing" {
		t.Errorf("the alone cell saw %v cells in flight (want only itself) and ran at %v", aloneSaw, order)
	}
	if most < 2 {
		t.Errorf("at most %d cell in flight: the other cells should still run in parallel", most)
	}
}
