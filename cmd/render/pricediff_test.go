package render

import (
	"bytes"
	"strings"
	"testing"

	"github.com/costctl/costctl/pricing"
)

func parseTable(t *testing.T, text string) *pricing.Table {
	t.Helper()
	table, err := pricing.Parse([]byte(text), "test.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return table
}

func TestPriceDiffCountsOneChange(t *testing.T) {
	const before = `
date: 2026-12-01
models:
  - id: claude-x
    provider: anthropic
    rows:
      - from: 2025-01-01
        prices: {input: 1, output: 5}
`
	after := strings.Replace(before, "output: 5", "output: 6", 1)
	a, b := parseTable(t, before), parseTable(t, after)

	var out bytes.Buffer
	if err := PriceDiff(&out, a, b, pricing.Diff(a, b)); err != nil {
		t.Fatal(err)
	}
	first, _, _ := strings.Cut(out.String(), "\n")
	if !strings.HasSuffix(first, ": 1 change") {
		t.Errorf("first line %q, want it to end in \": 1 change\"", first)
	}
}
