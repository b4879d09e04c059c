// Command reluexp runs the experiments that test the claims of a well-known
// blog post on the ReLU activation and writes their figures, tables and
// verdicts. Run `reluexp --help` for usage.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := execute(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
