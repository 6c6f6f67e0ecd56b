package logs

import (
	"encoding/json"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/pricing"
)

var bedrockConverseFormat = &format{
	name: "bedrock-converse",
	description: "Amazon Bedrock Converse responses (\"usage\" with \"inputTokens\"), with the modelId a logger " +
		"adds, one per line, per file or in a JSON array",
	detect: detectBedrockConverse,
	parse:  parseBedrockConverse,
}

func detectBedrockConverse(p *probe) bool {
	m := p.response()
	if !has(m, "usage") || !(has(m, "output") || has(m, "stopReason")) {
		return false
	}
	var usage map[string]json.RawMessage
	_ = json.Unmarshal(m["usage"], &usage)
	return has(usage, "inputTokens")
}

// bedrockUsage is the usage of a Converse response. cacheDetails splits
// the cache writes by TTL.
// NOTE: the Bedrock API reference (TokenUsage) does not say whether
// inputTokens includes the cache reads and writes. For Anthropic models it
// excludes them, as Anthropic's input_tokens does, and it is read so.
type bedrockUsage struct {
	InputTokens           tokenCount `json:"inputTokens"`
	OutputTokens          tokenCount `json:"outputTokens"`
	CacheReadInputTokens  tokenCount `json:"cacheReadInputTokens"`
	CacheWriteInputTokens tokenCount `json:"cacheWriteInputTokens"`
	CacheDetails          []struct {
		TTL         string     `json:"ttl"`
		InputTokens tokenCount `json:"inputTokens"`
	} `json:"cacheDetails"`
}

func (u *bedrockUsage) fill(r *analyze.Request, path string) error {
	var v countReader
	r.Tokens[pricing.Input] = v.read(u.InputTokens, path+"inputTokens")
	r.Tokens[pricing.Output] = v.read(u.OutputTokens, path+"outputTokens")
	r.Tokens[pricing.CacheRead] = v.read(u.CacheReadInputTokens, path+"cacheReadInputTokens")
	writes := v.read(u.CacheWriteInputTokens, path+"cacheWriteInputTokens")
	var w1h int64
	for _, d := range u.CacheDetails {
		n := v.read(d.InputTokens, path+"cacheDetails.inputTokens")
		if d.TTL == "1h" {
			w1h += n
		}
	}
	if v.err != nil {
		return v.err
	}

	// Writes not listed as 1-hour are 5-minute writes, the default TTL.
	if w1h > writes {
		return invalid(path+"cacheWriteInputTokens", "%d is less than the 1-hour writes in cacheDetails (%d)", writes, w1h)
	}
	r.Tokens[pricing.CacheWrite5m] = writes - w1h
	r.Tokens[pricing.CacheWrite1h] = w1h
	return nil
}

type bedrockConverse struct {
	Usage   *bedrockUsage `json:"usage"`
	Metrics *struct {
		LatencyMs tokenCount `json:"latencyMs"`
	} `json:"metrics"`
	ResponseMetadata *struct {
		RequestID flexString `json:"RequestId"`
	} `json:"ResponseMetadata"`
}

type bedrockRecord struct {
	bedrockConverse
	wrapperFields
	ModelID  flexString       `json:"modelId"`
	Model    flexString       `json:"model"`
	Response *bedrockConverse `json:"response"`
}

// parseBedrockConverse converts a response. The response body names no
// model, so the logger's modelId (or model) is the model. Converse has no response
// id, but the AWS request id that boto3 returns in ResponseMetadata is
// unique per call, so it serves as the id.
func parseBedrockConverse(data []byte) (*analyze.Request, error) {
	var rec bedrockRecord
	if err := json.Unmarshal(data, &rec); err != nil {
		return nil, err
	}
	c, path := &rec.bedrockConverse, ""
	if rec.Response != nil {
		c, path = rec.Response, "response."
	}

	r := &analyze.Request{Provider: "aws_bedrock", Model: string(rec.ModelID)}
	if r.Model == "" {
		r.Model = string(rec.Model)
	}
	if c.ResponseMetadata != nil {
		r.ID = string(c.ResponseMetadata.RequestID)
	}
	if c.Metrics != nil {
		latency, err := c.Metrics.LatencyMs.check(path + "metrics.latencyMs")
		if err != nil {
			return nil, err
		}
		r.LatencyMS = latency
	}
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
