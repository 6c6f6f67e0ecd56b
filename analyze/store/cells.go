package store

import (
	"cmp"
	"math/bits"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/pricing"
)

// buildCells turns query groups into cells, merging the groups that share
// a cell: 15-minute or hour buckets with one day or hour label, or buckets
// of one price period.
func buildCells(p *plan, chunks [][]group, names map[int64]string) []analyze.Cell {
	labels := newTimeLabels(p.q.Loc)
	keyColumns := p.keyColumns()
	cells := make([]analyze.Cell, 0, countGroups(chunks))
	merges := p.mergesGroups() && !p.merged
	merged := map[string]int{}
	for _, chunk := range chunks {
		for i := range chunk {
			c := cellOf(p, &chunk[i], names, labels, keyColumns)
			if !merges {
				cells = append(cells, c)
				continue
			}
			id := cellIdentity(&c)
			if at, ok := merged[id]; ok {
				addCounts(&cells[at], &c)
				continue
			}
			merged[id] = len(cells)
			cells = append(cells, c)
		}
	}
	sortCells(cells, p.q.By)
	return cells
}

// mergesGroups reports whether two groups of p's query can share a cell.
// Groups differ in a column or a bucket, so they can share a cell only when
// the query groups by bucket and several buckets can get the same time
// labels and price period.
func (p *plan) mergesGroups() bool {
	if !p.bucket || len(p.q.SplitAt) > 0 {
		return p.bucket
	}
	width := p.groupSeconds()
	for _, dim := range p.q.By {
		if (dim == analyze.DimHour && width >= 3600) || (dim == analyze.DimDay && width >= 86400) {
			return false
		}
	}
	return true
}

// groupSeconds is the width of the buckets the query groups by.
func (p *plan) groupSeconds() int64 {
	switch {
	case p.rollup && p.table.seconds > bucketSeconds:
		return p.table.seconds
	case p.hourly:
		return 3600
	}
	return bucketSeconds
}

// keyColumns maps each dimension of p.q.By to the index of its column in
// p.columns, or -1 for a time dimension.
func (p *plan) keyColumns() []int {
	out := make([]int, len(p.q.By))
	for i, dim := range p.q.By {
		out[i] = slices.IndexFunc(p.columns, func(c groupColumn) bool { return c.name == dimensionColumns[dim] })
	}
	return out
}

func cellOf(p *plan, g *group, names map[int64]string, labels *timeLabels, keyColumns []int) analyze.Cell {
	name := func(column int) string { return names[g.ids[column]] }
	c := analyze.Cell{
		Provider: name(colProvider), Model: name(colModel), ModelID: name(colModelID),
		PriceRowID: name(colPriceRowID), ContextBand: int(g.ids[colContextBand]),
		ServiceTier: name(colServiceTier), InferenceGeo: name(colInferenceGeo), Speed: name(colSpeed),
		Requests: g.values[vRequests], NoUsage: g.values[vNoUsage], Usage: usageOf(&g.values),
		Key: make([]string, len(p.q.By)),
	}
	if len(p.q.SplitAt) > 0 {
		c.Period = analyze.PeriodOf(p.q.SplitAt, time.Unix(g.bucket*bucketSeconds, 0))
	}
	for i, dim := range p.q.By {
		c.Key[i] = keyValue(dim, &c, g, names, keyColumns[i], labels)
	}
	return c
}

func keyValue(dim string, c *analyze.Cell, g *group, names map[int64]string, column int, labels *timeLabels) string {
	switch dim {
	case analyze.DimModel:
		if c.ModelID != "" {
			return c.ModelID
		}
		return c.Model
	case analyze.DimDay, analyze.DimHourOfDay, analyze.DimHour:
		return labels.label(dim, g.bucket)
	}
	return names[g.ids[column]]
}

func usageOf(v *rollupValues) pricing.Usage {
	var u pricing.Usage
	copy(u.Tokens[:], v[vTokens:vTokens+int(pricing.NumClasses)])
	u.Reasoning, u.WebSearches = v[vReasoning], v[vWebSearches]
	return u
}

func addCounts(dst, src *analyze.Cell) {
	dst.Requests += src.Requests
	dst.NoUsage += src.NoUsage
	dst.Usage.Add(src.Usage)
}

// cellIdentity joins a cell's key and price fields with a separator that
// does not occur in log values.
func cellIdentity(c *analyze.Cell) string {
	parts := append(slices.Clone(c.Key), c.Provider, c.Model, c.ModelID, c.PriceRowID,
		strconv.Itoa(c.ContextBand), c.ServiceTier, c.InferenceGeo, c.Speed, strconv.Itoa(c.Period))
	return strings.Join(parts, "\x00")
}

// sortCells orders cells by Key (hour_of_day numerically, every other
// dimension as text, which is chronological for day and hour labels), then
// by the price fields, as analyze.CompareCells does. It ranks the distinct
// values of each dimension and of the price fields first and sorts by the
// ranks, because comparing the strings of 288,000 cells took 0.4 s.
func sortCells(cells []analyze.Cell, by []string) {
	width := len(by) + 1
	ranks := make([]int, len(cells)*width)
	distinct := make([]int, width)
	for d := range by {
		keys := make([]string, len(cells))
		for i := range cells {
			keys[i] = cells[i].Key[d]
		}
		byDim := func(a, b string) int { return analyze.CompareKeys(by[d:d+1], []string{a}, []string{b}) }
		r, n := rank(keys, byDim)
		for i := range r {
			ranks[i*width+d] = r[i]
		}
		distinct[d] = n
	}

	prices := make([]priceFields, len(cells))
	for i := range cells {
		prices[i] = priceFieldsOf(&cells[i])
	}
	r, n := rank(prices, comparePriceFields)
	for i := range r {
		ranks[i*width+len(by)] = r[i]
	}
	distinct[len(by)] = n

	permute(cells, sortedOrder(ranks, width, distinct, len(cells)))
}

