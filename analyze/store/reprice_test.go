package store

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/pricing"
)

// repriceTable prices claude-sonnet-4-5 from a row that starts on
// 2025-11-01, so a request before that date resolves to nothing.
const repriceTable = `
date: 2026-12-01
models:
  - id: claude-sonnet-4-5
    provider: anthropic
    names: [claude-sonnet-4-5-20250929]
    rows:
      - from: 2025-09-29
        prices: {input: 3, output: 15}
        bands:
          - above: 200000
            prices: {input: 6, output: 22.5}
      - from: 2025-11-01
        prices: {input: 4, output: 16}
`

func TestRepriceUpdatesRowsAndRollup(t *testing.T) {
	s := openTestStore(t, tempStorePath(t))
	reqs := []analyze.Request{
		request("a", mustTime(t, "2025-10-05T10:00:00Z"), 250_000, 10), // long context: band 1
		request("b", mustTime(t, "2025-11-05T10:00:00Z"), 1000, 10),    // the later row
		request("c", mustTime(t, "2025-11-06T10:00:00Z"), 1000, 10),
	}
	reqs[2].Model, reqs[2].ModelID, reqs[2].PriceRowID = "acme-7b", "acme-7b", "acme-7b@2025-01-01"
	writeAll(t, s, "old", 100, reqs)

	table, err := pricing.Parse([]byte(repriceTable), "test")
	if err != nil {
		t.Fatal(err)
	}
	stats, err := s.Reprice(context.Background(), analyze.Pricer{Table: table}, table.Version())
	if err != nil {
		t.Fatalf("reprice: %v", err)
	}

	if stats.Requests != 3 || stats.Changed != 3 || stats.Unpriced != 1 {
		t.Errorf("stats = %+v, want 3 read, 3 changed, 1 unpriced", stats)
	}
	versions, err := s.PriceTableVersions(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(versions, []string{table.Version()}) {
		t.Errorf("versions = %v, want only %s", versions, table.Version())
	}

	// The rollup (no raw-only dimension) and the request table (by session)
	// must agree on every request's new row and band.
	for _, q := range []analyze.Query{{}, {By: []string{analyze.DimSession}}} {
		got := map[string]int{}
		for _, c := range cellsOf(t, s, q) {
			got[c.PriceRowID] += int(c.Requests)
			if c.PriceRowID == "claude-sonnet-4-5@2025-09-29" && c.ContextBand != 1 {
				t.Errorf("query %v: band = %d, want 1 for a 250,000-token prompt", q.By, c.ContextBand)
			}
		}
		want := map[string]int{"claude-sonnet-4-5@2025-09-29": 1, "claude-sonnet-4-5@2025-11-01": 1, "": 1}
		if !mapsEqual(got, want) {
			t.Errorf("query %v: requests by row = %v, want %v", q.By, got, want)
		}
	}
}

func TestRepriceTwiceChangesNothing(t *testing.T) {
	s := openTestStore(t, tempStorePath(t))
	writeAll(t, s, "old", 100, []analyze.Request{request("a", mustTime(t, "2025-11-05T10:00:00Z"), 1000, 10)})
	table, err := pricing.Parse([]byte(repriceTable), "test")
	if err != nil {
		t.Fatal(err)
	}

	p := analyze.Pricer{Table: table}
	if _, err := s.Reprice(context.Background(), p, table.Version()); err != nil {
		t.Fatal(err)
	}
	stats, err := s.Reprice(context.Background(), p, table.Version())
	if err != nil {
		t.Fatal(err)
	}
	if stats.Changed != 0 {
		t.Errorf("second reprice changed %d requests, want 0", stats.Changed)
	}
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestRepriceAcrossChunks(t *testing.T) {
	defer func(n int) { repriceChunk = n }(repriceChunk)
	repriceChunk = 2

	s := openTestStore(t, tempStorePath(t))
	var reqs []analyze.Request
	for i := range 5 { // 5 requests: chunks of 2, 2 and 1
		reqs = append(reqs, request(fmt.Sprintf("r%d", i), mustTime(t, "2025-11-05T10:00:00Z"), 1000, 10))
	}
	writeAll(t, s, "old", 100, reqs)
	table, err := pricing.Parse([]byte(repriceTable), "test")
	if err != nil {
		t.Fatal(err)
	}

	stats, err := s.Reprice(context.Background(), analyze.Pricer{Table: table}, table.Version())
	if err != nil {
		t.Fatal(err)
	}
	if stats.Requests != 5 || stats.Changed != 5 {
		t.Errorf("stats = %+v, want 5 read and 5 changed", stats)
	}
	requests, _ := total(t, s)
	if requests != 5 {
		t.Errorf("rollup counts %d requests, want 5", requests)
	}
}
