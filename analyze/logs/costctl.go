package logs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/pricing"
)

var costctlJSONLFormat = &format{
	name:        "costctl-jsonl",
	description: "costctl's own flat format: one JSON object per line with the canonical field names (time, provider, model, input, output, …)",
	detect:      detectCostctlJSON,
	parse:       parseCostctlJSON,
}

var costctlCSVFormat = &format{
	name:        "costctl-csv",
	description: "costctl's own flat format as CSV: a header row of canonical field names, one request per row; unknown columns are ignored",
	detectCSV:   detectCostctlCSV,
	newCSV:      newCostctlCSV,
}

// costctlRecord is one request in costctl's flat format; the field names
// are the canonical names of the request record.
type costctlRecord struct {
	ID           flexString `json:"id"`
	Time         timeValue  `json:"time"`
	Provider     flexString `json:"provider"`
	Model        flexString `json:"model"`
	Endpoint     flexString `json:"endpoint"`
	Tier         flexString `json:"tier"`
	Customer     flexString `json:"customer"`
	User         flexString `json:"user"`
	Session      flexString `json:"session"`
	Turn         tokenCount `json:"turn"`
	Workspace    flexString `json:"workspace"`
	Project      flexString `json:"project"`
	APIKey       flexString `json:"api_key"`
	Input        tokenCount `json:"input"`
	CacheRead    tokenCount `json:"cache_read"`
	CacheWrite5m tokenCount `json:"cache_write_5m"`
	CacheWrite1h tokenCount `json:"cache_write_1h"`
	Output       tokenCount `json:"output"`
	Reasoning    tokenCount `json:"reasoning"`
	AudioIn      tokenCount `json:"audio_in"`
	AudioOut     tokenCount `json:"audio_out"`
	ImageIn      tokenCount `json:"image_in"`
	WebSearches  tokenCount `json:"web_searches"`
	ServiceTier  flexString `json:"service_tier"`
	InferenceGeo flexString `json:"inference_geo"`
	Speed        flexString `json:"speed"`
	Status       flexString `json:"status"`
	Attempt      tokenCount `json:"attempt"`
	RetryOf      flexString `json:"retry_of"`
	SampleRate   optFloat   `json:"sample_rate"`
	LatencyMS    tokenCount `json:"latency_ms"`
	TTFTMS       tokenCount `json:"ttft_ms"`
	PrefixTokens tokenCount `json:"prefix_tokens"`
	PrefixHash   flexString `json:"prefix_hash"`
	LoggedCost   optFloat   `json:"logged_cost"`
}

// costctlTokenColumns are the columns whose presence marks a costctl record.
var costctlTokenColumns = []string{"input", "output", "cache_read", "cache_write_5m", "cache_write_1h"}

func detectCostctlJSON(p *probe) bool {
	if p.isWrapped() || has(p.top, "usage") || has(p.top, "object") || has(p.top, "type") {
		return false
	}
	return hasCostctlShape(func(k string) bool { return has(p.top, k) })
}

func detectCostctlCSV(header []string) bool {
	cols := map[string]bool{}
	for _, h := range header {
		cols[h] = true
	}
	return hasCostctlShape(func(k string) bool { return cols[k] })
}

// hasCostctlShape requires a model or time field and a token field.
func hasCostctlShape(has func(string) bool) bool {
	if !has("model") && !has("time") {
		return false
	}
	for _, k := range costctlTokenColumns {
		if has(k) {
			return true
		}
	}
	return false
}

func parseCostctlJSON(data []byte) (*analyze.Request, error) {
	var rec costctlRecord
	if err := json.Unmarshal(data, &rec); err != nil {
		return nil, err
	}
	return rec.request()
}

