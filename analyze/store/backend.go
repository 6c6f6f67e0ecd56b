package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/analyze/billing"
	"github.com/costctl/costctl/pricing"
)

// Backend is the set of store operations the commands use. *Store (SQLite) and the
// ClickHouse store in analyze/store/clickhouse implement it, and both must
// return the same cells, requests and bill lines for the same input.
type Backend interface {
	// OpenWriter returns a writer that records priceTableVersion as the
	// table that priced every request it stores.
	OpenWriter(ctx context.Context, priceTableVersion string) (RequestWriter, error)
	// Cells groups the requests of q's window as (*Store).Cells does: same
	// cells, same labels, same order.
	Cells(ctx context.Context, q analyze.Query) ([]analyze.Cell, error)
	// Bounds returns the first and last request times and the request
	// count, zero times for an empty store.
	Bounds(ctx context.Context) (first, last time.Time, requests int64, err error)
	// PriceTableVersions returns the sorted, distinct, non-empty table
	// versions recorded with stored requests.
	PriceTableVersions(ctx context.Context) ([]string, error)
	// Scan calls fn with each request of q's window in time order. The
	// *Request is reused between calls.
	Scan(ctx context.Context, q analyze.Query, fn func(*analyze.Request) error) error
	// ScanPriced is Scan that also passes the version of the price table
	// that priced each request and restores its ID or RecordHash, so that
	// r.DedupKey() returns the stored key: what copying a store needs.
	ScanPriced(ctx context.Context, q analyze.Query, fn func(r *analyze.Request, priceTable string) error) error
	// Reprice resolves every stored request again with p.
	Reprice(ctx context.Context, p analyze.Pricer, version string) (RepriceStats, error)
	// WriteBilling stores the lines of one billing export, keeping the most
	// complete copy of each line identity.
	WriteBilling(ctx context.Context, lines []billing.Line, source string) (BillingStats, error)
	// BillingLines returns the stored bill lines starting in [since, until),
	// ordered by start and identity.
	BillingLines(ctx context.Context, since, until time.Time) ([]billing.Line, error)
	// Files returns the read state of every log file ingested before, by
	// path. A backend that keeps none returns an empty map, so every file
	// is read whole.
	Files(ctx context.Context) (map[string]FileState, error)
	// SaveFiles stores the read state of files whose requests are
	// committed.
	SaveFiles(ctx context.Context, files []FileState) error
	// Meta returns the store setting saved under key by SetMeta; ok is
	// false when there is none.
	Meta(ctx context.Context, key string) (value string, ok bool, err error)
	// SetMeta saves a store setting, such as how ids are stored, that
	// every later run must follow.
	SetMeta(ctx context.Context, key, value string) error
	// SchemaVersion returns the schema version of the open store.
	SchemaVersion() int
	// Close releases the store. Writers must be closed first.
	Close() error
}

// RequestWriter adds requests to a store, keeping one copy per dedup key:
// the most complete by analyze.MoreComplete.
type RequestWriter interface {
	Add(r *analyze.Request) error
	Close() (WriteStats, error)
}

var _ Backend = (*Store)(nil)

// OpenWriter is NewWriter behind the RequestWriter interface.
func (s *Store) OpenWriter(ctx context.Context, priceTableVersion string) (RequestWriter, error) {
	w, err := s.NewWriter(ctx, priceTableVersion)
	if err != nil {
		return nil, err
	}
	return w, nil
}

// KeyHash returns the preferred primary key of a dedup key in a SQLite
// store. Other backends store it too, so that Scan breaks ties between
// requests of the same millisecond in the same order on every backend.
func KeyHash(key string) int64 {
	return hashKey(key)
}

// CellColumns returns the columns a Cells query groups by, price columns
// first, and whether it also groups by 15-minute bucket. It rejects an
// unknown dimension as Cells does.
func CellColumns(q analyze.Query) (columns []string, bucket bool, err error) {
	p, err := newPlan(q)
	if err != nil {
		return nil, false, err
	}
	for _, c := range p.columns {
		columns = append(columns, c.name)
	}
	return columns, p.bucket, nil
}

// CellGroup is one group of a backend's cell query: the values of the
// CellColumns, the 15-minute bucket number (Unix seconds / 900) when grouped
// by bucket, and the sums.
type CellGroup struct {
	Values   map[string]string // by column name, context_band excepted
	Band     int               // context_band
	Bucket   int64
	Requests int64
	NoUsage  int64
	Usage    pricing.Usage
}

// AssembleCells turns the groups of another backend's cell query into the
// cells (*Store).Cells returns: buckets merged under their day or hour
// labels in q.Loc, keys filled, periods split at q.SplitAt, sorted.
func AssembleCells(q analyze.Query, groups []CellGroup) ([]analyze.Cell, error) {
	p, err := newPlan(q)
	if err != nil {
		return nil, err
	}
	names := map[int64]string{}
	out := make([]group, len(groups))
	for i := range groups {
		out[i] = groupOf(p, &groups[i], names)
	}
	return buildCells(p, [][]group{out}, names), nil
}

// groupOf encodes a CellGroup as a SQLite query group, giving each string
// value a made-up dictionary id in names.
func groupOf(p *plan, g *CellGroup, names map[int64]string) group {
	out := group{ids: make([]int64, len(p.columns)), bucket: g.Bucket}
	for i, c := range p.columns {
		if !c.dict {
			out.ids[i] = int64(g.Band)
			continue
		}
		id := int64(len(names) + 1)
		names[id] = g.Values[c.name]
		out.ids[i] = id
	}

	out.values[vRequests], out.values[vNoUsage] = g.Requests, g.NoUsage
	u := g.Usage
	copy(out.values[vTokens:vReasoning], u.Tokens[:])
	out.values[vReasoning], out.values[vWebSearches] = u.Reasoning, u.WebSearches
	return out
}

// ScanPriced is Scan that also passes the version of the price table that
// priced each request.
func (s *Store) ScanPriced(ctx context.Context, q analyze.Query, fn func(r *analyze.Request, priceTable string) error) error {
	return s.scanRows(ctx, q, true, func(r *scannedRow) error {
		if err := RestoreKey(&r.req, r.key); err != nil {
			return err
		}
		return fn(&r.req, r.priceTable)
	})
}

// RestoreKey sets r.ID or r.RecordHash from the stored dedup key, which
// analyze.Request.DedupKey builds from (provider, id) or from (format,
// record hash, source, line).
func RestoreKey(r *analyze.Request, key string) error {
	parts := strings.Split(key, "\x00")
	switch len(parts) {
	case 2:
		r.ID = parts[1]
	case 4:
		r.RecordHash = parts[1]
	}
	if r.DedupKey() != key {
		return fmt.Errorf("scan requests: stored dedup key %q does not match the request's fields", key)
	}
	return nil
}
