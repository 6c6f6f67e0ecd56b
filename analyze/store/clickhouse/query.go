package clickhouse

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/analyze/store"
	"github.com/costctl/costctl/pricing"
)

// completeFirst orders the copies of one request most complete first, as
// analyze.MoreComplete does: highest output, then highest total, then
// smallest (source, line) compared bytewise, and a repriced copy (higher
// revision) before the copy it reprices.
const completeFirst = "dedup_key, output DESC, total DESC, source, line, revision DESC"

// dedupSQL selects cols from the most complete copy of each request in the
// window [since, until). Requests stored once are read as they are. Only
// the copies of the others are sorted to choose one, and the window is
// applied after choosing, because copies of one request may carry
// different times.
func (s *Store) dedupSQL(ctx context.Context, cols []string, since, until time.Time) (string, error) {
	dups, err := s.duplicateIDs(ctx)
	if err != nil {
		return "", err
	}
	window := windowSQL(since, until)
	list := strings.Join(cols, ", ")
	if dups.set == "" {
		return fmt.Sprintf("SELECT %s FROM requests WHERE %s", list, window), nil
	}
	unique := fmt.Sprintf("SELECT %s FROM requests WHERE id %s AND %s", list, dups.notIn(), window)
	chosen := fmt.Sprintf("SELECT %s FROM (SELECT %s FROM requests WHERE id %s ORDER BY %s LIMIT 1 BY dedup_key) WHERE %s",
		list, strings.Join(withOrderColumns(cols), ", "), dups.in(), completeFirst, window)
	return unique + " UNION ALL " + chosen, nil
}

// idSet is an SQL set of ids: a list, or a subquery.
type idSet struct {
	set      string
	subquery bool
}

// in returns the IN condition on the set. A subquery is run with GLOBAL:
// once, on the node that runs the query, rather than on every shard of a
// Distributed requests table, which the server's default
// distributed_product_mode rejects. ClickHouse 18.16 rejects GLOBAL
// before a list, so a list goes without it.
func (s idSet) in() string {
	if s.subquery {
		return "GLOBAL IN " + s.set
	}
	return "IN " + s.set
}

func (s idSet) notIn() string {
	if s.subquery {
		return "GLOBAL NOT IN " + s.set
	}
	return "NOT IN " + s.set
}

// maxInlineIDs bounds the ids written into a query, well below the
// server's default max_query_size of 256 KiB. Tests lower it to cover the
// subquery form.
var maxInlineIDs = 5000

// duplicateIDs returns, as an SQL set, the store.KeyHash ids that more
// than one row carries: the copies of one request, and distinct keys
// whose hashes collide. Every other row is the only copy of its request.
// It returns an empty set when there are none, and a subquery when there
// are too many to list.
func (s *Store) duplicateIDs(ctx context.Context) (idSet, error) {
	const dupSQL = "SELECT id FROM requests GROUP BY id HAVING count() > 1"
	r, err := s.c.query(ctx, fmt.Sprintf("%s LIMIT %d", dupSQL, maxInlineIDs+1))
	if err != nil {
		return idSet{}, fmt.Errorf("find duplicate requests: %w", err)
	}
	defer r.close()

	var ids []string
	for r.next() {
		ids = append(ids, r.fields[0])
	}
	if err := r.close(); err != nil {
		return idSet{}, fmt.Errorf("find duplicate requests: %w", err)
	}
	switch {
	case len(ids) == 0:
		return idSet{}, nil
	case len(ids) > maxInlineIDs:
		return idSet{set: "(" + dupSQL + ")", subquery: true}, nil
	}
	return idSet{set: "(" + strings.Join(ids, ", ") + ")"}, nil
}

// withOrderColumns adds the columns completeFirst and windowSQL need.
func withOrderColumns(cols []string) []string {
	out := append([]string{}, cols...)
	for _, c := range []string{"dedup_key", "output", "total", "source", "line", "revision", "time_ms"} {
		if !contains(out, c) && !contains(out, "`"+c+"`") {
			out = append(out, c)
		}
	}
	return out
}

