package pricing

import (
	"slices"
	"testing"
)

func TestLintRules(t *testing.T) {
	table, err := Parse([]byte(`
date: 2026-12-01
models:
  - id: claude-a
    provider: anthropic
    rows:
      - {from: 2025-01-01, prices: {input: 1, cache_write_5m: 1.25, cache_write_1h: 2, output: 5}}
  - id: claude-b
    provider: anthropic
    rows:
      - {from: 2025-01-01, prices: {input: 1, cache_write_5m: 1.25, cache_write_1h: 1.5, output: 5}}
  - id: chat-free-output
    provider: openai
    rows:
      - {from: 2025-01-01, prices: {input: 1, output: 0}}
  - id: text-embedding-x
    provider: openai
    rows:
      - {from: 2025-01-01, prices: {input: 1, output: 0}}
`), "t")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"row chat-free-output@2025-01-01: prices: output price is 0 for a chat model",
		"row claude-b@2025-01-01: prices: cache_write_1h 1.5 is not 2x input 1 (Anthropic's rule)",
	}
	got := table.Lint()
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("Lint() = %q, want %q", got, want)
	}
}

func TestEmbeddedTableLintsClean(t *testing.T) {
	table, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	if w := table.Lint(); len(w) > 0 {
		t.Errorf("built-in table warnings: %q", w)
	}
}

func TestFormatMTok(t *testing.T) {
	cases := map[Pico]string{3_000_000: "3", 75_000: "0.075", 22_500_000: "22.5", 1: "0.000001", 0: "0"}
	for p, want := range cases {
		if got := FormatMTok(p); got != want {
			t.Errorf("FormatMTok(%d) = %q, want %q", p, got, want)
		}
	}
}

func TestDiffChanges(t *testing.T) {
	a, err := Parse([]byte(`
date: 2026-12-01
models:
  - {id: m1, provider: openai, rows: [{from: 2025-01-01, prices: {input: 1, output: 2}}]}
  - {id: gone, provider: openai, rows: [{from: 2025-01-01, prices: {input: 1, output: 2}}]}
`), "a")
	if err != nil {
		t.Fatal(err)
	}
	b, err := Parse([]byte(`
date: 2026-12-01
models:
  - {id: m1, provider: openai, rows: [{from: 2025-01-01, prices: {input: 1.5, output: 2}, bands: [{above: 1000, prices: {input: 3, output: 4}}]}]}
  - {id: new, provider: openai, rows: [{from: 2025-01-01, prices: {input: 1, output: 2}}]}
`), "b")
	if err != nil {
		t.Fatal(err)
	}
	want := []Change{
		{ModelID: "gone", Kind: "removed"},
		{ModelID: "m1", RowID: "m1@2025-01-01", Kind: "changed", Field: "input", Old: "1", New: "1.5"},
		{ModelID: "m1", RowID: "m1@2025-01-01", Kind: "changed", Field: "band above 1000", New: "added"},
		{ModelID: "new", Kind: "added"},
	}
	if got := Diff(a, b); !slices.Equal(got, want) {
		t.Errorf("Diff =\n%+v\nwant\n%+v", got, want)
	}
}

// Modifiers are compared one tier or value at a time, each in the words of
// the price file.
func TestDiffModifiers(t *testing.T) {
	a, err := Parse([]byte(`
date: 2026-12-01
models:
  - {id: m1, provider: anthropic, rows: [{from: 2025-01-01, prices: {input: 1, output: 2},
      service_tiers: {batch: {multiplier: 0.5}}, inference_geo: {us: 1.1}}]}
`), "a")
	if err != nil {
		t.Fatal(err)
	}
	b, err := Parse([]byte(`
date: 2026-12-01
models:
  - {id: m1, provider: anthropic, rows: [{from: 2025-01-01, prices: {input: 1, output: 2},
      service_tiers: {batch: {multiplier: 0.4}, priority: {prices: {input: 2, output: 4}}}, speed: {fast: 6}}]}
`), "b")
	if err != nil {
		t.Fatal(err)
	}
	row := func(field, old, new string) Change {
		return Change{ModelID: "m1", RowID: "m1@2025-01-01", Kind: "changed", Field: field, Old: old, New: new}
	}
	want := []Change{
		row("service_tiers.batch", "multiplier 0.5", "multiplier 0.4"),
		row("service_tiers.priority", "", "prices input 2, output 4"),
		row("inference_geo.us", "1.1", ""),
		row("speed.fast", "", "6"),
	}
	if got := Diff(a, b); !slices.Equal(got, want) {
		t.Errorf("Diff =\n%+v\nwant\n%+v", got, want)
	}
}
