package check

import (
	"strings"
	"testing"
)

func TestParseRejects(t *testing.T) {
	cases := []struct {
		name, json, want string
	}{
		{"not json", `{"kind":`, "not a costctl JSON document"},
		{"no kind", `{"schema_version":1,"cells":[]}`, "missing kind"},
		{"other kind", `{"kind":"check","schema_version":1,"cells":[]}`, `kind "check"`},
		{"newer schema", `{"kind":"report","schema_version":2,"cells":[]}`, "schema_version 2 is not supported"},
		{"no cells", `{"kind":"report","schema_version":1,"by":[]}`, "missing cells"},
		{"key mismatch", `{"kind":"report","schema_version":1,"by":["endpoint"],"cells":[{"key":{"tier":"free"},"requests":1}]}`, `no dimension "endpoint"`},
		{"negative tokens", `{"kind":"report","schema_version":1,"by":[],"cells":[{"key":{},"requests":1,"tokens":{"input":-5}}]}`, "negative input tokens -5"},
		{"tokens without usage", `{"kind":"report","schema_version":1,"by":[],"cells":[{"key":{},"requests":2,"unknown_cost_requests":2,"tokens":{"input":5}}]}`, "no request with usage"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("base.json", []byte(tc.json))
			if err == nil {
				t.Fatal("Parse accepted the document")
			}
			if !strings.HasPrefix(err.Error(), "base.json: ") {
				t.Errorf("error %q does not name the file", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not contain %q", err, tc.want)
			}
		})
	}
}

func TestParseSimulationWithoutBy(t *testing.T) {
	d, err := Parse("sim.json", []byte(`{"kind":"simulation","schema_version":1,"cells":[{"key":{"tier":"pro","endpoint":"x"},"requests":1}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(d.By, ",") != "endpoint,tier" {
		t.Errorf("by = %v, want [endpoint tier] from the cell keys", d.By)
	}
}

// Two shards of 10 and 5 requests merge into one side of 15.
func TestMergeShards(t *testing.T) {
	a := doc("a.json", cell("a", "m1", 10, 1000, 1.0, 0, 0))
	b := doc("b.json", cell("a", "m1", 5, 500, 0.5, 0, 0))
	m, err := Merge([]*Document{a, b})
	if err != nil {
		t.Fatal(err)
	}
	r, err := Compare(doc("base.json", cell("a", "m1", 15, 1500, 1.5, 0, 0)), m, Options{})
	if err != nil {
		t.Fatal(err)
	}
	near(t, "current requests", r.CurrentRequests, 15)
	near(t, "change", r.ChangeUSD, 0)
	if len(r.Current.Files) != 2 {
		t.Errorf("current files = %v, want both shards", r.Current.Files)
	}
}

func TestMergeRejectsOtherDims(t *testing.T) {
	a := doc("a.json")
	b := doc("b.json")
	b.By = []string{"tier"}
	_, err := Merge([]*Document{a, b})
	if err == nil || !strings.Contains(err.Error(), "b.json: by [tier] differs") {
		t.Errorf("Merge error = %v, want one naming b.json and its dimensions", err)
	}
}

func TestCompareRejectsDisjointDims(t *testing.T) {
	cur := doc("cur.json")
	cur.By = []string{"customer"}
	_, err := Compare(baselineDoc(), cur, Options{})
	if err == nil || !strings.Contains(err.Error(), "no dimension in common") {
		t.Errorf("Compare error = %v, want no dimension in common", err)
	}
}

func TestCompareRejectsUnsharedBy(t *testing.T) {
	_, err := Compare(baselineDoc(), baselineDoc(), Options{By: []string{"tier"}})
	if err == nil || !strings.Contains(err.Error(), "--by tier") {
		t.Errorf("Compare error = %v, want one naming --by tier", err)
	}
}

func TestPriceTableWarning(t *testing.T) {
	base, cur := baselineDoc(), baselineDoc()
	base.PriceTables, cur.PriceTables = []string{"2025-11-01+aaaa"}, []string{"2025-12-01+bbbb"}
	r, err := Compare(base, cur, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0], "2025-11-01+aaaa and the current side with 2025-12-01+bbbb") {
		t.Errorf("warnings = %q, want one naming both price tables", r.Warnings)
	}
}

func TestParseReadsPriceTable(t *testing.T) {
	d, err := Parse("r.json", []byte(`{"kind":"report","schema_version":1,"price_table_version":"2025-11-01+aaaa","by":[],"cells":[]}`))
	if err != nil {
		t.Fatal(err)
	}
	if len(d.PriceTables) != 1 || d.PriceTables[0] != "2025-11-01+aaaa" {
		t.Errorf("price tables = %v, want [2025-11-01+aaaa]", d.PriceTables)
	}
}
