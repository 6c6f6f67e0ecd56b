package logs

import (
	"encoding/json"

	"github.com/costctl/costctl/analyze"
)

var openAISSEFormat = &format{
	name: "openai-sse",
	description: "OpenAI Chat Completions streams (\"object\": \"chat.completion.chunk\") as Server-Sent Events or " +
		"JSON Lines; usage comes from the final chunk sent with stream_options.include_usage",
	detect: func(p *probe) bool {
		return str(p.response(), "object") == "chat.completion.chunk"
	},
	parse:  parseOpenAIChunkRecord,
	stream: &streamRules{chunk: parseOpenAIChunk, needsDone: true},
}

// openAIChunk is one chunk of a streamed chat completion. Only the last
// chunk of a stream requested with include_usage has usage, and its
// choices are empty.
type openAIChunk struct {
	ID          flexString       `json:"id"`
	Object      string           `json:"object"`
	Created     timeValue        `json:"created"`
	Model       flexString       `json:"model"`
	ServiceTier flexString       `json:"service_tier"`
	Usage       *openAIChatUsage `json:"usage"`
	Choices     []struct {
		FinishReason flexString `json:"finish_reason"`
	} `json:"choices"`
}

type openAIChunkRecord struct {
	openAIChunk
	wrapperFields
	Response *openAIChunk `json:"response"`
}

// parseOpenAIChunk converts one chunk. In a Server-Sent Events stream only
// the closing [DONE] line makes a stream complete, and in JSON a finish
// reason does.
func parseOpenAIChunk(data []byte) (*streamChunk, error) {
	var rec openAIChunkRecord
	if err := json.Unmarshal(data, &rec); err != nil {
		return nil, err
	}
	c, path := &rec.openAIChunk, ""
	if rec.Response != nil {
		c, path = rec.Response, "response."
	}
	if c.Object != "chat.completion.chunk" {
		return nil, malformed("not an OpenAI chat completion chunk (object %q)", c.Object)
	}

	r := &analyze.Request{Provider: "openai", ID: string(c.ID), Model: string(c.Model), ServiceTier: string(c.ServiceTier)}
	created, err := c.Created.check(path + "created")
	if err != nil {
		return nil, err
	}
	r.Time = created
	if c.Usage != nil {
		if err := c.Usage.fill(r, path+"usage."); err != nil {
			return nil, err
		}
	}
	if err := rec.wrapperFields.apply(r); err != nil {
		return nil, err
	}

	chunk := &streamChunk{key: r.ID, req: r, hasUsage: c.Usage != nil}
	for _, ch := range c.Choices {
		chunk.finished = chunk.finished || ch.FinishReason != ""
	}
	return chunk, nil
}

// parseOpenAIChunkRecord converts one chunk on its own: only a usage
// chunk has a known cost.
func parseOpenAIChunkRecord(data []byte) (*analyze.Request, error) {
	c, err := parseOpenAIChunk(data)
	if err != nil {
		return nil, err
	}
	if !c.hasUsage {
		c.req.Status = analyze.StatusNoUsage
	}
	return c.req, nil
}
