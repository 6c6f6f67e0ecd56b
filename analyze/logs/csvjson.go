package logs

import (
	"encoding/json"
	"strings"

	"github.com/costctl/costctl/analyze"
)

// csvAsJSON adapts a JSON parser to CSV exports of the same records: each
// row becomes a JSON object keyed by the lower-cased header, which the
// JSON decoder matches to field names case-insensitively. A cell holding a
// JSON number, object or array becomes that value (exports write metadata
// as JSON text), an empty cell is null and any other cell is a string.
func csvAsJSON(parse parseFunc) func(header []string) (csvRowParser, error) {
	return func(header []string) (csvRowParser, error) {
		return func(row []string) (*analyze.Request, error) {
			obj := make(map[string]json.RawMessage, len(header))
			for i, name := range header {
				obj[name] = csvCellJSON(row[i])
			}
			data, err := json.Marshal(obj)
			if err != nil {
				return nil, err
			}
			return parse(data)
		}, nil
	}
}

func csvCellJSON(cell string) json.RawMessage {
	s := strings.TrimSpace(cell)
	if s == "" {
		return json.RawMessage("null")
	}
	if (s[0] == '{' || s[0] == '[' || s[0] == '-' || (s[0] >= '0' && s[0] <= '9')) && json.Valid([]byte(s)) {
		return json.RawMessage(s)
	}
	b, _ := json.Marshal(cell)
	return b
}

// csvHasColumns reports whether header names every column in names.
func csvHasColumns(header []string, names ...string) bool {
	cols := make(map[string]bool, len(header))
	for _, h := range header {
		cols[h] = true
	}
	for _, n := range names {
		if !cols[n] {
			return false
		}
	}
	return true
}

// withoutPart returns count minus a part that a proxy or tracing export
// reports beside it (cache or audio tokens). Such exports follow OpenAI's
// usage shape, whose prompt and completion counts include those parts,
// so the part is subtracted, unless the count is smaller than the part
// and so cannot include it.
// NOTE: an export that passes Anthropic's uncached input_tokens through
// as its prompt count while that count exceeds the cache tokens is read
// as inclusive, and its input is undercounted.
func withoutPart(count, part int64) int64 {
	if count >= part {
		return count - part
	}
	return count
}
