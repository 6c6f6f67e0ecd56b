package pricing

import (
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

func mustParse(t *testing.T, text string) *Table {
	t.Helper()
	table, err := Parse([]byte(text), "test.yaml")
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return table
}

const oneModel = `
date: 2026-01-02
models:
  - id: m
    provider: openai
    names: [m-2025]
    rows:
      - from: 2025-01-01
        prices: {input: 0.075, output: 0.30}
`

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, text, wantErr string
	}{
		{"unknown model key", strings.Replace(oneModel, "names:", "naems:", 1), `test.yaml: line 6: unknown key "naems" in model`},
		{"unknown row key", strings.Replace(oneModel, "prices:", "prics:", 1), `unknown key "prics" in row`},
		{"unknown top key", oneModel + "extra: 1\n", `unknown key "extra" in file`},
		{"unknown class", strings.Replace(oneModel, "input:", "inptu:", 1), `unknown key "inptu" in prices`},
		{"seven decimals", strings.Replace(oneModel, "0.075", "0.0750001", 1), `"0.0750001" has 7 decimals, at most 6 are allowed`},
		{"negative price", strings.Replace(oneModel, "0.075", "-0.075", 1), `"-0.075" is negative`},
		{"exponent", strings.Replace(oneModel, "0.075", "7.5e-2", 1), `not a plain decimal`},
		{"missing output", strings.Replace(oneModel, ", output: 0.30", "", 1), "missing output price"},
		{"missing date", strings.Replace(oneModel, "date: 2026-01-02", "", 1), `missing key "date"`},
		{"bad from", strings.Replace(oneModel, "2025-01-01", "2025-13-01", 1), `from: "2025-13-01" is not a date`},
		{"bad provider name", strings.Replace(oneModel, "openai", "\"Azure AI\"", 1), `provider "Azure AI"`},
		{"no rows", "date: 2026-01-02\nmodels:\n  - {id: m, provider: openai}\n", `missing key "rows"`},
		{"duplicate name", oneModel + `
  - id: other
    provider: openai
    names: [M-2025]
    rows: [{from: 2025-01-01, prices: {input: 1, output: 1}}]
`, `name "M-2025" is already used by model m`},
		{"overlapping rows", oneModel + "      - {from: 2025-01-01, prices: {input: 1, output: 1}}\n", "two rows start on 2025-01-01"},
		{"until before next from", strings.Replace(oneModel, "- from: 2025-01-01", "- until: 2025-03-01\n        from: 2025-01-01", 1) +
			"      - {from: 2025-02-01, prices: {input: 1, output: 1}}\n", "overlaps"},
		{"tier with both", oneModel + "        service_tiers: {batch: {multiplier: 0.5, prices: {input: 1, output: 1}}}\n", "exactly one of multiplier or prices"},
		{"zero multiplier", oneModel + "        speed: {fast: 0}\n", "greater than zero"},
		{"tier prices with bands", oneModel + `        bands: [{above: 10, prices: {input: 1, output: 1}}]
        service_tiers: {priority: {prices: {input: 1, output: 1}}}
`, "explicit prices are not supported on a row with long-context bands"},
		{"bands not ascending", oneModel + `        bands:
          - {above: 20, prices: {input: 1, output: 1}}
          - {above: 10, prices: {input: 1, output: 1}}
`, "not greater than the previous band"},
		{"bad pattern", strings.Replace(oneModel, "names: [m-2025]", "patterns: ['m-(']", 1), `pattern "m-("`},
		{"5m write without 1h", strings.Replace(oneModel, "output: 0.30", "cache_write_5m: 0.09, output: 0.30", 1),
			"test.yaml: model m: row from 2025-01-01: line 9: prices: missing cache_write_1h beside cache_write_5m"},
		{"1h write without 5m", strings.Replace(oneModel, "output: 0.30", "cache_write_1h: 0.15, output: 0.30", 1),
			"test.yaml: model m: row from 2025-01-01: line 9: prices: missing cache_write_5m beside cache_write_1h"},
		{"cache price without prompt caching", strings.Replace(oneModel, "provider: openai", "provider: openai\n    prompt_caching: false", 1) +
			"      - {from: 2025-06-01, prices: {input: 1, cache_read: 0.1, output: 1}}\n",
			"model m: row m@2025-06-01: cache_read price on a model with prompt_caching: false"},
		{"min cache tokens without prompt caching", strings.Replace(oneModel, "provider: openai", "provider: openai\n    prompt_caching: false\n    min_cache_tokens: 1024", 1),
			"min_cache_tokens 1024 on a model with prompt_caching: false"},
		{"band 5m write without 1h", oneModel + "        bands: [{above: 10, prices: {input: 1, cache_write_5m: 1.25, output: 1}}]\n",
			"band above 10: prices: missing cache_write_1h beside cache_write_5m"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.text), "test.yaml")
			if err == nil {
				t.Fatalf("Parse succeeded, want an error containing %q", tc.wantErr)
			}
			if !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("error = %q, want it to contain %q", err, tc.wantErr)
			}
		})
	}
}

func TestParseExactPrices(t *testing.T) {
	table := mustParse(t, oneModel)
	row, _ := table.Row("m@2025-01-01")
	// $0.075 per MTok = 0.075 × 10^6 picodollars per token.
	if got := row.Prices.PerToken[Input]; got != 75_000 {
		t.Errorf("input = %d pico, want 75000", got)
	}
	if got := row.Prices.PerToken[Output]; got != 300_000 {
		t.Errorf("output = %d pico, want 300000", got)
	}
}

var versionForm = regexp.MustCompile(`^2026-01-02\+[0-9a-f]{8}$`)

