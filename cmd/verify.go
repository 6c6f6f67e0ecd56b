package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/spf13/cobra"

	"github.com/costctl/costctl/analyze/store"
	"github.com/costctl/costctl/analyze/store/clickhouse"
)

type verifyOptions struct {
	repair bool
}

func newVerifyCmd(a *app) *cobra.Command {
	c := &cobra.Command{
		Use:   "verify",
		Short: "Check the store's integrity, and rebuild its rollup with --repair",
		Long: `Check the store: SQLite's integrity check, the 15-minute rollup against the
stored requests, dedup keys (no request stored twice) and dictionary
references. Each problem is printed with how to repair it. verify exits 4
when it finds a problem it did not repair.

--repair rebuilds the rollup from the stored requests in one transaction.
A damaged file, a repeated dedup key or a missing dictionary entry cannot be
repaired in place: restore a backup or ingest the logs into a new store.

On a ClickHouse store (--db clickhouse://...) verify checks the tables'
columns, that each row's id is the hash of its dedup key and the key
matches the row, that reports read each request once, that token totals
match the token counts, that the requests the active price table priced
carry the model, price row and context band that table gives, and that
each bill line's identity matches its fields. ClickHouse stores keep no
rollup, the one thing --repair rebuilds, so --repair is rejected there
(exit 2); each problem names its own repair.`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			opts := verifyOptions{repair: a.v.GetBool("verify.repair")}
			return a.runVerify(c.Context(), opts)
		},
	}
	c.Flags().Bool("repair", false, "rebuild the rollup from the stored requests when it differs from them (SQLite stores only)")
	a.bindFlags(c, "verify", "repair")
	return c
}

func (a *app) runVerify(ctx context.Context, opts verifyOptions) error {
	path := a.v.GetString("db")
	if clickhouse.IsURL(path) {
		return a.runVerifyClickHouse(ctx, opts)
	}
	// Without this check --repair would create an empty store and pass it.
	if _, err := os.Stat(sqlitePath(path)); opts.repair && errors.Is(err, os.ErrNotExist) {
		return usageErrorf("store %s does not exist: pass --db with the store to verify", path)
	}
	st, err := a.openStore(ctx, !opts.repair)
	if err != nil {
		return err
	}
	defer st.Close()

	v, err := st.Verify(ctx)
	if err != nil {
		return withCode(ExitRuntime, fmt.Errorf("store %s: %w", path, err))
	}
	if opts.repair && v.RollupMismatches > 0 && len(v.Integrity) == 0 {
		if v, err = a.repairRollup(ctx, st, v.RollupMismatches); err != nil {
			return withCode(ExitRuntime, fmt.Errorf("store %s: %w", path, err))
		}
	}

	writeVerification(a.io.Out, path, v)
	if !v.OK() {
		return withCode(ExitRuntime, fmt.Errorf("store %s failed verification", path))
	}
	return nil
}

// repairRollup rebuilds the rollup and verifies the store again, so the
// printed result describes the store as it is now.
func (a *app) repairRollup(ctx context.Context, st *store.Store, mismatches int64) (*store.Verification, error) {
	rows, err := st.RebuildRollup(ctx)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(a.io.Out, "repaired: %d rollup keys differed from the stored requests; rebuilt the rollup (%d rows)\n", mismatches, rows)
	return st.Verify(ctx)
}

// writeVerification prints one line per problem with its repair, or one ok
// line.
func writeVerification(w io.Writer, path string, v *store.Verification) {
	const newStore = "restore a backup, or ingest the logs again into a new store (--db NEW_PATH)"
	for i, msg := range v.Integrity {
		if i == 0 {
			fmt.Fprintf(w, "integrity: SQLite reports %d problems; repair: the file is damaged: %s\n", len(v.Integrity), newStore)
		}
		fmt.Fprintf(w, "  %s\n", msg)
	}
	if v.RollupMismatches > 0 {
		fmt.Fprintf(w, "rollup: %d rollup keys are missing or differ from the totals of the stored requests; repair: costctl verify --repair\n", v.RollupMismatches)
	}
	if v.DuplicateKeys > 0 {
		fmt.Fprintf(w, "dedup keys: %d stored requests repeat another's dedup key and are counted twice; repair: %s\n", v.DuplicateKeys, newStore)
	}
	columns := make([]string, 0, len(v.DanglingRefs))
	for c := range v.DanglingRefs {
		columns = append(columns, c)
	}
	slices.Sort(columns)
	for _, c := range columns {
		fmt.Fprintf(w, "dictionary: %s: %d rows refer to missing dictionary entries; repair: %s\n", c, v.DanglingRefs[c], newStore)
	}

	if v.OK() {
		fmt.Fprintf(w, "store %s: ok: %d requests, %d rollup rows; integrity, rollup totals, dedup keys and dictionary references checked\n",
			path, v.Requests, v.RollupRows)
	}
}
