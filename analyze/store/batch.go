package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/costctl/costctl/analyze"
)

// batch writes requests inside one transaction. It reads the stored copies
// of the batch's keys with a few multi-id queries, settles duplicates in
// memory, and then writes each changed row once with multi-row statements,
// because the per-statement cost dominates row-at-a-time writing.
type batch struct {
	ctx  context.Context
	tx   *sql.Tx
	hash func(string) int64
	dict *dictCache

	selectRow, selectDictID, insertDict, selectDictValue *sql.Stmt

	// conn, when set, is the connection that runs tx; bulk inserts then
	// bypass database/sql's argument conversion.
	conn *sql.Conn

	// slots is the batch's view of requests by id: a nil entry is an id known
	// to be free.
	slots  map[int64]*slot
	rollup *rollupDelta
	stats  WriteStats
}

// slot is a requests row as the batch will leave it.
type slot struct {
	row     row
	existed bool // stored before the batch
	dirty   bool // to be written
}

func newBatch(ctx context.Context, tx *sql.Tx, hash func(string) int64, dict *dictCache) (*batch, error) {
	b := &batch{ctx: ctx, tx: tx, hash: hash, dict: dict, slots: map[int64]*slot{}, rollup: newRollupDelta()}
	statements := []struct {
		stmt  **sql.Stmt
		query string
	}{
		{&b.selectRow, "SELECT " + strings.Join(requestColumns(), ", ") + " FROM requests WHERE id = ?"},
		{&b.selectDictID, "SELECT id FROM dict WHERE value = ?"},
		{&b.insertDict, "INSERT INTO dict (value) VALUES (?) RETURNING id"},
		{&b.selectDictValue, "SELECT value FROM dict WHERE id = ?"},
	}
	for _, s := range statements {
		stmt, err := tx.PrepareContext(ctx, s.query)
		if err != nil {
			b.close()
			return nil, fmt.Errorf("prepare %q: %w", s.query, err)
		}
		*s.stmt = stmt
	}
	return b, nil
}

func (b *batch) close() {
	for _, s := range []*sql.Stmt{b.selectRow, b.selectDictID, b.insertDict, b.selectDictValue} {
		if s != nil {
			s.Close()
		}
	}
}

// run settles and writes the requests, which must not change meanwhile.
func (b *batch) run(reqs []analyze.Request, priceTable int64) error {
	rows := make([]row, len(reqs))
	ids := make([]int64, len(reqs))
	for i := range reqs {
		var err error
		if rows[i], err = b.encode(&reqs[i], priceTable); err != nil {
			return err
		}
		ids[i] = b.hash(rows[i].key)
	}

	if err := b.prefetch(ids); err != nil {
		return err
	}
	for i := range reqs {
		if err := b.put(&reqs[i], &rows[i]); err != nil {
			return err
		}
	}
	if err := b.write(); err != nil {
		return err
	}
	return b.rollup.apply(b.ctx, b.tx)
}

// put settles r against the stored or earlier copy of its key. Its slot is
// the hash of its dedup key. When another key holds that slot (a hash
// collision), put tries the next integer, so the slot depends only on the
// keys stored before it.
func (b *batch) put(r *analyze.Request, next *row) error {
	for id := b.hash(next.key); ; id++ {
		current, err := b.lookup(id)
		if err != nil {
			return err
		}
		if current == nil {
			next.id = id
			b.slots[id] = &slot{row: *next, dirty: true}
			b.rollup.add(next, 1)
			b.stats.Inserted++
			return nil
		}
		if current.row.key == next.key {
			next.id = id
			return b.merge(r, next, current)
		}
	}
}

func (b *batch) encode(r *analyze.Request, priceTable int64) (row, error) {
	out, err := encodeRow(r)
	if err != nil {
		return row{}, err
	}
	// Queries skip counters that are zero in a whole day of the day
	// rollup, which is right only while no count is negative.
	for i, n := range out.ints[iTokens:] {
		if n < 0 {
			return row{}, fmt.Errorf("%s:%d: negative %s count %d", r.Source, r.Line, intColumns[iTokens+i], n)
		}
	}
	values := dictStrings(r, "")
	for i, v := range values {
		// Consecutive requests mostly repeat each column's value, so the
		// previous value's id saves a map lookup.
		last := &b.dict.last[i]
		if v == last.value {
			out.dict[i] = last.id
			continue
		}
		if out.dict[i], err = b.dictID(v); err != nil {
			return row{}, err
		}
		last.value, last.id = v, out.dict[i]
	}
	out.dict[dPriceTable] = priceTable
	return out, nil
}