func TestVersion(t *testing.T) {
	base := mustParse(t, oneModel)
	if !versionForm.MatchString(base.Version()) {
		t.Errorf("Version() = %q, want date+8 hex digits", base.Version())
	}

	sameContent := mustParse(t, "# a comment\n"+strings.ReplaceAll(oneModel, "{input: 0.075", "{input:   0.0750"))
	if sameContent.Version() != base.Version() {
		t.Errorf("layout change moved the version: %s vs %s", sameContent.Version(), base.Version())
	}

	changed := mustParse(t, strings.Replace(oneModel, "0.30", "0.31", 1))
	if changed.Version() == base.Version() {
		t.Errorf("price change kept the version %s", base.Version())
	}
}

func TestMerge(t *testing.T) {
	base := mustParse(t, oneModel+`
  - id: kept
    provider: openai
    rows: [{from: 2025-01-01, prices: {input: 1, output: 1}}]
`)
	over := mustParse(t, `
date: 2026-02-01
models:
  - id: m
    provider: openai
    names: [m-2026]
    rows: [{from: 2025-06-01, prices: {input: 9, output: 9}}]
`)
	merged := base.Merge(over)

	// The override takes over from its first row, 2025-06-01; the base
	// row stays in effect before that date.
	m, _ := merged.Model("m")
	if len(m.Rows) != 2 || m.Rows[0].ID != "m@2025-01-01" || m.Rows[1].ID != "m@2025-06-01" {
		t.Fatalf("merged model m rows = %v, want m@2025-01-01 then m@2025-06-01", m.Rows)
	}
	if want := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC); !m.Rows[0].Until.Equal(want) {
		t.Errorf("base row until %v, want the override's start %v", m.Rows[0].Until, want)
	}
	for at, want := range map[string]string{"2025-03-01": "m@2025-01-01", "2025-07-01": "m@2025-06-01"} {
		day, _ := time.Parse(time.DateOnly, at)
		if got, ok := merged.Resolve("", "m", day); !ok || got.Row.ID != want {
			t.Errorf("at %s resolved %v, want %s", at, got.Row, want)
		}
	}
	if _, ok := merged.Resolve("", "m-2026", time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)); !ok {
		t.Error("the override's own name does not resolve")
	}
	if _, ok := merged.Model("kept"); !ok {
		t.Error("model kept is missing after the merge")
	}
	if !strings.HasPrefix(merged.Version(), "2026-02-01+") {
		t.Errorf("merged version %q, want the later date 2026-02-01", merged.Version())
	}
	if merged.Version() == base.Version() {
		t.Error("an override did not change the version")
	}
	if m, _ := base.Model("m"); m.Rows[0].ID != "m@2025-01-01" {
		t.Error("Merge changed the base table")
	}
}

func TestMergeKeepsServingProviders(t *testing.T) {
	over := mustParse(t, `
date: 2026-02-01
models:
  - id: claude-sonnet-4-5
    provider: anthropic
    rows: [{from: 2026-01-01, prices: {input: 2, output: 10}}]
`)
	merged := embedded(t).Merge(over)
	bedrock := "anthropic.claude-sonnet-4-5-20250929-v1:0"

	// Before the override's first row the built-in row prices Bedrock
	// traffic as before; from it on, the override's row does.
	for at, want := range map[string]string{"2025-11-03": "claude-sonnet-4-5@2025-09-29", "2026-02-01": "claude-sonnet-4-5@2026-01-01"} {
		day, _ := time.Parse(time.DateOnly, at)
		got, ok := merged.Resolve("aws_bedrock", bedrock, day)
		if !ok {
			t.Errorf("at %s the Bedrock model is unpriced after the merge", at)
			continue
		}
		if got.Row.ID != want {
			t.Errorf("at %s resolved row %s, want %s", at, got.Row.ID, want)
		}
	}
}

func TestEmbeddedModelsSorted(t *testing.T) {
	models := embedded(t).Models()
	sorted := slices.IsSortedFunc(models, func(a, b *Model) int {
		return strings.Compare(a.Provider+"\x00"+a.ID, b.Provider+"\x00"+b.ID)
	})
	if !sorted {
		t.Error("Models() is not sorted by provider, id")
	}
}

// Every row must resolve from its model id on its first day.
func TestEmbeddedRowsResolve(t *testing.T) {
	table := embedded(t)
	for _, m := range table.Models() {
		for _, r := range m.Rows {
			got, ok := table.Resolve(m.Provider, m.ID, r.From)
			if !ok || got.Row != r {
				t.Errorf("Resolve(%s at %s) did not return row %s", m.ID, r.From.Format("2006-01-02"), r.ID)
			}
		}
	}
}

func TestEmbeddedConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	tables := make([]*Table, 8)
	for i := range tables {
		wg.Go(func() { tables[i], _ = Embedded() })
	}
	wg.Wait()

	for i, tb := range tables {
		if tb == nil || tb != tables[0] {
			t.Fatalf("Embedded() call %d returned a different table", i)
		}
	}
}

func TestClaude3SonnetHasNoPromptCaching(t *testing.T) {
	table, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	m, ok := table.Model("claude-3-sonnet")
	if !ok {
		t.Fatal("claude-3-sonnet not in the built-in table")
	}

	// Claude 3 Sonnet never had prompt caching, unlike Claude 3 Opus and
	// Claude 3 Haiku of the same family.
	if !m.NoPromptCaching {
		t.Error("claude-3-sonnet is not marked prompt_caching: false")
	}
	for _, id := range []string{"claude-3-opus", "claude-3-haiku"} {
		other, ok := table.Model(id)
		if !ok {
			t.Errorf("%s not in the built-in table", id)
			continue
		}
		if other.NoPromptCaching {
			t.Errorf("%s is marked prompt_caching: false", id)
		}
	}
}
