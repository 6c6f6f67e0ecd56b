package schema

import (
	"bytes"
	_ "embed"
	"fmt"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

//go:embed simulation.schema.json
var simulationSchema []byte

const simulationSchemaURL = "https://github.com/costctl/costctl/testdata/schema/simulation.schema.json"

// compiledSimulation resolves the report schema's definitions (totals,
// cell, window) from its embedded copy, so nothing is fetched.
var compiledSimulation = sync.OnceValues(func() (*jsonschema.Schema, error) {
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	for url, data := range map[string][]byte{reportSchemaURL: reportSchema, simulationSchemaURL: simulationSchema} {
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("parse schema %s: %w", url, err)
		}
		if err := c.AddResource(url, doc); err != nil {
			return nil, fmt.Errorf("add schema %s: %w", url, err)
		}
	}
	return c.Compile(simulationSchemaURL)
})

// ValidateSimulation checks a `costctl simulate --format json` document
// against simulation.schema.json, and that the key of every group and
// cell names exactly the dimensions listed in by.
func ValidateSimulation(doc []byte) error {
	sch, err := compiledSimulation()
	if err != nil {
		return fmt.Errorf("compile simulation schema: %w", err)
	}

	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return fmt.Errorf("simulation document is invalid JSON: %w", err)
	}
	if err := sch.Validate(inst); err != nil {
		return fmt.Errorf("simulation document does not match simulation.schema.json: %w", err)
	}
	return checkKeys(doc)
}
