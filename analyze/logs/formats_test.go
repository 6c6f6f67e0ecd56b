package logs

import (
	"testing"

	"github.com/costctl/costctl/analyze"
)

func TestAnthropicWrapped(t *testing.T) {
	sink, res := readFixture(t, "anthropic/wrapped.jsonl", Options{})
	if res.Format != "anthropic-messages" || len(sink.requests) != 2 {
		t.Fatalf("format %q with %d requests, want anthropic-messages with 2", res.Format, len(sink.requests))
	}

	// 3000 writes split 1000 (5m) + 2000 (1h); 2 web searches.
	msg := sink.requests[0]
	want := buckets{in: 120, cacheRead: 9000, write5m: 1000, write1h: 2000, out: 450, webSearches: 2}
	if got := bucketsOf(msg); got != want {
		t.Errorf("buckets = %+v, want %+v", got, want)
	}
	wantFields := map[string][2]string{
		"id":            {msg.ID, "msg_01WrapA"},
		"endpoint":      {msg.Endpoint, "/chat"},
		"customer":      {msg.Customer, "acme"}, // the top level wins over metadata
		"user":          {msg.User, "u-1"},
		"session":       {msg.Session, "s-1"},
		"tier":          {msg.Tier, "pro"},
		"workspace":     {msg.Workspace, "ws-main"},
		"project":       {msg.Project, "support"},
		"api_key":       {msg.APIKey, "key-1"},
		"service_tier":  {msg.ServiceTier, "priority"},
		"inference_geo": {msg.InferenceGeo, "us"},
		"provider":      {msg.Provider, "anthropic"},
		"status":        {string(msg.Status), "ok"},
	}
	for name, v := range wantFields {
		if v[0] != v[1] {
			t.Errorf("%s = %q, want %q", name, v[0], v[1])
		}
	}
	if want := mustTime(t, "2025-09-01T12:00:00Z"); !msg.Time.Equal(want) {
		t.Errorf("time = %v, want %v", msg.Time, want)
	}
}

func TestAnthropicErrorIsRejectedStatus(t *testing.T) {
	sink, _ := readFixture(t, "anthropic/wrapped.jsonl", Options{})
	r := sink.requests[1]

	if r.Status != analyze.StatusRejected {
		t.Errorf("status = %q, want rejected", r.Status)
	}
	if r.ID != "" || r.RequestID != "req_011CWrapB" {
		t.Errorf("id/request id = %q/%q, want empty/req_011CWrapB", r.ID, r.RequestID)
	}
	if len(r.RecordHash) != 16 {
		t.Errorf("record hash = %q, want 16 hex digits", r.RecordHash)
	}
	if r.Total() != 0 {
		t.Errorf("total tokens = %d, want 0", r.Total())
	}
}

func TestAnthropicArray(t *testing.T) {
	opts := Options{AssumeTime: mustTime(t, "2025-01-02T03:04:05+01:00")}
	sink, res := readFixture(t, "anthropic/array.json", opts)
	if res.Format != "anthropic-messages" || len(sink.requests) != 2 {
		t.Fatalf("format %q with %d requests, want anthropic-messages with 2", res.Format, len(sink.requests))
	}

	tests := []struct {
		line int64
		want buckets
		tier string
	}{
		// No cache_creation split: all 700 writes are 5-minute writes; null reads are 0.
		{2, buckets{in: 50, write5m: 700, out: 20}, ""},
		{17, buckets{in: 60, cacheRead: 700, out: 30}, "batch"},
	}
	for i, tt := range tests {
		r := sink.requests[i]
		if r.Line != tt.line {
			t.Errorf("request %d line = %d, want %d", i, r.Line, tt.line)
		}
		if got := bucketsOf(r); got != tt.want {
			t.Errorf("request %d buckets = %+v, want %+v", i, got, tt.want)
		}
		if r.ServiceTier != tt.tier {
			t.Errorf("request %d service tier = %q, want %q", i, r.ServiceTier, tt.tier)
		}
		// The assumed time, 03:04:05 at +01:00, in UTC.
		if want := mustTime(t, "2025-01-02T02:04:05Z"); !r.Time.Equal(want) || r.Time.Location().String() != "UTC" {
			t.Errorf("request %d time = %v, want %v in UTC", i, r.Time, want)
		}
	}
	if res.Lines != 33 {
		t.Errorf("lines = %d, want 33", res.Lines)
	}
}

