package cmd

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/analyze/ingest"
	"github.com/costctl/costctl/analyze/store"
	"github.com/costctl/costctl/analyze/store/clickhouse"
)

type migrateOptions struct {
	from, to string
}

func newMigrateCmd(a *app) *cobra.Command {
	c := &cobra.Command{
		Use:   "migrate --from STORE --to STORE",
		Short: "Copy every request and bill line from one store to another",
		Long: `Copy a store, for example a SQLite file into ClickHouse:

  costctl migrate --from sqlite://costctl.db --to clickhouse://127.0.0.1:8123/costctl

A store is a SQLite path (optionally sqlite://FILE) or
clickhouse://HOST:PORT/DATABASE; ClickHouse credentials come from
COSTCTL_CLICKHOUSE_USER and COSTCTL_CLICKHOUSE_PASSWORD. Each request keeps
the price table version that priced it. Copying into a store that already
holds some of the requests is safe: each request is kept once, the most
complete copy winning as in ingest. Bill lines are recorded with the source
store as their source file. The target takes the source's id hashing
(ingest --hash-ids) and key fingerprint; a target whose requests keep ids
otherwise, or under another key, exits 2 and receives nothing.`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			opts := migrateOptions{from: a.v.GetString("migrate.from"), to: a.v.GetString("migrate.to")}
			return a.runMigrate(c.Context(), opts)
		},
	}
	c.Flags().String("from", "", "store to copy from (read only)")
	c.Flags().String("to", "", "store to copy into, created when missing")
	a.bindFlags(c, "migrate", "from", "to")
	return c
}

func (a *app) runMigrate(ctx context.Context, opts migrateOptions) error {
	if opts.from == "" || opts.to == "" {
		return usageErrorf("migrate: both --from and --to are required")
	}
	if opts.from == opts.to {
		return usageErrorf("migrate: --from and --to name the same store %s", clickhouse.Redact(opts.from))
	}
	src, err := a.openBackendAt(ctx, opts.from, true)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := a.openBackendAt(ctx, opts.to, false)
	if err != nil {
		return err
	}
	defer dst.Close()

	// The target takes the source's id hashing, so that later ingests
	// into it follow the same choice and key.
	err = ingest.CopyIDHashing(ctx, src, dst)
	var hashing *ingest.IDHashingError
	if errors.As(err, &hashing) {
		return usageErrorf("migrate to %s: %w", clickhouse.Redact(opts.to), err)
	}
	if err != nil {
		return withCode(ExitRuntime, fmt.Errorf("migrate: %w", err))
	}
	requests, err := copyRequests(ctx, src, dst)
	if err != nil {
		return withCode(ExitRuntime, fmt.Errorf("migrate: %w", err))
	}
	lines, err := copyBilling(ctx, src, dst, clickhouse.Redact(opts.from))
	if err != nil {
		return withCode(ExitRuntime, fmt.Errorf("migrate: %w", err))
	}
	fmt.Fprintf(a.io.Out, "copied %d requests and %d bill lines from %s to %s\n",
		requests, lines, clickhouse.Redact(opts.from), clickhouse.Redact(opts.to))
	return nil
}

// copyRequests copies every request with one writer per price table
// version, so each keeps the version that priced it.
func copyRequests(ctx context.Context, src, dst store.Backend) (int64, error) {
	writers := map[string]store.RequestWriter{}
	var n int64
	err := src.ScanPriced(ctx, analyze.Query{}, func(r *analyze.Request, version string) error {
		w, ok := writers[version]
		if !ok {
			var err error
			if w, err = dst.OpenWriter(ctx, version); err != nil {
				return err
			}
			writers[version] = w
		}
		n++
		return w.Add(r)
	})
	for _, w := range writers {
		if _, cerr := w.Close(); err == nil {
			err = cerr
		}
	}
	return n, err
}

func copyBilling(ctx context.Context, src, dst store.Backend, source string) (int, error) {
	var zero analyze.Query
	lines, err := src.BillingLines(ctx, zero.Since, zero.Until)
	if err != nil || len(lines) == 0 {
		return 0, err
	}
	if _, err := dst.WriteBilling(ctx, lines, source); err != nil {
		return 0, err
	}
	return len(lines), nil
}
