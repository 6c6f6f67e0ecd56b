package logs

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/costctl/costctl/analyze"
)

// format is one input format. A JSON format sets detect and parse; a CSV
// format sets detectCSV and newCSV. Adding a format means writing one file
// with these functions and listing it in registry.
type format struct {
	name        string
	description string

	// detect reports whether a sampled JSON record belongs to this format.
	detect func(p *probe) bool
	// parse converts one JSON record. It returns nil and no error for a
	// record that carries no usage and is skipped silently.
	parse parseFunc
	// newParse replaces parse for a format whose records depend on earlier
	// records of the same file (cumulative counters): it returns a parse
	// function holding the state of one file, whose Source it is given.
	newParse func(source string) parseFunc
	// parseParts replaces parse for a format whose records can hold several
	// requests (an OTLP export holds many spans).
	parseParts func(data []byte) []part
	// stream, when set, makes the chunks of one response, in JSON or in a
	// Server-Sent Events stream, one request; parse still reads one record.
	stream *streamRules

	// detectCSV reports whether a CSV header belongs to this format.
	detectCSV func(header []string) bool
	// newCSV validates a header and returns the parser of its rows.
	newCSV func(header []string) (csvRowParser, error)

	// timeFields, when set, lists the fields the format reads a request's
	// time from, for the message that rejects a record without one.
	timeFields string
}

// parseFunc converts one JSON record; nil and no error skips it.
type parseFunc func(data []byte) (*analyze.Request, error)

// readsJSON reports whether the format parses JSON records.
func (f *format) readsJSON() bool {
	return f.parse != nil || f.newParse != nil || f.parseParts != nil
}

// fileParser returns the parse function for one file of this format.
func (f *format) fileParser(source string) parseFunc {
	if f.newParse != nil {
		return f.newParse(source)
	}
	return f.parse
}

// csvRowParser converts one CSV row; nil and no error skips it.
type csvRowParser func(row []string) (*analyze.Request, error)

// registry lists the formats in detection order: a record is given to the
// first format that claims it, so the more specific shapes come first.
var registry = []*format{
	claudeCodeFormat,
	codexFormat,
	otelGenAIFormat,
	bedrockConverseFormat,
	vercelAISDKFormat,
	liteLLMSpendFormat,
	langfuseFormat,
	heliconeFormat,
	vertexAnthropicFormat,
	anthropicBatchFormat,
	openAIBatchFormat,
	anthropicMessagesFormat,
	openAIChatFormat,
	openAISSEFormat,
	openAIResponsesFormat,
	openAIEmbeddingsFormat,
	geminiFormat,
	costctlJSONLFormat,
	costctlCSVFormat,
}

// Formats lists the supported formats sorted by name.
func Formats() []FormatInfo {
	out := make([]FormatInfo, 0, len(registry))
	for _, f := range registry {
		out = append(out, FormatInfo{Name: f.name, Description: f.description})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// lookupFormat returns the named format, nil for an empty name, or an error
// listing the valid names.
// CheckFormat returns an error listing the valid format names when name is
// not one of them. The empty name, which detects each file's format, is
// valid.
func CheckFormat(name string) error {
	_, err := lookupFormat(name)
	return err
}

func lookupFormat(name string) (*format, error) {
	if name == "" {
		return nil, nil
	}
	for _, f := range registry {
		if f.name == name {
			return f, nil
		}
	}
	names := make([]string, 0, len(registry))
	for _, f := range Formats() {
		names = append(names, f.Name)
	}
	return nil, fmt.Errorf("input format %q: %w; valid formats: %s", name, ErrUnknownFormat, strings.Join(names, ", "))
}

// probe is a sampled JSON record prepared for detection. Detection runs
// on a few records per file only, so a generic map is affordable here.
type probe struct {
	top map[string]json.RawMessage
	// inner is the object under "response" when the record is wrapped by
	// the user's logger, else nil.
	inner map[string]json.RawMessage
}

func newProbe(data []byte) *probe {
	var p probe
	if json.Unmarshal(data, &p.top) != nil || p.top == nil {
		return nil
	}
	if resp, ok := p.top["response"]; ok {
		_ = json.Unmarshal(resp, &p.inner)
	}
	return &p
}

// response returns the provider response: the wrapped one if any.
func (p *probe) response() map[string]json.RawMessage {
	if p.inner != nil {
		return p.inner
	}
	return p.top
}

// str returns the string value of key in m, or "".
func str(m map[string]json.RawMessage, key string) string {
	var s string
	if raw, ok := m[key]; ok {
		_ = json.Unmarshal(raw, &s)
	}
	return s
}

func has(m map[string]json.RawMessage, keys ...string) bool {
	for _, k := range keys {
		if _, ok := m[k]; !ok {
			return false
		}
	}
	return true
}
