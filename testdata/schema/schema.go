// Package schema contains the JSON Schemas of costctl's JSON documents and
// the helpers that tests in any package call to validate a document.
package schema

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

//go:embed report.schema.json
var reportSchema []byte

// reportSchemaURL is the schema's $id. The compiler resolves it from the
// embedded copy, so nothing is fetched.
const reportSchemaURL = "https://github.com/costctl/costctl/testdata/schema/report.schema.json"

var compiledReport = sync.OnceValues(func() (*jsonschema.Schema, error) {
	return compile(reportSchemaURL, reportSchema)
})

// compile compiles one embedded schema. Formats such as date-time are
// asserted, because draft 2020-12 treats them as annotations by default.
func compile(url string, data []byte) (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("parse schema %s: %w", url, err)
	}

	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(url, doc); err != nil {
		return nil, fmt.Errorf("add schema %s: %w", url, err)
	}
	return c.Compile(url)
}

// ValidateReport checks a `costctl report --format json` document against
// report.schema.json. It also checks what the schema cannot express: the
// key of every group and cell names exactly the dimensions listed in by,
// and the credit total and net cost agree with the listed credits.
func ValidateReport(doc []byte) error {
	sch, err := compiledReport()
	if err != nil {
		return fmt.Errorf("compile report schema: %w", err)
	}

	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return fmt.Errorf("report document is invalid JSON: %w", err)
	}
	if err := sch.Validate(inst); err != nil {
		return fmt.Errorf("report document does not match report.schema.json: %w", err)
	}
	if err := checkKeys(doc); err != nil {
		return err
	}
	return checkCredits(doc)
}

// keyedDocument is the part of a report or simulation document whose keys
// must agree with its by list.
type keyedDocument struct {
	By     []string `json:"by"`
	Groups []keyed  `json:"groups"`
	Cells  []keyed  `json:"cells"`
}

type keyed struct {
	Key map[string]json.RawMessage `json:"key"`
}

// checkKeys returns an error naming the first group or cell whose key
// dimensions differ from the document's by list.
func checkKeys(doc []byte) error {
	var d keyedDocument
	if err := json.Unmarshal(doc, &d); err != nil {
		return fmt.Errorf("decode report keys: %w", err)
	}

	want := slices.Sorted(slices.Values(d.By))
	for i, g := range d.Groups {
		if got := keyNames(g.Key); !slices.Equal(got, want) {
			return fmt.Errorf("groups[%d]: key has dimensions %v, want %v from by", i, got, want)
		}
	}
	for i, c := range d.Cells {
		if got := keyNames(c.Key); !slices.Equal(got, want) {
			return fmt.Errorf("cells[%d]: key has dimensions %v, want %v from by", i, got, want)
		}
	}
	return nil
}

func keyNames(key map[string]json.RawMessage) []string {
	names := make([]string, 0, len(key))
	for name := range key {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// creditedDocument is the part of a report that its credit figures must
// agree with.
type creditedDocument struct {
	Credits []struct {
		AmountUSD float64 `json:"amount_usd"`
	} `json:"credits"`
	Totals struct {
		EffectiveCostUSD float64  `json:"effective_cost_usd"`
		CreditsUSD       *float64 `json:"credits_usd"`
		NetCostUSD       *float64 `json:"net_cost_usd"`
	} `json:"totals"`
}

// checkCredits returns an error when totals.credits_usd is not the sum of
// the credits or net_cost_usd is not effective_cost_usd less it. The
// document rounds each figure from an exact sum once, so they agree to
// within a tolerance far below a cent.
func checkCredits(doc []byte) error {
	var d creditedDocument
	if err := json.Unmarshal(doc, &d); err != nil {
		return fmt.Errorf("decode report credits: %w", err)
	}
	if d.Totals.CreditsUSD == nil || d.Totals.NetCostUSD == nil {
		return nil
	}

	var sum float64
	for _, c := range d.Credits {
		sum += c.AmountUSD
	}
	credits, net := *d.Totals.CreditsUSD, *d.Totals.NetCostUSD
	if !closeUSD(credits, sum) {
		return fmt.Errorf("totals.credits_usd %v is not the sum %v of credits", credits, sum)
	}
	if want := d.Totals.EffectiveCostUSD - credits; !closeUSD(net, want) {
		return fmt.Errorf("totals.net_cost_usd %v is not effective_cost_usd less credits_usd (%v)", net, want)
	}
	return nil
}

func closeUSD(a, b float64) bool {
	return math.Abs(a-b) <= max(1e-9, 1e-12*math.Abs(b))
}
