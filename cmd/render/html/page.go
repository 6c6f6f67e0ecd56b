package html

import (
	"time"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/cmd/render/chart"
)

// ReportPage is everything the HTML report shows. The caller builds it
// from several store queries over the same window and time zone; the
// renderer only lays it out and draws it.
type ReportPage struct {
	// Report is the report as asked (--by, --top): totals, groups, unpriced
	// models, warnings, window and price table version.
	Report *analyze.Report

	// Period is the bucket of the time series, "day", "week" or "month",
	// and Periods are its buckets in the window's time zone: dates
	// (YYYY-MM-DD, a week by its Monday) or months (YYYY-MM).
	Period  string
	Periods []string

	// StackBy is the dimension PeriodCost is stacked by; PeriodCost holds
	// one series of costs in USD per value, each with one value per period.
	StackBy    string
	PeriodCost []chart.Series

	// HourCost is the cost in USD by weekday (rows, Weekdays) and hour of
	// day (columns, Hours) in the window's time zone.
	Weekdays []string
	Hours    []string
	HourCost [][]float64

	// Endpoints, Tiers and Models are reports by that one dimension,
	// costliest first.
	Endpoints *analyze.Report
	Tiers     *analyze.Report
	Models    *analyze.Report

	// CacheHitPct is the share of prompt tokens read from cache per
	// period, from 0 to 100.
	CacheHitPct []float64
}

// ReportCharts draws the report page's charts, in page order. The same
// charts are written as PNG files by --chart-png.
func ReportCharts(p *ReportPage) ([]*chart.Chart, error) {
	var c collector
	periods := shortDays(p.Periods)
	c.add(chart.StackedBars("cost-over-time", "Cost per "+p.Period+" by "+p.StackBy, "USD", periods, p.PeriodCost))
	c.add(chart.HeatMap("cost-by-hour", "Cost by weekday and hour of day ("+p.Report.Window.TZ+")", p.Weekdays, p.Hours, p.HourCost))
	c.add(groupBars("top-endpoints", "Cost by endpoint", p.Endpoints, "endpoint"))
	c.add(groupBars("tiers", "Cost by tier", p.Tiers, "tier"))
	c.add(groupBars("model-mix", "Cost by model", p.Models, "model"))
	c.add(chart.Line("cache-hit-ratio", "Cache hit ratio per "+p.Period, "% of prompt tokens", periods, p.CacheHitPct, 100))
	return c.charts, c.err
}

// shortDays labels dates as "Nov 03" so that a month of them fits under a
// chart; other labels, such as months, stay as they are.
func shortDays(days []string) []string {
	out := make([]string, len(days))
	for i, d := range days {
		out[i] = d
		if t, err := time.Parse(time.DateOnly, d); err == nil {
			out[i] = t.Format("Jan 02")
		}
	}
	return out
}

// collector keeps charts in order and the first error drawing one.
type collector struct {
	charts []*chart.Chart
	err    error
}

func (c *collector) add(ch *chart.Chart, err error) {
	if c.err != nil {
		return
	}
	if c.err = err; err == nil {
		c.charts = append(c.charts, ch)
	}
}

// groupBars draws a one-dimension report's groups as horizontal bars of
// cost, in the report's order.
func groupBars(name, title string, rep *analyze.Report, dim string) (*chart.Chart, error) {
	labels := make([]string, len(rep.Groups))
	costs := make([]float64, len(rep.Groups))
	for i, g := range rep.Groups {
		labels[i], costs[i] = keyLabel(g, dim), g.CostUSD
	}
	return chart.HBars(name, title, "USD", labels, costs)
}
