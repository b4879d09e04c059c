// Command compare prints reluexp's training-step and activation-kernel
// benchmarks beside PyTorch's, measured in the same run on the same
// machine: `make bench`. PyTorch is optional (apt-get install
// python3-torch); without it the table has reluexp's numbers only.
//
// Both sides use every core: reluexp's benchmarks raise model.SetThreads,
// bench/torch_bench.py calls torch.set_num_threads(os.cpu_count()).
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"strconv"
	"strings"

	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/model"
	"github.com/reluexp/reluexp/report"
)

// kernelVariants are the activations in the kernel table: every built-in
// but identity (a copy) and silu (swish's other name).
var kernelVariants = []string{"relu", "leaky", "prelu", "twosided", "elu", "selu", "swish", "gelu", "softplus", "sigmoid", "tanh"}

func main() {
	benchtime := flag.String("benchtime", "2s", "go test -benchtime for each benchmark")
	python := flag.String("python", "", "Python with torch (default: the first of python3, /usr/bin/python3 that imports torch)")
	flag.Parse()

	tags := ""
	if strings.HasPrefix(model.BLASBackend(), "OpenBLAS") {
		tags = "openblas"
	}
	goTimes, err := goBenchmarks(tags, *benchtime)
	if err != nil {
		fmt.Fprintln(os.Stderr, "compare:", err)
		os.Exit(1)
	}
	torchTimes, torchNote := torchBenchmarks(*python)

	t := result.Table{Columns: []string{"benchmark", "reluexp", "PyTorch", "PyTorch / reluexp"}}
	add := func(label, goKey, torchKey, unit string, scale float64) {
		g, okG := goTimes[goKey]
		p, okP := torchTimes[torchKey]
		row := []string{label, "n/a", "n/a", "n/a"}
		if okG {
			row[1] = fmt.Sprintf("%.3g %s", g*scale, unit)
		}
		if okP {
			row[2] = fmt.Sprintf("%.3g %s", p*scale, unit)
		}
		if okG && okP {
			row[3] = fmt.Sprintf("%.2fx", p/g)
		}
		t.Rows = append(t.Rows, row)
	}
	add("dgemm 512x512x512", "Dgemm/512", "dgemm/512", "ms", 1e3)
	for _, shape := range []string{"784-256-256-10/b128", "64-20x64-10/b64", "784-1024-1024-10/b256"} {
		add("SGD step "+shape, "TrainingStep/"+shape, "step/"+shape, "ms", 1e3)
	}
	add("SGD step CNN 28x28-c16k5-pool2-c32k5-pool2-10/b64", "CNNStep/fashion28/b64", "step/cnn-fashion28/b64", "ms", 1e3)
	for _, size := range []string{"16M", "4K"} {
		add("copy "+size, "Activation/"+size+"/copy", "kernel/copy/"+size, "ns/elem", 1)
		for _, act := range kernelVariants {
			for _, pass := range []string{"forward", "backward"} {
				add(fmt.Sprintf("%s %s %s", act, pass, size), fmt.Sprintf("Activation/%s/%s/%s", size, act, pass),
					fmt.Sprintf("kernel/%s/%s/%s", act, pass, size), "ns/elem", 1)
			}
		}
	}
	fmt.Printf("reluexp (BLAS: %s) against %s; %s, %d CPUs, %s\n\n", model.BLASBackend(), torchNote, runtime.GOOS+"/"+runtime.GOARCH, runtime.NumCPU(), runtime.Version())
	if err := report.WriteTable(os.Stdout, t); err != nil {
		fmt.Fprintln(os.Stderr, "compare:", err)
		os.Exit(1)
	}
	if c, ok := goTimes["Activation/16M/copy"]; ok {
		for _, pass := range []string{"forward", "backward"} {
			if r, ok := goTimes["Activation/16M/relu/"+pass]; ok {
				fmt.Printf("ReLU %s at 16M elements: %.2fx the time of a copy of the same size.\n", pass, r/c)
			}
		}
	}
	// The targets of issue 18: each variant's time against ReLU's (the
	// piecewise-linear ones) or tanh's (those built on exp), in this run.
	for _, size := range []string{"16M", "4K"} {
		for _, pass := range []string{"forward", "backward"} {
			var parts []string
			for _, act := range kernelVariants {
				ref := "tanh"
				switch act {
				case "relu", "sigmoid", "tanh":
					continue
				case "leaky", "prelu", "twosided":
					ref = "relu"
				}
				a, okA := goTimes[fmt.Sprintf("Activation/%s/%s/%s", size, act, pass)]
				r, okR := goTimes[fmt.Sprintf("Activation/%s/%s/%s", size, ref, pass)]
				if okA && okR {
					parts = append(parts, fmt.Sprintf("%s %.2fx %s", act, a/r, ref))
				}
			}
			if parts != nil {
				fmt.Printf("%s %s, against ReLU or tanh: %s.\n", size, pass, strings.Join(parts, ", "))
			}
		}
	}
	const dgemmFlops = 2 * 512 * 512 * 512
	if g, ok := goTimes["Dgemm/512"]; ok {
		line := fmt.Sprintf("dgemm rate (512x512x512): reluexp's backend %.1f GFLOP/s", dgemmFlops/g/1e9)
		if p, ok := torchTimes["dgemm/512"]; ok {
			line += fmt.Sprintf(", PyTorch %.1f GFLOP/s", dgemmFlops/p/1e9)
		}
		fmt.Println(line + ".")
		if r, ok := goTimes["CNNStep/fashion28/b64/GFLOP/s"]; ok {
			fmt.Printf("CNN step: its products' FLOPs over the whole step's time are %.1f GFLOP/s, %.0f%% of reluexp's dgemm rate.\n", r, 100*r/(dgemmFlops/g/1e9))
		}
	}
	fmt.Println("Ratios above 1 mean reluexp is faster. Both measured in this run; shared machines are noisy, so rerun before reading much into 10%.")
}

