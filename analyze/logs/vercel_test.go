package logs

import "testing"

func TestVercelC26CacheInclusive(t *testing.T) {
	sink, res := readFixture(t, "vercel-ai-sdk/C26.json", Options{AssumeTime: mustTime(t, "2026-01-10T12:00:00Z")})
	if res.Format != "vercel-ai-sdk" || len(sink.requests) != 1 {
		t.Fatalf("format %q with %d requests, want vercel-ai-sdk with 1", res.Format, len(sink.requests))
	}
	// v6: inputTokens 18420 includes 15000 read and 3000 written: 18420 − 18000 = 420.
	r := sink.requests[0]
	if got, want := bucketsOf(r), (buckets{in: 420, cacheRead: 15000, write5m: 3000, out: 700}); got != want {
		t.Errorf("buckets = %+v, want %+v", got, want)
	}
	if r.Provider != "anthropic" || r.Model != "claude-sonnet-4-5-20250929" {
		t.Errorf("provider/model = %q/%q, want anthropic/claude-sonnet-4-5-20250929", r.Provider, r.Model)
	}
}

func TestVercelLoggedShapes(t *testing.T) {
	sink, _ := readFixture(t, "vercel-ai-sdk/logged.jsonl", Options{})
	tests := []struct {
		line         int64
		id, provider string
		model, time  string
		want         buckets
	}{
		// v5 Anthropic: inputTokens 50 excludes cache; writes from providerMetadata.
		{1, "msg_01V5a", "anthropic", "claude-sonnet-4-20250514", "2025-09-01T10:00:00Z",
			buckets{in: 50, cacheRead: 4000, write5m: 1200, out: 300}},
		// v5 OpenAI: 3000 − 2048 cached = 952; output 900 holds 640 reasoning.
		{2, "resp_v5b", "openai", "gpt-5-mini", "2025-09-01T10:01:00Z",
			buckets{in: 952, cacheRead: 2048, out: 900, reasoning: 640}},
		// v6 without a wrapper time: response.timestamp; 1000 − 800 = 200.
		{3, "chatcmpl-v6c", "openai", "gpt-4o", "2025-09-01T10:02:00Z",
			buckets{in: 200, cacheRead: 800, out: 50}},
		// Line 4 is rejected. No cache fields: counts pass through.
		{5, "", "vertex_ai", "gemini-2.5-flash", "2025-09-01T10:04:00Z",
			buckets{in: 100, out: 10}},
	}
	if len(sink.requests) != len(tests) {
		t.Fatalf("%d requests, want %d", len(sink.requests), len(tests))
	}
	for i, tt := range tests {
		r := sink.requests[i]
		if r.Line != tt.line || r.ID != tt.id || r.Provider != tt.provider || r.Model != tt.model {
			t.Errorf("request %d = line %d id %q provider %q model %q, want %+v", i, r.Line, r.ID, r.Provider, r.Model, tt)
		}
		if !r.Time.Equal(mustTime(t, tt.time)) {
			t.Errorf("line %d: time = %v, want %s", tt.line, r.Time, tt.time)
		}
		if got := bucketsOf(r); got != tt.want {
			t.Errorf("line %d: buckets = %+v, want %+v", tt.line, got, tt.want)
		}
	}
	if r := sink.requests[0]; r.Endpoint != "/summarize" || r.Customer != "acme" {
		t.Errorf("endpoint/customer = %q/%q, want /summarize/acme", r.Endpoint, r.Customer)
	}

	// v6 inputTokens 100 cannot include 500 cache reads.
	if len(sink.rejections) != 1 || sink.rejections[0].Line != 4 || sink.rejections[0].Field != "usage.inputTokens" {
		t.Errorf("rejections = %+v, want line 4 usage.inputTokens", sink.rejections)
	}
}
