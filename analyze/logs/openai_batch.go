package logs

import (
	"encoding/json"
	"errors"

	"github.com/costctl/costctl/analyze"
)

var openAIBatchFormat = &format{
	name: "openai-batch-output",
	description: "OpenAI Batch API output and error files (JSON Lines with \"custom_id\" and a response body: " +
		"chat completions, responses or embeddings)",
	detect: detectOpenAIBatch,
	parse:  parseOpenAIBatch,
}

func detectOpenAIBatch(p *probe) bool {
	if !has(p.top, "custom_id") {
		return false
	}
	return has(p.inner, "status_code") || (has(p.top, "error") && !has(p.top, "result"))
}

// openAIBatchLine is one line of a batch output or error file. custom_id
// is unique only within its batch, so it is not used as an id.
type openAIBatchLine struct {
	CustomID flexString `json:"custom_id"`
	Response *struct {
		StatusCode int64           `json:"status_code"`
		RequestID  flexString      `json:"request_id"`
		Body       json.RawMessage `json:"body"`
	} `json:"response"`
	Error *struct {
		Code flexString `json:"code"`
	} `json:"error"`
	wrapperFields
}

// parseOpenAIBatch converts a batch line and bills it at the batch tier.
// A line with an error and no response body (an expired or invalid
// request), or a response whose status is not 2xx, becomes status
// rejected: OpenAI bills only the requests of a batch that completed, so
// it is a known $0.
func parseOpenAIBatch(data []byte) (*analyze.Request, error) {
	var line openAIBatchLine
	if err := json.Unmarshal(data, &line); err != nil {
		return nil, err
	}

	var r *analyze.Request
	resp := line.Response
	if resp == nil || resp.StatusCode < 200 || resp.StatusCode > 299 || len(resp.Body) == 0 {
		r = &analyze.Request{Provider: "openai", Status: analyze.StatusRejected}
	} else {
		var err error
		if r, err = parseOpenAIBatchBody(resp.Body); err != nil {
			return nil, err
		}
	}
	if resp != nil {
		r.RequestID = string(resp.RequestID)
	}
	r.ServiceTier = "batch"
	if err := line.wrapperFields.apply(r); err != nil {
		return nil, err
	}
	return r, nil
}

// parseOpenAIBatchBody converts a response body by its object type.
func parseOpenAIBatchBody(body []byte) (*analyze.Request, error) {
	var head struct {
		Object string `json:"object"`
	}
	if err := json.Unmarshal(body, &head); err != nil {
		return nil, err
	}

	var r *analyze.Request
	var err error
	switch head.Object {
	case "chat.completion":
		r, err = parseOpenAIChat(body)
	case "response":
		r, err = parseOpenAIResponse(body)
	case "list":
		r, err = parseOpenAIEmbeddings(body)
	default:
		return nil, invalid("response.body.object", "unsupported batch response object %q", head.Object)
	}
	var rec *recordError
	if errors.As(err, &rec) && rec.field != "" {
		rec.field = "response.body." + rec.field
	}
	return r, err
}
