package billing

import (
	"encoding/json"
)

// shapeEmpty is a page whose buckets hold no results: it belongs to an
// export but does not tell which one.
const shapeEmpty Shape = "empty"

// DetectPage returns the shape of one page: a JSON object with has_more
// and a data array of time buckets, each with a results array. The first
// result distinguishes usage from cost and Anthropic from OpenAI.
func DetectPage(raw []byte) (Shape, bool) {
	var p struct {
		Data    []map[string]json.RawMessage `json:"data"`
		HasMore *bool                        `json:"has_more"`
	}
	if err := json.Unmarshal(raw, &p); err != nil || p.Data == nil || p.HasMore == nil {
		return "", false
	}

	found := false
	for _, b := range p.Data {
		if !isBucket(b) {
			return "", false
		}
		found = true
		var results []map[string]json.RawMessage
		if err := json.Unmarshal(b["results"], &results); err != nil {
			return "", false
		}
		if len(results) > 0 {
			return resultShape(b, results[0])
		}
	}
	return shapeEmpty, found || len(p.Data) == 0
}

func isBucket(b map[string]json.RawMessage) bool {
	_, results := b["results"]
	_, anthropic := b["starting_at"]
	_, openai := b["start_time"]
	return results && (anthropic || openai)
}

func resultShape(b, res map[string]json.RawMessage) (Shape, bool) {
	if _, ok := b["starting_at"]; ok {
		switch {
		case has(res, "uncached_input_tokens"):
			return AnthropicUsage, true
		case has(res, "amount"):
			return AnthropicCost, true
		}
		return "", false
	}

	switch text(res, "object") {
	case "organization.usage.completions.result":
		return OpenAIUsage, true
	case "organization.costs.result":
		return OpenAICost, true
	}
	return "", false
}

func has(m map[string]json.RawMessage, key string) bool {
	_, ok := m[key]
	return ok
}
