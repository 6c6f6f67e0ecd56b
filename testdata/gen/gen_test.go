package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// committedDir is the sample the repository ships, relative to this package.
const committedDir = "../sample"

// Request counts of the committed sample. A generator change that moves
// them must update them here, so the change is deliberate.
const (
	wantAppRequests     = 3329
	wantOpenAIResponses = 378
)

func TestGenerateMatchesCommittedSample(t *testing.T) {
	dir := t.TempDir()
	if err := generate(dir); err != nil {
		t.Fatalf("generate: %v", err)
	}

	for _, name := range []string{appRequestsFile, openAIResponsesFile} {
		got := readFile(t, filepath.Join(dir, name))
		want := readFile(t, filepath.Join(committedDir, name))
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from the generator's output; run: go run ./testdata/gen -out testdata/sample", name)
		}
	}
}

func TestSampleSizeUnderTwoMegabytes(t *testing.T) {
	var total int64
	for _, name := range []string{appRequestsFile, openAIResponsesFile} {
		info, err := os.Stat(filepath.Join(committedDir, name))
		if err != nil {
			t.Fatal(err)
		}
		total += info.Size()
	}
	if total > 2<<20 {
		t.Errorf("sample is %d bytes, want at most 2 MiB", total)
	}
}

func TestAppRequestsInvariants(t *testing.T) {
	lines := readLines(t, filepath.Join(committedDir, appRequestsFile))
	if len(lines) != wantAppRequests {
		t.Errorf("got %d requests, want %d", len(lines), wantAppRequests)
	}

	ids := map[string]int{}
	statuses := map[string]int{}
	models := map[string]bool{}
	for i, line := range lines {
		rec := decodeFlat(t, i+1, line)
		if prev, ok := ids[rec.ID]; ok {
			t.Errorf("line %d: id %s already on line %d", i+1, rec.ID, prev)
		}
		ids[rec.ID] = i + 1
		statuses[rec.Status]++
		models[rec.Model] = true
		checkFlatRecord(t, i+1, rec)
	}

	for _, status := range []string{"ok", "error", "no_usage"} {
		if statuses[status] == 0 {
			t.Errorf("no request with status %s", status)
		}
	}
	for _, name := range []string{sonnet45.name, haiku45.name, haiku35.name, gpt4oMini.name, acme7b.name} {
		if !models[name] {
			t.Errorf("no request for model %s", name)
		}
	}
}

// checkFlatRecord checks one flat row: time in the week, no negative
// tokens, and token fields present exactly when the status has usage.
func checkFlatRecord(t *testing.T, line int, rec flatRecord) {
	t.Helper()

	at, err := time.Parse(time.RFC3339, rec.Time)
	if err != nil {
		t.Errorf("line %d: time %q: %v", line, rec.Time, err)
	} else if !inWeek(at) {
		t.Errorf("line %d: time %s is outside the sample week", line, rec.Time)
	}

	hasUsage := rec.Input != nil || rec.Output != nil
	if hasUsage == (rec.Status == "no_usage") {
		t.Errorf("line %d: status %s with token fields present = %v", line, rec.Status, hasUsage)
	}

	for name, n := range flatTokens(rec) {
		if n < 0 {
			t.Errorf("line %d: %s = %d, want >= 0", line, name, n)
		}
	}
}

func flatTokens(rec flatRecord) map[string]int64 {
	tokens := map[string]int64{
		"cache_read": rec.CacheRead, "cache_write_5m": rec.CacheWrite5m,
		"cache_write_1h": rec.CacheWrite1h, "reasoning": rec.Reasoning,
	}
	if rec.Input != nil {
		tokens["input"] = *rec.Input
	}
	if rec.Output != nil {
		tokens["output"] = *rec.Output
	}
	return tokens
}

func TestOpenAIResponsesInvariants(t *testing.T) {
	lines := readLines(t, filepath.Join(committedDir, openAIResponsesFile))
	if len(lines) != wantOpenAIResponses {
		t.Errorf("got %d responses, want %d", len(lines), wantOpenAIResponses)
	}

	ids := map[string]int{}
	for i, line := range lines {
		var logged loggedResponse
		if err := strictUnmarshal(line, &logged); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		resp := logged.Response
		if prev, ok := ids[resp.ID]; ok {
			t.Errorf("line %d: id %s already on line %d", i+1, resp.ID, prev)
		}
		ids[resp.ID] = i + 1
		checkLoggedResponse(t, i+1, logged)
	}
}

// checkLoggedResponse checks the usage arithmetic of one Chat Completions
// response: OpenAI's totals include the cached and reasoning subsets.
func checkLoggedResponse(t *testing.T, line int, logged loggedResponse) {
	t.Helper()

	resp := logged.Response
	u := resp.Usage
	if resp.Object != "chat.completion" || logged.Endpoint != "meal_plan" {
		t.Errorf("line %d: object %q endpoint %q", line, resp.Object, logged.Endpoint)
	}
	if resp.Model != gpt4oMini.name && resp.Model != gpt4o.name {
		t.Errorf("line %d: model %s", line, resp.Model)
	}
	if u.PromptTokens < 0 || u.CompletionTokens < 0 || u.PromptTokensDetails.CachedTokens < 0 {
		t.Errorf("line %d: negative usage %+v", line, u)
	}
	if u.PromptTokensDetails.CachedTokens > u.PromptTokens {
		t.Errorf("line %d: cached_tokens %d > prompt_tokens %d", line, u.PromptTokensDetails.CachedTokens, u.PromptTokens)
	}
	if u.CompletionTokensDetails.ReasoningTokens > u.CompletionTokens {
		t.Errorf("line %d: reasoning_tokens %d > completion_tokens %d", line, u.CompletionTokensDetails.ReasoningTokens, u.CompletionTokens)
	}
	if u.TotalTokens != u.PromptTokens+u.CompletionTokens {
		t.Errorf("line %d: total_tokens %d != %d + %d", line, u.TotalTokens, u.PromptTokens, u.CompletionTokens)
	}

	at, err := time.Parse(time.RFC3339, logged.Timestamp)
	if err != nil || at.Unix() != resp.Created {
		t.Errorf("line %d: timestamp %s does not match created %d (%v)", line, logged.Timestamp, resp.Created, err)
	}
}

func TestSomeMealPlansHitTheCache(t *testing.T) {
	var cached int
	for _, line := range readLines(t, filepath.Join(committedDir, openAIResponsesFile)) {
		var logged loggedResponse
		if err := json.Unmarshal(line, &logged); err != nil {
			t.Fatal(err)
		}
		if logged.Response.Usage.PromptTokensDetails.CachedTokens > 0 {
			cached++
		}
	}
	if cached == 0 {
		t.Error("no meal_plan response reads the prompt cache")
	}
}

func decodeFlat(t *testing.T, line int, data []byte) flatRecord {
	t.Helper()
	var rec flatRecord
	if err := strictUnmarshal(data, &rec); err != nil {
		t.Fatalf("line %d: %v", line, err)
	}
	return rec
}

// strictUnmarshal rejects fields the generator does not write, so a line
// that decodes is a line of the documented shape.
func strictUnmarshal(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// readLines returns the file's lines, failing on any that is not JSON.
func readLines(t *testing.T, path string) [][]byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	var lines [][]byte
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		line := bytes.Clone(sc.Bytes())
		if !json.Valid(line) {
			t.Fatalf("%s:%d: invalid JSON", path, len(lines)+1)
		}
		lines = append(lines, line)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return lines
}
