package clickhouse

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/analyze/store"
	"github.com/costctl/costctl/pricing"
)

// Verification is the result of Verify. A store is sound when every
// problem field is empty or zero. There is no rollup to compare: every
// report groups the stored rows themselves.
type Verification struct {
	// Schema lists tables or columns that differ from the ones costctl
	// creates, which reads would fail on or misread.
	Schema []string
	// MisKeyed counts rows whose id is not the hash of their dedup key, or
	// whose dedup key does not match their provider, format, source and
	// line. Readers find the copies of a request by that hash, so such a
	// row can be counted beside another copy of its request.
	MisKeyed int64
	// DuplicateKeys counts the requests that the most-complete-copy read
	// returns more than once, each extra copy counted once.
	DuplicateKeys int64
	// BadCounts counts rows with a negative token count, or a total that
	// differs from the sum of their token counts. Readers compare totals
	// to choose among copies.
	BadCounts int64
	// PriceMismatches counts requests recorded as priced by the active
	// price table whose model, price row or context band differ from the
	// ones that table gives them now. Reports price them from those fields.
	PriceMismatches int64
	// OtherTables counts, by price table version, the requests priced by
	// a table other than the active one. Their price fields are not
	// checked, because only the active table is at hand.
	OtherTables map[string]int64
	// MisKeyedBilling counts bill lines whose stored identity differs from
	// the one their fields give, so a later download of the same line is
	// stored beside it instead of replacing it.
	MisKeyedBilling int64

	Requests  int64 // requests as reports count them: one copy each
	Rows      int64 // rows of the requests table, copies included
	BillLines int64 // rows of the billing table, every revision included
}

// OK reports whether Verify found nothing wrong. Requests priced by other
// table versions are not a problem: reprice is how they move to the
// active table.
func (v *Verification) OK() bool {
	return len(v.Schema) == 0 && v.MisKeyed == 0 && v.DuplicateKeys == 0 &&
		v.BadCounts == 0 && v.PriceMismatches == 0 && v.MisKeyedBilling == 0
}

// Verify checks the store without writing to it: the schema, the dedup
// keys, the most-complete-copy read, the token counts, the price fields of
// the requests that p's table (version) priced, and the bill line
// identities. When the schema differs, the other checks are skipped
// because their queries would fail or misread.
func (s *Store) Verify(ctx context.Context, p analyze.Pricer, version string) (*Verification, error) {
	v := &Verification{OtherTables: map[string]int64{}}
	if err := s.checkSchema(ctx, v); err != nil {
		return nil, err
	}
	if len(v.Schema) > 0 {
		return v, nil
	}

	steps := []func(context.Context, *Verification) error{
		s.checkKeys, s.checkChosenCopies, s.checkCounts, s.checkBilling,
		func(ctx context.Context, v *Verification) error { return s.checkPrices(ctx, p, version, v) },
	}
	for _, step := range steps {
		if err := step(ctx, v); err != nil {
			return nil, fmt.Errorf("verify: %w", err)
		}
	}
	return v, nil
}

// checkSchema compares the columns of costctl's tables, as the server
// lists them, with the ones costctl creates. The files table is optional:
// a store written before costctl kept file states has none until the
// next ingest creates it.
func (s *Store) checkSchema(ctx context.Context, v *Verification) error {
	have, err := s.tableColumns(ctx)
	if err != nil {
		return fmt.Errorf("verify: read the schema: %w", err)
	}
	for _, t := range expectedTables() {
		cols, ok := have[t.name]
		if !ok && t.name == "files" {
			continue
		}
		if !ok {
			v.Schema = append(v.Schema, fmt.Sprintf("table %s is missing", t.name))
			continue
		}
		for _, c := range t.columns {
			switch typ, ok := cols[c.name]; {
			case !ok:
				v.Schema = append(v.Schema, fmt.Sprintf("table %s has no column %s", t.name, c.name))
			case typ != c.typ:
				v.Schema = append(v.Schema, fmt.Sprintf("table %s: column %s is %s, expected %s", t.name, c.name, typ, c.typ))
			}
		}
	}
	return nil
}

// tableColumns returns the type of each column by table and column name,
// for the tables of the store's database.
func (s *Store) tableColumns(ctx context.Context) (map[string]map[string]string, error) {
	r, err := s.c.query(ctx, "SELECT table, name, type FROM system.columns WHERE database = currentDatabase()")
	if err != nil {
		return nil, err
	}
	defer r.close()

	out := map[string]map[string]string{}
	for r.next() {
		if len(r.fields) != 3 {
			return nil, fmt.Errorf("system.columns row has %d fields, expected 3", len(r.fields))
		}
		table := r.fields[0]
		if out[table] == nil {
			out[table] = map[string]string{}
		}
		out[table][r.fields[1]] = r.fields[2]
	}
	return out, r.close()
}

