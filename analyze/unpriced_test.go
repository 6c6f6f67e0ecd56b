package analyze

import (
	"testing"
	"time"

	"github.com/costctl/costctl/pricing"
)

// gapTable prices claude-gap in February 2026 and again from April 2026,
// so January is before its prices, March is a gap and April is priced.
const gapTable = `
date: 2026-12-01
models:
  - id: claude-gap
    provider: anthropic
    rows:
      - from: 2026-02-01
        until: 2026-03-01
        prices: {input: 1, output: 5}
      - from: 2026-04-01
        prices: {input: 2, output: 10}
`

func gapPrices(t *testing.T) *pricing.Table {
	t.Helper()
	table, err := pricing.Parse([]byte(gapTable), "gap.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return table
}

// unpricedDay is a cell of one UTC day whose requests were stored
// without a price row.
func unpricedDay(day, model string, requests int64) Cell {
	return Cell{Key: []string{day}, Provider: "anthropic", Model: model, Requests: requests, Usage: usage(100, 0, 0, 10)}
}

// explained builds a report of the day cells without --by, then sorts its
// unpriced requests by cause.
func explained(t *testing.T, table *pricing.Table, days []Cell) map[string]UnpricedModel {
	t.Helper()
	total := make([]Cell, len(days))
	for i, c := range days {
		c.Key = []string{}
		total[i] = c
	}
	rep, err := BuildReport(total, table, ReportOptions{})
	if err != nil {
		t.Fatal(err)
	}

	ExplainUnpriced(rep, days, table)
	out := map[string]UnpricedModel{}
	for _, m := range rep.UnpricedModels {
		out[m.Model] = m
	}
	return out
}

func TestExplainUnpricedBeforeFirstRow(t *testing.T) {
	got := explained(t, gapPrices(t), []Cell{
		unpricedDay("2026-01-05", "claude-gap", 2),
		unpricedDay("2026-01-20", "claude-gap", 1),
	})["claude-gap"]

	if got.Causes.NoRow != 3 {
		t.Errorf("no-row requests = %d, want 3", got.Causes.NoRow)
	}
	if got.Causes.Repriceable != 0 {
		t.Errorf("repriceable requests = %d, want 0", got.Causes.Repriceable)
	}
	if got.Unknown() != 0 {
		t.Errorf("unknown requests = %d, want 0", got.Unknown())
	}
	wantDays := []time.Time{utcDay(2026, 1, 5), utcDay(2026, 1, 20), utcDay(2026, 2, 1)}
	for i, gotDay := range []time.Time{got.Causes.FirstDay, got.Causes.LastDay, got.Causes.PricesStart} {
		if !gotDay.Equal(wantDays[i]) {
			t.Errorf("day %d = %s, want %s", i, gotDay, wantDays[i])
		}
	}
}

func TestExplainUnpricedGapHasNoStart(t *testing.T) {
	got := explained(t, gapPrices(t), []Cell{
		unpricedDay("2026-01-05", "claude-gap", 1),
		unpricedDay("2026-03-10", "claude-gap", 1),
	})["claude-gap"]

	if got.Causes.NoRow != 2 {
		t.Errorf("no-row requests = %d, want 2", got.Causes.NoRow)
	}
	// March is after the first row starts, so "prices start on" would be
	// false for it.
	if !got.Causes.PricesStart.IsZero() {
		t.Errorf("prices start = %s, want none", got.Causes.PricesStart)
	}
}

func TestExplainUnpricedRepriceable(t *testing.T) {
	got := explained(t, gapPrices(t), []Cell{
		unpricedDay("2026-04-02", "claude-gap", 4),
		unpricedDay("2026-01-05", "claude-gap", 1),
	})["claude-gap"]

	if got.Causes.Repriceable != 4 {
		t.Errorf("repriceable requests = %d, want 4", got.Causes.Repriceable)
	}
	if got.Causes.NoRow != 1 {
		t.Errorf("no-row requests = %d, want 1", got.Causes.NoRow)
	}
	if got.Causes.PriceOrigin != "gap.yaml" {
		t.Errorf("price origin = %q, want gap.yaml", got.Causes.PriceOrigin)
	}
}

func TestExplainUnpricedUnknownModel(t *testing.T) {
	got := explained(t, gapPrices(t), []Cell{unpricedDay("2026-04-02", "acme-llm-7b", 3)})["acme-llm-7b"]

	if got.Unknown() != 3 {
		t.Errorf("unknown requests = %d, want 3", got.Unknown())
	}
	if got.Causes.Repriceable != 0 {
		t.Errorf("repriceable requests = %d, want 0", got.Causes.Repriceable)
	}
	if got.Causes.NoRow != 0 {
		t.Errorf("no-row requests = %d, want 0", got.Causes.NoRow)
	}
}

func utcDay(year int, month time.Month, day int) time.Time {
	return time.Date(year, month, day, 0, 0, 0, 0, time.UTC)
}

// A store priced by another table gets one warning per other version, and
// the warning offers both fixes: the --prices file the store was priced
// with, or a reprice with the active table.
func TestVersionWarnings(t *testing.T) {
	got := versionWarnings([]string{"v-active", "v-old"}, "v-active")
	want := "some requests were priced with price table v-old; the active prices are v-active: if the store was priced with a --prices file, pass the same file again, else run costctl reprice to update the store"
	if len(got) != 1 || got[0] != want {
		t.Errorf("versionWarnings = %q, want [%q]", got, want)
	}
}
