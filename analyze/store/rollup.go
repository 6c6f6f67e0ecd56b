package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/costctl/costctl/pricing"
)

// bucketSeconds is the width of a rollup bucket. Every current UTC offset is
// a whole number of 15-minute steps, so day and hour buckets in any zone are
// unions of rollup buckets.
const bucketSeconds = 900

// bucketOf returns the rollup bucket of a unix-millisecond time, rounding
// down for times before 1970 as well.
func bucketOf(ms int64) int64 {
	return floorDiv(ms, bucketSeconds*1000)
}

// floorDiv divides rounding toward negative infinity; Go's / truncates
// toward zero.
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b < 0 {
		q--
	}
	return q
}

// rollupTable is one rollup table: the same keys and counters summed over
// buckets of its width, bucket = floor(unix seconds / seconds).
type rollupTable struct {
	name    string
	seconds int64
}

// The rollup tables. Every width is a whole number of 15-minute buckets,
// so the coarser tables are sums of the 15-minute one.
var (
	quarterRollup = rollupTable{name: "rollup", seconds: bucketSeconds}
	hourRollup    = rollupTable{name: "rollup_hour", seconds: 3600}
	dayRollup     = rollupTable{name: "rollup_day", seconds: 86400}
	rollupTables  = []rollupTable{quarterRollup, hourRollup, dayRollup}
)

// rollupKey is a rollup row's primary key.
type rollupKey struct {
	bucket int64
	dims   [15]int64 // rollupDimColumns order
}

// rollupValues are the counters of one rollup row.
type rollupValues [numRollupValues]int64

func keyOf(r *row) rollupKey {
	d := r.dict
	return rollupKey{
		bucket: bucketOf(r.timeMS),
		dims: [15]int64{
			d[dProvider], d[dModel], d[dModelID], d[dPriceRowID], r.ints[iContextBand],
			d[dServiceTier], d[dInferenceGeo], d[dSpeed], d[dEndpoint], d[dTier], d[dCustomer],
			d[dWorkspace], d[dProject], d[dAPIKey], d[dPriceTable],
		},
	}
}

// rollupDelta collects a batch's changes to the rollup so that each rollup
// row is written once per batch however many requests fall in it.
type rollupDelta struct {
	values     map[rollupKey]*rollupValues
	subtracted map[rollupKey]bool // rows that may have dropped to zero requests
}

func newRollupDelta() *rollupDelta {
	return &rollupDelta{values: map[rollupKey]*rollupValues{}, subtracted: map[rollupKey]bool{}}
}

// add adds sign (1 or -1) times the row's counters.
func (d *rollupDelta) add(r *row, sign int64) {
	k := keyOf(r)
	v := d.values[k]
	if v == nil {
		v = &rollupValues{}
		d.values[k] = v
	}
	if sign < 0 {
		d.subtracted[k] = true
	}

	v[vRequests] += sign
	if r.ints[iStatus] == statusNoUsage {
		v[vNoUsage] += sign
	}
	for c := 0; c < int(pricing.NumClasses); c++ {
		v[vTokens+c] += sign * r.ints[iTokens+c]
	}
	v[vReasoning] += sign * r.ints[iReasoning]
	v[vWebSearches] += sign * r.ints[iWebSearches]
}

// apply writes the collected changes to every rollup table, the 15-minute
// one first, and then deletes rows left with no requests.
func (d *rollupDelta) apply(ctx context.Context, tx *sql.Tx) error {
	for _, t := range rollupTables {
		if err := d.coarsen(t).write(ctx, tx, t); err != nil {
			return err
		}
	}
	return nil
}

// coarsen returns the changes summed into t's buckets.
func (d *rollupDelta) coarsen(t rollupTable) *rollupDelta {
	per := t.seconds / bucketSeconds
	if per == 1 {
		return d
	}
	out := newRollupDelta()
	for k, v := range d.values {
		ck := rollupKey{bucket: floorDiv(k.bucket, per), dims: k.dims}
		sum := out.values[ck]
		if sum == nil {
			sum = &rollupValues{}
			out.values[ck] = sum
		}
		for i := range v {
			sum[i] += v[i]
		}
		if d.subtracted[k] {
			out.subtracted[ck] = true
		}
	}
	return out
}

// write upserts the changes into t in primary-key order, which keeps
// B-tree writes local.
func (d *rollupDelta) write(ctx context.Context, tx *sql.Tx, t rollupTable) error {
	keys := make([]rollupKey, 0, len(d.values))
	for k := range d.values {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, compareRollupKeys)

	var full *sql.Stmt
	defer func() {
		if full != nil {
			full.Close()
		}
	}()
	zero := d.zeroColumns()
	args := make([]any, 0, rowsPerUpsert*rollupColumnCount)
	for start := 0; start < len(keys); start += rowsPerUpsert {
		part := keys[start:min(start+rowsPerUpsert, len(keys))]
		args = args[:0]
		for _, k := range part {
			args = appendNonzero(args, k, d.values[k], zero)
		}
		query := "" // the prepared full-size statement needs none
		if full == nil || len(part) < rowsPerUpsert {
			query = rollupUpsertSQL(t, len(part), zero)
		}
		if err := execUpsert(ctx, tx, query, &full, len(part), args); err != nil {
			return fmt.Errorf("update %s: %w", t.name, err)
		}
	}
	return d.deleteEmpty(ctx, tx, t)
}