// checkKeys reads the key columns of every row and checks each id and
// dedup key as RestoreKey would, counting rather than failing.
func (s *Store) checkKeys(ctx context.Context, v *Verification) error {
	r, err := s.c.query(ctx, "SELECT id, dedup_key, provider, format, source, line FROM requests")
	if err != nil {
		return fmt.Errorf("read dedup keys: %w", err)
	}
	defer r.close()

	for r.next() {
		f := &fieldReader{fields: r.fields}
		id, key := f.int(), f.text()
		req := analyze.Request{Provider: f.text(), Format: f.text(), Source: f.text(), Line: f.int()}
		if f.err != nil {
			return fmt.Errorf("read dedup keys: %w", f.err)
		}
		v.Rows++
		if id != store.KeyHash(key) || store.RestoreKey(&req, key) != nil {
			v.MisKeyed++
		}
	}
	if err := r.close(); err != nil {
		return fmt.Errorf("read dedup keys: %w", err)
	}
	return nil
}

// checkChosenCopies counts the copies that the read every report makes
// returns, and the dedup keys among them returned more than once.
func (s *Store) checkChosenCopies(ctx context.Context, v *Verification) error {
	chosen, err := s.dedupSQL(ctx, []string{"dedup_key"}, time.Time{}, time.Time{})
	if err != nil {
		return err
	}
	return s.queryInts(ctx, "SELECT count(), count() - uniqExact(dedup_key) FROM ("+chosen+")",
		&v.Requests, &v.DuplicateKeys)
}

// checkCounts counts the rows with a negative token count or a total
// other than the sum of their token counts (pricing.Usage.Total).
func (s *Store) checkCounts(ctx context.Context, v *Verification) error {
	classes := quoted(sumColumns[:pricing.NumClasses])
	var negative []string
	for _, c := range append(classes, "reasoning", "web_searches") {
		negative = append(negative, c+" < 0")
	}
	cond := fmt.Sprintf("%s OR total != %s", strings.Join(negative, " OR "), strings.Join(classes, " + "))
	return s.queryInts(ctx, "SELECT countIf("+cond+") FROM requests", &v.BadCounts)
}

// checkBilling compares the stored identity of every bill line revision
// with the identity its fields give.
func (s *Store) checkBilling(ctx context.Context, v *Verification) error {
	r, err := s.c.query(ctx, "SELECT "+joinQuoted(billingColumns)+" FROM billing")
	if err != nil {
		return fmt.Errorf("read bill lines: %w", err)
	}
	defer r.close()

	for r.next() {
		stored := r.fields[0]
		l, err := decodeBilling(r.fields)
		if err != nil {
			return fmt.Errorf("read bill lines: %w", err)
		}
		v.BillLines++
		if l.Identity() != stored {
			v.MisKeyedBilling++
		}
	}
	if err := r.close(); err != nil {
		return fmt.Errorf("read bill lines: %w", err)
	}
	return nil
}

// checkPrices prices again, with p, each chosen copy that records version
// as its price table, and counts the requests of every other version.
// A version is the table's date and a hash of its models
// (pricing.Table.Version), so the same version gives the same price fields.
func (s *Store) checkPrices(ctx context.Context, p analyze.Pricer, version string, v *Verification) error {
	if err := s.countOtherTables(ctx, version, v); err != nil {
		return err
	}
	chosen, err := s.dedupSQL(ctx, quoted(requestColumns()), time.Time{}, time.Time{})
	if err != nil {
		return err
	}
	query := fmt.Sprintf("SELECT %s FROM (%s) WHERE price_table = '%s'",
		strings.Join(selectColumns(), ", "), chosen, sqlEscaper.Replace(version))
	r, err := s.c.query(ctx, query)
	if err != nil {
		return fmt.Errorf("read priced requests: %w", err)
	}
	defer r.close()

	var stored, again analyze.Request
	for r.next() {
		if _, err := decodeFields(r.fields, &stored); err != nil {
			return fmt.Errorf("read priced requests: %w", err)
		}
		again = stored
		p.Price(&again)
		if again.ModelID != stored.ModelID || again.PriceRowID != stored.PriceRowID || again.ContextBand != stored.ContextBand {
			v.PriceMismatches++
		}
	}
	if err := r.close(); err != nil {
		return fmt.Errorf("read priced requests: %w", err)
	}
	return nil
}

func (s *Store) countOtherTables(ctx context.Context, version string, v *Verification) error {
	chosen, err := s.dedupSQL(ctx, []string{"price_table"}, time.Time{}, time.Time{})
	if err != nil {
		return err
	}
	r, err := s.c.query(ctx, fmt.Sprintf("SELECT price_table, count() FROM (%s) WHERE price_table != '%s' GROUP BY price_table",
		chosen, sqlEscaper.Replace(version)))
	if err != nil {
		return fmt.Errorf("count requests by price table: %w", err)
	}
	defer r.close()

	for r.next() {
		f := &fieldReader{fields: r.fields}
		name, n := f.text(), f.int()
		if f.err != nil {
			return fmt.Errorf("count requests by price table: %w", f.err)
		}
		v.OtherTables[name] = n
	}
	return r.close()
}

// queryInts runs a query that returns one row of integers into dest.
func (s *Store) queryInts(ctx context.Context, query string, dest ...*int64) error {
	r, err := s.c.query(ctx, query)
	if err != nil {
		return err
	}
	defer r.close()

	if !r.next() {
		return fmt.Errorf("no row returned by %.60s...: %v", query, r.close())
	}
	f := &fieldReader{fields: r.fields}
	for _, d := range dest {
		*d = f.int()
	}
	if f.err != nil {
		return f.err
	}
	return r.close()
}
