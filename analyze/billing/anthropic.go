package billing

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/costctl/costctl/pricing"
)

// parseAnthropicUsage reads one result of the Admin API messages usage
// report. uncached_input_tokens excludes the cache tokens, so the four
// input counts are already exclusive buckets.
func parseAnthropicUsage(res map[string]json.RawMessage, l *Line) error {
	l.Provider, l.Kind = "anthropic", KindUsage
	readAnthropicGroups(res, l)
	l.APIKey = text(res, "api_key_id")

	var err error
	t := &l.Usage.Tokens
	if t[pricing.Input], err = count(res, "uncached_input_tokens"); err != nil {
		return err
	}
	if t[pricing.CacheRead], err = count(res, "cache_read_input_tokens"); err != nil {
		return err
	}
	if t[pricing.Output], err = count(res, "output_tokens"); err != nil {
		return err
	}
	if err := readCacheCreation(res, l); err != nil {
		return err
	}
	return readServerTools(res, l)
}

// readCacheCreation reads cache_creation.ephemeral_5m/1h_input_tokens.
func readCacheCreation(res map[string]json.RawMessage, l *Line) error {
	cc := object(res, "cache_creation")
	var err error
	if l.Usage.Tokens[pricing.CacheWrite5m], err = count(cc, "ephemeral_5m_input_tokens"); err != nil {
		return fmt.Errorf("cache_creation.%w", err)
	}
	if l.Usage.Tokens[pricing.CacheWrite1h], err = count(cc, "ephemeral_1h_input_tokens"); err != nil {
		return fmt.Errorf("cache_creation.%w", err)
	}
	return nil
}

// readServerTools reads server_tool_use.web_search_requests.
// NOTE: code_execution_requests is read when present, but the documented
// object lists web searches only, so code execution usually shows up only
// as a cost report line.
func readServerTools(res map[string]json.RawMessage, l *Line) error {
	tools := object(res, "server_tool_use")
	var err error
	if l.Usage.WebSearches, err = count(tools, "web_search_requests"); err != nil {
		return fmt.Errorf("server_tool_use.%w", err)
	}
	if l.CodeExecution, err = count(tools, "code_execution_requests"); err != nil {
		return fmt.Errorf("server_tool_use.%w", err)
	}
	return nil
}

func readAnthropicGroups(res map[string]json.RawMessage, l *Line) {
	l.Model = text(res, "model")
	l.ServiceTier = text(res, "service_tier")
	l.ContextWindow = text(res, "context_window")
	l.InferenceGeo = text(res, "inference_geo")
	l.Workspace = text(res, "workspace_id")
}

// parseAnthropicCost reads one result of the Admin API cost report. Its
// amount is a decimal string in the currency's lowest unit: "123.45" USD
// is 123.45 cents, $1.2345.
func parseAnthropicCost(res map[string]json.RawMessage, l *Line) error {
	l.Provider, l.Kind = "anthropic", KindCost
	readAnthropicGroups(res, l)
	l.CostType = text(res, "cost_type")
	l.TokenType = text(res, "token_type")
	l.Description = text(res, "description")
	l.Currency = strings.ToLower(text(res, "currency"))

	amount := text(res, "amount")
	if amount == "" {
		return fmt.Errorf("amount: missing or not a string")
	}
	cents, err := picoFromDecimal(amount, 10)
	if err != nil {
		return fmt.Errorf("amount: %w", err)
	}
	l.Amount = cents
	return nil
}
