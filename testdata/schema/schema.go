// Package schema contains the JSON Schemas of costctl's JSON documents and
// the helpers that tests in any package call to validate a document.
package schema

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
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
// key of every group and cell names exactly the dimensions listed in by.
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
	return checkKeys(doc)
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
