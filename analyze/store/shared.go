package store

import (
	"database/sql/driver"
	"strconv"
	"strings"
)

// sharedValues marks the columns that contain one value in every row a
// write call stores. The multi-row statement writes that value as a
// literal instead of binding it once per row. Most columns of a batch are
// the same dictionary id, zero or empty in every row (one provider, no
// customer, no audio tokens), and binding values through the driver was
// the largest single cost of writing a row.
type sharedValues struct {
	dict       [numDictColumns]bool
	ints       [numIntColumns]bool
	sampleRate bool
	loggedCost bool
	texts      [numTextColumns]bool
	first      *row
}

// findShared compares every row with the first. Only values whose SQL
// literal is exact are shared: integers, a sample rate of 0 or 1, a
// missing logged cost and empty text.
func findShared(rows []*row) sharedValues {
	var s sharedValues
	if len(rows) == 0 {
		return s
	}
	first := rows[0]
	s.first = first
	for i := range s.dict {
		s.dict[i] = true
	}
	for i := range s.ints {
		s.ints[i] = true
	}
	s.sampleRate = first.sampleRate == 0 || first.sampleRate == 1
	s.loggedCost = !first.loggedCost.Valid
	for i, t := range first.texts {
		s.texts[i] = t == ""
	}

	for _, r := range rows[1:] {
		s.compare(r)
	}
	return s
}

func (s *sharedValues) compare(r *row) {
	for i, d := range r.dict {
		s.dict[i] = s.dict[i] && d == s.first.dict[i]
	}
	for i, n := range r.ints {
		s.ints[i] = s.ints[i] && n == s.first.ints[i]
	}
	s.sampleRate = s.sampleRate && r.sampleRate == s.first.sampleRate
	s.loggedCost = s.loggedCost && !r.loggedCost.Valid
	for i, t := range r.texts {
		s.texts[i] = s.texts[i] && t == ""
	}
}

// tuple is one row of the VALUES list, in requestColumns order: a literal
// for a shared column, a placeholder for the others. It needs at least one
// row.
func (s *sharedValues) tuple() string {
	parts := []string{"?", "?", "?"} // id, dedup_key, time_ms
	for i, shared := range s.dict {
		parts = append(parts, literalOr(shared, strconv.FormatInt(s.first.dict[i], 10)))
	}
	for i, shared := range s.ints {
		parts = append(parts, literalOr(shared, strconv.FormatInt(s.first.ints[i], 10)))
	}
	parts = append(parts, literalOr(s.sampleRate, strconv.FormatFloat(s.first.sampleRate, 'f', 1, 64)))
	parts = append(parts, literalOr(s.loggedCost, "NULL"))
	for _, shared := range s.texts {
		parts = append(parts, literalOr(shared, "''"))
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

func literalOr(shared bool, literal string) string {
	if shared {
		return literal
	}
	return "?"
}

// appendNamedValues appends r's values for the placeholders of tuple, as
// driver arguments.
func (s *sharedValues) appendNamedValues(v []driver.NamedValue, r *row) []driver.NamedValue {
	add := func(x driver.Value) { v = append(v, driver.NamedValue{Ordinal: len(v) + 1, Value: x}) }
	add(r.id)
	add(r.key)
	add(r.timeMS)
	for i, d := range r.dict {
		if !s.dict[i] {
			add(d)
		}
	}
	for i, n := range r.ints {
		if !s.ints[i] {
			add(n)
		}
	}
	if !s.sampleRate {
		add(r.sampleRate)
	}
	if !s.loggedCost {
		add(nullableFloat(r))
	}
	for i, t := range r.texts {
		if !s.texts[i] {
			add(t)
		}
	}
	return v
}

func nullableFloat(r *row) driver.Value {
	if r.loggedCost.Valid {
		return r.loggedCost.Float64
	}
	return nil
}

// appendValues is appendNamedValues for database/sql.
func (s *sharedValues) appendValues(v []any, r *row) []any {
	var named []driver.NamedValue
	for _, nv := range s.appendNamedValues(named, r) {
		v = append(v, nv.Value)
	}
	return v
}
