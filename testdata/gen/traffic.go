package main

import (
	"slices"
	"sort"
	"time"
)

// cacheMode selects how a call's prompt is split into cache buckets.
type cacheMode int

const (
	cacheNone      cacheMode = iota // no caching: the whole prompt is input
	cacheAnthropic                  // explicit breakpoints on the system prompt and the last message
	cacheOpenAI                     // OpenAI's automatic prefix caching
)

// call is one simulated request. The generators fill in its shape. Then
// assignCache splits the prompt into billed buckets in time order, because
// a cache hit depends on the calls before it.
type call struct {
	start    time.Time
	endpoint string
	user     user
	session  string
	turn     int64
	model    *model

	prompt     int64 // every prompt token, cached or not
	prefix     int64 // static prefix (system prompt, tools, schema)
	prefixHash string
	tail       int64 // tokens after the last cache breakpoint
	output     int64
	cache      cacheMode
	ttl1h      bool

	input, cacheRead, cacheWrite5m, cacheWrite1h int64

	status    string // ok, error or no_usage
	latencyMS int64
	ttftMS    int64
	raw       bool // logged as a raw OpenAI response rather than a flat row
	finish    string
}

// Weekly volumes of the user-triggered endpoints.
const (
	chatSessionsPerWeek = 270
	workoutLogsPerWeek  = 430
	mealPlansPerWeek    = 380
)

// simulateWeek returns every call of the sample week in start order.
func simulateWeek() []*call {
	users := makeUsers()

	var calls []*call
	calls = append(calls, chatSessions(users)...)
	calls = append(calls, workoutLogs(users)...)
	calls = append(calls, weeklySummaries(users)...)
	calls = append(calls, mealPlans(users)...)
	calls = append(calls, intentClassifications(calls)...)

	calls = slices.DeleteFunc(calls, func(c *call) bool { return !inWeek(c.start) })
	sort.SliceStable(calls, func(i, j int) bool { return calls[i].start.Before(calls[j].start) })
	assignCache(calls)
	injectFailures(calls)
	return calls
}

// timing sets latency and time to first token from the model's speed.
func timing(r *rng, c *call) {
	c.ttftMS = r.between(c.model.ttftLo, c.model.ttftHi) + c.prompt/200
	c.latencyMS = c.ttftMS + c.output*1000/r.between(c.model.tpsLo, c.model.tpsHi)
}

// eachHour calls fn once per event with the event's start, for about
// perWeek events spread over the week by hour and day weights.
func eachHour(r *rng, perWeek int64, days [7]int64, fn func(start time.Time)) {
	for day := range weekDays {
		for hour := range 24 {
			n := arrivals(r, day, hour, perWeek, days)
			for range n {
				fn(within(r, hourStart(day, hour)))
			}
		}
	}
}
