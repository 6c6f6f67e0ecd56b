package analyze

import (
	"cmp"
	"strconv"
	"time"
)

// RequestKey returns a request's value of each --by dimension, labelled as the
// store labels them: model is the canonical id when priced, day and hour
// are taken in loc.
func RequestKey(by []string, r *Request, loc *time.Location) []string {
	key := make([]string, len(by))
	for i, dim := range by {
		key[i] = dimValue(dim, r, loc)
	}
	return key
}

func dimValue(dim string, r *Request, loc *time.Location) string {
	switch dim {
	case DimEndpoint:
		return r.Endpoint
	case DimTier:
		return r.Tier
	case DimCustomer:
		return r.Customer
	case DimUser:
		return r.User
	case DimSession:
		return r.Session
	case DimModel:
		return cmp.Or(r.ModelID, r.Model)
	case DimProvider:
		return r.Provider
	case DimServiceTier:
		return r.ServiceTier
	case DimWorkspace:
		return r.Workspace
	case DimProject:
		return r.Project
	case DimAPIKey:
		return r.APIKey
	case DimSource:
		return r.Source
	}
	return timeLabel(dim, r.Time.In(loc))
}

// timeLabel labels day, hour_of_day and hour. The hour starts by
// subtracting minutes, so the two 01:00 hours of a fall-back stay apart.
func timeLabel(dim string, t time.Time) string {
	switch dim {
	case DimDay:
		return t.Format(time.DateOnly)
	case DimHourOfDay:
		return strconv.Itoa(t.Hour())
	}
	into := time.Duration(t.Minute())*time.Minute + time.Duration(t.Second())*time.Second + time.Duration(t.Nanosecond())
	return t.Add(-into).Format(time.RFC3339)
}

// KeyObject maps each dimension to its value; hour_of_day is a number.
func KeyObject(by, key []string) map[string]any {
	obj := make(map[string]any, len(by))
	for i, d := range by {
		if d == DimHourOfDay {
			h, _ := strconv.Atoi(key[i])
			obj[d] = h
			continue
		}
		obj[d] = key[i]
	}
	return obj
}
