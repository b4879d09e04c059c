package harness

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/reluexp/reluexp/internal/atomicfile"
)

// Every finished cell is kept as a record: its parameters, seed and result
// as JSON. A run summarises from records, never from values held in memory,
// so a run on one machine, a resumed run and shards merged from many
// machines all summarise the same bytes and render the same outputs.

// RecordFormat is the version of the record layout; records of another
// format are ignored (and rerun).
const RecordFormat = 1

// Record is one cell's outcome.
type Record struct {
	Format     int    `json:"format"`
	Experiment string `json:"experiment"`
	// Version is the experiment's own version: bumped when what a cell
	// computes changes, so that old records are not mixed with new ones.
	Version int             `json:"version"`
	ID      string          `json:"id"`
	Seed    uint64          `json:"seed"`
	Params  json.RawMessage `json:"params"`
	Result  json.RawMessage `json:"result,omitempty"`
	// Error is set for a cell that failed; such a record is kept for the
	// user to read and is rerun by the next run.
	Error string `json:"error,omitempty"`
	// WallSeconds is how long the cell took. It is the one field that
	// differs between identical runs; nothing derived from it enters the
	// summaries.
	WallSeconds float64 `json:"wall_seconds"`
}

// Manifest describes a sweep: which experiment, configuration and seed, and
// the IDs of all its cells. Every shard of a sweep writes the same manifest;
// merging checks that they agree and that every listed cell has a record.
type Manifest struct {
	Format     int    `json:"format"`
	Experiment string `json:"experiment"`
	Version    int    `json:"version"`
	Seed       uint64 `json:"seed"`
	Quick      bool   `json:"quick"`
	// Profile is the set of defaults the configuration started from (""
	// for the experiment's own).
	Profile string          `json:"profile,omitempty"`
	Command string          `json:"command"`
	Config  json.RawMessage `json:"config"`
	Cells   []string        `json:"cells"`
}

// Store keeps records. DirStore keeps them as files; MemoryStore in memory
// (tests, and runs that write nothing).
type Store interface {
	// Load returns the record of cell id, if one exists.
	Load(id string) (Record, bool, error)
	// Save stores r, replacing any earlier record of the same cell.
	Save(r Record) error
}

// MemoryStore is a Store held in memory. It is safe for concurrent use.
type MemoryStore struct {
	mu      sync.Mutex
	records map[string]Record
}

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore() *MemoryStore { return &MemoryStore{records: map[string]Record{}} }

func (s *MemoryStore) Load(id string) (Record, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.records[id]
	return r, ok, nil
}

func (s *MemoryStore) Save(r Record) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.records[r.ID] = r
	return nil
}

// CellsDir is the folder, inside an experiment's results folder, that holds
// its records and manifest.
const CellsDir = "cells"

// DirStore keeps one JSON file per cell in a folder, each written
// atomically, so that an interrupted run loses at most the cells that were
// still running.
type DirStore struct{ Dir string }

// RecordFile is the file name of cell id's record: the ID made safe for
// file systems, plus a short hash of the exact ID so that two IDs that
// differ only in replaced characters cannot collide.
func RecordFile(id string) string {
	var b strings.Builder
	for _, r := range id {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '.':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	h := fnv.New32a()
	h.Write([]byte(id))
	name := b.String()
	if len(name) > 150 {
		name = name[:150]
	}
	return fmt.Sprintf("%s.%08x.json", name, h.Sum32())
}

func (s DirStore) Load(id string) (Record, bool, error) {
	path := filepath.Join(s.Dir, RecordFile(id))
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return Record{}, false, nil
	}
	if err != nil {
		return Record{}, false, err
	}
	var r Record
	if err := json.Unmarshal(b, &r); err != nil {
		// A damaged record is as good as none: the cell reruns.
		return Record{}, false, nil
	}
	return r, true, nil
}

func (s DirStore) Save(r Record) error {
	if err := os.MkdirAll(s.Dir, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", s.Dir, err)
	}
	b, err := json.MarshalIndent(r, "", " ")
	if err != nil {
		return fmt.Errorf("record of cell %s: %w", r.ID, err)
	}
	return atomicfile.WriteFile(filepath.Join(s.Dir, RecordFile(r.ID)), append(b, '\n'), 0o644)
}

// WriteManifest writes m to dir/manifest.json atomically.
func WriteManifest(dir string, m Manifest) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	b, err := json.MarshalIndent(m, "", " ")
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(filepath.Join(dir, "manifest.json"), append(b, '\n'), 0o644)
}

// ReadManifest reads dir/manifest.json.
func ReadManifest(dir string) (Manifest, error) {
	var m Manifest
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return m, err
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return m, fmt.Errorf("%s: %w", filepath.Join(dir, "manifest.json"), err)
	}
	return m, nil
}

// NewManifest describes the sweep of exp with cfg and seed.
func NewManifest(exp Experiment, cfg any, seed uint64, quick bool, profile, command string) (Manifest, error) {
	js, err := json.Marshal(cfg)
	if err != nil {
		return Manifest{}, err
	}
	m := Manifest{Format: RecordFormat, Experiment: exp.Name(), Version: exp.Version(), Seed: seed, Quick: quick, Profile: profileName(profile), Command: command, Config: js}
	for _, c := range Plan(exp, cfg, seed) {
		m.Cells = append(m.Cells, c.ID)
	}
	return m, nil
}

// SameSweep reports whether two manifests describe the same sweep.
func (m Manifest) SameSweep(o Manifest) bool {
	return m.Format == o.Format && m.Experiment == o.Experiment && m.Version == o.Version && m.Seed == o.Seed &&
		bytes.Equal(m.Config, o.Config) && slicesEqual(m.Cells, o.Cells)
}

// ConfigFromManifest decodes the manifest's configuration for exp.
func ConfigFromManifest(exp Experiment, m Manifest) (any, error) {
	cfg, err := Defaults(exp, m.Quick, m.Profile)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(m.Config))
	dec.DisallowUnknownFields()
	if err := dec.Decode(cfg); err != nil {
		return nil, fmt.Errorf("configuration of %s in its manifest: %w", m.Experiment, err)
	}
	return cfg, nil
}

func slicesEqual(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
