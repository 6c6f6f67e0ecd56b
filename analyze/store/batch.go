package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/costctl/costctl/analyze"
)

// batch writes requests inside one transaction with prepared statements.
type batch struct {
	ctx  context.Context
	hash func(string) int64
	dict *dictCache

	selectRow, insertRow, replaceRow *sql.Stmt
	selectDictID, insertDict         *sql.Stmt
	selectDictValue                  *sql.Stmt

	rollup *rollupDelta
	stats  WriteStats
}

func newBatch(ctx context.Context, tx *sql.Tx, hash func(string) int64, dict *dictCache) (*batch, error) {
	cols := strings.Join(requestColumns(), ", ")
	values := placeholders(len(requestColumns()))
	b := &batch{ctx: ctx, hash: hash, dict: dict, rollup: newRollupDelta()}

	statements := []struct {
		stmt  **sql.Stmt
		query string
	}{
		{&b.selectRow, "SELECT " + cols + " FROM requests WHERE id = ?"},
		{&b.insertRow, "INSERT INTO requests (" + cols + ") VALUES (" + values + ")"},
		{&b.replaceRow, "REPLACE INTO requests (" + cols + ") VALUES (" + values + ")"},
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
	for _, s := range []*sql.Stmt{b.selectRow, b.insertRow, b.replaceRow, b.selectDictID, b.insertDict, b.selectDictValue} {
		if s != nil {
			s.Close()
		}
	}
}

// put stores r unless a copy at least as complete is already stored. Its
// slot is the hash of its dedup key; a slot taken by another key (a hash
// collision) moves it to the next integer, so every key has a deterministic
// slot given the keys stored before it.
func (b *batch) put(r *analyze.Request, priceTable int64) error {
	next, err := b.encode(r, priceTable)
	if err != nil {
		return err
	}

	for id := b.hash(next.key); ; id++ {
		stored, found, err := b.load(id)
		if err != nil {
			return err
		}
		if !found {
			next.id = id
			return b.insert(&next)
		}
		if stored.key == next.key {
			next.id = id
			return b.merge(r, &next, &stored)
		}
	}
}

func (b *batch) encode(r *analyze.Request, priceTable int64) (row, error) {
	out, err := encodeRow(r)
	if err != nil {
		return row{}, err
	}
	values := dictStrings(r, "")
	for i, v := range values {
		if out.dict[i], err = b.dictID(v); err != nil {
			return row{}, err
		}
	}
	out.dict[dPriceTable] = priceTable
	return out, nil
}

func (b *batch) load(id int64) (row, bool, error) {
	var r row
	err := b.selectRow.QueryRowContext(b.ctx, id).Scan(r.fields()...)
	if errors.Is(err, sql.ErrNoRows) {
		return row{}, false, nil
	}
	if err != nil {
		return row{}, false, fmt.Errorf("read request %d: %w", id, err)
	}
	return r, true, nil
}

func (b *batch) insert(r *row) error {
	if _, err := b.insertRow.ExecContext(b.ctx, r.values()...); err != nil {
		return fmt.Errorf("insert request: %w", err)
	}
	b.rollup.add(r, 1)
	b.stats.Inserted++
	return nil
}

// merge replaces the stored copy when the new one is more complete by
// analyze.MoreComplete, and moves the rollup counters with it.
func (b *batch) merge(r *analyze.Request, next, stored *row) error {
	old, err := b.request(stored)
	if err != nil {
		return err
	}
	if !analyze.MoreComplete(r, old) {
		b.stats.Kept++
		return nil
	}

	if _, err := b.replaceRow.ExecContext(b.ctx, next.values()...); err != nil {
		return fmt.Errorf("replace request: %w", err)
	}
	b.rollup.add(stored, -1)
	b.rollup.add(next, 1)
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
}

func newDictCache() *dictCache {
	c := &dictCache{}
	c.reset()
	return c
}

func (c *dictCache) reset() {
	c.ids = map[string]int64{"": 0}
	c.values = map[int64]string{0: ""}
}

func (c *dictCache) put(id int64, value string) {
	if len(c.ids) >= maxDictCache {
		c.reset()
	}
	c.ids[value] = id
	c.values[id] = value
}
