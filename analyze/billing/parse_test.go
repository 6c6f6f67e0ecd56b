package billing

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/costctl/costctl/pricing"
)

func parseFixture(t *testing.T, rel string) *Export {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "testdata", "billing", rel))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	exp, err := Parse(f)
	if err != nil {
		t.Fatalf("parse %s: %v", rel, err)
	}
	return exp
}

func TestParseFixtureShapes(t *testing.T) {
	tests := []struct {
		file  string
		shape Shape
		pages int
		lines int
	}{
		{"anthropic-nov/bill/usage-page-1.json", AnthropicUsage, 1, 2},
		{"anthropic-nov/bill/usage-page-2.json", AnthropicUsage, 1, 2}, // 11-06 has no results
		{"anthropic-nov/bill/cost-report.jsonl", AnthropicCost, 2, 12},
		{"openai-nov/bill/usage-completions.json", OpenAIUsage, 1, 2},
		{"openai-nov/bill/costs.json", OpenAICost, 1, 3},
	}
	for _, tt := range tests {
		exp := parseFixture(t, tt.file)
		if exp.Shape != tt.shape || exp.Pages != tt.pages || len(exp.Lines) != tt.lines {
			t.Errorf("%s: shape %s, %d pages, %d lines; want %s, %d, %d",
				tt.file, exp.Shape, exp.Pages, len(exp.Lines), tt.shape, tt.pages, tt.lines)
		}
	}
}

