package cli

import (
	"path/filepath"
	"strings"
)

// The backend notice. Matrix products dominate the experiments' run time,
// and OpenBLAS does them several times faster than the pure-Go fallback
// (README, Performance), so every command that runs experiments says at
// the start which backend it runs on and, on pure Go, how to get OpenBLAS.

// openBLASPaths are where the Makefile looks for the library (its
// OPENBLAS_LIB); finding it there means `make build` will use it.
var openBLASPaths = []string{"/usr/lib/*/libopenblas.so", "/usr/lib64/libopenblas.so", "/usr/lib/libopenblas.so", "/usr/local/lib/libopenblas.so"}

// installedOpenBLAS returns the OpenBLAS library the Makefile would find,
// or "".
func installedOpenBLAS() string {
	for _, p := range openBLASPaths {
		if m, _ := filepath.Glob(p); len(m) > 0 {
			return m[0]
		}
	}
	return ""
}

// backendNotice is the line that names the backend (model.BLASBackend) and,
// on pure Go, says what OpenBLAS would bring and how to get it; lib is the
// OpenBLAS library found on the machine ("" if none).
func backendNotice(backend, lib string) string {
	if strings.HasPrefix(backend, "OpenBLAS") {
		return "BLAS backend: " + backend + "."
	}
	msg := "BLAS backend: " + backend + ". OpenBLAS typically makes the matrix products, most of the run time, several times faster. "
	rebuild := "the Makefile adds -tags openblas when it finds libopenblas.so and cgo is enabled, so `make build` (bin/reluexp) and `make report` then use it; with go itself, build with -tags openblas"
	if lib != "" {
		return msg + "It is installed (" + lib + ") but this binary was built without it: " + rebuild + "."
	}
	return msg + "To use it: apt-get install libopenblas-dev, then rebuild: " + rebuild + "."
}
