package logs

import (
	"encoding/json"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/pricing"
)

var openAIEmbeddingsFormat = &format{
	name: "openai-embeddings",
	description: "OpenAI Embeddings responses (\"object\": \"list\" of embeddings), one per line, per file or in " +
		"a JSON array, optionally wrapped by a logger",
	detect: detectOpenAIEmbeddings,
	parse:  parseOpenAIEmbeddings,
}

func detectOpenAIEmbeddings(p *probe) bool {
	m := p.response()
	if str(m, "object") != "list" || !has(m, "usage", "model") {
		return false
	}
	var data []struct {
		Object string `json:"object"`
	}
	_ = json.Unmarshal(m["data"], &data)
	return len(data) == 0 || data[0].Object == "embedding"
}

// openAIEmbeddings is an Embeddings response. It has no id and no time:
// requests are told apart by their record hash, and timed by a wrapper's
// timestamp or the assumed time.
type openAIEmbeddings struct {
	Object string     `json:"object"`
	Model  flexString `json:"model"`
	Usage  *struct {
		PromptTokens tokenCount `json:"prompt_tokens"`
	} `json:"usage"`
}

type openAIEmbeddingsRecord struct {
	openAIEmbeddings
	wrapperFields
	Response *openAIEmbeddings `json:"response"`
}

func parseOpenAIEmbeddings(data []byte) (*analyze.Request, error) {
	var rec openAIEmbeddingsRecord
	if err := json.Unmarshal(data, &rec); err != nil {
		return nil, err
	}
	e, path := &rec.openAIEmbeddings, ""
	if rec.Response != nil {
		e, path = rec.Response, "response."
	}
	r, err := e.request(path)
	if err != nil {
		return nil, err
	}
	if err := rec.wrapperFields.apply(r); err != nil {
		return nil, err
	}
	return r, nil
}

// request sets input = prompt_tokens: embeddings bill input only.
func (e *openAIEmbeddings) request(path string) (*analyze.Request, error) {
	if e.Object != "list" {
		return nil, malformed("not an OpenAI Embeddings response (object %q)", e.Object)
	}
	r := &analyze.Request{Provider: "openai", Model: string(e.Model)}
	if e.Usage == nil {
		r.Status = analyze.StatusNoUsage
		return r, nil
	}
	n, err := e.Usage.PromptTokens.check(path + "usage.prompt_tokens")
	if err != nil {
		return nil, err
	}
	r.Tokens[pricing.Input] = n
	return r, nil
}
