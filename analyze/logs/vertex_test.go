package logs

import (
	"testing"

	"github.com/costctl/costctl/analyze"
)

func TestVertexAnthropic(t *testing.T) {
	opts := Options{AssumeTime: mustTime(t, "2025-07-01T08:00:00Z")}
	sink, res := readFixture(t, "vertex-anthropic/mixed.jsonl", opts)
	if res.Format != "vertex-anthropic" {
		t.Errorf("format = %q, want vertex-anthropic", res.Format)
	}

	checkRequests(t, sink.requests, []wantRequest{
		// A Vertex model id (name@date); 1200 writes without a split are 5m.
		{id: "msg_vrtx_01Hh7qKq3bBvQ2pQyWc8Yv1M", provider: "vertex_ai", model: "claude-3-5-haiku@20241022",
			status: analyze.StatusOK, line: 1, time: "2025-07-01T08:00:00Z", b: buckets{in: 250, write5m: 1200, out: 90}},
		// The wrapper's provider "vertex".
		{id: "msg_vrtx_01Abc", provider: "vertex_ai", model: "claude-sonnet-4",
			status: analyze.StatusOK, line: 2, time: "2025-07-01T09:00:00Z", b: buckets{in: 10, out: 20}},
		// No model id, message id or provider field points to Vertex AI.
		{id: "msg_01XYZdirect", provider: "anthropic", model: "claude-3-5-haiku-20241022",
			status: analyze.StatusOK, line: 3, time: "2025-07-01T08:00:00Z", b: buckets{in: 40, out: 8}},
	})
}

func FuzzVertexAnthropic(f *testing.F) {
	addSeeds(f, "vertex-anthropic/*")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzFormat(t, "vertex-anthropic", data) })
}
