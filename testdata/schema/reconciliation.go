package schema

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

//go:embed reconciliation.schema.json
var reconciliationSchema []byte

const reconciliationSchemaURL = "https://github.com/costctl/costctl/testdata/schema/reconciliation.schema.json"

// compiledReconciliation resolves the window definition from the embedded
// report schema, so nothing is fetched.
var compiledReconciliation = sync.OnceValues(func() (*jsonschema.Schema, error) {
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	for url, data := range map[string][]byte{reportSchemaURL: reportSchema, reconciliationSchemaURL: reconciliationSchema} {
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("parse schema %s: %w", url, err)
		}
		if err := c.AddResource(url, doc); err != nil {
			return nil, fmt.Errorf("add schema %s: %w", url, err)
		}
	}
	return c.Compile(reconciliationSchemaURL)
})

// SumTolerance is the largest gap, in USD, allowed between the sum of the
// rows and the totals, because each figure is rounded to float64 once from
// an exact sum.
const SumTolerance = 1e-6

// ValidateReconciliation checks a `costctl reconcile --format json`
// document against reconciliation.schema.json, and what the schema cannot
// express: every row key names exactly the dimensions in by, the rows add
// up to the totals and each difference is bill minus logged.
func ValidateReconciliation(doc []byte) error {
	sch, err := compiledReconciliation()
	if err != nil {
		return fmt.Errorf("compile reconciliation schema: %w", err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return fmt.Errorf("reconciliation document is invalid JSON: %w", err)
	}
	if err := sch.Validate(inst); err != nil {
		return fmt.Errorf("reconciliation document does not match reconciliation.schema.json: %w", err)
	}
	return checkReconciliationSums(doc)
}

type reconcileFigures struct {
	BillTokens    int64   `json:"bill_tokens"`
	LoggedTokens  int64   `json:"logged_tokens"`
	BillCostUSD   float64 `json:"bill_cost_usd"`
	LoggedCostUSD float64 `json:"logged_cost_usd"`
	DifferenceUSD float64 `json:"difference_usd"`
}

func (f reconcileFigures) differenceGap() float64 {
	return f.DifferenceUSD - (f.BillCostUSD - f.LoggedCostUSD)
}

func checkReconciliationSums(doc []byte) error {
	var d struct {
		reconcileFigures
		By   []string `json:"by"`
		Rows []struct {
			reconcileFigures
			Key map[string]any `json:"key"`
		} `json:"rows"`
	}
	if err := json.Unmarshal(doc, &d); err != nil {
		return fmt.Errorf("decode reconciliation: %w", err)
	}

	var sum reconcileFigures
	for i, r := range d.Rows {
		if err := checkKeyNames(r.Key, d.By); err != nil {
			return fmt.Errorf("rows[%d]: %w", i, err)
		}
		if g := r.differenceGap(); math.Abs(g) > SumTolerance {
			return fmt.Errorf("rows[%d]: difference_usd is %.9f off bill − logged", i, g)
		}
		sum.BillTokens += r.BillTokens
		sum.LoggedTokens += r.LoggedTokens
		sum.BillCostUSD += r.BillCostUSD
		sum.LoggedCostUSD += r.LoggedCostUSD
	}
	if sum.BillTokens != d.BillTokens || sum.LoggedTokens != d.LoggedTokens {
		return fmt.Errorf("rows add up to %d bill and %d logged tokens, totals say %d and %d", sum.BillTokens, sum.LoggedTokens, d.BillTokens, d.LoggedTokens)
	}
	if math.Abs(sum.BillCostUSD-d.BillCostUSD) > SumTolerance || math.Abs(sum.LoggedCostUSD-d.LoggedCostUSD) > SumTolerance {
		return fmt.Errorf("rows add up to %.9f bill and %.9f logged USD, totals say %.9f and %.9f", sum.BillCostUSD, sum.LoggedCostUSD, d.BillCostUSD, d.LoggedCostUSD)
	}
	if g := d.differenceGap(); math.Abs(g) > SumTolerance {
		return fmt.Errorf("difference_usd is %.9f off bill − logged", g)
	}
	return nil
}

func checkKeyNames(key map[string]any, by []string) error {
	if len(key) != len(by) {
		return fmt.Errorf("key has %d dimensions, by has %d", len(key), len(by))
	}
	for k := range key {
		if !slices.Contains(by, k) {
			return fmt.Errorf("key names %q, which is not in by", k)
		}
	}
	return nil
}
