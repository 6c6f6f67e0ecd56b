package cmd

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/analyze/billing"
	"github.com/costctl/costctl/cmd/render"
)

type reconcileOptions struct {
	by           []string
	since, until time.Time
	loc          *time.Location
	format       string
	output       string
}

func newReconcileCmd(a *app) *cobra.Command {
	c := &cobra.Command{
		Use:   "reconcile",
		Short: "Compare the stored requests with the provider's own usage and cost exports",
		Long: `Compare the bill (Anthropic usage and cost reports, OpenAI usage and costs
pages, stored by costctl ingest) with the requests costctl priced from logs.

Per row: the bill's tokens and cost (the cost export's amount where it has
one, else the bill's tokens priced by the price table), the logged tokens
and cost, the difference and the coverage, 100 × logged ÷ bill. The causes
it can name: a model only on the bill, a token class or service tier the
logs lack, code execution, a price that differs from the table, traffic
beyond the logged requests, and logged traffic the bill does not show.

Only the logged requests of providers with bill lines in the window are
held against the bill. The logged cost of every other provider is left out
and named in a warning. The provider is the one that bills the request, as
logged: Claude models served by AWS Bedrock or Vertex AI are billed by AWS
or Google (aws_bedrock, vertex_ai), so they never count against an
Anthropic bill, and costctl reads no bills of those providers.

A bill bucket belongs to the day it starts on in --tz, and --since and
--until select buckets by their start. Providers bucket by UTC day, so
outside UTC a day's bill and its logged requests can differ by the hours
between the two midnights.

Dimensions: ` + strings.Join(billing.Dimensions, ", "),
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			opts, err := a.reconcileOptions(c)
			if err != nil {
				return err
			}
			return a.runReconcile(c.Context(), opts)
		},
	}
	f := c.Flags()
	f.StringSlice("by", []string{billing.DimModel}, "group by these dimensions (comma-separated)")
	f.String("since", "", "start of the window, inclusive (RFC 3339 or YYYY-MM-DD in --tz)")
	f.String("until", "", "end of the window, exclusive (RFC 3339 or YYYY-MM-DD in --tz)")
	f.String("tz", "UTC", "IANA time zone for day keys and date bounds")
	f.String("format", render.FormatTable, "output format: table, json, csv or markdown")
	f.StringP("output", "o", "", "write to FILE instead of standard output")
	a.bindFlags(c, "reconcile", "by", "since", "until", "tz", "format", "output")
	return c
}

func (a *app) reconcileOptions(c *cobra.Command) (reconcileOptions, error) {
	opts := reconcileOptions{
		by:     splitList(a.v.GetStringSlice("reconcile.by")),
		format: a.v.GetString("reconcile.format"),
		output: a.v.GetString("reconcile.output"),
	}
	if err := billing.CheckDims(opts.by); err != nil {
		return opts, withCode(ExitUsage, err)
	}
	if !render.ValidFormat(opts.format) {
		return opts, a.fromSetting(c, "reconcile", usageErrorf("--format %q: want table, json, csv or markdown", opts.format))
	}

	var err error
	if opts.loc, err = loadZone(a.v.GetString("reconcile.tz")); err != nil {
		return opts, a.fromSetting(c, "reconcile", err)
	}
	opts.since, opts.until, err = parseWindow(a.v.GetString("reconcile.since"), a.v.GetString("reconcile.until"), opts.loc)
	if err != nil {
		return opts, a.fromSetting(c, "reconcile", err)
	}
	return opts, nil
}

func (a *app) runReconcile(ctx context.Context, opts reconcileOptions) error {
	rec, err := a.buildReconciliation(ctx, opts)
	if err != nil {
		return err
	}
	return a.writeDocument(opts.output, func(w io.Writer) error {
		if err := render.Reconciliation(w, rec, opts.format); err != nil {
			return err
		}
		if opts.format == render.FormatTable || opts.format == render.FormatMarkdown {
			render.ReconciliationNotes(a.io.Err, rec)
		}
		return nil
	})
}

func (a *app) buildReconciliation(ctx context.Context, opts reconcileOptions) (*billing.Reconciliation, error) {
	table, st, err := a.readStore(ctx)
	if err != nil {
		return nil, err
	}
	defer st.Close()

	lines, err := st.BillingLines(ctx, opts.since, opts.until)
	if err != nil {
		return nil, withCode(ExitRuntime, fmt.Errorf("read store: %w", err))
	}
	cells, err := st.Cells(ctx, analyze.Query{Since: opts.since, Until: opts.until, Loc: opts.loc, By: billing.QueryDims(opts.by)})
	if err != nil {
		return nil, withCode(ExitRuntime, fmt.Errorf("read store: %w", err))
	}
	return billing.Reconcile(lines, cells, table, billing.Options{
		By: opts.by, Loc: opts.loc, GeneratedBy: generatedBy(),
		Window: analyze.Window{Since: timePtr(opts.since, opts.loc), Until: timePtr(opts.until, opts.loc), TZ: opts.loc.String()},
	})
}
