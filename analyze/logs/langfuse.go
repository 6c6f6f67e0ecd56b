package logs

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/pricing"
)

var langfuseFormat = &format{
	name:        "langfuse",
	description: "Langfuse observation exports: observations one per line or in an array, or API pages ({\"data\": [...]}); one request per GENERATION",
	detect:      detectLangfuse,
	parseParts:  parseLangfuse,
}

func detectLangfuse(p *probe) bool {
	if raw, ok := p.top["data"]; ok {
		return bytes.Contains(raw, []byte(`"traceId"`)) && bytes.Contains(raw, []byte(`"GENERATION"`))
	}
	return has(p.top, "traceId", "type", "startTime")
}

// langfuseObservation is an observation as the Langfuse public API and the
// UI export write it.
type langfuseObservation struct {
	Type                string                `json:"type"`
	StartTime           timeValue             `json:"startTime"`
	Model               flexString            `json:"model"`
	Usage               *langfuseUsage        `json:"usage"`
	UsageDetails        map[string]tokenCount `json:"usageDetails"`
	CalculatedTotalCost optFloat              `json:"calculatedTotalCost"`
	CostDetails         *struct {
		Total optFloat `json:"total"`
	} `json:"costDetails"`
	Level flexString `json:"level"`
}

type langfuseUsage struct {
	Input  tokenCount `json:"input"`
	Output tokenCount `json:"output"`
}

// parseLangfuse converts one observation or every observation of a page.
func parseLangfuse(data []byte) []part {
	var page struct {
		Data []json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(data, &page); err != nil {
		return []part{{err: err}}
	}
	if page.Data == nil {
		return langfuseParts(data, nil)
	}

	var parts []part
	for _, obs := range page.Data {
		parts = append(parts, langfuseParts(obs, obs)...)
	}
	return parts
}

func langfuseParts(data, raw []byte) []part {
	var obs langfuseObservation
	if err := json.Unmarshal(data, &obs); err != nil {
		return []part{{err: err, raw: raw}}
	}
	if obs.Type != "GENERATION" {
		return nil
	}
	r, err := obs.request()
	return []part{{req: r, err: err, raw: raw}}
}

func (o *langfuseObservation) request() (*analyze.Request, error) {
	t, err := o.StartTime.check("startTime")
	if err != nil {
		return nil, err
	}
	r := &analyze.Request{Time: t, Model: string(o.Model), Provider: providerOfModel(string(o.Model))}
	if err := o.fillUsage(r); err != nil {
		return nil, err
	}

	cost := o.CalculatedTotalCost
	if !cost.set && o.CostDetails != nil {
		cost = o.CostDetails.Total
	}
	if err := fillLoggedCost(r, cost, "calculatedTotalCost"); err != nil {
		return nil, err
	}
	if strings.EqualFold(string(o.Level), "ERROR") && r.Total() == 0 {
		r.Status = analyze.StatusRejected
	}
	return r, nil
}

// langfuseUsageKeys are the usageDetails keys by bucket, as Langfuse's
// integrations write them. Langfuse prices each key on its own and sums
// the results, so the keys are exclusive: input holds no cached tokens and
// output no reasoning tokens.
// NOTE: usageDetails written by hand with an inclusive input or output
// would be counted twice.
var (
	langfuseCacheReadKeys  = []string{"cache_read_input_tokens", "input_cached_tokens", "input_cache_read"}
	langfuseCacheWriteKeys = []string{"cache_creation_input_tokens", "input_cache_creation"}
	langfuseReasoningKeys  = []string{"output_reasoning_tokens", "output_reasoning"}
)

// fillUsage reads usageDetails, or the older usage object without cache
// counts. An observation with neither has an unknown cost.
func (o *langfuseObservation) fillUsage(r *analyze.Request) error {
	d := o.UsageDetails
	if d == nil && o.Usage != nil {
		d = map[string]tokenCount{"input": o.Usage.Input, "output": o.Usage.Output}
	}
	if len(d) == 0 {
		r.Status = analyze.StatusNoUsage
		return nil
	}

	var v countReader
	sum := func(keys ...string) int64 {
		var n int64
		for _, k := range keys {
			if c, ok := d[k]; ok {
				n += v.read(c, "usageDetails."+k)
			}
		}
		return n
	}
	reasoning := sum(langfuseReasoningKeys...)
	r.Tokens[pricing.Input] = sum("input")
	r.Tokens[pricing.CacheRead] = sum(langfuseCacheReadKeys...)
	r.Tokens[pricing.CacheWrite5m] = sum(langfuseCacheWriteKeys...)
	r.Tokens[pricing.Output] = sum("output") + reasoning
	r.Reasoning = reasoning
	return v.err
}

// providerOfModel infers the provider from a model name, for exports that
// log the model only. An unknown name gives "".
func providerOfModel(model string) string {
	m := strings.ToLower(model)
	switch {
	case strings.HasPrefix(m, "claude"):
		return "anthropic"
	case strings.HasPrefix(m, "gpt-"), strings.HasPrefix(m, "o1"), strings.HasPrefix(m, "o3"),
		strings.HasPrefix(m, "o4"), strings.HasPrefix(m, "chatgpt"), strings.HasPrefix(m, "text-embedding"):
		return "openai"
	case strings.HasPrefix(m, "gemini"):
		return "google"
	}
	return ""
}
