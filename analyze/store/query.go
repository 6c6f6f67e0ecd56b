package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/costctl/costctl/analyze"
)

// groupColumn is a column a cell query groups by.
type groupColumn struct {
	name string
	dict bool // holds dictionary ids
}

// priceColumns decide a request's price and are in every cell. Every
// plan's columns start with them, in this order.
var priceColumns = []groupColumn{
	{"provider", true}, {"model", true}, {"model_id", true}, {"price_row_id", true},
	{"context_band", false}, {"service_tier", true}, {"inference_geo", true}, {"speed", true},
}

// Indexes of the price columns in priceColumns.
const (
	colProvider = iota
	colModel
	colModelID
	colPriceRowID
	colContextBand
	colServiceTier
	colInferenceGeo
	colSpeed
)

// dimensionColumns maps the non-time dimensions to their column. model,
// provider and service_tier are price columns already.
var dimensionColumns = map[string]string{
	analyze.DimEndpoint: "endpoint", analyze.DimTier: "tier", analyze.DimCustomer: "customer",
	analyze.DimUser: "user", analyze.DimSession: "session", analyze.DimModel: "model",
	analyze.DimProvider: "provider", analyze.DimServiceTier: "service_tier",
	analyze.DimWorkspace: "workspace", analyze.DimProject: "project",
	analyze.DimAPIKey: "api_key", analyze.DimSource: "source",
}

// rawOnlyDimensions are too many-valued for the rollup.
var rawOnlyDimensions = map[string]bool{
	analyze.DimUser: true, analyze.DimSession: true, analyze.DimSource: true,
}

func isTimeDimension(dim string) bool {
	return dim == analyze.DimDay || dim == analyze.DimHourOfDay || dim == analyze.DimHour
}

// plan is a cell query in SQL: which table, which group columns.
type plan struct {
	q      analyze.Query
	rollup bool
	// table is the rollup table read when rollup is set: the 15-minute one
	// unless Store.choosePlan finds a coarser one that gives the same
	// cells.
	table   rollupTable
	columns []groupColumn
	bucket  bool // group by 15-minute bucket too, for time dimensions
	// constant maps the index in columns of each column that holds one
	// value in the whole window to that value, and zero marks the counters
	// that are zero there (see Store.findConstants). The query groups by
	// such columns but does not read them.
	constant map[int]int64
	zero     [numRollupValues]bool
	// hourly groups the buckets of each local hour into its first bucket
	// in SQL, which returns up to four times fewer rows. It is right when
	// every zone offset in the window leaves the same remainder modulo an
	// hour, because the four buckets of a local hour then share their day
	// and hour labels. hourShift is that remainder in quarters: 0 for
	// whole-hour offsets, 2 for India's +05:30. Store.choosePlan uses a
	// nonzero shift on raw rows only.
	hourly    bool
	hourShift int64
	// merged is set once groups has merged the groups of each cell.
	merged bool
	// rowPerGroup is set by findConstants when every rollup key column p
	// does not group by holds one value in the window. A rollup row is then
	// a group of its own when p groups by the table's own bucket.
	rowPerGroup bool
}

func newPlan(q analyze.Query) (*plan, error) {
	if q.Loc == nil {
		q.Loc = time.UTC
	}
	p := &plan{
		q: q, rollup: alignedTo(q.Since, bucketSeconds) && alignedTo(q.Until, bucketSeconds),
		table: quarterRollup, columns: slices.Clone(priceColumns),
	}
	// Split instants are assigned per 15-minute bucket, so they must fall on
	// bucket boundaries (adjustment dates do).
	p.bucket = len(q.SplitAt) > 0

	for _, dim := range q.By {
		if isTimeDimension(dim) {
			p.bucket = true
			continue
		}
		col, ok := dimensionColumns[dim]
		if !ok {
			return nil, fmt.Errorf("unknown dimension %q (known: %s)", dim, strings.Join(analyze.Dimensions, ", "))
		}
		if rawOnlyDimensions[dim] {
			p.rollup = false
		}
		p.addColumn(col)
	}
	return p, nil
}

