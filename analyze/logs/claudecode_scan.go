package logs

import (
	"bytes"
	"encoding/json"
)

// The fast path of the Claude Code parser. Most bytes of a transcript are
// message content that the parser ignores, yet encoding/json scans every
// line twice (validation, then decoding). After one validation pass the
// fast path finds the few fields it needs by skipping values byte-wise
// and decodes only those. Whenever a line could decode differently or fail
// in json.Unmarshal (a key matched only case-insensitively, a repeated or
// escaped key, a value of an unexpected kind, a field that does not
// decode), it returns ok=false and the caller decodes the whole line, so
// results and rejection messages are those of json.Unmarshal.

// claudeCodeTopKeys are the top-level fields claudeCodeLine decodes.
var claudeCodeTopKeys = []string{"type", "timestamp", "sessionId", "requestId", "costUSD", "message"}

// claudeCodeMessageKeys are the fields of message that claudeCodeLine decodes.
var claudeCodeMessageKeys = []string{"id", "model", "usage"}

// scanClaudeCode decodes a line as json.Unmarshal into claudeCodeLine
// would, or returns ok=false when it cannot tell that it would.
func scanClaudeCode(data []byte) (line claudeCodeLine, ok bool) {
	start := skipSpace(data, 0)
	if start == len(data) || data[start] != '{' || !validJSON(data) {
		return line, false
	}
	var buf [6][]byte
	top := buf[:len(claudeCodeTopKeys)]
	if !objectFields(data[start:], claudeCodeTopKeys, top) {
		return line, false
	}
	if !decodeClaudeCodeTop(top, &line) {
		return line, false
	}
	return line, decodeClaudeCodeMessage(top[5], &line)
}

func decodeClaudeCodeTop(top [][]byte, line *claudeCodeLine) bool {
	typ, ts, session, request, cost := top[0], top[1], top[2], top[3], top[4]
	if typ != nil && !isNull(typ) {
		if typ[0] != '"' || bytes.IndexByte(typ, '\\') >= 0 {
			return false
		}
		line.Type = string(typ[1 : len(typ)-1])
	}
	if cost != nil && json.Unmarshal(cost, &line.CostUSD) != nil {
		return false
	}
	for _, f := range []struct {
		raw []byte
		dst json.Unmarshaler
	}{{ts, &line.Timestamp}, {session, &line.SessionID}, {request, &line.RequestID}} {
		if f.raw != nil && f.dst.UnmarshalJSON(f.raw) != nil {
			return false
		}
	}
	return true
}

// decodeClaudeCodeMessage decodes message's id, model and usage. A line that
// is not an assistant line gets no message, as parseClaudeCode skips it
// anyway, unless decoding its usage could fail.
func decodeClaudeCodeMessage(raw []byte, line *claudeCodeLine) bool {
	if raw == nil || isNull(raw) {
		return true
	}
	if raw[0] != '{' {
		return false
	}
	var buf [3][]byte
	fields := buf[:len(claudeCodeMessageKeys)]
	if !objectFields(raw, claudeCodeMessageKeys, fields) {
		return false
	}
	id, model, usage := fields[0], fields[1], fields[2]
	if line.Type != "assistant" && usage == nil {
		return true
	}

	msg := &claudeCodeMessage{}
	for _, f := range []struct {
		raw []byte
		dst *flexString
	}{{id, &msg.ID}, {model, &msg.Model}} {
		if f.raw != nil && f.dst.UnmarshalJSON(f.raw) != nil {
			return false
		}
	}
	if usage != nil && !decodeUsage(usage, &msg.Usage) {
		return false
	}
	line.Message = msg
	return true
}

// usageKeys are the fields of anthropicUsage, in the order decodeUsage
// reads them.
var usageKeys = []string{
	"input_tokens", "cache_creation_input_tokens", "cache_read_input_tokens", "output_tokens",
	"service_tier", "inference_geo", "speed", "cache_creation", "server_tool_use",
}

// decodeUsage decodes a usage object as json.Unmarshal into dst would.
// Every field's own UnmarshalJSON is called directly, which saves the
// reflection that made the generic decoder the largest cost per line.
func decodeUsage(raw []byte, dst **anthropicUsage) bool {
	if isNull(raw) {
		*dst = nil
		return true
	}
	if raw[0] != '{' {
		return false
	}
	var buf [9][]byte
	f := buf[:len(usageKeys)]
	if !objectFields(raw, usageKeys, f) {
		return false
	}

	u := &anthropicUsage{}
	fields := []json.Unmarshaler{
		&u.InputTokens, &u.CacheCreationInputTokens, &u.CacheReadInputTokens, &u.OutputTokens,
		&u.ServiceTier, &u.InferenceGeo, &u.Speed,
	}
	for i, dst := range fields {
		if f[i] != nil && dst.UnmarshalJSON(f[i]) != nil {
			return false
		}
	}
	if !decodeCacheCreation(f[7], u) || !decodeServerToolUse(f[8], u) {
		return false
	}
	*dst = u
	return true
}

