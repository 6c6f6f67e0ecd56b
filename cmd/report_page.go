package cmd

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/cmd/render"
	"github.com/costctl/costctl/cmd/render/chart"
	"github.com/costctl/costctl/cmd/render/html"
	"github.com/costctl/costctl/pricing"
)

// pageSeries is how many values of the stacking dimension the cost chart
// shows; the cheaper rest is summed as "other" so colours stay distinct.
const pageSeries = 7

// pageTop is how many endpoints, tiers and models the page lists.
const pageTop = 10

// writeReportPage writes the HTML report to -o FILE or standard output
// when --format is html, and its charts as PNG files with --chart-png.
func (a *app) writeReportPage(ctx context.Context, opts reportOptions, rep *analyze.Report) error {
	page, err := a.buildReportPage(ctx, opts, rep)
	if err != nil {
		return err
	}
	if opts.chartPNG != "" {
		charts, err := html.ReportCharts(page)
		if err != nil {
			return withCode(ExitRuntime, err)
		}
		if err := writeChartPNGs(opts.chartPNG, charts); err != nil {
			return err
		}
	}
	if opts.format != render.FormatHTML {
		return nil
	}
	return a.writeDocument(opts.output, func(w io.Writer) error {
		if err := html.Report(w, page); err != nil {
			return withCode(ExitRuntime, err)
		}
		return nil
	})
}

// buildReportPage queries the views of the HTML report, all over the
// window and time zone of opts, through the same path as the report.
func (a *app) buildReportPage(ctx context.Context, opts reportOptions, rep *analyze.Report) (*html.ReportPage, error) {
	stackBy := analyze.DimEndpoint
	if len(opts.by) > 0 && !slices.Contains([]string{"day", "hour", "hour_of_day"}, opts.by[0]) {
		stackBy = opts.by[0]
	}
	p := &html.ReportPage{Report: rep, StackBy: stackBy}

	view := func(top int, by ...string) (*analyze.Report, error) {
		o := opts
		o.by, o.top = by, top
		return a.buildReport(ctx, o)
	}
	daily, err := view(0, "day", stackBy)
	if err != nil {
		return nil, err
	}
	byDay, err := view(0, "day")
	if err != nil {
		return nil, err
	}
	hourly, err := view(0, "day", "hour_of_day")
	if err != nil {
		return nil, err
	}
	if p.Endpoints, err = view(pageTop, analyze.DimEndpoint); err != nil {
		return nil, err
	}
	if p.Tiers, err = view(pageTop, "tier"); err != nil {
		return nil, err
	}
	if p.Models, err = view(pageTop, "model"); err != nil {
		return nil, err
	}

	days := dayRange(byDay)
	p.Period = periodFor(len(days))
	p.Periods = periodRange(days, p.Period)
	p.PeriodCost = stackedCost(daily, p.Periods, p.Period, stackBy)
	p.CacheHitPct = cacheHitPerPeriod(byDay, p.Periods, p.Period)
	p.Weekdays, p.Hours, p.HourCost = weekdayHours(hourly)
	return p, nil
}

// dayRange lists every day from the first to the last day with requests,
// so days without traffic show as gaps rather than disappearing.
func dayRange(byDay *analyze.Report) []string {
	if len(byDay.Groups) == 0 {
		return []string{}
	}
	first, err1 := time.Parse(time.DateOnly, fmt.Sprint(byDay.Groups[0].Key["day"]))
	last, err2 := time.Parse(time.DateOnly, fmt.Sprint(byDay.Groups[len(byDay.Groups)-1].Key["day"]))
	if err1 != nil || err2 != nil {
		return []string{}
	}
	var days []string
	for d := first; !d.After(last); d = d.AddDate(0, 0, 1) {
		days = append(days, d.Format(time.DateOnly))
	}
	return days
}

// periodFor picks the bucket of the time series: days for up to about
// three months, weeks for up to two years, then months. Beyond that many
// bars neither fit a chart nor keep the page small and quick to open.
func periodFor(days int) string {
	switch {
	case days <= 92:
		return "day"
	case days <= 731:
		return "week"
	}
	return "month"
}

// bucketOf labels the period a day (YYYY-MM-DD) falls in: the day
// itself, the Monday of its week, or its month (YYYY-MM).
func bucketOf(day, period string) string {
	switch period {
	case "week":
		t, err := time.Parse(time.DateOnly, day)
		if err != nil {
			return day
		}
		return t.AddDate(0, 0, -((int(t.Weekday()) + 6) % 7)).Format(time.DateOnly)
	case "month":
		if len(day) >= 7 {
			return day[:7]
		}
	}
	return day
}

// periodRange lists the periods that the days fall in, in order.
func periodRange(days []string, period string) []string {
	out := []string{}
	for _, d := range days {
		if b := bucketOf(d, period); len(out) == 0 || out[len(out)-1] != b {
			out = append(out, b)
		}
	}
	return out
}

