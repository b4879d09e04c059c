// Command reluexp runs the experiments that test the claims of a well-known
// blog post on the ReLU activation and writes their figures, tables and
// verdicts. Run `reluexp --help` for usage. The commands live in package
// cli, so that a program that registers its own activations can run them.
package main

import (
	"os"

	"github.com/reluexp/reluexp/cmd/reluexp/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:]))
}
