package analyze

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/costctl/costctl/pricing"
)

func embedded(t *testing.T) *pricing.Table {
	t.Helper()
	table, err := pricing.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	return table
}

// rowID resolves a model at a date to its price row id.
func rowID(t *testing.T, table *pricing.Table, model string) string {
	t.Helper()
	m, ok := table.Resolve("", model, time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC))
	if !ok {
		t.Fatalf("no price for %s", model)
	}
	return m.Row.ID
}

func usage(input, cacheRead, write5m, output int64) pricing.Usage {
	var u pricing.Usage
	u.Tokens[pricing.Input] = input
	u.Tokens[pricing.CacheRead] = cacheRead
	u.Tokens[pricing.CacheWrite5m] = write5m
	u.Tokens[pricing.Output] = output
	return u
}

// reportCells: claude-3-5-haiku ($0.80 in, $0.08 read, $1 5m write, $4 out
// per MTok), gpt-4o-mini-2024-07-18 ($0.15 in, $0.60 out) and an unknown
// model.
func reportCells(t *testing.T, table *pricing.Table) []Cell {
	return []Cell{
		{Key: []string{"chat"}, Model: "claude-3-5-haiku-20241022", ModelID: "claude-3-5-haiku",
			PriceRowID: rowID(t, table, "claude-3-5-haiku-20241022"), Requests: 2, Usage: usage(1000, 10000, 2000, 500)},
		{Key: []string{"classify"}, Model: "gpt-4o-mini-2024-07-18", ModelID: "gpt-4o-mini-2024-07-18",
			PriceRowID: rowID(t, table, "gpt-4o-mini-2024-07-18"), Requests: 3, NoUsage: 1, Usage: usage(10000, 0, 0, 1000)},
		{Key: []string{"classify"}, Model: "acme-llm-7b", Provider: "acme", Requests: 4, Usage: usage(100, 0, 0, 10)},
	}
}

func near(t *testing.T, name string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > 1e-12 {
		t.Errorf("%s = %.15g, want %.15g", name, got, want)
	}
}

func TestBuildReportTotals(t *testing.T) {
	table := embedded(t)
	rep, err := BuildReport(reportCells(t, table), table, ReportOptions{By: []string{DimEndpoint}})
	if err != nil {
		t.Fatal(err)
	}

	// chat: 1000×0.80 + 10000×0.08 + 2000×1 + 500×4 = 5,600 µ$ = $0.0056
	// classify: 10000×0.15 + 1000×0.60 = 2,100 µ$ = $0.0021; acme unpriced
	near(t, "cost", rep.Totals.CostUSD, 0.0077)
	near(t, "effective cost", rep.Totals.EffectiveCostUSD, 0.0077)
	// priced requests: 9 − 4 unpriced − 1 without usage = 4
	near(t, "cost per request", rep.Totals.CostPerRequestUSD, 0.0077/4)
	// cache reads 10,000 of 1,000+10,000+2,000+10,000+100 = 23,100 prompt tokens
	near(t, "cache hit ratio", rep.Totals.CacheHitRatio, 10000.0/23100)

	if rep.Totals.Requests != 9 || rep.Totals.UnpricedRequests != 4 || rep.Totals.UnknownCostRequests != 1 {
		t.Errorf("requests %d unpriced %d unknown %d, want 9 4 1",
			rep.Totals.Requests, rep.Totals.UnpricedRequests, rep.Totals.UnknownCostRequests)
	}
	if rep.Totals.CacheWriteTokens != 2000 || rep.Totals.CacheWrite5mTokens != 2000 {
		t.Errorf("cache writes %d (5m %d), want 2000", rep.Totals.CacheWriteTokens, rep.Totals.CacheWrite5mTokens)
	}
}