func decodeCacheCreation(raw []byte, u *anthropicUsage) bool {
	if raw == nil || isNull(raw) {
		return true
	}
	if raw[0] != '{' {
		return false
	}
	var f [2][]byte
	if !objectFields(raw, cacheCreationKeys, f[:]) {
		return false
	}
	u.CacheCreation = &struct {
		Ephemeral5m tokenCount `json:"ephemeral_5m_input_tokens"`
		Ephemeral1h tokenCount `json:"ephemeral_1h_input_tokens"`
	}{}
	return unmarshalPresent(f[0], &u.CacheCreation.Ephemeral5m) && unmarshalPresent(f[1], &u.CacheCreation.Ephemeral1h)
}

func decodeServerToolUse(raw []byte, u *anthropicUsage) bool {
	if raw == nil || isNull(raw) {
		return true
	}
	if raw[0] != '{' {
		return false
	}
	var f [1][]byte
	if !objectFields(raw, serverToolUseKeys, f[:]) {
		return false
	}
	u.ServerToolUse = &struct {
		WebSearchRequests tokenCount `json:"web_search_requests"`
	}{}
	return unmarshalPresent(f[0], &u.ServerToolUse.WebSearchRequests)
}

var (
	cacheCreationKeys = []string{"ephemeral_5m_input_tokens", "ephemeral_1h_input_tokens"}
	serverToolUseKeys = []string{"web_search_requests"}
)

func unmarshalPresent(raw []byte, dst json.Unmarshaler) bool {
	return raw == nil || dst.UnmarshalJSON(raw) == nil
}

func isNull(raw []byte) bool { return string(raw) == "null" }

// objectFields sets values[k] to the raw value of keys[k] in the valid JSON
// object data and leaves it nil for an absent key. values must be all nil
// and as long as keys. The caller passes the slice so that it can live on
// the caller's stack. It returns false when a key is repeated, escaped, or
// equal to a wanted key only under case folding, because json.Unmarshal
// would then resolve it by rules this scan does not copy.
func objectFields(data []byte, keys []string, values [][]byte) bool {
	i := skipSpace(data, 1)
	for i < len(data) && data[i] == '"' {
		end := skipString(data, i)
		key := data[i+1 : end-1]
		i = skipSpace(data, end)
		i = skipSpace(data, i+1) // the colon
		vend := skipValue(data, i)
		if !noteField(key, data[i:vend], keys, values) {
			return false
		}
		i = skipSpace(data, vend)
		if i < len(data) && data[i] == ',' {
			i = skipSpace(data, i+1)
		}
	}
	return true
}

// noteField stores value under the wanted key that key names exactly.
func noteField(key, value []byte, keys []string, values [][]byte) bool {
	if bytes.IndexByte(key, '\\') >= 0 {
		return false
	}
	for k, want := range keys {
		if string(key) == want {
			if values[k] != nil {
				return false
			}
			values[k] = value
			return true
		}
		if bytes.EqualFold(key, []byte(want)) {
			return false
		}
	}
	return true
}

func skipSpace(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the index after the string literal starting at i.
func skipString(data []byte, i int) int {
	j := i + 1
	for {
		k := bytes.IndexByte(data[j:], '"')
		if k < 0 {
			return len(data)
		}
		j += k
		if escapedQuote(data, j) {
			j++
			continue
		}
		return j + 1
	}
}

// escapedQuote reports whether the quote at j follows an odd number of
// backslashes.
func escapedQuote(data []byte, j int) bool {
	n := 0
	for j-1-n >= 0 && data[j-1-n] == '\\' {
		n++
	}
	return n%2 == 1
}

// skipValue returns the index after the JSON value starting at i. data must
// be valid JSON.
func skipValue(data []byte, i int) int {
	if i >= len(data) {
		return i
	}
	switch data[i] {
	case '"':
		return skipString(data, i)
	case '{', '[':
		return skipComposite(data, i)
	}
	for i < len(data) && !bytes.ContainsRune([]byte(",}] \t\r\n"), rune(data[i])) {
		i++
	}
	return i
}

func skipComposite(data []byte, i int) int {
	depth := 0
	for j := i; j < len(data); j++ {
		switch data[j] {
		case '"':
			j = skipString(data, j) - 1
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				return j + 1
			}
		}
	}
	return len(data)
}
