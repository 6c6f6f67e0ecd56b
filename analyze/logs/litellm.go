package logs

import (
	"encoding/json"
	"strings"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/pricing"
)

var liteLLMSpendFormat = &format{
	name:        "litellm-spend",
	description: "LiteLLM proxy spend logs (LiteLLM_SpendLogs rows: request_id, model, spend, prompt_tokens, …) as JSON or CSV",
	detect: func(p *probe) bool {
		return has(p.top, "request_id", "spend", "startTime") && (has(p.top, "prompt_tokens") || has(p.top, "total_tokens"))
	},
	parse: parseLiteLLMSpend,
	detectCSV: func(header []string) bool {
		return csvHasColumns(header, "request_id", "spend", "prompt_tokens", "starttime")
	},
	newCSV: csvAsJSON(parseLiteLLMSpend),
}

type liteLLMSpendLog struct {
	RequestID         flexString `json:"request_id"`
	Model             flexString `json:"model"`
	CustomLLMProvider flexString `json:"custom_llm_provider"`
	APIBase           flexString `json:"api_base"`
	APIKey            flexString `json:"api_key"`
	Spend             optFloat   `json:"spend"`
	PromptTokens      tokenCount `json:"prompt_tokens"`
	CompletionTokens  tokenCount `json:"completion_tokens"`
	StartTime         timeValue  `json:"startTime"`
	User              flexString `json:"user"`
	EndUser           flexString `json:"end_user"`
	TeamID            flexString `json:"team_id"`
	SessionID         flexString `json:"session_id"`
	Status            flexString `json:"status"`
	CacheHit          flexString `json:"cache_hit"`
	Metadata          *struct {
		UsageObject *liteLLMUsage `json:"usage_object"`
	} `json:"metadata"`
}

// liteLLMUsage is LiteLLM's OpenAI-shaped usage object, with the Anthropic
// cache counts beside it.
type liteLLMUsage struct {
	PromptTokens     tokenCount `json:"prompt_tokens"`
	CompletionTokens tokenCount `json:"completion_tokens"`
	CacheRead        tokenCount `json:"cache_read_input_tokens"`
	CacheCreation    tokenCount `json:"cache_creation_input_tokens"`
	PromptDetails    *struct {
		CachedTokens tokenCount `json:"cached_tokens"`
	} `json:"prompt_tokens_details"`
	CompletionDetails *struct {
		ReasoningTokens tokenCount `json:"reasoning_tokens"`
	} `json:"completion_tokens_details"`
}

// parseLiteLLMSpend converts a spend log row. A cache hit of LiteLLM's own
// response cache made no provider call, so it is skipped. request_id is
// the provider's response id (chatcmpl-…, msg_…), so a request also found
// in an application log is stored once.
func parseLiteLLMSpend(data []byte) (*analyze.Request, error) {
	var rec liteLLMSpendLog
	if err := json.Unmarshal(data, &rec); err != nil {
		return nil, err
	}
	if strings.EqualFold(string(rec.CacheHit), "true") {
		return nil, nil
	}

	t, err := rec.StartTime.check("startTime")
	if err != nil {
		return nil, err
	}
	provider := liteLLMProvider(&rec)
	r := &analyze.Request{
		ID: string(rec.RequestID), Time: t, Provider: provider,
		Model: strings.TrimPrefix(string(rec.Model), provider+"/"),
		User:  string(rec.User), Customer: string(rec.EndUser), Project: string(rec.TeamID),
		Session: string(rec.SessionID), APIKey: string(rec.APIKey),
	}
	if err := rec.fillUsage(r); err != nil {
		return nil, err
	}
	if err := fillLoggedCost(r, rec.Spend, "spend"); err != nil {
		return nil, err
	}
	if strings.EqualFold(string(rec.Status), "failure") && r.Total() == 0 {
		r.Status = analyze.StatusRejected
	}
	return r, nil
}

// liteLLMHosts maps provider API hosts to providers, for rows without
// custom_llm_provider.
var liteLLMHosts = map[string]string{
	"api.openai.com": "openai", "api.anthropic.com": "anthropic",
	"generativelanguage.googleapis.com": "google", "aiplatform.googleapis.com": "vertex_ai",
	"bedrock-runtime": "aws_bedrock",
}

func liteLLMProvider(rec *liteLLMSpendLog) string {
	if p := string(rec.CustomLLMProvider); p != "" {
		return canonicalProvider(p)
	}
	for host, p := range liteLLMHosts {
		if strings.Contains(string(rec.APIBase), host) {
			return p
		}
	}
	if prefix, _, ok := strings.Cut(string(rec.Model), "/"); ok {
		return canonicalProvider(prefix)
	}
	return ""
}

// fillUsage prefers metadata.usage_object, which has the cache counts,
// over the top-level prompt_tokens and completion_tokens.
func (rec *liteLLMSpendLog) fillUsage(r *analyze.Request) error {
	u := &liteLLMUsage{PromptTokens: rec.PromptTokens, CompletionTokens: rec.CompletionTokens}
	path := ""
	if rec.Metadata != nil && rec.Metadata.UsageObject != nil {
		u, path = rec.Metadata.UsageObject, "metadata.usage_object."
	}

	var v countReader
	prompt := v.read(u.PromptTokens, path+"prompt_tokens")
	read := v.read(u.CacheRead, path+"cache_read_input_tokens")
	write := v.read(u.CacheCreation, path+"cache_creation_input_tokens")
	if d := u.PromptDetails; d != nil && read == 0 {
		read = v.read(d.CachedTokens, path+"prompt_tokens_details.cached_tokens")
	}
	r.Tokens[pricing.Output] = v.read(u.CompletionTokens, path+"completion_tokens")
	if d := u.CompletionDetails; d != nil {
		r.Reasoning = v.read(d.ReasoningTokens, path+"completion_tokens_details.reasoning_tokens")
	}

	r.Tokens[pricing.Input] = withoutPart(prompt, read+write)
	r.Tokens[pricing.CacheRead] = read
	r.Tokens[pricing.CacheWrite5m] = write
	return v.err
}

// fillLoggedCost keeps the cost the export reports, rejecting a bad value.
func fillLoggedCost(r *analyze.Request, cost optFloat, field string) error {
	if cost.bad != "" {
		return invalid(field, "%s", cost.bad)
	}
	if cost.set && cost.v < 0 {
		return invalid(field, "negative cost %v", cost.v)
	}
	r.LoggedCostUSD, r.HasLoggedCost = cost.v, cost.set
	return nil
}
