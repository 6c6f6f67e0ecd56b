package logs

import (
	"testing"

	"github.com/costctl/costctl/analyze"
)

func TestOpenAIResponses(t *testing.T) {
	sink, res := readFixture(t, "openai-responses/responses.jsonl", Options{})
	if res.Format != "openai-responses" {
		t.Errorf("format = %q, want openai-responses", res.Format)
	}

	checkRequests(t, sink.requests, []wantRequest{
		// input 5400 includes cached 4096: 5400 − 4096 = 1304 uncached.
		// Output 1850 already includes reasoning 1280. Two web_search_call
		// items in output are two searches. created_at 1755443400 = 15:10:00.
		{id: "resp_68a1f0c2d4e8819a9b3f2c1d0e4a5b6c", provider: "openai", model: "gpt-5-2025-08-07",
			tier: "default", status: analyze.StatusOK, line: 1, time: "2025-08-17T15:10:00Z",
			b: buckets{in: 1304, cacheRead: 4096, out: 1850, reasoning: 1280, webSearches: 2}},
		// A declared web search tool that was never called costs nothing.
		// The wrapper's timestamp 15:12:03 wins over created_at 15:12:00.
		{id: "resp_68a1f1aa77d0819b", provider: "openai", model: "gpt-4.1-mini-2025-04-14",
			tier: "flex", status: analyze.StatusOK, line: 2, time: "2025-08-17T15:12:03Z",
			b: buckets{in: 900, out: 120}},
		// A response.completed stream event; null cached tokens count 0.
		// created_at 1755443600 = 15:13:20.
		{id: "resp_68a1f2bb", provider: "openai", model: "o4-mini-2025-04-16",
			status: analyze.StatusOK, line: 3, time: "2025-08-17T15:13:20Z",
			b: buckets{in: 300, out: 256, reasoning: 256}},
		// Failed without usage: the cost is unknown.
		{id: "resp_68a1f3cc", provider: "openai", model: "gpt-4.1-2025-04-14",
			status: analyze.StatusNoUsage, line: 4, time: "2025-08-17T15:15:00Z"},
	})
	if w := sink.requests[1]; w.Endpoint != "/summarise" || w.Customer != "acme" {
		t.Errorf("wrapper dimensions = %q/%q, want /summarise/acme", w.Endpoint, w.Customer)
	}
	if len(sink.rejections) != 1 {
		t.Fatalf("rejections = %d, want 1", len(sink.rejections))
	}
	// Line 5 claims 200 cached tokens out of 100 input tokens.
	if rej := sink.rejections[0]; rej.Line != 5 || rej.Field != "usage.input_tokens" || rej.Kind != RejectInvalid {
		t.Errorf("rejection = %+v, want line 5 usage.input_tokens invalid", rej)
	}
}

func TestOpenAIResponsesArray(t *testing.T) {
	sink, _ := readFixture(t, "openai-responses/array.json", Options{})

	// 2048 input − 1024 cached = 1024 uncached; created_at as RFC 3339.
	checkRequests(t, sink.requests, []wantRequest{
		{id: "resp_array_1", provider: "openai", model: "gpt-4o-2024-08-06", status: analyze.StatusOK,
			line: 2, time: "2025-09-01T10:00:00Z", b: buckets{in: 1024, cacheRead: 1024, out: 64}},
	})
}

func TestOpenAIResponsesCases(t *testing.T) {
	tests := []struct {
		file string
		want []wantRequest
	}{
		// C14: reasoning 1500 is inside output 2000; no cache. created_at
		// 1749124800 = 2025-06-05T12:00Z and 1749729600 = 2025-06-12T12:00Z.
		{"C14.jsonl", []wantRequest{
			{id: "resp_c14_0001", provider: "openai", model: "o3-2025-04-16", status: analyze.StatusOK,
				line: 1, time: "2025-06-05T12:00:00Z", b: buckets{in: 10000, out: 2000, reasoning: 1500}},
			{id: "resp_c14_0002", provider: "openai", model: "o3-2025-04-16", status: analyze.StatusOK,
				line: 2, time: "2025-06-12T12:00:00Z", b: buckets{in: 10000, out: 2000, reasoning: 1500}},
		}},
		// C22: a web search tool is declared but output has no
		// web_search_call, so no search fee. 1747735200 = 2025-05-20T10:00Z.
		{"C22.json", []wantRequest{
			{id: "resp_c22_0001", provider: "openai", model: "gpt-4.1-2025-04-14", status: analyze.StatusOK,
				line: 1, time: "2025-05-20T10:00:00Z", b: buckets{in: 50, out: 12}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			sink, _ := readFixture(t, "cases/"+tt.file, Options{})
			checkRequests(t, sink.requests, tt.want)
		})
	}
}

func FuzzOpenAIResponses(f *testing.F) {
	addSeeds(f, "openai-responses/*", "cases/C14.jsonl", "cases/C22.json")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzFormat(t, "openai-responses", data) })
}