// permute moves cells[order[i]] to cells[i] in place, one cycle of the
// permutation at a time, instead of copying every cell into a second slice.
// It leaves order as the identity.
func permute(cells []analyze.Cell, order []int) {
	for start := range order {
		if order[start] == start {
			continue
		}
		held := cells[start]
		i := start
		for order[i] != start {
			next := order[i]
			cells[i] = cells[next]
			order[i] = i
			i = next
		}
		cells[i] = held
		order[i] = i
	}
}

// sortedOrder returns the indexes of n rank rows of the given width in
// lexicographic order. When the ranks and an index fit in 64 bits, as they
// do for every report in BENCHMARKS.md, it sorts packed integers, which is
// several times faster than comparing rows.
func sortedOrder(ranks []int, width int, distinct []int, n int) []int {
	bitsOf := func(x int) int { return bits.Len(uint(x)) }
	total := bitsOf(n)
	for _, d := range distinct {
		total += bitsOf(d)
	}

	order := make([]int, n)
	if total > 64 {
		for i := range order {
			order[i] = i
		}
		// The index breaks ties, as in the packed keys.
		slices.SortFunc(order, func(a, b int) int {
			return cmp.Or(slices.Compare(ranks[a*width:(a+1)*width], ranks[b*width:(b+1)*width]), cmp.Compare(a, b))
		})
		return order
	}

	packed := make([]uint64, n)
	for i := range packed {
		var key uint64
		for d, x := range ranks[i*width : (i+1)*width] {
			key = key<<bitsOf(distinct[d]) | uint64(x)
		}
		packed[i] = key<<bitsOf(n) | uint64(i)
	}
	slices.Sort(packed)
	mask := uint64(1)<<bitsOf(n) - 1
	for i, key := range packed {
		order[i] = int(key & mask)
	}
	return order
}

// rank returns, for each value, its position among the distinct values
// ordered by compare, and the number of distinct values.
func rank[K comparable](values []K, compare func(a, b K) int) ([]int, int) {
	seen := map[K]int{}
	var distinct []K
	for _, v := range values {
		if _, ok := seen[v]; !ok {
			seen[v] = 0
			distinct = append(distinct, v)
		}
	}
	slices.SortFunc(distinct, compare)
	for i, v := range distinct {
		seen[v] = i
	}

	out := make([]int, len(values))
	for i, v := range values {
		out[i] = seen[v]
	}
	return out, len(distinct)
}

// priceFields are the fields analyze.CompareCells orders cells by after
// their keys.
type priceFields struct {
	provider, model, modelID, priceRowID string
	contextBand                          int
	serviceTier, inferenceGeo, speed     string
	period                               int
}

func priceFieldsOf(c *analyze.Cell) priceFields {
	return priceFields{
		provider: c.Provider, model: c.Model, modelID: c.ModelID, priceRowID: c.PriceRowID,
		contextBand: c.ContextBand, serviceTier: c.ServiceTier, inferenceGeo: c.InferenceGeo,
		speed: c.Speed, period: c.Period,
	}
}

// comparePriceFields compares with analyze.CompareCells on cells that have
// no key, so that the two orders cannot drift apart.
func comparePriceFields(a, b priceFields) int {
	x := analyze.Cell{
		Provider: a.provider, Model: a.model, ModelID: a.modelID, PriceRowID: a.priceRowID,
		ContextBand: a.contextBand, ServiceTier: a.serviceTier, InferenceGeo: a.inferenceGeo,
		Speed: a.speed, Period: a.period,
	}
	y := analyze.Cell{
		Provider: b.provider, Model: b.model, ModelID: b.modelID, PriceRowID: b.priceRowID,
		ContextBand: b.contextBand, ServiceTier: b.serviceTier, InferenceGeo: b.inferenceGeo,
		Speed: b.speed, Period: b.period,
	}
	return analyze.CompareCells(nil, &x, &y)
}

// timeLabels labels 15-minute buckets in one zone, caching each bucket.
type timeLabels struct {
	loc   *time.Location
	cache map[int64]*bucketLabels
}

type bucketLabels struct{ day, hourOfDay, hour string }

func newTimeLabels(loc *time.Location) *timeLabels {
	return &timeLabels{loc: loc, cache: map[int64]*bucketLabels{}}
}

func (t *timeLabels) label(dim string, bucket int64) string {
	l, ok := t.cache[bucket]
	if !ok {
		l = labelBucket(bucket, t.loc)
		t.cache[bucket] = l
	}
	switch dim {
	case analyze.DimDay:
		return l.day
	case analyze.DimHourOfDay:
		return l.hourOfDay
	}
	return l.hour
}

// labelBucket names the local day and hour a bucket starts in. The hour
// start is found by subtracting minutes, not by time.Date, so that the two
// 01:00 hours of a daylight-saving fall-back stay apart (their RFC 3339
// labels differ in the offset).
func labelBucket(bucket int64, loc *time.Location) *bucketLabels {
	start := time.Unix(bucket*bucketSeconds, 0).In(loc)
	hourStart := start.Add(-time.Duration(start.Minute()) * time.Minute)
	return &bucketLabels{
		day:       start.Format(time.DateOnly),
		hourOfDay: strconv.Itoa(start.Hour()),
		hour:      hourStart.Format(time.RFC3339),
	}
}
