// Package simulate replays stored LLM traffic under a what-if policy:
// routing, compression, prompt caching, the batch API and structured
// output, applied in that order, and prices the result with the same
// table as the baseline.
package simulate

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/costctl/costctl/pricing"
)

// DefaultKey is the key of policy maps that applies to endpoints not listed.
const DefaultKey = "*"

// Policy is a parsed, validated policy file. Every section is optional.
// JSON tags give the echo of the policy in the simulation document.
type Policy struct {
	Name             string            `yaml:"name" json:"name"`
	Route            []RouteRule       `yaml:"route" json:"route"`
	Quality          *Quality          `yaml:"quality" json:"quality,omitempty"`
	Compress         *Compress         `yaml:"compress" json:"compress,omitempty"`
	Cache            *Cache            `yaml:"cache" json:"cache,omitempty"`
	Batch            *Batch            `yaml:"batch" json:"batch,omitempty"`
	StructuredOutput *StructuredOutput `yaml:"structured_output" json:"structured_output,omitempty"`
}

// RouteRule sends the requests it matches to Model. The first matching
// rule wins.
type RouteRule struct {
	Match            Match    `yaml:"match" json:"match"`
	Model            string   `yaml:"model" json:"model"`
	InputTokenRatio  *float64 `yaml:"input_token_ratio" json:"input_token_ratio,omitempty"`
	OutputTokenRatio *float64 `yaml:"output_token_ratio" json:"output_token_ratio,omitempty"`

	model       *pricing.Model
	inputRatio  ratio
	outputRatio ratio
}

// Match selects requests. Empty lists and unset bounds match everything;
// token bounds are inclusive and count input plus cache reads and writes.
type Match struct {
	Endpoint       endpointList `yaml:"endpoint" json:"endpoint,omitempty"`
	Tier           stringList   `yaml:"tier" json:"tier,omitempty"`
	Model          stringList   `yaml:"model" json:"model,omitempty"`
	MinInputTokens *int64       `yaml:"min_input_tokens" json:"min_input_tokens,omitempty"`
	MaxInputTokens *int64       `yaml:"max_input_tokens" json:"max_input_tokens,omitempty"`

	modelIDs []string
}

// Quality holds eval scores in [0, 1] per endpoint and model, and the
// minimum score per endpoint below which a route rule is flagged.
type Quality struct {
	Scores map[string]map[string]float64 `yaml:"scores" json:"scores"`
	Min    map[string]float64            `yaml:"min" json:"min,omitempty"`

	// byID is Scores with model names resolved to canonical ids.
	byID map[string]map[string]float64
}

// Compress summarises conversation history every EveryTurns turns into
// SummaryTokens tokens with Model.
type Compress struct {
	EveryTurns    int64        `yaml:"every_turns" json:"every_turns"`
	SummaryTokens int64        `yaml:"summary_tokens" json:"summary_tokens"`
	Model         string       `yaml:"model" json:"model"`
	Endpoints     endpointList `yaml:"endpoints" json:"endpoints,omitempty"`

	model *pricing.Model
}

// Cache caches a static prompt prefix per (model, prefix key) with a TTL.
type Cache struct {
	TTL          string           `yaml:"ttl" json:"ttl"`
	PrefixTokens map[string]int64 `yaml:"prefix_tokens" json:"prefix_tokens,omitempty"`
	Endpoints    endpointList     `yaml:"endpoints" json:"endpoints,omitempty"`
}

// Batch moves the listed endpoints to the batch API.
type Batch struct {
	Endpoints endpointList `yaml:"endpoints" json:"endpoints"`
}

// StructuredOutput changes output tokens by a fraction and adds the
// schema's tokens to the input, per endpoint.
type StructuredOutput struct {
	OutputChange        map[string]float64 `yaml:"output_change" json:"output_change,omitempty"`
	InputOverheadTokens map[string]int64   `yaml:"input_overhead_tokens" json:"input_overhead_tokens,omitempty"`

	factors map[string]ratio
}

// stringList is a YAML list of strings that also accepts one scalar.
type stringList []string

// UnmarshalYAML accepts `[a, b]` and `a`.
func (l *stringList) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*l = stringList{n.Value}
		return nil
	}
	var s []string
	if err := n.Decode(&s); err != nil {
		return err
	}
	*l = s
	return nil
}

func (l stringList) contains(v string) bool { return len(l) == 0 || slices.Contains(l, v) }

