package main

import (
	"fmt"
	"math"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// unitCostUSD is the cost of one request of writeFlat's unit usage on
// claude-haiku-4-5 at its list prices in effect from 2025-10-15, per million
// tokens: input $1, cache read $0.10, output $5. Worked by hand:
// 1200×1 + 3000×0.10 + 400×5 = 3500 USD per million requests.
const unitCostUSD = 0.0035

// TestConcurrentIngests runs two, then four, ingest processes of
// overlapping files at once into one existing store. Each must succeed, and
// the store must hold each distinct request once.
func TestConcurrentIngests(t *testing.T) {
	for _, procs := range []int{2, 4} {
		t.Run(fmt.Sprintf("%d processes", procs), func(t *testing.T) {
			dir := t.TempDir()
			seed := filepath.Join(dir, "seed.jsonl")
			writeFlat(t, seed, flatGen{first: 1_000_000, count: 10})
			if res := runBinary(t, dir, nil, "--db", "shared.db", "ingest", seed); res.code != 0 {
				t.Fatalf("seed ingest: exit %d: %s", res.code, res.stderr)
			}

			distinct, results := ingestConcurrently(t, dir, procs)
			for k, res := range results {
				if res.code != 0 {
					t.Errorf("ingest part-%d.jsonl: exit %d: %s", k, res.code, res.stderr)
				}
			}
			expectUnitTotals(t, "after concurrent ingests", totalsOf(t, dir, "shared.db"), distinct+10)
			expectVerified(t, dir, "shared.db", "after concurrent ingests")
		})
	}
}

// TestConcurrentIngestsNewStore starts four ingests at once on a store
// that does not exist yet, so they race to create and migrate it.
func TestConcurrentIngestsNewStore(t *testing.T) {
	dir := t.TempDir()
	distinct, results := ingestConcurrently(t, dir, 4)

	for k, res := range results {
		if res.code != 0 {
			t.Errorf("ingest part-%d.jsonl: exit %d: %s", k, res.code, res.stderr)
		}
	}
	expectUnitTotals(t, "after concurrent ingests into a new store", totalsOf(t, dir, "shared.db"), distinct)
	expectVerified(t, dir, "shared.db", "after concurrent ingests into a new store")
}

// ingestConcurrently writes procs files of overlapping requests, ingests
// each in its own process at the same time into dir/shared.db, and returns
// the number of distinct requests and each process's result.
func ingestConcurrently(t *testing.T, dir string, procs int) (int64, []binResult) {
	t.Helper()
	perFile := 12000
	if testing.Short() {
		perFile = 4000
	}
	inputs := make([]string, procs)
	for k := range inputs {
		inputs[k] = filepath.Join(dir, fmt.Sprintf("part-%d.jsonl", k))
		// Each file shares its first half with the previous file's second
		// half.
		writeFlat(t, inputs[k], flatGen{first: k * perFile / 2, count: perFile})
	}

	results := make([]binResult, procs)
	var wg sync.WaitGroup
	for k := range inputs {
		wg.Go(func() { results[k] = runBinary(t, dir, nil, "--db", "shared.db", "ingest", inputs[k]) })
	}
	wg.Wait()
	return int64((procs + 1) * perFile / 2), results
}

// TestReportDuringIngest runs reports while an ingest commits batches. Every
// request has the same usage, so a report that read a consistent snapshot
// has tokens and cost in proportion to its request count, and the count
// never goes down from one report to the next.
func TestReportDuringIngest(t *testing.T) {
	lines := int64(60000)
	if testing.Short() {
		lines = 20000
	}
	dir := t.TempDir()
	seedFile := filepath.Join(dir, "seed.jsonl")
	input := filepath.Join(dir, "requests.jsonl")
	writeFlat(t, seedFile, flatGen{first: int(lines), count: 10})
	writeFlat(t, input, flatGen{count: int(lines)})
	if res := runBinary(t, dir, nil, "--db", "live.db", "ingest", seedFile); res.code != 0 {
		t.Fatalf("seed ingest: exit %d: %s", res.code, res.stderr)
	}

	done := make(chan binResult)
	go func() { done <- runBinary(t, dir, nil, "--db", "live.db", "ingest", input) }()

	var seen []int64
	for ingesting := true; ingesting; {
		select {
		case res := <-done:
			ingesting = false
			if res.code != 0 {
				t.Fatalf("ingest: exit %d: %s", res.code, res.stderr)
			}
		case <-time.After(50 * time.Millisecond):
		}
		got := totalsOf(t, dir, "live.db")
		expectUnitTotals(t, fmt.Sprintf("report %d during the ingest", len(seen)+1), got, got.Requests)
		if n := len(seen); n > 0 && got.Requests < seen[n-1] {
			t.Errorf("report %d: %d requests, fewer than the previous report's %d", n+1, got.Requests, seen[n-1])
		}
		seen = append(seen, got.Requests)
	}

	t.Logf("request counts seen by %d reports: %v", len(seen), seen)
	if last := seen[len(seen)-1]; last != lines+10 {
		t.Errorf("final report: %d requests, want %d", last, lines+10)
	}
}

// expectUnitTotals checks totals against requests of writeFlat's unit usage.
func expectUnitTotals(t *testing.T, what string, got storeTotals, requests int64) {
	t.Helper()
	expectTokenSums(t, what, got, requests, [3]int64{requests * unitInput, requests * unitCacheRead, requests * unitOutput})
	want := float64(requests) * unitCostUSD
	if math.Abs(got.CostUSD-want) > 1e-9*float64(max(requests, 1)) {
		t.Errorf("%s: cost = %.12f USD, want %d × %.4f = %.12f", what, got.CostUSD, requests, unitCostUSD, want)
	}
}
