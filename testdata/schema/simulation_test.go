package schema

import (
	"os"
	"strings"
	"testing"
)

func TestValidateSimulationExample(t *testing.T) {
	doc, err := os.ReadFile("example-simulation.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := ValidateSimulation(doc); err != nil {
		t.Errorf("example: %v", err)
	}

	broken := strings.Replace(string(doc), `"kind": "simulation"`, `"kind": "report"`, 1)
	if err := ValidateSimulation([]byte(broken)); err == nil {
		t.Error("a document of another kind validated")
	}
	extra := strings.Replace(string(doc), `"savings_usd":`, `"saving_usd": 1, "savings_usd":`, 1)
	if err := ValidateSimulation([]byte(extra)); err == nil {
		t.Error("a document with an unknown key validated")
	}
}
