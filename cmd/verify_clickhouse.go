package cmd

import (
	"context"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/analyze/store/clickhouse"
)

// runVerifyClickHouse verifies a ClickHouse store, reading only.
func (a *app) runVerifyClickHouse(ctx context.Context, opts verifyOptions) error {
	db := clickhouse.Redact(a.v.GetString("db"))
	if opts.repair {
		return usageErrorf("verify --repair: store %s is a ClickHouse store, which keeps no rollup, the only thing --repair rebuilds: run costctl verify without --repair and follow the repair printed with each problem", db)
	}
	table, st, err := a.readStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()

	ch, ok := st.(*clickhouse.Store)
	if !ok {
		return withCode(ExitRuntime, fmt.Errorf("store %s: opened as %T, not as a ClickHouse store", db, st))
	}
	v, err := ch.Verify(ctx, analyze.Pricer{Table: table}, table.PricesVersion())
	if err != nil {
		return withCode(ExitRuntime, fmt.Errorf("store %s: %w", db, err))
	}
	writeClickHouseVerification(a.io.Out, db, table.PricesVersion(), v)
	if !v.OK() {
		return withCode(ExitRuntime, fmt.Errorf("store %s failed verification", db))
	}
	return nil
}

// writeClickHouseVerification prints one line per problem with its
// repair, a note on requests priced by other tables, and an ok line when
// nothing is wrong.
func writeClickHouseVerification(w io.Writer, db, version string, v *clickhouse.Verification) {
	const newDatabase = "ingest the logs again into a new database (--db clickhouse://HOST:PORT/NEW_DATABASE)"
	for i, msg := range v.Schema {
		if i == 0 {
			fmt.Fprintf(w, "schema: %d differences from the tables costctl creates, so the other checks were skipped; repair: create the tables as costctl does (see SHOW CREATE TABLE in a database costctl created), or %s\n", len(v.Schema), newDatabase)
		}
		fmt.Fprintf(w, "  %s\n", msg)
	}
	if v.MisKeyed > 0 {
		fmt.Fprintf(w, "dedup keys: %d rows have an id that is not the hash of their dedup key, or a dedup key that does not match their fields, so their request may be counted twice; repair: %s\n", v.MisKeyed, newDatabase)
	}
	if v.DuplicateKeys > 0 {
		fmt.Fprintf(w, "dedup keys: %d requests are read more than once by reports; repair: %s\n", v.DuplicateKeys, newDatabase)
	}
	if v.BadCounts > 0 {
		fmt.Fprintf(w, "token counts: %d rows have a negative token count or a total other than the sum of their token counts; repair: %s\n", v.BadCounts, newDatabase)
	}
	if v.PriceMismatches > 0 {
		fmt.Fprintf(w, "prices: %d requests recorded as priced by the active price table %s carry another model, price row or context band than that table gives them; repair: costctl reprice\n", v.PriceMismatches, version)
	}
	if v.MisKeyedBilling > 0 {
		fmt.Fprintf(w, "billing: %d bill lines have an identity that does not match their fields, so a later download of the same line is stored beside them; repair: %s, with the billing exports\n", v.MisKeyedBilling, newDatabase)
	}
	writeOtherTables(w, v.OtherTables)

	if v.OK() {
		fmt.Fprintf(w, "store %s: ok: %d requests in %d rows, %d bill lines; schema, dedup keys, token counts, prices of table %s and bill line identities checked (ClickHouse stores keep no rollup)\n",
			db, v.Requests, v.Rows, v.BillLines, version)
	}
}

// writeOtherTables notes the requests priced by other table versions,
// which verify cannot check and which are not a problem by themselves.
func writeOtherTables(w io.Writer, tables map[string]int64) {
	if len(tables) == 0 {
		return
	}
	var parts []string
	var n int64
	for _, name := range slices.Sorted(maps.Keys(tables)) {
		parts = append(parts, fmt.Sprintf("%s (%d)", name, tables[name]))
		n += tables[name]
	}
	fmt.Fprintf(w, "note: %d requests priced by other price tables were not checked: %s; costctl reprice prices them with the active table\n", n, strings.Join(parts, ", "))
}
