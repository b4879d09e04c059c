// Package cli is the reluexp command line as a library: the cobra commands
// (list, run, merge, report, version) and their wiring of flags to the
// experiments, the harness and the report. cmd/reluexp is a one-line main
// that calls Main; a program of one's own can register activations with
// model.Register and then call Main too, so that every experiment takes
// them (see examples/mish).
package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// Main runs the command line on args (the arguments after the program's
// name) and returns the exit status: 0, 1 for a run that failed, 2 for bad
// input, 128 plus the signal's number for an interrupted run. The first
// SIGINT or SIGTERM asks the run to stop after the cells in flight
// (finished cells are already saved); a second one ends the process at
// once.
func Main(args []string) int {
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
	code := execute(ctx, args, os.Stdout, os.Stderr)
	select {
	case <-caught:
		if s, ok := got.(syscall.Signal); ok && code != 0 {
			return 128 + int(s)
		}
	default:
	}
	return code
}

// Execute runs the command line on args with the given output streams,
// without handling signals (cancel ctx to stop a run), and returns the
// exit status as Main does. Tests call it.
func Execute(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return execute(ctx, args, stdout, stderr)
}
