package clickhouse

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/costctl/costctl/analyze/billing"
	"github.com/costctl/costctl/analyze/store"
	"github.com/costctl/costctl/pricing"
)

// WriteBilling stores the lines of one export. A line whose identity is
// stored already replaces the stored copy only when it is more complete
// (billing.Line.MoreComplete): the new copy is inserted at a higher
// revision and readers take the highest revision of each identity.
//
// NOTE: two exports written at the same moment by two processes may both
// read the old copy. The later revision then wins, even when it is the
// less complete one.
func (s *Store) WriteBilling(ctx context.Context, lines []billing.Line, source string) (store.BillingStats, error) {
	var stats store.BillingStats
	if s.readOnly {
		return stats, errors.New("write billing: the store is open read-only")
	}
	current, err := s.storedBilling(ctx, lines)
	if err != nil {
		return stats, fmt.Errorf("write billing: %w", err)
	}

	revision := uint64(time.Now().UnixNano())
	var buf bytes.Buffer
	for i := range lines {
		l := &lines[i]
		id := l.Identity()
		stored, ok := current[id]
		switch {
		case ok && !l.MoreComplete(&stored):
			stats.Kept++
			continue
		case ok:
			stats.Replaced++
		default:
			stats.Inserted++
		}
		current[id] = *l
		appendBilling(&buf, l, source, revision)
	}
	if buf.Len() == 0 {
		return stats, nil
	}
	insert := "INSERT INTO billing (" + joinQuoted(billingColumns) + ") FORMAT TabSeparated"
	if err := s.c.insert(ctx, insert, &buf); err != nil {
		return store.BillingStats{}, fmt.Errorf("write billing: %w", err)
	}
	return stats, nil
}

// storedBilling reads the current copies of the lines' identities.
func (s *Store) storedBilling(ctx context.Context, lines []billing.Line) (map[string]billing.Line, error) {
	out := map[string]billing.Line{}
	if len(lines) == 0 {
		return out, nil
	}
	var ids []string
	for i := range lines {
		ids = append(ids, "'"+sqlEscaper.Replace(lines[i].Identity())+"'")
	}
	stored, err := s.readBilling(ctx, "identity IN ("+strings.Join(ids, ", ")+")")
	for _, l := range stored {
		out[l.Identity()] = l
	}
	return out, err
}

// sqlEscaper escapes a string for a single-quoted SQL literal.
var sqlEscaper = strings.NewReplacer(`\`, `\\`, `'`, `\'`, "\x00", `\0`)

func appendBilling(buf *bytes.Buffer, l *billing.Line, source string, revision uint64) {
	text := []string{
		l.Identity(), l.Provider, string(l.Kind), strconv.FormatInt(l.Start.UnixMilli(), 10), strconv.FormatInt(l.End.UnixMilli(), 10),
		l.Model, l.ServiceTier, l.ContextWindow, l.InferenceGeo,
		l.Workspace, l.Project, l.APIKey, l.CostType, l.TokenType,
		l.Description, l.LineItem, l.Currency,
	}
	for c := pricing.Class(0); c < pricing.NumClasses; c++ {
		text = append(text, strconv.FormatInt(l.Usage.Tokens[c], 10))
	}
	for _, n := range []int64{l.Usage.WebSearches, l.CodeExecution, l.Requests, int64(l.Amount)} {
		text = append(text, strconv.FormatInt(n, 10))
	}
	text = append(text, source, strconv.FormatUint(revision, 10))
	for i, t := range text {
		if i > 0 {
			buf.WriteByte('\t')
		}
		buf.WriteString(tsvEscaper.Replace(t))
	}
	buf.WriteByte('\n')
}

// BillingLines returns the stored bill lines whose bucket starts in
// [since, until), zero ends being open, ordered by start and identity.
func (s *Store) BillingLines(ctx context.Context, since, until time.Time) ([]billing.Line, error) {
	cond := "1"
	if !since.IsZero() {
		cond += " AND start_ms >= " + strconv.FormatInt(since.UnixMilli(), 10)
	}
	if !until.IsZero() {
		cond += " AND start_ms < " + strconv.FormatInt(until.UnixMilli(), 10)
	}
	lines, err := s.readBilling(ctx, cond)
	if err != nil {
		return nil, fmt.Errorf("read billing: %w", err)
	}
	return lines, nil
}

// readBilling reads the highest revision of each identity, then filters
// by cond, so that a filter on a changed field never revives an old copy.
func (s *Store) readBilling(ctx context.Context, cond string) ([]billing.Line, error) {
	query := "SELECT " + joinQuoted(billingColumns) + " FROM (SELECT * FROM billing ORDER BY identity, revision DESC LIMIT 1 BY identity) WHERE " +
		cond + " ORDER BY start_ms, identity"
	r, err := s.c.query(ctx, query)
	if err != nil {
		return nil, err
	}
	defer r.close()

	var out []billing.Line
	for r.next() {
		l, err := decodeBilling(r.fields)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, r.close()
}

func decodeBilling(fields []string) (billing.Line, error) {
	f := &fieldReader{fields: fields}
	var l billing.Line
	f.text() // identity, derived from the other fields
	l.Provider, l.Kind = f.text(), billing.Kind(f.text())
	l.Start, l.End = time.UnixMilli(f.int()).UTC(), time.UnixMilli(f.int()).UTC()
	l.Model, l.ServiceTier, l.ContextWindow, l.InferenceGeo = f.text(), f.text(), f.text(), f.text()
	l.Workspace, l.Project, l.APIKey, l.CostType, l.TokenType = f.text(), f.text(), f.text(), f.text(), f.text()
	l.Description, l.LineItem, l.Currency = f.text(), f.text(), f.text()
	for c := range l.Usage.Tokens {
		l.Usage.Tokens[c] = f.int()
	}
	l.Usage.WebSearches, l.CodeExecution, l.Requests = f.int(), f.int(), f.int()
	l.Amount = pricing.Pico(f.int())
	return l, f.err
}
