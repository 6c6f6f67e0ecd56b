package pricing

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

func importTestFile(t *testing.T) (*ImportResult, *Table) {
	t.Helper()
	return importTestFileFrom(t, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
}

// importTestFileFrom imports the trimmed LiteLLM file against the built-in
// table, with every row starting on from.
func importTestFileFrom(t *testing.T, from time.Time) (*ImportResult, *Table) {
	t.Helper()
	data, err := os.ReadFile("../testdata/litellm/model_prices_and_context_window.trimmed.json")
	if err != nil {
		t.Fatal(err)
	}
	builtin, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	res, err := ImportLiteLLM(data, builtin, from, from)
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
var knownDifferences = map[string]string{}

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
		"claude-3-haiku-20240307: not imported: row claude-3-haiku@2025-01-01: prices: cache_write_1h 6 is not 2x input 0.25",
		// No 1-hour price above 200k, so the band keeps the base $6, not 2 x $6.
		"claude-sonnet-4-20250514: not imported: row claude-sonnet-4@2025-01-01: band above 200000: cache_write_1h 6 is not 2x input 6",
		// Listed with mode "embedding" and an output price of 0.
		"gemini/gemini-1.5-flash: not imported: row gemini-1.5-flash@2025-01-01: prices: output price is 0 for a chat model",
	}
	for _, w := range want {
		if !containsPrefix(res.Warnings, w) {
			t.Errorf("missing warning %q in %q", w, res.Warnings)
		}
	}
	for _, name := range []string{"claude-3-haiku-20240307", "claude-sonnet-4-20250514", "gemini-1.5-flash"} {
		if _, ok := table.Resolve("", name, time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)); ok {
			t.Errorf("model %s was imported despite its warning", name)
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

func TestImportSkipsOtherProviderEntries(t *testing.T) {
	res, table := importTestFile(t)

	// The three Bedrock-only LiteLLM entries normalise to a name that the
	// built-in table gives to the anthropic model claude-3-5-haiku.
	for _, key := range []string{
		"anthropic.claude-3-5-haiku-20241022-v1:0",
		"bedrock/us.anthropic.claude-3-5-haiku-20241022-v1:0",
		"us.anthropic.claude-3-5-haiku-20241022-v1:0",
	} {
		if !containsPrefix(res.Warnings, key+": skipped: a aws_bedrock price") {
			t.Errorf("no skip warning for %s in %q", key, res.Warnings)
		}
	}
	if _, ok := table.Resolve("", "claude-3-5-haiku-20241022", time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)); ok {
		t.Error("claude-3-5-haiku-20241022 was imported from a Bedrock-only entry")
	}
}

func TestImportUsesBuiltinIDs(t *testing.T) {
	_, table := importTestFile(t)

	// LiteLLM lists the alias and the dated name with equal prices; both
	// are names of the built-in claude-sonnet-4-5.
	m, ok := table.Model("claude-sonnet-4-5")
	if !ok {
		t.Fatal("claude-sonnet-4-5 not imported")
	}
	if !slices.Contains(m.Names, "claude-sonnet-4-5-20250929") {
		t.Errorf("names = %q, want claude-sonnet-4-5-20250929 among them", m.Names)
	}
	if _, ok := table.Model("claude-sonnet-4-5-20250929"); ok {
		t.Error("claude-sonnet-4-5-20250929 was written as a model of its own")
	}
}

// TestImportKeepsBuiltinHistory merges an import that takes effect on
// 2026-01-01 over the built-in table: requests before that date keep the
// built-in rows, and no built-in name changes model.
func TestImportKeepsBuiltinHistory(t *testing.T) {
	effective := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	_, imported := importTestFileFrom(t, effective)
	builtin, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	if w := builtin.Takeovers(imported); len(w) > 0 {
		t.Errorf("import takes over built-in names: %q", w)
	}
	merged := builtin.Merge(imported)

	before := time.Date(2025, 11, 5, 0, 0, 0, 0, time.UTC)
	after := time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)
	u := Usage{Tokens: [NumClasses]int64{Input: 1000, Output: 500}}
	cases := []struct {
		provider, name string
		at             time.Time
		wantRow        string
		wantPico       int64
	}{
		// 1,000 × $1/MTok + 500 × $5/MTok = $0.0035, built-in row.
		{"anthropic", "claude-haiku-4-5-20251001", before, "claude-haiku-4-5@2025-10-15", 3_500_000_000},
		// Same prices in LiteLLM, now from the imported row.
		{"anthropic", "claude-haiku-4-5-20251001", after, "claude-haiku-4-5@2026-01-01", 3_500_000_000},
		// 1,000 × $3 + 500 × $15 per MTok = $0.0105.
		{"anthropic", "claude-sonnet-4-5-20250929", before, "claude-sonnet-4-5@2025-09-29", 10_500_000_000},
		// 1,000 × $0.15 + 500 × $0.60 per MTok = $0.00045.
		{"openai", "gpt-4o-mini-2024-07-18", before, "gpt-4o-mini@2024-07-18", 450_000_000},
		// The Bedrock-only entry is skipped, so a direct Anthropic request
		// keeps the built-in row after the date: 1,000 × $0.80 + 500 × $4
		// per MTok = $0.0028.
		{"anthropic", "claude-3-5-haiku-20241022", after, "claude-3-5-haiku@2024-11-04", 2_800_000_000},
	}
	for _, c := range cases {
		m, ok := merged.Resolve(c.provider, c.name, c.at)
		if !ok {
			t.Errorf("%s at %s: unpriced", c.name, c.at.Format(time.DateOnly))
			continue
		}
		if m.Row.ID != c.wantRow {
			t.Errorf("%s at %s: row %s, want %s", c.name, c.at.Format(time.DateOnly), m.Row.ID, c.wantRow)
		}
		cost, err := merged.Cost(m.Row.ID, 0, Modifiers{}, u)
		if err != nil {
			t.Fatal(err)
		}
		if got := cost.Big().Int64(); got != c.wantPico {
			t.Errorf("%s at %s: cost %d pico, want %d", c.name, c.at.Format(time.DateOnly), got, c.wantPico)
		}
	}
}
