package cmd

import (
	"time"

	"github.com/spf13/cobra"

	"github.com/costctl/costctl/cmd/render"
)

func newPricesCmd(a *app) *cobra.Command {
	c := &cobra.Command{
		Use:   "prices",
		Short: "Inspect the price table",
	}
	c.AddCommand(newPricesListCmd(a), newPricesShowCmd(a))
	return c
}

func newPricesListCmd(a *app) *cobra.Command {
	c := &cobra.Command{
		Use:   "list",
		Short: "List every model with the prices in effect at --at (default now)",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			at, err := parseAt(a.v.GetString("prices.list.at"))
			if err != nil {
				return err
			}
			table, err := a.priceTable()
			if err != nil {
				return err
			}
			return render.PriceList(a.io.Out, table, at)
		},
	}
	c.Flags().String("at", "", "date or RFC 3339 time to show prices at (default now)")
	a.bindFlags(c, "prices.list", "at")
	return c
}

func newPricesShowCmd(a *app) *cobra.Command {
	c := &cobra.Command{
		Use:   "show MODEL",
		Short: "Show how a model name resolves and its price row at --at (default now)",
		Args:  cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			at, err := parseAt(a.v.GetString("prices.show.at"))
			if err != nil {
				return err
			}
			table, err := a.priceTable()
			if err != nil {
				return err
			}
			m, ok := table.Resolve(a.v.GetString("prices.show.provider"), args[0], at)
			if !ok {
				return usageErrorf("no price for model %q at %s: see costctl prices list, or add it with --prices FILE", args[0], at.Format(time.DateOnly))
			}
			return render.PriceShow(a.io.Out, table, m, args[0])
		},
	}
	c.Flags().String("at", "", "date or RFC 3339 time to resolve at (default now)")
	c.Flags().String("provider", "", "provider the model is logged under (default any)")
	a.bindFlags(c, "prices.show", "at", "provider")
	return c
}

func parseAt(v string) (time.Time, error) {
	if v == "" {
		return time.Now().UTC(), nil
	}
	return parseBound("--at", v, time.UTC)
}