func TestBuildReportGroups(t *testing.T) {
	table := embedded(t)
	rep, err := BuildReport(reportCells(t, table), table, ReportOptions{By: []string{DimEndpoint}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Groups) != 2 {
		t.Fatalf("%d groups, want 2", len(rep.Groups))
	}

	chat, classify := rep.Groups[0], rep.Groups[1]
	if chat.Key[DimEndpoint] != "chat" || classify.Key[DimEndpoint] != "classify" {
		t.Errorf("order %v, %v: want the costlier chat first", chat.Key, classify.Key)
	}
	near(t, "chat share", *chat.SharePct, 100*0.0056/0.0077)
	near(t, "classify cost", classify.CostUSD, 0.0021)
	if classify.UnpricedRequests != 4 {
		t.Errorf("classify unpriced %d, want 4", classify.UnpricedRequests)
	}
	if len(rep.UnpricedModels) != 1 || rep.UnpricedModels[0].Model != "acme-llm-7b" || rep.UnpricedModels[0].Requests != 4 {
		t.Errorf("unpriced models %+v, want acme-llm-7b with 4 requests", rep.UnpricedModels)
	}
}

func TestBuildReportCellCosts(t *testing.T) {
	table := embedded(t)
	rep, err := BuildReport(reportCells(t, table), table, ReportOptions{By: []string{DimEndpoint}})
	if err != nil {
		t.Fatal(err)
	}

	c := rep.Cells[0]
	near(t, "input", c.CostByClassUSD["input"], 0.0008)
	near(t, "cache read", c.CostByClassUSD["cache_read"], 0.0008)
	near(t, "cache write 5m", c.CostByClassUSD["cache_write_5m"], 0.002)
	near(t, "output", c.CostByClassUSD["output"], 0.002)
	near(t, "cell", c.CostUSD, 0.0056)
	if c.Tokens["cache_read"] != 10000 {
		t.Errorf("cell cache_read tokens %d, want 10000", c.Tokens["cache_read"])
	}
}

func TestBuildReportTimeOrderAndTop(t *testing.T) {
	table := embedded(t)
	row := rowID(t, table, "claude-3-5-haiku-20241022")
	cells := []Cell{
		{Key: []string{"10"}, PriceRowID: row, ModelID: "claude-3-5-haiku", Requests: 1, Usage: usage(1000, 0, 0, 0)},
		{Key: []string{"9"}, PriceRowID: row, ModelID: "claude-3-5-haiku", Requests: 1, Usage: usage(10, 0, 0, 0)},
		{Key: []string{"23"}, PriceRowID: row, ModelID: "claude-3-5-haiku", Requests: 1, Usage: usage(100, 0, 0, 0)},
	}

	rep, err := BuildReport(cells, table, ReportOptions{By: []string{DimHourOfDay}})
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []int{9, 10, 23} {
		if got := rep.Groups[i].Key[DimHourOfDay]; got != want {
			t.Errorf("group %d hour %v, want %d", i, got, want)
		}
	}

	rep, err = BuildReport(cells, table, ReportOptions{By: []string{DimHourOfDay}, Top: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Groups) != 1 {
		t.Fatalf("--top 1 kept %d groups", len(rep.Groups))
	}
	near(t, "total under --top", rep.Totals.CostUSD, 1110*0.8/1e6)
	if len(rep.Warnings) != 1 || !strings.Contains(rep.Warnings[0], "shows 1 of 3 groups") {
		t.Errorf("warnings %q, want one saying 1 of 3 groups are shown", rep.Warnings)
	}
}

func TestBuildReportWarnings(t *testing.T) {
	table := embedded(t)
	cells := []Cell{{Key: []string{}, PriceRowID: "retired-model@2020-01-01", ModelID: "retired-model", Requests: 1, Usage: usage(100, 0, 0, 10)}}

	rep, err := BuildReport(cells, table, ReportOptions{StoredVersions: []string{"2020-01-01+00000000"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Warnings) != 2 {
		t.Fatalf("warnings %q, want a missing row and an older table", rep.Warnings)
	}
	if rep.Totals.UnpricedRequests != 1 {
		t.Errorf("a request whose row left the table is unpriced; got %d", rep.Totals.UnpricedRequests)
	}
}

// TestBuildReportZeroUsageUnknownModel: a request refused before any work
// bills no token, so an unknown model does not make its cost unknown.
func TestBuildReportZeroUsageUnknownModel(t *testing.T) {
	table := embedded(t)
	cells := []Cell{{Key: []string{}, Model: "", Provider: "openai", Requests: 2}}

	rep, err := BuildReport(cells, table, ReportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Totals.UnpricedRequests != 0 || len(rep.UnpricedModels) != 0 {
		t.Errorf("unpriced %d, models %v: want none", rep.Totals.UnpricedRequests, rep.UnpricedModels)
	}
}
