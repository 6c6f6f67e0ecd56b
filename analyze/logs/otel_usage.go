package logs

import (
	"encoding/json"
	"strings"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/pricing"
)

// otelAttributes are a span's attributes as JSON scalars by key.
type otelAttributes map[string]json.RawMessage

func (a otelAttributes) str(key string) string {
	var s flexString
	if raw, ok := a[key]; ok {
		_ = s.UnmarshalJSON(raw)
	}
	return string(s)
}

// first returns the first non-empty string among keys.
func (a otelAttributes) first(keys ...string) string {
	for _, k := range keys {
		if v := a.str(k); v != "" {
			return v
		}
	}
	return ""
}

// The usage attributes, each with its deprecated spellings after it. The
// first spellings are those of the OpenTelemetry GenAI semantic
// conventions; gen_ai.usage.prompt_tokens and completion_tokens are their
// older names, and the underscore cache names are OpenLLMetry's.
var (
	otelInputKeys      = []string{"gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens"}
	otelOutputKeys     = []string{"gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens"}
	otelCacheReadKeys  = []string{"gen_ai.usage.cache_read.input_tokens", "gen_ai.usage.cache_read_input_tokens"}
	otelCacheWriteKeys = []string{"gen_ai.usage.cache_creation.input_tokens", "gen_ai.usage.cache_creation_input_tokens"}
)

func (a otelAttributes) hasUsage() bool {
	for _, keys := range [][]string{otelInputKeys, otelOutputKeys, otelCacheReadKeys, otelCacheWriteKeys} {
		for _, k := range keys {
			if _, ok := a[k]; ok {
				return true
			}
		}
	}
	return false
}

// count reads the first of keys that is present; absent counts as 0.
func (a otelAttributes) count(v *countReader, keys []string) int64 {
	for _, k := range keys {
		if raw, ok := a[k]; ok {
			var c tokenCount
			_ = c.UnmarshalJSON(raw)
			return v.read(c, "attributes."+k)
		}
	}
	return 0
}

// otelInputIncludesCache records, by instrumentation scope name, whether
// gen_ai.usage.input_tokens includes the cache reads and writes. The
// semantic conventions say it should. OpenLLMetry's anthropic
// instrumentation adds the cache tokens to it, and its openai one reports
// OpenAI's prompt_tokens, which include cached tokens. Its bedrock
// instrumentation reports the uncached input only.
var otelInputIncludesCache = map[string]bool{
	"opentelemetry.instrumentation.anthropic": true,
	"opentelemetry.instrumentation.openai":    true,
	"opentelemetry.instrumentation.bedrock":   false,
}

// inputIncludesCache applies otelInputIncludesCache to the scope or to
// the scope it is a sub-scope of (opentelemetry.instrumentation.openai.v1
// is matched by opentelemetry.instrumentation.openai). An input smaller than
// the cache tokens cannot include them, whatever the scope. For a scope
// not in the table the convention decides: input includes the cache.
// NOTE: an unlisted instrumentation that reports uncached input larger
// than its cache tokens is read as inclusive and undercounts input.
func inputIncludesCache(scope string, input, cache int64) bool {
	if input < cache {
		return false
	}
	for name, inclusive := range otelInputIncludesCache {
		if scope == name || strings.HasPrefix(scope, name+".") {
			return inclusive
		}
	}
	return true
}

// fillUsage sets r's buckets. Cache writes carry no lifetime in the
// conventions, so they are billed as 5-minute writes.
func (a otelAttributes) fillUsage(r *analyze.Request, scope string) error {
	var v countReader
	input := a.count(&v, otelInputKeys)
	output := a.count(&v, otelOutputKeys)
	read := a.count(&v, otelCacheReadKeys)
	write := a.count(&v, otelCacheWriteKeys)
	if v.err != nil {
		return v.err
	}

	if inputIncludesCache(scope, input, read+write) {
		input -= read + write
	}
	r.Tokens[pricing.Input] = input
	r.Tokens[pricing.CacheRead] = read
	r.Tokens[pricing.CacheWrite5m] = write
	r.Tokens[pricing.Output] = output
	return nil
}
