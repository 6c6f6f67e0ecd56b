package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// Names of the sample files.
const (
	appRequestsFile     = "app-requests.jsonl"
	openAIResponsesFile = "openai-responses.jsonl"
)

// timeLayout is RFC 3339 in UTC with milliseconds, as loggers usually write.
const timeLayout = "2006-01-02T15:04:05.000Z07:00"

// flatRecord is one line of costctl's own JSONL format. Field names are the
// canonical request fields; zero optional fields are left out. Input and
// output are pointers so that a row with usage always carries them and a
// no_usage row carries no token field at all.
type flatRecord struct {
	ID           string `json:"id"`
	Time         string `json:"time"`
	Provider     string `json:"provider"`
	Model        string `json:"model"`
	Endpoint     string `json:"endpoint"`
	Tier         string `json:"tier"`
	Customer     string `json:"customer,omitempty"`
	User         string `json:"user"`
	Session      string `json:"session,omitempty"`
	Turn         int64  `json:"turn,omitempty"`
	Input        *int64 `json:"input,omitempty"`
	CacheRead    int64  `json:"cache_read,omitempty"`
	CacheWrite5m int64  `json:"cache_write_5m,omitempty"`
	CacheWrite1h int64  `json:"cache_write_1h,omitempty"`
	Output       *int64 `json:"output,omitempty"`
	Reasoning    int64  `json:"reasoning,omitempty"`
	ServiceTier  string `json:"service_tier,omitempty"`
	Status       string `json:"status"`
	LatencyMS    int64  `json:"latency_ms,omitempty"`
	TTFTMS       int64  `json:"ttft_ms,omitempty"`
	PrefixTokens int64  `json:"prefix_tokens,omitempty"`
	PrefixHash   string `json:"prefix_hash,omitempty"`
}

// idPrefix follows each provider's id style, so the flat file reads like
// what a logger would record.
var idPrefix = map[string]string{
	"anthropic": "msg_sample_",
	"openai":    "chatcmpl-sample-",
	"acme":      "acme_sample_",
}

func newFlatRecord(c *call, seq int) flatRecord {
	rec := flatRecord{
		ID:       fmt.Sprintf("%s%06d", idPrefix[c.model.provider], seq),
		Time:     c.start.Format(timeLayout),
		Provider: c.model.provider, Model: c.model.name,
		Endpoint: c.endpoint, Tier: c.user.tier, Customer: c.user.customer, User: c.user.id,
		Session: c.session, Turn: c.turn,
		Status:    c.status,
		LatencyMS: c.latencyMS, TTFTMS: c.ttftMS,
		PrefixTokens: c.prefix, PrefixHash: c.prefixHash,
	}
	if c.model.provider != "acme" {
		rec.ServiceTier = "standard"
	}
	if c.status != "no_usage" {
		input, output := c.input, c.output
		rec.Input, rec.Output = &input, &output
		rec.CacheRead, rec.CacheWrite5m, rec.CacheWrite1h = c.cacheRead, c.cacheWrite5m, c.cacheWrite1h
	}
	return rec
}

// writeAppRequests writes every call of the app's main service, the ones
// not logged as raw OpenAI responses, in costctl's flat format.
func writeAppRequests(dir string, calls []*call) error {
	return writeLines(filepath.Join(dir, appRequestsFile), func(emit func(any) error) error {
		seq := 0
		for _, c := range calls {
			if c.raw {
				continue
			}
			seq++
			if err := emit(newFlatRecord(c, seq)); err != nil {
				return err
			}
		}
		return nil
	})
}

// writeLines creates path and writes one JSON value per line through emit.
func writeLines(path string, fill func(emit func(any) error) error) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	defer f.Close()

	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if err := fill(enc.Encode); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Close()
}

// inWeek reports whether t falls in the sample week. Conversations that
// start late on Sunday are cut at midnight, like a log rotated weekly.
func inWeek(t time.Time) bool {
	return !t.Before(weekStart) && t.Before(weekStart.AddDate(0, 0, weekDays))
}
