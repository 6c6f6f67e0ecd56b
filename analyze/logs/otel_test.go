package logs

import (
	"strings"
	"testing"

	"github.com/costctl/costctl/analyze"
)

// otelWant is what one emitted span must become.
type otelWant struct {
	line     int64
	id       string
	provider string
	model    string
	time     string
	status   analyze.Status
	want     buckets
}

func checkOtelRequests(t *testing.T, got []*analyze.Request, want []otelWant) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d requests, want %d", len(got), len(want))
	}
	for i, w := range want {
		r := got[i]
		if r.Line != w.line || r.ID != w.id || r.Provider != w.provider || r.Model != w.model || r.Status != w.status {
			t.Errorf("request %d = line %d id %q provider %q model %q status %q, want %+v",
				i, r.Line, r.ID, r.Provider, r.Model, r.Status, w)
		}
		if !r.Time.Equal(mustTime(t, w.time)) {
			t.Errorf("request %d: time = %v, want %s", i, r.Time, w.time)
		}
		if b := bucketsOf(r); b != w.want {
			t.Errorf("request %d: buckets = %+v, want %+v", i, b, w.want)
		}
	}
}

func TestOtelFlatSpans(t *testing.T) {
	sink, res := readFixture(t, "otel-genai/flat-spans.jsonl", Options{})
	if res.Format != "otel-genai" || res.Skipped != 1 {
		t.Errorf("format %q, skipped %d; want otel-genai and the HTTP span skipped", res.Format, res.Skipped)
	}
	checkOtelRequests(t, sink.requests, []otelWant{
		// Unlisted scope, input 5000 ≥ cache 4000: inclusive, 5000 − 4000 = 1000.
		{2, "", "google", "gemini-2.0-flash", "2025-06-01T10:00:00.5Z", analyze.StatusOK,
			buckets{in: 1000, cacheRead: 4000, out: 300}},
		// A chat span without usage: cost unknown.
		{3, "", "openai", "gpt-4o-mini", "2025-06-01T10:00:04Z", analyze.StatusNoUsage, buckets{}},
		// The anthropic scope is inclusive, but input 100 < cache 6000
		// cannot include it: read as uncached.
		{4, "", "anthropic", "claude-3-5-haiku-20241022", "2025-06-01T10:00:05Z", analyze.StatusOK,
			buckets{in: 100, cacheRead: 6000, out: 20}},
	})
}

func TestOtelOTLPExport(t *testing.T) {
	sink, res := readFixture(t, "otel-genai/otlp-export.json", Options{})
	if res.Format != "otel-genai" {
		t.Errorf("format = %q, want otel-genai", res.Format)
	}
	// 1746090000 s is 2025-05-01T09:00:00Z. The invoke_agent span is skipped.
	checkOtelRequests(t, sink.requests, []otelWant{
		// Scope openai.v1 falls under the inclusive openai entry: 2000 − 1536 = 464.
		{1, "chatcmpl-otlp-0001", "openai", "gpt-4o-2024-08-06", "2025-05-01T09:00:00Z", analyze.StatusOK,
			buckets{in: 464, cacheRead: 1536, out: 150}},
		// bedrock reports uncached input under the deprecated prompt_tokens name.
		{1, "", "aws_bedrock", "anthropic.claude-3-5-haiku-20241022-v1:0", "2025-05-01T09:01:00Z", analyze.StatusOK,
			buckets{in: 400, cacheRead: 1000, out: 90}},
	})

	if len(sink.rejections) != 1 {
		t.Fatalf("%d rejections, want 1 for the fractional input", len(sink.rejections))
	}
	if rej := sink.rejections[0]; rej.Field != "attributes.gen_ai.usage.input_tokens" || rej.Kind != RejectInvalid {
		t.Errorf("rejection = %+v, want invalid attributes.gen_ai.usage.input_tokens", rej)
	}
	if h := sink.requests[1].RecordHash; len(h) != len("0123456789abcdef-2") {
		t.Errorf("record hash = %q, want the record hash with the part index", h)
	}
}

func TestOtelC27ScopeRule(t *testing.T) {
	sink, _ := readFixture(t, "otel-genai/C27.jsonl", Options{})
	// Span A (anthropic, inclusive): 7800 − 6000 − 1500 = 300 uncached.
	// Span B (bedrock, exclusive): 300 as logged. Same usage for both.
	want := buckets{in: 300, cacheRead: 6000, write5m: 1500, out: 200}
	if len(sink.requests) != 2 {
		t.Fatalf("%d requests, want 2", len(sink.requests))
	}
	for i, r := range sink.requests {
		if got := bucketsOf(r); got != want {
			t.Errorf("span %d: buckets = %+v, want %+v", i, got, want)
		}
	}
	if p := sink.requests[1].Provider; p != "aws_bedrock" {
		t.Errorf("provider = %q, want aws_bedrock", p)
	}
}

