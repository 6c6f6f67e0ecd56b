package billing

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"time"

	"github.com/costctl/costctl/pricing"
)

// ErrNotBilling is returned by Parse for content that is no billing export.
var ErrNotBilling = errors.New("not a billing export")

// page is one response page of any of the four exports. Anthropic buckets
// carry RFC 3339 starting_at/ending_at, OpenAI buckets Unix start_time and
// end_time.
type page struct {
	Data []bucket `json:"data"`
}

type bucket struct {
	StartingAt string                       `json:"starting_at"`
	EndingAt   string                       `json:"ending_at"`
	StartTime  *int64                       `json:"start_time"`
	EndTime    *int64                       `json:"end_time"`
	Results    []map[string]json.RawMessage `json:"results"`
}

// Export is the content of one export file: its shape and its lines, page
// after page.
type Export struct {
	Shape Shape
	Lines []Line
	Pages int
}

// Parse reads a whole export: one page, several pages one after another
// (as JSON Lines or concatenated), or a JSON array of pages. Every page
// must have the same shape. Content that is not an export, such as a
// request log, returns an error wrapping ErrNotBilling.
func Parse(r io.Reader) (*Export, error) {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	exp := &Export{}
	for {
		var raw json.RawMessage
		err := dec.Decode(&raw)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrNotBilling, err)
		}
		if err := exp.addValue(raw); err != nil {
			return nil, err
		}
	}
	if exp.Pages == 0 {
		return nil, fmt.Errorf("%w: no pages", ErrNotBilling)
	}
	return exp, nil
}

// addValue adds a page or an array of pages.
func (e *Export) addValue(raw json.RawMessage) error {
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) > 0 && trimmed[0] == '[' {
		var pages []json.RawMessage
		if err := json.Unmarshal(trimmed, &pages); err != nil {
			return fmt.Errorf("%w: %w", ErrNotBilling, err)
		}
		for _, p := range pages {
			if err := e.addPage(p); err != nil {
				return err
			}
		}
		return nil
	}
	return e.addPage(trimmed)
}

func (e *Export) addPage(raw json.RawMessage) error {
	shape, ok := DetectPage(raw)
	if !ok {
		return fmt.Errorf("%w: page %d has no data[].results[] of a known export", ErrNotBilling, e.Pages+1)
	}
	if e.Shape == "" || e.Shape == shapeEmpty {
		e.Shape = shape
	}
	if shape != shapeEmpty && shape != e.Shape {
		return fmt.Errorf("page %d is a %s page in a %s export: keep each export in its own file", e.Pages+1, shape, e.Shape)
	}
	e.Pages++

	var p page
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&p); err != nil {
		return fmt.Errorf("page %d: %w", e.Pages, err)
	}
	for i, b := range p.Data {
		lines, err := parseBucket(shape, b)
		if err != nil {
			return fmt.Errorf("page %d: data[%d]: %w", e.Pages, i, err)
		}
		e.Lines = append(e.Lines, lines...)
	}
	return nil
}

func parseBucket(shape Shape, b bucket) ([]Line, error) {
	start, end, err := bucketTimes(b)
	if err != nil {
		return nil, err
	}
	lines := make([]Line, 0, len(b.Results))
	for i, res := range b.Results {
		l := Line{Start: start, End: end}
		if err := parseResult(shape, res, &l); err != nil {
			return nil, fmt.Errorf("results[%d]: %w", i, err)
		}
		lines = append(lines, l)
	}
	return lines, nil
}

func parseResult(shape Shape, res map[string]json.RawMessage, l *Line) error {
	switch shape {
	case AnthropicUsage:
		return parseAnthropicUsage(res, l)
	case AnthropicCost:
		return parseAnthropicCost(res, l)
	case OpenAIUsage:
		return parseOpenAIUsage(res, l)
	case OpenAICost:
		return parseOpenAICost(res, l)
	}
	return fmt.Errorf("result in an export whose shape is unknown")
}

func bucketTimes(b bucket) (time.Time, time.Time, error) {
	if b.StartTime != nil {
		if b.EndTime == nil {
			return time.Time{}, time.Time{}, errors.New("start_time without end_time")
		}
		return time.Unix(*b.StartTime, 0).UTC(), time.Unix(*b.EndTime, 0).UTC(), nil
	}
	start, err := time.Parse(time.RFC3339Nano, b.StartingAt)
	if err != nil {
		return time.Time{}, time.Time{}, fmt.Errorf("starting_at: %w", err)
	}
	end, err := time.Parse(time.RFC3339Nano, b.EndingAt)
	if err != nil {
		return time.Time{}, time.Time{}, fmt.Errorf("ending_at: %w", err)
	}
	return start.UTC(), end.UTC(), nil
}

// count reads a token or call count: absent and null are 0, a negative or
// fractional value is an error.
func count(m map[string]json.RawMessage, key string) (int64, error) {
	raw, ok := m[key]
	if !ok || string(raw) == "null" {
		return 0, nil
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err != nil {
		return 0, fmt.Errorf("%s: %s is not a number", key, raw)
	}
	v, err := n.Int64()
	if err != nil {
		return 0, fmt.Errorf("%s: %s is not a whole number", key, n)
	}
	if v < 0 {
		return 0, fmt.Errorf("%s: negative count %d", key, v)
	}
	return v, nil
}

// text reads a string field; absent and null are "".
func text(m map[string]json.RawMessage, key string) string {
	var s *string
	if err := json.Unmarshal(m[key], &s); err != nil || s == nil {
		return ""
	}
	return *s
}

func object(m map[string]json.RawMessage, key string) map[string]json.RawMessage {
	var o map[string]json.RawMessage
	if err := json.Unmarshal(m[key], &o); err != nil {
		return nil
	}
	return o
}

// picoFromDecimal converts a decimal number text times 10^shift to
// picodollars exactly, rounding half away from zero below one picodollar.
// Anthropic amounts are cents (shift 10), OpenAI amounts dollars (shift 12).
func picoFromDecimal(s string, shift int) (pricing.Pico, error) {
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return 0, fmt.Errorf("%q is not a decimal number", s)
	}
	r.Mul(r, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(shift)), nil)))

	num, den := r.Num(), r.Denom()
	q, rem := new(big.Int).QuoRem(num, den, new(big.Int))
	if new(big.Int).Mul(new(big.Int).Abs(rem), big.NewInt(2)).Cmp(den) >= 0 {
		q.Add(q, big.NewInt(int64(num.Sign())))
	}
	if !q.IsInt64() {
		return 0, fmt.Errorf("%q is too large", s)
	}
	return pricing.Pico(q.Int64()), nil
}
