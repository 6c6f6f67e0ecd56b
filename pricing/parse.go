package pricing

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"
)

// The YAML shapes of a price file. Every struct is decoded with unknown
// keys rejected, so a misspelt key is an error instead of a missing price.
type rawFile struct {
	Date   scalar     `yaml:"date"`
	Models []rawModel `yaml:"models"`
}

type rawModel struct {
	ID             string   `yaml:"id"`
	Provider       string   `yaml:"provider"`
	ServedBy       []string `yaml:"served_by"`
	MinCacheTokens int64    `yaml:"min_cache_tokens"`
	PromptCaching  *bool    `yaml:"prompt_caching"`
	Names          []string `yaml:"names"`
	Patterns       []string `yaml:"patterns"`
	Source         string   `yaml:"source"`
	Rows           []rawRow `yaml:"rows"`
}

type rawRow struct {
	From         scalar             `yaml:"from"`
	Until        scalar             `yaml:"until"`
	Source       string             `yaml:"source"`
	Prices       rawPrices          `yaml:"prices"`
	Fees         rawFees            `yaml:"fees"`
	Bands        []rawBand          `yaml:"bands"`
	ServiceTiers map[string]rawTier `yaml:"service_tiers"`
	InferenceGeo map[string]scalar  `yaml:"inference_geo"`
	Speed        map[string]scalar  `yaml:"speed"`
}

// rawPrices maps a class name to USD per million tokens.
type rawPrices map[string]scalar

type rawFees struct {
	WebSearchPer1K scalar `yaml:"web_search_per_1k"`
}

type rawBand struct {
	Above  int64     `yaml:"above"`
	Prices rawPrices `yaml:"prices"`
}

type rawTier struct {
	Multiplier scalar    `yaml:"multiplier"`
	Prices     rawPrices `yaml:"prices"`
}

// scalar keeps a YAML scalar's source text, so numbers are parsed as exact
// decimals and dates are not reinterpreted by the YAML library.
type scalar struct {
	Text string
	Line int
	Set  bool
}

// UnmarshalYAML records the scalar's text and line.
func (s *scalar) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: expected a single value", n.Line)
	}
	*s = scalar{Text: strings.TrimSpace(n.Value), Line: n.Line, Set: true}
	return nil
}

// Providers are the canonical provider names a model may be listed under.
var Providers = []string{"anthropic", "openai", "google", "aws_bedrock", "vertex_ai"}

// Parse reads a price file. name is used in error messages, which name the
// file, the model and row, and the offending key or value.
func Parse(data []byte, name string) (*Table, error) {
	var raw rawFile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("%s: %w", name, explainYAMLError(err))
	}

	t, errs := build(raw)
	if len(errs) > 0 {
		for i, err := range errs {
			errs[i] = fmt.Errorf("%s: %w", name, err)
		}
		return nil, errors.Join(errs...)
	}
	for _, m := range t.models {
		m.Origin = name
	}
	return t, nil
}

var unknownField = regexp.MustCompile(`field (\S+) not found in type pricing\.raw(\w+)`)

// explainYAMLError rewrites the YAML library's report of an unknown field,
// which names a Go type, into the key and the section of the file.
func explainYAMLError(err error) error {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return err
	}
	msgs := make([]string, len(te.Errors))
	for i, m := range te.Errors {
		msgs[i] = unknownField.ReplaceAllStringFunc(m, func(s string) string {
			sub := unknownField.FindStringSubmatch(s)
			return fmt.Sprintf("unknown key %q in %s", sub[1], strings.ToLower(sub[2]))
		})
	}
	return errors.New(strings.Join(msgs, "; "))
}

// build returns the table, or every error found: one per broken model, so
// that prices validate lists them all in one run.
func build(raw rawFile) (*Table, []error) {
	if !raw.Date.Set {
		return nil, []error{errors.New("missing key \"date\" (the date the prices were checked, YYYY-MM-DD)")}
	}
	date, err := parseDate(raw.Date, "date")
	if err != nil {
		return nil, []error{err}
	}

	models := make([]*Model, 0, len(raw.Models))
	seen := map[string]string{}
	var errs []error
	for i, rm := range raw.Models {
		m, err := buildModel(rm)
		if err != nil {
			errs = append(errs, fmt.Errorf("model %s: %w", modelLabel(rm, i), err))
			continue
		}
		if err := claimNames(seen, m); err != nil {
			errs = append(errs, err)
			continue
		}
		models = append(models, m)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return newTable(date, models), nil
}

func modelLabel(rm rawModel, i int) string {
	if rm.ID != "" {
		return rm.ID
	}
	return fmt.Sprintf("#%d", i+1)
}

// claimNames rejects a name (or id) that two models of one file both claim,
// since resolving it would then depend on file order.
func claimNames(seen map[string]string, m *Model) error {
	for _, n := range append([]string{m.ID}, m.Names...) {
		key := normalizeName(n)
		if owner, dup := seen[key]; dup && owner != m.ID {
			return fmt.Errorf("model %s: name %q is already used by model %s", m.ID, n, owner)
		}
		seen[key] = m.ID
	}
	return nil
}