// windowSQL limits time_ms to [since, until). Stored times are whole
// milliseconds, so a bound with a fraction of a millisecond rounds up.
func windowSQL(since, until time.Time) string {
	var conds []string
	if !since.IsZero() {
		conds = append(conds, "time_ms >= "+strconv.FormatInt(ceilMilli(since), 10))
	}
	if !until.IsZero() {
		conds = append(conds, "time_ms < "+strconv.FormatInt(ceilMilli(until), 10))
	}
	if len(conds) == 0 {
		return "1"
	}
	return strings.Join(conds, " AND ")
}

func ceilMilli(t time.Time) int64 {
	ms := t.UnixMilli()
	if t.Sub(time.UnixMilli(ms)) > 0 {
		ms++
	}
	return ms
}

// bucketSQL is the 15-minute bucket number of time_ms, by floor division
// also before 1970: the integer form of toStartOfFifteenMinutes, which
// works on whole seconds and cannot go below 1970.
const bucketSQL = "intDiv(time_ms - (((time_ms % 900000) + 900000) % 900000), 900000)"

// sumColumns are the token sums of a cell, in pricing.Class order, then
// reasoning and web searches.
var sumColumns = func() []string {
	var cols []string
	for c := pricing.Class(0); c < pricing.NumClasses; c++ {
		cols = append(cols, c.String())
	}
	return append(cols, "reasoning", "web_searches")
}()

// Cells groups the requests in q's window by q.By and the price fields on
// the server, also by 15-minute bucket for time dimensions and splits, and
// labels and merges buckets in q.Loc as the SQLite store does.
func (s *Store) Cells(ctx context.Context, q analyze.Query) ([]analyze.Cell, error) {
	columns, bucket, err := store.CellColumns(q)
	if err != nil {
		return nil, err
	}
	groups, err := s.cellGroups(ctx, q, columns, bucket)
	if err != nil {
		return nil, err
	}
	return store.AssembleCells(q, groups)
}

func (s *Store) cellGroups(ctx context.Context, q analyze.Query, columns []string, bucket bool) ([]store.CellGroup, error) {
	var timeKeys []string
	if bucket {
		lo, hi, err := s.rawBounds(ctx)
		if err != nil {
			return nil, err
		}
		timeKeys = timeKeysSQL(q, lo, hi)
	}
	inner := append(quoted(columns), "time_ms", "status")
	chosen, err := s.dedupSQL(ctx, append(inner, quoted(sumColumns)...), q.Since, q.Until)
	if err != nil {
		return nil, err
	}
	r, err := s.c.query(ctx, cellSQL(chosen, columns, bucket, timeKeys))
	if err != nil {
		return nil, fmt.Errorf("query cells: %w", err)
	}
	defer r.close()

	var out []store.CellGroup
	for r.next() {
		g, err := cellGroup(r.fields, columns, bucket)
		if err != nil {
			return nil, fmt.Errorf("query cells: %w", err)
		}
		out = append(out, g)
	}
	if err := r.close(); err != nil {
		return nil, fmt.Errorf("query cells: %w", err)
	}
	return out, nil
}

// cellSQL groups the chosen copies by columns and, when bucket is set, by
// 15-minute bucket, or by timeKeys in place of the bucket when given.
func cellSQL(chosen string, columns []string, bucket bool, timeKeys []string) string {
	keys := quoted(columns)
	sel := quoted(columns)
	switch {
	case bucket && timeKeys != nil:
		keys = append(keys, timeKeys...)
		sel = append(sel, "min("+bucketSQL+")")
	case bucket:
		keys = append(keys, bucketSQL)
		sel = append(sel, bucketSQL)
	}

	sel = append(sel, "count()", "countIf(status = 'no_usage')")
	for _, c := range sumColumns {
		sel = append(sel, "sum(`"+c+"`)")
	}
	return fmt.Sprintf("SELECT %s FROM (%s) GROUP BY %s",
		strings.Join(sel, ", "), chosen, strings.Join(keys, ", "))
}

