package pricing

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"time"
)

// LiteLLM's model_prices_and_context_window.json gives USD per token as JSON
// numbers, one entry per model name, with suffixed keys for long-context
// (_above_200k_tokens, _above_128k_tokens), the 1-hour cache write
// (_above_1hr) and service tiers (_batches, _flex, _priority).

// litellmProviders maps LiteLLM's litellm_provider to costctl's provider.
// Entries of other providers are skipped with a warning.
var litellmProviders = map[string]string{
	"anthropic": "anthropic", "openai": "openai", "text-completion-openai": "openai",
	"gemini": "google", "vertex_ai-language-models": "vertex_ai",
	"vertex_ai-anthropic_models": "vertex_ai", "bedrock": "aws_bedrock",
	"bedrock_converse": "aws_bedrock",
}

// litellmModes are the entry modes priced per token.
var litellmModes = []string{"chat", "completion", "responses", "embedding"}

// litellmClasses maps a token class to LiteLLM's per-token key stem.
var litellmClasses = []struct {
	class Class
	key   string
}{
	{Input, "input_cost_per_token"},
	{Output, "output_cost_per_token"},
	{CacheRead, "cache_read_input_token_cost"},
	{CacheWrite5m, "cache_creation_input_token_cost"},
	{AudioIn, "input_cost_per_audio_token"},
	{AudioOut, "output_cost_per_audio_token"},
}

// ImportResult is a converted LiteLLM file: a costctl price file (YAML) and
// the warnings about entries and values that were left out.
type ImportResult struct {
	YAML     []byte
	Models   int
	Warnings []string
}

// ImportLiteLLM converts LiteLLM's price file into costctl's format, with
// every row starting on from and the table dated date. An entry whose name
// base resolves is written under the base model's id, so merging the file
// over base adds a dated row to that model and keeps its earlier rows. An
// entry of another provider than that base model is skipped, because the
// table resolves a name to one model for every provider. base may be nil.
// Entries whose model id is already taken by an earlier entry (in key
// order) are folded into it. An entry whose prices break its provider's own rules (see
// Lint) is not imported, and the reason is in Warnings, so a bad value is
// never imported silently. Prices are converted exactly from the JSON
// number text; a price finer than one picodollar per token is rounded to
// the nearest picodollar, with a warning.
func ImportLiteLLM(data []byte, base *Table, from, date time.Time) (*ImportResult, error) {
	entries, err := decodeLiteLLM(data)
	if err != nil {
		return nil, err
	}

	res := &ImportResult{}
	var models []*importModel
	byID := map[string]*importModel{}
	for _, key := range sortedKeys(entries) {
		m, warn := convertEntry(key, entries[key])
		res.Warnings = append(res.Warnings, warn...)
		if m == nil {
			continue
		}
		m, skipped := admitEntry(base, m)
		if m == nil {
			res.Warnings = append(res.Warnings, skipped)
			continue
		}
		if prev, ok := byID[m.id]; ok {
			res.Warnings = append(res.Warnings, prev.fold(m)...)
			continue
		}
		if warn := replacedHistory(base, m, from); warn != "" {
			res.Warnings = append(res.Warnings, warn)
		}
		byID[m.id] = m
		models = append(models, m)
	}
	return finishImport(res, models, from, date)
}

// admitEntry returns m under its base id, or nil and the warning why it is
// left out.
func admitEntry(base *Table, m *importModel) (*importModel, string) {
	m, skipped := adoptBaseID(base, m)
	if m == nil {
		return nil, skipped
	}
	if key := m.missingPrice(); key != "" {
		return nil, fmt.Sprintf("%s: not imported: missing %s, and costctl makes up no price from another class or band; price the model in your own price file with the provider's published price",
			m.source, key)
	}
	return m, ""
}

// adoptBaseID writes m under the id of the base model its name resolves
// to, or returns nil and a warning when that model is another provider's.
func adoptBaseID(base *Table, m *importModel) (*importModel, string) {
	if base == nil {
		return m, ""
	}
	bm, ok := base.lookup(m.id)
	if !ok {
		return m, ""
	}
	if bm.Provider != m.provider {
		return nil, fmt.Sprintf("%s: skipped: the %s price for %q, which the built-in table prices as %s model %s; costctl resolves a name to one model for every provider, so importing it would reprice %s requests too",
			m.source, m.provider, m.id, bm.Provider, bm.ID, bm.Provider)
	}

	if m.id != bm.ID {
		m.names = []string{m.id}
		m.id = bm.ID
	}
	return m, ""
}

