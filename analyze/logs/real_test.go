package logs

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/pricing"
)

// realClaudeCodeDir locates the shared real Claude Code transcripts beside
// the repository, or skips the test when they are absent.
func realClaudeCodeDir(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "..", "..", "shared", "real", "claude-code"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("real Claude Code transcripts not found at %s", dir)
	}
	return dir
}

func TestReadPathRealClaudeCode(t *testing.T) {
	dir := realClaudeCodeDir(t)
	var sink collectSink
	results, err := ReadPath(context.Background(), dir, Options{}, &sink)
	if err != nil {
		t.Fatalf("ReadPath: %v", err)
	}

	// Three sessions and six subagent transcripts.
	if len(results) != 9 {
		t.Errorf("files read = %d, want 9", len(results))
	}
	for _, res := range results {
		if res.Format != "claude-code" {
			t.Errorf("%s: format %q, want claude-code", res.Source, res.Format)
		}
	}
	if len(sink.rejections) != 0 {
		t.Errorf("rejections = %d, want 0; first: %v", len(sink.rejections), sink.rejections[0])
	}
	if got := sink.distinctIDs(); got != 465 {
		t.Errorf("distinct message ids = %d, want 465", got)
	}

	// The independently computed totals after keeping the most complete
	// copy per message: input 3,009, output 108,166, cache read 43,567,228,
	// cache writes 1,230,431 of which 670,956 are 1-hour writes.
	kept := mostComplete(sink.requests)
	var total pricing.Usage
	for _, r := range kept {
		total.Add(r.Usage)
	}
	want := map[pricing.Class]int64{
		pricing.Input: 3009, pricing.Output: 108166, pricing.CacheRead: 43567228,
		pricing.CacheWrite5m: 1230431 - 670956, pricing.CacheWrite1h: 670956,
	}
	for c, n := range want {
		if total.Tokens[c] != n {
			t.Errorf("%s = %d, want %d", c, total.Tokens[c], n)
		}
	}
}

// mostComplete keeps one request per dedup key by analyze.MoreComplete.
func mostComplete(reqs []*analyze.Request) map[string]*analyze.Request {
	kept := map[string]*analyze.Request{}
	for _, r := range reqs {
		k := r.DedupKey()
		if old, ok := kept[k]; !ok || analyze.MoreComplete(r, old) {
			kept[k] = r
		}
	}
	return kept
}
