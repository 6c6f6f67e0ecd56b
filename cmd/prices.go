package cmd

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"go.yaml.in/yaml/v3"

	"github.com/costctl/costctl/cmd/render"
	"github.com/costctl/costctl/pricing"
)

func newPricesCmd(a *app) *cobra.Command {
	c := &cobra.Command{
		Use:   "prices",
		Short: "Inspect, check, compare and import price tables",
		Long: `Inspect, check, compare and import price tables.

The active table is the built-in one with overrides merged over it. In the
config, "prices:" is a price file name or a list of file names and inline
models (written as in a price file); --prices FILE replaces that setting.
A model id in an override replaces the built-in model from the override's
first row on, and earlier requests keep the built-in rows. An override
that lists a name the built-in table gives to another model takes the
name over, with a warning on standard error.

"adjustments:" in the config lists negotiated discounts and credits:

  adjustments:
    - {provider: anthropic, from: 2025-11-01, until: 2025-12-01, discount_pct: 12}
    - {provider: openai, model: gpt-4o, discount_pct: 5}
    - {amount_usd: 500, date: 2025-11-15, description: launch credit}

A discount applies to requests of the provider (and model, when given) from
"from" (inclusive) until "until" (exclusive). A model discount takes
precedence over a provider-wide one, and they never stack. Reports show
list_cost_usd and effective_cost_usd (= cost_usd). The table version covers
overrides and adjustments, so changing either asks for costctl reprice.`,
	}
	c.AddCommand(newPricesListCmd(a), newPricesShowCmd(a), newPricesValidateCmd(a),
		newPricesDiffCmd(a), newPricesImportCmd(a))
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
			table, err := a.activeTable()
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
			table, err := a.activeTable()
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

// builtinName names the embedded table where a command takes a price file.
const builtinName = "builtin"

func newPricesValidateCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "validate FILE",
		Short: "Check a price file: every error and warning, naming the model and field",
		Long: `Parse a price file as --prices would and list every error (the file is
rejected) and warning (the file loads, but a price breaks the provider's
own rule). Exit status 2 when there is an error.`,
		Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			t, err := readTable(args[0])
			if err != nil {
				return usageErrorf("%s is invalid:\n%s", args[0], joinLines(err))
			}
			for _, w := range t.Lint() {
				fmt.Fprintf(a.io.Err, "warning: %s\n", w)
			}
			if err := a.warnBuiltinTakeovers(args[0], t); err != nil {
				return err
			}
			fmt.Fprintf(a.io.Out, "%s: valid, %s, version %s\n", args[0], render.Plural(int64(len(t.Models())), "model"), t.Version())
			return nil
		},
	}
}

// warnBuiltinTakeovers prints a warning for each built-in name that
// --prices name would give to another model of t.
func (a *app) warnBuiltinTakeovers(name string, t *pricing.Table) error {
	if name == builtinName {
		return nil
	}
	builtin, err := pricing.Embedded()
	if err != nil {
		return withCode(ExitRuntime, fmt.Errorf("built-in price table: %w", err))
	}
	a.warnTakeovers(builtin, t)
	return nil
}

func newPricesDiffCmd(a *app) *cobra.Command {
	c := &cobra.Command{
		Use:   "diff A B",
		Short: "List the price changes from table A to table B",
		Long: `Compare two price tables. Each of A and B is a price file, or "builtin"
for the table compiled into costctl. Prices are USD per million tokens.

With --merged, B is merged over A as --prices B merges a file over the
built-in table, so "prices diff --merged builtin FILE" lists only what
--prices FILE changes. Without it, every model of A that B does not list
shows as removed.`,
		Args: cobra.ExactArgs(2),
		RunE: func(c *cobra.Command, args []string) error {
			var tables [2]*pricing.Table
			for i, name := range args {
				t, err := readTable(name)
				if err != nil {
					return usageErrorf("%w", err)
				}
				tables[i] = t
			}
			if merged, _ := c.Flags().GetBool("merged"); merged {
				a.warnTakeovers(tables[0], tables[1])
				tables[1] = tables[0].Merge(tables[1])
			}
			return render.PriceDiff(a.io.Out, tables[0], tables[1], pricing.Diff(tables[0], tables[1]))
		},
	}
	c.Flags().Bool("merged", false, "compare A with B merged over it, as --prices B would price")
	return c
}

