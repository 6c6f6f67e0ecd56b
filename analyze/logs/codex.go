package logs

import (
	"encoding/json"
	"path/filepath"
	"strings"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/pricing"
)

var codexFormat = &format{
	name:        "codex",
	description: "Codex CLI rollout files (~/.codex/sessions/**/rollout-*.jsonl): one request per new cumulative token_count total",
	detect:      detectCodex,
	newParse:    newCodexParser,
}

// codexLineTypes are the line types Codex CLI writes to a rollout file.
var codexLineTypes = map[string]bool{
	"session_meta": true, "turn_context": true, "event_msg": true,
	"response_item": true, "compacted": true,
}

func detectCodex(p *probe) bool {
	return codexLineTypes[str(p.top, "type")] && has(p.top, "payload", "timestamp")
}

type codexLine struct {
	Timestamp timeValue     `json:"timestamp"`
	Type      string        `json:"type"`
	Payload   *codexPayload `json:"payload"`
}

// codexPayload holds the payload fields of the line types that matter:
// session_meta (id, model_provider), turn_context (model) and event_msg of
// type token_count (info, which is null before the first API response).
type codexPayload struct {
	Type          string     `json:"type"`
	ID            flexString `json:"id"`
	Model         flexString `json:"model"`
	ModelProvider flexString `json:"model_provider"`
	Info          *struct {
		Total *codexUsage `json:"total_token_usage"`
		Last  *codexUsage `json:"last_token_usage"`
	} `json:"info"`
}

// codexUsage is a Codex token count. input_tokens includes
// cached_input_tokens, and output_tokens includes reasoning_output_tokens.
type codexUsage struct {
	InputTokens           tokenCount `json:"input_tokens"`
	CachedInputTokens     tokenCount `json:"cached_input_tokens"`
	OutputTokens          tokenCount `json:"output_tokens"`
	ReasoningOutputTokens tokenCount `json:"reasoning_output_tokens"`
}

// codexTotals is a checked codexUsage.
type codexTotals struct{ input, cached, output, reasoning int64 }

func (u *codexUsage) check(path string) (codexTotals, error) {
	var v countReader
	t := codexTotals{
		input:     v.read(u.InputTokens, path+"input_tokens"),
		cached:    v.read(u.CachedInputTokens, path+"cached_input_tokens"),
		output:    v.read(u.OutputTokens, path+"output_tokens"),
		reasoning: v.read(u.ReasoningOutputTokens, path+"reasoning_output_tokens"),
	}
	return t, v.err
}

// minus returns t − prev. A total lower than the previous one in any
// field means the counter restarted, so the whole total is new usage.
func (t codexTotals) minus(prev codexTotals) codexTotals {
	if t.input < prev.input || t.cached < prev.cached || t.output < prev.output || t.reasoning < prev.reasoning {
		return t
	}
	return codexTotals{t.input - prev.input, t.cached - prev.cached, t.output - prev.output, t.reasoning - prev.reasoning}
}

// codexSession is the state of one rollout file.
type codexSession struct {
	id, model, provider string
	prev                codexTotals
}

// newCodexParser returns the parser of one rollout file. Codex writes
// token_count events whose total_token_usage is cumulative for the
// session, and it re-emits an unchanged total (rate-limit updates, UI
// refreshes). Each distinct total is one request whose usage is the
// difference from the previous total. Summing last_token_usage instead
// would count every re-emit again. The session is the
// session_meta id, else the file name without its extensions.
func newCodexParser(source string) parseFunc {
	s := &codexSession{id: codexFileSession(source), provider: "openai"}
	return s.parse
}

func codexFileSession(source string) string {
	if source == "-" {
		return ""
	}
	name := filepath.Base(source)
	name, _, _ = strings.Cut(name, ".")
	return name
}

func (s *codexSession) parse(data []byte) (*analyze.Request, error) {
	var line codexLine
	if err := json.Unmarshal(data, &line); err != nil {
		return nil, err
	}
	p := line.Payload
	if p == nil {
		return nil, nil
	}

	switch {
	case line.Type == "session_meta":
		s.remember(&s.id, p.ID)
		if p.ModelProvider != "" {
			s.provider = canonicalProvider(string(p.ModelProvider))
		}
	case line.Type == "turn_context":
		s.remember(&s.model, p.Model)
	case line.Type == "event_msg" && p.Type == "token_count" && p.Info != nil:
		return s.tokenCount(&line)
	}
	return nil, nil
}

func (s *codexSession) remember(dst *string, v flexString) {
	if v != "" {
		*dst = string(v)
	}
}

// tokenCount converts a token_count event, or skips it when its total is
// the one already counted. An event with last_token_usage only (no
// cumulative total) is taken as one call.
func (s *codexSession) tokenCount(line *codexLine) (*analyze.Request, error) {
	info := line.Payload.Info
	var delta codexTotals
	path := "payload.info.total_token_usage."
	switch {
	case info.Total != nil:
		total, err := info.Total.check(path)
		if err != nil {
			return nil, err
		}
		if err := total.checkCached(path); err != nil {
			return nil, err
		}
		if total == s.prev {
			return nil, nil
		}
		delta = total.minus(s.prev)
		s.prev = total
	case info.Last != nil:
		path = "payload.info.last_token_usage."
		last, err := info.Last.check(path)
		if err != nil {
			return nil, err
		}
		delta = last
	default:
		return nil, nil
	}
	return s.request(line, delta, path)
}

func (t codexTotals) checkCached(path string) error {
	if t.input < t.cached {
		return invalid(path+"input_tokens", "%d input tokens are fewer than their cached part %d", t.input, t.cached)
	}
	return nil
}

func (s *codexSession) request(line *codexLine, d codexTotals, path string) (*analyze.Request, error) {
	if err := d.checkCached(path); err != nil {
		return nil, err
	}
	t, err := line.Timestamp.check("timestamp")
	if err != nil {
		return nil, err
	}

	r := &analyze.Request{Time: t, Provider: s.provider, Model: s.model, Session: s.id}
	r.Tokens[pricing.Input] = d.input - d.cached
	r.Tokens[pricing.CacheRead] = d.cached
	r.Tokens[pricing.Output] = d.output
	r.Reasoning = min(d.reasoning, d.output)
	return r, nil
}
