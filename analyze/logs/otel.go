package logs

import (
	"bytes"
	"encoding/json"

	"github.com/costctl/costctl/analyze"
)

var otelGenAIFormat = &format{
	name:        "otel-genai",
	description: "OpenTelemetry GenAI spans (gen_ai.* attributes): OTLP JSON exports (resourceSpans) or one flat span per line; one request per model-call span with usage",
	detect:      detectOtelGenAI,
	parseParts:  parseOtelGenAI,
	timeFields:  otelTimeFields,
}

func detectOtelGenAI(p *probe) bool {
	if raw, ok := p.top["resourceSpans"]; ok {
		return bytes.Contains(raw, []byte(`"gen_ai.`))
	}
	raw, ok := p.top["attributes"]
	return ok && has(p.top, "name") && bytes.Contains(raw, []byte(`"gen_ai.`))
}

// otelSpan is a span in either layout, with its attributes as a map of
// JSON scalars.
type otelSpan struct {
	Name       string                     `json:"name"`
	Scope      otelScope                  `json:"instrumentation_scope"`
	Attributes map[string]json.RawMessage `json:"attributes"`
	otelStartTimes
}

type otelScope struct {
	Name string `json:"name"`
}

// parseOtelGenAI converts a flat span or every span of an OTLP export.
func parseOtelGenAI(data []byte) []part {
	var top struct {
		ResourceSpans json.RawMessage `json:"resourceSpans"`
	}
	if err := json.Unmarshal(data, &top); err != nil {
		return []part{{err: err}}
	}
	if top.ResourceSpans != nil {
		return parseOTLPExport(data)
	}

	var span otelSpan
	if err := json.Unmarshal(data, &span); err != nil {
		return []part{{err: err}}
	}
	return span.parts(nil)
}

// parts converts the span, or returns no part when it is no model call.
func (s *otelSpan) parts(raw []byte) []part {
	r, err := s.request()
	if r == nil && err == nil {
		return nil
	}
	return []part{{req: r, err: err, raw: raw}}
}

// otelSkippedOperations are gen_ai.operation.name values whose spans are
// not model calls. An agent span can carry the usage summed over the model
// calls under it, which are spans of their own, so counting it would count
// those calls twice.
var otelSkippedOperations = map[string]bool{
	"invoke_agent": true, "create_agent": true, "execute_tool": true,
}

// otelModelCallOperations are the operations that call a model: such a
// span without usage is a request whose cost is unknown.
var otelModelCallOperations = map[string]bool{
	"chat": true, "text_completion": true, "generate_content": true, "embeddings": true,
}

func (s *otelSpan) request() (*analyze.Request, error) {
	a := otelAttributes(s.Attributes)
	op := a.str("gen_ai.operation.name")
	if otelSkippedOperations[op] {
		return nil, nil
	}
	if !a.hasUsage() && !otelModelCallOperations[op] {
		return nil, nil
	}

	t, err := s.start()
	if err != nil {
		return nil, err
	}
	r := &analyze.Request{
		ID: a.str("gen_ai.response.id"), Time: t,
		Provider: canonicalProvider(a.first("gen_ai.provider.name", "gen_ai.system")),
		Model:    a.first("gen_ai.response.model", "gen_ai.request.model"),
	}
	if !a.hasUsage() {
		r.Status = analyze.StatusNoUsage
		return r, nil
	}
	return r, a.fillUsage(r, s.Scope.Name)
}
