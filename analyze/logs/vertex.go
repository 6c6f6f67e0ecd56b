package logs

import (
	"encoding/json"
	"strings"

	"github.com/costctl/costctl/analyze"
)

// vertexAnthropicFormat reads Claude responses served by Vertex AI. They
// are Messages API objects, told apart by a model id with
// Vertex's "@" before the date (claude-3-5-haiku@20241022), a msg_vrtx_
// id, or a logger's provider field. Gemini on Vertex AI is read by the
// gemini format.
var vertexAnthropicFormat = &format{
	name: "vertex-anthropic",
	description: "Anthropic Messages responses served by Vertex AI (model ids like claude-3-5-haiku@20241022), " +
		"one per line, per file or in a JSON array, optionally wrapped by a logger",
	detect: func(p *probe) bool {
		return detectAnthropicMessage(p) && isVertexAnthropic(p.top, p.response())
	},
	parse: parseVertexAnthropic,
}

func isVertexAnthropic(top, resp map[string]json.RawMessage) bool {
	return vertexSigns(str(top, "provider"), str(resp, "id"), str(resp, "model"))
}

// vertexSigns reports whether a provider field, message id or model id
// shows that a Messages response came from Vertex AI.
func vertexSigns(provider, id, model string) bool {
	if canonicalProvider(provider) == "vertex_ai" {
		return true
	}
	return strings.Contains(model, "@") || strings.HasPrefix(id, "msg_vrtx_")
}

// vertexFields are the fields vertexSigns looks at, at the top level or in
// a logger's response.
type vertexFields struct {
	Provider flexString `json:"provider"`
	ID       flexString `json:"id"`
	Model    flexString `json:"model"`
	Response *struct {
		ID    flexString `json:"id"`
		Model flexString `json:"model"`
	} `json:"response"`
}

// parseVertexAnthropic converts a response as anthropic-messages does and
// sets provider vertex_ai on each record that shows it came from Vertex,
// so a file that mixes both providers keeps them apart.
func parseVertexAnthropic(data []byte) (*analyze.Request, error) {
	r, err := parseAnthropicMessage(data)
	if err != nil {
		return nil, err
	}
	var f vertexFields
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, err
	}
	id, model := f.ID, f.Model
	if f.Response != nil {
		id, model = f.Response.ID, f.Response.Model
	}
	if vertexSigns(string(f.Provider), string(id), string(model)) {
		r.Provider = "vertex_ai"
	}
	return r, nil
}
