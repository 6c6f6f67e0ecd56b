package logs

import (
	"testing"

	"github.com/costctl/costctl/analyze"
)

func TestLiteLLMSpendJSON(t *testing.T) {
	sink, res := readFixture(t, "litellm-spend/spend-logs.json", Options{})
	if res.Format != "litellm-spend" || len(sink.requests) != 2 || res.Skipped != 1 {
		t.Fatalf("format %q, %d requests, %d skipped; want litellm-spend, 2, the cache hit skipped",
			res.Format, len(sink.requests), res.Skipped)
	}

	tests := []struct {
		id, provider, model, customer string
		cost                          float64
		want                          buckets
	}{
		// prompt 2000 includes 1536 cached: 2000 − 1536 = 464.
		{"chatcmpl-9xLite0001", "openai", "gpt-4o-2024-08-06", "cust-42", 0.00149,
			buckets{in: 464, cacheRead: 1536, out: 150}},
		// prompt 10200 includes 8000 read and 2000 written: 10200 − 10000 = 200.
		{"msg_01LiteAnth0002", "anthropic", "claude-sonnet-4-20250514", "cust-7", 0.0153,
			buckets{in: 200, cacheRead: 8000, write5m: 2000, out: 300}},
	}
	for i, tt := range tests {
		r := sink.requests[i]
		if r.ID != tt.id || r.Provider != tt.provider || r.Model != tt.model || r.Customer != tt.customer {
			t.Errorf("request %d = id %q provider %q model %q customer %q, want %+v", i, r.ID, r.Provider, r.Model, r.Customer, tt)
		}
		if got := bucketsOf(r); got != tt.want {
			t.Errorf("request %d: buckets = %+v, want %+v", i, got, tt.want)
		}
		if !r.HasLoggedCost || r.LoggedCostUSD != tt.cost {
			t.Errorf("request %d: logged cost %v (set %v), want %v", i, r.LoggedCostUSD, r.HasLoggedCost, tt.cost)
		}
		if r.Project != "team-search" {
			t.Errorf("request %d: project = %q, want team-search", i, r.Project)
		}
	}
}

func TestLiteLLMSpendCSV(t *testing.T) {
	sink, res := readFixture(t, "litellm-spend/spend-logs.csv", Options{})
	if res.Format != "litellm-spend" || len(sink.requests) != 2 {
		t.Fatalf("format %q with %d requests, want litellm-spend with 2", res.Format, len(sink.requests))
	}

	r := sink.requests[0]
	if got, want := bucketsOf(r), (buckets{in: 1000, out: 100}); got != want {
		t.Errorf("row 2: buckets = %+v, want %+v", got, want)
	}
	if r.Provider != "openai" || r.User != "alice" || !r.Time.Equal(mustTime(t, "2025-07-02T09:00:00Z")) {
		t.Errorf("row 2: provider %q user %q time %v", r.Provider, r.User, r.Time)
	}
	// A failure without tokens did no billed work.
	if s := sink.requests[1].Status; s != analyze.StatusRejected {
		t.Errorf("row 3: status = %q, want rejected", s)
	}
	if len(sink.rejections) != 1 || sink.rejections[0].Line != 4 || sink.rejections[0].Field != "spend" {
		t.Errorf("rejections = %+v, want line 4 spend", sink.rejections)
	}
}