// endpointList is a stringList of endpoints in which DefaultKey ("*")
// means every endpoint, as it is the default in maps keyed by endpoint.
type endpointList []string

// UnmarshalYAML accepts `[a, b]` and `a`, as a stringList does.
func (l *endpointList) UnmarshalYAML(n *yaml.Node) error {
	return n.Decode((*stringList)(l))
}

func (l endpointList) contains(endpoint string) bool {
	return stringList(l).contains(endpoint) || slices.Contains(l, DefaultKey)
}

// Lever names in pipeline order, as the document names them.
const (
	LeverRoute            = "route"
	LeverCompress         = "compress"
	LeverCache            = "cache"
	LeverBatch            = "batch"
	LeverStructuredOutput = "structured_output"
)

// Levers returns the names of the levers the policy sets, in pipeline order.
func (p *Policy) Levers() []string {
	var out []string
	if len(p.Route) > 0 {
		out = append(out, LeverRoute)
	}
	if p.Compress != nil {
		out = append(out, LeverCompress)
	}
	if p.Cache != nil {
		out = append(out, LeverCache)
	}
	if p.Batch != nil {
		out = append(out, LeverBatch)
	}
	if p.StructuredOutput != nil {
		out = append(out, LeverStructuredOutput)
	}
	return out
}

// ParsePolicy decodes a policy file and checks it against the price table:
// unknown keys, unknown models, a TTL other than 5m or 1h and out-of-range
// numbers are errors that name the offending key or value. An empty file is
// a policy with no levers.
func ParsePolicy(data []byte, table *pricing.Table) (*Policy, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)

	var p Policy
	if err := dec.Decode(&p); err != nil && !errors.Is(err, io.EOF) {
		return nil, decodeError(err)
	}
	if err := p.validate(table); err != nil {
		return nil, err
	}
	return &p, nil
}

func (p *Policy) validate(table *pricing.Table) error {
	for i := range p.Route {
		if err := p.Route[i].validate(table); err != nil {
			return fmt.Errorf("route[%d]: %w", i, err)
		}
	}
	checks := []func(*pricing.Table) error{p.validateQuality, p.validateCompress, p.validateCache, p.validateBatch, p.validateStructured}
	for _, check := range checks {
		if err := check(table); err != nil {
			return err
		}
	}
	return nil
}

func (r *RouteRule) validate(table *pricing.Table) error {
	m, err := resolveModel(table, "model", r.Model)
	if err != nil {
		return err
	}
	r.model = m

	for _, name := range r.Match.Model {
		mm, err := resolveModel(table, "match.model", name)
		if err != nil {
			return err
		}
		r.Match.modelIDs = append(r.Match.modelIDs, mm.ID)
	}
	if lo, hi := r.Match.MinInputTokens, r.Match.MaxInputTokens; lo != nil && hi != nil && *lo > *hi {
		return fmt.Errorf("match.min_input_tokens %d is above max_input_tokens %d", *lo, *hi)
	}

	if r.inputRatio, err = positiveRatio("input_token_ratio", r.InputTokenRatio); err != nil {
		return err
	}
	r.outputRatio, err = positiveRatio("output_token_ratio", r.OutputTokenRatio)
	return err
}

func positiveRatio(key string, v *float64) (ratio, error) {
	if v == nil {
		return ratioOne, nil
	}
	if *v <= 0 {
		return ratio{}, fmt.Errorf("%s %v: want a number above 0", key, *v)
	}
	return parseRatio(key, *v)
}

func (p *Policy) validateQuality(table *pricing.Table) error {
	q := p.Quality
	if q == nil {
		return nil
	}
	q.byID = map[string]map[string]float64{}
	for _, ep := range sortedKeys(q.Scores) {
		q.byID[ep] = map[string]float64{}
		for _, name := range sortedKeys(q.Scores[ep]) {
			s := q.Scores[ep][name]
			if s < 0 || s > 1 {
				return fmt.Errorf("quality.scores.%s.%s %v: want a score from 0 to 1", ep, name, s)
			}
			m, err := resolveModel(table, fmt.Sprintf("quality.scores.%s", ep), name)
			if err != nil {
				return err
			}
			q.byID[ep][m.ID] = s
		}
	}
	for _, ep := range sortedKeys(q.Min) {
		if v := q.Min[ep]; v < 0 || v > 1 {
			return fmt.Errorf("quality.min.%s %v: want a score from 0 to 1", ep, v)
		}
	}
	return nil
}

