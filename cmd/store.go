package cmd

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/costctl/costctl/analyze/store"
	"github.com/costctl/costctl/pricing"
)

// openStore opens the store named by --db. Failures are runtime errors
// (exit 4): a locked store, one from a newer costctl, an unwritable path.
func (a *app) openStore(ctx context.Context, readOnly bool) (*store.Store, error) {
	path := a.v.GetString("db")
	if readOnly {
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			return nil, usageErrorf("store %s does not exist: run costctl ingest first, or pass --db", path)
		}
	}
	st, err := store.Open(ctx, path, store.Options{ReadOnly: readOnly})
	if err != nil {
		return nil, withCode(ExitRuntime, fmt.Errorf("store %s: %w", path, err))
	}
	return st, nil
}

// priceTable is the table every command prices with; see activeTable.
func (a *app) priceTable() (*pricing.Table, error) {
	return a.activeTable()
}
