package schema

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

//go:embed check.schema.json
var checkSchema []byte

const checkSchemaURL = "https://github.com/costctl/costctl/testdata/schema/check.schema.json"

var compiledCheck = sync.OnceValues(func() (*jsonschema.Schema, error) {
	return compile(checkSchemaURL, checkSchema)
})

// EffectsTolerance is how far the sum of the four effects may be from
// change_usd, in USD.
const EffectsTolerance = 1e-6

// ValidateCheck checks a `costctl check --format json` document against
// check.schema.json, and what the schema cannot express: the effects of
// the total, of every group and of every cell add up to its change_usd.
func ValidateCheck(doc []byte) error {
	sch, err := compiledCheck()
	if err != nil {
		return fmt.Errorf("compile check schema: %w", err)
	}

	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return fmt.Errorf("check document is invalid JSON: %w", err)
	}
	if err := sch.Validate(inst); err != nil {
		return fmt.Errorf("check document does not match check.schema.json: %w", err)
	}
	return checkEffectSums(doc)
}

type effectsDoc struct {
	ChangeUSD float64 `json:"change_usd"`
	Effects   struct {
		Volume float64 `json:"volume_usd"`
		Mix    float64 `json:"mix_usd"`
		Price  float64 `json:"price_usd"`
		Tokens float64 `json:"tokens_usd"`
	} `json:"effects"`
}

func (e effectsDoc) gap() float64 {
	return e.ChangeUSD - (e.Effects.Volume + e.Effects.Mix + e.Effects.Price + e.Effects.Tokens)
}

func checkEffectSums(doc []byte) error {
	var d struct {
		effectsDoc
		Groups []effectsDoc `json:"groups"`
		Cells  []effectsDoc `json:"cells"`
	}
	if err := json.Unmarshal(doc, &d); err != nil {
		return fmt.Errorf("decode check effects: %w", err)
	}

	if g := d.gap(); math.Abs(g) > EffectsTolerance {
		return fmt.Errorf("effects are %.9f USD off change_usd %.9f", g, d.ChangeUSD)
	}
	for i, grp := range d.Groups {
		if g := grp.gap(); math.Abs(g) > EffectsTolerance {
			return fmt.Errorf("groups[%d]: effects are %.9f USD off change_usd", i, g)
		}
	}
	for i, c := range d.Cells {
		if g := c.gap(); math.Abs(g) > EffectsTolerance {
			return fmt.Errorf("cells[%d]: effects are %.9f USD off change_usd", i, g)
		}
	}
	return nil
}
