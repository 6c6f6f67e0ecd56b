package store

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/costctl/costctl/analyze"
)

// statusNames decodes the status column; it is the inverse of statusCodes.
var statusNames = [...]analyze.Status{
	0: analyze.StatusOK,
	1: analyze.StatusError,
	2: analyze.StatusRejected,
	3: analyze.StatusIncomplete,
	4: analyze.StatusNoUsage,
}

// Scan calls fn with every stored request in q's window [Since, Until), in
// time order, ties broken by primary key so two scans give the same order.
// q.By and q.Loc are ignored. Rows are decoded a batch at a time and the
// batches are reused, so memory does not grow with the number of requests,
// and fn must copy what it keeps. The dictionary is read into memory first: it
// grows with distinct values (users, sessions, sources), not with requests.
// An error from fn stops the scan and is returned as is.
func (s *Store) Scan(ctx context.Context, q analyze.Query, fn func(*analyze.Request) error) error {
	return s.scanRows(ctx, q, false, func(r *scannedRow) error {
		return fn(&r.req)
	})
}

// scannedRow is one decoded requests row. key and priceTable are set only
// by a priced scan.
type scannedRow struct {
	req        analyze.Request
	key        string
	priceTable string
}

// scanBatchRows is the number of rows per batch; scanBatches batches exist,
// so at most that many rows are decoded ahead of the callback.
const (
	scanBatchRows = 256
	scanBatches   = 3
)

// scanRows decodes the rows of q's window in time order on other
// goroutines and calls each with them on the caller's goroutine, so that
// on two cores decoding overlaps the caller's work. Scan and ScanPriced
// differ only in what they pass on.
func (s *Store) scanRows(ctx context.Context, q analyze.Query, priced bool, each func(*scannedRow) error) error {
	dict, err := s.readDictionary(ctx)
	if err != nil {
		return err
	}
	plans, err := s.planScans(ctx, q, priced)
	if err != nil {
		return err
	}
	since, until := windowMillis(q)
	return s.runWithFallback(ctx, plans, scanQuery(since, until, priced, false), dict, each)
}

// runWithFallback runs plans, and runs fallback instead when plans fail
// before any row reached each. A sorted plan needs temporary files, so it
// fails where SQLite finds no writable temporary directory; the time index
// needs none.
func (s *Store) runWithFallback(ctx context.Context, plans []scanPlan, fallback scanPlan, dict *dictionary, each func(*scannedRow) error) error {
	called := false
	err := s.runScans(ctx, plans, dict, func(r *scannedRow) error {
		called = true
		return each(r)
	})
	if err == nil || called || !plans[0].sorted || ctx.Err() != nil {
		return err
	}
	if fallbackErr := s.runScans(ctx, []scanPlan{fallback}, dict, each); fallbackErr != nil {
		return fmt.Errorf("%w (and through the time index: %w)", err, fallbackErr)
	}
	return nil
}

// scanStream is one plan being decoded: batches arrive on full and go
// back on free, and done receives the plan's error once full is closed.
type scanStream struct {
	full, free chan []scannedRow
	done       chan error
}

// runScans starts every plan at once, each on its own goroutine and
// connection, and calls each with their rows in plan order. A plan that
// SQLite sorts does all of its sorting before its first row, so a later
// plan sorts while the caller works through the rows of an earlier one.
func (s *Store) runScans(ctx context.Context, plans []scanPlan, dict *dictionary, each func(*scannedRow) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	streams := make([]scanStream, len(plans))
	for i := range plans {
		streams[i] = s.startScan(ctx, plans[i], dict)
	}

	var firstErr error
	for _, st := range streams {
		if err := consumeBatches(st.full, st.free, each, firstErr != nil); err != nil && firstErr == nil {
			firstErr = err
		}
		// full is closed, so the decoding goroutine has sent its error.
		if err := <-st.done; err != nil && firstErr == nil {
			firstErr = err
		}
		if firstErr != nil {
			cancel()
		}
	}
	return firstErr
}

