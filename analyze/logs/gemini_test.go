package logs

import (
	"testing"

	"github.com/costctl/costctl/analyze"
)

func TestGemini(t *testing.T) {
	tests := []struct {
		file string
		want []wantRequest
	}{
		{"gemini/responses.jsonl", []wantRequest{
			// Vertex AI (createTime): input = 12000 prompt − 8192 cached + 452
			// tool use = 4260; output = 420 candidates + 1024 thoughts = 1444.
			{id: "sjfBaKaHB_2MnvgPqPDN-Q8", provider: "vertex_ai", model: "gemini-2.5-pro",
				status: analyze.StatusOK, line: 1, time: "2025-09-10T08:15:30.123456Z",
				b: buckets{in: 4260, cacheRead: 8192, out: 1444, reasoning: 1024}},
			// The wrapper's provider "gemini" is the Gemini API, google.
			// MAX_TOKENS is a finish reason: the response is complete.
			{id: "QPfBaOGkA8uIz7IPxN3ywQ4", provider: "google", model: "gemini-2.0-flash",
				status: analyze.StatusOK, line: 2, time: "2025-09-10T08:16:00Z", b: buckets{in: 300, out: 64}},
			// A blocked prompt ends the response with its prompt tokens only.
			{id: "blk-0001", provider: "google", model: "gemini-2.5-flash",
				status: analyze.StatusOK, line: 3, time: "2025-09-10T09:00:00Z", b: buckets{in: 45}},
		}},
		{"gemini/stream.jsonl", []wantRequest{
			// Running totals: the last chunk has 1500 prompt, 120 candidates
			// and 400 thoughts, so output = 120 + 400 = 520.
			{id: "strm-a", provider: "google", model: "gemini-2.5-flash",
				status: analyze.StatusOK, line: 1, b: buckets{in: 1500, out: 520, reasoning: 400}},
			// No finishReason before the end of the file: a lower bound.
			{id: "strm-b", provider: "google", model: "gemini-2.5-flash",
				status: analyze.StatusIncomplete, line: 4, b: buckets{in: 200, out: 10}},
		}},
		{"gemini/stream.sse", []wantRequest{
			// 2100 prompt − 2048 cached = 52; Gemini streams end without [DONE].
			{id: "sse-1", provider: "google", model: "gemini-2.5-flash",
				status: analyze.StatusOK, line: 1, b: buckets{in: 52, cacheRead: 2048, out: 80}},
		}},
		// C07: output = 300 candidates + 1200 thoughts = 1500.
		{"cases/C07.json", []wantRequest{
			{id: "c07-resp-0001", provider: "google", model: "gemini-2.5-flash",
				status: analyze.StatusOK, line: 1, b: buckets{in: 1000, out: 1500, reasoning: 1200}},
		}},
		// C10: output = 4000 + 2000 = 6000; the 250000 prompt tokens are input.
		{"cases/C10.json", []wantRequest{
			{id: "c10-resp-0001", provider: "google", model: "gemini-2.5-pro",
				status: analyze.StatusOK, line: 1, b: buckets{in: 250000, out: 6000, reasoning: 2000}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			opts := Options{AssumeTime: mustTime(t, "2025-09-10T09:00:00Z")}
			sink, res := readFixture(t, tt.file, opts)
			if res.Format != "gemini" {
				t.Errorf("format = %q, want gemini", res.Format)
			}
			checkRequests(t, sink.requests, tt.want)
			if len(sink.rejections) != 0 {
				t.Errorf("rejections = %v, want none", sink.rejections)
			}
		})
	}
}

func TestGeminiCachedAbovePromptRejected(t *testing.T) {
	line := `{"candidates":[{"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":10,` +
		`"cachedContentTokenCount":20,"candidatesTokenCount":1},"modelVersion":"gemini-2.5-flash","responseId":"r-1"}` + "\n"
	sink, _ := readString(t, line, Options{AssumeTime: mustTime(t, "2025-09-10T09:00:00Z")})

	if len(sink.rejections) != 1 || len(sink.requests) != 0 {
		t.Fatalf("rejections = %d, requests = %d, want 1 and 0", len(sink.rejections), len(sink.requests))
	}
	if got := sink.rejections[0].Field; got != "usageMetadata.promptTokenCount" {
		t.Errorf("field = %q, want usageMetadata.promptTokenCount", got)
	}
}

func FuzzGemini(f *testing.F) {
	addSeeds(f, "gemini/*", "cases/C07.json", "cases/C10.json", "cases/C17.sse")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzFormat(t, "gemini", data) })
}
