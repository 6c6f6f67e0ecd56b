package store

import (
	"context"
	"database/sql"
	"fmt"
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
