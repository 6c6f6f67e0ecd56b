package pricing

import (
	"cmp"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"regexp"
	"slices"
	"sync"
	"time"
)

//go:embed prices.yaml
var embeddedPrices []byte

// EmbeddedName is the file name errors and provenance use for the table
// compiled into the binary.
const EmbeddedName = "prices.yaml"

// Table is a parsed, validated price table. It is immutable once built, so
// one value can be shared by any number of goroutines.
type Table struct {
	date    time.Time
	version string
	// pricesVersion is the version before adjustments; empty means version.
	pricesVersion string
	models        []*Model
	byID          map[string]*Model
	byName        map[string]*Model
	patterns      []pattern
	rows          map[string]*Row
	adjust        Adjustments
}

type pattern struct {
	re    *regexp.Regexp
	model *Model
}

// Model is one priced model: its canonical id, where it is sold, how log
// names map to it and its dated price rows.
type Model struct {
	ID       string
	Provider string
	// ServedBy lists other providers that sell the model at these prices,
	// so a request logged with that provider resolves to this entry.
	ServedBy []string
	// MinCacheTokens is the shortest prompt prefix the provider caches.
	MinCacheTokens int64
	// NoPromptCaching marks a model the provider never offered prompt
	// caching for (prompt_caching: false), so its rows list no cache price.
	NoPromptCaching bool `json:",omitempty"`
	// Names are the exact model names that resolve here, compared after
	// normalisation (see Resolve).
	Names []string
	// Patterns are regular expressions that must match a whole normalised
	// name; they are tried only when no exact name matches.
	Patterns []string
	Source   string
	// Origin names the price file the model was read from (EmbeddedName
	// for the built-in table), so overrides can be shown as such. The
	// version hash leaves it out: moving a model between files with the
	// same prices does not change any cost.
	Origin string `json:"-"`
	// Rows are sorted by From and do not overlap.
	Rows []*Row
}

// Row is one effective-dated set of prices of a model.
type Row struct {
	// ID is "<model id>@<from date>", stable across table versions so a
	// stored request can name the row that priced it.
	ID      string
	ModelID string
	// From is inclusive; Until is exclusive, and zero when the row is still
	// in effect. A row without an explicit until ends where the next starts.
	From   time.Time
	Until  time.Time
	Source string
	Prices PriceSet
	// Bands are the long-context bands in ascending threshold order.
	Bands []Band
	// ServiceTiers maps a lower-case service tier to its rule. A tier that is
	// not listed is billed at the row's prices.
	ServiceTiers map[string]TierRule
	// InferenceGeo and Speed map a lower-case modifier value to the factor
	// applied to every token class; unlisted values mean no change.
	InferenceGeo map[string]Multiplier
	Speed        map[string]Multiplier
	// WebSearch is the fee per billed server-side web search call.
	WebSearch Pico
}

// PriceSet holds a unit price for every token class. Billed marks the
// classes the file lists; the others carry the documented fallback (cache
// and modality classes at the input or output price).
type PriceSet struct {
	PerToken [NumClasses]Pico
	Billed   [NumClasses]bool
}

// Band is a long-context band: a request whose prompt tokens exceed Above
// is priced entirely, every class, with Prices.
type Band struct {
	Above  int64
	Prices PriceSet
}

// TierRule prices a service tier either as a factor on the row's prices
// (in whichever band applies) or with its own explicit prices.
type TierRule struct {
	Multiplier Multiplier
	Prices     *PriceSet
}

var loadEmbedded = sync.OnceValues(func() (*Table, error) {
	return Parse(embeddedPrices, EmbeddedName)
})

// Embedded returns the table compiled into the binary, parsed once.
func Embedded() (*Table, error) { return loadEmbedded() }

// newTable indexes models and computes the version. When two models claim
// the same name the later one wins, which is how Merge lets a user file
// take over a name; Parse rejects duplicates before calling it.
func newTable(date time.Time, models []*Model) *Table {
	t := &Table{
		date:   date,
		models: slices.Clone(models),
		byID:   make(map[string]*Model, len(models)),
		byName: make(map[string]*Model),
		rows:   make(map[string]*Row),
	}
	slices.SortFunc(t.models, func(a, b *Model) int {
		return cmp.Or(cmp.Compare(a.Provider, b.Provider), cmp.Compare(a.ID, b.ID))
	})

	for _, m := range models {
		t.index(m)
	}
	t.version = t.date.Format(time.DateOnly) + "+" + contentHash(t.models)
	return t
}

