package cmd

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/analyze/store"
	"github.com/costctl/costctl/cmd/render"
	"github.com/costctl/costctl/pricing"
)

type reportOptions struct {
	by           []string
	since, until time.Time
	loc          *time.Location
	top          int
	format       string
	output       string
	chartPNG     string    // directory for PNG charts; empty writes none
	monthToDate  bool      // window = the month so far of asOf, plus a forecast
	asOf         time.Time // the time month to date is taken at
	vsLogged     bool      // compare with the cost the logs themselves carry
}

func newReportCmd(a *app) *cobra.Command {
	c := &cobra.Command{
		Use:   "report",
		Short: "Show cost by endpoint, tier, model, day, hour and more",
		Long: `Aggregate the store: requests, tokens per class and cost, grouped by the
--by dimensions. Day and hour buckets are taken in --tz.

Credits under "adjustments:" in the config that are dated in the window
are listed under the totals with the net cost (cost less credits) in the
table, Markdown, HTML and JSON formats. CSV keeps one table of groups and
leaves credits out: read them from --format json. Credits never change
the cost of a request or group, nor the month-to-date spend.

A discount under "adjustments:" makes cost the effective cost. When it
changes any cost, the table and Markdown add a "list cost" column beside
cost. CSV always has list_cost_usd after cost_usd, equal to it without a
discount, so its header does not depend on the config.

Dimensions: ` + strings.Join(analyze.Dimensions, ", "),
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			opts, err := a.reportOptions(c)
			if err != nil {
				return err
			}
			return a.runReport(c.Context(), opts)
		},
	}
	f := c.Flags()
	f.StringSlice("by", nil, "group by these dimensions (comma-separated)")
	f.String("since", "", "start of the window, inclusive (RFC 3339 or YYYY-MM-DD in --tz)")
	f.String("until", "", "end of the window, exclusive (RFC 3339 or YYYY-MM-DD in --tz)")
	f.String("tz", "UTC", "IANA time zone for day and hour buckets")
	f.Int("top", 0, "show only the N costliest groups (0 = all)")
	f.String("format", render.FormatTable, "output format: table, json, csv, markdown or html (one self-contained file with charts)")
	f.StringP("output", "o", "", "write to FILE instead of standard output")
	f.String("chart-png", "", "also write the HTML report's charts as PNG files into DIR")
	f.Bool("vs-logged-cost", false, "compare costctl's price with the cost the logs carry (proxy spend logs, observability exports)")
	f.Bool("month-to-date", false, "report the calendar month so far in --tz and forecast its end")
	f.String("as-of", "", "with --month-to-date: take the month at this RFC 3339 time (default: now)")
	a.bindFlags(c, "report", "by", "since", "until", "tz", "top", "format", "output", "chart-png", "vs-logged-cost", "month-to-date", "as-of")
	return c
}

func (a *app) reportOptions(c *cobra.Command) (reportOptions, error) {
	opts := reportOptions{
		by:       splitList(a.v.GetStringSlice("report.by")),
		top:      a.v.GetInt("report.top"),
		format:   a.v.GetString("report.format"),
		output:   a.v.GetString("report.output"),
		chartPNG: a.v.GetString("report.chart_png"),
		vsLogged: a.v.GetBool("report.vs_logged_cost"),
	}
	if err := checkDims(opts.by); err != nil {
		return opts, a.fromSetting(c, "report", err)
	}
	if !render.ValidFormat(opts.format) && opts.format != render.FormatHTML {
		return opts, usageErrorf("%s %q: want table, json, csv, markdown or html", a.settingName(c, "report", "format"), opts.format)
	}
	if opts.top < 0 {
		return opts, usageErrorf("%s %d: want 0 or more", a.settingName(c, "report", "top"), opts.top)
	}

	var err error
	if opts.loc, err = loadZone(a.v.GetString("report.tz")); err != nil {
		return opts, a.fromSetting(c, "report", err)
	}
	opts.since, opts.until, err = parseWindow(a.v.GetString("report.since"), a.v.GetString("report.until"), opts.loc)
	if err != nil {
		return opts, a.fromSetting(c, "report", err)
	}
	return opts, a.monthToDateOptions(&opts)
}

// settingName names where a command's setting got its value, so that an
// error about the value points at what to edit: the flag when given, else
// the environment variable when set, else the config file's key. Viper
// gives them precedence in that order.
func (a *app) settingName(c *cobra.Command, command, flag string) string {
	key := command + "." + strings.ReplaceAll(flag, "-", "_")
	env := "COSTCTL_" + strings.ToUpper(strings.ReplaceAll(key, ".", "_"))
	switch {
	case c.Flags().Changed(flag):
		return "--" + flag
	case os.Getenv(env) != "":
		return env
	case a.v.InConfig(key):
		return "config file " + a.configName() + ": " + key
	}
	return "--" + flag
}

// fromSetting rewrites an error that opens with "--FLAG " (from checkDims,
// loadZone, parseWindow or a format check) to name where FLAG's value came
// from, as settingName does, when that is not the flag itself.
func (a *app) fromSetting(c *cobra.Command, command string, err error) error {
	msg := err.Error()
	for _, flag := range []string{"by", "tz", "since", "until", "format"} {
		rest, ok := strings.CutPrefix(msg, "--"+flag+" ")
		if !ok {
			continue
		}
		if name := a.settingName(c, command, flag); name != "--"+flag {
			return usageErrorf("%s %s", name, rest)
		}
	}
	return err
}