func TestInputIncludesCache(t *testing.T) {
	tests := []struct {
		scope        string
		input, cache int64
		want         bool
	}{
		{"opentelemetry.instrumentation.anthropic", 7800, 7500, true},
		{"opentelemetry.instrumentation.bedrock", 7800, 7500, false},
		{"opentelemetry.instrumentation.openai.v1", 2000, 1536, true},
		{"opentelemetry.instrumentation.openai_v2", 2000, 1536, true}, // unlisted: the convention
		{"opentelemetry.instrumentation.anthropic", 100, 6000, false}, // cannot include
		{"", 0, 0, true},
	}
	for _, tt := range tests {
		if got := inputIncludesCache(tt.scope, tt.input, tt.cache); got != tt.want {
			t.Errorf("inputIncludesCache(%q, %d, %d) = %v, want %v", tt.scope, tt.input, tt.cache, got, tt.want)
		}
	}
}

func TestOtelFlatSpanTimeFields(t *testing.T) {
	sink, _ := readFixture(t, "otel-genai/flat-span-times.jsonl", Options{})
	usage := buckets{in: 100, out: 10}
	checkOtelRequests(t, sink.requests, []otelWant{
		// 1746090000 s is 2025-05-01T09:00:00Z; OTLP JSON writes nanoseconds.
		{1, "", "openai", "gpt-4o-mini", "2025-05-01T09:00:00.5Z", analyze.StatusOK, usage},
		// As a JSON number, read as an integer: the last nanosecond is kept.
		{2, "", "openai", "gpt-4o-mini", "2025-05-01T09:00:01.000000001Z", analyze.StatusOK, usage},
		{3, "", "openai", "gpt-4o-mini", "2025-05-01T09:00:02Z", analyze.StatusOK, usage},
		// startTime as a JavaScript HrTime, [seconds, nanoseconds].
		{4, "", "openai", "gpt-4o-mini", "2025-05-01T09:00:03.25Z", analyze.StatusOK, usage},
		// timestamp in microseconds, as the JavaScript console exporter writes it.
		{5, "", "openai", "gpt-4o-mini", "2025-05-01T09:00:04Z", analyze.StatusOK, usage},
		{6, "", "openai", "gpt-4o-mini", "2025-05-01T09:00:05Z", analyze.StatusOK, usage},
		// start_time wins over a later timestamp.
		{7, "", "openai", "gpt-4o-mini", "2025-05-01T09:00:06Z", analyze.StatusOK, usage},
	})

	if len(sink.rejections) != 3 {
		t.Fatalf("%d rejections, want 3: end_time only, a fractional and a zero startTimeUnixNano", len(sink.rejections))
	}
	for _, i := range []int{0, 2} {
		rej := sink.rejections[i]
		if rej.Kind != RejectNoTimestamp {
			t.Errorf("line %d: kind = %q, want no_timestamp", rej.Line, rej.Kind)
		}
		if !strings.Contains(rej.Reason, "start_time, startTimeUnixNano, startTime, timestamp or time") {
			t.Errorf("line %d: reason %q does not list the time fields", rej.Line, rej.Reason)
		}
		if !strings.Contains(rej.Reason, "--assume-time") {
			t.Errorf("line %d: reason %q does not name --assume-time", rej.Line, rej.Reason)
		}
	}
	if rej := sink.rejections[1]; rej.Line != 9 || rej.Kind != RejectInvalid || rej.Field != "startTimeUnixNano" {
		t.Errorf("rejection = %+v, want line 9 invalid startTimeUnixNano", rej)
	}
}

func TestOtelAssumeTimeForSpanWithoutTime(t *testing.T) {
	at := mustTime(t, "2025-05-02T00:00:00Z")
	sink, _ := readFixture(t, "otel-genai/flat-span-times.jsonl", Options{AssumeTime: at})
	if len(sink.requests) != 9 {
		t.Fatalf("%d requests, want 9: every span but the fractional startTimeUnixNano", len(sink.requests))
	}
	for _, i := range []int{7, 8} {
		if r := sink.requests[i]; !r.Time.Equal(at) {
			t.Errorf("line %d: time = %v, want the assumed %v", r.Line, r.Time, at)
		}
	}
}
