package check

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/pricing"
)

// Effects split a change in cost into four parts that add up to it.
type Effects struct {
	VolumeUSD float64 `json:"volume_usd"` // more or fewer requests at the baseline mix
	MixUSD    float64 `json:"mix_usd"`    // requests moving between cells (endpoint, model, tier, ...)
	PriceUSD  float64 `json:"price_usd"`  // unit prices per token class
	TokensUSD float64 `json:"tokens_usd"` // tokens per request within a cell
}

// Sum is the change the effects explain.
func (e Effects) Sum() float64 { return e.VolumeUSD + e.MixUSD + e.PriceUSD + e.TokensUSD }

func (e *Effects) add(o Effects) {
	e.VolumeUSD += o.VolumeUSD
	e.MixUSD += o.MixUSD
	e.PriceUSD += o.PriceUSD
	e.TokensUSD += o.TokensUSD
}

// classNames are the billed quantities of a cell: the token classes, then
// per-call web search fees, which are explained like one more class.
var classNames = func() []string {
	names := make([]string, 0, pricing.NumClasses+1)
	for c := range pricing.NumClasses {
		names = append(names, c.String())
	}
	return append(names, "web_search")
}()

// side is one document's figures for a matched cell, already scaled to
// the comparison basis (per day or total).
type side struct {
	requests float64 // requests with a known cost
	quantity []float64
	cost     []float64
}

// CellRef names a matched cell. Cells are matched on these fields and
// never on the price row, so that a price change between price table
// versions shows as the price effect instead of as one cell vanishing and
// another appearing.
type CellRef struct {
	Key          map[string]any `json:"key"`
	Model        string         `json:"model"` // canonical model_id
	ServiceTier  string         `json:"service_tier"`
	ContextBand  int            `json:"context_band"`
	InferenceGeo string         `json:"inference_geo"`
	Speed        string         `json:"speed"`
}

type matched struct {
	ref      CellRef
	id       string
	baseline side
	current  side
}

// cellTable collects both documents' priced cells under their match ids.
type cellTable struct {
	dims  []string
	cells map[string]*matched
	order []string
}

func newCellTable(dims []string) *cellTable {
	return &cellTable{dims: dims, cells: map[string]*matched{}}
}

// add sums a document cell into its matched cell; scale turns counts into
// the comparison basis (1 for totals, 1/days per day).
func (t *cellTable) add(c analyze.CellDoc, current bool, scale float64) {
	ref := CellRef{Key: map[string]any{}, Model: c.ModelID, ServiceTier: c.ServiceTier, ContextBand: c.ContextBand, InferenceGeo: c.InferenceGeo, Speed: c.Speed}
	parts := make([]string, 0, len(t.dims)+5)
	for _, d := range t.dims {
		ref.Key[d] = c.Key[d]
		parts = append(parts, fmt.Sprint(c.Key[d]))
	}
	parts = append(parts, ref.Model, ref.ServiceTier, strconv.Itoa(ref.ContextBand), ref.InferenceGeo, ref.Speed)
	id := strings.Join(parts, "\x00")

	m, ok := t.cells[id]
	if !ok {
		m = &matched{ref: ref, id: id, baseline: newSide(), current: newSide()}
		t.cells[id] = m
		t.order = append(t.order, id)
	}
	s := &m.baseline
	if current {
		s = &m.current
	}
	s.addCell(c, scale)
}

func newSide() side {
	return side{quantity: make([]float64, len(classNames)), cost: make([]float64, len(classNames))}
}

func (s *side) addCell(c analyze.CellDoc, scale float64) {
	s.requests += float64(c.Requests-c.UnknownCostRequests) * scale
	for i, name := range classNames {
		q := c.Tokens[name]
		if name == "web_search" {
			q = c.WebSearches
		}
		s.quantity[i] += float64(q) * scale
		s.cost[i] += c.CostByClassUSD[name] * scale
	}
}

func (s *side) totalCost() float64 {
	var sum float64
	for _, v := range s.cost {
		sum += v
	}
	return sum
}