// splitList accepts both repeated flags and comma-separated values, as
// given in a config file or an environment variable.
func splitList(in []string) []string {
	var out []string
	for _, v := range in {
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

func checkDims(by []string) error {
	for i, d := range by {
		if !slices.Contains(analyze.Dimensions, d) {
			return usageErrorf("--by %q: not a dimension; use any of %s", d, strings.Join(analyze.Dimensions, ", "))
		}
		if slices.Contains(by[:i], d) {
			return usageErrorf("--by %q given twice", d)
		}
	}
	return nil
}

func (a *app) runReport(ctx context.Context, opts reportOptions) error {
	rep, err := a.buildReport(ctx, opts)
	if err != nil {
		return err
	}
	if opts.monthToDate && opts.format != render.FormatHTML {
		return a.runMonthToDate(ctx, opts, rep)
	}
	if opts.format == render.FormatHTML || opts.chartPNG != "" {
		if err := a.writeReportPage(ctx, opts, rep); err != nil || opts.format == render.FormatHTML {
			return err
		}
	}
	return a.writeDocument(opts.output, func(w io.Writer) error {
		terminal := a.io.OutIsTerminal && opts.output == ""
		if err := render.ReportOnTerminal(w, rep, opts.format, terminal); err != nil {
			return err
		}
		switch opts.format {
		case render.FormatTable:
			render.ReportNotes(a.io.Err, rep)
		case render.FormatMarkdown:
			// A Markdown report is often posted as it is (a CI comment), so
			// its notes go in the document.
			render.MarkdownNotes(w, rep)
		}
		return nil
	})
}

func (a *app) buildReport(ctx context.Context, opts reportOptions) (*analyze.Report, error) {
	table, st, err := a.readStore(ctx)
	if err != nil {
		return nil, err
	}
	defer st.Close()

	q := analyze.Query{Since: opts.since, Until: opts.until, Loc: opts.loc, By: opts.by, SplitAt: analyze.AdjustmentSplits(table)}
	cells, err := st.Cells(ctx, q)
	if err != nil {
		return nil, withCode(ExitRuntime, fmt.Errorf("read store: %w", err))
	}
	versions, err := st.PriceTableVersions(ctx)
	if err != nil {
		return nil, withCode(ExitRuntime, fmt.Errorf("read store: %w", err))
	}
	rep, err := analyze.BuildReport(cells, table, analyze.ReportOptions{
		By: opts.by, Top: opts.top, StoredVersions: versions, GeneratedBy: generatedBy(),
		// Only the JSON document carries cells; check builds its own
		// reports with no format set and needs them.
		OmitCells: opts.format != "" && opts.format != render.FormatJSON,
		// A month-to-date document embeds the report and encodes it whole.
		StreamCells: opts.format == render.FormatJSON && !opts.monthToDate,
		Window:      analyze.Window{Since: timePtr(opts.since, opts.loc), Until: timePtr(opts.until, opts.loc), TZ: opts.loc.String()},
		Loc:         opts.loc,
	})
	if err != nil {
		return nil, err
	}
	if err := explainUnpriced(ctx, st, table, opts, rep); err != nil || !opts.vsLogged {
		return rep, err
	}
	rep.VsLoggedCost, err = compareLoggedCost(ctx, st, table, opts)
	return rep, err
}

// explainUnpriced finds why each unpriced model has no price, so the notes
// can name the fix. It reads the window again by UTC day, the unit in
// which price rows start, and only when some request is unpriced.
func explainUnpriced(ctx context.Context, st store.Backend, table *pricing.Table, opts reportOptions, rep *analyze.Report) error {
	if len(rep.UnpricedModels) == 0 {
		return nil
	}
	days, err := st.Cells(ctx, analyze.Query{Since: opts.since, Until: opts.until, By: []string{analyze.DimDay}})
	if err != nil {
		return withCode(ExitRuntime, fmt.Errorf("read store: %w", err))
	}
	analyze.ExplainUnpriced(rep, days, table)
	return nil
}

// compareLoggedCost reads the window's requests once: the logged cost is
// kept per request, not in the rollups.
func compareLoggedCost(ctx context.Context, st store.Backend, table *pricing.Table, opts reportOptions) (*analyze.LoggedCostComparison, error) {
	b := analyze.NewLoggedCostBuilder(table, opts.by, opts.loc)
	err := st.Scan(ctx, analyze.Query{Since: opts.since, Until: opts.until}, b.Add)
	if err != nil {
		return nil, withCode(ExitRuntime, fmt.Errorf("read store: %w", err))
	}
	return b.Result(), nil
}

// writeDocument sends a command's result to -o FILE or standard output.
func (a *app) writeDocument(path string, write func(io.Writer) error) error {
	if path == "" {
		return write(a.io.Out)
	}
	f, err := os.Create(path)
	if err != nil {
		return withCode(ExitRuntime, fmt.Errorf("output: %w", err))
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
