package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/pricing"
)

// benchRequests returns n distinct requests over 30 days with 5 models, 10
// endpoints, 1,000 users and 5,000 sessions.
func benchRequests(n int) []analyze.Request {
	start := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	out := make([]analyze.Request, n)
	for i := range out {
		r := &out[i]
		r.ID = fmt.Sprintf("msg_%08d", i)
		r.Time = start.Add(time.Duration(i) * 30 * 24 * time.Hour / time.Duration(n))
		r.Provider, r.Status, r.Format = "anthropic", analyze.StatusOK, "anthropic"
		r.Model = fmt.Sprintf("claude-model-%d", i%5)
		r.ModelID, r.PriceRowID = r.Model, r.Model+"@2025-01-01"
		r.Endpoint, r.Customer = fmt.Sprintf("endpoint-%d", i%10), fmt.Sprintf("customer-%d", i%50)
		r.User, r.Session = fmt.Sprintf("user-%d", i%1000), fmt.Sprintf("session-%d", i%5000)
		r.Source, r.Line = "logs/bench.jsonl", int64(i+1)
		r.Tokens[pricing.Input] = int64(100 + i%900)
		r.Tokens[pricing.CacheRead] = int64(i % 20000)
		r.Tokens[pricing.Output] = int64(50 + i%400)
	}
	return out
}

// BenchmarkWriter stores 100,000 distinct requests into a new store per
// iteration, with the default batch size.
func BenchmarkWriter(b *testing.B) {
	reqs := benchRequests(100_000)
	for b.Loop() {
		b.StopTimer()
		s := openTestStore(b, tempStorePath(b))
		b.StartTimer()

		w, err := s.NewWriter(context.Background(), "bench")
		if err != nil {
			b.Fatal(err)
		}
		for i := range reqs {
			if err := w.Add(&reqs[i]); err != nil {
				b.Fatal(err)
			}
		}
		if stats, err := w.Close(); err != nil || stats.Inserted != int64(len(reqs)) {
			b.Fatalf("close: %+v, %v", stats, err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(reqs)), "ns/request")
}
