package cmd

import (
	"context"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/costctl/costctl/analyze"
)

func TestPeriodFor(t *testing.T) {
	cases := map[int]string{1: "day", 92: "day", 93: "week", 731: "week", 732: "month"}
	for days, want := range cases {
		if got := periodFor(days); got != want {
			t.Errorf("periodFor(%d) = %q, want %q", days, got, want)
		}
	}
}

func TestBucketOf(t *testing.T) {
	cases := []struct{ day, period, want string }{
		{"2025-11-05", "day", "2025-11-05"},
		{"2025-11-05", "week", "2025-11-03"}, // a Wednesday
		{"2025-11-03", "week", "2025-11-03"}, // a Monday
		{"2025-11-09", "week", "2025-11-03"}, // a Sunday ends the week
		{"2025-11-05", "month", "2025-11"},
	}
	for _, c := range cases {
		if got := bucketOf(c.day, c.period); got != c.want {
			t.Errorf("bucketOf(%s, %s) = %s, want %s", c.day, c.period, got, c.want)
		}
	}
}

func TestPeriodRangeFillsGaps(t *testing.T) {
	byDay := &analyze.Report{Groups: []analyze.Group{
		{Key: map[string]any{"day": "2025-11-30"}}, {Key: map[string]any{"day": "2025-12-02"}},
	}}
	days := dayRange(byDay)
	if want := []string{"2025-11-30", "2025-12-01", "2025-12-02"}; !slices.Equal(days, want) {
		t.Errorf("dayRange = %v, want %v", days, want)
	}
	if got, want := periodRange(days, "month"), []string{"2025-11", "2025-12"}; !slices.Equal(got, want) {
		t.Errorf("periodRange by month = %v, want %v", got, want)
	}
}

func TestCacheHitPerPeriod(t *testing.T) {
	day := func(d string, input, reads int64) analyze.Group {
		return analyze.Group{Key: map[string]any{"day": d}, Figures: analyze.Figures{InputTokens: input, CacheReadTokens: reads, CacheWrite5mTokens: 100}}
	}
	byDay := &analyze.Report{Groups: []analyze.Group{day("2025-11-03", 100, 800), day("2025-11-04", 900, 0)}}

	got := cacheHitPerPeriod(byDay, []string{"2025-11-03"}, "week")
	// 800 reads over 100+800+100 + 900+0+100 prompt tokens.
	if want := 100 * 800.0 / 2000; math.Abs(got[0]-want) > 1e-9 {
		t.Errorf("weekly cache hit = %v%%, want %v%%", got[0], want)
	}
	daily := cacheHitPerPeriod(byDay, []string{"2025-11-03", "2025-11-04"}, "day")
	if daily[0] != 80 || daily[1] != 0 {
		t.Errorf("daily cache hit = %v, want [80 0]", daily)
	}
}

func TestStackedCostKeepsTotals(t *testing.T) {
	var groups []analyze.Group
	total := 0.0
	for i, ep := range []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"} {
		cost := float64(10 - i)
		groups = append(groups, analyze.Group{Key: map[string]any{"day": "2025-11-03", "endpoint": ep}, Figures: analyze.Figures{CostUSD: cost}})
		total += cost
	}
	series := stackedCost(&analyze.Report{Groups: groups}, []string{"2025-11-03"}, "day", "endpoint")

	if len(series) != pageSeries+1 || series[pageSeries].Name != "other" {
		t.Fatalf("got %d series, last %q; want %d with other last", len(series), series[len(series)-1].Name, pageSeries+1)
	}
	if series[0].Name != "a" {
		t.Errorf("first series is %q, want the costliest, a", series[0].Name)
	}
	sum := 0.0
	for _, s := range series {
		sum += s.Values[0]
	}
	if math.Abs(sum-total) > 1e-9 {
		t.Errorf("stacked series sum to %v, want the day's total %v", sum, total)
	}
}

// TestReportBarsOnTerminal runs the real command: the bar column shows on
// a terminal and not in a pipe, an output file or another format.
func TestReportBarsOnTerminal(t *testing.T) {
	db := filepath.Join(t.TempDir(), "s.db")
	streams, _, errb := TestIO("")
	if code := Main(context.Background(), []string{"--db", db, "ingest", filepath.Join("..", "testdata", "sample")}, streams); code != 0 {
		t.Fatalf("ingest: exit %d: %s", code, errb)
	}

	cases := []struct {
		args     []string
		terminal bool
		bars     bool
	}{
		{[]string{"--by", "day"}, true, true},
		{[]string{"--by", "hour_of_day"}, true, true},
		{[]string{"--by", "day"}, false, false},
		{[]string{"--by", "endpoint"}, true, false},
		{[]string{"--by", "day", "--format", "markdown"}, true, false},
	}
	for _, c := range cases {
		streams, out, errb := TestIO("")
		streams.OutIsTerminal = c.terminal
		args := append([]string{"--db", db, "report"}, c.args...)
		if code := Main(context.Background(), args, streams); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errb)
		}
		if got := strings.Contains(out.String(), "█"); got != c.bars {
			t.Errorf("report %v on terminal=%v: bars shown = %v, want %v", c.args, c.terminal, got, c.bars)
		}
	}
}
