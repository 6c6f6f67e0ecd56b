package store

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/costctl/costctl/analyze"
	"github.com/costctl/costctl/pricing"
)

// buildCells turns query groups into cells, merging the 15-minute buckets
// that share a day or hour label.
func buildCells(p *plan, groups []group, names map[int64]string) []analyze.Cell {
	labels := newTimeLabels(p.q.Loc)
	merged := map[string]*analyze.Cell{}
	var order []*analyze.Cell

	for i := range groups {
		c := cellOf(p, &groups[i], names, labels)
		id := cellIdentity(&c)
		if prev, ok := merged[id]; ok {
			addCounts(prev, &c)
			continue
		}
		merged[id] = &c
		order = append(order, &c)
	}

	cells := make([]analyze.Cell, len(order))
	for i, c := range order {
		cells[i] = *c
	}
	sortCells(cells, p.q.By)
	return cells
}

func cellOf(p *plan, g *group, names map[int64]string, labels *timeLabels) analyze.Cell {
	value := map[string]string{}
	var band int
	for i, col := range p.columns {
		if col.dict {
			value[col.name] = names[g.ids[i]]
		} else {
			band = int(g.ids[i])
		}
	}

	c := analyze.Cell{
		Provider: value["provider"], Model: value["model"], ModelID: value["model_id"],
		PriceRowID: value["price_row_id"], ContextBand: band, ServiceTier: value["service_tier"],
		InferenceGeo: value["inference_geo"], Speed: value["speed"],
		Requests: g.values[vRequests], NoUsage: g.values[vNoUsage], Usage: usageOf(&g.values),
	}
	if len(p.q.SplitAt) > 0 {
		c.Period = analyze.PeriodOf(p.q.SplitAt, time.Unix(g.bucket*bucketSeconds, 0))
	}
	for _, dim := range p.q.By {
		c.Key = append(c.Key, keyValue(dim, &c, value, g.bucket, labels))
	}
	return c
}

func keyValue(dim string, c *analyze.Cell, value map[string]string, bucket int64, labels *timeLabels) string {
	switch dim {
	case analyze.DimModel:
		if c.ModelID != "" {
			return c.ModelID
		}
		return c.Model
	case analyze.DimDay, analyze.DimHourOfDay, analyze.DimHour:
		return labels.label(dim, bucket)
	}
	return value[dimensionColumns[dim]]
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
// by the price fields.
func sortCells(cells []analyze.Cell, by []string) {
	slices.SortFunc(cells, func(a, b analyze.Cell) int { return analyze.CompareCells(by, &a, &b) })
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
