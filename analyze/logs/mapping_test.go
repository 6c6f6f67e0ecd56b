package logs

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestLookupPath(t *testing.T) {
	doc := `{"metadata": {"customer": "acme", "tier": 3, "beta": true},
		"attributes": {"app.customer.id": "c-1"},
		"tags": ["prod", "eu"],
		"a.b": {"x": 1}, "a": {"b": {"c": 2}},
		"none": null}`
	var v any
	if err := json.Unmarshal([]byte(doc), &v); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path   string
		want   string
		wantOK bool
	}{
		{"metadata.customer", "acme", true},
		{"metadata.tier", "3", true},
		{"metadata.beta", "true", true},
		{"attributes.app.customer.id", "c-1", true}, // a key with dots
		{"tags.1", "eu", true},
		{"a.b.c", "2", true}, // "a.b" has no c, so "a" then "b.c"
		{"a.b", `{"x":1}`, true},
		{"metadata.missing", "", false},
		{"tags.2", "", false},
		{"none", "", false},
	}
	for _, tt := range tests {
		got, ok := lookupPath(v, tt.path)
		if ok != tt.wantOK {
			t.Errorf("lookupPath(%q) found = %v, want %v", tt.path, ok, tt.wantOK)
			continue
		}
		if ok && mappedString(got) != tt.want {
			t.Errorf("lookupPath(%q) = %q, want %q", tt.path, mappedString(got), tt.want)
		}
	}
}

func TestMapSpanAttributes(t *testing.T) {
	opts := Options{Map: map[string]string{
		"customer": "attributes.customer",
		"session":  "attributes.session.id",
	}}
	sink, res := readFixture(t, "otel-genai/otlp-export.json", opts)

	if got := sink.requests[0].Customer; got != "acme" {
		t.Errorf("customer = %q, want acme", got)
	}
	if got := sink.requests[1].Customer; got != "" {
		t.Errorf("span without the attribute: customer = %q, want empty", got)
	}
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "session=attributes.session.id") {
		t.Errorf("warnings = %q, want one naming session=attributes.session.id", res.Warnings)
	}
}

func TestMapCSVColumnAndTurn(t *testing.T) {
	opts := Options{Map: map[string]string{"tier": "call_type", "turn": "total_tokens"}}
	sink, res := readFixture(t, "litellm-spend/spend-logs.csv", opts)

	if len(sink.requests) != 2 {
		t.Fatalf("%d requests, want 2", len(sink.requests))
	}
	if r := sink.requests[0]; r.Tier != "acompletion" || r.Turn != 1100 {
		t.Errorf("tier %q turn %d, want acompletion and 1100 from total_tokens", r.Tier, r.Turn)
	}
	if len(res.Warnings) != 0 {
		t.Errorf("warnings = %q, want none", res.Warnings)
	}
}

func TestMapInvalidTurnRejects(t *testing.T) {
	opts := Options{Map: map[string]string{"turn": "metadata.customer"}}
	sink, _ := readFixture(t, "vercel-ai-sdk/logged.jsonl", opts)

	// Line 1 maps turn to "acme"; line 4 is invalid anyway.
	if len(sink.rejections) != 2 || sink.rejections[0].Line != 1 || sink.rejections[0].Field != "metadata.customer" {
		t.Errorf("rejections = %+v, want line 1 naming metadata.customer first", sink.rejections)
	}
}

func TestCheckMap(t *testing.T) {
	tests := []struct {
		m       map[string]string
		wantErr string
	}{
		{map[string]string{"customer": "metadata.customer"}, ""},
		{map[string]string{"model": "x"}, `"model" is not a mappable dimension`},
		{map[string]string{"user": " . "}, "empty path"},
	}
	for _, tt := range tests {
		err := CheckMap(tt.m)
		if tt.wantErr == "" && err != nil {
			t.Errorf("CheckMap(%v) = %v, want nil", tt.m, err)
		}
		if tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
			t.Errorf("CheckMap(%v) = %v, want an error containing %q", tt.m, err, tt.wantErr)
		}
	}
}
