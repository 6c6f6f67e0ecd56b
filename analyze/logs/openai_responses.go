package logs

import (
	"encoding/json"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/pricing"
)

var openAIResponsesFormat = &format{
	name: "openai-responses",
	description: "OpenAI Responses API objects (\"object\": \"response\"), one per line, per file or in a JSON array, " +
		"optionally wrapped by a logger or in a response.completed stream event",
	detect: func(p *probe) bool {
		return str(p.response(), "object") == "response"
	},
	parse: parseOpenAIResponse,
}

// openAIResponsesUsage is the usage object of a response. input_tokens
// includes the cached tokens and output_tokens includes the reasoning
// tokens.
type openAIResponsesUsage struct {
	InputTokens  tokenCount `json:"input_tokens"`
	OutputTokens tokenCount `json:"output_tokens"`
	InputDetails *struct {
		CachedTokens tokenCount `json:"cached_tokens"`
	} `json:"input_tokens_details"`
	OutputDetails *struct {
		ReasoningTokens tokenCount `json:"reasoning_tokens"`
	} `json:"output_tokens_details"`
}

// fill sets input = input_tokens − cached, cache read = cached, and output
// = output_tokens, of which reasoning is a part.
func (u *openAIResponsesUsage) fill(r *analyze.Request, path string) error {
	var v countReader
	input := v.read(u.InputTokens, path+"input_tokens")
	output := v.read(u.OutputTokens, path+"output_tokens")
	var cached, reasoning int64
	if d := u.InputDetails; d != nil {
		cached = v.read(d.CachedTokens, path+"input_tokens_details.cached_tokens")
	}
	if d := u.OutputDetails; d != nil {
		reasoning = v.read(d.ReasoningTokens, path+"output_tokens_details.reasoning_tokens")
	}
	if v.err != nil {
		return v.err
	}

	if input < cached {
		return invalid(path+"input_tokens", "%d is less than its cached part %d", input, cached)
	}
	r.Tokens[pricing.Input] = input - cached
	r.Tokens[pricing.CacheRead] = cached
	r.Tokens[pricing.Output] = output
	r.Reasoning = reasoning
	return nil
}

type openAIResponse struct {
	ID          flexString            `json:"id"`
	Object      string                `json:"object"`
	CreatedAt   timeValue             `json:"created_at"`
	Status      flexString            `json:"status"`
	Model       flexString            `json:"model"`
	ServiceTier flexString            `json:"service_tier"`
	Usage       *openAIResponsesUsage `json:"usage"`
	Output      []struct {
		Type string `json:"type"`
	} `json:"output"`
}

type openAIResponseRecord struct {
	openAIResponse
	wrapperFields
	Response *openAIResponse `json:"response"`
}

// parseOpenAIResponse converts a response. Web searches are counted from
// the web_search_call items of the output, because a declared tool is
// billed only when the model calls it. A failed response with usage is
// billed as logged with status error, and one without usage has an
// unknown cost.
func parseOpenAIResponse(data []byte) (*analyze.Request, error) {
	var rec openAIResponseRecord
	if err := json.Unmarshal(data, &rec); err != nil {
		return nil, err
	}
	resp, path := &rec.openAIResponse, ""
	if rec.Response != nil {
		resp, path = rec.Response, "response."
	}
	r, err := resp.request(path)
	if err != nil {
		return nil, err
	}
	if err := rec.wrapperFields.apply(r); err != nil {
		return nil, err
	}
	return r, nil
}

func (resp *openAIResponse) request(path string) (*analyze.Request, error) {
	if resp.Object != "response" {
		return nil, malformed("not an OpenAI Responses API object (object %q)", resp.Object)
	}
	r := &analyze.Request{Provider: "openai", ID: string(resp.ID), Model: string(resp.Model), ServiceTier: string(resp.ServiceTier)}
	created, err := resp.CreatedAt.check(path + "created_at")
	if err != nil {
		return nil, err
	}
	r.Time = created

	switch {
	case resp.Usage == nil:
		r.Status = analyze.StatusNoUsage
		return r, nil
	case resp.Status == "failed":
		r.Status = analyze.StatusError
	}
	if err := resp.Usage.fill(r, path+"usage."); err != nil {
		return nil, err
	}
	for _, item := range resp.Output {
		if item.Type == "web_search_call" {
			r.WebSearches++
		}
	}
	return r, nil
}
