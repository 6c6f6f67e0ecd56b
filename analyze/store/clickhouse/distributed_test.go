package clickhouse_test

import (
	"context"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/analyze/ingest"
	"github.com/costctl/costctl/analyze/store/clickhouse"
	"github.com/costctl/costctl/analyze/store/clickhouse/chtest"
)

func databaseName(db string) string {
	return db[strings.LastIndex(db, "/")+1:]
}

// distributedStore sets a database up as docs/clickhouse.md describes for
// an existing cluster. Every shard gets requests_local, created from the
// statement that SHOW CREATE TABLE prints for a table costctl made. The
// database gets requests as a Distributed table over them, sharded by the
// dedup key.
// billing, files and meta stay plain tables, which costctl creates. The
// Distributed table names an empty database, so that each shard of the
// test cluster uses its own default database, as two nodes would.
func distributedStore(t *testing.T) (*clickhouse.Store, [2]string) {
	t.Helper()
	ctx := context.Background()
	shards := chtest.Shards(t)
	template := chtest.Database(t)
	if _, err := clickhouse.Open(ctx, template, clickhouse.Options{}); err != nil {
		t.Fatal(err)
	}
	ddl := chtest.Query(t, template, "SHOW CREATE TABLE requests FORMAT TabSeparatedRaw")
	for _, shard := range shards {
		local := strings.Replace(ddl, databaseName(template)+".requests", databaseName(shard)+".requests_local", 1)
		chtest.Exec(t, shard, local)
	}

	db := chtest.Database(t)
	name := databaseName(db)
	chtest.Exec(t, template, "CREATE DATABASE "+name)
	chtest.Exec(t, db, fmt.Sprintf("CREATE TABLE %s.requests AS %s.requests ENGINE = Distributed(%s, '', requests_local, cityHash64(dedup_key))",
		name, databaseName(template), chtest.ClusterName))
	ch, err := clickhouse.Open(ctx, db, clickhouse.Options{})
	if err != nil {
		t.Fatal(err)
	}
	addresses[ch] = db
	return ch, shards
}

func shardRows(t *testing.T, shard string) int64 {
	t.Helper()
	out := strings.TrimSpace(chtest.Query(t, shard, "SELECT count() FROM requests_local"))
	n, err := strconv.ParseInt(out, 10, 64)
	if err != nil {
		t.Fatalf("count rows of %s: %q: %v", shard, out, err)
	}
	return n
}

// TestDistributedTableAsDocumented ingests the sample through the
// Distributed table and compares the cells with SQLite's, checks that
// both shards got rows, that a repeat ingest skips the files, and that
// the store verifies.
func TestDistributedTableAsDocumented(t *testing.T) {
	ch, shards := distributedStore(t)
	lite, _ := openPair(t)
	table := embeddedTable(t)
	ingestBoth(t, table, []ingest.Input{{Path: samplePath()}}, lite, ch)

	// The sample holds 3,329 + 378 lines, one request each.
	rows := [2]int64{shardRows(t, shards[0]), shardRows(t, shards[1])}
	if rows[0] == 0 || rows[1] == 0 || rows[0]+rows[1] != 3707 {
		t.Errorf("rows by shard = %v, want both shards used and 3707 in all", rows)
	}
	for _, by := range [][]string{nil, {"endpoint", "tier", "hour_of_day"}, {"day", "model"}, {"customer", "user", "session"}} {
		compareCells(t, lite, ch, analyze.Query{By: by, Loc: time.UTC})
	}

	sum, err := ingest.Run(context.Background(), ch, table, []ingest.Input{{Path: samplePath()}}, ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Unchanged != 2 || sum.Lines != 0 {
		t.Errorf("repeat ingest: %d files unchanged, %d lines read, want 2 and 0", sum.Unchanged, sum.Lines)
	}
	v, err := ch.Verify(context.Background(), analyze.Pricer{Table: table}, table.Version())
	if err != nil {
		t.Fatal(err)
	}
	if !v.OK() || v.Requests != 3707 {
		t.Errorf("verify: ok %v, %d requests, want ok, 3707: %+v", v.OK(), v.Requests, v)
	}
}

// TestDistributedDedup stores copies of requests in many inserts through
// the Distributed table, and reads the same copies as SQLite keeps, also
// when the duplicated ids are too many to list in the query.
func TestDistributedDedup(t *testing.T) {
	reqs := shuffled(copies(60), 3)
	ch, _ := distributedStore(t)
	lite, _ := openPair(t)
	write(t, lite, reqs)
	for i := 0; i < len(reqs); i += 7 {
		write(t, ch, reqs[i:min(i+7, len(reqs))])
	}

	want := scanAll(t, lite, analyze.Query{})
	if got := scanAll(t, ch, analyze.Query{}); !reflect.DeepEqual(got, want) {
		t.Errorf("distributed: clickhouse kept other copies than sqlite (%d requests, want %d)", len(got), len(want))
	}
	undo := clickhouse.SetMaxInlineIDs(3)
	defer undo()
	if got := scanAll(t, ch, analyze.Query{}); !reflect.DeepEqual(got, want) {
		t.Errorf("distributed, duplicates by subquery: clickhouse kept other copies than sqlite")
	}
	compareCells(t, lite, ch, analyze.Query{By: []string{"endpoint", "day"}, Loc: time.UTC})
}