func (p *plan) addColumn(name string) {
	for _, c := range p.columns {
		if c.name == name {
			return
		}
	}
	p.columns = append(p.columns, groupColumn{name: name, dict: true})
}

// alignedTo reports whether a window bound falls on a boundary of buckets
// of the given width in seconds. A zero time is an open bound.
func alignedTo(t time.Time, seconds int64) bool {
	return t.IsZero() || (t.Unix()%seconds == 0 && t.Nanosecond() == 0)
}

// rawBucketSQL is bucketOf in SQL: floor division, also before 1970.
const rawBucketSQL = "((time_ms - (((time_ms % 900000) + 900000) % 900000)) / 900000)"

// sql returns the query text and its arguments.
func (p *plan) sql() (string, []any) {
	// Constant columns stay in GROUP BY, so that SQLite can still walk the
	// primary key in GROUP BY order instead of sorting.
	var sel, group []string
	for i, c := range p.columns {
		group = append(group, c.name)
		if _, ok := p.constant[i]; !ok {
			sel = append(sel, c.name)
		}
	}
	if p.bucket {
		group = append(group, p.bucketExpr())
		sel = append(sel, p.bucketExpr())
	}
	where, args := p.where()
	if p.readsRowsAsGroups() {
		// Grouping and summing would only copy each row, at a third of the
		// query's cost over the 288,000 rows of an hourly report on 10M
		// requests.
		sel = append(sel, p.valueColumns()...)
		return fmt.Sprintf("SELECT %s FROM %s WHERE %s", packInts(sel), p.tableName(), where), args
	}
	sel = append(sel, p.aggregates()...)
	query := fmt.Sprintf("SELECT %s FROM %s WHERE %s GROUP BY %s",
		packInts(sel), p.tableName(), where, strings.Join(group, ", "))
	return query, args
}

// readsRowsAsGroups reports whether each row p reads is a group of its
// own (see rowPerGroup).
func (p *plan) readsRowsAsGroups() bool {
	return p.rollup && p.rowPerGroup && p.bucket && !p.hourly
}

// valueColumns are the counter columns the query reads, as aggregates
// lists them.
func (p *plan) valueColumns() []string {
	var out []string
	for i, c := range rollupValueColumns {
		if !p.zero[i] {
			out = append(out, c)
		}
	}
	return out
}

// packInts selects the integer expressions as one text of space-separated
// decimals, which groups parses. The driver fetches each column through a
// locked call, and fetching 20 to 30 columns of 288,000 rows one by one
// took half of an hourly report over 10M requests.
func packInts(exprs []string) string {
	format := strings.TrimSpace(strings.Repeat("%d ", len(exprs)))
	return fmt.Sprintf("printf('%s', %s)", format, strings.Join(exprs, ", "))
}

func (p *plan) tableName() string {
	if p.rollup {
		return p.table.name
	}
	return "requests"
}

// hourBucketSQL is the first 15-minute bucket of the local hour that
// bucket expression q falls in, for a zone whose hours start hourShift
// quarters before the UTC hour (floor division, also before 1970).
func hourBucketSQL(q string, hourShift int64) string {
	return fmt.Sprintf("(%[1]s - (((((%[1]s) + %[2]d) %% 4) + 4) %% 4))", q, hourShift)
}

func (p *plan) bucketExpr() string {
	switch {
	case p.rollup && p.hourly:
		return hourBucketSQL("bucket", p.hourShift)
	case p.rollup:
		return "bucket"
	case p.hourly:
		return hourBucketSQL(rawBucketSQL, p.hourShift)
	}
	return rawBucketSQL
}

func (p *plan) aggregates() []string {
	var agg []string
	for i, c := range rollupValueColumns {
		switch {
		case p.zero[i]:
		case p.rollup:
			agg = append(agg, "SUM("+c+")")
		case i == vRequests:
			agg = append(agg, "COUNT(*)")
		case i == vNoUsage:
			agg = append(agg, fmt.Sprintf("SUM(status = %d)", statusNoUsage))
		default:
			agg = append(agg, "SUM("+c+")")
		}
	}
	return agg
}

