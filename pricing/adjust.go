package pricing

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"math/bits"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Adjustments are the terms that make a bill differ from list prices:
// negotiated percentage discounts and one-off credits. Discounts change a
// request's effective cost. Credits are separate lines and never change a
// request.
type Adjustments struct {
	Discounts []Discount `json:"discounts"`
	Credits   []Credit   `json:"credits"`
}

// Discount takes Pct percent off the list cost of the requests of Provider
// (and of the model ModelID, when set) with From <= time < Until. A zero
// From or Until leaves that end open. Where a model discount and a
// provider-wide discount both apply, the model discount wins; they never
// stack.
type Discount struct {
	Provider string    `json:"provider"`
	ModelID  string    `json:"model_id,omitempty"`
	From     time.Time `json:"from"`
	Until    time.Time `json:"until"`
	// Pct is in millionths of a percent, so 12.5% is 12,500,000 and the
	// discounted cost is exact.
	Pct int64 `json:"pct_micro"`
}

// Credit is an amount of USD credited on Date, optionally for one provider.
type Credit struct {
	Provider    string    `json:"provider,omitempty"`
	Date        time.Time `json:"date"`
	AmountPico  int64     `json:"amount_pico"`
	Description string    `json:"description,omitempty"`
}

type rawAdjustment struct {
	Provider    string `yaml:"provider"`
	Model       string `yaml:"model"`
	From        scalar `yaml:"from"`
	Until       scalar `yaml:"until"`
	DiscountPct scalar `yaml:"discount_pct"`
	AmountUSD   scalar `yaml:"amount_usd"`
	Date        scalar `yaml:"date"`
	Description string `yaml:"description"`
}

// ParseAdjustments reads the config's adjustments: a YAML list whose
// entries are discounts (discount_pct with provider, optional model, from
// and until dates) or credits (amount_usd with date, optional provider and
// description). name is used in error messages, which name the entry.
func ParseAdjustments(data []byte, name string) (Adjustments, error) {
	var raws []rawAdjustment
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&raws); err != nil && !errors.Is(err, io.EOF) {
		return Adjustments{}, fmt.Errorf("%s: %w", name, explainYAMLError(err))
	}

	var adj Adjustments
	var errs []error
	for i, ra := range raws {
		if err := adj.add(ra); err != nil {
			errs = append(errs, fmt.Errorf("%s: adjustment %d: %w", name, i+1, err))
		}
	}
	if err := adj.checkOverlaps(); err != nil {
		errs = append(errs, fmt.Errorf("%s: %w", name, err))
	}
	return adj, errors.Join(errs...)
}

func (a *Adjustments) add(ra rawAdjustment) error {
	switch {
	case ra.DiscountPct.Set == ra.AmountUSD.Set:
		return errors.New("give exactly one of discount_pct (a discount) or amount_usd (a credit)")
	case ra.AmountUSD.Set:
		c, err := buildCredit(ra)
		a.Credits = append(a.Credits, c)
		return err
	}
	d, err := buildDiscount(ra)
	a.Discounts = append(a.Discounts, d)
	return err
}

func buildDiscount(ra rawAdjustment) (Discount, error) {
	d := Discount{Provider: ra.Provider, ModelID: ra.Model}
	if err := CheckProvider(ra.Provider); err != nil || ra.Provider == "" {
		return d, fmt.Errorf("provider %q: want one of %s or another lower-case provider name", ra.Provider, strings.Join(Providers, ", "))
	}
	pct, err := parseDecimal(ra.DiscountPct.Text, 6)
	if err != nil || pct == 0 || pct > 100_000_000 {
		return d, fmt.Errorf("discount_pct %q: want a number above 0 and at most 100", ra.DiscountPct.Text)
	}
	d.Pct = pct

	if d.From, err = optionalDate(ra.From, "from"); err != nil {
		return d, err
	}
	if d.Until, err = optionalDate(ra.Until, "until"); err != nil {
		return d, err
	}
	if !d.From.IsZero() && !d.Until.IsZero() && !d.Until.After(d.From) {
		return d, fmt.Errorf("until %s is not after from %s", ra.Until.Text, ra.From.Text)
	}
	return d, nil
}

func buildCredit(ra rawAdjustment) (Credit, error) {
	c := Credit{Provider: ra.Provider, Description: ra.Description}
	if ra.Provider != "" && CheckProvider(ra.Provider) != nil {
		return c, fmt.Errorf("provider %q: want one of %s or another lower-case provider name", ra.Provider, strings.Join(Providers, ", "))
	}
	amount, err := parseDecimal(ra.AmountUSD.Text, 12)
	if err != nil || amount == 0 {
		return c, fmt.Errorf("amount_usd %q: want a positive amount of dollars", ra.AmountUSD.Text)
	}
	c.AmountPico = amount
	if !ra.Date.Set {
		return c, errors.New("a credit needs a date (YYYY-MM-DD)")
	}
	c.Date, err = parseDate(ra.Date, "date")
	return c, err
}

