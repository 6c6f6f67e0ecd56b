package logs

import (
	"testing"

	"github.com/costctl/costctl/analyze"
)

func TestHeliconeJSONL(t *testing.T) {
	sink, res := readFixture(t, "helicone/export.jsonl", Options{})
	if res.Format != "helicone" {
		t.Errorf("format = %q, want helicone", res.Format)
	}

	tests := []struct {
		id, provider, model, user string
		status                    analyze.Status
		cost                      float64
		want                      buckets
	}{
		// prompt 2000 includes 1536 cache reads: 2000 − 1536 = 464.
		{"chatcmpl-heli0001", "openai", "gpt-4o-2024-08-06", "user-19", analyze.StatusOK, 0.003515,
			buckets{in: 464, cacheRead: 1536, out: 150}},
		// prompt 150 < 8000 + 2000 cache tokens cannot include them.
		{"", "anthropic", "claude-sonnet-4-20250514", "user-20", analyze.StatusOK, 0.0069,
			buckets{in: 150, cacheRead: 8000, write5m: 2000, out: 250}},
		// HTTP 429 without tokens: refused before any work.
		{"", "openai", "gpt-4o", "", analyze.StatusRejected, 0, buckets{}},
	}
	if len(sink.requests) != len(tests) {
		t.Fatalf("%d requests, want %d", len(sink.requests), len(tests))
	}
	for i, tt := range tests {
		r := sink.requests[i]
		if r.ID != tt.id || r.Provider != tt.provider || r.Model != tt.model || r.User != tt.user || r.Status != tt.status {
			t.Errorf("request %d = id %q provider %q model %q user %q status %q, want %+v",
				i, r.ID, r.Provider, r.Model, r.User, r.Status, tt)
		}
		if got := bucketsOf(r); got != tt.want {
			t.Errorf("request %d: buckets = %+v, want %+v", i, got, tt.want)
		}
		if !r.HasLoggedCost || r.LoggedCostUSD != tt.cost {
			t.Errorf("request %d: logged cost %v (set %v), want %v", i, r.LoggedCostUSD, r.HasLoggedCost, tt.cost)
		}
	}
	if r := sink.requests[0]; r.LatencyMS != 2300 || r.TTFTMS != 410 || !r.Time.Equal(mustTime(t, "2025-09-12T11:00:00Z")) {
		t.Errorf("latency %d, ttft %d, time %v; want 2300, 410, 11:00:00", r.LatencyMS, r.TTFTMS, r.Time)
	}
}

func TestHeliconeCSV(t *testing.T) {
	sink, res := readFixture(t, "helicone/export.csv", Options{})
	if res.Format != "helicone" || len(sink.requests) != 1 {
		t.Fatalf("format %q with %d requests, want helicone with 1", res.Format, len(sink.requests))
	}
	r := sink.requests[0]
	if got, want := bucketsOf(r), (buckets{in: 1000, out: 100}); got != want {
		t.Errorf("buckets = %+v, want %+v", got, want)
	}
	if r.User != "u-1" || !r.Time.Equal(mustTime(t, "2025-09-13T08:00:00Z")) {
		t.Errorf("user %q time %v, want u-1 at 08:00", r.User, r.Time)
	}
	if len(sink.rejections) != 1 || sink.rejections[0].Line != 3 || sink.rejections[0].Field != "completion_tokens" {
		t.Errorf("rejections = %+v, want line 3 completion_tokens", sink.rejections)
	}
}
