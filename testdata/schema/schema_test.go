package schema

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

func TestReportSchemaCompiles(t *testing.T) {
	if _, err := compiledReport(); err != nil {
		t.Fatal(err)
	}
}

func TestExampleReportIsValid(t *testing.T) {
	if err := ValidateReport(readExample(t)); err != nil {
		t.Fatal(err)
	}
}

// TestBrokenReportsRejected edits the valid example one way at a time, and
// each edit must make the document invalid.
func TestBrokenReportsRejected(t *testing.T) {
	tests := []struct {
		name string
		edit func(doc map[string]any)
		want string // part of the error message
	}{
		{"missing totals", func(d map[string]any) { delete(d, "totals") }, "totals"},
		{"negative total cost", func(d map[string]any) { obj(d, "totals")["cost_usd"] = -0.01 }, "cost_usd"},
		{"negative group cost", func(d map[string]any) { group(d, 0)["cost_usd"] = -1 }, "cost_usd"},
		{"unknown top-level key", func(d map[string]any) { d["total"] = 1 }, "total"},
		{"bad key dimension", func(d map[string]any) { key(group(d, 0))["feature"] = "x" }, "feature"},
		{"bad cell key dimension", func(d map[string]any) { key(cell(d, 0))["region"] = "eu" }, "region"},
		{"unknown by dimension", func(d map[string]any) { d["by"] = []any{"endpoint", "team"} }, "by"},
		{"hour_of_day as string", func(d map[string]any) { byHourOfDay(d, "7") }, "hour_of_day"},
		{"hour_of_day out of range", func(d map[string]any) { byHourOfDay(d, 24) }, "hour_of_day"},
		{"day not a date", func(d map[string]any) { byDay(d, "03/11/2025") }, "day"},
		{"wrong kind", func(d map[string]any) { d["kind"] = "simulation" }, "kind"},
		{"schema_version 2", func(d map[string]any) { d["schema_version"] = 2 }, "schema_version"},
		{"fractional token count", func(d map[string]any) { obj(d, "totals")["input_tokens"] = 1.5 }, "input_tokens"},
		{"share_pct in totals", func(d map[string]any) { obj(d, "totals")["share_pct"] = 100 }, "share_pct"},
		{"share_pct missing in group", func(d map[string]any) { delete(group(d, 0), "share_pct") }, "share_pct"},
		{"share_pct above 100", func(d map[string]any) { group(d, 0)["share_pct"] = 100.5 }, "share_pct"},
		{"cache_hit_ratio above 1", func(d map[string]any) { obj(d, "totals")["cache_hit_ratio"] = 1.2 }, "cache_hit_ratio"},
		{"window until not RFC 3339", func(d map[string]any) { obj(d, "window")["until"] = "2025-11-10" }, "until"},
		{"window without tz", func(d map[string]any) { delete(obj(d, "window"), "tz") }, "tz"},
		{"unknown token class", func(d map[string]any) { obj(cell(d, 0), "tokens")["video_in"] = 5 }, "video_in"},
		{"cell without cost_by_class_usd", func(d map[string]any) { delete(cell(d, 0), "cost_by_class_usd") }, "cost_by_class_usd"},
		{"unpriced model extra field", func(d map[string]any) { unpriced(d, 0)["cost_usd"] = 0 }, "cost_usd"},
		{"group key misses a by dimension", func(d map[string]any) { delete(key(group(d, 1)), "endpoint") }, "groups[1]"},
		{"empty credits", func(d map[string]any) { withCredit(d); d["credits"] = []any{} }, "credits"},
		{"credits without credits_usd", func(d map[string]any) { withCredit(d); delete(obj(d, "totals"), "credits_usd") }, "credits_usd"},
		{"credits_usd without credits", func(d map[string]any) { withCredit(d); delete(d, "credits") }, "credits"},
		{"net_cost_usd alone", func(d map[string]any) { obj(d, "totals")["net_cost_usd"] = 1.0 }, "credits_usd"},
		{"credit amount zero", func(d map[string]any) { withCredit(d); item(d, "credits", 0)["amount_usd"] = 0 }, "amount_usd"},
		{"credit date not a date", func(d map[string]any) { withCredit(d); item(d, "credits", 0)["date"] = "20/11/2025" }, "date"},
		{"credit without provider", func(d map[string]any) { withCredit(d); delete(item(d, "credits", 0), "provider") }, "provider"},
		{"credits_usd in a group", func(d map[string]any) { withCredit(d); group(d, 0)["credits_usd"] = 250.5 }, "credits_usd"},
		{"credits_usd not the sum", func(d map[string]any) { withCredit(d); obj(d, "totals")["credits_usd"] = 250.49 }, "credits_usd"},
		{"net_cost_usd not effective less credits", func(d map[string]any) { withCredit(d); obj(d, "totals")["net_cost_usd"] = 0 }, "net_cost_usd"},
	}

	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc := decodeExample(t)
			tc.edit(doc)

			err := ValidateReport(encode(t, doc))
			if err == nil {
				t.Fatal("ValidateReport accepted the broken document")
			}
			t.Logf("rejected: %v", err)
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not mention %q", err, tc.want)
			}
		})
	}
}