// readTable reads a price file as is, or the embedded table for "builtin".
func readTable(name string) (*pricing.Table, error) {
	if name == builtinName {
		return pricing.Embedded()
	}
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("price file: %w", err)
	}
	return pricing.Parse(data, name)
}

func newPricesImportCmd(a *app) *cobra.Command {
	c := &cobra.Command{
		Use:   "import --from litellm FILE",
		Short: "Convert another tool's price file into costctl's format",
		Long: `Convert LiteLLM's model_prices_and_context_window.json into a costctl price
file on standard output (or -o FILE), for use with --prices. LiteLLM lists
current prices only, so every row starts on --effective (default today).
An entry whose name the built-in table knows is written under the
built-in model's id, so merging the file adds a dated row to that model
and earlier requests keep the built-in prices. Entries of another provider
than that model, entries that break their provider's own pricing rules,
and entries without a price costctl needs (both cache write prices, every
class again in a long-context band) are left out, never filled in from
another price. A service tier priced exactly like standard is left out
too. Each one is listed on standard error.`,
		Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			return a.runPricesImport(args[0])
		},
	}
	c.Flags().String("from", "", "format of FILE: litellm")
	c.Flags().String("effective", "", "date the imported prices take effect, YYYY-MM-DD (default today, UTC)")
	c.Flags().StringP("output", "o", "", "write the price file to FILE instead of standard output")
	a.bindFlags(c, "prices.import", "from", "effective", "output")
	return c
}

func (a *app) runPricesImport(path string) error {
	if from := a.v.GetString("prices.import.from"); from != "litellm" {
		return usageErrorf("--from %q: the only supported format is litellm", from)
	}
	effective, err := importDate(a.v.GetString("prices.import.effective"))
	if err != nil {
		return err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return usageErrorf("import: %w", err)
	}

	base, err := pricing.Embedded()
	if err != nil {
		return withCode(ExitRuntime, fmt.Errorf("built-in price table: %w", err))
	}

	res, err := pricing.ImportLiteLLM(data, base, effective, time.Now().UTC().Truncate(24*time.Hour))
	if err != nil {
		return usageErrorf("import %s: %w", path, err)
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(a.io.Err, "warning: %s\n", w)
	}
	fmt.Fprintf(a.io.Err, "imported %s from %s\n", render.Plural(int64(res.Models), "model"), path)
	return a.writeFile(a.v.GetString("prices.import.output"), res.YAML)
}

func importDate(v string) (time.Time, error) {
	if v == "" {
		return time.Now().UTC().Truncate(24 * time.Hour), nil
	}
	d, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return time.Time{}, usageErrorf("--effective %q: want a date such as 2026-12-01", v)
	}
	return d, nil
}

func (a *app) writeFile(path string, data []byte) error {
	if path == "" {
		_, err := a.io.Out.Write(data)
		return err
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return withCode(ExitRuntime, fmt.Errorf("output: %w", err))
	}
	return nil
}

// joinLines indents a joined error's lines under a heading.
func joinLines(err error) string {
	var lines []string
	for _, l := range strings.Split(err.Error(), "\n") {
		lines = append(lines, "  "+l)
	}
	return strings.Join(lines, "\n")
}

