# reluexp: the two commands a fresh machine needs are `make report` (regenerate
# results/) and `make test` (run the tests). Both need only Go; the module
# proxy provides every dependency, MNIST included.

GO ?= go
OUT ?= results

.PHONY: all build test test-short race vet fmt report quick bench clean

all: vet test

build:
	$(GO) build -o bin/reluexp ./cmd/reluexp

# The tests, including the finite-difference gradient checks, the statistical
# tests, a quick run of every experiment and the CLI's bad-input table.
test: vet
	$(GO) test ./...
	$(GO) test -race -short ./experiments/ ./cmd/... ./data/ ./internal/...

test-short:
	$(GO) test -short ./...

vet:
	@test -z "$$(gofmt -l .)" || (gofmt -l . && echo "gofmt: the files above need formatting (make fmt)" && exit 1)
	$(GO) vet ./...

fmt:
	gofmt -w .

# Regenerate the committed results from the full configuration.
report:
	$(GO) run ./cmd/reluexp run vanishing --out $(OUT)

# The quick configuration, into a scratch folder.
quick:
	$(GO) run ./cmd/reluexp run vanishing --quick --out /tmp/reluexp-quick

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./model/

clean:
	rm -rf bin