func TestParseAnthropicUsageLine(t *testing.T) {
	l := parseFixture(t, "anthropic-nov/bill/usage-page-1.json").Lines[0]

	want := [pricing.NumClasses]int64{}
	want[pricing.Input], want[pricing.CacheRead], want[pricing.CacheWrite5m], want[pricing.Output] = 500_000, 1_000_000, 100_000, 250_000
	if l.Usage.Tokens != want {
		t.Errorf("tokens = %v, want %v", l.Usage.Tokens, want)
	}
	if l.Model != "claude-sonnet-4-5-20250929" || l.Workspace != "wrkspc_app" || l.ServiceTier != "standard" {
		t.Errorf("groups = %q %q %q", l.Model, l.Workspace, l.ServiceTier)
	}
	if !l.Start.Equal(time.Date(2025, 11, 3, 0, 0, 0, 0, time.UTC)) || !l.End.Equal(time.Date(2025, 11, 4, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("bucket = %v – %v", l.Start, l.End)
	}
}

// OpenAI's input_tokens includes input_cached_tokens: 1,200,000 with
// 200,000 cached is 1,000,000 uncached.
func TestParseOpenAIUsageSubtractsCached(t *testing.T) {
	exp := parseFixture(t, "openai-nov/bill/usage-completions.json")
	std, batch := exp.Lines[0], exp.Lines[1]

	if std.Usage.Tokens[pricing.Input] != 1_000_000 || std.Usage.Tokens[pricing.CacheRead] != 200_000 {
		t.Errorf("input, cache_read = %d, %d, want 1000000, 200000", std.Usage.Tokens[pricing.Input], std.Usage.Tokens[pricing.CacheRead])
	}
	if std.Requests != 100 || std.Project != "proj_web" {
		t.Errorf("requests, project = %d, %q", std.Requests, std.Project)
	}
	if std.ServiceTier != "" || batch.ServiceTier != "batch" {
		t.Errorf("tiers = %q, %q, want \"\", batch", std.ServiceTier, batch.ServiceTier)
	}
}

func TestParseAmounts(t *testing.T) {
	tests := []struct {
		text  string
		shift int
		want  pricing.Pico
	}{
		{"123.45", 10, 1_234_500_000_000},            // 123.45 cents = $1.2345
		{"37.50", 10, 375_000_000_000},               // $0.375
		{"-250", 10, -2_500_000_000_000},             // a credit of $2.50
		{"0.06", 12, 60_000_000_000},                 // OpenAI dollars
		{"0.30000000000000004", 12, 300_000_000_000}, // float noise rounds away
		{"1e-3", 12, 1_000_000_000},                  // $0.001
	}
	for _, tt := range tests {
		got, err := picoFromDecimal(tt.text, tt.shift)
		if err != nil || got != tt.want {
			t.Errorf("picoFromDecimal(%q, %d) = %d, %v; want %d", tt.text, tt.shift, got, err, tt.want)
		}
	}
}

func TestParseCostLines(t *testing.T) {
	anth := parseFixture(t, "anthropic-nov/bill/cost-report.jsonl").Lines[0]
	if anth.Amount != 1_500_000_000_000 || anth.TokenType != "uncached_input_tokens" || anth.Currency != "usd" {
		t.Errorf("anthropic line = %d %q %q, want 150 cents of uncached input in usd", anth.Amount, anth.TokenType, anth.Currency)
	}
	oa := parseFixture(t, "openai-nov/bill/costs.json").Lines[0]
	if oa.Amount != 300_000_000_000 || oa.Model != "gpt-4o-mini-2024-07-18" || oa.Project != "proj_web" {
		t.Errorf("openai line = %d %q %q, want $0.30 of gpt-4o-mini-2024-07-18 in proj_web", oa.Amount, oa.Model, oa.Project)
	}
}

func TestParseRejects(t *testing.T) {
	tests := []struct {
		name, content, want string
		notBilling          bool
	}{
		{"request log", `{"id":"msg_1","model":"claude-haiku-4-5","input":1,"output":2}`, "", true},
		{"empty", ``, "", true},
		{"negative count", `{"data":[{"starting_at":"2025-11-03T00:00:00Z","ending_at":"2025-11-04T00:00:00Z","results":[{"uncached_input_tokens":-5,"output_tokens":1}]}],"has_more":false}`, "negative count", false},
		{"fractional count", `{"data":[{"starting_at":"2025-11-03T00:00:00Z","ending_at":"2025-11-04T00:00:00Z","results":[{"uncached_input_tokens":1.5}]}],"has_more":false}`, "not a whole number", false},
		{"cached over input", `{"object":"page","data":[{"object":"bucket","start_time":0,"end_time":86400,"results":[{"object":"organization.usage.completions.result","input_tokens":5,"input_cached_tokens":6}]}],"has_more":false}`, "exceeds", false},
		{"amount not a string", `{"data":[{"starting_at":"2025-11-03T00:00:00Z","ending_at":"2025-11-04T00:00:00Z","results":[{"amount":12,"currency":"USD"}]}],"has_more":false}`, "amount", false},
		{"mixed shapes", `{"data":[{"starting_at":"2025-11-03T00:00:00Z","ending_at":"2025-11-04T00:00:00Z","results":[{"uncached_input_tokens":1}]}],"has_more":false}
{"data":[{"starting_at":"2025-11-03T00:00:00Z","ending_at":"2025-11-04T00:00:00Z","results":[{"amount":"1","currency":"USD"}]}],"has_more":false}`, "own file", false},
	}
	for _, tt := range tests {
		_, err := Parse(strings.NewReader(tt.content))
		if err == nil {
			t.Errorf("%s: no error", tt.name)
			continue
		}
		if got := errors.Is(err, ErrNotBilling); got != tt.notBilling {
			t.Errorf("%s: errors.Is(ErrNotBilling) = %v, want %v (%v)", tt.name, got, tt.notBilling, err)
		}
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %q lacks %q", tt.name, err, tt.want)
		}
	}
}

func TestMergeKeepsMostComplete(t *testing.T) {
	midday := parseFixture(t, "anthropic-nov/bill/usage-midday.json").Lines
	full := parseFixture(t, "anthropic-nov/bill/usage-page-2.json").Lines

	for _, order := range [][]Line{append(append([]Line{}, midday...), full...), append(append([]Line{}, full...), midday...)} {
		merged := Merge(order)
		if len(merged) != 2 {
			t.Fatalf("%d lines, want 2 (haiku and opus of 11-05)", len(merged))
		}
		for _, l := range merged {
			if l.Model == "claude-haiku-4-5-20251001" && l.Usage.Total() != 900_000 {
				t.Errorf("haiku total = %d, want 900000 from the full download", l.Usage.Total())
			}
		}
	}
}
