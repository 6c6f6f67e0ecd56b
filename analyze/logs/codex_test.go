package logs

import (
	"testing"
)

func TestCodexDistinctTotals(t *testing.T) {
	sink, res := readFixture(t, "codex/rollout-2025-10-02T09-15-00-0199a1b2-0000-7000-8000-00000000abcd.jsonl", Options{})
	if res.Format != "codex" || len(sink.requests) != 2 {
		t.Fatalf("format %q with %d requests, want codex with 2", res.Format, len(sink.requests))
	}
	// Lines 1-5, 7 (re-emitted total) and 8 carry no new usage.
	if res.Skipped != 7 || res.Rejected != 0 {
		t.Errorf("skipped %d, rejected %d; want 7 and 0", res.Skipped, res.Rejected)
	}

	tests := []struct {
		line  int64
		model string
		time  string
		want  buckets
	}{
		// First total: input 5000 − cached 3000 = 2000; output 400 holds 128 reasoning.
		{6, "gpt-5-codex", "2025-10-02T09:15:09.5Z", buckets{in: 2000, cacheRead: 3000, out: 400, reasoning: 128}},
		// Delta: input 11500 − 5000 = 6500, cached 8000 − 3000 = 5000, so
		// uncached 6500 − 5000 = 1500; output 1100 − 400 = 700; reasoning 600 − 128 = 472.
		{9, "gpt-5", "2025-10-02T09:16:41Z", buckets{in: 1500, cacheRead: 5000, out: 700, reasoning: 472}},
	}
	for i, tt := range tests {
		r := sink.requests[i]
		if r.Line != tt.line {
			t.Errorf("request %d: line %d, want %d", i, r.Line, tt.line)
		}
		if got := bucketsOf(r); got != tt.want {
			t.Errorf("line %d: buckets = %+v, want %+v", tt.line, got, tt.want)
		}
		if r.Model != tt.model {
			t.Errorf("line %d: model = %q, want %q", tt.line, r.Model, tt.model)
		}
		if !r.Time.Equal(mustTime(t, tt.time)) {
			t.Errorf("line %d: time = %v, want %s", tt.line, r.Time, tt.time)
		}
		if r.Session != "0199a1b2-0000-7000-8000-00000000abcd" || r.Provider != "openai" || r.ID != "" {
			t.Errorf("line %d: session %q, provider %q, id %q", tt.line, r.Session, r.Provider, r.ID)
		}
	}
}

func TestCodexInvalidAndRestart(t *testing.T) {
	sink, res := readFixture(t, "codex/rollout-invalid.jsonl", Options{})

	wantRejected := []struct {
		line  int64
		field string
	}{
		{2, "payload.info.total_token_usage.input_tokens"}, // cached 2500 > input 2000
		{3, "payload.info.total_token_usage.input_tokens"}, // negative count
	}
	if len(sink.rejections) != len(wantRejected) {
		t.Fatalf("%d rejections, want %d: %+v", len(sink.rejections), len(wantRejected), sink.rejections)
	}
	for i, w := range wantRejected {
		if rej := sink.rejections[i]; rej.Line != w.line || rej.Field != w.field || rej.Kind != RejectInvalid {
			t.Errorf("rejection %d = %+v, want line %d field %s invalid", i, rej, w.line, w.field)
		}
	}

	if res.Requests != 1 {
		t.Fatalf("%d requests, want 1", res.Requests)
	}
	// No valid total came before, so the whole total is new:
	// input 900 − cached 100 = 800.
	r := sink.requests[0]
	if got, want := bucketsOf(r), (buckets{in: 800, cacheRead: 100, out: 50, reasoning: 20}); got != want {
		t.Errorf("buckets = %+v, want %+v", got, want)
	}
	if r.Session != "rollout-invalid" {
		t.Errorf("session = %q, want the file name rollout-invalid", r.Session)
	}
}

func TestCodexCounterRestart(t *testing.T) {
	prev := codexTotals{input: 1000, cached: 400, output: 50, reasoning: 10}
	tests := []struct {
		name  string
		total codexTotals
		want  codexTotals
	}{
		// 1500 − 1000, 600 − 400, 80 − 50, 10 − 10.
		{"growth", codexTotals{1500, 600, 80, 10}, codexTotals{500, 200, 30, 0}},
		// output fell from 50 to 20: a new counter, taken whole.
		{"restart", codexTotals{2000, 900, 20, 5}, codexTotals{2000, 900, 20, 5}},
	}
	for _, tt := range tests {
		if got := tt.total.minus(prev); got != tt.want {
			t.Errorf("%s: %+v − %+v = %+v, want %+v", tt.name, tt.total, prev, got, tt.want)
		}
	}
}

func TestCodexSharedCases(t *testing.T) {
	tests := []struct {
		file    string
		session string
		want    []buckets
	}{
		// C29: the second event repeats the first total and is skipped.
		// First: 12000 − 8192 = 3808 uncached. Second: input 27500 − 12000 =
		// 15500, cached 20480 − 8192 = 12288, uncached 3212; output 1400 − 600 = 800.
		{"codex/C29.jsonl", "0199c029-0000-7000-8000-00000000c029", []buckets{
			{in: 3808, cacheRead: 8192, out: 600, reasoning: 256},
			{in: 3212, cacheRead: 12288, out: 800, reasoning: 256},
		}},
		// C30: one total per file, taken whole: 1.5e9 − 1.4e9 = 1e8 uncached.
		{"codex/C30-rollout-2025-09-20-a.jsonl", "C30-rollout-2025-09-20-a", []buckets{
			{in: 100_000_000, cacheRead: 1_400_000_000, out: 2_000_000, reasoning: 1_000_000},
		}},
		{"codex/C30-rollout-2025-09-20-b.jsonl", "C30-rollout-2025-09-20-b", []buckets{
			{in: 100_000_000, cacheRead: 1_400_000_000, out: 2_000_000, reasoning: 1_000_000},
		}},
	}
	for _, tt := range tests {
		sink, _ := readFixture(t, tt.file, Options{})
		if len(sink.requests) != len(tt.want) {
			t.Fatalf("%s: %d requests, want %d", tt.file, len(sink.requests), len(tt.want))
		}
		for i, w := range tt.want {
			r := sink.requests[i]
			if got := bucketsOf(r); got != w {
				t.Errorf("%s request %d: buckets = %+v, want %+v", tt.file, i, got, w)
			}
			if r.Session != tt.session || r.Model != "gpt-5" {
				t.Errorf("%s request %d: session %q model %q, want %q gpt-5", tt.file, i, r.Session, r.Model, tt.session)
			}
		}
	}
}