// zeroColumns marks the columns, in rollupKeyColumns then
// rollupValueColumns order, that are zero in every row of d. The upsert
// writes them as a literal 0 instead of binding them, and leaves zero
// counters out of its update. Logs leave about half of the columns empty,
// and binding them took about a third of the rollups' share of a fresh
// ingest.
func (d *rollupDelta) zeroColumns() []bool {
	zero := make([]bool, rollupColumnCount)
	for i := range zero {
		zero[i] = true
	}
	for k, v := range d.values {
		for i, x := range rollupRow(k, v) {
			if x != 0 {
				zero[i] = false
			}
		}
	}
	return zero
}

// rollupRow returns a rollup row's columns in rollupKeyColumns then
// rollupValueColumns order.
func rollupRow(k rollupKey, v *rollupValues) [1 + 15 + numRollupValues]int64 {
	var r [1 + 15 + numRollupValues]int64
	r[0] = k.bucket
	copy(r[1:], k.dims[:])
	copy(r[1+len(k.dims):], v[:])
	return r
}

func appendNonzero(args []any, k rollupKey, v *rollupValues, zero []bool) []any {
	for i, x := range rollupRow(k, v) {
		if !zero[i] {
			args = append(args, x)
		}
	}
	return args
}

// rowsPerUpsert is how many rollup rows one upsert writes: 256 rows × 28
// columns stay below SQLite's default limit of 32,766 bound parameters.
const rowsPerUpsert = 256

var rollupColumnCount = 1 + len(rollupDimColumns) + len(rollupValueColumns)

// execUpsert runs the upsert of n rows, preparing the full-size statement
// once per transaction and keeping it in *full.
func execUpsert(ctx context.Context, tx *sql.Tx, query string, full **sql.Stmt, n int, args []any) error {
	if n < rowsPerUpsert {
		_, err := tx.ExecContext(ctx, query, args...)
		return err
	}
	if *full == nil {
		stmt, err := tx.PrepareContext(ctx, query)
		if err != nil {
			return err
		}
		*full = stmt
	}
	_, err := (*full).ExecContext(ctx, args...)
	return err
}

func compareRollupKeys(a, b rollupKey) int {
	if c := cmp.Compare(a.bucket, b.bucket); c != 0 {
		return c
	}
	return slices.Compare(a.dims[:], b.dims[:])
}

// deleteEmpty removes the rows a replaced copy may have emptied, so that no
// rollup table holds a row with zero requests.
func (d *rollupDelta) deleteEmpty(ctx context.Context, tx *sql.Tx, t rollupTable) error {
	if len(d.subtracted) == 0 {
		return nil
	}
	remove, err := tx.PrepareContext(ctx, rollupDeleteSQL(t))
	if err != nil {
		return fmt.Errorf("prepare %s delete: %w", t.name, err)
	}
	defer remove.Close()

	for k := range d.subtracted {
		if _, err := remove.ExecContext(ctx, k.args()...); err != nil {
			return fmt.Errorf("update %s: %w", t.name, err)
		}
	}
	return nil
}

func (k rollupKey) args() []any {
	return k.appendArgs(make([]any, 0, 1+len(k.dims)))
}

func (k rollupKey) appendArgs(a []any) []any {
	a = append(a, k.bucket)
	for _, d := range k.dims {
		a = append(a, d)
	}
	return a
}

func rollupKeyColumns() []string {
	return append([]string{"bucket"}, rollupDimColumns...)
}

// rollupUpsertSQL adds n rows of counters to t, creating missing rows. The
// columns zero marks are the literal 0 in every row.
func rollupUpsertSQL(t rollupTable, n int, zero []bool) string {
	cols := append(rollupKeyColumns(), rollupValueColumns...)
	values := make([]string, len(cols))
	for i := range cols {
		values[i] = "?"
		if zero[i] {
			values[i] = "0"
		}
	}
	var sets []string
	for i, c := range rollupValueColumns {
		if !zero[len(rollupKeyColumns())+i] {
			sets = append(sets, fmt.Sprintf("%s = %s + excluded.%s", c, c, c))
		}
	}
	// Counters that are all zero come only from copies replaced or
	// repriced within one key, whose row exists already, so there is
	// nothing to update.
	update := "NOTHING"
	if len(sets) > 0 {
		update = "UPDATE SET " + strings.Join(sets, ", ")
	}

	tuple := "(" + strings.Join(values, ", ") + ")"
	tuples := strings.TrimSuffix(strings.Repeat(tuple+", ", n), ", ")
	return fmt.Sprintf("INSERT INTO %s (%s) VALUES %s ON CONFLICT (%s) DO %s",
		t.name, strings.Join(cols, ", "), tuples, strings.Join(rollupKeyColumns(), ", "), update)
}

func rollupDeleteSQL(t rollupTable) string {
	conds := make([]string, 0, len(rollupKeyColumns()))
	for _, c := range rollupKeyColumns() {
		conds = append(conds, c+" = ?")
	}
	return "DELETE FROM " + t.name + " WHERE " + strings.Join(conds, " AND ") + " AND requests = 0"
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}
