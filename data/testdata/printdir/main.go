// Command printdir prints what data.MNISTDir("") resolves to. The tests
// build it to check the build-info route, which test binaries cannot
// exercise themselves because they record no dependencies.
package main

import (
	"fmt"
	"os"

	"github.com/reluexp/reluexp/data"
)

func main() {
	dir, source, err := data.MNISTDir("")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(dir)
	fmt.Println(source)
}
