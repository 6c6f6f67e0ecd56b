package pricing

import (
	"fmt"
	"time"
)

// Takeovers lists the names that over claims (as an id or in names) which t
// resolves to a model with another id. Merge gives such a name to over's
// model, so requests of that name lose the base model's rows and are
// unpriced before over's first row. Each warning names over's file, the
// name, the base model and the fix. Names matched only by patterns are not
// checked.
func (t *Table) Takeovers(over *Table) []string {
	var out []string
	for _, o := range over.models {
		for _, name := range append([]string{o.ID}, o.Names...) {
			base, ok := t.lookup(normalizeName(name))
			if !ok || base.ID == o.ID {
				continue
			}
			out = append(out, takeoverWarning(o, base, name))
		}
	}
	return out
}

func takeoverWarning(o, base *Model, name string) string {
	owner := fmt.Sprintf("model %s of %s", base.ID, base.Origin)
	if base.Origin == EmbeddedName {
		owner = "built-in model " + base.ID
	}

	first := ""
	if len(o.Rows) > 0 {
		first = o.Rows[0].From.Format(time.DateOnly)
	}
	return fmt.Sprintf("%s: model %s takes over the name %q from %s, so requests of that name are priced only by %s's rows (from %s) and are unpriced before; to add a dated row to %s instead, write its id %q (or remove %q from the file)",
		o.Origin, o.ID, name, owner, o.ID, first, base.ID, base.ID, name)
}
