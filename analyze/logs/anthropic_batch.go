package logs

import (
	"encoding/json"

	"github.com/costctl/costctl/analyze"
)

var anthropicBatchFormat = &format{
	name: "anthropic-batch-results",
	description: "Anthropic Message Batches results (JSON Lines with \"custom_id\" and a \"result\" that " +
		"succeeded, errored, was canceled or expired)",
	detect: func(p *probe) bool {
		return has(p.top, "custom_id", "result")
	},
	parse: parseAnthropicBatchResult,
}

// anthropicBatchResult is one line of a batch's results. custom_id is
// unique only within its batch, so it is not used as an id.
type anthropicBatchResult struct {
	CustomID flexString `json:"custom_id"`
	Result   *struct {
		Type    string            `json:"type"`
		Message *anthropicMessage `json:"message"`
	} `json:"result"`
	wrapperFields
}

// parseAnthropicBatchResult converts a result line billed at the batch
// tier. Anthropic bills only succeeded requests, so an errored, canceled or
// expired result becomes status rejected: a known $0. The results carry no
// time, so a wrapper's timestamp or the assumed time dates them.
func parseAnthropicBatchResult(data []byte) (*analyze.Request, error) {
	var line anthropicBatchResult
	if err := json.Unmarshal(data, &line); err != nil {
		return nil, err
	}
	if line.Result == nil {
		return nil, invalid("result", "missing")
	}

	r := &analyze.Request{Provider: "anthropic", Status: analyze.StatusRejected}
	switch line.Result.Type {
	case "succeeded":
		var err error
		if r, err = anthropicBatchMessage(line.Result.Message); err != nil {
			return nil, err
		}
	case "errored", "canceled", "expired":
	default:
		return nil, invalid("result.type", "unknown result type %q", line.Result.Type)
	}
	r.ServiceTier = "batch"
	if err := line.wrapperFields.apply(r); err != nil {
		return nil, err
	}
	return r, nil
}

func anthropicBatchMessage(msg *anthropicMessage) (*analyze.Request, error) {
	if msg == nil {
		return nil, invalid("result.message", "missing from a succeeded result")
	}
	r := &analyze.Request{Provider: "anthropic", ID: string(msg.ID), Model: string(msg.Model)}
	if msg.Usage == nil {
		r.Status = analyze.StatusNoUsage
		return r, nil
	}
	if err := msg.Usage.fill(r, "result.message.usage."); err != nil {
		return nil, err
	}
	return r, nil
}