func TestOpenAIChatWrappedAudio(t *testing.T) {
	sink, res := readFixture(t, "openai/wrapped.jsonl", Options{})
	if res.Format != "openai-chat" || len(sink.requests) != 2 {
		t.Fatalf("format %q with %d requests, want openai-chat with 2", res.Format, len(sink.requests))
	}

	tests := []struct {
		want       buckets
		time, user string
		tier       string
	}{
		// prompt 900 = 256 cached + 500 audio + 144 text;
		// completion 1300 = 1100 audio + 200 text. The wrapper's time
		// 08:29:58 wins over created 1739176200 = 2025-02-10T08:30:00Z.
		{buckets{in: 144, cacheRead: 256, audioIn: 500, out: 200, audioOut: 1100}, "2025-02-10T08:29:58Z", "4711", "default"},
		// Null details: nothing to subtract. created 1739176260 = 08:31:00.
		{buckets{in: 30, out: 5}, "2025-02-10T08:31:00Z", "", "flex"},
	}
	for i, tt := range tests {
		r := sink.requests[i]
		if got := bucketsOf(r); got != tt.want {
			t.Errorf("request %d buckets = %+v, want %+v", i, got, tt.want)
		}
		if !r.Time.Equal(mustTime(t, tt.time)) {
			t.Errorf("request %d time = %v, want %s", i, r.Time, tt.time)
		}
		if r.User != tt.user || r.ServiceTier != tt.tier || r.Provider != "openai" {
			t.Errorf("request %d user/tier/provider = %q/%q/%q, want %q/%q/openai", i, r.User, r.ServiceTier, r.Provider, tt.user, tt.tier)
		}
	}
}

func TestWrapperTimestampWinsOverCreated(t *testing.T) {
	data := []byte(`{"timestamp":"2025-03-01T00:00:00Z","response":{"id":"chatcmpl-T","object":"chat.completion","created":1739176200,"model":"gpt-4o","usage":{"prompt_tokens":1,"completion_tokens":1}}}`)
	r, err := parseOpenAIChat(data)
	if err != nil {
		t.Fatal(err)
	}
	if want := mustTime(t, "2025-03-01T00:00:00Z"); !r.Time.Equal(want) {
		t.Errorf("time = %v, want the wrapper's %v", r.Time, want)
	}
}

func TestOpenAIChatInvalidCounts(t *testing.T) {
	sink, res := readFixture(t, "openai/invalid.jsonl", Options{})

	want := []struct {
		line   int64
		field  string
		reason string
	}{
		{1, "usage.prompt_tokens", "fractional count 10.5"},
		{2, "usage.completion_tokens", `non-numeric count "5"`},
		{3, "usage.prompt_tokens", "10 is less than its cached (20) and audio (0) parts"},
		{4, "usage.prompt_tokens", "count 9223372036854775808 is out of range"},
		{6, "created", `invalid timestamp "yesterday" (want RFC 3339, a date or Unix seconds)`},
	}
	if len(sink.rejections) != len(want) {
		t.Fatalf("rejections = %v, want %d", sink.rejections, len(want))
	}
	for i, w := range want {
		got := sink.rejections[i]
		if got.Line != w.line || got.Field != w.field || got.Reason != w.reason || got.Kind != RejectInvalid {
			t.Errorf("rejection %d = %+v, want line %d field %s reason %q", i, got, w.line, w.field, w.reason)
		}
	}
	// Line 5 writes 10.0, a whole number, so it is accepted as 10.
	if res.Requests != 1 || bucketsOf(sink.requests[0]) != (buckets{in: 10, out: 5}) {
		t.Errorf("requests = %d, want line 5 with input 10 and output 5", res.Requests)
	}
}

func TestClaudeCodeMixed(t *testing.T) {
	sink, res := readFixture(t, "claude-code/mixed.jsonl", Options{})

	// 7 lines: snapshot, user, two assistant lines of one message,
	// progress, a <synthetic> assistant line and a summary.
	if res.Lines != 7 || res.Requests != 2 || res.Skipped != 5 || res.Rejected != 0 {
		t.Errorf("result = %+v, want 7 lines, 2 requests, 5 skipped", res)
	}
	want := []buckets{
		{in: 3, cacheRead: 12000, write1h: 5000, out: 8},
		{in: 3, cacheRead: 12000, write1h: 5000, out: 240, webSearches: 1},
	}
	for i, w := range want {
		r := sink.requests[i]
		if got := bucketsOf(r); got != w {
			t.Errorf("request %d buckets = %+v, want %+v", i, got, w)
		}
		if r.Session != "9b1e0000-0000-4000-8000-000000000001" || r.Model != "claude-opus-4-6" || r.InferenceGeo != "global" {
			t.Errorf("request %d session/model/geo = %q/%q/%q", i, r.Session, r.Model, r.InferenceGeo)
		}
	}
	// The store keeps the streamed copy with the most output.
	if kept := mostComplete(sink.requests); len(kept) != 1 || kept["anthropic\x00msg_01CcA"].Line != 4 {
		t.Errorf("most complete copy is not line 4: %v", kept)
	}
}

