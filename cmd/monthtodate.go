package cmd

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/analyze/store"
	"github.com/costctl/costctl/cmd/render"
	"github.com/costctl/costctl/pricing"
)

// monthToDateReport is the JSON document of report --month-to-date: the
// report of the month so far with its forecast beside the totals.
type monthToDateReport struct {
	*analyze.Report
	MonthToDate *analyze.MonthToDate `json:"month_to_date"`
}

// monthToDateOptions reads --month-to-date and --as-of and sets the window
// to [month start in --tz, as-of).
func (a *app) monthToDateOptions(opts *reportOptions) error {
	opts.monthToDate = a.v.GetBool("report.month_to_date")
	asOf := a.v.GetString("report.as_of")
	if !opts.monthToDate {
		if asOf != "" {
			return usageErrorf("--as-of needs --month-to-date")
		}
		return nil
	}
	if !opts.since.IsZero() || !opts.until.IsZero() {
		return usageErrorf("--month-to-date sets the window itself: drop --since and --until")
	}

	opts.asOf = time.Now().UTC()
	if asOf != "" {
		t, err := time.Parse(time.RFC3339Nano, asOf)
		if err != nil {
			return usageErrorf("--as-of %q: want an RFC 3339 time such as 2025-11-20T12:00:00Z", asOf)
		}
		opts.asOf = t.UTC()
	}
	opts.since, _ = analyze.MonthToDateWindow(opts.asOf, opts.loc)
	opts.since = opts.since.UTC()
	opts.until = opts.asOf
	return nil
}

// runMonthToDate forecasts the month and writes the report with it.
func (a *app) runMonthToDate(ctx context.Context, opts reportOptions, rep *analyze.Report) error {
	mtd, err := a.forecastMonth(ctx, opts)
	if err != nil {
		return err
	}
	return a.writeDocument(opts.output, func(w io.Writer) error {
		switch opts.format {
		case render.FormatJSON:
			return render.JSON(w, monthToDateReport{Report: rep, MonthToDate: mtd})
		case render.FormatCSV:
			if err := render.Report(w, rep, opts.format); err != nil {
				return err
			}
			render.MonthToDate(a.io.Err, mtd, rep.Totals.CreditsUSD)
			return nil
		}
		if err := render.Report(w, rep, opts.format); err != nil {
			return err
		}
		render.MonthToDate(w, mtd, rep.Totals.CreditsUSD)
		render.ReportNotes(a.io.Err, rep)
		return nil
	})
}

// forecastMonth reads the daily costs of the four weeks before --as-of and
// of the month so far.
func (a *app) forecastMonth(ctx context.Context, opts reportOptions) (*analyze.MonthToDate, error) {
	table, st, err := a.readStore(ctx)
	if err != nil {
		return nil, err
	}
	defer st.Close()

	byValue, err := monthSpend(ctx, st, table, opts.asOf, opts.loc, "")
	if err != nil {
		return nil, err
	}
	m := byValue[""]
	return &m, nil
}

// monthSpend forecasts asOf's month for each value of dim ("" for the
// total, under the key "").
func monthSpend(ctx context.Context, st store.Backend, table *pricing.Table, asOf time.Time, loc *time.Location, dim string) (map[string]analyze.MonthToDate, error) {
	by := []string{analyze.DimDay}
	if dim != "" {
		by = append(by, dim)
	}
	_, history := analyze.MonthToDateWindow(asOf, loc)
	// SplitAt lets discounts with a start or end date apply, so the spend is
	// the effective cost that the report's totals show.
	q := analyze.Query{Since: history.UTC(), Until: asOf, Loc: loc, By: by, SplitAt: analyze.AdjustmentSplits(table)}
	cells, err := st.Cells(ctx, q)
	if err != nil {
		return nil, withCode(ExitRuntime, fmt.Errorf("read store: %w", err))
	}
	return analyze.MonthToDateBy(cells, table, dim, asOf, loc)
}
