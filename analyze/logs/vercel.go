package logs

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/pricing"
)

var vercelAISDKFormat = &format{
	name:        "vercel-ai-sdk",
	description: "usage records logged from the Vercel AI SDK (provider, modelId, usage with inputTokens), v5 and v6 usage shapes",
	detect:      detectVercelAISDK,
	parse:       parseVercelAISDK,
}

func detectVercelAISDK(p *probe) bool {
	usage, ok := p.top["usage"]
	if !ok || !bytes.Contains(usage, []byte(`"inputTokens"`)) {
		return false
	}
	// Bedrock Converse responses have a usage object with inputTokens too,
	// beside stopReason and output, which the SDK's records do not have.
	if has(p.top, "stopReason") || has(p.top, "output") {
		return false
	}
	return has(p.top, "modelId") || has(p.top, "provider") || has(p.top, "response")
}

// vercelUsage holds both usage shapes. AI SDK 6 adds inputTokenDetails and
// outputTokenDetails, and its inputTokens includes the cache reads and
// writes. AI SDK 5 has cachedInputTokens and reasoningTokens beside
// inputTokens, which holds what the provider reported as input.
type vercelUsage struct {
	InputTokens  tokenCount `json:"inputTokens"`
	OutputTokens tokenCount `json:"outputTokens"`
	InputDetails *struct {
		CacheReadTokens  tokenCount `json:"cacheReadTokens"`
		CacheWriteTokens tokenCount `json:"cacheWriteTokens"`
	} `json:"inputTokenDetails"`
	OutputDetails *struct {
		ReasoningTokens tokenCount `json:"reasoningTokens"`
	} `json:"outputTokenDetails"`
	CachedInputTokens tokenCount `json:"cachedInputTokens"`
	ReasoningTokens   tokenCount `json:"reasoningTokens"`
}

type vercelRecord struct {
	wrapperFields
	Provider flexString   `json:"provider"`
	ModelID  flexString   `json:"modelId"`
	Usage    *vercelUsage `json:"usage"`
	Response *struct {
		ID        flexString `json:"id"`
		ModelID   flexString `json:"modelId"`
		Timestamp timeValue  `json:"timestamp"`
	} `json:"response"`
	ProviderMetadata *struct {
		Anthropic *struct {
			CacheCreationInputTokens tokenCount `json:"cacheCreationInputTokens"`
		} `json:"anthropic"`
	} `json:"providerMetadata"`
}

// parseVercelAISDK converts one logged usage record. A wrapper timestamp
// wins over response.timestamp, which is when the response started.
func parseVercelAISDK(data []byte) (*analyze.Request, error) {
	var rec vercelRecord
	if err := json.Unmarshal(data, &rec); err != nil {
		return nil, err
	}
	r := &analyze.Request{Provider: vercelProvider(string(rec.Provider)), Model: string(rec.ModelID)}
	if err := rec.fillResponse(r); err != nil {
		return nil, err
	}

	switch {
	case rec.Usage == nil:
		r.Status = analyze.StatusNoUsage
	case rec.Usage.InputDetails != nil || rec.Usage.OutputDetails != nil:
		if err := rec.Usage.fillV6(r); err != nil {
			return nil, err
		}
	default:
		if err := rec.fillV5(r); err != nil {
			return nil, err
		}
	}
	if err := rec.wrapperFields.apply(r); err != nil {
		return nil, err
	}
	return r, nil
}

func (rec *vercelRecord) fillResponse(r *analyze.Request) error {
	if rec.Response == nil {
		return nil
	}
	t, err := rec.Response.Timestamp.check("response.timestamp")
	if err != nil {
		return err
	}
	r.Time, r.ID = t, string(rec.Response.ID)
	if r.Model == "" {
		r.Model = string(rec.Response.ModelID)
	}
	return nil
}

// vercelProvider maps the SDK's provider id ("anthropic.messages",
// "openai.responses", "google.vertex.chat", "amazon-bedrock") to a
// canonical provider.
func vercelProvider(id string) string {
	id = strings.ToLower(strings.TrimSpace(id))
	if strings.HasPrefix(id, "google.vertex") || strings.HasPrefix(id, "vertex") {
		return "vertex_ai"
	}
	first, _, _ := strings.Cut(id, ".")
	return canonicalProvider(first)
}

// fillV6 splits the cache-inclusive inputTokens. Cache writes carry no
// lifetime, so they are billed as 5-minute writes.
func (u *vercelUsage) fillV6(r *analyze.Request) error {
	var v countReader
	input := v.read(u.InputTokens, "usage.inputTokens")
	var read, write int64
	if d := u.InputDetails; d != nil {
		read = v.read(d.CacheReadTokens, "usage.inputTokenDetails.cacheReadTokens")
		write = v.read(d.CacheWriteTokens, "usage.inputTokenDetails.cacheWriteTokens")
	}
	r.Tokens[pricing.Output] = v.read(u.OutputTokens, "usage.outputTokens")
	if d := u.OutputDetails; d != nil {
		r.Reasoning = v.read(d.ReasoningTokens, "usage.outputTokenDetails.reasoningTokens")
	}
	if v.err != nil {
		return v.err
	}

	if input < read+write {
		return invalid("usage.inputTokens", "%d is less than its cache reads (%d) and writes (%d)", input, read, write)
	}
	r.Tokens[pricing.Input] = input - read - write
	r.Tokens[pricing.CacheRead] = read
	r.Tokens[pricing.CacheWrite5m] = write
	return nil
}

// fillV5 reads the AI SDK 5 shape, whose inputTokens is the provider's own
// input count. The Anthropic API's count (also through Vertex AI) and
// Bedrock's exclude cache tokens, and the SDK reports Anthropic cache
// writes in providerMetadata.anthropic only. Every other provider's count
// (OpenAI, Google) includes the cached tokens.
func (rec *vercelRecord) fillV5(r *analyze.Request) error {
	u := rec.Usage
	var v countReader
	input := v.read(u.InputTokens, "usage.inputTokens")
	cached := v.read(u.CachedInputTokens, "usage.cachedInputTokens")
	r.Tokens[pricing.Output] = v.read(u.OutputTokens, "usage.outputTokens")
	r.Reasoning = v.read(u.ReasoningTokens, "usage.reasoningTokens")
	if m := rec.ProviderMetadata; m != nil && m.Anthropic != nil {
		r.Tokens[pricing.CacheWrite5m] = v.read(m.Anthropic.CacheCreationInputTokens, "providerMetadata.anthropic.cacheCreationInputTokens")
	}
	if v.err != nil {
		return v.err
	}

	r.Tokens[pricing.CacheRead] = cached
	if strings.Contains(string(rec.Provider), "anthropic") || r.Provider == "aws_bedrock" {
		r.Tokens[pricing.Input] = input
		return nil
	}
	if input < cached {
		return invalid("usage.inputTokens", "%d is less than its cached part %d", input, cached)
	}
	r.Tokens[pricing.Input] = input - cached
	return nil
}