// startScan decodes plan on a new goroutine.
func (s *Store) startScan(ctx context.Context, plan scanPlan, dict *dictionary) scanStream {
	st := scanStream{
		full: make(chan []scannedRow, scanBatches),
		free: make(chan []scannedRow, scanBatches),
		done: make(chan error, 1),
	}
	for range scanBatches {
		st.free <- make([]scannedRow, 0, scanBatchRows)
	}
	go func() {
		defer close(st.full)
		st.done <- s.decodeRows(ctx, plan, dict, st.free, st.full)
	}()
	return st
}

// consumeBatches calls each with every row of the batches received from
// full, until full is closed, and hands every batch back through free.
// When skip is set, or after the first error, it only drains full.
func consumeBatches(full <-chan []scannedRow, free chan<- []scannedRow, each func(*scannedRow) error, skip bool) error {
	var err error
	for batch := range full {
		for i := 0; !skip && err == nil && i < len(batch); i++ {
			err = each(&batch[i])
		}
		free <- batch[:0]
	}
	return err
}

// decodeRows runs the scan query and sends its rows in batches to full,
// taking empty batches from free.
func (s *Store) decodeRows(ctx context.Context, plan scanPlan, dict *dictionary, free <-chan []scannedRow, full chan<- []scannedRow) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("scan requests: %w", err)
	}
	defer conn.Close()
	if plan.sorted {
		restore, err := setSortPragmas(ctx, conn)
		if err != nil {
			return err
		}
		defer restore()
	}

	rows, err := conn.QueryContext(ctx, plan.query, plan.args...)
	if err != nil {
		return fmt.Errorf("scan requests: %w", err)
	}
	defer rows.Close()

	var cols packedColumns
	dest := cols.dest(plan.priced)
	batch := <-free
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return fmt.Errorf("scan requests: %w", err)
		}
		batch = batch[:len(batch)+1]
		if err := cols.decode(dict, &batch[len(batch)-1]); err != nil {
			return err
		}
		if len(batch) == cap(batch) {
			full <- batch
			batch = <-free
		}
	}
	if len(batch) > 0 {
		full <- batch
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("scan requests: %w", err)
	}
	return nil
}

// scanPlan is the scan query of one window.
type scanPlan struct {
	query  string
	args   []any
	sorted bool // SQLite sorts a pass over the whole table
	priced bool // the query also selects dedup_key
}

// narrowWindowShare decides how a window is read. A window under
// 1/narrowWindowShare of the stored time span is read through the
// requests_time index, with one primary-key lookup per row in random
// order. A wider one is read in table order and sorted by SQLite. That
// costs a pass over every row but no random lookups. On the 1M-request
// store of BENCHMARKS.md, reading every row took 3.9 s sorted and 5.3 s
// through the index, at a load average of 5 on 2 cores.
//
// NOTE: 10 is an estimate that assumes requests spread evenly over time.
// Both plans return the same rows in the same order.
const narrowWindowShare = 10

// sortedParts is the number of parts a sorted scan is split into, at
// equal times. The parts are sorted at once, so two cores both sort while
// no row has come out yet; each part costs one more pass over the table.
const sortedParts = 2

// planScans returns the queries that read q's window, in time order:
// one through the time index for a narrow window, else sortedParts
// sorted ones, each for a part of the window.
//
// NOTE: each part reads its own snapshot of the store, so a scan that
// runs while another process commits may see the parts at different
// commits. Each request still comes at most once, because the parts
// split the time axis.
func (s *Store) planScans(ctx context.Context, q analyze.Query, priced bool) ([]scanPlan, error) {
	since, until := windowMillis(q)
	first, last, ok, err := s.storedSpan(ctx)
	if err != nil {
		return nil, err
	}
	from, to := max(since, first), min(until, last+1)
	if !ok || to <= from || (to-from)*narrowWindowShare < last+1-first {
		return []scanPlan{scanQuery(since, until, priced, false)}, nil
	}

	var plans []scanPlan
	start := since
	for i := 1; i < sortedParts; i++ {
		end := from + (to-from)*int64(i)/sortedParts
		plans = append(plans, scanQuery(start, end, priced, true))
		start = end
	}
	return append(plans, scanQuery(start, until, priced, true)), nil
}

