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
		// The entry gives a 1-hour write price, but none above 200k tokens.
		"claude-sonnet-4-20250514: not imported: missing cache_creation_input_token_cost_above_1hr_above_200k_tokens,",
		// The band above 128k tokens gives input prices only.
		"gemini/gemini-1.5-flash: not imported: missing output_cost_per_token_above_128k_tokens,",
	}
	for _, w := range want {
		if !containsPrefix(res.Warnings, w) {
			t.Errorf("missing warning %q in %q", w, res.Warnings)
		}
	}
	// The rule's message names the fields to look up in the LiteLLM file.
	fields := "(Anthropic's rule) (in the LiteLLM file: cache_creation_input_token_cost_above_1hr, input_cost_per_token)"
	if !slices.ContainsFunc(res.Warnings, func(w string) bool { return strings.HasPrefix(w, want[0]) && strings.HasSuffix(w, fields) }) {
		t.Errorf("the claude-3-haiku warning does not end with %q: %q", fields, res.Warnings)
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
		if !containsPrefix(res.Warnings, key+": skipped: the aws_bedrock price") {
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

// importJSON imports a LiteLLM file given as text against the built-in
// table, every row from 2026-01-01.
func importJSON(t *testing.T, text string) (*ImportResult, *Table) {
	t.Helper()
	builtin, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	day := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	res, err := ImportLiteLLM([]byte(text), builtin, day, day)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	table, err := Parse(res.YAML, "imported")
	if err != nil {
		t.Fatalf("parse imported table: %v", err)
	}
	return res, table
}

func TestImportLeavesOutHalfCacheWrites(t *testing.T) {
	res, table := importJSON(t, `{
  "acme-claude-half": {"litellm_provider": "anthropic", "mode": "chat",
    "input_cost_per_token": 1e-06, "output_cost_per_token": 5e-06,
    "cache_read_input_token_cost": 1e-07, "cache_creation_input_token_cost": 1.25e-06},
  "acme-claude-full": {"litellm_provider": "anthropic", "mode": "chat",
    "input_cost_per_token": 1e-06, "output_cost_per_token": 5e-06,
    "cache_read_input_token_cost": 1e-07, "cache_creation_input_token_cost": 1.25e-06,
    "cache_creation_input_token_cost_above_1hr": 2e-06}
}`)

	want := "acme-claude-half: not imported: missing cache_creation_input_token_cost_above_1hr,"
	if !containsPrefix(res.Warnings, want) {
		t.Errorf("missing warning %q in %q", want, res.Warnings)
	}
	at := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	if _, ok := table.Resolve("", "acme-claude-half", at); ok {
		t.Error("acme-claude-half was imported without a 1-hour write price")
	}

	// 1,000 five-minute writes × $1.25/MTok + 1,000 one-hour writes ×
	// $2/MTok = $0.00325 = 3,250,000,000 picodollars.
	u := Usage{Tokens: [NumClasses]int64{CacheWrite5m: 1000, CacheWrite1h: 1000}}
	got, ok := costOf(table, "acme-claude-full", "standard", u, at)
	if !ok {
		t.Fatal("acme-claude-full not imported")
	}
	if got != "3250000000" {
		t.Errorf("acme-claude-full cost = %s pico, want 3250000000", got)
	}
}

func TestImportLeavesOutIncompleteBand(t *testing.T) {
	// The band above 200k tokens gives no 1-hour write price. The base $6
	// must not be copied into the band, where Anthropic charges $12.
	res, table := importJSON(t, `{
  "acme-claude-long": {"litellm_provider": "anthropic", "mode": "chat",
    "input_cost_per_token": 3e-06, "output_cost_per_token": 1.5e-05,
    "cache_read_input_token_cost": 3e-07, "cache_creation_input_token_cost": 3.75e-06,
    "cache_creation_input_token_cost_above_1hr": 6e-06,
    "input_cost_per_token_above_200k_tokens": 6e-06, "output_cost_per_token_above_200k_tokens": 2.25e-05,
    "cache_read_input_token_cost_above_200k_tokens": 6e-07, "cache_creation_input_token_cost_above_200k_tokens": 7.5e-06}
}`)

	want := "acme-claude-long: not imported: missing cache_creation_input_token_cost_above_1hr_above_200k_tokens,"
	if !containsPrefix(res.Warnings, want) {
		t.Errorf("missing warning %q in %q", want, res.Warnings)
	}
	if containsPrefix(res.Warnings, "acme-claude-long: not imported: row") {
		t.Errorf("the importer blamed a value it made up: %q", res.Warnings)
	}
	if len(table.Models()) != 0 {
		t.Errorf("imported %d models, want 0", len(table.Models()))
	}
}

func TestImportLeavesOutFactorOneTier(t *testing.T) {
	res, table := importTestFile(t)

	// LiteLLM lists gemini-2.5-pro's priority prices equal to standard.
	want := "gemini/gemini-2.5-pro: priority tier left out: the entry lists input_cost_per_token_priority, output_cost_per_token_priority equal to the standard prices"
	if !containsPrefix(res.Warnings, want) {
		t.Errorf("missing warning %q in %q", want, res.Warnings)
	}
	m, ok := table.Model("gemini-2.5-pro")
	if !ok {
		t.Fatal("gemini-2.5-pro not imported")
	}
	if m.Rows[0].hasTier("priority") {
		t.Errorf("priority tier imported: %v", m.Rows[0].ServiceTiers["priority"])
	}
}

// geminiLikeEntry is a banded entry whose priority prices are 1.8 times
// standard below 200k tokens and BAND_PRIORITY above.
const geminiLikeEntry = `{
  "acme-gemini": {"litellm_provider": "gemini", "mode": "chat",
    "input_cost_per_token": 1.25e-06, "output_cost_per_token": 1e-05,
    "input_cost_per_token_above_200k_tokens": 2.5e-06, "output_cost_per_token_above_200k_tokens": 1.5e-05,
    "input_cost_per_token_priority": 2.25e-06, "output_cost_per_token_priority": 1.8e-05,
    "input_cost_per_token_above_200k_tokens_priority": BAND_PRIORITY}
}`

func TestImportTierFactorAcrossBands(t *testing.T) {
	// 2.5e-06 × 1.8 = 4.5e-06: the band's priority price has the same factor.
	_, table := importJSON(t, strings.Replace(geminiLikeEntry, "BAND_PRIORITY", "4.5e-06", 1))
	at := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

	// 1,000 input tokens × $1.25/MTok × 1.8 = $0.00225.
	u := Usage{Tokens: [NumClasses]int64{Input: 1000}}
	got, ok := costOf(table, "acme-gemini", "priority", u, at)
	if !ok {
		t.Fatal("acme-gemini not imported")
	}
	if got != "2250000000" {
		t.Errorf("priority cost = %s pico, want 2250000000", got)
	}

	// 250,000 input tokens × $2.50/MTok × 1.8 = $1.125.
	long := Usage{Tokens: [NumClasses]int64{Input: 250_000}}
	if got, _ := costOf(table, "acme-gemini", "priority", long, at); got != "1125000000000" {
		t.Errorf("long priority cost = %s pico, want 1125000000000", got)
	}
}

func TestImportLeavesOutTierUnevenAcrossBands(t *testing.T) {
	// Above 200k the priority price equals standard, not 1.8 times it.
	res, table := importJSON(t, strings.Replace(geminiLikeEntry, "BAND_PRIORITY", "2.5e-06", 1))

	want := "acme-gemini: priority tier left out: its prices above 200000 tokens (input_cost_per_token_above_200k_tokens_priority) are not 1.8 times"
	if !containsPrefix(res.Warnings, want) {
		t.Errorf("missing warning %q in %q", want, res.Warnings)
	}
	m, ok := table.Model("acme-gemini")
	if !ok {
		t.Fatal("acme-gemini not imported")
	}
	if m.Rows[0].hasTier("priority") {
		t.Error("priority tier imported with a factor that is wrong above 200k tokens")
	}
}

// An import dated before the built-in gpt-4o rows of 2024-05-13 and
// 2024-10-02 would replace them, so the import warns and names the date
// that keeps them. Dated on the last one, it gives no such warning.
func TestImportWarnsOfReplacedHistory(t *testing.T) {
	builtin, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	text := []byte(`{"gpt-4o": {"litellm_provider": "openai", "mode": "chat",
  "input_cost_per_token": 2.5e-06, "output_cost_per_token": 1e-05, "cache_read_input_token_cost": 1.25e-06}}`)
	want := "its row from 2024-05-01 comes before 2 built-in price rows of gpt-4o, the last from 2024-10-02, and replaces them once merged; pass --effective 2024-10-02 or later"

	early := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	res, err := ImportLiteLLM(text, builtin, early, early)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(res.Warnings, func(w string) bool { return strings.Contains(w, want) }) {
		t.Errorf("warnings %q lack %q", res.Warnings, want)
	}

	late := time.Date(2024, 10, 2, 0, 0, 0, 0, time.UTC)
	if res, err = ImportLiteLLM(text, builtin, late, late); err != nil {
		t.Fatal(err)
	}
	for _, w := range res.Warnings {
		if strings.Contains(w, "comes before") {
			t.Errorf("import from 2024-10-02 warns %q, want no replaced history", w)
		}
	}
}
