// Command reluexp runs the experiments that test the claims of a well-known
// blog post on the ReLU activation and writes their figures, tables and
// verdicts. Run `reluexp --help` for usage.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	os.Exit(mainWithSignals())
}

// mainWithSignals runs the command line. The first SIGINT or SIGTERM asks
// the run to stop after the cells in flight (finished cells are already
// saved); a second one ends the process at once. An interrupted run exits
// with 128 plus the signal's number, as shells expect.
func mainWithSignals() int {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var got os.Signal
	caught := make(chan struct{})
	go func() {
		select {
		case got = <-sigs:
		case <-ctx.Done():
			return
		}
		fmt.Fprintf(os.Stderr, "\nreluexp: %v: stopping after the cells that are running (finished cells are kept); send it again to stop at once\n", got)
		signal.Reset(os.Interrupt, syscall.SIGTERM)
		close(caught)
		cancel()
	}()
	code := execute(ctx, os.Args[1:], os.Stdout, os.Stderr)
	select {
	case <-caught:
		if s, ok := got.(syscall.Signal); ok && code != 0 {
			return 128 + int(s)
		}
	default:
	}
	return code
}
