package logs

import (
	"testing"

	"github.com/costctl/costctl/analyze"
)

func TestAnthropicBatchResults(t *testing.T) {
	opts := Options{AssumeTime: mustTime(t, "2025-08-01T00:00:00Z")}
	sink, res := readFixture(t, "anthropic-batch-results/results.jsonl", opts)
	if res.Format != "anthropic-batch-results" {
		t.Errorf("format = %q, want anthropic-batch-results", res.Format)
	}

	checkRequests(t, sink.requests, []wantRequest{
		// input 1800 excludes the 6000 cache reads; results carry no time.
		{id: "msg_014VwiXbi91y3JMjcpyGBHX5", provider: "anthropic", model: "claude-sonnet-4-20250514",
			tier: "batch", status: analyze.StatusOK, line: 1, time: "2025-08-01T00:00:00Z",
			b: buckets{in: 1800, cacheRead: 6000, out: 420}},
		// Errored, expired and canceled requests are not billed.
		{provider: "anthropic", tier: "batch", status: analyze.StatusRejected, line: 2},
		{provider: "anthropic", tier: "batch", status: analyze.StatusRejected, line: 3},
		{provider: "anthropic", tier: "batch", status: analyze.StatusRejected, line: 4},
	})
}

func TestAnthropicBatchUnknownResultType(t *testing.T) {
	sink, _ := readString(t, `{"custom_id":"x","result":{"type":"pending"}}`+"\n", Options{})

	if len(sink.rejections) != 1 || sink.rejections[0].Field != "result.type" {
		t.Errorf("rejections = %+v, want one on result.type", sink.rejections)
	}
}

func FuzzAnthropicBatchResults(f *testing.F) {
	addSeeds(f, "anthropic-batch-results/*")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzFormat(t, "anthropic-batch-results", data) })
}
