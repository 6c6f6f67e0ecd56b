package logs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// recordError is a record-level failure with the field that caused it.
type recordError struct {
	kind   RejectKind
	field  string
	reason string
}

func (e *recordError) Error() string { return e.field + ": " + e.reason }

func invalid(field, format string, args ...any) *recordError {
	return &recordError{kind: RejectInvalid, field: field, reason: fmt.Sprintf(format, args...)}
}

func malformed(format string, args ...any) *recordError {
	return &recordError{kind: RejectMalformed, reason: fmt.Sprintf(format, args...)}
}

// tokenCount is a non-negative integer field. Decoding never fails: a bad
// value is remembered in bad and reported by check, so the whole record is
// rejected naming the field instead of failing the JSON decode.
type tokenCount struct {
	n   int64
	bad string
}

// UnmarshalJSON accepts a JSON number or null; null counts as 0.
func (c *tokenCount) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		c.n, c.bad = 0, "non-numeric count "+string(b)
		return nil
	}
	if bytes.Equal(b, []byte("null")) {
		c.n, c.bad = 0, ""
		return nil
	}
	c.n, c.bad = parseCount(string(b))
	return nil
}

// setString parses a CSV cell; an empty cell counts as 0.
func (c *tokenCount) setString(s string) {
	s = strings.TrimSpace(s)
	if s == "" {
		c.n, c.bad = 0, ""
		return
	}
	c.n, c.bad = parseCount(s)
}

// check returns the count, or an invalid-value error naming field.
func (c tokenCount) check(field string) (int64, error) {
	if c.bad != "" {
		return 0, invalid(field, "%s", c.bad)
	}
	return c.n, nil
}

// parseCount accepts an integer literal, or a number with a fraction or
// exponent whose value is a whole number (1000.0, as Python writes floats).
func parseCount(s string) (int64, string) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err == nil {
		if n < 0 {
			return 0, "negative count " + s
		}
		return n, ""
	}
	if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
		return 0, "count " + s + " is out of range"
	}
	return parseFloatCount(s)
}

func parseFloatCount(s string) (int64, string) {
	f, err := strconv.ParseFloat(s, 64)
	switch {
	case err != nil && !isRangeErr(err):
		return 0, "non-numeric count " + strconv.Quote(s)
	case math.IsNaN(f) || math.IsInf(f, 0) || isRangeErr(err):
		return 0, "count " + s + " is out of range"
	case f < 0:
		return 0, "negative count " + s
	case f != math.Trunc(f):
		return 0, "fractional count " + s
	case f >= math.MaxInt64:
		return 0, "count " + s + " is out of range"
	}
	return int64(f), ""
}

func isRangeErr(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

// flexString is a string field that also accepts a number or a boolean
// (some loggers write customer ids as numbers); null is empty.
type flexString string

// UnmarshalJSON keeps a string's value or any other literal's text.
func (s *flexString) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		v, err := unquote(b)
		*s = flexString(v)
		return err
	}
	if bytes.Equal(b, []byte("null")) {
		*s = ""
		return nil
	}
	*s = flexString(b)
	return nil
}

// unquote decodes a JSON string literal. The decoder has already checked
// the syntax, so a literal without escapes is just its inner bytes.
func unquote(b []byte) (string, error) {
	if bytes.IndexByte(b, '\\') < 0 {
		return string(b[1 : len(b)-1]), nil
	}
	var v string
	err := json.Unmarshal(b, &v)
	return v, err
}

// timeValue is a timestamp field: an RFC 3339 string, a date, or a Unix
// time in seconds (or milliseconds, microseconds, nanoseconds by magnitude).
type timeValue struct {
	t   time.Time
	bad string
}

// UnmarshalJSON parses a string or number; null leaves the time zero.
func (v *timeValue) UnmarshalJSON(b []byte) error {
	v.t, v.bad = time.Time{}, ""
	switch {
	case bytes.Equal(b, []byte("null")):
	case len(b) > 0 && b[0] == '"':
		s, err := unquote(b)
		if err != nil {
			return err
		}
		v.setString(s)
	default:
		v.t, v.bad = parseUnixTime(string(b))
	}
	return nil
}

// setString parses a CSV cell or JSON string; empty leaves the time zero.
func (v *timeValue) setString(s string) {
	v.t, v.bad = time.Time{}, ""
	s = strings.TrimSpace(s)
	if s != "" {
		v.t, v.bad = parseTimeString(s)
	}
}

func (v timeValue) check(field string) (time.Time, error) {
	if v.bad != "" {
		return time.Time{}, invalid(field, "%s", v.bad)
	}
	return v.t, nil
}

// timeLayouts are tried in order. A value without a zone offset is taken
// as UTC: Python's datetime.utcnow().isoformat(), for one, writes UTC
// without an offset.
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999",
	time.DateOnly,
}

func parseTimeString(s string) (time.Time, string) {
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), ""
		}
	}
	if t, bad := parseUnixTime(s); bad == "" {
		return t, ""
	}
	return time.Time{}, "invalid timestamp " + strconv.Quote(s) + " (want RFC 3339, a date or Unix seconds)"
}

// parseUnixTime reads a Unix timestamp. Its unit is inferred from the
// magnitude: values from 1e11 on cannot be seconds of a plausible date
// (1e11 s is the year 5138), so they are taken as milliseconds, and so on.
func parseUnixTime(s string) (time.Time, string) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || math.IsInf(f, 0) || math.IsNaN(f) || f >= 1e20 {
		return time.Time{}, "invalid timestamp " + s
	}
	switch {
	case f >= 1e17:
		f /= 1e9
	case f >= 1e14:
		f /= 1e6
	case f >= 1e11:
		f /= 1e3
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9)).UTC(), ""
}

// canonicalProvider maps common spellings to the canonical provider names;
// anything else is kept, lower-cased, as logged.
func canonicalProvider(p string) string {
	p = strings.ToLower(strings.TrimSpace(p))
	switch p {
	case "bedrock", "aws", "aws-bedrock", "aws.bedrock", "amazon-bedrock":
		return "aws_bedrock"
	case "vertex", "vertexai", "vertex-ai", "google-vertex", "gcp.vertex_ai":
		return "vertex_ai"
	case "gemini", "google-ai", "gcp.gemini", "google_ai_studio":
		return "google"
	}
	return p
}