func TestValidReportVariantsAccepted(t *testing.T) {
	tests := []struct {
		name string
		edit func(doc map[string]any)
	}{
		{"open window", func(d map[string]any) { obj(d, "window")["since"], obj(d, "window")["until"] = nil, nil }},
		{"window with offset", func(d map[string]any) { obj(d, "window")["since"] = "2025-11-03T00:00:00+01:00" }},
		{"hour_of_day key", func(d map[string]any) { byHourOfDay(d, 23) }},
		{"day key", func(d map[string]any) { byDay(d, "2025-11-03") }},
		{"no groups or cells", func(d map[string]any) { d["groups"], d["cells"] = []any{}, []any{} }},
		{"one credit", withCredit},
		{"credit above the cost", func(d map[string]any) {
			withCredit(d)
			item(d, "credits", 0)["amount_usd"] = 10.0
			obj(d, "totals")["credits_usd"] = 10.0
			obj(d, "totals")["net_cost_usd"] = 8.8235682 - 10
		}},
	}

	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc := decodeExample(t)
			tc.edit(doc)
			if err := ValidateReport(encode(t, doc)); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestValidateReportRejectsNonJSON(t *testing.T) {
	if err := ValidateReport([]byte(`{"kind": "report"`)); err == nil {
		t.Fatal("ValidateReport accepted truncated JSON")
	}
}

// byHourOfDay regroups the example by hour_of_day alone, giving every
// group and cell the value v.
func byHourOfDay(d map[string]any, v any) {
	setSingleKey(d, "hour_of_day", v)
}

// byDay regroups the example by day alone, giving every group and cell
// the value v.
func byDay(d map[string]any, v any) {
	setSingleKey(d, "day", v)
}

func setSingleKey(d map[string]any, dim string, v any) {
	d["by"] = []any{dim}
	for _, list := range []string{"groups", "cells"} {
		for _, item := range d[list].([]any) {
			item.(map[string]any)["key"] = map[string]any{dim: v}
		}
	}
}

// withCredit adds a $250.50 credit to the example, whose effective cost is
// $8.8235682: the net cost is 8.8235682 − 250.50 = −241.6764318.
func withCredit(d map[string]any) {
	d["credits"] = []any{map[string]any{"date": "2025-11-05", "provider": "anthropic", "description": "launch credit", "amount_usd": 250.50}}
	obj(d, "totals")["credits_usd"] = 250.50
	obj(d, "totals")["net_cost_usd"] = -241.6764318
}

func obj(d map[string]any, name string) map[string]any { return d[name].(map[string]any) }

func item(d map[string]any, list string, i int) map[string]any {
	return d[list].([]any)[i].(map[string]any)
}

func group(d map[string]any, i int) map[string]any    { return item(d, "groups", i) }
func cell(d map[string]any, i int) map[string]any     { return item(d, "cells", i) }
func unpriced(d map[string]any, i int) map[string]any { return item(d, "unpriced_models", i) }
func key(g map[string]any) map[string]any             { return obj(g, "key") }

func readExample(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile("example-report.json")
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func decodeExample(t *testing.T) map[string]any {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(readExample(t), &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

func encode(t *testing.T, doc map[string]any) []byte {
	t.Helper()
	data, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
