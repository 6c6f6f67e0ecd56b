package logs

import (
	"encoding/json"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/pricing"
)

var anthropicMessagesFormat = &format{
	name:        "anthropic-messages",
	description: "Anthropic Messages API responses (\"type\": \"message\"), one per line, per file or in a JSON array, optionally wrapped by a logger",
	detect:      detectAnthropicMessage,
	parse:       parseAnthropicMessage,
}

func detectAnthropicMessage(p *probe) bool {
	m := p.response()
	switch str(m, "type") {
	case "message":
		return has(m, "usage") && !has(p.top, "sessionId")
	case "error":
		return has(m, "error") && !has(m, "object")
	}
	return false
}

// anthropicUsage is the usage object of a Messages API response.
// input_tokens excludes cache reads and writes, and
// cache_creation_input_tokens is the sum of the 5-minute and 1-hour writes.
type anthropicUsage struct {
	InputTokens              tokenCount `json:"input_tokens"`
	CacheCreationInputTokens tokenCount `json:"cache_creation_input_tokens"`
	CacheReadInputTokens     tokenCount `json:"cache_read_input_tokens"`
	CacheCreation            *struct {
		Ephemeral5m tokenCount `json:"ephemeral_5m_input_tokens"`
		Ephemeral1h tokenCount `json:"ephemeral_1h_input_tokens"`
	} `json:"cache_creation"`
	OutputTokens  tokenCount `json:"output_tokens"`
	ServiceTier   flexString `json:"service_tier"`
	InferenceGeo  flexString `json:"inference_geo"`
	Speed         flexString `json:"speed"`
	ServerToolUse *struct {
		WebSearchRequests tokenCount `json:"web_search_requests"`
	} `json:"server_tool_use"`
}

// fill sets r's token buckets and price modifiers; path prefixes the field
// names in errors ("usage.", "message.usage.").
func (u *anthropicUsage) fill(r *analyze.Request, path string) error {
	counts := []struct {
		c     tokenCount
		field string
		dst   *int64
	}{
		{u.InputTokens, "input_tokens", &r.Tokens[pricing.Input]},
		{u.CacheReadInputTokens, "cache_read_input_tokens", &r.Tokens[pricing.CacheRead]},
		{u.OutputTokens, "output_tokens", &r.Tokens[pricing.Output]},
	}
	for _, c := range counts {
		n, err := c.c.check(path + c.field)
		if err != nil {
			return err
		}
		*c.dst = n
	}
	if err := u.fillCacheWrites(r, path); err != nil {
		return err
	}
	if u.ServerToolUse != nil {
		n, err := u.ServerToolUse.WebSearchRequests.check(path + "server_tool_use.web_search_requests")
		if err != nil {
			return err
		}
		r.WebSearches = n
	}

	r.ServiceTier = string(u.ServiceTier)
	r.InferenceGeo = string(u.InferenceGeo)
	r.Speed = string(u.Speed)
	return nil
}

// fillCacheWrites splits the cache writes by lifetime. Without the
// cache_creation split every write is a 5-minute write. When the total
// exceeds the split, the unsplit rest is billed as 5-minute writes too.
func (u *anthropicUsage) fillCacheWrites(r *analyze.Request, path string) error {
	total, err := u.CacheCreationInputTokens.check(path + "cache_creation_input_tokens")
	if err != nil {
		return err
	}
	var w5m, w1h int64
	if u.CacheCreation != nil {
		if w5m, err = u.CacheCreation.Ephemeral5m.check(path + "cache_creation.ephemeral_5m_input_tokens"); err != nil {
			return err
		}
		if w1h, err = u.CacheCreation.Ephemeral1h.check(path + "cache_creation.ephemeral_1h_input_tokens"); err != nil {
			return err
		}
	}
	if rest := total - w5m - w1h; rest > 0 {
		w5m += rest
	}
	r.Tokens[pricing.CacheWrite5m] = w5m
	r.Tokens[pricing.CacheWrite1h] = w1h
	return nil
}

// anthropicMessage is a Messages API response or error object.
type anthropicMessage struct {
	ID        flexString      `json:"id"`
	Type      string          `json:"type"`
	Model     flexString      `json:"model"`
	Usage     *anthropicUsage `json:"usage"`
	RequestID flexString      `json:"request_id"`
}

type anthropicRecord struct {
	anthropicMessage
	wrapperFields
	Response *anthropicMessage `json:"response"`
}

// parseAnthropicMessage converts a response. An error object ("type":
// "error": overloaded, rate limited, invalid request) becomes a request
// with status rejected: the API did no billed work, so it is a known $0,
// kept so that error rates and retries can be reported.
func parseAnthropicMessage(data []byte) (*analyze.Request, error) {
	var rec anthropicRecord
	if err := json.Unmarshal(data, &rec); err != nil {
		return nil, err
	}
	msg, path := &rec.anthropicMessage, "usage."
	if rec.Response != nil {
		msg, path = rec.Response, "response.usage."
	}

	r := &analyze.Request{Provider: "anthropic", Model: string(msg.Model)}
	switch {
	case msg.Type == "error":
		r.Status = analyze.StatusRejected
		r.RequestID = string(msg.RequestID)
	case msg.Type != "message":
		return nil, malformed("not an Anthropic Messages response (type %q)", msg.Type)
	case msg.Usage == nil:
		r.ID, r.Status = string(msg.ID), analyze.StatusNoUsage
	default:
		r.ID = string(msg.ID)
		if err := msg.Usage.fill(r, path); err != nil {
			return nil, err
		}
	}
	if err := rec.wrapperFields.apply(r); err != nil {
		return nil, err
	}
	return r, nil
}
