package store_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/costctl/costctl/analyze/ingest"
	"github.com/costctl/costctl/analyze/store"
	"github.com/costctl/costctl/pricing"
)

// flatJSONL returns n costctl JSONL requests with distinct ids over 30 days,
// with 5 models, 20 endpoints and 4 tiers (the mix of testdata/benchgen).
func flatJSONL(n int) []byte {
	models := []string{"claude-sonnet-4-5-20250929", "claude-haiku-4-5-20251001", "claude-opus-4-6", "gpt-4o-2024-08-06", "gpt-4.1-mini"}
	tiers := []string{"free", "pro", "team", "enterprise"}
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	var buf bytes.Buffer
	for i := range n {
		at := start.Add(time.Duration(i) * 30 * 24 * time.Hour / time.Duration(n))
		fmt.Fprintf(&buf, `{"id":"req_%012d","time":"%s","provider":"anthropic","model":"%s","endpoint":"/v1/%d","tier":"%s","session":"s%d","input":%d,"cache_read":%d,"output":%d}`+"\n",
			i, at.Format(time.RFC3339Nano), models[i*7%5], i*13%20, tiers[i*3%4], i%20000, 50+i%4000, i%3*(i%30000), 1+i%2000)
	}
	return buf.Bytes()
}

// BenchmarkIngestJSONL runs the whole ingest pipeline (read, detect, parse,
// price, store) on 200,000 requests into a fresh store per iteration.
func BenchmarkIngestJSONL(b *testing.B) {
	const n = 200_000
	dir := b.TempDir()
	path := filepath.Join(dir, "requests.jsonl")
	if err := os.WriteFile(path, flatJSONL(n), 0o644); err != nil {
		b.Fatal(err)
	}
	table, err := pricing.Embedded()
	if err != nil {
		b.Fatal(err)
	}

	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		st, err := store.Open(context.Background(), filepath.Join(dir, fmt.Sprintf("s%d.db", i)), store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()

		sum, err := ingest.Run(context.Background(), st, table, []ingest.Input{{Path: path}}, ingest.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if sum.Write.Inserted != n {
			b.Fatalf("inserted %d requests, want %d", sum.Write.Inserted, n)
		}
		st.Close()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/request")
}

// BenchmarkIngestTree ingests the directory named by COSTCTL_BENCH_TREE
// (for example a Claude Code tree from testdata/benchgen) into a fresh
// store per iteration.
func BenchmarkIngestTree(b *testing.B) {
	tree := os.Getenv("COSTCTL_BENCH_TREE")
	if tree == "" {
		b.Skip("set COSTCTL_BENCH_TREE to a directory of logs")
	}
	table, err := pricing.Embedded()
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()

	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		st, err := store.Open(context.Background(), filepath.Join(dir, fmt.Sprintf("s%d.db", i)), store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()

		sum, err := ingest.Run(context.Background(), st, table, []ingest.Input{{Path: tree}}, ingest.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if sum.Write.Inserted == 0 {
			b.Fatal("stored no requests")
		}
		st.Close()
	}
}
