package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// An interrupted sweep, as a real process receiving SIGINT or SIGTERM:
// it exits non-zero saying how to resume, leaves no partial file, keeps
// the finished cells, and the rerun completes only what is missing and
// writes what an uninterrupted run writes.
func TestInterruptedProcessResumes(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary several times")
	}
	bin := filepath.Join(t.TempDir(), "reluexp")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	args := []string{"run", "vanishing", "--quick", "--workers", "1", "--quiet", "--depths", "2,10,30,60",
		"--train-depths", "2", "--train-examples", "500", "--test-examples", "500"}
	root := t.TempDir()
	ref := filepath.Join(root, "ref")
	if out, err := exec.Command(bin, append(args, "--out", ref)...).CombinedOutput(); err != nil {
		t.Fatalf("uninterrupted run: %v\n%s", err, out)
	}
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		out := filepath.Join(root, sig.String())
		cells := filepath.Join(out, "vanishing", "cells")
		cmd := exec.Command(bin, append(args, "--out", out)...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Wait for a few finished cells, then interrupt.
		deadline := time.Now().Add(60 * time.Second)
		for countRecords(cells) < 5 && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		cmd.Process.Signal(sig)
		err := cmd.Wait()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 128+int(sig) {
			t.Fatalf("%v: exit %v, want status %d; stderr:\n%s", sig, err, 128+int(sig), stderr.String())
		}
		if !strings.Contains(stderr.String(), "run the same command again") {
			t.Errorf("%v: stderr does not say how to resume:\n%s", sig, stderr.String())
		}
		kept := countRecords(cells)
		if kept < 5 {
			t.Errorf("%v: %d records kept, want the finished cells", sig, kept)
		}
		filepath.Walk(out, func(p string, info os.FileInfo, err error) error {
			if err == nil && (strings.Contains(info.Name(), ".tmp-") || info.Name() == "summary.json") {
				t.Errorf("%v: interrupted run left %s", sig, p)
			}
			return nil
		})
		rerun, err := exec.Command(bin, append(args, "--out", out)...).CombinedOutput()
		if err != nil {
			t.Fatalf("%v: rerun: %v\n%s", sig, err, rerun)
		}
		if !strings.Contains(string(rerun), "reused from earlier records") {
			t.Errorf("%v: rerun output %q", sig, rerun)
		}
		for _, f := range []string{"gradients.csv", "mnist-by-depth.csv", "summary.json", "gradient-by-layer.png"} {
			a, _ := os.ReadFile(filepath.Join(ref, "vanishing", f))
			b, _ := os.ReadFile(filepath.Join(out, "vanishing", f))
			if len(a) == 0 || !bytes.Equal(a, b) {
				t.Errorf("%v: resumed %s differs from the uninterrupted run's", sig, f)
			}
		}
	}
}

func countRecords(dir string) int {
	entries, _ := os.ReadDir(dir)
	n := 0
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".json") && e.Name() != "manifest.json" && !strings.Contains(e.Name(), ".tmp-") {
			n++
		}
	}
	return n
}
