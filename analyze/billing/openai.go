package billing

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/costctl/costctl/pricing"
)

// parseOpenAIUsage reads one result of the organization usage API for
// completions. input_tokens includes input_cached_tokens and excludes
// audio (input_audio_tokens), so cached tokens are subtracted, never added.
func parseOpenAIUsage(res map[string]json.RawMessage, l *Line) error {
	l.Provider, l.Kind = "openai", KindUsage
	l.Model = text(res, "model")
	l.Project = text(res, "project_id")
	l.APIKey = text(res, "api_key_id")
	if batch(res) {
		l.ServiceTier = "batch"
	}

	fields := map[string]int64{}
	for _, k := range []string{"input_tokens", "input_cached_tokens", "output_tokens", "input_audio_tokens", "output_audio_tokens", "num_model_requests"} {
		v, err := count(res, k)
		if err != nil {
			return err
		}
		fields[k] = v
	}
	if fields["input_cached_tokens"] > fields["input_tokens"] {
		return fmt.Errorf("input_cached_tokens %d exceeds input_tokens %d", fields["input_cached_tokens"], fields["input_tokens"])
	}

	t := &l.Usage.Tokens
	t[pricing.Input] = fields["input_tokens"] - fields["input_cached_tokens"]
	t[pricing.CacheRead] = fields["input_cached_tokens"]
	t[pricing.Output] = fields["output_tokens"]
	t[pricing.AudioIn] = fields["input_audio_tokens"]
	t[pricing.AudioOut] = fields["output_audio_tokens"]
	l.Requests = fields["num_model_requests"]
	return nil
}

func batch(res map[string]json.RawMessage) bool {
	var b *bool
	if err := json.Unmarshal(res["batch"], &b); err != nil || b == nil {
		return false
	}
	return *b
}

// parseOpenAICost reads one result of the organization costs API. The
// amount is a JSON number in dollars, read from its text so that no
// float rounding enters.
func parseOpenAICost(res map[string]json.RawMessage, l *Line) error {
	l.Provider, l.Kind = "openai", KindCost
	l.Project = text(res, "project_id")
	l.LineItem = text(res, "line_item")
	l.Model = lineItemModel(l.LineItem)

	amount := object(res, "amount")
	l.Currency = strings.ToLower(text(amount, "currency"))
	var value json.Number
	if err := json.Unmarshal(amount["value"], &value); err != nil || value == "" {
		return fmt.Errorf("amount.value: missing or not a number")
	}
	p, err := picoFromDecimal(value.String(), 12)
	if err != nil {
		return fmt.Errorf("amount.value: %w", err)
	}
	l.Amount = p
	return nil
}

// lineItemModel takes the model from a line item such as
// "gpt-4o-2024-08-06, input".
// NOTE: the line item text is not a documented format; an item without a
// comma is taken as naming no model.
func lineItemModel(item string) string {
	model, _, ok := strings.Cut(item, ",")
	if !ok {
		return ""
	}
	return strings.TrimSpace(model)
}
