package cmd

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/analyze/ingest"
	"github.com/costctl/costctl/analyze/store"
	"github.com/costctl/costctl/cmd/render"
	"github.com/costctl/costctl/cmd/render/html"
	"github.com/costctl/costctl/pricing"
	"github.com/costctl/costctl/simulate"
)

type simulateOptions struct {
	policyFile   string
	paths        []string
	by           []string
	since, until time.Time
	loc          *time.Location
	format       string
	chartPNG     string
	output       string
	backtest     bool
}

const simulateHelp = `Replay stored traffic (or the log files given as arguments, ingested into a
temporary store) in time order under a what-if policy, and price the
baseline and the projection with the same price table.

The policy is YAML; every section is optional, unknown keys are errors, and
in maps keyed by endpoint "*" is the default. In a list of endpoints "*"
means every endpoint (batch: {endpoints: ["*"]} batches all traffic), and
an empty or missing list also selects every endpoint, except in batch,
which needs one:

  name: text
  route:            # first matching rule wins
    - match: {endpoint: [a, b], tier: [free], model: [m], min_input_tokens: 0, max_input_tokens: 9000}
      model: claude-3-5-haiku-20241022
      input_token_ratio: 1.0     # tokenizer and verbosity adjustments
      output_token_ratio: 1.0
  quality: {scores: {ENDPOINT: {MODEL: 0.91}}, min: {ENDPOINT: 0.95}}
  compress: {every_turns: 5, summary_tokens: 200, model: MODEL, endpoints: [chat]}
  cache: {ttl: 5m, prefix_tokens: {"*": 2000, chat: 2600}, endpoints: [chat]}
  batch: {endpoints: [weekly_summary]}
  structured_output: {output_change: {plan: -0.35}, input_overhead_tokens: {plan: 150}}

Levers run in this order on each request:
  1. route: a matching request moves to the rule's model, priced with that
     model's rows; input tokens (every input and cache class) and output
     tokens are scaled by the ratios. Logged cache tokens stay as logged,
     unless the input is below the new model's minimum cacheable length.
  2. compress: per (endpoint, session), turns in time order; a turn whose
     total input (input + cache reads + cache writes) drops below the
     previous turn's starts a new segment. With in_k the total input of
     turn k and H_k = in_k - in_1: at each point c = N, 2N, ... (when turn
     c+1 exists) the history as billed, h = H_{c+1} - R, where R = H_{p+1} - S
     at the previous point p that compressed (else 0), is replaced by the
     summary when h > S: one summariser call with input h and output S,
     counted in cost but not as a request. From turn c+1 on a turn is billed
     in_k - H_{c+1} + S: the removed tokens come out of cache reads, then
     cache writes, then uncached input; the summary is uncached input.
  3. cache: the prefix of P tokens (logged prefix_tokens, else the policy's
     prefix_tokens) is cached per (model, prefix_hash, else endpoint). A
     request reads it when its start is at most TTL after the key's last use
     and strictly after the key's visible-from time; otherwise it writes it
     and becomes the entry, visible from its start + time to first token
     (logged ttft_ms, else 2 s). P is taken from cache reads, then writes,
     then input. A prefix shorter than the model's minimum cacheable length
     is not cached, with a warning.
  4. batch: the listed endpoints are billed at the batch tier's prices.
  5. structured_output: output becomes round(output x (1 + change)); the
     schema overhead is added as uncached input.

Scaled token counts are rounded half away from zero per request. After all
levers the long-context band is re-checked. Each lever's standalone savings
apply that lever alone to the baseline; cumulative savings apply every lever
up to it (a waterfall). The 30-day projection is window cost x 30 / window
days, the window being --since/--until or first to last request. Unpriced
requests and requests without usage pass through unchanged.

--backtest replays the cache lever on the logged traffic with the policy's
TTL (5m without a cache section) and compares simulated with logged prefix
cache reads and writes per endpoint, in tokens and dollars.`

func newSimulateCmd(a *app) *cobra.Command {
	c := &cobra.Command{
		Use:   "simulate --policy FILE [LOG...]",
		Short: "Replay traffic under routing, compression, caching, batch and structured-output policies",
		Long:  simulateHelp,
		RunE: func(c *cobra.Command, args []string) error {
			opts, err := a.simulateOptions(c, args)
			if err != nil {
				return err
			}
			return a.runSimulate(c.Context(), opts)
		},
	}
	f := c.Flags()
	f.String("policy", "", "policy file (YAML)")
	f.StringSlice("by", []string{analyze.DimEndpoint}, "group by these dimensions (comma-separated)")
	f.String("since", "", "start of the window, inclusive (RFC 3339 or YYYY-MM-DD in --tz)")
	f.String("until", "", "end of the window, exclusive (RFC 3339 or YYYY-MM-DD in --tz)")
	f.String("tz", "UTC", "IANA time zone for day and hour buckets")
	f.String("format", render.FormatTable, "output format: table, json, csv, markdown or html (one self-contained file with charts)")
	f.String("chart-png", "", "also write the waterfall and group charts as PNG files into DIR")
	f.StringP("output", "o", "", "write to FILE instead of standard output")
	f.Bool("backtest", false, "compare the cache lever with the caching the logs show")
	a.bindFlags(c, "simulate", "policy", "by", "since", "until", "tz", "format", "output", "backtest", "chart-png")
	return c
}

