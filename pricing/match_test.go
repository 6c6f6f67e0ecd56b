package pricing

import (
	"testing"
	"time"
)

func at(s string) time.Time {
	ts, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return ts
}

func TestResolveNames(t *testing.T) {
	table := embedded(t)
	when := at("2026-06-01T00:00:00Z")
	tests := []struct {
		provider, name string
		want           string // canonical id, "" for no match
	}{
		{"anthropic", "claude-sonnet-4-5-20250929", "claude-sonnet-4-5"},
		{"anthropic", "claude-sonnet-4-5", "claude-sonnet-4-5"},
		{"", "CLAUDE-Sonnet-4-5-20250929", "claude-sonnet-4-5"},
		{"", " claude-haiku-4-5-20251001 ", "claude-haiku-4-5"},
		{"", "anthropic/claude-sonnet-4-5-20250929", "claude-sonnet-4-5"},
		{"", "claude-3-5-sonnet-latest", "claude-3-5-sonnet"},
		{"", "claude-3-5-sonnet-20240620", "claude-3-5-sonnet"},
		{"", "claude-sonnet-4-0", "claude-sonnet-4"},
		{"", "claude-opus-4-6", "claude-opus-4-6"},
		{"aws_bedrock", "anthropic.claude-3-5-haiku-20241022-v1:0", "claude-3-5-haiku"},
		{"aws_bedrock", "us.anthropic.claude-3-5-haiku-20241022-v1:0", "claude-3-5-haiku"},
		{"aws_bedrock", "eu.anthropic.claude-sonnet-4-5-20250929-v1:0", "claude-sonnet-4-5"},
		{"aws_bedrock", "apac.anthropic.claude-sonnet-4-20250514-v1:0", "claude-sonnet-4"},
		{"aws_bedrock", "global.anthropic.claude-opus-4-6-v1", "claude-opus-4-6"},
		{"aws_bedrock", "anthropic.claude-3-5-sonnet-20241022-v2:0", "claude-3-5-sonnet"},
		{"", "bedrock/us.anthropic.claude-3-5-haiku-20241022-v1:0", "claude-3-5-haiku"},
		{"vertex_ai", "claude-3-5-haiku@20241022", "claude-3-5-haiku"},
		{"vertex_ai", "claude-3-5-sonnet-v2@20241022", "claude-3-5-sonnet"},
		{"", "vertex_ai/claude-sonnet-4-5@20250929", "claude-sonnet-4-5"},
		{"openai", "gpt-4o", "gpt-4o"},
		{"", "openai/gpt-4o", "gpt-4o"},
		{"openai", "gpt-4o-2024-05-13", "gpt-4o-2024-05-13"},
		{"openai", "gpt-4o-2024-08-06", "gpt-4o-2024-08-06"},
		{"openai", "gpt-4o-mini", "gpt-4o-mini"},
		{"openai", "gpt-4o-mini-2024-07-18", "gpt-4o-mini"},
		{"openai", "o3-2025-04-16", "o3"},
		{"openai", "o4-mini-2025-04-16", "o4-mini"},
		{"", "gemini/gemini-2.5-flash", "gemini-2.5-flash"},
		{"google", "models/gemini-2.5-pro", "gemini-2.5-pro"},
		{"vertex_ai", "gemini-2.5-pro", "gemini-2.5-pro"},
		{"google", "gemini-1.5-flash-002", "gemini-1.5-flash"},
		// Non-matches: no prefix, suffix or family matching.
		{"openai", "gpt-4o-2024-05-14", ""},
		{"openai", "gpt-4o-mini-2024-07-19", ""},
		{"openai", "gpt-4", ""},
		{"openai", "gpt-4o-audio-preview", ""},
		{"", "claude-sonnet-4-5-20250929-extra", ""},
		{"", "claude-sonnet", ""},
		{"", "gemini-2.5", ""},
		// Wrong provider.
		{"anthropic", "gpt-4o", ""},
		{"openai", "claude-opus-4-6", ""},
		{"aws_bedrock", "gemini-2.5-pro", ""},
	}
	for _, tc := range tests {
		m, ok := table.Resolve(tc.provider, tc.name, when)
		got := ""
		if ok {
			got = m.Model.ID
		}
		if got != tc.want {
			t.Errorf("Resolve(%q, %q) = %q, want %q", tc.provider, tc.name, got, tc.want)
		}
	}
}

