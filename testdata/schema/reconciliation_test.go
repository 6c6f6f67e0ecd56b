package schema

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/analyze/billing"
	"github.com/costctl/costctl/analyze/ingest"
	"github.com/costctl/costctl/analyze/store"
	"github.com/costctl/costctl/pricing"
)

// reconcileFixtures ingests both billing fixtures into a fresh store and
// returns the reconciliation document for by, as JSON.
func reconcileFixtures(t *testing.T, by []string) []byte {
	t.Helper()
	ctx := context.Background()
	table, err := pricing.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "costctl.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	inputs := []ingest.Input{{Path: filepath.Join("..", "billing", "anthropic-nov")}, {Path: filepath.Join("..", "billing", "openai-nov")}}
	if _, err := ingest.Run(ctx, st, table, inputs, ingest.Options{}); err != nil {
		t.Fatal(err)
	}

	lines, err := st.BillingLines(ctx, time.Time{}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	cells, err := st.Cells(ctx, analyze.Query{By: billing.QueryDims(by)})
	if err != nil {
		t.Fatal(err)
	}
	rec, err := billing.Reconcile(lines, cells, table, billing.Options{By: by, Window: analyze.Window{TZ: "UTC"}})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(rec); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestReconciliationDocumentsValidate(t *testing.T) {
	for _, by := range [][]string{nil, {"model"}, {"day", "model"}, {"workspace", "project", "api_key"}} {
		if err := ValidateReconciliation(reconcileFixtures(t, by)); err != nil {
			t.Errorf("by %v: %v", by, err)
		}
	}
}

func TestReconciliationValidationRejects(t *testing.T) {
	doc := reconcileFixtures(t, []string{"model"})
	tests := []struct {
		name, old, new, want string
	}{
		{"wrong kind", `"kind":"reconciliation"`, `"kind":"report"`, "does not match"},
		{"row difference off", `"bill_cost_usd":11.85`, `"bill_cost_usd":11.86`, "off bill − logged"},
		{"row tokens off the total", `"bill_tokens":3700000`, `"bill_tokens":3700001`, "add up"},
		{"unknown cause", `"cause":"model_only_on_bill"`, `"cause":"gremlins"`, "does not match"},
		{"key outside by", `"key":{"model":"claude-opus-4-1"}`, `"key":{"model":"claude-opus-4-1","day":"2025-11-05"}`, "2 dimensions"},
	}
	for _, tt := range tests {
		if !strings.Contains(string(doc), tt.old) {
			t.Fatalf("%s: document lacks %s", tt.name, tt.old)
		}
		bad := strings.Replace(string(doc), tt.old, tt.new, 1)
		err := ValidateReconciliation([]byte(bad))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want one containing %q", tt.name, err, tt.want)
		}
	}
}
