package logs

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/costctl/costctl/analyze"
)

// countSink drops what it is given, so a benchmark measures parsing only.
type countSink struct{ n int }

func (s *countSink) Request(*analyze.Request) error { s.n++; return nil }
func (s *countSink) Reject(Rejection) error         { return nil }

// benchInput repeats a record n times with distinct ids.
func benchInput(record string, n int) []byte {
	var buf bytes.Buffer
	for i := range n {
		fmt.Fprintf(&buf, record, i)
		buf.WriteByte('\n')
	}
	return buf.Bytes()
}

func benchmarkFormat(b *testing.B, record string) {
	const n = 100_000
	data := benchInput(record, n)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for range b.N {
		var sink countSink
		if _, err := ReadReader(context.Background(), "-", bytes.NewReader(data), Options{}, &sink); err != nil {
			b.Fatal(err)
		}
		if sink.n != n {
			b.Fatalf("requests = %d, want %d", sink.n, n)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/request")
}

func BenchmarkClaudeCode(b *testing.B) {
	benchmarkFormat(b, `{"parentUuid":"a","isSidechain":false,"userType":"external","cwd":"/home/dev/app","sessionId":"9b1e0000-0000-4000-8000-000000000001","version":"2.1.39","gitBranch":"main","message":{"model":"claude-opus-4-6","id":"msg_%d","type":"message","role":"assistant","content":[{"type":"text","text":"Some answer text of a typical length for one content block."}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":3,"cache_creation_input_tokens":5000,"cache_read_input_tokens":12000,"cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":5000},"output_tokens":240,"service_tier":"standard","inference_geo":"global"}},"requestId":"req_1","type":"assistant","uuid":"a-2","timestamp":"2026-01-05T09:00:09.000Z"}`)
}

func BenchmarkOpenAIChat(b *testing.B) {
	benchmarkFormat(b, `{"id":"chatcmpl-%d","object":"chat.completion","created":1733043600,"model":"gpt-4o-2024-08-06","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],"usage":{"prompt_tokens":2000,"completion_tokens":400,"total_tokens":2400,"prompt_tokens_details":{"cached_tokens":1536,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0}}}`)
}

func BenchmarkCostctlJSONL(b *testing.B) {
	benchmarkFormat(b, `{"time":"2025-06-01T10:00:00Z","provider":"anthropic","model":"claude-sonnet-4-20250514","endpoint":"/summarise","customer":"c%d","input":100,"cache_read":2000,"output":50}`)
}
