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
)

// pageSeries is how many values of the stacking dimension the daily chart
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

	p.Days = dayRange(byDay)
	p.DailyCost = stackedDaily(daily, p.Days, stackBy)
	p.CacheHitPct = cacheHitPerDay(byDay, p.Days)
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

// stackedDaily turns a (day, dim) report into one cost series per value
// of dim, the costliest pageSeries values first and the rest as "other".
func stackedDaily(rep *analyze.Report, days []string, dim string) []chart.Series {
	names := rankedValues(rep, dim)
	if len(names) > pageSeries+1 {
		names = append(names[:pageSeries], "other")
	}
	out := make([]chart.Series, len(names))
	position := map[string]int{}
	for i, n := range names {
		out[i] = chart.Series{Name: n, Values: make([]float64, len(days))}
		position[n] = i
	}

	index := dayIndex(days)
	for _, g := range rep.Groups {
		s, ok := position[groupValue(g, dim)]
		if !ok {
			s = position["other"]
		}
		if d, ok := index[fmt.Sprint(g.Key["day"])]; ok {
			out[s].Values[d] += g.CostUSD
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

// cacheHitPerDay is each day's cache hit ratio in percent; 0 on days
// without traffic.
func cacheHitPerDay(byDay *analyze.Report, days []string) []float64 {
	index := dayIndex(days)
	out := make([]float64, len(days))
	for _, g := range byDay.Groups {
		if d, ok := index[fmt.Sprint(g.Key["day"])]; ok {
			out[d] = 100 * g.CacheHitRatio
		}
	}
	return out
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

func dayIndex(days []string) map[string]int {
	index := make(map[string]int, len(days))
	for i, d := range days {
		index[d] = i
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