// benchLine matches a `go test -bench` result line: name, iterations,
// ns/op and any further metrics.
var benchLine = regexp.MustCompile(`^Benchmark(\S+?)(-\d+)?\s+\d+\s+([\d.]+) ns/op(.*)$`)

// goBenchmarks runs the model package's benchmarks and returns, by name,
// seconds per operation for training steps and ns per element for kernels.
func goBenchmarks(tags, benchtime string) (map[string]float64, error) {
	args := []string{"test", "-run", "^$", "-bench", "Dgemm|TrainingStep|CNNStep|Activation/(4K|16M)/(copy|" + strings.Join(kernelVariants, "|") + ")(/|$)", "-benchtime", benchtime}
	if tags != "" {
		args = append(args, "-tags", tags)
	}
	args = append(args, "./model/")
	fmt.Fprintln(os.Stderr, "go", strings.Join(args, " "))
	cmd := exec.Command("go", args...)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go test: %v\n%s", err, out)
	}
	times := map[string]float64{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		m := benchLine.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		name := m[1]
		nsOp, _ := strconv.ParseFloat(m[3], 64)
		if strings.HasPrefix(name, "TrainingStep/") || strings.HasPrefix(name, "CNNStep/") || strings.HasPrefix(name, "Dgemm/") {
			times[name] = nsOp / 1e9
			// The CNN step also reports its products' rate.
			fields := strings.Fields(m[4])
			for i := 0; i+1 < len(fields); i++ {
				if fields[i+1] == "GFLOP/s" {
					v, _ := strconv.ParseFloat(fields[i], 64)
					times[name+"/GFLOP/s"] = v
				}
			}
			continue
		}
		// Kernels report ns/elem as a metric.
		fields := strings.Fields(m[4])
		for i := 0; i+1 < len(fields); i++ {
			if fields[i+1] == "ns/elem" {
				v, _ := strconv.ParseFloat(fields[i], 64)
				times[name] = v
			}
		}
	}
	return times, nil
}

// torchBenchmarks runs bench/torch_bench.py with a Python that has torch.
func torchBenchmarks(python string) (map[string]float64, string) {
	candidates := []string{"python3", "/usr/bin/python3"}
	if python != "" {
		candidates = []string{python}
	}
	for _, py := range candidates {
		if exec.Command(py, "-c", "import torch").Run() != nil {
			continue
		}
		fmt.Fprintln(os.Stderr, py, "bench/torch_bench.py")
		cmd := exec.Command(py, "bench/torch_bench.py")
		cmd.Stderr = os.Stderr
		out, err := cmd.Output()
		if err != nil {
			return nil, fmt.Sprintf("PyTorch (failed: %v)", err)
		}
		times := map[string]float64{}
		version := "?"
		sc := bufio.NewScanner(bytes.NewReader(out))
		for sc.Scan() {
			var rec struct {
				Name         string   `json:"name"`
				Seconds      float64  `json:"seconds"`
				NsPerElement *float64 `json:"ns_per_element"`
				Torch        string   `json:"torch"`
				Threads      int      `json:"threads"`
			}
			if json.Unmarshal(sc.Bytes(), &rec) != nil {
				continue
			}
			version = fmt.Sprintf("%s, %d threads", rec.Torch, rec.Threads)
			if rec.NsPerElement != nil {
				times[rec.Name] = *rec.NsPerElement
			} else {
				times[rec.Name] = rec.Seconds
			}
		}
		return times, "PyTorch " + version + " (float64)"
	}
	return nil, "no PyTorch (apt-get install python3-torch to compare)"
}
