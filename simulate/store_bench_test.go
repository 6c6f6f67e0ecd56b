package simulate

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/analyze/store"
	"github.com/costctl/costctl/pricing"
)

// BenchmarkSimulateAllLevers replays the store named by COSTCTL_BENCH_DB,
// or else a new store of 20,000 generated requests, under
// testdata/all-levers.yaml: what `costctl simulate --policy` does after
// opening the store, rendering excepted.
func BenchmarkSimulateAllLevers(b *testing.B) {
	table := embeddedTable(b)
	policy := readPolicy(b, table, filepath.Join("testdata", "all-levers.yaml"))
	st := benchStore(b, table)
	ctx := context.Background()

	var requests int64
	for b.Loop() {
		scan := func(fn func(*analyze.Request) error) error { return st.Scan(ctx, analyze.Query{}, fn) }
		sim, err := Run(scan, policy, table, Options{By: []string{analyze.DimEndpoint}})
		if err != nil {
			b.Fatal(err)
		}
		requests = sim.Baseline.Requests
	}
	if requests == 0 {
		b.Fatal("simulated no requests")
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(int64(b.N)*requests), "ns/request")
}

func benchStore(b *testing.B, table *pricing.Table) *store.Store {
	path := os.Getenv("COSTCTL_BENCH_DB")
	if path == "" {
		path = filepath.Join(b.TempDir(), "db")
		writeStore(b, path, table, generateTraffic(b, table, 20_000, time.Millisecond))
	}
	st, err := store.Open(context.Background(), path, store.Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	return st
}

func readPolicy(t testing.TB, table *pricing.Table, path string) *Policy {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	p, err := ParsePolicy(data, table)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return p
}

// benchModels is the model mix of testdata/benchgen, with a model the
// price table does not know added.
var benchModels = []struct{ provider, model string }{
	{"anthropic", "claude-sonnet-4-5-20250929"}, {"anthropic", "claude-haiku-4-5-20251001"},
	{"anthropic", "claude-opus-4-6"}, {"openai", "gpt-4o-2024-08-06"}, {"openai", "gpt-4.1-mini"},
	{"anthropic", "claude-sonnet-4-5-20250929"}, {"openai", "in-house-model"},
}

// generateTraffic returns n priced requests over 30 days, with times
// truncated to grain, so that a coarse grain puts several requests at one
// instant. Each session stays on one endpoint, and its input grows turn by
// turn for up to 12 turns. Every fifth request logs a prefix hash and every
// third a time to first token. A few have no usage or an unknown model.
func generateTraffic(t testing.TB, table *pricing.Table, n int, grain time.Duration) []analyze.Request {
	t.Helper()
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	step := 30 * 24 * time.Hour / time.Duration(n)
	turns := map[int]int64{}
	out := make([]analyze.Request, n)
	for i := range out {
		r := &out[i]
		m := benchModels[i*7%len(benchModels)]
		session := i * 31 % max(n/8, 1)
		turns[session] = turns[session]%12 + 1
		*r = analyze.Request{
			ID: fmt.Sprintf("req_%09d", i), Time: start.Add(time.Duration(i) * step).Truncate(grain),
			Provider: m.provider, Model: m.model, Endpoint: fmt.Sprintf("/v1/%d", session%20),
			Tier: []string{"free", "pro", "team", "enterprise"}[i*3%4], Customer: fmt.Sprintf("c%d", i%50),
			Session: fmt.Sprintf("s%d", session), Turn: turns[session], Status: analyze.StatusOK,
			Format: "costctl-jsonl", Source: "bench.jsonl", Line: int64(i + 1),
		}
		fillUsage(r, i, session)
		if !(analyze.Pricer{Table: table}).Price(r) && m.model != "in-house-model" {
			t.Fatalf("model %s is not in the price table", m.model)
		}
	}
	return out
}

func fillUsage(r *analyze.Request, i, session int) {
	history := (r.Turn - 1) * int64(600+session%700)
	r.Tokens[pricing.Input] = int64(200 + i%1800)
	r.Tokens[pricing.CacheRead] = history * 9 / 10
	r.Tokens[pricing.CacheWrite5m] = history / 10
	r.Tokens[pricing.Output] = int64(20 + i%900)
	r.Reasoning = r.Tokens[pricing.Output] / 4
	if i%5 == 0 {
		r.PrefixHash, r.PrefixTokens = fmt.Sprintf("p%d", i%3), 4500
	}
	if i%3 == 0 {
		r.TTFTMS = int64(300 + i%1500)
	}
	if i%97 == 0 {
		r.Status, r.Usage = analyze.StatusNoUsage, pricing.Usage{}
	}
}

// writeStore stores reqs in a new store at path.
func writeStore(t testing.TB, path string, table *pricing.Table, reqs []analyze.Request) {
	t.Helper()
	st, err := store.Open(context.Background(), path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()

	w, err := st.NewWriter(context.Background(), table.Version())
	if err != nil {
		t.Fatal(err)
	}
	for i := range reqs {
		if err := w.Add(&reqs[i]); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.Close(); err != nil {
		t.Fatal(err)
	}
}
