package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/pricing"
)

func openTestStore(t testing.TB, path string) *Store {
	t.Helper()
	s, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func tempStorePath(t testing.TB) string {
	t.Helper()
	return filepath.Join(t.TempDir(), "costctl.db")
}

// writeAll stores reqs with one writer whose batches hold maxRows requests.
func writeAll(t testing.TB, s *Store, version string, maxRows int, reqs []analyze.Request) WriteStats {
	t.Helper()
	w, err := s.NewWriter(context.Background(), version)
	if err != nil {
		t.Fatalf("new writer: %v", err)
	}
	w.maxRows = maxRows
	for i := range reqs {
		if err := w.Add(&reqs[i]); err != nil {
			t.Fatalf("add request %d: %v", i, err)
		}
	}
	stats, err := w.Close()
	if err != nil {
		t.Fatalf("close writer: %v", err)
	}
	return stats
}

// cellsOf runs a query and fails the test on error.
func cellsOf(t testing.TB, s *Store, q analyze.Query) []analyze.Cell {
	t.Helper()
	cells, err := s.Cells(context.Background(), q)
	if err != nil {
		t.Fatalf("cells %v: %v", q.By, err)
	}
	return cells
}

// total sums every cell of the whole store.
func total(t testing.TB, s *Store) (requests int64, u pricing.Usage) {
	t.Helper()
	for _, c := range cellsOf(t, s, analyze.Query{}) {
		requests += c.Requests
		u.Add(c.Usage)
	}
	return requests, u
}

// request builds an ok, priced request with the given id, time and tokens.
func request(id string, at time.Time, input, output int64) analyze.Request {
	r := analyze.Request{
		ID: id, Time: at, Provider: "anthropic", Model: "claude-sonnet-4-5-20250929",
		ModelID: "claude-sonnet-4-5", PriceRowID: "claude-sonnet-4-5@2025-09-29",
		Status: analyze.StatusOK, Format: "anthropic", Source: "logs/a.jsonl", Line: 1,
	}
	r.Tokens[pricing.Input] = input
	r.Tokens[pricing.Output] = output
	return r
}

func mustTime(t testing.TB, s string) time.Time {
	t.Helper()
	at, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return at
}