func cellGroup(fields []string, columns []string, bucket bool) (store.CellGroup, error) {
	f := &fieldReader{fields: fields}
	g := store.CellGroup{Values: map[string]string{}}
	for _, c := range columns {
		if c == "context_band" {
			g.Band = int(f.int())
			continue
		}
		g.Values[c] = f.text()
	}
	if bucket {
		g.Bucket = f.int()
	}
	g.Requests, g.NoUsage = f.int(), f.int()
	for i := range g.Usage.Tokens {
		g.Usage.Tokens[i] = f.int()
	}
	g.Usage.Reasoning, g.Usage.WebSearches = f.int(), f.int()
	return g, f.err
}

// Bounds returns the times of the first and last stored request and the
// number of stored requests; zero times for an empty store.
func (s *Store) Bounds(ctx context.Context) (first, last time.Time, requests int64, err error) {
	chosen, err := s.dedupSQL(ctx, []string{"time_ms"}, time.Time{}, time.Time{})
	if err != nil {
		return time.Time{}, time.Time{}, 0, err
	}
	r, err := s.c.query(ctx, "SELECT min(time_ms), max(time_ms), count() FROM ("+chosen+")")
	if err != nil {
		return time.Time{}, time.Time{}, 0, fmt.Errorf("read store bounds: %w", err)
	}
	defer r.close()

	if !r.next() {
		return time.Time{}, time.Time{}, 0, fmt.Errorf("read store bounds: %w", r.close())
	}
	f := &fieldReader{fields: r.fields}
	lo, hi, n := f.int(), f.int(), f.int()
	if f.err != nil || n == 0 {
		return time.Time{}, time.Time{}, 0, f.err
	}
	return time.UnixMilli(lo).UTC(), time.UnixMilli(hi).UTC(), n, nil
}

// PriceTableVersions returns, sorted, the distinct non-empty price table
// versions recorded with stored requests.
func (s *Store) PriceTableVersions(ctx context.Context) ([]string, error) {
	chosen, err := s.dedupSQL(ctx, []string{"price_table"}, time.Time{}, time.Time{})
	if err != nil {
		return nil, err
	}
	r, err := s.c.query(ctx, "SELECT DISTINCT price_table FROM ("+chosen+") WHERE price_table != '' ORDER BY price_table")
	if err != nil {
		return nil, fmt.Errorf("read price table versions: %w", err)
	}
	defer r.close()

	var out []string
	for r.next() {
		out = append(out, r.fields[0])
	}
	return out, r.close()
}

// Scan calls fn with every stored request in q's window [Since, Until), in
// time order, ties broken by store.KeyHash of the dedup key as the SQLite
// store breaks them by primary key. The server sorts; rows are decoded one
// at a time and the *Request is reused between calls, so fn must copy what
// it keeps. An error from fn stops the scan and is returned as is.
func (s *Store) Scan(ctx context.Context, q analyze.Query, fn func(*analyze.Request) error) error {
	// The SQLite store's Scan leaves the key's parts out; so does this one.
	return s.ScanPriced(ctx, q, func(r *analyze.Request, _ string) error {
		r.ID, r.RecordHash = "", ""
		return fn(r)
	})
}

// ScanPriced is Scan that also passes the version of the table that priced
// each request.
func (s *Store) ScanPriced(ctx context.Context, q analyze.Query, fn func(*analyze.Request, string) error) error {
	chosen, err := s.dedupSQL(ctx, quoted(requestColumns()), q.Since, q.Until)
	if err != nil {
		return err
	}
	r, err := s.c.query(ctx, "SELECT "+strings.Join(selectColumns(), ", ")+" FROM ("+chosen+") ORDER BY time_ms, id")
	if err != nil {
		return fmt.Errorf("scan requests: %w", err)
	}
	defer r.close()

	var req analyze.Request
	for r.next() {
		version, err := decodeRequest(r.fields, &req)
		if err != nil {
			return err
		}
		if err := fn(&req, version); err != nil {
			return err
		}
	}
	if err := r.close(); err != nil {
		return fmt.Errorf("scan requests: %w", err)
	}
	return nil
}

func joinQuoted(cols []string) string {
	return strings.Join(quoted(cols), ", ")
}
