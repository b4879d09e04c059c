# reluexp: the two commands a fresh machine needs are `make report` (regenerate
# results/) and `make test` (run the tests). Both need only Go; the module
# proxy provides every dependency, MNIST included.
#
# Matrix products use OpenBLAS through cgo when the library is installed
# (Debian: apt-get install libopenblas-dev) and pure-Go gonum otherwise;
# `make BLAS=gonum ...` forces the pure-Go backend. The report records which
# one ran.

GO ?= go
OUT ?= results

OPENBLAS_LIB := $(firstword $(wildcard /usr/lib/*/libopenblas.so /usr/lib64/libopenblas.so /usr/lib/libopenblas.so /usr/local/lib/libopenblas.so))
CGO := $(shell $(GO) env CGO_ENABLED 2>/dev/null)
BLAS ?= $(if $(and $(OPENBLAS_LIB),$(filter 1,$(CGO))),openblas,gonum)
TAGS := $(if $(filter openblas,$(BLAS)),-tags openblas,)

.PHONY: all build test vet fmt report quick robustness bench fuzz clean

all: vet test

build:
	$(GO) build $(TAGS) -o bin/reluexp ./cmd/reluexp

# The tests: finite-difference gradient checks, statistical checks of
# initialisation, quick runs of every experiment, determinism across worker
# counts, sharding and resume, the command line's bad-input table, a real
# process interrupted by signals; then everything again under the race
# detector (-short skips the slowest end-to-end tests there). With OpenBLAS,
# the model package is also tested on the pure-Go backend. A package's
# tests may take longer than go test's default 10 minutes on a busy 2-core
# machine (cnnspeed under the race detector: 131 s alone, over 600 s beside
# another job), hence TEST_TIMEOUT.
TEST_TIMEOUT ?= 30m
test: vet
	$(GO) test $(TAGS) -timeout $(TEST_TIMEOUT) ./...
	$(if $(TAGS),$(GO) test -timeout $(TEST_TIMEOUT) ./model/)
	$(GO) test $(TAGS) -race -short -timeout $(TEST_TIMEOUT) ./...

vet:
	@test -z "$$(gofmt -l .)" || (gofmt -l . && echo "gofmt: the files above need formatting (make fmt)" && exit 1)
	$(GO) vet $(TAGS) ./...

fmt:
	gofmt -w .

# Regenerate the committed results (every experiment, full configuration)
# and the report built from them: $(OUT)/REPORT.md and $(OUT)/index.html.
report:
	$(GO) run $(TAGS) ./cmd/reluexp report --rerun --out $(OUT) --verify

# The quick configuration of everything, into a scratch folder, checked.
OUT_QUICK ?= /tmp/reluexp-quick
quick:
	$(GO) run $(TAGS) ./cmd/reluexp report --rerun --quick --out $(OUT_QUICK) --verify

# The runs the report's robustness table reads (docs/robustness.md): every
# experiment with a main verdict that trains, on Fashion-MNIST at the
# report's budget, on MNIST with twice the budget (profile long), and on
# Fashion-MNIST with twice the budget, then the report. Hours on 2 cores;
# records are kept, so running it again resumes. Fashion-MNIST: apt-get
# install dataset-fashion-mnist.
ROBUST_EXPS ?= twosided sparsity zerocentered dying exploding vanishing overfitting
ROBUST_PARTS = fashion-mnist-default mnist-long fashion-mnist-long
ROBUST_FLAGS_fashion-mnist-default = --dataset fashion-mnist
ROBUST_FLAGS_mnist-long = --profile long
ROBUST_FLAGS_fashion-mnist-long = --dataset fashion-mnist --profile long
# ROBUST_FLAGS_PART_NAME adds settings to one experiment in one setting
# (docs/robustness.md, "Seeds"); none is set.
robustness: build
	$(foreach p,$(ROBUST_PARTS),$(foreach e,$(ROBUST_EXPS),bin/reluexp run $(e) $(ROBUST_FLAGS_$(p)) $(ROBUST_FLAGS_$(p)_$(e)) --out $(OUT)/robustness/$(p) || exit 1;))
	bin/reluexp report --out $(OUT) --verify

# Training steps and activation kernels against PyTorch (when installed:
# apt-get install python3-torch), one table.
bench:
	$(GO) run $(TAGS) ./bench/compare

# Every fuzz target for FUZZTIME each: the IDX reader, --shard, --set and
# setting values. FUZZTIME is a duration (1m) or a count of executions
# (100000x); .ci/run uses a count, which a loaded machine cannot turn into
# a spurious "context deadline exceeded" (golang/go#75804, Go 1.26).
FUZZTIME ?= 1m
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzReadIDXImages$$' -fuzztime $(FUZZTIME) ./data/
	$(GO) test -run '^$$' -fuzz '^FuzzReadIDXLabels$$' -fuzztime $(FUZZTIME) ./data/
	$(GO) test -run '^$$' -fuzz '^FuzzParseShard$$' -fuzztime $(FUZZTIME) ./experiments/harness/
	$(GO) test -run '^$$' -fuzz '^FuzzParseSetting$$' -fuzztime $(FUZZTIME) ./experiments/harness/
	$(GO) test -run '^$$' -fuzz '^FuzzSetField$$' -fuzztime $(FUZZTIME) ./experiments/harness/

clean:
	rm -rf bin