// request validates the record and converts it.
func (c *costctlRecord) request() (*analyze.Request, error) {
	r := &analyze.Request{
		ID: string(c.ID), Provider: canonicalProvider(string(c.Provider)), Model: string(c.Model),
		Endpoint: string(c.Endpoint), Tier: string(c.Tier), Customer: string(c.Customer),
		User: string(c.User), Session: string(c.Session), Workspace: string(c.Workspace),
		Project: string(c.Project), APIKey: string(c.APIKey),
		ServiceTier: string(c.ServiceTier), InferenceGeo: string(c.InferenceGeo), Speed: string(c.Speed),
		RetryOf: string(c.RetryOf), PrefixHash: string(c.PrefixHash),
	}
	t, err := c.Time.check("time")
	if err != nil {
		return nil, err
	}
	r.Time = t
	if err := c.fillCounts(r); err != nil {
		return nil, err
	}
	if err := c.fillStatus(r); err != nil {
		return nil, err
	}
	if err := c.fillFloats(r); err != nil {
		return nil, err
	}
	return r, nil
}

func (c *costctlRecord) fillCounts(r *analyze.Request) error {
	var v countReader
	r.Tokens[pricing.Input] = v.read(c.Input, "input")
	r.Tokens[pricing.CacheRead] = v.read(c.CacheRead, "cache_read")
	r.Tokens[pricing.CacheWrite5m] = v.read(c.CacheWrite5m, "cache_write_5m")
	r.Tokens[pricing.CacheWrite1h] = v.read(c.CacheWrite1h, "cache_write_1h")
	r.Tokens[pricing.Output] = v.read(c.Output, "output")
	r.Tokens[pricing.AudioIn] = v.read(c.AudioIn, "audio_in")
	r.Tokens[pricing.AudioOut] = v.read(c.AudioOut, "audio_out")
	r.Tokens[pricing.ImageIn] = v.read(c.ImageIn, "image_in")
	r.Reasoning = v.read(c.Reasoning, "reasoning")
	r.WebSearches = v.read(c.WebSearches, "web_searches")
	r.Turn = v.read(c.Turn, "turn")
	r.Attempt = v.read(c.Attempt, "attempt")
	r.LatencyMS = v.read(c.LatencyMS, "latency_ms")
	r.TTFTMS = v.read(c.TTFTMS, "ttft_ms")
	r.PrefixTokens = v.read(c.PrefixTokens, "prefix_tokens")
	return v.err
}

var validStatuses = map[analyze.Status]bool{
	analyze.StatusOK: true, analyze.StatusError: true, analyze.StatusRejected: true,
	analyze.StatusIncomplete: true, analyze.StatusNoUsage: true,
}

func (c *costctlRecord) fillStatus(r *analyze.Request) error {
	s := analyze.Status(strings.ToLower(strings.TrimSpace(string(c.Status))))
	if s == "" {
		s = analyze.StatusOK
	}
	if !validStatuses[s] {
		return invalid("status", "unknown status %q (want ok, error, rejected, incomplete or no_usage)", string(c.Status))
	}
	r.Status = s
	return nil
}

func (c *costctlRecord) fillFloats(r *analyze.Request) error {
	if c.SampleRate.bad != "" {
		return invalid("sample_rate", "%s", c.SampleRate.bad)
	}
	if c.SampleRate.set && (c.SampleRate.v <= 0 || c.SampleRate.v > 1) {
		return invalid("sample_rate", "%v is not in (0, 1]", c.SampleRate.v)
	}
	r.SampleRate = c.SampleRate.v

	if c.LoggedCost.bad != "" {
		return invalid("logged_cost", "%s", c.LoggedCost.bad)
	}
	if c.LoggedCost.set && c.LoggedCost.v < 0 {
		return invalid("logged_cost", "negative cost %v", c.LoggedCost.v)
	}
	r.LoggedCostUSD, r.HasLoggedCost = c.LoggedCost.v, c.LoggedCost.set
	return nil
}

// optFloat is an optional finite number. set is false when the field is
// missing or null, so a logged 0 differs from no value.
type optFloat struct {
	v   float64
	set bool
	bad string
}

// UnmarshalJSON accepts a number or null.
func (f *optFloat) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		*f = optFloat{}
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		*f = optFloat{bad: "non-numeric value " + string(b)}
		return nil
	}
	f.setString(string(b))
	return nil
}

func (f *optFloat) setString(s string) {
	*f = optFloat{}
	s = strings.TrimSpace(s)
	if s == "" {
		return
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		f.bad = "non-numeric value " + strconv.Quote(s)
		return
	}
	f.v, f.set = v, true
}

