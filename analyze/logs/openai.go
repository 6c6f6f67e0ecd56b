package logs

import (
	"encoding/json"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/pricing"
)

var openAIChatFormat = &format{
	name:        "openai-chat",
	description: "OpenAI Chat Completions responses (\"object\": \"chat.completion\"), one per line, per file or in a JSON array, optionally wrapped by a logger",
	detect: func(p *probe) bool {
		return str(p.response(), "object") == "chat.completion"
	},
	parse: parseOpenAIChat,
}

// openAIChatUsage is the usage object of a chat completion.
// prompt_tokens includes the cached and audio prompt tokens, and
// completion_tokens includes the reasoning and audio completion tokens.
type openAIChatUsage struct {
	PromptTokens     tokenCount `json:"prompt_tokens"`
	CompletionTokens tokenCount `json:"completion_tokens"`
	PromptDetails    *struct {
		CachedTokens tokenCount `json:"cached_tokens"`
		AudioTokens  tokenCount `json:"audio_tokens"`
	} `json:"prompt_tokens_details"`
	CompletionDetails *struct {
		ReasoningTokens tokenCount `json:"reasoning_tokens"`
		AudioTokens     tokenCount `json:"audio_tokens"`
	} `json:"completion_tokens_details"`
}

// fill splits the inclusive counts into exclusive buckets: input is
// prompt − cached − audio, output is completion − audio, and reasoning is
// recorded as the part of output it already is.
func (u *openAIChatUsage) fill(r *analyze.Request, path string) error {
	var v countReader
	prompt := v.read(u.PromptTokens, path+"prompt_tokens")
	completion := v.read(u.CompletionTokens, path+"completion_tokens")
	var cached, audioIn, reasoning, audioOut int64
	if d := u.PromptDetails; d != nil {
		cached = v.read(d.CachedTokens, path+"prompt_tokens_details.cached_tokens")
		audioIn = v.read(d.AudioTokens, path+"prompt_tokens_details.audio_tokens")
	}
	if d := u.CompletionDetails; d != nil {
		reasoning = v.read(d.ReasoningTokens, path+"completion_tokens_details.reasoning_tokens")
		audioOut = v.read(d.AudioTokens, path+"completion_tokens_details.audio_tokens")
	}
	if v.err != nil {
		return v.err
	}

	if prompt < cached+audioIn {
		return invalid(path+"prompt_tokens", "%d is less than its cached (%d) and audio (%d) parts", prompt, cached, audioIn)
	}
	if completion < audioOut {
		return invalid(path+"completion_tokens", "%d is less than its audio part %d", completion, audioOut)
	}
	r.Tokens[pricing.Input] = prompt - cached - audioIn
	r.Tokens[pricing.CacheRead] = cached
	r.Tokens[pricing.AudioIn] = audioIn
	r.Tokens[pricing.Output] = completion - audioOut
	r.Tokens[pricing.AudioOut] = audioOut
	r.Reasoning = reasoning
	return nil
}

// countReader checks a series of counts and keeps the first error.
type countReader struct{ err error }

func (v *countReader) read(c tokenCount, field string) int64 {
	n, err := c.check(field)
	if err != nil && v.err == nil {
		v.err = err
	}
	return n
}

type openAIChatCompletion struct {
	ID          flexString       `json:"id"`
	Object      string           `json:"object"`
	Created     timeValue        `json:"created"`
	Model       flexString       `json:"model"`
	ServiceTier flexString       `json:"service_tier"`
	Usage       *openAIChatUsage `json:"usage"`
}

type openAIChatRecord struct {
	openAIChatCompletion
	wrapperFields
	Response *openAIChatCompletion `json:"response"`
}

// parseOpenAIChat converts a chat completion; a wrapper's timestamp wins
// over created, which is when the response was created.
func parseOpenAIChat(data []byte) (*analyze.Request, error) {
	var rec openAIChatRecord
	if err := json.Unmarshal(data, &rec); err != nil {
		return nil, err
	}
	c, path := &rec.openAIChatCompletion, ""
	if rec.Response != nil {
		c, path = rec.Response, "response."
	}
	if c.Object != "chat.completion" {
		return nil, malformed("not an OpenAI chat completion (object %q)", c.Object)
	}

	r := &analyze.Request{Provider: "openai", ID: string(c.ID), Model: string(c.Model), ServiceTier: string(c.ServiceTier)}
	created, err := c.Created.check(path + "created")
	if err != nil {
		return nil, err
	}
	r.Time = created
	if c.Usage == nil {
		r.Status = analyze.StatusNoUsage
	} else if err := c.Usage.fill(r, path+"usage."); err != nil {
		return nil, err
	}

	if err := rec.wrapperFields.apply(r); err != nil {
		return nil, err
	}
	return r, nil
}
