package pricing

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

func importTestFile(t *testing.T) (*ImportResult, *Table) {
	t.Helper()
	data, err := os.ReadFile("../testdata/litellm/model_prices_and_context_window.trimmed.json")
	if err != nil {
		t.Fatal(err)
	}
	day := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	res, err := ImportLiteLLM(data, day, day)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	table, err := Parse(res.YAML, "imported")
	if err != nil {
		t.Fatalf("parse imported table: %v", err)
	}
	return res, table
}

// sampleUsages are a short prompt with every cache class and a prompt over
// 200,000 tokens, which crosses the long-context bands that exist.
var sampleUsages = map[string]Usage{
	"short": {Tokens: [NumClasses]int64{Input: 1000, CacheRead: 2000, CacheWrite5m: 300, CacheWrite1h: 400, Output: 500}},
	"long":  {Tokens: [NumClasses]int64{Input: 250_000, Output: 1000}},
}

// knownDifferences are the (name, tier, usage) samples the imported table
// prices differently from the built-in one, each with the reason.
var knownDifferences = map[string]string{
	// LiteLLM's Bedrock entry has no 1-hour cache write price, so 1-hour
	// writes fall back to the input price, and it has no batch price.
	"anthropic.claude-3-5-haiku-20241022-v1:0/standard/short": "no cache_write_1h in LiteLLM",
	"anthropic.claude-3-5-haiku-20241022-v1:0/batch/short":    "no cache_write_1h in LiteLLM",
}

func TestImportedPricesMatchBuiltin(t *testing.T) {
	_, imported := importTestFile(t)
	builtin, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

	seen := map[string]bool{}
	for _, m := range imported.Models() {
		name := strings.TrimPrefix(m.Source, "litellm ")
		for _, tier := range []string{"standard", "batch"} {
			for label, u := range sampleUsages {
				key := fmt.Sprintf("%s/%s/%s", name, tier, label)
				got, okI := costOf(imported, name, tier, u, at)
				wantTier := tier
				if !m.Rows[0].hasTier(tier) {
					// LiteLLM lists no batch price for this entry, so the
					// imported table bills batch requests at standard rates.
					wantTier = "standard"
				}
				want, okB := costOf(builtin, name, wantTier, u, at)
				if !okI || !okB || got == want {
					continue
				}
				seen[key] = true
				if _, known := knownDifferences[key]; !known {
					t.Errorf("%s: imported %s, built-in %s", key, got, want)
				}
			}
		}
	}
	for key := range knownDifferences {
		if !seen[key] {
			t.Errorf("%s: listed as a known difference but prices the same", key)
		}
	}
}

func costOf(t *Table, name, tier string, u Usage, at time.Time) (string, bool) {
	m, ok := t.Resolve("", name, at)
	if !ok {
		return "", false
	}
	c, err := t.Cost(m.Row.ID, m.Row.Band(u.PromptTokens()), Modifiers{ServiceTier: tier}, u)
	if err != nil {
		return "", false
	}
	return c.Big().String(), true
}

func (r *Row) hasTier(name string) bool {
	_, ok := r.ServiceTiers[name]
	return ok
}

func TestImportReportsBrokenRules(t *testing.T) {
	res, table := importTestFile(t)
	want := []string{
		// 1-hour write $6/MTok on a $0.25 input: Anthropic's rule is 2x = $0.50.
		"claude-3-haiku-20240307: not imported: row claude-3-haiku-20240307@2025-01-01: prices: cache_write_1h 6 is not 2x input 0.25",
		// No 1-hour price above 200k, so the band keeps the base $6, not 2 x $6.
		"claude-sonnet-4-20250514: not imported: row claude-sonnet-4-20250514@2025-01-01: band above 200000: cache_write_1h 6 is not 2x input 6",
		// Listed with mode "embedding" and an output price of 0.
		"gemini/gemini-1.5-flash: not imported: row gemini-1.5-flash@2025-01-01: prices: output price is 0 for a chat model",
	}
	for _, w := range want {
		if !containsPrefix(res.Warnings, w) {
			t.Errorf("missing warning %q in %q", w, res.Warnings)
		}
	}
	for _, id := range []string{"claude-3-haiku-20240307", "claude-sonnet-4-20250514", "gemini-1.5-flash"} {
		if _, ok := table.Model(id); ok {
			t.Errorf("model %s was imported despite its warning", id)
		}
	}
}

func containsPrefix(list []string, prefix string) bool {
	for _, s := range list {
		if strings.HasPrefix(s, prefix) {
			return true
		}
	}
	return false
}

func TestImportConvertsExactly(t *testing.T) {
	_, table := importTestFile(t)
	m, ok := table.Resolve("", "claude-sonnet-4-5-20250929", time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC))
	if !ok {
		t.Fatal("claude-sonnet-4-5-20250929 not imported")
	}
	p := m.Row.Prices.PerToken
	// 3e-06 USD per token = $3/MTok = 3,000,000 pico per token;
	// 3.75e-06 = 3,750,000; 3e-07 = 300,000; 1.5e-05 = 15,000,000.
	cases := map[Class]Pico{Input: 3_000_000, CacheWrite5m: 3_750_000, CacheRead: 300_000, CacheWrite1h: 6_000_000, Output: 15_000_000}
	for c, want := range cases {
		if p[c] != want {
			t.Errorf("%s = %d pico, want %d", c, p[c], want)
		}
	}
	// The $0.01 per medium-context search is $10 per 1,000 = 1e10 pico a call.
	if m.Row.WebSearch != 10_000_000_000 {
		t.Errorf("web search fee = %d pico, want 1e10", m.Row.WebSearch)
	}
}

func TestImportFoldsBedrockAliases(t *testing.T) {
	res, table := importTestFile(t)
	// "anthropic.claude-3-5-haiku-20241022-v1:0", its "bedrock/us." form and
	// "us.anthropic..." normalise to one name with equal prices.
	m, ok := table.Model("claude-3-5-haiku-20241022")
	if !ok {
		t.Fatal("claude-3-5-haiku-20241022 not imported")
	}
	if m.Provider != "aws_bedrock" {
		t.Errorf("provider = %s, want aws_bedrock", m.Provider)
	}
	if containsPrefix(res.Warnings, "us.anthropic.claude-3-5-haiku") || containsPrefix(res.Warnings, "bedrock/us.anthropic") {
		t.Errorf("aliases with equal prices were reported: %q", res.Warnings)
	}
}