// windowMillis returns q's window in Unix milliseconds, with the minimum
// and maximum int64 for an open end.
func windowMillis(q analyze.Query) (since, until int64) {
	since, until = math.MinInt64, math.MaxInt64
	if !q.Since.IsZero() {
		since = ceilMilli(q.Since)
	}
	if !q.Until.IsZero() {
		until = ceilMilli(q.Until)
	}
	return since, until
}

// storedSpan returns the times of the first and last stored request, and
// false for an empty store.
func (s *Store) storedSpan(ctx context.Context) (first, last int64, ok bool, err error) {
	var lo, hi sql.NullInt64
	// Two subqueries, because SQLite reads MIN or MAX from one end of the
	// time index only when the aggregate is alone in its SELECT.
	err = s.db.QueryRowContext(ctx, `SELECT (SELECT MIN(time_ms) FROM requests), (SELECT MAX(time_ms) FROM requests)`).Scan(&lo, &hi)
	if err != nil {
		return 0, 0, false, fmt.Errorf("scan requests: %w", err)
	}
	return lo.Int64, hi.Int64, lo.Valid, nil
}

// scanQuery builds the query for the rows with since ≤ time_ms < until,
// sorted by SQLite or read through the time index. The minimum and
// maximum int64 leave that end of the window open.
func scanQuery(since, until int64, priced, sorted bool) scanPlan {
	plan := scanPlan{priced: priced, sorted: sorted}
	var conds []string
	if since != math.MinInt64 {
		conds = append(conds, "time_ms >= ?")
		plan.args = append(plan.args, since)
	}
	if until != math.MaxInt64 {
		conds = append(conds, "time_ms < ?")
		plan.args = append(plan.args, until)
	}

	var b strings.Builder
	b.WriteString("SELECT " + packedSelect)
	if priced {
		b.WriteString(", dedup_key")
	}
	b.WriteString(" FROM requests")
	if plan.sorted {
		b.WriteString(" NOT INDEXED")
	}
	if len(conds) > 0 {
		b.WriteString(" WHERE " + strings.Join(conds, " AND "))
	}
	b.WriteString(" ORDER BY time_ms, id")
	plan.query = b.String()
	return plan
}

// sortCacheKiB is the page cache, in KiB, of the connection that runs a
// sorted scan. SQLite's sorter (vdbesort.c) also fills that much memory
// before it writes a sorted run to a temporary file, so the setting bounds
// the memory of a sorted scan of any size. A pass in table order needs no
// larger page cache. With two parts sorted at once, 8 MiB kept the peak
// RSS of a 1M-request simulation at about 135 MB, against 190 MB with
// 16 MiB, and its time within the noise of a shared 2-core machine.
const sortCacheKiB = 8 * 1024

