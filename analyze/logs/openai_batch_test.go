package logs

import (
	"testing"

	"github.com/costctl/costctl/analyze"
)

func TestOpenAIBatchOutput(t *testing.T) {
	opts := Options{AssumeTime: mustTime(t, "2025-08-29T09:00:00Z")}
	sink, res := readFixture(t, "openai-batch-output/output.jsonl", opts)
	if res.Format != "openai-batch-output" {
		t.Errorf("format = %q, want openai-batch-output", res.Format)
	}

	checkRequests(t, sink.requests, []wantRequest{
		// A chat completion body: prompt 2400 − cached 1024 = 1376. The
		// batch tier replaces the body's "default". 1756454400 = 08:00:00.
		{id: "chatcmpl-C1a2b3", provider: "openai", model: "gpt-4o-mini-2024-07-18", tier: "batch",
			status: analyze.StatusOK, line: 1, time: "2025-08-29T08:00:00Z",
			b: buckets{in: 1376, cacheRead: 1024, out: 310}},
		// A Responses body: output 600 includes reasoning 448.
		{id: "resp_68b0a2ff", provider: "openai", model: "o4-mini-2025-04-16", tier: "batch",
			status: analyze.StatusOK, line: 2, time: "2025-08-29T08:01:00Z",
			b: buckets{in: 800, out: 600, reasoning: 448}},
		// An embeddings body has no id and no time.
		{provider: "openai", model: "text-embedding-3-small", tier: "batch",
			status: analyze.StatusOK, line: 3, time: "2025-08-29T09:00:00Z", b: buckets{in: 96}},
		// A 400 response and an expired request were not billed.
		{provider: "openai", tier: "batch", status: analyze.StatusRejected, line: 4},
		{provider: "openai", tier: "batch", status: analyze.StatusRejected, line: 5},
	})
	if got := sink.requests[0].RequestID; got != "req_9f1c2b7e4a" {
		t.Errorf("request id = %q, want req_9f1c2b7e4a", got)
	}
}

func TestOpenAIBatchBodyErrorNamesField(t *testing.T) {
	line := `{"id":"batch_req_1","custom_id":"c-1","response":{"status_code":200,"request_id":"req_1",` +
		`"body":{"id":"chatcmpl-1","object":"chat.completion","created":1756454400,"model":"gpt-4o",` +
		`"usage":{"prompt_tokens":-4,"completion_tokens":1}}},"error":null}` + "\n"
	sink, _ := readString(t, line, Options{})

	if len(sink.rejections) != 1 {
		t.Fatalf("rejections = %d, want 1", len(sink.rejections))
	}
	if got := sink.rejections[0].Field; got != "response.body.usage.prompt_tokens" {
		t.Errorf("field = %q, want response.body.usage.prompt_tokens", got)
	}
}

func FuzzOpenAIBatchOutput(f *testing.F) {
	addSeeds(f, "openai-batch-output/*")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzFormat(t, "openai-batch-output", data) })
}
