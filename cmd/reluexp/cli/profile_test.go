package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCPUProfile checks --cpuprofile: a profile is written for any command,
// and a folder that cannot hold it is a usage error naming the flag.
func TestCPUProfile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cpu.out")
	var out, errb bytes.Buffer
	if code := Execute(context.Background(), []string{"list", "--cpuprofile", path}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if st, err := os.Stat(path); err != nil || st.Size() == 0 {
		t.Fatalf("no profile written: %v", err)
	}
	errb.Reset()
	bad := filepath.Join(t.TempDir(), "missing", "cpu.out")
	if code := Execute(context.Background(), []string{"list", "--cpuprofile", bad}, &out, &errb); code != exitUsage || !strings.Contains(errb.String(), "--cpuprofile") {
		t.Errorf("exit %d, stderr %q: want 2 naming --cpuprofile", code, errb.String())
	}
}
