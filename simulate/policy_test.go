package simulate

import (
	"strings"
	"testing"
)

func TestParsePolicyErrors(t *testing.T) {
	table := embeddedTable(t)
	cases := []struct {
		name, text, want string
	}{
		{"unknown top-level key", "caching: {ttl: 5m}", `line 1: unknown key "caching" in the top level`},
		{"unknown nested key", "cache: {tll: 5m}", `line 1: unknown key "tll" in cache`},
		{"unknown match key", "route: [{match: {endpoints: [a]}, model: gpt-4o-mini}]", `unknown key "endpoints" in a route match`},
		{"unknown route model", "route: [{match: {}, model: gpt-9}]", `route[0]: model "gpt-9": unknown model`},
		{"unknown match model", "route: [{match: {model: [nope]}, model: gpt-4o-mini}]", `match.model "nope": unknown model`},
		{"unknown compress model", "compress: {every_turns: 5, summary_tokens: 200, model: nope}", `compress.model "nope": unknown model`},
		{"missing compress model", "compress: {every_turns: 5, summary_tokens: 200}", "compress.model is missing"},
		{"bad ttl", "cache: {ttl: 10m}", `cache.ttl "10m": want 5m or 1h`},
		{"zero every_turns", "compress: {every_turns: 0, model: gpt-4o-mini}", "compress.every_turns 0"},
		{"score out of range", "quality: {scores: {a: {gpt-4o-mini: 1.5}}}", "quality.scores.a.gpt-4o-mini 1.5"},
		{"bad ratio", "route: [{match: {}, model: gpt-4o-mini, input_token_ratio: 0}]", "input_token_ratio 0"},
		{"change below -1", "structured_output: {output_change: {a: -1}}", "output_change.a -1"},
		{"empty batch", "batch: {endpoints: []}", "batch.endpoints is empty"},
		{"min above max", "route: [{match: {min_input_tokens: 5, max_input_tokens: 4}, model: gpt-4o-mini}]", "min_input_tokens 5 is above"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParsePolicy([]byte(tc.text), table)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestParsePolicyLevers(t *testing.T) {
	table := embeddedTable(t)
	p := mustPolicy(t, table, `
name: all
structured_output: {output_change: {a: 0.1}}
batch: {endpoints: x}
cache: {}
compress: {every_turns: 2, summary_tokens: 1, model: gpt-4o-mini}
route: [{match: {endpoint: a}, model: gpt-4o-mini}]
`)
	got := strings.Join(p.Levers(), ",")
	if got != "route,compress,cache,batch,structured_output" {
		t.Errorf("levers %s, want pipeline order", got)
	}
	if p.Cache.TTL != "5m" {
		t.Errorf("default ttl %q, want 5m", p.Cache.TTL)
	}
	if len(p.Batch.Endpoints) != 1 || p.Batch.Endpoints[0] != "x" {
		t.Errorf("scalar endpoint list %v, want [x]", p.Batch.Endpoints)
	}
}

func TestRatioApply(t *testing.T) {
	cases := []struct {
		factor float64
		n      int64
		want   int64
	}{
		{0.5, 1001, 501}, // 500.5 rounds away from zero
		{0.65, 10, 7},    // 6.5, although 0.65 is not exact in binary
		{1.1, 15, 17},    // 16.5
		{0.35, 3, 1},     // 1.05
		{1, 123456789, 123456789},
		{2.5, 1 << 40, 5 * (1 << 39)},
	}
	for _, tc := range cases {
		r, err := parseRatio("x", tc.factor)
		if err != nil {
			t.Fatal(err)
		}
		if got := r.apply(tc.n); got != tc.want {
			t.Errorf("round(%d × %v) = %d, want %d", tc.n, tc.factor, got, tc.want)
		}
	}
}
