package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/costctl/costctl/analyze/billing"
	"github.com/costctl/costctl/pricing"
)

// BillingStats counts what WriteBilling did with the lines of one export.
type BillingStats struct {
	Inserted int64 // lines new to the store
	Replaced int64 // stored copies replaced by a more complete one
	Kept     int64 // copies no more complete than the stored one
}

// billingColumns are the billing table's columns after id, in the order
// billingValues returns them.
var billingColumns = []string{
	"identity", "provider", "kind", "start_ms", "end_ms",
	"model", "service_tier", "context_window", "inference_geo",
	"workspace", "project", "api_key", "cost_type", "token_type",
	"description", "line_item", "currency",
	"input", "cache_read", "cache_write_5m", "cache_write_1h",
	"output", "audio_in", "audio_out", "image_in",
	"web_searches", "code_execution", "requests", "amount_pico", "source",
}

// WriteBilling stores the lines of one export in one transaction. A line
// whose identity is stored already replaces the stored copy only when it is
// more complete (billing.Line.MoreComplete), so overlapping downloads and
// re-downloads never count a bucket twice.
func (s *Store) WriteBilling(ctx context.Context, lines []billing.Line, source string) (BillingStats, error) {
	var stats BillingStats
	if s.readOnly {
		return stats, errors.New("write billing: the store is open read-only")
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return stats, fmt.Errorf("write billing: %w", lockError(err))
	}
	defer tx.Rollback()

	for i := range lines {
		if err := writeBillingLine(ctx, tx, &lines[i], source, &stats); err != nil {
			return stats, fmt.Errorf("write billing: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return stats, fmt.Errorf("write billing: %w", lockError(err))
	}
	return stats, nil
}

func writeBillingLine(ctx context.Context, tx *sql.Tx, l *billing.Line, source string, stats *BillingStats) error {
	stored, err := readBillingLine(ctx, tx, l.Identity())
	if err != nil {
		return err
	}
	if stored != nil && !l.MoreComplete(stored) {
		stats.Kept++
		return nil
	}

	placeholders := strings.TrimSuffix(strings.Repeat("?, ", len(billingColumns)), ", ")
	query := `INSERT OR REPLACE INTO billing (` + strings.Join(billingColumns, ", ") + `) VALUES (` + placeholders + `)`
	if _, err := tx.ExecContext(ctx, query, billingValues(l, source)...); err != nil {
		return err
	}
	if stored != nil {
		stats.Replaced++
	} else {
		stats.Inserted++
	}
	return nil
}

func billingValues(l *billing.Line, source string) []any {
	v := []any{
		l.Identity(), l.Provider, string(l.Kind), l.Start.UnixMilli(), l.End.UnixMilli(),
		l.Model, l.ServiceTier, l.ContextWindow, l.InferenceGeo,
		l.Workspace, l.Project, l.APIKey, l.CostType, l.TokenType,
		l.Description, l.LineItem, l.Currency,
	}
	for c := pricing.Class(0); c < pricing.NumClasses; c++ {
		v = append(v, l.Usage.Tokens[c])
	}
	return append(v, l.Usage.WebSearches, l.CodeExecution, l.Requests, int64(l.Amount), source)
}

func readBillingLine(ctx context.Context, tx *sql.Tx, identity string) (*billing.Line, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+strings.Join(billingColumns, ", ")+` FROM billing WHERE identity = ?`, identity)
	if err != nil {
		return nil, err
	}
	lines, err := scanBilling(rows)
	if err != nil || len(lines) == 0 {
		return nil, err
	}
	return &lines[0], nil
}

// BillingLines returns the stored bill lines whose bucket starts in
// [since, until), zero ends being open, ordered by start and identity.
func (s *Store) BillingLines(ctx context.Context, since, until time.Time) ([]billing.Line, error) {
	if s.version < 2 {
		return nil, nil // a read-only store from before the billing table
	}
	query := `SELECT ` + strings.Join(billingColumns, ", ") + ` FROM billing WHERE 1 = 1`
	var args []any
	if !since.IsZero() {
		query += ` AND start_ms >= ?`
		args = append(args, since.UnixMilli())
	}
	if !until.IsZero() {
		query += ` AND start_ms < ?`
		args = append(args, until.UnixMilli())
	}
	rows, err := s.db.QueryContext(ctx, query+` ORDER BY start_ms, identity`, args...)
	if err != nil {
		return nil, fmt.Errorf("read billing: %w", err)
	}
	lines, err := scanBilling(rows)
	if err != nil {
		return nil, fmt.Errorf("read billing: %w", err)
	}
	return lines, nil
}

func scanBilling(rows *sql.Rows) ([]billing.Line, error) {
	defer rows.Close()
	var out []billing.Line
	for rows.Next() {
		var l billing.Line
		var identity, kind, source string
		var start, end, amount int64
		dest := []any{
			&identity, &l.Provider, &kind, &start, &end,
			&l.Model, &l.ServiceTier, &l.ContextWindow, &l.InferenceGeo,
			&l.Workspace, &l.Project, &l.APIKey, &l.CostType, &l.TokenType,
			&l.Description, &l.LineItem, &l.Currency,
		}
		for c := pricing.Class(0); c < pricing.NumClasses; c++ {
			dest = append(dest, &l.Usage.Tokens[c])
		}
		dest = append(dest, &l.Usage.WebSearches, &l.CodeExecution, &l.Requests, &amount, &source)
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		l.Kind, l.Amount = billing.Kind(kind), pricing.Pico(amount)
		l.Start, l.End = time.UnixMilli(start).UTC(), time.UnixMilli(end).UTC()
		out = append(out, l)
	}
	return out, rows.Err()
}