func (p *Policy) validateCompress(table *pricing.Table) error {
	c := p.Compress
	if c == nil {
		return nil
	}
	if c.EveryTurns < 1 {
		return fmt.Errorf("compress.every_turns %d: want 1 or more", c.EveryTurns)
	}
	if c.SummaryTokens < 0 {
		return fmt.Errorf("compress.summary_tokens %d: want 0 or more", c.SummaryTokens)
	}
	if c.Model == "" {
		return errors.New("compress.model is missing: name the model that writes the summaries")
	}
	m, err := resolveModel(table, "compress.model", c.Model)
	c.model = m
	return err
}

func (p *Policy) validateCache(*pricing.Table) error {
	c := p.Cache
	if c == nil {
		return nil
	}
	if c.TTL == "" {
		c.TTL = "5m"
	}
	if c.TTL != "5m" && c.TTL != "1h" {
		return fmt.Errorf("cache.ttl %q: want 5m or 1h", c.TTL)
	}
	for _, ep := range sortedKeys(c.PrefixTokens) {
		if c.PrefixTokens[ep] < 0 {
			return fmt.Errorf("cache.prefix_tokens.%s %d: want 0 or more", ep, c.PrefixTokens[ep])
		}
	}
	return nil
}

func (p *Policy) validateBatch(*pricing.Table) error {
	if p.Batch != nil && len(p.Batch.Endpoints) == 0 {
		return errors.New("batch.endpoints is empty: list the endpoints to move to the batch API, or \"*\" for every endpoint")
	}
	return nil
}

func (p *Policy) validateStructured(*pricing.Table) error {
	s := p.StructuredOutput
	if s == nil {
		return nil
	}
	s.factors = map[string]ratio{}
	for _, ep := range sortedKeys(s.OutputChange) {
		change := s.OutputChange[ep]
		if change <= -1 {
			return fmt.Errorf("structured_output.output_change.%s %v: want a fraction above -1", ep, change)
		}
		r, err := parseRatio("structured_output.output_change."+ep, change)
		if err != nil {
			return err
		}
		s.factors[ep] = ratio{num: ratioScale + r.num}
	}
	for _, ep := range sortedKeys(s.InputOverheadTokens) {
		if s.InputOverheadTokens[ep] < 0 {
			return fmt.Errorf("structured_output.input_overhead_tokens.%s %d: want 0 or more", ep, s.InputOverheadTokens[ep])
		}
	}
	return nil
}

// sectionNames maps the Go types of the policy to the YAML section they
// decode, so that errors name what the user wrote.
var sectionNames = map[string]string{
	"Policy": "the top level", "RouteRule": "a route rule", "Match": "a route match",
	"Quality": "quality", "Compress": "compress", "Cache": "cache", "Batch": "batch",
	"StructuredOutput": "structured_output",
}

var unknownField = regexp.MustCompile(`field (\S+) not found in type simulate\.(\w+)`)

// decodeError rewrites the YAML decoder's errors on one line, naming
// unknown keys and the section they were found in.
func decodeError(err error) error {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return err
	}
	msgs := make([]string, len(te.Errors))
	for i, m := range te.Errors {
		msgs[i] = unknownField.ReplaceAllStringFunc(m, func(s string) string {
			sub := unknownField.FindStringSubmatch(s)
			return fmt.Sprintf("unknown key %q in %s", sub[1], sectionNames[sub[2]])
		})
	}
	return errors.New(strings.Join(msgs, "; "))
}

// resolveModel finds a policy's model name in the table at any date the
// table prices it; the replay resolves it again at each request's time.
func resolveModel(table *pricing.Table, key, name string) (*pricing.Model, error) {
	if name == "" {
		return nil, fmt.Errorf("%s is missing", key)
	}
	for _, m := range table.Models() {
		for _, r := range m.Rows {
			if match, ok := table.Resolve("", name, r.From); ok {
				return match.Model, nil
			}
		}
	}
	return nil, fmt.Errorf("%s %q: unknown model (see costctl prices list)", key, name)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// lookup returns the value for endpoint, else the "*" default.
func lookup[V any](m map[string]V, endpoint string) (V, bool) {
	if v, ok := m[endpoint]; ok {
		return v, true
	}
	v, ok := m[DefaultKey]
	return v, ok
}
