package clickhouse

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/analyze/store"
)

// Reprice resolves every stored request again with p and inserts a copy
// with the new price fields and version, at a higher revision than any
// copy it reprices, for each request whose fields change. Readers prefer
// the higher revision among equally complete copies, and the table engine
// drops the old copy when it next merges. Batches insert one by one: after
// an error, running Reprice again finishes the job.
func (s *Store) Reprice(ctx context.Context, p analyze.Pricer, version string) (store.RepriceStats, error) {
	var stats store.RepriceStats
	if s.readOnly {
		return stats, errors.New("reprice: store is open read-only")
	}
	revision := uint64(time.Now().UnixNano())
	var buf bytes.Buffer
	n := 0

	err := s.ScanPriced(ctx, analyze.Query{}, func(r *analyze.Request, stored string) error {
		changed := repriceOne(r, p, stored, version, &stats)
		if !changed {
			return nil
		}
		n++
		return appendRow(&buf, r, version, revision)
	})
	if err != nil {
		return stats, fmt.Errorf("reprice: %w", err)
	}
	if n == 0 {
		return stats, nil
	}
	// NOTE: the changed copies are buffered until the scan ends, because
	// the scan holds the HTTP response open. Memory grows with the number
	// of changed requests.
	return stats, s.insertRequests(ctx, &buf)
}

// repriceOne sets r's price fields from p and reports whether they or the
// table version differ from the stored ones.
func repriceOne(r *analyze.Request, p analyze.Pricer, stored, version string, stats *store.RepriceStats) bool {
	stats.Requests++
	before := [3]string{r.ModelID, r.PriceRowID, fmt.Sprint(r.ContextBand)}
	p.Price(r)
	if r.ModelID == "" {
		stats.Unpriced++
	}
	after := [3]string{r.ModelID, r.PriceRowID, fmt.Sprint(r.ContextBand)}
	if before == after && stored == version {
		return false
	}
	stats.Changed++
	return true
}