func (a *app) simulateOptions(c *cobra.Command, args []string) (simulateOptions, error) {
	opts := simulateOptions{
		policyFile: a.v.GetString("simulate.policy"),
		paths:      args,
		by:         splitList(a.v.GetStringSlice("simulate.by")),
		format:     a.v.GetString("simulate.format"),
		output:     a.v.GetString("simulate.output"),
		backtest:   a.v.GetBool("simulate.backtest"),
		chartPNG:   a.v.GetString("simulate.chart_png"),
	}
	if opts.policyFile == "" {
		return opts, usageErrorf("simulate needs --policy FILE")
	}
	if err := checkDims(opts.by); err != nil {
		return opts, a.fromSetting(c, "simulate", err)
	}
	if !render.ValidFormat(opts.format) && opts.format != render.FormatHTML {
		return opts, a.fromSetting(c, "simulate", usageErrorf("--format %q: want table, json, csv, markdown or html", opts.format))
	}

	var err error
	if opts.loc, err = loadZone(a.v.GetString("simulate.tz")); err != nil {
		return opts, a.fromSetting(c, "simulate", err)
	}
	opts.since, opts.until, err = parseWindow(a.v.GetString("simulate.since"), a.v.GetString("simulate.until"), opts.loc)
	if err != nil {
		return opts, a.fromSetting(c, "simulate", err)
	}
	return opts, nil
}

func (a *app) runSimulate(ctx context.Context, opts simulateOptions) error {
	table, err := a.priceTable()
	if err != nil {
		return err
	}
	policy, err := loadPolicy(opts.policyFile, table)
	if err != nil {
		return err
	}
	st, cleanup, err := a.simulationStore(ctx, table, opts.paths)
	if err != nil {
		return err
	}
	defer cleanup()

	sim, err := runSimulation(ctx, st, table, policy, opts)
	if err != nil {
		return err
	}
	if err := writeSimulationPNGs(opts.chartPNG, sim); err != nil {
		return err
	}
	return a.writeDocument(opts.output, func(w io.Writer) error {
		if opts.format == render.FormatHTML {
			return html.Simulation(w, sim)
		}
		terminal := a.io.OutIsTerminal && opts.output == ""
		if err := render.SimulationOnTerminal(w, sim, opts.format, terminal); err != nil {
			return err
		}
		if opts.format == render.FormatTable || opts.format == render.FormatMarkdown {
			render.SimulationNotes(a.io.Err, sim)
		}
		return nil
	})
}

// writeSimulationPNGs writes the simulation's charts into dir, if set.
func writeSimulationPNGs(dir string, sim *simulate.Simulation) error {
	if dir == "" {
		return nil
	}
	charts, err := html.SimulationCharts(sim)
	if err != nil {
		return withCode(ExitRuntime, fmt.Errorf("charts: %w", err))
	}
	return writeChartPNGs(dir, charts)
}

func loadPolicy(path string, table *pricing.Table) (*simulate.Policy, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, usageErrorf("policy: %w", err)
	}
	p, err := simulate.ParsePolicy(data, table)
	if err != nil {
		return nil, usageErrorf("policy %s: %w", path, err)
	}
	return p, nil
}

func runSimulation(ctx context.Context, st store.Backend, table *pricing.Table, p *simulate.Policy, opts simulateOptions) (*simulate.Simulation, error) {
	q := analyze.Query{Since: opts.since, Until: opts.until}
	scan := func(fn func(*analyze.Request) error) error { return st.Scan(ctx, q, fn) }
	sim, err := simulate.Run(scan, p, table, simulate.Options{
		By: opts.by, Since: opts.since, Until: opts.until, Loc: opts.loc,
		PolicyFile: filepath.ToSlash(opts.policyFile), GeneratedBy: generatedBy(), Backtest: opts.backtest,
	})
	if err != nil {
		return nil, withCode(ExitRuntime, fmt.Errorf("simulate: %w", err))
	}
	return sim, nil
}

// simulationStore opens --db, or ingests the given logs into a temporary
// store that cleanup removes.
func (a *app) simulationStore(ctx context.Context, table *pricing.Table, paths []string) (store.Backend, func(), error) {
	if len(paths) == 0 {
		st, err := a.openBackend(ctx, true)
		if err != nil {
			return nil, nil, err
		}
		return st, func() { st.Close() }, nil
	}

	dir, err := os.MkdirTemp("", "costctl-simulate-")
	if err != nil {
		return nil, nil, withCode(ExitRuntime, fmt.Errorf("temporary store: %w", err))
	}
	st, err := store.Open(ctx, filepath.Join(dir, "costctl.db"), store.Options{})
	if err != nil {
		os.RemoveAll(dir)
		return nil, nil, withCode(ExitRuntime, fmt.Errorf("temporary store: %w", err))
	}
	cleanup := func() { st.Close(); os.RemoveAll(dir) }

	sum, err := ingest.Run(ctx, st, table, a.inputs(paths), ingest.Options{})
	if err == nil && sum.Requests == 0 {
		err = usageErrorf("simulate: no requests read from %v", paths)
	}
	if err != nil {
		cleanup()
		return nil, nil, err
	}
	return st, cleanup, nil
}