func (t *Table) index(m *Model) {
	t.byID[m.ID] = m
	t.byName[normalizeName(m.ID)] = m
	for _, n := range m.Names {
		t.byName[normalizeName(n)] = m
	}
	for _, p := range m.Patterns {
		t.patterns = append(t.patterns, pattern{re: regexp.MustCompile(anchor(p)), model: m})
	}
	for _, r := range m.Rows {
		t.rows[r.ID] = r
	}
}

// anchor makes a pattern match a whole, case-insensitive name.
func anchor(p string) string { return "(?i)^(?:" + p + ")$" }

// contentHash is the first 8 hex digits of a SHA-256 over the canonical JSON
// of every model, so any change of a price, band, modifier, match rule or
// override changes the version while comments and layout do not.
func contentHash(models []*Model) string {
	data, err := json.Marshal(models)
	if err != nil {
		// Models hold only strings, integers, times and maps of those.
		panic("pricing: encoding models for the version hash: " + err.Error())
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:4])
}

// Merge returns a table with over's models on top of t's. A model id in
// over replaces that model from its first row on. Rows of t that start
// earlier stay in effect up to that date, so a file of today's prices (an
// import, say) leaves older requests priced as they were. Match rules are
// joined and over's names take precedence. The result is dated with the
// later of the two dates; neither input changes. The result carries no
// adjustments, so apply WithAdjustments after Merge.
func (t *Table) Merge(over *Table) *Table {
	var models []*Model
	for _, m := range t.models {
		if o, replaced := over.byID[m.ID]; replaced {
			models = append(models, withHistory(o, m))
			continue
		}
		models = append(models, m)
	}
	for _, o := range over.models {
		if _, ok := t.byID[o.ID]; !ok {
			models = append(models, o)
		}
	}

	date := t.date
	if over.date.After(date) {
		date = over.date
	}
	return newTable(date, models)
}

// withHistory copies the override o with base's rows that start before
// o's first row, the last of them cut at that row's start, and with base's
// match rules and serving providers beside o's, so that requests logged
// through a cloud that serves the model (Bedrock, Vertex AI) stay priced.
func withHistory(o, base *Model) *Model {
	merged := *o
	merged.Names = union(o.Names, base.Names)
	merged.Patterns = union(o.Patterns, base.Patterns)
	merged.ServedBy = union(o.ServedBy, base.ServedBy)
	if merged.MinCacheTokens == 0 {
		merged.MinCacheTokens = base.MinCacheTokens
	}
	if len(o.Rows) == 0 {
		return &merged
	}

	first := o.Rows[0].From
	var rows []*Row
	for _, r := range base.Rows {
		if !r.From.Before(first) {
			break
		}
		kept := *r
		if kept.Until.IsZero() || kept.Until.After(first) {
			kept.Until = first
		}
		rows = append(rows, &kept)
	}
	merged.Rows = append(rows, o.Rows...)
	return &merged
}

func union(a, b []string) []string {
	out := slices.Clone(a)
	for _, v := range b {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// Version returns the table date and a content hash, such as
// "2026-12-01+3f9a1c2e". The hash covers the adjustments too, so a
// document names everything that shaped its figures.
func (t *Table) Version() string { return t.version }

// PricesVersion returns the version of the prices alone, without the
// adjustments. Stored requests record it: discounts and credits apply when
// a report is read, so changing them never makes a store need a reprice.
func (t *Table) PricesVersion() string {
	if t.pricesVersion != "" {
		return t.pricesVersion
	}
	return t.version
}

// Date returns the date the table's prices were last checked.
func (t *Table) Date() time.Time { return t.date }

// Models returns every model sorted by provider, then id.
func (t *Table) Models() []*Model { return slices.Clone(t.models) }

// Model returns the model with the canonical id.
func (t *Table) Model(id string) (*Model, bool) {
	m, ok := t.byID[id]
	return m, ok
}

// Row returns the price row with the id "<model id>@<YYYY-MM-DD>".
func (t *Table) Row(rowID string) (*Row, bool) {
	r, ok := t.rows[rowID]
	return r, ok
}

// RowAt returns the model's row in effect at the instant: From <= at < Until.
func (m *Model) RowAt(at time.Time) (*Row, bool) {
	for _, r := range m.Rows {
		if !at.Before(r.From) && (r.Until.IsZero() || at.Before(r.Until)) {
			return r, true
		}
	}
	return nil, false
}