// activeTable is the table every command prices with: the built-in table,
// then the config's prices: entries (price files, or inline models) or the
// --prices file in their place, then the config's adjustments:. The flag
// replaces the config list because both set the one key "prices".
func (a *app) activeTable() (*pricing.Table, error) {
	table, err := pricing.Embedded()
	if err != nil {
		return nil, withCode(ExitRuntime, fmt.Errorf("built-in price table: %w", err))
	}
	overrides, err := a.priceOverrides(table.Date())
	if err != nil {
		return nil, err
	}
	for _, o := range overrides {
		a.warnTakeovers(table, o)
		table = table.Merge(o)
	}

	adj, err := a.adjustments()
	if err != nil {
		return nil, err
	}
	return table.WithAdjustments(adj), nil
}

// warnTakeovers prints a warning for each name of base that merging over
// gives to another model, because requests of that name lose base's rows.
func (a *app) warnTakeovers(base, over *pricing.Table) {
	for _, w := range base.Takeovers(over) {
		fmt.Fprintf(a.io.Err, "warning: %s\n", w)
	}
}

// priceOverrides reads the "prices" setting: one file name, or a list whose
// entries are file names or inline models (in the price file's model form).
// File names are relative to the working directory, as for --prices.
func (a *app) priceOverrides(date time.Time) ([]*pricing.Table, error) {
	var entries []any
	switch v := a.v.Get("prices").(type) {
	case nil:
		return nil, nil
	case string:
		if v == "" {
			return nil, nil
		}
		entries = []any{v}
	case []any:
		entries = v
	default:
		return nil, usageErrorf("config prices: want a file name or a list of files and models, not %T", v)
	}

	var tables []*pricing.Table
	var inline []any
	for _, e := range entries {
		if name, ok := e.(string); ok {
			t, err := readTable(name)
			if err != nil {
				return nil, usageErrorf("price file: %w", err)
			}
			tables = append(tables, t)
			continue
		}
		inline = append(inline, e)
	}
	if len(inline) == 0 {
		return tables, nil
	}
	t, err := a.inlineModels(inline, date)
	if err != nil {
		return nil, err
	}
	return append(tables, t), nil
}

// inlineModels parses the models written in the config itself, dated like
// the built-in table so that they do not change the table date.
func (a *app) inlineModels(models []any, date time.Time) (*pricing.Table, error) {
	data, err := yaml.Marshal(map[string]any{"date": date.Format(time.DateOnly), "models": configDates(models)})
	if err != nil {
		return nil, usageErrorf("config prices: %w", err)
	}
	t, err := pricing.Parse(data, a.configName()+": prices")
	if err != nil {
		// The line numbers are those of the YAML written above, not of the
		// config file, so they are left out: the model id and row date
		// locate the mistake.
		return nil, usageErrorf("%s", parseLine.ReplaceAllString(err.Error(), ""))
	}
	return t, nil
}

// parseLine matches the "line N: " of a price file error.
var parseLine = regexp.MustCompile(`\bline \d+: `)

func (a *app) adjustments() (pricing.Adjustments, error) {
	raw := a.v.Get("adjustments")
	if raw == nil {
		return pricing.Adjustments{}, nil
	}
	data, err := yaml.Marshal(configDates(raw))
	if err != nil {
		return pricing.Adjustments{}, usageErrorf("config adjustments: %w", err)
	}
	adj, err := pricing.ParseAdjustments(data, a.configName()+": adjustments")
	if err != nil {
		return adj, usageErrorf("%w", err)
	}
	return adj, nil
}

func (a *app) configName() string {
	if p := a.v.ConfigFileUsed(); p != "" {
		return p
	}
	return "config"
}

// configDates turns the times that the config reader made of YAML dates
// back into YYYY-MM-DD text, because the price file parser rejects a date
// with a time of day.
func configDates(v any) any {
	switch x := v.(type) {
	case time.Time:
		if x.Equal(x.Truncate(24 * time.Hour)) {
			return x.UTC().Format(time.DateOnly)
		}
		return x.UTC().Format(time.RFC3339)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = configDates(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = configDates(e)
		}
		return out
	}
	return v
}