// prefetch reads the rows at ids in chunks below SQLite's limit on bound
// parameters, and marks the ids it did not find as free.
func (b *batch) prefetch(ids []int64) error {
	const chunk = 500
	for start := 0; start < len(ids); start += chunk {
		part := ids[start:min(start+chunk, len(ids))]
		if err := b.prefetchChunk(part); err != nil {
			return err
		}
	}
	return nil
}

func (b *batch) prefetchChunk(ids []int64) error {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
		b.slots[id] = nil
	}
	query := "SELECT " + strings.Join(requestColumns(), ", ") + " FROM requests WHERE id IN (" + placeholders(len(ids)) + ")"
	rows, err := b.tx.QueryContext(b.ctx, query, args...)
	if err != nil {
		return fmt.Errorf("read stored requests: %w", err)
	}
	defer rows.Close()

	for rows.Next() {
		var r row
		if err := rows.Scan(r.fields()...); err != nil {
			return fmt.Errorf("read stored requests: %w", err)
		}
		b.slots[r.id] = &slot{row: r, existed: true}
	}
	return rows.Err()
}

// lookup returns the slot at id, nil when the id is free. Only ids reached by
// probing past a collision miss the prefetch.
func (b *batch) lookup(id int64) (*slot, error) {
	if s, ok := b.slots[id]; ok {
		return s, nil
	}

	var r row
	err := b.selectRow.QueryRowContext(b.ctx, id).Scan(r.fields()...)
	if errors.Is(err, sql.ErrNoRows) {
		b.slots[id] = nil
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read request %d: %w", id, err)
	}
	s := &slot{row: r, existed: true}
	b.slots[id] = s
	return s, nil
}

// merge replaces the current copy when the new one is more complete by
// analyze.MoreComplete, and moves the rollup counters with it.
func (b *batch) merge(r *analyze.Request, next *row, current *slot) error {
	old, err := b.request(&current.row)
	if err != nil {
		return err
	}
	if !analyze.MoreComplete(r, old) {
		b.stats.Kept++
		return nil
	}

	b.rollup.add(&current.row, -1)
	b.rollup.add(next, 1)
	current.row, current.dirty = *next, true
	b.stats.Replaced++
	return nil
}

// request rebuilds the fields of a stored copy that analyze.MoreComplete
// compares.
func (b *batch) request(stored *row) (*analyze.Request, error) {
	source, err := b.dictValue(stored.dict[dSource])
	if err != nil {
		return nil, err
	}
	sortKey, err := b.dictValue(stored.dict[dSourceSortKey])
	if err != nil {
		return nil, err
	}
	return &analyze.Request{
		Usage:         stored.usage(),
		Source:        source,
		SourceSortKey: sortKey,
		Line:          stored.ints[iLine],
	}, nil
}

// dictID returns the dictionary id of value, adding it when missing.
func (b *batch) dictID(value string) (int64, error) {
	if id, ok := b.dict.ids[value]; ok {
		return id, nil
	}

	var id int64
	err := b.selectDictID.QueryRowContext(b.ctx, value).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		err = b.insertDict.QueryRowContext(b.ctx, value).Scan(&id)
	}
	if err != nil {
		return 0, fmt.Errorf("dictionary id of %q: %w", value, err)
	}
	b.dict.put(id, value)
	return id, nil
}

func (b *batch) dictValue(id int64) (string, error) {
	if v, ok := b.dict.values[id]; ok {
		return v, nil
	}

	var v string
	if err := b.selectDictValue.QueryRowContext(b.ctx, id).Scan(&v); err != nil {
		return "", fmt.Errorf("dictionary value %d: %w", id, err)
	}
	b.dict.put(id, v)
	return v, nil
}

// maxDictCache bounds a writer's dictionary cache: user and session ids can
// number millions, and ingest memory must not grow with its input.
const maxDictCache = 1 << 17

// dictCache maps dictionary values to ids and back for one writer. Entries
// are valid once their transaction commits; a failed batch resets the cache.
type dictCache struct {
	ids    map[string]int64
	values map[int64]string
	last   [numDictColumns]dictEntry // the latest value of each column
}

type dictEntry struct {
	value string
	id    int64
}

func newDictCache() *dictCache {
	c := &dictCache{}
	c.reset()
	return c
}

func (c *dictCache) reset() {
	c.ids = map[string]int64{"": 0}
	c.values = map[int64]string{0: ""}
	c.last = [numDictColumns]dictEntry{}
}

func (c *dictCache) put(id int64, value string) {
	if len(c.ids) >= maxDictCache {
		c.reset()
	}
	c.ids[value] = id
	c.values[id] = value
}
