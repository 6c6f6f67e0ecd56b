package logs

import (
	"testing"
)

// TestSharedCases reads the cost cases that exercise parsing and checks
// the exclusive buckets derived by hand from each input.
func TestSharedCases(t *testing.T) {
	tests := []struct {
		file, format, assume string
		wantTime             string // time of the first request
		want                 []buckets
	}{
		// C01: prompt 2000 includes cached 1536, so input = 2000 − 1536 = 464.
		{"C01.json", "openai-chat", "", "2024-12-01T09:00:00Z",
			[]buckets{{in: 464, cacheRead: 1536, out: 400}}},
		// C02: Anthropic input 150 excludes the 2000 written and 8000 read.
		{"C02.json", "anthropic-messages", "2025-08-01T12:00:00Z", "2025-08-01T12:00:00Z",
			[]buckets{{in: 150, cacheRead: 8000, write5m: 2000, out: 250}}},
		// C03: three lines of one message, each with the full usage; the
		// store keeps one copy, so all three are emitted with one id.
		{"C03.jsonl", "claude-code", "", "2025-08-20T10:15:30.101Z", []buckets{
			{in: 4, cacheRead: 20000, write5m: 12000, out: 350},
			{in: 4, cacheRead: 20000, write5m: 12000, out: 350},
			{in: 4, cacheRead: 20000, write5m: 12000, out: 350},
		}},
		// C05: 40000 writes split 10000 (5m) + 30000 (1h).
		{"C05.jsonl", "claude-code", "", "2025-10-20T09:00:00Z",
			[]buckets{{in: 10, write5m: 10000, write1h: 30000, out: 800}}},
		// C06: completion 2600 already includes reasoning 2304; output stays 2600.
		{"C06.json", "openai-chat", "", "2025-05-20T10:00:00Z",
			[]buckets{{in: 1200, out: 2600, reasoning: 2304}}},
		// C09: input 20000 + cache read 190000 = 210000 prompt tokens.
		{"C09.json", "anthropic-messages", "2025-10-15T12:00:00Z", "2025-10-15T12:00:00Z",
			[]buckets{{in: 20000, cacheRead: 190000, out: 2000}}},
		// C12: no cache, no reasoning: the counts pass through.
		{"C12.json", "openai-chat", "", "2024-09-15T14:00:00Z",
			[]buckets{{in: 10000, out: 1000}}},
		// C20: lines 1 and 3 are valid; line 2 is cut off, line 4 has output −50.
		{"C20.jsonl", "claude-code", "", "2025-03-03T10:00:00Z", []buckets{
			{in: 1000, out: 200},
			{in: 500, out: 100},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			opts := Options{}
			if tt.assume != "" {
				opts.AssumeTime = mustTime(t, tt.assume)
			}
			sink, res := readFixture(t, "cases/"+tt.file, opts)

			if res.Format != tt.format {
				t.Errorf("format = %q, want %q", res.Format, tt.format)
			}
			if len(sink.requests) != len(tt.want) {
				t.Fatalf("requests = %d, want %d", len(sink.requests), len(tt.want))
			}
			for i, w := range tt.want {
				if got := bucketsOf(sink.requests[i]); got != w {
					t.Errorf("request %d buckets = %+v, want %+v", i, got, w)
				}
			}
			if got, want := sink.requests[0].Time, mustTime(t, tt.wantTime); !got.Equal(want) {
				t.Errorf("time = %v, want %v", got, want)
			}
		})
	}
}

func TestC03OneMessageID(t *testing.T) {
	sink, _ := readFixture(t, "cases/C03.jsonl", Options{})
	if got := sink.distinctIDs(); got != 1 {
		t.Errorf("distinct ids = %d, want 1", got)
	}
	for i, r := range sink.requests {
		if r.ID != "msg_c03_0001" || r.RequestID != "req_c03_0001" {
			t.Errorf("request %d id = %q/%q, want msg_c03_0001/req_c03_0001", i, r.ID, r.RequestID)
		}
		if r.Line != int64(i+1) {
			t.Errorf("request %d line = %d, want %d", i, r.Line, i+1)
		}
	}
}

func TestC20Rejections(t *testing.T) {
	sink, res := readFixture(t, "cases/C20.jsonl", Options{})

	if res.Requests != 2 || res.Rejected != 2 || res.Lines != 4 {
		t.Errorf("result = %+v, want 4 lines, 2 requests, 2 rejected", res)
	}
	if len(sink.rejections) != 2 {
		t.Fatalf("rejections = %d, want 2", len(sink.rejections))
	}
	path := fixture(t, "cases/C20.jsonl")
	want := []Rejection{
		{Source: path, Line: 2, Kind: RejectMalformed},
		{Source: path, Line: 4, Kind: RejectInvalid, Field: "message.usage.output_tokens", Reason: "negative count -50"},
	}
	for i, w := range want {
		got := sink.rejections[i]
		if got.Source != w.Source || got.Line != w.Line || got.Kind != w.Kind || got.Field != w.Field {
			t.Errorf("rejection %d = %+v, want %+v", i, got, w)
		}
	}
	if got := sink.rejections[1].Error(); got != path+":4: message.usage.output_tokens: negative count -50" {
		t.Errorf("message = %q", got)
	}
}
