package clickhouse

import (
	"fmt"
	"strings"

	"github.com/costctl/costctl/pricing"
)

// stringColumns of requests, in requestColumns order after time_ms.
var stringColumns = []string{
	"provider", "model", "model_id", "price_row_id", "endpoint", "tier",
	"customer", "user", "session", "workspace", "project", "api_key",
	"service_tier", "inference_geo", "speed", "source", "source_sort_key",
	"format", "price_table", "status",
}

// intColumns of requests after the string columns; token classes follow
// pricing.Class order.
var intColumns = func() []string {
	cols := []string{"context_band", "line", "turn", "attempt", "latency_ms", "ttft_ms", "prefix_tokens"}
	for c := pricing.Class(0); c < pricing.NumClasses; c++ {
		cols = append(cols, c.String())
	}
	return append(cols, "reasoning", "web_searches", "total")
}()

// requestColumns lists the requests columns in the order rows are written
// and scanned. logged_cost is read back as two columns (see selectColumns).
func requestColumns() []string {
	cols := append([]string{"id", "dedup_key", "time_ms"}, stringColumns...)
	cols = append(cols, intColumns...)
	return append(cols, "sample_rate", "logged_cost", "prefix_hash", "retry_of", "request_id", "revision")
}

func requestsDDL() string {
	var defs []string
	for _, c := range requestColumns() {
		defs = append(defs, fmt.Sprintf("`%s` %s", c, columnType(c)))
	}
	// The engine collapses copies equal in every field the most-complete rule
	// compares, keeping the highest revision, which is the copy readers would
	// pick among them anyway. Readers never rely on merges having run.
	return `CREATE TABLE IF NOT EXISTS requests (` + strings.Join(defs, ", ") + `)
ENGINE = ReplacingMergeTree(revision)
PARTITION BY toYYYYMM(toDateTime(intDiv(time_ms, 1000)))
ORDER BY (time_ms, dedup_key, source, line, output, total)`
}

func columnType(c string) string {
	switch {
	case c == "revision":
		return "UInt64"
	case c == "sample_rate":
		return "Float64"
	case c == "logged_cost":
		return "Nullable(Float64)"
	case c == "id" || c == "time_ms" || contains(intColumns, c):
		return "Int64"
	}
	return "String"
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// billingColumns of the billing table, in write and read order.
var billingColumns = func() []string {
	cols := []string{
		"identity", "provider", "kind", "start_ms", "end_ms",
		"model", "service_tier", "context_window", "inference_geo",
		"workspace", "project", "api_key", "cost_type", "token_type",
		"description", "line_item", "currency",
	}
	for c := pricing.Class(0); c < pricing.NumClasses; c++ {
		cols = append(cols, c.String())
	}
	return append(cols, "web_searches", "code_execution", "requests", "amount_pico", "source", "revision")
}()

func billingDDL() string {
	var defs []string
	for _, c := range billingColumns {
		defs = append(defs, fmt.Sprintf("`%s` %s", c, billingColumnType(c)))
	}
	return `CREATE TABLE IF NOT EXISTS billing (` + strings.Join(defs, ", ") + `)
ENGINE = ReplacingMergeTree(revision) ORDER BY identity`
}

func billingColumnType(c string) string {
	switch {
	case c == "revision":
		return "UInt64"
	case strings.HasSuffix(c, "_ms") || contains(intColumns, c) || c == "code_execution" || c == "requests" || c == "amount_pico":
		return "Int64"
	}
	return "String"
}

// fileColumns of the files table, in write and read order, with their
// types: store.FileState's fields, the host that read the file and a
// version that orders the states saved for one (host, path).
var fileColumns = []column{
	{"host", "String"}, {"path", "String"}, {"size", "Int64"}, {"mtime_ns", "Int64"},
	{"head_hash", "Int64"}, {"tail_hash", "Int64"}, {"offset", "Int64"}, {"lines", "Int64"},
	{"format", "String"}, {"options", "Int64"}, {"version", "UInt64"},
}

// filesDDL keys file states by host and path: a path names a file on one
// machine only. The engine keeps the highest version of each key when it
// merges, and readers take the highest version without waiting for that.
func filesDDL() string {
	var defs []string
	for _, c := range fileColumns {
		defs = append(defs, fmt.Sprintf("`%s` %s", c.name, c.typ))
	}
	return `CREATE TABLE IF NOT EXISTS files (` + strings.Join(defs, ", ") + `)
ENGINE = ReplacingMergeTree(version) ORDER BY (host, path)`
}

var metaColumns = []column{{"key", "String"}, {"value", "String"}}

// schema creates every table. meta holds one schema_version row per
// writer that created or opened the tables; readers take the maximum.
//
// The files table came later than the others without a new schema
// version: it is only added to, costctl builds without it ignore it, and
// a store without it is read as one whose files were never read.
var schema = []string{
	requestsDDL(),
	billingDDL(),
	filesDDL(),
	`CREATE TABLE IF NOT EXISTS meta (key String, value String) ENGINE = ReplacingMergeTree ORDER BY key`,
	fmt.Sprintf(`INSERT INTO meta VALUES ('schema_version', '%d')`, schemaVersion),
}

// column is a column name and its ClickHouse type as system.columns
// prints it.
type column struct {
	name, typ string
}

// table is a table costctl creates, with its columns.
type table struct {
	name    string
	columns []column
}

// expectedTables lists the tables and columns the DDL above creates.
func expectedTables() []table {
	var requests, billing []column
	for _, c := range requestColumns() {
		requests = append(requests, column{c, columnType(c)})
	}
	for _, c := range billingColumns {
		billing = append(billing, column{c, billingColumnType(c)})
	}
	return []table{
		{"requests", requests}, {"billing", billing}, {"files", fileColumns}, {"meta", metaColumns},
	}
}
