package harness

import (
	"os"
	"path/filepath"
	"testing"
)

// The pattern matches what atomicfile leaves and nothing a user or the
// harness keeps: records, manifests, outputs, the lock.
func TestIsTempFile(t *testing.T) {
	for _, tc := range []struct {
		name string
		want bool
	}{
		{".grad_relu_he-normal_w64_b64_d2_s0.1a2b3c4d.json.tmp-3141592653", true},
		{".manifest.json.tmp-1", true},
		{".summary.json.tmp-42", true},
		{".gradient-by-layer.png.tmp-0123", true},
		{"grad_relu.1a2b3c4d.json", false},
		{"manifest.json", false},
		{".lock", false},
		{"notes.tmp-12", false},           // no leading dot: not atomicfile's
		{".notes.tmp-", false},            // no number
		{".notes.tmp-12x", false},         // not only digits
		{".tmp-12", false},                // no name before .tmp-
		{".reluexp-write-test-77", false}, // the --out probe
		{".draft.json.tmp-12.bak", false},
	} {
		if got := IsTempFile(tc.name); got != tc.want {
			t.Errorf("IsTempFile(%q) = %v, want %v", tc.name, got, tc.want)
		}
	}
	// A name made the way atomicfile makes its temporary files.
	dir := t.TempDir()
	f, err := os.CreateTemp(dir, ".record.json.tmp-*")
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if !IsTempFile(filepath.Base(f.Name())) {
		t.Errorf("%s, made as atomicfile makes them, does not match", filepath.Base(f.Name()))
	}
}

// The first run in a folder removes the leftover temporary files there and
// in the outputs folder, and only those; a run that starts while another
// works in the same folder leaves them, since they may be that run's
// writes in progress.
func TestOccupyCleansOnlyWhenAlone(t *testing.T) {
	dir := t.TempDir()
	cells := filepath.Join(dir, CellsDir)
	if err := os.MkdirAll(filepath.Join(cells, ".sub.tmp-1"), 0o755); err != nil {
		t.Fatal(err)
	}
	leftovers := []string{filepath.Join(cells, ".a.json.tmp-123"), filepath.Join(cells, ".manifest.json.tmp-9"), filepath.Join(dir, ".summary.json.tmp-77")}
	kept := []string{filepath.Join(cells, "a.0000beef.json"), filepath.Join(cells, "notes.tmp-1"), filepath.Join(dir, "summary.json"), filepath.Join(dir, ".hidden")}
	write := func(paths []string) {
		for _, p := range paths {
			if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Another process (here, another open file) is working in the folder,
	// and has files being written.
	_, releaseOther, err := occupy(cells)
	if err != nil {
		t.Fatal(err)
	}
	write(append(leftovers, kept...))
	n, release, err := occupy(cells, dir)
	if err != nil {
		t.Fatal(err)
	}
	release()
	if n != 0 {
		t.Errorf("removed %d files while another run was working in the folder", n)
	}
	for _, p := range leftovers {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s removed under another run: %v", p, err)
		}
	}
	releaseOther()

	n, release, err = occupy(cells, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	if n != len(leftovers) {
		t.Errorf("removed %d files, want %d", n, len(leftovers))
	}
	for _, p := range leftovers {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s left in place", p)
		}
	}
	for _, p := range append(kept, filepath.Join(cells, ".sub.tmp-1")) {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s, not a leftover, was removed: %v", p, err)
		}
	}
}
