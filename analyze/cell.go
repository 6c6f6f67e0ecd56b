package analyze

import (
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

	Requests int64 // every stored request, whatever its status
	NoUsage  int64 // requests with status no_usage: cost unknown
	Usage    pricing.Usage
}