func TestCostctlJSONL(t *testing.T) {
	sink, res := readFixture(t, "costctl/requests.jsonl", Options{})
	if res.Format != "costctl-jsonl" || res.Requests != 2 || res.Rejected != 1 || res.Lines != 4 {
		t.Fatalf("result = %+v, want costctl-jsonl with 4 lines, 2 requests, 1 rejected", res)
	}

	full := sink.requests[0]
	want := buckets{in: 100, cacheRead: 2000, write5m: 300, write1h: 400, out: 50, reasoning: 10, webSearches: 1}
	if got := bucketsOf(full); got != want {
		t.Errorf("buckets = %+v, want %+v", got, want)
	}
	ints := map[string][2]int64{
		"turn": {full.Turn, 3}, "attempt": {full.Attempt, 2}, "latency_ms": {full.LatencyMS, 1200},
		"ttft_ms": {full.TTFTMS, 300}, "prefix_tokens": {full.PrefixTokens, 2000},
	}
	for name, v := range ints {
		if v[0] != v[1] {
			t.Errorf("%s = %d, want %d", name, v[0], v[1])
		}
	}
	if full.SampleRate != 0.5 || !full.HasLoggedCost || full.LoggedCostUSD != 0.0123 {
		t.Errorf("sample rate %v, logged cost %v/%v; want 0.5, 0.0123", full.SampleRate, full.LoggedCostUSD, full.HasLoggedCost)
	}
	if full.Speed != "fast" || full.RetryOf != "req-1" || full.PrefixHash != "ab12" || full.Status != analyze.StatusOK {
		t.Errorf("speed/retry_of/prefix_hash/status = %q/%q/%q/%q", full.Speed, full.RetryOf, full.PrefixHash, full.Status)
	}
	if full.ID != "" || full.RecordHash == "" {
		t.Errorf("id %q, record hash %q: want no id and a hash", full.ID, full.RecordHash)
	}

	// A date-only time is midnight UTC; a null output is 0.
	own := sink.requests[1]
	if !own.Time.Equal(mustTime(t, "2025-06-01T00:00:00Z")) || own.Status != analyze.StatusError {
		t.Errorf("time/status = %v/%q, want 2025-06-01 00:00 UTC/error", own.Time, own.Status)
	}
	if got := bucketsOf(own); got != (buckets{in: 10, audioIn: 5, audioOut: 6, imageIn: 7}) {
		t.Errorf("buckets = %+v", got)
	}
	if rej := sink.rejections[0]; rej.Line != 4 || rej.Field != "status" || rej.Kind != RejectInvalid {
		t.Errorf("rejection = %+v, want line 4 status invalid", rej)
	}
}

func TestCostctlCSV(t *testing.T) {
	sink, res := readFixture(t, "costctl/requests.csv", Options{})
	if res.Format != "costctl-csv" || res.Requests != 2 || res.Rejected != 2 || res.Lines != 5 {
		t.Fatalf("result = %+v, want costctl-csv with 5 lines, 2 requests, 2 rejected", res)
	}

	want := []struct {
		b      buckets
		status analyze.Status
		time   string
	}{
		{buckets{in: 100, cacheRead: 2000, write5m: 300, write1h: 400, out: 50, reasoning: 10}, analyze.StatusOK, "2025-06-01T10:00:00Z"},
		{buckets{in: 10}, analyze.StatusNoUsage, "2025-06-02T00:00:00Z"},
	}
	for i, w := range want {
		r := sink.requests[i]
		if got := bucketsOf(r); got != w.b {
			t.Errorf("row %d buckets = %+v, want %+v", i, got, w.b)
		}
		if r.Status != w.status || !r.Time.Equal(mustTime(t, w.time)) || r.Line != int64(i+2) {
			t.Errorf("row %d status/time/line = %q/%v/%d", i, r.Status, r.Time, r.Line)
		}
	}
	if !sink.requests[0].HasLoggedCost || sink.requests[0].LoggedCostUSD != 0.0123 {
		t.Errorf("logged cost not read")
	}

	rejs := []Rejection{
		{Line: 4, Field: "input", Kind: RejectInvalid, Reason: "negative count -3"},
		{Line: 5, Kind: RejectMalformed, Reason: "row has 3 fields, the header has 14"},
	}
	for i, w := range rejs {
		got := sink.rejections[i]
		if got.Line != w.Line || got.Field != w.Field || got.Kind != w.Kind || got.Reason != w.Reason {
			t.Errorf("rejection %d = %+v, want %+v", i, got, w)
		}
	}
}