// stackedCost turns a (day, dim) report into one cost series per value
// of dim, the costliest pageSeries values first and the rest as "other".
func stackedCost(rep *analyze.Report, periods []string, period, dim string) []chart.Series {
	names := rankedValues(rep, dim)
	if len(names) > pageSeries+1 {
		names = append(names[:pageSeries], "other")
	}
	out := make([]chart.Series, len(names))
	position := map[string]int{}
	for i, n := range names {
		out[i] = chart.Series{Name: n, Values: make([]float64, len(periods))}
		position[n] = i
	}

	index := periodIndex(periods)
	for _, g := range rep.Groups {
		s, ok := position[groupValue(g, dim)]
		if !ok {
			s = position["other"]
		}
		if i, ok := index[bucketOf(fmt.Sprint(g.Key["day"]), period)]; ok {
			out[s].Values[i] += g.CostUSD
		}
	}
	return out
}

// rankedValues lists the values of dim in a report, costliest first.
func rankedValues(rep *analyze.Report, dim string) []string {
	totals := map[string]float64{}
	for _, g := range rep.Groups {
		totals[groupValue(g, dim)] += g.CostUSD
	}
	names := make([]string, 0, len(totals))
	for n := range totals {
		names = append(names, n)
	}
	slices.SortFunc(names, func(x, y string) int {
		if c := cmp.Compare(totals[y], totals[x]); c != 0 {
			return c
		}
		return cmp.Compare(x, y)
	})
	return names
}

// cacheHitPerPeriod is each period's cache hit ratio in percent: cache
// reads over prompt tokens summed across its days; 0 without traffic.
func cacheHitPerPeriod(byDay *analyze.Report, periods []string, period string) []float64 {
	index := periodIndex(periods)
	reads, prompt := make([]int64, len(periods)), make([]int64, len(periods))
	for _, g := range byDay.Groups {
		if i, ok := index[bucketOf(fmt.Sprint(g.Key["day"]), period)]; ok {
			reads[i] += g.CacheReadTokens
			prompt[i] += promptTokens(g.Figures)
		}
	}

	out := make([]float64, len(periods))
	for i := range out {
		if prompt[i] > 0 {
			out[i] = 100 * float64(reads[i]) / float64(prompt[i])
		}
	}
	return out
}

// promptTokens counts a group's prompt tokens as pricing does for the
// report's own cache hit ratio.
func promptTokens(f analyze.Figures) int64 {
	var u pricing.Usage
	u.Tokens[pricing.Input] = f.InputTokens
	u.Tokens[pricing.CacheRead] = f.CacheReadTokens
	u.Tokens[pricing.CacheWrite5m] = f.CacheWrite5mTokens
	u.Tokens[pricing.CacheWrite1h] = f.CacheWrite1hTokens
	u.Tokens[pricing.AudioIn] = f.AudioInTokens
	u.Tokens[pricing.ImageIn] = f.ImageInTokens
	return u.PromptTokens()
}

// weekdayHours sums a (day, hour_of_day) report into cost by weekday,
// Monday first, and hour. Days are already in the report's time zone.
func weekdayHours(rep *analyze.Report) (weekdays, hours []string, cost [][]float64) {
	weekdays = []string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}
	hours = make([]string, 24)
	for h := range hours {
		hours[h] = strconv.Itoa(h)
	}
	cost = make([][]float64, 7)
	for i := range cost {
		cost[i] = make([]float64, 24)
	}

	for _, g := range rep.Groups {
		day, err := time.Parse(time.DateOnly, fmt.Sprint(g.Key["day"]))
		hour, err2 := strconv.Atoi(fmt.Sprint(g.Key["hour_of_day"]))
		if err != nil || err2 != nil || hour < 0 || hour > 23 {
			continue
		}
		row := (int(day.Weekday()) + 6) % 7
		cost[row][hour] += g.CostUSD
	}
	return weekdays, hours, cost
}

func periodIndex(periods []string) map[string]int {
	index := make(map[string]int, len(periods))
	for i, p := range periods {
		index[p] = i
	}
	return index
}

// groupValue is a group's value of dim as the page labels it.
func groupValue(g analyze.Group, dim string) string {
	if v := fmt.Sprint(g.Key[dim]); v != "" {
		return v
	}
	return "(none)"
}

// writeChartPNGs writes each chart as DIR/NAME.png, creating DIR.
func writeChartPNGs(dir string, charts []*chart.Chart) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return withCode(ExitRuntime, fmt.Errorf("--chart-png: %w", err))
	}
	for _, c := range charts {
		if err := writeChartPNG(filepath.Join(dir, c.Name+".png"), c); err != nil {
			return withCode(ExitRuntime, fmt.Errorf("--chart-png: %w", err))
		}
	}
	return nil
}

func writeChartPNG(path string, c *chart.Chart) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := c.PNG(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