// where builds the condition that limits the query to [Since, Until). Stored
// times are whole milliseconds, so a bound with a fraction of a millisecond
// rounds up.
func (p *plan) where() (string, []any) {
	var conds []string
	var args []any
	bound := func(t time.Time, op string) {
		if t.IsZero() {
			return
		}
		if p.rollup {
			conds = append(conds, "bucket "+op+" ?")
			args = append(args, t.Unix()/p.table.seconds)
			return
		}
		conds = append(conds, "time_ms "+op+" ?")
		args = append(args, ceilMilli(t))
	}
	bound(p.q.Since, ">=")
	bound(p.q.Until, "<")
	if len(conds) == 0 {
		return "1", nil
	}
	return strings.Join(conds, " AND "), args
}

func ceilMilli(t time.Time) int64 {
	ms := t.UnixMilli()
	if t.Sub(time.UnixMilli(ms)) > 0 {
		ms++
	}
	return ms
}

// Cells groups the requests in q's window by q.By and the price fields,
// sorted by Key and then the price fields. It reads a rollup table when
// every dimension is in it and the window falls on 15-minute boundaries:
// the coarsest of the day, hour and 15-minute tables that gives the same
// cells. Otherwise it reads the requests table, which gives the same cells
// more slowly.
func (s *Store) Cells(ctx context.Context, q analyze.Query) ([]analyze.Cell, error) {
	p, err := newPlan(q)
	if err != nil {
		return nil, err
	}
	return s.cells(ctx, p)
}

func (s *Store) cells(ctx context.Context, p *plan) ([]analyze.Cell, error) {
	if err := s.choosePlan(ctx, p); err != nil {
		return nil, err
	}
	groups, err := s.groups(ctx, p)
	if err != nil {
		return nil, err
	}
	names, err := s.decode(ctx, p, groups)
	if err != nil {
		return nil, err
	}
	return buildCells(p, groups, names), nil
}

// group is one result row of a plan's query.
type group struct {
	ids    []int64 // p.columns order
	bucket int64
	values rollupValues
}

func (s *Store) groups(ctx context.Context, p *plan) ([][]group, error) {
	query, args := p.sql()
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("query cells: %w", err)
	}
	defer rows.Close()

	// Buckets of coarser tables are converted to the first 15-minute bucket
	// they cover, which is what cells label.
	scale := int64(1)
	if p.rollup {
		scale = p.table.seconds / bucketSeconds
	}
	// Every row is scanned into one scratch group through one slice of
	// pointers, and then copied, so that a row allocates nothing.
	var chunks groupChunks
	scratch := group{ids: make([]int64, len(p.columns))}
	dest := scratch.fields(p)
	for i, id := range p.constant {
		scratch.ids[i] = id
	}
	var packed sql.RawBytes
	values := make([]int64, len(dest))
	merger := newGroupMerger(p)
	p.merged = merger != nil
	for rows.Next() {
		if err := rows.Scan(&packed); err != nil {
			return nil, fmt.Errorf("query cells: %w", err)
		}
		if err := parseInts(packed, values); err != nil {
			return nil, fmt.Errorf("query cells: %w", err)
		}
		for i, v := range values {
			*dest[i] = v
		}
		scratch.bucket *= scale
		if merger != nil && merger.add(&scratch) {
			continue
		}
		g := chunks.next(len(p.columns))
		copy(g.ids, scratch.ids)
		g.bucket, g.values = scratch.bucket, scratch.values
		if merger != nil {
			merger.keep(g)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("query cells: %w", err)
	}
	return chunks.all(), nil
}

// countGroups returns the number of groups in chunks.
func countGroups(chunks [][]group) int {
	n := 0
	for _, c := range chunks {
		n += len(c)
	}
	return n
}

// groupChunks collects groups in fixed-size chunks, with the ids of a
// chunk's groups in one array. Growing one slice and allocating ids per
// group took 0.3 s of 1.6 s for the 288,000 groups of a report by
// endpoint, tier and hour. Copying the chunks into one slice at the end
// took another 0.27 s, so the chunks are handed on as they are.
type groupChunks struct {
	done    [][]group
	current []group
	ids     []int64
}

const groupsPerChunk = 4096

