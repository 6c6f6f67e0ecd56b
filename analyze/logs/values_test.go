package logs

import (
	"encoding/json"
	"testing"
	"time"
)

func TestParseCount(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		bad  string
	}{
		{"0", 0, ""},
		{"9223372036854775807", 9223372036854775807, ""}, // max int64
		{"1000.0", 1000, ""},
		{"1e3", 1000, ""},
		{"-5", 0, "negative count -5"},
		{"-0.0", 0, ""},
		{"2.5", 0, "fractional count 2.5"},
		{"9223372036854775808", 0, "count 9223372036854775808 is out of range"},
		{"1e30", 0, "count 1e30 is out of range"},
		{"abc", 0, `non-numeric count "abc"`},
	}
	for _, tt := range tests {
		n, bad := parseCount(tt.in)
		if n != tt.want || bad != tt.bad {
			t.Errorf("parseCount(%q) = %d, %q; want %d, %q", tt.in, n, bad, tt.want, tt.bad)
		}
	}
}

func TestTokenCountJSON(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		bad  string
	}{
		{`{"n":null}`, 0, ""},
		{`{}`, 0, ""},
		{`{"n":42}`, 42, ""},
		{`{"n":"42"}`, 0, `non-numeric count "42"`},
		{`{"n":true}`, 0, `non-numeric count "true"`},
	}
	for _, tt := range tests {
		var v struct {
			N tokenCount `json:"n"`
		}
		if err := json.Unmarshal([]byte(tt.in), &v); err != nil {
			t.Fatalf("%s: %v", tt.in, err)
		}
		if v.N.n != tt.want || v.N.bad != tt.bad {
			t.Errorf("%s = %d, %q; want %d, %q", tt.in, v.N.n, v.N.bad, tt.want, tt.bad)
		}
	}
}

func TestParseTime(t *testing.T) {
	tests := []struct {
		in   string
		want string // RFC 3339 in UTC; empty when invalid
	}{
		{"2025-08-20T10:15:30.101Z", "2025-08-20T10:15:30.101Z"},
		{"2025-08-20T12:15:30+02:00", "2025-08-20T10:15:30Z"},
		{"2025-08-20 10:15:30Z", "2025-08-20T10:15:30Z"},
		{"2025-08-20T10:15:30", "2025-08-20T10:15:30Z"}, // no offset: UTC
		{"2025-08-20", "2025-08-20T00:00:00Z"},
		{"1733043600", "2024-12-01T09:00:00Z"},         // seconds
		{"1733043600000", "2024-12-01T09:00:00Z"},      // milliseconds
		{"1733043600500000", "2024-12-01T09:00:00.5Z"}, // microseconds
		{"yesterday", ""},
		{"2025-13-01", ""},
	}
	for _, tt := range tests {
		got, bad := parseTimeString(tt.in)
		if tt.want == "" {
			if bad == "" {
				t.Errorf("parseTimeString(%q) = %v, want an error", tt.in, got)
			}
			continue
		}
		want, _ := time.Parse(time.RFC3339Nano, tt.want)
		if !got.Equal(want) || bad != "" {
			t.Errorf("parseTimeString(%q) = %v, %q; want %v", tt.in, got, bad, want)
		}
	}
}

func TestFlexString(t *testing.T) {
	tests := []struct{ in, want string }{
		{`"plain"`, "plain"},
		{`"tab\tand \u00e9"`, "tab\tand é"},
		{`4711`, "4711"},
		{`true`, "true"},
		{`null`, ""},
	}
	for _, tt := range tests {
		var s flexString
		if err := json.Unmarshal([]byte(tt.in), &s); err != nil {
			t.Fatalf("%s: %v", tt.in, err)
		}
		if string(s) != tt.want {
			t.Errorf("%s = %q, want %q", tt.in, s, tt.want)
		}
	}
}

func TestCanonicalProvider(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Anthropic", "anthropic"},
		{"bedrock", "aws_bedrock"},
		{"vertex", "vertex_ai"},
		{"gemini", "google"},
		{"mistral", "mistral"},
	}
	for _, tt := range tests {
		if got := canonicalProvider(tt.in); got != tt.want {
			t.Errorf("canonicalProvider(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
