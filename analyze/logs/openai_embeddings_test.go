package logs

import (
	"testing"

	"github.com/costctl/costctl/analyze"
)

func TestOpenAIEmbeddings(t *testing.T) {
	sink, res := readFixture(t, "openai-embeddings/wrapped.jsonl", Options{})
	if res.Format != "openai-embeddings" {
		t.Errorf("format = %q, want openai-embeddings", res.Format)
	}

	// prompt_tokens is all input; there is no output. Lines 2 and 3 are
	// identical and stay two requests, distinguished by their line.
	checkRequests(t, sink.requests, []wantRequest{
		{provider: "openai", model: "text-embedding-3-large", status: analyze.StatusOK, line: 1,
			time: "2025-04-01T12:00:00Z", b: buckets{in: 5120}},
		{provider: "openai", model: "text-embedding-3-small", status: analyze.StatusOK, line: 2,
			time: "2025-04-01T12:00:05Z", b: buckets{in: 17}},
		{provider: "openai", model: "text-embedding-3-small", status: analyze.StatusOK, line: 3,
			time: "2025-04-01T12:00:05Z", b: buckets{in: 17}},
	})
	a, b := sink.requests[1], sink.requests[2]
	if a.RecordHash == "" || a.RecordHash != b.RecordHash {
		t.Errorf("record hashes = %q and %q, want equal and set", a.RecordHash, b.RecordHash)
	}
	if a.DedupKey() == b.DedupKey() {
		t.Errorf("dedup keys are equal (%q), want two requests", a.DedupKey())
	}
}

func TestOpenAIEmbeddingsCase(t *testing.T) {
	opts := Options{AssumeTime: mustTime(t, "2025-04-01T12:00:00Z")}
	sink, _ := readFixture(t, "cases/C24.json", opts)

	// C24: 8000 prompt tokens, all input.
	checkRequests(t, sink.requests, []wantRequest{
		{provider: "openai", model: "text-embedding-3-small", status: analyze.StatusOK, line: 1,
			time: "2025-04-01T12:00:00Z", b: buckets{in: 8000}},
	})
}

func FuzzOpenAIEmbeddings(f *testing.F) {
	addSeeds(f, "openai-embeddings/*", "cases/C24.json")
	f.Fuzz(func(t *testing.T, data []byte) { fuzzFormat(t, "openai-embeddings", data) })
}
