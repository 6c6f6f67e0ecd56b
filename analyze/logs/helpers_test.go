package logs

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/pricing"
)

// buckets is a request's usage in a form that is short to write in tables.
type buckets struct {
	in, cacheRead, write5m, write1h, out, audioIn, audioOut, imageIn, reasoning, webSearches int64
}

func bucketsOf(r *analyze.Request) buckets {
	t := r.Tokens
	return buckets{
		in: t[pricing.Input], cacheRead: t[pricing.CacheRead], write5m: t[pricing.CacheWrite5m],
		write1h: t[pricing.CacheWrite1h], out: t[pricing.Output], audioIn: t[pricing.AudioIn],
		audioOut: t[pricing.AudioOut], imageIn: t[pricing.ImageIn],
		reasoning: r.Reasoning, webSearches: r.WebSearches,
	}
}

// fixture returns the absolute path of a file under testdata/logs.
func fixture(t *testing.T, name string) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join("..", "..", "testdata", "logs", name))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// readFixture reads one fixture file and fails the test on an error.
func readFixture(t *testing.T, name string, opts Options) (*collectSink, FileResult) {
	t.Helper()
	var sink collectSink
	results, err := ReadPath(context.Background(), fixture(t, name), opts, &sink)
	if err != nil {
		t.Fatalf("ReadPath(%s): %v", name, err)
	}
	if len(results) != 1 {
		t.Fatalf("ReadPath(%s) gave %d results, want 1", name, len(results))
	}
	return &sink, results[0]
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
