package cmd

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/cmd/render"
)

func newRepriceCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "reprice",
		Short: "Re-resolve every stored request against the active price table",
		Long: `Resolve every stored request's model and dated price row again with the
active table (the built-in one with the config's prices: or --prices merged
over it, and the config's adjustments:) and record that
table's version with each request. Run it after changing a price file, so
that report prices every request from the active table and stops warning
about older table versions.`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			table, err := a.activeTable()
			if err != nil {
				return err
			}
			st, err := a.openBackend(c.Context(), false)
			if err != nil {
				return err
			}
			defer st.Close()

			stats, err := st.Reprice(c.Context(), analyze.Pricer{Table: table}, table.PricesVersion())
			if err != nil {
				return withCode(ExitRuntime, fmt.Errorf("reprice: %w", err))
			}
			fmt.Fprintf(a.io.Out, "repriced %s with price table %s: %s changed, %s unpriced\n",
				render.Plural(stats.Requests, "request"), table.PricesVersion(), render.Count(stats.Changed), render.Count(stats.Unpriced))
			return nil
		},
	}
}
