package logs

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/costctl/costctl/analyze"
)

// wantRequest is the expected identity, status and usage of one request;
// an empty time is not checked.
type wantRequest struct {
	id, provider, model, tier string
	status                    analyze.Status
	line                      int64
	time                      string
	b                         buckets
}

// checkRequests compares the requests read from a fixture with wants, in
// order, one assertion per field.
func checkRequests(t *testing.T, got []*analyze.Request, wants []wantRequest) {
	t.Helper()
	if len(got) != len(wants) {
		t.Fatalf("requests = %d, want %d", len(got), len(wants))
	}
	for i, w := range wants {
		r := got[i]
		fields := []struct{ name, got, want string }{
			{"id", r.ID, w.id},
			{"provider", r.Provider, w.provider},
			{"model", r.Model, w.model},
			{"service tier", r.ServiceTier, w.tier},
			{"status", string(r.Status), string(w.status)},
		}
		for _, f := range fields {
			if f.got != f.want {
				t.Errorf("request %d %s = %q, want %q", i, f.name, f.got, f.want)
			}
		}
		if r.Line != w.line {
			t.Errorf("request %d line = %d, want %d", i, r.Line, w.line)
		}
		if got := bucketsOf(r); got != w.b {
			t.Errorf("request %d buckets = %+v, want %+v", i, got, w.b)
		}
		if w.time != "" && !r.Time.Equal(mustTime(t, w.time)) {
			t.Errorf("request %d time = %v, want %s", i, r.Time, w.time)
		}
	}
}

func TestSSEStreamWithoutUsageIsNoUsage(t *testing.T) {
	sink, res := readFixture(t, "cases/C18.sse", Options{})

	if res.Format != "openai-sse" {
		t.Errorf("format = %q, want openai-sse", res.Format)
	}
	// Three chunks of one stream, none with usage: one request of unknown cost.
	checkRequests(t, sink.requests, []wantRequest{
		{id: "chatcmpl-c18-0001", provider: "openai", model: "gpt-4o-mini-2024-07-18",
			status: analyze.StatusNoUsage, line: 1, time: "2025-07-01T08:00:00Z"},
	})
}

func TestSSEGeminiCutOffIsIncomplete(t *testing.T) {
	opts := Options{AssumeTime: mustTime(t, "2025-04-01T12:00:00Z")}
	sink, res := readFixture(t, "cases/C17.sse", opts)

	if res.Format != "gemini" {
		t.Errorf("format = %q, want gemini", res.Format)
	}
	// Running totals: the last chunk's 800 prompt and 95 candidates win;
	// no finishReason, so the stream was cut off.
	checkRequests(t, sink.requests, []wantRequest{
		{id: "c17-resp-0001", provider: "google", model: "gemini-2.0-flash",
			status: analyze.StatusIncomplete, line: 1, b: buckets{in: 800, out: 95}},
	})
}

func TestSSERejectsForeignLine(t *testing.T) {
	data := "data: {\"id\":\"chatcmpl-x\",\"object\":\"chat.completion.chunk\",\"created\":1751356800,\"model\":\"gpt-4o\",\"choices\":[]}\n" +
		"hello\n" +
		"data: [DONE]\n"
	sink, res := readString(t, data, Options{})

	if res.Rejected != 1 || len(sink.rejections) != 1 {
		t.Fatalf("rejected = %d, want 1", res.Rejected)
	}
	if got := sink.rejections[0]; got.Line != 2 || got.Kind != RejectMalformed {
		t.Errorf("rejection = %+v, want line 2, malformed", got)
	}
	if len(sink.requests) != 1 {
		t.Errorf("requests = %d, want 1", len(sink.requests))
	}
}

// readString reads data as one stream named "-".
func readString(t *testing.T, data string, opts Options) (*collectSink, FileResult) {
	t.Helper()
	var sink collectSink
	res, err := ReadReader(context.Background(), "-", strings.NewReader(data), opts, &sink)
	if err != nil {
		t.Fatalf("ReadReader: %v", err)
	}
	return &sink, res
}

func TestSSELineNumbersAfterBOM(t *testing.T) {
	chunk := func(id string) string {
		return `data: {"id":"` + id + `","object":"chat.completion.chunk","created":1751356800,"model":"gpt-4o",` +
			`"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":1}}` + "\n\n"
	}
	data := "\xEF\xBB\xBF" + chunk("chatcmpl-a") + "data: [DONE]\n\n" + chunk("chatcmpl-b") + "data: [DONE]\n"
	sink, _ := readString(t, data, Options{})

	// Each chunk is followed by a blank line, so the second stream starts
	// on line 1 + 2 (chunk, blank) + 2 ([DONE], blank) = 5.
	checkRequests(t, sink.requests, []wantRequest{
		{id: "chatcmpl-a", provider: "openai", model: "gpt-4o", status: analyze.StatusOK, line: 1, b: buckets{in: 3, out: 1}},
		{id: "chatcmpl-b", provider: "openai", model: "gpt-4o", status: analyze.StatusOK, line: 5, b: buckets{in: 3, out: 1}},
	})
}

// geminiStreamChunks is one streamed Gemini response in three SSE events
// with running totals; the last carries the finish reason.
const geminiStreamChunks = `data: {"candidates":[{"content":{"role":"model","parts":[{"text":"Once"}]},"index":0}],"usageMetadata":{"promptTokenCount":2100,"candidatesTokenCount":1,"totalTokenCount":2101},"modelVersion":"gemini-2.5-flash","responseId":"r-%[1]d"}

data: {"candidates":[{"content":{"role":"model","parts":[{"text":" upon"}]},"index":0}],"usageMetadata":{"promptTokenCount":2100,"candidatesTokenCount":40,"totalTokenCount":2140},"modelVersion":"gemini-2.5-flash","responseId":"r-%[1]d"}

data: {"candidates":[{"content":{"role":"model","parts":[{"text":" a time"}]},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":2100,"candidatesTokenCount":80,"totalTokenCount":2180},"modelVersion":"gemini-2.5-flash","responseId":"r-%[1]d"}
`

func BenchmarkGeminiStreamSSE(b *testing.B) {
	benchmarkStreams(b, geminiStreamChunks)
}

// BenchmarkGeminiStreamsCutOff reads streams that never finish, which stay
// open until the end of the file.
func BenchmarkGeminiStreamsCutOff(b *testing.B) {
	benchmarkStreams(b, strings.ReplaceAll(geminiStreamChunks, `"finishReason":"STOP",`, ""))
}

// benchmarkStreams reads 100,000 streams made from one template. Gemini
// responses carry no time, so the assumed time dates them.
func benchmarkStreams(b *testing.B, stream string) {
	const n = 100_000
	data := benchInput(stream, n)
	opts := Options{AssumeTime: time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC)}
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for range b.N {
		var sink countSink
		if _, err := ReadReader(context.Background(), "-", bytes.NewReader(data), opts, &sink); err != nil {
			b.Fatal(err)
		}
		if sink.n != n {
			b.Fatalf("requests = %d, want %d", sink.n, n)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/request")
}
