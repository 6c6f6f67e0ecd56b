package logs

import (
	"testing"

	"github.com/costctl/costctl/analyze"
)

func TestLangfuseObservationPage(t *testing.T) {
	sink, res := readFixture(t, "langfuse/observations-page.json", Options{})
	if res.Format != "langfuse" {
		t.Errorf("format = %q, want langfuse", res.Format)
	}

	tests := []struct {
		provider, model string
		time            string
		status          analyze.Status
		cost            float64
		hasCost         bool
		want            buckets
	}{
		// usageDetails are exclusive: input 464 already excludes the 1536 cached.
		{"openai", "gpt-4o-mini-2024-07-18", "2025-08-05T14:00:00Z", analyze.StatusOK, 0.0002928, true,
			buckets{in: 464, cacheRead: 1536, out: 180}},
		// The SPAN is skipped. Cost from costDetails.total.
		{"anthropic", "claude-sonnet-4-20250514", "2025-08-05T14:05:00Z", analyze.StatusOK, 0.01065, true,
			buckets{in: 120, cacheRead: 9000, write5m: 1000, out: 400}},
		// output 200 excludes the 640 reasoning tokens: 200 + 640 = 840.
		{"openai", "o3-mini", "2025-08-05T14:06:00Z", analyze.StatusOK, 0, false,
			buckets{in: 1000, out: 840, reasoning: 640}},
		// An ERROR generation without usage did no billed work.
		{"openai", "gpt-4o", "2025-08-05T14:07:00Z", analyze.StatusRejected, 0, false, buckets{}},
	}
	if len(sink.requests) != len(tests) {
		t.Fatalf("%d requests, want %d", len(sink.requests), len(tests))
	}
	for i, tt := range tests {
		r := sink.requests[i]
		if r.Provider != tt.provider || r.Model != tt.model || r.Status != tt.status {
			t.Errorf("request %d = provider %q model %q status %q, want %+v", i, r.Provider, r.Model, r.Status, tt)
		}
		if !r.Time.Equal(mustTime(t, tt.time)) {
			t.Errorf("request %d: time = %v, want %s", i, r.Time, tt.time)
		}
		if got := bucketsOf(r); got != tt.want {
			t.Errorf("request %d: buckets = %+v, want %+v", i, got, tt.want)
		}
		if r.HasLoggedCost != tt.hasCost || r.LoggedCostUSD != tt.cost {
			t.Errorf("request %d: logged cost %v (set %v), want %v (set %v)", i, r.LoggedCostUSD, r.HasLoggedCost, tt.cost, tt.hasCost)
		}
	}
	if sink.requests[0].RecordHash == sink.requests[1].RecordHash {
		t.Errorf("two observations of one page share the record hash %q", sink.requests[0].RecordHash)
	}
}
