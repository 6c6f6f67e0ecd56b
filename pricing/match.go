package pricing

import (
	"regexp"
	"slices"
	"strings"
	"time"
)

// Match is the result of resolving a logged model name: the canonical model
// and the price row in effect at the request's time.
type Match struct {
	Model *Model
	Row   *Row
}

// routePrefixes are gateway and SDK prefixes in front of a model name
// ("openai/gpt-4o", "bedrock/us.anthropic.…", "models/gemini-2.5-pro").
// They describe how the request was routed, not which model ran, so they
// are removed before matching. Longer prefixes come first.
var routePrefixes = []string{
	"publishers/anthropic/models/", "publishers/google/models/",
	"bedrock/converse/", "bedrock/", "vertex_ai/", "anthropic/", "openai/",
	"gemini/", "google/", "models/",
}

// bedrockID matches an Anthropic model id on Amazon Bedrock: an optional
// cross-region inference prefix, the vendor, the model and a version suffix,
// as in "us.anthropic.claude-3-5-haiku-20241022-v1:0".
var bedrockID = regexp.MustCompile(`^(?:(?:us|eu|apac|global|us-gov|jp|au|ca)\.)?anthropic\.(.+?)(?:-v\d+(?::\d+)?)?$`)

// normalizeName reduces a logged model name to the form the table's names
// use: lower case, without routing prefixes, Bedrock's region, vendor and
// version parts, and with Vertex AI's "model@date" written "model-date".
func normalizeName(name string) string {
	n := strings.ToLower(strings.TrimSpace(name))
	for stripped := true; stripped; {
		stripped = false
		for _, p := range routePrefixes {
			if rest, ok := strings.CutPrefix(n, p); ok {
				n, stripped = rest, true
			}
		}
	}

	if m := bedrockID.FindStringSubmatch(n); m != nil {
		n = m[1]
	}
	return strings.ReplaceAll(n, "@", "-")
}

// Resolve finds the model a logged name refers to and the row in effect at
// the instant. Names match exactly after normalisation, then by the models'
// patterns. There is no prefix or substring matching, so a dated snapshot
// with its own prices never falls back to its family's entry.
//
// provider may be empty (any provider) or one of Providers; then only models
// listed under it, or served by it, match. Resolve reports false for an
// unknown name and for an instant before the model's first row (or in a gap
// between rows): the request is unpriced rather than priced with a guess.
func (t *Table) Resolve(provider, model string, at time.Time) (Match, bool) {
	m, ok := t.lookup(normalizeName(model))
	if !ok || !servedBy(m, strings.ToLower(provider)) {
		return Match{}, false
	}

	r, ok := m.RowAt(at)
	if !ok {
		return Match{}, false
	}
	return Match{Model: m, Row: r}, true
}

func (t *Table) lookup(name string) (*Model, bool) {
	if m, ok := t.byName[name]; ok {
		return m, true
	}
	// Later models win, as for names, so a merged user file's patterns are
	// tried before the embedded ones.
	for _, p := range slices.Backward(t.patterns) {
		if p.re.MatchString(name) {
			return p.model, true
		}
	}
	return nil, false
}

func servedBy(m *Model, provider string) bool {
	return provider == "" || provider == m.Provider || slices.Contains(m.ServedBy, provider)
}