// setSortPragmas makes conn's sorter write its runs to temporary files
// instead of memory and caps its memory at sortCacheKiB. The returned
// function restores both settings before conn goes back to the pool.
//
// NOTE: the runs take disk space in SQLite's temporary directory that
// grows with the window: 162 MB in two files for 1M generated requests.
// SQLite deletes them when the query ends.
func setSortPragmas(ctx context.Context, conn *sql.Conn) (func(), error) {
	var cacheSize, tempStore int64
	if err := conn.QueryRowContext(ctx, "PRAGMA cache_size").Scan(&cacheSize); err != nil {
		return nil, fmt.Errorf("scan requests: read cache_size: %w", err)
	}
	if err := conn.QueryRowContext(ctx, "PRAGMA temp_store").Scan(&tempStore); err != nil {
		return nil, fmt.Errorf("scan requests: read temp_store: %w", err)
	}
	set := func(ctx context.Context, cache, temp int64) error {
		_, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA cache_size = %d; PRAGMA temp_store = %d", cache, temp))
		return err
	}
	const tempStoreFile = 1
	if err := set(ctx, -sortCacheKiB, tempStoreFile); err != nil {
		return nil, fmt.Errorf("scan requests: set sort pragmas: %w", err)
	}
	// The restore must run even when ctx was cancelled, or the pooled
	// connection would keep the small cache.
	return func() { set(context.WithoutCancel(ctx), cacheSize, tempStore) }, nil
}

func (s *Store) readDictionary(ctx context.Context) (*dictionary, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT id, value FROM dict ORDER BY id")
	if err != nil {
		return nil, fmt.Errorf("read dictionary: %w", err)
	}
	defer rows.Close()

	d := &dictionary{}
	for rows.Next() {
		var id int64
		var v string
		if err := rows.Scan(&id, &v); err != nil {
			return nil, fmt.Errorf("read dictionary: %w", err)
		}
		d.add(id, v)
	}
	return d, rows.Err()
}

// dictionary maps dictionary ids to values. Ids are given out from 0
// without gaps, so a slice holds them; a map keeps any id past a gap.
type dictionary struct {
	dense  []string
	sparse map[int64]string
}

// add records one id; ids must come in increasing order.
func (d *dictionary) add(id int64, v string) {
	if id == int64(len(d.dense)) {
		d.dense = append(d.dense, v)
		return
	}
	if d.sparse == nil {
		d.sparse = map[int64]string{}
	}
	d.sparse[id] = v
}

func (d *dictionary) value(id int64) (string, bool) {
	if id >= 0 && id < int64(len(d.dense)) {
		return d.dense[id], true
	}
	v, ok := d.sparse[id]
	return v, ok
}

// decodeRow fills req from a stored row; it is the inverse of encodeRow and
// dictStrings. The dedup key is not split back into its parts.
func decodeRow(r *row, dict *dictionary, req *analyze.Request) error {
	var s [numDictColumns]string
	for i, id := range r.dict {
		v, ok := dict.value(id)
		if !ok {
			return fmt.Errorf("scan requests: row %d: dictionary id %d of column %s not found", r.id, id, dictColumns[i])
		}
		s[i] = v
	}
	code := r.ints[iStatus]
	if code < 0 || code >= int64(len(statusNames)) {
		return fmt.Errorf("scan requests: row %d: unknown status code %d", r.id, code)
	}

	*req = analyze.Request{
		Time: time.UnixMilli(r.timeMS).UTC(), Provider: s[dProvider], Model: s[dModel],
		Endpoint: s[dEndpoint], Tier: s[dTier], Customer: s[dCustomer], User: s[dUser], Session: s[dSession],
		Workspace: s[dWorkspace], Project: s[dProject], APIKey: s[dAPIKey], Turn: r.ints[iTurn],
		Usage:       r.usage(),
		ServiceTier: s[dServiceTier], InferenceGeo: s[dInferenceGeo], Speed: s[dSpeed],
		Status: statusNames[code], Attempt: r.ints[iAttempt], RetryOf: r.texts[tRetryOf], SampleRate: r.sampleRate,
		LatencyMS: r.ints[iLatencyMS], TTFTMS: r.ints[iTTFTMS], PrefixTokens: r.ints[iPrefixTokens],
		PrefixHash: r.texts[tPrefixHash], RequestID: r.texts[tRequestID],
		LoggedCostUSD: r.loggedCost.Float64, HasLoggedCost: r.loggedCost.Valid,
		Format: s[dFormat], Source: s[dSource], Line: r.ints[iLine], SourceSortKey: s[dSourceSortKey],
		ModelID: s[dModelID], PriceRowID: s[dPriceRowID], ContextBand: int(r.ints[iContextBand]),
	}
	return nil
}

