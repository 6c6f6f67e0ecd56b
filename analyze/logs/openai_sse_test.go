package logs

import (
	"testing"

	"github.com/costctl/costctl/analyze"
)

func TestOpenAISSE(t *testing.T) {
	tests := []struct {
		file string
		want []wantRequest
	}{
		{"openai-sse/stream.sse", []wantRequest{
			// Usage chunk then [DONE]: prompt 1500 includes cached 1280, so
			// 1500 − 1280 = 220 uncached. created 1751356800 = 08:00:00.
			{id: "chatcmpl-BxA1", provider: "openai", model: "gpt-4o-mini-2024-07-18", tier: "default",
				status: analyze.StatusOK, line: 1, time: "2025-07-01T08:00:00Z",
				b: buckets{in: 220, cacheRead: 1280, out: 42}},
			// Usage but no [DONE] before the end of the file: a lower bound.
			// Completion 900 includes reasoning 768.
			{id: "chatcmpl-BxA2", provider: "openai", model: "o4-mini-2025-04-16",
				status: analyze.StatusIncomplete, line: 12, time: "2025-07-01T08:01:00Z",
				b: buckets{in: 700, out: 900, reasoning: 768}},
		}},
		{"openai-sse/chunks.jsonl", []wantRequest{
			// In JSON Lines a finish reason completes the stream.
			{id: "chatcmpl-BxB1", provider: "openai", model: "gpt-4.1-nano-2025-04-14",
				status: analyze.StatusOK, line: 1, time: "2025-07-01T08:03:20Z", b: buckets{in: 60, out: 16}},
			// One chunk and no usage chunk: unknown cost.
			{id: "chatcmpl-BxB2", provider: "openai", model: "gpt-4.1-nano-2025-04-14",
				status: analyze.StatusNoUsage, line: 4, time: "2025-07-01T08:05:00Z"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			sink, res := readFixture(t, tt.file, Options{})
			if res.Format != "openai-sse" {
				t.Errorf("format = %q, want openai-sse", res.Format)
			}
			checkRequests(t, sink.requests, tt.want)
			if len(sink.rejections) != 0 {
				t.Errorf("rejections = %v, want none", sink.rejections)
			}
		})
	}
}

func FuzzOpenAISSE(f *testing.F) {
	addSeeds(f, "openai-sse/*", "cases/C18.sse")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzFormat(t, "openai-sse", data) })
}
