package cmd

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/analyze/store"
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
about older table versions.

The summary counts the requests that got a new price (another model, price
row or context band) apart from those that only took the new table version.`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			return a.runReprice(c.Context())
		},
	}
}

func (a *app) runReprice(ctx context.Context) error {
	table, err := a.activeTable()
	if err != nil {
		return err
	}
	st, err := a.openBackend(ctx, false)
	if err != nil {
		return err
	}
	defer st.Close()

	pricer := analyze.Pricer{Table: table}
	newPrices, err := countNewPrices(ctx, st, pricer)
	if err != nil {
		return withCode(ExitRuntime, fmt.Errorf("reprice: read store: %w", err))
	}
	stats, err := st.Reprice(ctx, pricer, table.PricesVersion())
	if err != nil {
		return withCode(ExitRuntime, fmt.Errorf("reprice: %w", err))
	}

	// A request ingested between the two reads can make the counts
	// disagree, so the version-only count is kept from going negative.
	newPrices = min(newPrices, stats.Changed)
	fmt.Fprintf(a.io.Out, "repriced %s with price table %s: %s with a new price (model, price row or context band), %s with only the new table version, %s unpriced\n",
		render.Plural(stats.Requests, "request"), table.PricesVersion(),
		render.Count(newPrices), render.Count(stats.Changed-newPrices), render.Count(stats.Unpriced))
	return nil
}

// countNewPrices returns how many stored requests p resolves to another
// model, price row or context band than the store holds: the requests
// whose cost a reprice can change. The store's count of changed requests
// also includes those that only take the new table version.
// NOTE: this reads every request once more before the reprice.
func countNewPrices(ctx context.Context, st store.Backend, p analyze.Pricer) (int64, error) {
	var n int64
	var next analyze.Request
	err := st.Scan(ctx, analyze.Query{}, func(r *analyze.Request) error {
		next = *r
		p.Price(&next)
		if next.ModelID != r.ModelID || next.PriceRowID != r.PriceRowID || next.ContextBand != r.ContextBand {
			n++
		}
		return nil
	})
	return n, err
}