// numPacked is the number of integer columns packedSelect prints: id,
// time_ms, the dictionary ids and the integer columns.
const numPacked = 2 + numDictColumns + numIntColumns

// packedSelect selects a row as a few values: every integer column printed
// into one text value, then the real and text columns. With
// modernc.org/sqlite each value read takes the connection's mutex twice and
// database/sql converts it by reflection, so reading 45 columns one by one
// cost more than SQLite's own work for the row. printf's %d prints any
// 64-bit integer exactly. Like CAST, it turns a non-integer value into its
// integer part, but only a store edited by hand holds one.
var packedSelect = func() string {
	cols := append([]string{"id", "time_ms"}, dictColumns[:]...)
	cols = append(cols, intColumns[:]...)
	format := strings.TrimSpace(strings.Repeat("%d ", len(cols)))
	return fmt.Sprintf("printf('%s', %s), sample_rate, logged_cost, %s",
		format, strings.Join(cols, ", "), strings.Join(textColumns[:], ", "))
}()

// packedColumns holds one row of packedSelect as scanned.
type packedColumns struct {
	ints       sql.RawBytes
	sampleRate float64
	loggedCost sql.NullFloat64
	texts      [numTextColumns]string
	key        string
}

// dest returns the scan destinations in packedSelect order, with the dedup
// key last when priced.
func (c *packedColumns) dest(priced bool) []any {
	d := []any{&c.ints, &c.sampleRate, &c.loggedCost}
	for i := range c.texts {
		d = append(d, &c.texts[i])
	}
	if priced {
		d = append(d, &c.key)
	}
	return d
}

// decode fills out from the scanned values.
func (c *packedColumns) decode(dict *dictionary, out *scannedRow) error {
	var f [numPacked]int64
	if err := parseInts(c.ints, f[:]); err != nil {
		return fmt.Errorf("scan requests: %w", err)
	}
	r := row{id: f[0], timeMS: f[1], sampleRate: c.sampleRate, loggedCost: c.loggedCost, texts: c.texts}
	copy(r.dict[:], f[2:2+numDictColumns])
	copy(r.ints[:], f[2+numDictColumns:])
	if err := decodeRow(&r, dict, &out.req); err != nil {
		return err
	}

	out.key = c.key
	out.priceTable, _ = dict.value(r.dict[dPriceTable])
	return nil
}

// parseInts parses len(out) space-separated decimal integers.
func parseInts(b []byte, out []int64) error {
	for i := range out {
		if i > 0 {
			if len(b) == 0 || b[0] != ' ' {
				return fmt.Errorf("packed columns %q: want %d integers", b, len(out))
			}
			b = b[1:]
		}
		v, n, ok := parseInt(b)
		if !ok {
			return fmt.Errorf("packed columns: invalid integer at %q", b)
		}
		out[i], b = v, b[n:]
	}
	if len(b) != 0 {
		return fmt.Errorf("packed columns: unexpected %q after %d integers", b, len(out))
	}
	return nil
}

// parseInt parses an optionally negative decimal int64 at the start of b
// and returns it with the number of bytes it took.
func parseInt(b []byte) (v int64, n int, ok bool) {
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		n = 1
	}
	var u uint64
	start := n
	for ; n < len(b) && b[n] >= '0' && b[n] <= '9'; n++ {
		d := uint64(b[n] - '0')
		if u > (1<<64-1-d)/10 {
			return 0, 0, false
		}
		u = u*10 + d
	}
	if n == start {
		return 0, 0, false
	}
	if neg {
		if u > 1<<63 {
			return 0, 0, false
		}
		return int64(-u), n, true
	}
	if u > 1<<63-1 {
		return 0, 0, false
	}
	return int64(u), n, true
}
