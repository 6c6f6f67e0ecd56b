package logs

import (
	"encoding/json"
	"strconv"
)

// otlpExport is an OTLP JSON trace export (ExportTraceServiceRequest), as
// the OpenTelemetry Collector's file exporter writes it.
type otlpExport struct {
	ResourceSpans []struct {
		ScopeSpans []struct {
			Scope otelScope  `json:"scope"`
			Spans []otlpSpan `json:"spans"`
		} `json:"scopeSpans"`
	} `json:"resourceSpans"`
}

type otlpSpan struct {
	Name              string         `json:"name"`
	StartTimeUnixNano unixNanoTime   `json:"startTimeUnixNano"`
	Attributes        []otlpKeyValue `json:"attributes"`
}

type otlpKeyValue struct {
	Key   string `json:"key"`
	Value struct {
		StringValue *string         `json:"stringValue"`
		IntValue    json.RawMessage `json:"intValue"`
		DoubleValue json.RawMessage `json:"doubleValue"`
		BoolValue   *bool           `json:"boolValue"`
	} `json:"value"`
}

// scalar returns the value as a JSON scalar, or nil for an array or map
// value. OTLP JSON writes 64-bit integers as strings ("7800"); such a
// string becomes the number.
func (kv *otlpKeyValue) scalar() json.RawMessage {
	v := kv.Value
	switch {
	case v.StringValue != nil:
		b, _ := json.Marshal(*v.StringValue)
		return b
	case v.IntValue != nil:
		return otlpInt(v.IntValue)
	case v.DoubleValue != nil:
		return v.DoubleValue
	case v.BoolValue != nil:
		return json.RawMessage(strconv.FormatBool(*v.BoolValue))
	}
	return nil
}

func otlpInt(raw json.RawMessage) json.RawMessage {
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return raw
	}
	if _, err := strconv.ParseInt(s, 10, 64); err != nil {
		return raw // kept as a string, so reading it as a count rejects it
	}
	return json.RawMessage(s)
}

// parseOTLPExport converts every span of an export. Each part's raw JSON is
// the span in the flat layout, so field mappings name the same paths
// (attributes.KEY, instrumentation_scope.name) in both layouts.
func parseOTLPExport(data []byte) []part {
	var exp otlpExport
	if err := json.Unmarshal(data, &exp); err != nil {
		return []part{{err: err}}
	}

	var parts []part
	for _, rs := range exp.ResourceSpans {
		for _, ss := range rs.ScopeSpans {
			for i := range ss.Spans {
				span := ss.Spans[i].flat(ss.Scope)
				raw, _ := json.Marshal(span.flatJSON())
				parts = append(parts, span.parts(raw)...)
			}
		}
	}
	return parts
}

func (s *otlpSpan) flat(scope otelScope) *otelSpan {
	attrs := make(map[string]json.RawMessage, len(s.Attributes))
	for i := range s.Attributes {
		if v := s.Attributes[i].scalar(); v != nil {
			attrs[s.Attributes[i].Key] = v
		}
	}
	return &otelSpan{Name: s.Name, Scope: scope, Attributes: attrs,
		otelStartTimes: otelStartTimes{StartTimeUnixNano: s.StartTimeUnixNano}}
}

// flatJSON is the span as a flat-layout object, for field mappings.
func (s *otelSpan) flatJSON() map[string]any {
	return map[string]any{
		"name":                  s.Name,
		"instrumentation_scope": map[string]string{"name": s.Scope.Name},
		"attributes":            s.Attributes,
	}
}