// costctlColumns sets a record field from a CSV cell, by column name.
var costctlColumns = map[string]func(c *costctlRecord, s string){
	"id":             func(c *costctlRecord, s string) { c.ID = flexString(s) },
	"time":           func(c *costctlRecord, s string) { c.Time.setString(s) },
	"provider":       func(c *costctlRecord, s string) { c.Provider = flexString(s) },
	"model":          func(c *costctlRecord, s string) { c.Model = flexString(s) },
	"endpoint":       func(c *costctlRecord, s string) { c.Endpoint = flexString(s) },
	"tier":           func(c *costctlRecord, s string) { c.Tier = flexString(s) },
	"customer":       func(c *costctlRecord, s string) { c.Customer = flexString(s) },
	"user":           func(c *costctlRecord, s string) { c.User = flexString(s) },
	"session":        func(c *costctlRecord, s string) { c.Session = flexString(s) },
	"turn":           func(c *costctlRecord, s string) { c.Turn.setString(s) },
	"workspace":      func(c *costctlRecord, s string) { c.Workspace = flexString(s) },
	"project":        func(c *costctlRecord, s string) { c.Project = flexString(s) },
	"api_key":        func(c *costctlRecord, s string) { c.APIKey = flexString(s) },
	"input":          func(c *costctlRecord, s string) { c.Input.setString(s) },
	"cache_read":     func(c *costctlRecord, s string) { c.CacheRead.setString(s) },
	"cache_write_5m": func(c *costctlRecord, s string) { c.CacheWrite5m.setString(s) },
	"cache_write_1h": func(c *costctlRecord, s string) { c.CacheWrite1h.setString(s) },
	"output":         func(c *costctlRecord, s string) { c.Output.setString(s) },
	"reasoning":      func(c *costctlRecord, s string) { c.Reasoning.setString(s) },
	"audio_in":       func(c *costctlRecord, s string) { c.AudioIn.setString(s) },
	"audio_out":      func(c *costctlRecord, s string) { c.AudioOut.setString(s) },
	"image_in":       func(c *costctlRecord, s string) { c.ImageIn.setString(s) },
	"web_searches":   func(c *costctlRecord, s string) { c.WebSearches.setString(s) },
	"service_tier":   func(c *costctlRecord, s string) { c.ServiceTier = flexString(s) },
	"inference_geo":  func(c *costctlRecord, s string) { c.InferenceGeo = flexString(s) },
	"speed":          func(c *costctlRecord, s string) { c.Speed = flexString(s) },
	"status":         func(c *costctlRecord, s string) { c.Status = flexString(s) },
	"attempt":        func(c *costctlRecord, s string) { c.Attempt.setString(s) },
	"retry_of":       func(c *costctlRecord, s string) { c.RetryOf = flexString(s) },
	"sample_rate":    func(c *costctlRecord, s string) { c.SampleRate.setString(s) },
	"latency_ms":     func(c *costctlRecord, s string) { c.LatencyMS.setString(s) },
	"ttft_ms":        func(c *costctlRecord, s string) { c.TTFTMS.setString(s) },
	"prefix_tokens":  func(c *costctlRecord, s string) { c.PrefixTokens.setString(s) },
	"prefix_hash":    func(c *costctlRecord, s string) { c.PrefixHash = flexString(s) },
	"logged_cost":    func(c *costctlRecord, s string) { c.LoggedCost.setString(s) },
}

// newCostctlCSV maps the header to setters. Columns with other names are
// ignored, so a spreadsheet export with extra columns (prompt text, notes)
// reads as is. A canonical column named twice is an error, because one of
// its values would be lost silently.
func newCostctlCSV(header []string) (csvRowParser, error) {
	setters := make([]func(*costctlRecord, string), len(header))
	seen := map[string]bool{}
	for i, name := range header {
		if seen[name] && costctlColumns[name] != nil {
			return nil, fmt.Errorf("costctl-csv header names column %q twice", name)
		}
		seen[name] = true
		setters[i] = costctlColumns[name]
	}

	return func(row []string) (*analyze.Request, error) {
		var rec costctlRecord
		for i, set := range setters {
			if set != nil {
				set(&rec, row[i])
			}
		}
		return rec.request()
	}, nil
}
