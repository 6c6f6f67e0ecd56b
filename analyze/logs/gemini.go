package logs

import (
	"encoding/json"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/pricing"
)

var geminiFormat = &format{
	name: "gemini",
	description: "Gemini generateContent responses (\"usageMetadata\"), from the Gemini API or Vertex AI, whole or as " +
		"streamed chunks in JSON Lines or Server-Sent Events, optionally wrapped by a logger",
	detect: detectGemini,
	parse:  parseGeminiRecord,
	stream: &streamRules{chunk: parseGeminiChunk},
}

func detectGemini(p *probe) bool {
	m := p.response()
	return has(m, "usageMetadata") || (has(m, "candidates") && (has(m, "modelVersion") || has(m, "responseId")))
}

// geminiUsage is the usageMetadata of a response. promptTokenCount
// includes cachedContentTokenCount. thoughtsTokenCount is outside
// candidatesTokenCount and is billed as output. toolUsePromptTokenCount
// (the results of tools the model ran) is input outside promptTokenCount.
type geminiUsage struct {
	PromptTokenCount        tokenCount `json:"promptTokenCount"`
	CachedContentTokenCount tokenCount `json:"cachedContentTokenCount"`
	CandidatesTokenCount    tokenCount `json:"candidatesTokenCount"`
	ThoughtsTokenCount      tokenCount `json:"thoughtsTokenCount"`
	ToolUsePromptTokenCount tokenCount `json:"toolUsePromptTokenCount"`
}

// fill sets r's buckets: input = prompt − cached + tool use, cache read =
// cached, output = candidates + thoughts, of which thoughts is reasoning.
// TODO: split audio, image and video tokens out of promptTokensDetails
// once the price table carries Gemini's per-modality rates.
func (u *geminiUsage) fill(r *analyze.Request, path string) error {
	var v countReader
	prompt := v.read(u.PromptTokenCount, path+"promptTokenCount")
	cached := v.read(u.CachedContentTokenCount, path+"cachedContentTokenCount")
	candidates := v.read(u.CandidatesTokenCount, path+"candidatesTokenCount")
	thoughts := v.read(u.ThoughtsTokenCount, path+"thoughtsTokenCount")
	toolUse := v.read(u.ToolUsePromptTokenCount, path+"toolUsePromptTokenCount")
	if v.err != nil {
		return v.err
	}

	if prompt < cached {
		return invalid(path+"promptTokenCount", "%d is less than its cached part %d", prompt, cached)
	}
	r.Tokens[pricing.Input] = prompt - cached + toolUse
	r.Tokens[pricing.CacheRead] = cached
	r.Tokens[pricing.Output] = candidates + thoughts
	r.Reasoning = thoughts
	return nil
}

// geminiResponse is a generateContent response or one streamed chunk.
type geminiResponse struct {
	ResponseID    flexString   `json:"responseId"`
	ModelVersion  flexString   `json:"modelVersion"`
	CreateTime    timeValue    `json:"createTime"`
	UsageMetadata *geminiUsage `json:"usageMetadata"`
	Candidates    []struct {
		FinishReason flexString `json:"finishReason"`
	} `json:"candidates"`
	PromptFeedback *struct {
		BlockReason flexString `json:"blockReason"`
	} `json:"promptFeedback"`
}

// finished reports whether the response or chunk ends its stream: a
// candidate has a finish reason, or the prompt was blocked.
func (g *geminiResponse) finished() bool {
	for _, c := range g.Candidates {
		if c.FinishReason != "" {
			return true
		}
	}
	return g.PromptFeedback != nil && g.PromptFeedback.BlockReason != ""
}

type geminiRecord struct {
	geminiResponse
	wrapperFields
	Provider flexString      `json:"provider"`
	Response *geminiResponse `json:"response"`
}

// parseGeminiChunk converts a response or chunk. Only Vertex AI writes
// createTime, so a response with one is served by vertex_ai. A wrapper's
// provider field wins over that guess.
func parseGeminiChunk(data []byte) (*streamChunk, error) {
	var rec geminiRecord
	if err := json.Unmarshal(data, &rec); err != nil {
		return nil, err
	}
	g, path := &rec.geminiResponse, ""
	if rec.Response != nil {
		g, path = rec.Response, "response."
	}

	r := &analyze.Request{Provider: "google", ID: string(g.ResponseID), Model: string(g.ModelVersion)}
	created, err := g.CreateTime.check(path + "createTime")
	if err != nil {
		return nil, err
	}
	if !created.IsZero() {
		r.Time, r.Provider = created, "vertex_ai"
	}
	if rec.Provider != "" {
		r.Provider = canonicalProvider(string(rec.Provider))
	}
	if g.UsageMetadata != nil {
		if err := g.UsageMetadata.fill(r, path+"usageMetadata."); err != nil {
			return nil, err
		}
	}
	if err := rec.wrapperFields.apply(r); err != nil {
		return nil, err
	}
	return &streamChunk{key: r.ID, req: r, hasUsage: g.UsageMetadata != nil, finished: g.finished()}, nil
}

// parseGeminiRecord converts one record as a whole response, for callers
// that read records one by one: without usage it has an unknown cost, and
// without a finish reason it is a cut-off stream.
func parseGeminiRecord(data []byte) (*analyze.Request, error) {
	c, err := parseGeminiChunk(data)
	if err != nil {
		return nil, err
	}
	switch {
	case !c.hasUsage:
		c.req.Status = analyze.StatusNoUsage
	case !c.finished:
		c.req.Status = analyze.StatusIncomplete
	}
	return c.req, nil
}
