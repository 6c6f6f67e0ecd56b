package logs

import (
	"testing"

	"github.com/costctl/costctl/analyze"
)

func TestBedrockConverse(t *testing.T) {
	sink, res := readFixture(t, "bedrock-converse/wrapped.jsonl", Options{})
	if res.Format != "bedrock-converse" {
		t.Errorf("format = %q, want bedrock-converse", res.Format)
	}

	checkRequests(t, sink.requests, []wantRequest{
		// 3000 cache writes: cacheDetails lists 1000 for 1h, so the other
		// 2000 are 5-minute writes. inputTokens 320 excludes the cache.
		{id: "4b0e9c1a-7f2d-4e58-9a61-0c3d2b1e8f77", provider: "aws_bedrock",
			model: "us.anthropic.claude-3-5-haiku-20241022-v1:0", status: analyze.StatusOK, line: 1,
			time: "2025-10-02T14:03:11.402Z", b: buckets{in: 320, cacheRead: 6000, write5m: 2000, write1h: 1000, out: 85}},
		// No ResponseMetadata: no id, so the record hash identifies it.
		{provider: "aws_bedrock", model: "amazon.nova-lite-v1:0", status: analyze.StatusOK, line: 2,
			time: "2025-10-02T14:04:00Z", b: buckets{in: 1000, out: 500}},
	})
	if r := sink.requests[0]; r.LatencyMS != 1240 || r.Endpoint != "/classify" {
		t.Errorf("latency/endpoint = %d/%q, want 1240//classify", r.LatencyMS, r.Endpoint)
	}
	if sink.requests[1].RecordHash == "" {
		t.Error("record hash is empty for a request without an id")
	}
}

func TestBedrockOneHourAboveWritesRejected(t *testing.T) {
	line := `{"timestamp":"2025-10-02T14:00:00Z","modelId":"anthropic.claude-3-5-haiku-20241022-v1:0",` +
		`"output":{},"usage":{"inputTokens":1,"outputTokens":1,"cacheWriteInputTokens":10,` +
		`"cacheDetails":[{"ttl":"1h","inputTokens":20}]}}` + "\n"
	sink, _ := readString(t, line, Options{})

	if len(sink.rejections) != 1 || sink.rejections[0].Field != "usage.cacheWriteInputTokens" {
		t.Errorf("rejections = %+v, want one on usage.cacheWriteInputTokens", sink.rejections)
	}
}

func FuzzBedrockConverse(f *testing.F) {
	addSeeds(f, "bedrock-converse/*")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzFormat(t, "bedrock-converse", data) })
}