func optionalDate(s scalar, key string) (time.Time, error) {
	if !s.Set {
		return time.Time{}, nil
	}
	return parseDate(s, key)
}

// checkOverlaps rejects two discounts of one provider and model whose date
// ranges overlap, since it would be unclear which one applies.
func (a *Adjustments) checkOverlaps() error {
	for i, x := range a.Discounts {
		for _, y := range a.Discounts[i+1:] {
			if x.Provider == y.Provider && x.ModelID == y.ModelID && overlaps(x, y) {
				return fmt.Errorf("discounts for %s overlap: %s and %s", scopeText(x), rangeText(x), rangeText(y))
			}
		}
	}
	return nil
}

func overlaps(x, y Discount) bool {
	startsBeforeEnd := func(from, until time.Time) bool {
		return from.IsZero() || until.IsZero() || from.Before(until)
	}
	return startsBeforeEnd(x.From, y.Until) && startsBeforeEnd(y.From, x.Until)
}

func scopeText(d Discount) string {
	if d.ModelID == "" {
		return d.Provider
	}
	return d.Provider + " " + d.ModelID
}

func rangeText(d Discount) string {
	from, until := dateText(d.From), dateText(d.Until)
	if from == "" {
		from = "the start"
	}
	if until == "" {
		until = "open end"
	}
	return "[" + from + ", " + until + ")"
}

// IsZero reports whether there are no adjustments.
func (a Adjustments) IsZero() bool { return len(a.Discounts) == 0 && len(a.Credits) == 0 }

// Boundaries returns every discount start and end, sorted and distinct: the
// instants where the discount of a request can change.
func (a Adjustments) Boundaries() []time.Time {
	var out []time.Time
	for _, d := range a.Discounts {
		for _, t := range []time.Time{d.From, d.Until} {
			if !t.IsZero() && !slices.ContainsFunc(out, t.Equal) {
				out = append(out, t)
			}
		}
	}
	slices.SortFunc(out, time.Time.Compare)
	return out
}

// DiscountAt returns the discount of a request of the provider and
// canonical model at the instant, in millionths of a percent (0 for none).
func (a Adjustments) DiscountAt(provider, modelID string, at time.Time) int64 {
	var providerWide int64
	for _, d := range a.Discounts {
		if d.Provider != provider || !inRange(d, at) {
			continue
		}
		if d.ModelID == "" {
			providerWide = d.Pct
		} else if d.ModelID == modelID {
			return d.Pct
		}
	}
	return providerWide
}

func inRange(d Discount, at time.Time) bool {
	return (d.From.IsZero() || !at.Before(d.From)) && (d.Until.IsZero() || at.Before(d.Until))
}

// Discounted returns m less pct millionths of a percent of it, rounded half
// away from zero to whole picodollars.
func Discounted(m Money, pct int64) Money {
	if pct == 0 {
		return m
	}
	const whole = 100_000_000 // 100% in millionths of a percent
	v := new(big.Int).Mul(m.Big(), big.NewInt(whole-pct))
	half := big.NewInt(whole / 2)
	if v.Sign() < 0 {
		half.Neg(half)
	}
	v.Add(v, half)
	v.Quo(v, big.NewInt(whole))

	var out Money
	out.addBig(v)
	return out
}

// addBig adds an amount that fits in 128 bits.
func (m *Money) addBig(v *big.Int) {
	lo := new(big.Int).And(v, new(big.Int).SetUint64(^uint64(0)))
	hi := new(big.Int).Rsh(v, 64)
	var carry uint64
	m.lo, carry = bits.Add64(m.lo, lo.Uint64(), 0)
	m.hi += hi.Int64() + int64(carry)
}

// WithAdjustments returns a copy of t that carries adj, with a version whose
// hash also covers adj. A table without adjustments keeps its version.
func (t *Table) WithAdjustments(adj Adjustments) *Table {
	out := *t
	out.adjust = adj
	out.pricesVersion = t.PricesVersion()
	if adj.IsZero() {
		out.version = out.pricesVersion
		return &out
	}
	data, err := json.Marshal([]any{t.models, adj})
	if err != nil {
		panic("pricing: encoding adjustments for the version hash: " + err.Error())
	}
	sum := sha256.Sum256(data)
	out.version = t.date.Format(time.DateOnly) + "+" + hex.EncodeToString(sum[:4])
	return &out
}

// Adjustments returns the discounts and credits the table carries.
func (t *Table) Adjustments() Adjustments { return t.adjust }
