package pricing

import (
	"strings"
	"testing"
)

const takeoverFile = `date: 2026-12-01
models:
  - id: claude-3-5-haiku-20241022
    provider: anthropic
    rows:
      - {from: 2026-12-01, prices: {input: 1, output: 5}}
  - id: claude-haiku-4-5
    provider: anthropic
    rows:
      - {from: 2026-12-01, prices: {input: 1, cache_read: 0.1, cache_write_5m: 1.25, cache_write_1h: 2, output: 5}}
`

func TestTakeoversNameOtherModel(t *testing.T) {
	builtin, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	over, err := Parse([]byte(takeoverFile), "mine.yaml")
	if err != nil {
		t.Fatal(err)
	}

	got := builtin.Takeovers(over)
	if len(got) != 1 {
		t.Fatalf("got %d warnings, want 1 (claude-haiku-4-5 keeps its own id): %q", len(got), got)
	}
	for _, part := range []string{
		"mine.yaml: model claude-3-5-haiku-20241022",
		`takes over the name "claude-3-5-haiku-20241022" from built-in model claude-3-5-haiku`,
		"(from 2026-12-01)",
		`write its id "claude-3-5-haiku"`,
	} {
		if !strings.Contains(got[0], part) {
			t.Errorf("warning %q lacks %q", got[0], part)
		}
	}
}
