package cli

import (
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/reluexp/reluexp/experiments"
	"github.com/reluexp/reluexp/experiments/result"
	"github.com/reluexp/reluexp/model"
	"github.com/reluexp/reluexp/report"
)

func newListCmd(stdout io.Writer) *cobra.Command {
	var variants bool
	cmd := &cobra.Command{
		Use:     "list",
		Short:   "List the experiments and the claims they test, or the activations",
		Example: "  reluexp list\n  reluexp list --variants",
		Args:    cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if variants {
				return runListVariants(stdout)
			}
			return runList(stdout)
		},
	}
	cmd.Flags().BoolVar(&variants, "variants", false, "list the activations --variant takes (built-in and registered) instead")
	return cmd
}

func runList(w io.Writer) error {
	t := result.Table{Columns: []string{"experiment", "claims", "what it measures"}}
	for _, e := range experiments.All() {
		t.Rows = append(t.Rows, []string{e.Name(), strings.Join(e.Claims(), ", "), e.Summary()})
	}
	return report.WriteTable(w, t)
}

// runListVariants lists every activation: the built-ins, then those a
// program registered (model.Register) before running the command line.
func runListVariants(w io.Writer) error {
	t := result.Table{Columns: []string{"variant", "source", "one-sided", "init", "what it computes"}}
	for _, v := range model.DescribeVariants() {
		source, oneSided := "built-in", "no"
		if !v.Builtin {
			source = "registered"
		}
		if v.OneSided {
			oneSided = "yes"
		}
		t.Rows = append(t.Rows, []string{v.Name, source, oneSided, v.Init.String(), v.Summary})
	}
	return report.WriteTable(w, t)
}