// replacedHistory warns when the imported row starts before built-in rows
// of its model: merged over the table, the row then prices every later
// request at today's LiteLLM price, in place of the dated cuts.
func replacedHistory(base *Table, m *importModel, from time.Time) string {
	if base == nil {
		return ""
	}
	bm, ok := base.lookup(m.id)
	if !ok {
		return ""
	}
	var later []*Row
	for _, r := range bm.Rows {
		if r.From.After(from) {
			later = append(later, r)
		}
	}
	if len(later) == 0 {
		return ""
	}
	last := later[len(later)-1].From.Format(time.DateOnly)
	rows, them := "rows", "them"
	if len(later) == 1 {
		rows, them = "row", "it"
	}
	return fmt.Sprintf("%s: its row from %s comes before %d built-in price %s of %s, the last from %s, and replaces %s once merged; pass --effective %s or later to keep that history",
		m.source, from.Format(time.DateOnly), len(later), rows, bm.ID, last, them, last)
}

func decodeLiteLLM(data []byte) (map[string]map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var raw map[string]json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("litellm file: %w", err)
	}

	entries := map[string]map[string]any{}
	for key, msg := range raw {
		if key == "sample_spec" {
			continue
		}
		d := json.NewDecoder(bytes.NewReader(msg))
		d.UseNumber()
		var e map[string]any
		if err := d.Decode(&e); err != nil {
			return nil, fmt.Errorf("litellm file: entry %q: %w", key, err)
		}
		entries[key] = e
	}
	return entries, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// finishImport writes the YAML, parses it back so the result is known to be
// a valid price file, and leaves out models that Lint rejects.
func finishImport(res *ImportResult, models []*importModel, from, date time.Time) (*ImportResult, error) {
	var kept []*importModel
	for _, m := range models {
		if warn := lintImported(m, from, date); len(warn) > 0 {
			text := strings.Join(warn, "; ")
			res.Warnings = append(res.Warnings, fmt.Sprintf("%s: not imported: %s%s", m.source, text, litellmFields(text)))
			continue
		}
		kept = append(kept, m)
	}

	res.YAML = writeImport(kept, from, date)
	if _, err := Parse(res.YAML, "imported table"); err != nil {
		return nil, fmt.Errorf("convert litellm file: %w", err)
	}
	res.Models = len(kept)
	return res, nil
}

// litellmFields names the LiteLLM fields behind the costctl fields a lint
// message quotes, so the user can find the value in the file.
func litellmFields(text string) string {
	var fields []string
	if strings.Contains(text, "cache_write_1h") {
		fields = append(fields, "cache_creation_input_token_cost_above_1hr", "input_cost_per_token")
	}
	if strings.Contains(text, "output price is 0") {
		fields = append(fields, "output_cost_per_token")
	}
	if len(fields) == 0 {
		return ""
	}
	return " (in the LiteLLM file: " + strings.Join(fields, ", ") + ")"
}

func lintImported(m *importModel, from, date time.Time) []string {
	t, err := Parse(writeImport([]*importModel{m}, from, date), m.source)
	if err != nil {
		return []string{err.Error()}
	}
	return t.Lint()
}

// perMTokText converts a LiteLLM per-token USD number to the exact decimal
// text of USD per million tokens. exact is false when the value had to be
// rounded to six decimals.
func perMTokText(v any) (text string, exact bool, ok bool) {
	n, isNum := v.(json.Number)
	if !isNum {
		return "", false, false
	}
	r, valid := new(big.Rat).SetString(string(n))
	if !valid || r.Sign() < 0 {
		return "", false, false
	}
	r.Mul(r, big.NewRat(1_000_000, 1))
	pico := new(big.Rat).Mul(r, big.NewRat(1_000_000, 1))
	text = strings.TrimSuffix(strings.TrimRight(r.FloatString(priceDecimals), "0"), ".")
	return text, pico.IsInt(), true
}