func TestResolveDatedRows(t *testing.T) {
	table := embedded(t)
	tests := []struct {
		name, at string
		wantRow  string // "" for unpriced
	}{
		{"o3", "2025-04-15T23:59:59Z", ""},
		{"o3", "2025-04-16T00:00:00Z", "o3@2025-04-16"},
		{"o3", "2025-06-09T23:59:59.999Z", "o3@2025-04-16"},
		{"o3", "2025-06-10T00:00:00Z", "o3@2025-06-10"},
		{"gpt-4o", "2024-10-01T23:59:59Z", "gpt-4o@2024-05-13"},
		{"gpt-4o", "2024-10-02T00:00:00Z", "gpt-4o@2024-10-02"},
		{"claude-opus-4-6", "2026-02-04T23:59:59Z", ""},
		{"claude-opus-4-6", "2026-02-05T00:00:00Z", "claude-opus-4-6@2026-02-05"},
		{"claude-opus-4-6", "2026-03-12T23:59:59Z", "claude-opus-4-6@2026-02-05"},
		{"claude-opus-4-6", "2026-03-13T00:00:00Z", "claude-opus-4-6@2026-03-13"},
		{"claude-opus-4-6", "2030-01-01T00:00:00Z", "claude-opus-4-6@2026-03-13"},
	}
	for _, tc := range tests {
		m, ok := table.Resolve("", tc.name, at(tc.at))
		got := ""
		if ok {
			got = m.Row.ID
		}
		if got != tc.wantRow {
			t.Errorf("Resolve(%q at %s) row = %q, want %q", tc.name, tc.at, got, tc.wantRow)
		}
	}
}

func TestRowUntilFromNextRow(t *testing.T) {
	table := embedded(t)
	first, ok := table.Row("claude-opus-4-6@2026-02-05")
	if !ok {
		t.Fatal("row claude-opus-4-6@2026-02-05 not found")
	}
	if want := at("2026-03-13T00:00:00Z"); !first.Until.Equal(want) {
		t.Errorf("Until = %s, want %s", first.Until, want)
	}

	last, _ := table.Row("claude-opus-4-6@2026-03-13")
	if !last.Until.IsZero() {
		t.Errorf("last row Until = %s, want open (zero)", last.Until)
	}
}

func TestResolveGapBetweenRows(t *testing.T) {
	table := mustParse(t, `
date: 2026-01-01
models:
  - id: m
    provider: openai
    rows:
      - {from: 2025-01-01, until: 2025-02-01, prices: {input: 1, output: 2}}
      - {from: 2025-03-01, prices: {input: 3, output: 4}}
`)
	tests := []struct{ at, want string }{
		{"2025-01-31T23:59:59Z", "m@2025-01-01"},
		{"2025-02-01T00:00:00Z", ""},
		{"2025-02-28T23:59:59Z", ""},
		{"2025-03-01T00:00:00Z", "m@2025-03-01"},
	}
	for _, tc := range tests {
		m, ok := table.Resolve("", "m", at(tc.at))
		got := ""
		if ok {
			got = m.Row.ID
		}
		if got != tc.want {
			t.Errorf("at %s: row = %q, want %q", tc.at, got, tc.want)
		}
	}
}

func TestResolvePatterns(t *testing.T) {
	table := mustParse(t, `
date: 2026-01-01
models:
  - id: family
    provider: google
    names: [family-exact]
    patterns: ['family-preview-\d{2}-\d{2}']
    rows:
      - {from: 2025-01-01, prices: {input: 1, output: 2}}
`)
	tests := []struct {
		name string
		want bool
	}{
		{"family-exact", true},
		{"FAMILY-PREVIEW-05-20", true},
		{"family-preview-05-20-extra", false},
		{"x-family-preview-05-20", false},
	}
	for _, tc := range tests {
		_, ok := table.Resolve("", tc.name, at("2025-06-01T00:00:00Z"))
		if ok != tc.want {
			t.Errorf("Resolve(%q) found = %v, want %v", tc.name, ok, tc.want)
		}
	}
}

func TestNormalizeName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"us.anthropic.claude-3-5-haiku-20241022-v1:0", "claude-3-5-haiku-20241022"},
		{"bedrock/converse/anthropic.claude-3-haiku-20240307-v1:0", "claude-3-haiku-20240307"},
		{"claude-3-5-haiku@20241022", "claude-3-5-haiku-20241022"},
		{"publishers/google/models/gemini-2.5-pro", "gemini-2.5-pro"},
		// A version suffix is removed only from a Bedrock id.
		{"some-model-v1", "some-model-v1"},
	}
	for _, tc := range tests {
		if got := normalizeName(tc.in); got != tc.want {
			t.Errorf("normalizeName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
