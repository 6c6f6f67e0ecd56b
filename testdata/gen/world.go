package main

import (
	"fmt"
	"hash/fnv"
	"time"
)

const sampleSeed = 20251103

// The sample week starts on a Monday. The app's users are mostly in the
// UK and Portugal, so UTC is their local time in November and the hourly
// curve reads the same in a report grouped by hour_of_day.
var (
	weekStart = time.Date(2025, 11, 3, 0, 0, 0, 0, time.UTC)
	weekDays  = 7
)

// hourWeight is the relative load per UTC hour: a morning peak before
// work, a lunch bump, the evening peak after training, quiet nights.
var hourWeight = [24]int64{
	2, 1, 1, 1, 1, 3, 8, 12, 10, 7, 6, 6,
	8, 7, 5, 5, 6, 9, 12, 13, 11, 8, 5, 3,
}

// dayWeight is the relative load per weekday, Monday first: resolutions
// on Mondays, a dip towards the weekend, planning again on Sunday.
var dayWeight = [7]int64{115, 105, 100, 100, 85, 80, 110}

// mealPlanDayWeight follows the habit of planning the week's meals on
// Sunday evening.
var mealPlanDayWeight = [7]int64{90, 70, 70, 75, 80, 100, 230}

// model is the generator's description of a model: its logged provider
// and name, its minimum cacheable prompt and its speed.
type model struct {
	provider string
	name     string
	minCache int64 // minimum cacheable prompt in tokens; 0 = the provider does not cache
	ttftLo   int64 // time to first token, ms
	ttftHi   int64
	tpsLo    int64 // output tokens per second
	tpsHi    int64
}

// Minimum cacheable lengths are Anthropic's documented values for these
// models (Sonnet 4.5: 1,024; Haiku 4.5: 4,096; Haiku 3.5: 2,048) and
// OpenAI's automatic caching threshold of 1,024 tokens.
var (
	sonnet45  = &model{"anthropic", "claude-sonnet-4-5-20250929", 1024, 700, 1800, 55, 75}
	haiku45   = &model{"anthropic", "claude-haiku-4-5-20251001", 4096, 350, 900, 110, 160}
	haiku35   = &model{"anthropic", "claude-3-5-haiku-20241022", 2048, 300, 700, 60, 90}
	gpt4oMini = &model{"openai", "gpt-4o-mini-2024-07-18", 1024, 300, 800, 70, 110}
	gpt4o     = &model{"openai", "gpt-4o-2024-08-06", 1024, 400, 1100, 60, 90}
	acme7b    = &model{"acme", "acme-llm-7b", 0, 120, 300, 150, 220}
)

// user is one account of the app. Enterprise users come through a gym or
// clinic that pays for them; that business is the customer.
type user struct {
	id       string
	tier     string
	customer string
	index    int64
}

const userCount = 460

var customers = []string{"northwind-gyms", "peak-physio", "ironclad-fitness"}

func makeUsers() []user {
	r := newRNG(1)
	users := make([]user, userCount)
	for i := range users {
		u := user{id: fmt.Sprintf("usr_%04d", i+1), tier: "free", index: int64(i)}
		switch n := r.intn(100); {
		case n < 8:
			u.tier = "enterprise"
			u.customer = customers[r.intn(int64(len(customers)))]
		case n < 38:
			u.tier = "pro"
		}
		users[i] = u
	}
	return users
}

// pickUser favours low indices, so a few heavy users make much of the
// traffic, as in most consumer apps.
func pickUser(r *rng, users []user) user {
	return users[r.intn(r.intn(int64(len(users)))+1)]
}

// arrivals returns how many events start in the given hour, for a weekly
// total of perWeek spread over the hour and day weights. The fractional
// part is rounded up with its own probability, so totals stay near
// perWeek without floating point.
func arrivals(r *rng, day, hour int, perWeek int64, days [7]int64) int64 {
	var hourSum, daySum int64
	for _, w := range hourWeight {
		hourSum += w
	}
	for _, w := range days {
		daySum += w
	}

	num := perWeek * hourWeight[hour] * days[day]
	den := hourSum * daySum
	n := num / den
	if r.chance(num%den, den) {
		n++
	}
	return n
}

// hourStart returns the start of an hour of the sample week.
func hourStart(day, hour int) time.Time {
	return weekStart.Add(time.Duration(day*24+hour) * time.Hour)
}

// within returns a random instant, to the millisecond, in the hour
// starting at t.
func within(r *rng, t time.Time) time.Time {
	return t.Add(time.Duration(r.intn(3_600_000)) * time.Millisecond)
}

// prefixHash names a prompt template version the way a logger would: a
// stable hash of the static prefix, here of its label.
func prefixHash(label string) string {
	h := fnv.New64a()
	h.Write([]byte(label))
	return fmt.Sprintf("%016x", h.Sum64())
}
