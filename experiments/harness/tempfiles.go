package harness

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
)

// Leftovers of a killed run. Every record, manifest and output is written
// through internal/atomicfile: to a temporary file named ".NAME.tmp-DIGITS"
// (os.CreateTemp with the pattern "."+NAME+".tmp-*") in the same folder,
// then renamed over NAME. A process killed between the two (SIGKILL, a
// crash, a power cut) leaves the temporary file behind. The next run
// removes such files from the folders it writes, but only while no other
// process is working in the same folder: several shards may share one
// results folder (a Kubernetes Indexed Job on a shared volume), and a file
// another process is writing must not vanish under it.

// tempFilePattern matches atomicfile's temporary names and nothing else.
var tempFilePattern = regexp.MustCompile(`^\..+\.tmp-[0-9]+$`)

// IsTempFile reports whether name (a file name, not a path) is one of the
// temporary files a write in progress, or a killed one, leaves.
func IsTempFile(name string) bool { return tempFilePattern.MatchString(name) }

// lockName is the file, in a cells folder, that runs working in it hold a
// lock on (shared while they run; exclusive for a moment to clean up).
const lockName = ".lock"

// occupy marks cellsDir as in use by this process for as long as the
// returned release is not called. If no other process is using it, it first
// removes the leftover temporary files from cellsDir and from each folder in
// alsoClean, and returns how many it removed. The folder is created if
// needed.
func occupy(cellsDir string, alsoClean ...string) (removed int, release func(), err error) {
	if err := os.MkdirAll(cellsDir, 0o755); err != nil {
		return 0, nil, fmt.Errorf("create %s: %w", cellsDir, err)
	}
	f, err := os.OpenFile(filepath.Join(cellsDir, lockName), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return 0, nil, fmt.Errorf("open %s: %w", filepath.Join(cellsDir, lockName), err)
	}
	alone, err := lockExclusiveNow(f)
	if err != nil {
		f.Close()
		return 0, nil, fmt.Errorf("lock %s: %w", f.Name(), err)
	}
	if alone {
		for _, dir := range append([]string{cellsDir}, alsoClean...) {
			n, err := removeTempFiles(dir)
			removed += n
			if err != nil {
				f.Close()
				return removed, nil, err
			}
		}
	}
	// Hold the folder shared from here on, so that a second run started now
	// neither cleans under this one nor is kept from running.
	if err := lockShared(f); err != nil {
		f.Close()
		return removed, nil, fmt.Errorf("lock %s: %w", f.Name(), err)
	}
	return removed, func() { f.Close() }, nil
}

// removeTempFiles deletes the temporary files directly in dir (not in its
// subfolders) and returns how many it deleted. A missing dir holds none.
func removeTempFiles(dir string) (int, error) {
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	n := 0
	for _, e := range entries {
		if !e.Type().IsRegular() || !IsTempFile(e.Name()) {
			continue
		}
		if err := os.Remove(filepath.Join(dir, e.Name())); err != nil && !os.IsNotExist(err) {
			return n, fmt.Errorf("removing a leftover temporary file: %w", err)
		}
		n++
	}
	return n, nil
}