// next returns a new zero group with n ids.
func (c *groupChunks) next(n int) *group {
	if len(c.current) == cap(c.current) {
		if c.current != nil {
			c.done = append(c.done, c.current)
		}
		c.current = make([]group, 0, groupsPerChunk)
		c.ids = make([]int64, groupsPerChunk*n)
	}
	k := len(c.current)
	c.current = append(c.current, group{ids: c.ids[k*n : (k+1)*n : (k+1)*n]})
	return &c.current[k]
}

func (c *groupChunks) all() [][]group {
	if len(c.current) == 0 {
		return c.done
	}
	return append(c.done, c.current)
}

func (g *group) fields(p *plan) []*int64 {
	var f []*int64
	for i := range g.ids {
		if _, ok := p.constant[i]; !ok {
			f = append(f, &g.ids[i])
		}
	}
	if p.bucket {
		f = append(f, &g.bucket)
	}
	for i := range g.values {
		if !p.zero[i] {
			f = append(f, &g.values[i])
		}
	}
	return f
}

// decode looks up the dictionary values of every id in the groups.
func (s *Store) decode(ctx context.Context, p *plan, chunks [][]group) (map[int64]string, error) {
	seen := map[int64]bool{}
	var ids []int64
	for _, chunk := range chunks {
		for _, g := range chunk {
			for i, c := range p.columns {
				if c.dict && !seen[g.ids[i]] {
					seen[g.ids[i]] = true
					ids = append(ids, g.ids[i])
				}
			}
		}
	}
	return s.dictValues(ctx, ids)
}

// dictValues reads dictionary values in chunks that stay below SQLite's
// limit on bound parameters.
func (s *Store) dictValues(ctx context.Context, ids []int64) (map[int64]string, error) {
	const chunk = 500
	out := make(map[int64]string, len(ids))
	for start := 0; start < len(ids); start += chunk {
		part := ids[start:min(start+chunk, len(ids))]
		if err := s.readDict(ctx, part, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (s *Store) readDict(ctx context.Context, ids []int64, out map[int64]string) error {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := s.db.QueryContext(ctx, "SELECT id, value FROM dict WHERE id IN ("+placeholders(len(ids))+")", args...)
	if err != nil {
		return fmt.Errorf("read dictionary: %w", err)
	}
	defer rows.Close()

	for rows.Next() {
		var id int64
		var v string
		if err := rows.Scan(&id, &v); err != nil {
			return fmt.Errorf("read dictionary: %w", err)
		}
		out[id] = v
	}
	return rows.Err()
}

// Bounds returns the times of the first and last stored request and the
// number of stored requests; zero times for an empty store.
func (s *Store) Bounds(ctx context.Context) (first, last time.Time, requests int64, err error) {
	var lo, hi sql.NullInt64
	err = s.db.QueryRowContext(ctx, timeBoundsSQL).Scan(&lo, &hi)
	if err != nil {
		return time.Time{}, time.Time{}, 0, fmt.Errorf("read store bounds: %w", err)
	}
	if !lo.Valid {
		return time.Time{}, time.Time{}, 0, nil
	}

	// The day rollup counts every request, in far fewer rows than requests
	// has.
	err = s.db.QueryRowContext(ctx, `SELECT COALESCE(SUM(requests), 0) FROM rollup_day`).Scan(&requests)
	if err != nil {
		return time.Time{}, time.Time{}, 0, fmt.Errorf("read store bounds: %w", err)
	}
	return time.UnixMilli(lo.Int64).UTC(), time.UnixMilli(hi.Int64).UTC(), requests, nil
}

// PriceTableVersions returns, sorted, the distinct non-empty price table
// versions recorded with stored requests.
func (s *Store) PriceTableVersions(ctx context.Context) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `
SELECT DISTINCT dict.value FROM rollup_day JOIN dict ON dict.id = rollup_day.price_table
WHERE rollup_day.price_table != 0 ORDER BY dict.value`)
	if err != nil {
		return nil, fmt.Errorf("read price table versions: %w", err)
	}
	defer rows.Close()

	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, fmt.Errorf("read price table versions: %w", err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
