package pricing

import (
	"testing"
	"time"
)

// BenchmarkResolve matches logged model names, dated snapshots and
// provider-prefixed names to their price rows, as ingest does per request.
func BenchmarkResolve(b *testing.B) {
	table, err := Embedded()
	if err != nil {
		b.Fatal(err)
	}
	names := []struct{ provider, model string }{
		{"anthropic", "claude-sonnet-4-5-20250929"},
		{"anthropic", "claude-opus-4-6"},
		{"openai", "gpt-4o-2024-08-06"},
		{"openai", "gpt-4.1-mini"},
		{"aws_bedrock", "us.anthropic.claude-haiku-4-5-20251001-v1:0"},
	}
	at := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	i := 0
	for b.Loop() {
		n := names[i%len(names)]
		if _, ok := table.Resolve(n.provider, n.model, at); !ok {
			b.Fatalf("%s/%s did not resolve", n.provider, n.model)
		}
		i++
	}
}

// BenchmarkCost prices one usage with a service tier modifier, as a report
// does per cell.
func BenchmarkCost(b *testing.B) {
	table, err := Embedded()
	if err != nil {
		b.Fatal(err)
	}
	m, ok := table.Resolve("anthropic", "claude-sonnet-4-5-20250929", time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC))
	if !ok {
		b.Fatal("claude-sonnet-4-5 did not resolve")
	}
	var u Usage
	u.Tokens[Input], u.Tokens[CacheRead], u.Tokens[Output] = 1200, 30000, 800
	for b.Loop() {
		if _, err := table.Cost(m.Row.ID, 0, Modifiers{ServiceTier: "batch"}, u); err != nil {
			b.Fatal(err)
		}
	}
}
