package logs

import (
	"encoding/json"
	"strings"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/pricing"
)

var heliconeFormat = &format{
	name:        "helicone",
	description: "Helicone request exports (request_id, request_created_at, prompt_tokens, prompt_cache_read_tokens, cost, …) as JSON, JSON Lines or CSV",
	detect: func(p *probe) bool {
		return has(p.top, "request_id", "request_created_at") &&
			(has(p.top, "prompt_tokens") || has(p.top, "completion_tokens"))
	},
	parse: parseHelicone,
	detectCSV: func(header []string) bool {
		return csvHasColumns(header, "request_id", "request_created_at", "prompt_tokens")
	},
	newCSV: csvAsJSON(parseHelicone),
}

// heliconeRequest is one request of Helicone's request export. Helicone's
// request_id and response_id are its own; the provider's response id is
// in response_body, present when the export includes bodies.
type heliconeRequest struct {
	RequestCreatedAt timeValue  `json:"request_created_at"`
	Provider         flexString `json:"provider"`
	Model            flexString `json:"model"`
	ResponseModel    flexString `json:"response_model"`
	RequestModel     flexString `json:"request_model"`
	UserID           flexString `json:"request_user_id"`
	User             flexString `json:"user_id"`
	ResponseStatus   tokenCount `json:"response_status"`
	PromptTokens     tokenCount `json:"prompt_tokens"`
	CompletionTokens tokenCount `json:"completion_tokens"`
	CacheReadTokens  tokenCount `json:"prompt_cache_read_tokens"`
	CacheWriteTokens tokenCount `json:"prompt_cache_write_tokens"`
	PromptAudio      tokenCount `json:"prompt_audio_tokens"`
	CompletionAudio  tokenCount `json:"completion_audio_tokens"`
	Cost             optFloat   `json:"cost"`
	CostUSD          optFloat   `json:"cost_usd"`
	DelayMS          tokenCount `json:"delay_ms"`
	TimeToFirstToken tokenCount `json:"time_to_first_token"`
	CacheHit         flexString `json:"cache_hit"`
	ResponseBody     *struct {
		ID flexString `json:"id"`
	} `json:"response_body"`
}

// parseHelicone converts one exported request. A response served from
// Helicone's own cache made no provider call, so it is skipped.
func parseHelicone(data []byte) (*analyze.Request, error) {
	var rec heliconeRequest
	if err := json.Unmarshal(data, &rec); err != nil {
		return nil, err
	}
	if strings.EqualFold(string(rec.CacheHit), "true") {
		return nil, nil
	}

	t, err := rec.RequestCreatedAt.check("request_created_at")
	if err != nil {
		return nil, err
	}
	r := &analyze.Request{Time: t, Provider: canonicalProvider(string(rec.Provider)), Model: rec.model()}
	r.User = string(rec.UserID)
	setIfEmpty(&r.User, rec.User)
	if rec.ResponseBody != nil {
		r.ID = string(rec.ResponseBody.ID)
	}

	if err := rec.fill(r); err != nil {
		return nil, err
	}
	cost, field := rec.Cost, "cost"
	if !cost.set && cost.bad == "" {
		cost, field = rec.CostUSD, "cost_usd"
	}
	return r, fillLoggedCost(r, cost, field)
}

func (rec *heliconeRequest) model() string {
	for _, m := range []flexString{rec.ResponseModel, rec.Model, rec.RequestModel} {
		if m != "" {
			return string(m)
		}
	}
	return ""
}

// fill sets the buckets and the status. prompt_tokens is read as
// including the cache and audio tokens when it is large enough to.
func (rec *heliconeRequest) fill(r *analyze.Request) error {
	var v countReader
	prompt := v.read(rec.PromptTokens, "prompt_tokens")
	completion := v.read(rec.CompletionTokens, "completion_tokens")
	read := v.read(rec.CacheReadTokens, "prompt_cache_read_tokens")
	write := v.read(rec.CacheWriteTokens, "prompt_cache_write_tokens")
	audioIn := v.read(rec.PromptAudio, "prompt_audio_tokens")
	audioOut := v.read(rec.CompletionAudio, "completion_audio_tokens")
	status := v.read(rec.ResponseStatus, "response_status")
	r.LatencyMS = v.read(rec.DelayMS, "delay_ms")
	r.TTFTMS = v.read(rec.TimeToFirstToken, "time_to_first_token")
	if v.err != nil {
		return v.err
	}

	r.Tokens[pricing.Input] = withoutPart(prompt, read+write+audioIn)
	r.Tokens[pricing.CacheRead] = read
	r.Tokens[pricing.CacheWrite5m] = write
	r.Tokens[pricing.AudioIn] = audioIn
	r.Tokens[pricing.Output] = withoutPart(completion, audioOut)
	r.Tokens[pricing.AudioOut] = audioOut
	if status >= 400 {
		r.Status = analyze.StatusError
		if r.Total() == 0 {
			r.Status = analyze.StatusRejected
		}
	}
	return nil
}
