package logs

import (
	"encoding/json"
	"strings"

	"github.com/costctl/costctl/analyze"
)

// vertexAnthropicFormat reads Claude responses served by Vertex AI. They
// are Messages API objects; what tells them apart is a model id with
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
	if canonicalProvider(str(top, "provider")) == "vertex_ai" {
		return true
	}
	return strings.Contains(str(resp, "model"), "@") || strings.HasPrefix(str(resp, "id"), "msg_vrtx_")
}

// parseVertexAnthropic converts a response as anthropic-messages does and
// sets provider vertex_ai on each record that shows it came from Vertex,
// so a file that mixes both providers keeps them apart.
func parseVertexAnthropic(data []byte) (*analyze.Request, error) {
	r, err := parseAnthropicMessage(data)
	if err != nil {
		return nil, err
	}
	p := newProbe(data)
	if p != nil && isVertexAnthropic(p.top, p.response()) {
		r.Provider = "vertex_ai"
	}
	return r, nil
}
