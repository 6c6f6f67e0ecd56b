package analyze

import (
	"cmp"
	"sort"
	"time"

	"github.com/costctl/costctl/pricing"
)

// Dimensions a report can group by. Time dimensions are bucketed in the
// query's time zone.
const (
	DimEndpoint    = "endpoint"
	DimTier        = "tier"
	DimCustomer    = "customer"
	DimUser        = "user"
	DimSession     = "session"
	DimModel       = "model"
	DimProvider    = "provider"
	DimServiceTier = "service_tier"
	DimWorkspace   = "workspace"
	DimProject     = "project"
	DimAPIKey      = "api_key"
	DimSource      = "source"
	DimDay         = "day"         // YYYY-MM-DD
	DimHourOfDay   = "hour_of_day" // 0–23
	DimHour        = "hour"        // RFC 3339 start of the hour
)

// Dimensions lists every dimension in the order help texts show them.
var Dimensions = []string{
	DimEndpoint, DimTier, DimCustomer, DimUser, DimSession, DimModel,
	DimProvider, DimServiceTier, DimWorkspace, DimProject, DimAPIKey,
	DimSource, DimDay, DimHourOfDay, DimHour,
}

// Query selects stored requests and the dimensions to group them by.
type Query struct {
	Since, Until time.Time      // [Since, Until); zero means open
	Loc          *time.Location // zone of day and hour buckets; nil = UTC
	By           []string       // dimension names, in output order
	// SplitAt (optional, sorted) splits cells at these instants, so that a
	// price adjustment starting or ending there applies to whole cells.
	SplitAt []time.Time
}

// Cell is the finest grouping the store returns: one value per Query.By
// dimension plus everything that decides a price. Reports and the change
// explanation of check are computed from cells alone.
type Cell struct {
	Key []string // values of Query.By, in order; day/hour_of_day/hour as their labels

	Provider     string
	Model        string // as logged: names the model when it is unpriced
	ModelID      string // empty when unpriced
	PriceRowID   string
	ContextBand  int
	ServiceTier  string
	InferenceGeo string
	Speed        string
	// Period is the Query.SplitAt interval of the cell's requests: 0 before
	// SplitAt[0], i from SplitAt[i-1] on (see PeriodStart).
	Period int

	Requests int64 // every stored request, whatever its status
	NoUsage  int64 // requests with status no_usage: cost unknown
	Usage    pricing.Usage
}

// PeriodOf returns the index of the SplitAt interval that holds at.
func PeriodOf(split []time.Time, at time.Time) int {
	return sort.Search(len(split), func(i int) bool { return at.Before(split[i]) })
}

// PeriodStart returns the first instant of interval i of split, the zero
// time for interval 0.
func PeriodStart(split []time.Time, i int) time.Time {
	if i == 0 {
		return time.Time{}
	}
	return split[i-1]
}

// CompareCells orders cells by key (hour_of_day as a number), then by the
// fields that decide a price, so every backend and the simulator list
// cells in one order.
func CompareCells(by []string, a, b *Cell) int {
	if n := CompareKeys(by, a.Key, b.Key); n != 0 {
		return n
	}
	return cmp.Or(
		cmp.Compare(a.Provider, b.Provider), cmp.Compare(a.Model, b.Model),
		cmp.Compare(a.ModelID, b.ModelID), cmp.Compare(a.PriceRowID, b.PriceRowID),
		cmp.Compare(a.ContextBand, b.ContextBand), cmp.Compare(a.ServiceTier, b.ServiceTier),
		cmp.Compare(a.InferenceGeo, b.InferenceGeo), cmp.Compare(a.Speed, b.Speed),
		cmp.Compare(a.Period, b.Period),
	)
}