// explain returns each matched cell's effects, given the total requests
// n0 and n1 of both sides over all matched cells.
//
// Per cell g and class k, with T tokens, n requests, t = T/n tokens per
// request and p = cost/T the unit price, and N the total requests:
//
//	price  = T⁰·(p¹ − p⁰)
//	volume = (N¹/N⁰ − 1)·T⁰·p¹
//	mix    = (n¹ − N¹·n⁰/N⁰)·t⁰·p¹
//	tokens = n¹·(t¹ − t⁰)·p¹
//
// Since n⁰·t⁰ = T⁰ and n¹·t¹ = T¹, the sum telescopes:
// T⁰p¹ − T⁰p⁰ + (N¹/N⁰)T⁰p¹ − T⁰p¹ + n¹t⁰p¹ − (N¹/N⁰)T⁰p¹ + T¹p¹ − n¹t⁰p¹
// = T¹p¹ − T⁰p⁰, the cell's change in cost. Summed over cells, the
// volume terms give (N¹ − N⁰)·C⁰′/N⁰ with C⁰′ = Σ T⁰·p¹.
//
// Edge cases keep the identity: a new cell (n⁰ = 0) takes t⁰ := t¹, so its
// whole cost is mix; a vanished cell or class (T¹ = 0) takes p¹ := p⁰;
// a class new in a cell (T⁰ = 0) has no price effect. With N⁰ = 0 every
// change is volume.
//
// A cell with tokens but no request on either side (simulate's summariser
// calls) has no tokens per request; it scales with the traffic instead:
// volume = (N¹/N⁰ − 1)·T⁰·p¹ and tokens = T¹·p¹ − (N¹/N⁰)·T⁰·p¹, which with
// the price term again sum to T¹p¹ − T⁰p⁰.
func explain(m *matched, n0, n1 float64) Effects {
	if n0 == 0 {
		return Effects{VolumeUSD: m.current.totalCost() - m.baseline.totalCost()}
	}

	var e Effects
	b, c := &m.baseline, &m.current
	if b.requests == 0 && c.requests == 0 {
		return explainRequestless(b, c, n0, n1)
	}
	for k := range classNames {
		p0, p1 := unitPrices(b.quantity[k], b.cost[k], c.quantity[k], c.cost[k])
		t0, t1 := perRequest(b.quantity[k], b.requests), perRequest(c.quantity[k], c.requests)
		if b.requests == 0 {
			t0 = t1
		}

		e.PriceUSD += b.quantity[k] * (p1 - p0)
		e.VolumeUSD += (n1/n0 - 1) * b.quantity[k] * p1
		e.MixUSD += (c.requests - n1*b.requests/n0) * t0 * p1
		e.TokensUSD += c.requests * (t1 - t0) * p1
	}
	return e
}

// explainRequestless splits the change of a cell that has tokens but no
// request on either side (see explain).
func explainRequestless(b, c *side, n0, n1 float64) Effects {
	var e Effects
	for k := range classNames {
		p0, p1 := unitPrices(b.quantity[k], b.cost[k], c.quantity[k], c.cost[k])
		scaled := n1 / n0 * b.quantity[k] * p1

		e.PriceUSD += b.quantity[k] * (p1 - p0)
		e.VolumeUSD += scaled - b.quantity[k]*p1
		e.TokensUSD += c.quantity[k]*p1 - scaled
	}
	return e
}

// unitPrices returns p⁰ and p¹ for one class. A side without tokens of the
// class takes the other side's price: the class then has no price effect.
func unitPrices(q0, cost0, q1, cost1 float64) (p0, p1 float64) {
	if q0 > 0 {
		p0 = cost0 / q0
	}
	if q1 > 0 {
		p1 = cost1 / q1
	}
	if q1 == 0 {
		p1 = p0
	}
	if q0 == 0 {
		p0 = p1
	}
	return p0, p1
}

func perRequest(quantity, requests float64) float64 {
	if requests == 0 {
		return 0
	}
	return quantity / requests
}
