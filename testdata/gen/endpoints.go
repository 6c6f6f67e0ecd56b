package main

import (
	"time"
)

// Static prompt prefixes per endpoint, in tokens.
const (
	chatSystemTokens     = 4300
	classifySystemTokens = 480
	workoutSchemaTokens  = 1150
	summarySystemTokens  = 1900
	mealPlanSystemTokens = 1450
)

// chatSessions simulates chat_coach: multi-turn conversations whose history
// grows every turn. Free users talk to Haiku 4.5, paying users to Sonnet
// 4.5; enterprise contracts pay for 1-hour cache writes.
func chatSessions(users []user) []*call {
	r := newRNG(2)
	var calls []*call
	eachHour(r, chatSessionsPerWeek, dayWeight, func(start time.Time) {
		calls = append(calls, chatSession(r, pickUser(r, users), start)...)
	})
	return calls
}

func chatSession(r *rng, u user, start time.Time) []*call {
	m := sonnet45
	if u.tier == "free" {
		m = haiku45
	}
	session := "sess_" + r.hex(12)
	turns := 1 + r.intn(3) + r.intn(r.intn(9)+1)

	// The first user message carries the user's profile and recent workouts.
	history := chatSystemTokens + r.between(250, 600)
	var calls []*call
	t := start
	for turn := int64(1); turn <= turns; turn++ {
		history += r.between(10, 150)
		c := &call{
			start: t, endpoint: "chat_coach", user: u, session: session, turn: turn, model: m,
			prefix: chatSystemTokens, prefixHash: prefixHash("chat_coach/system/v14"),
			cache: cacheAnthropic, ttl1h: u.tier == "enterprise",
		}
		c.tail = r.between(8, 30) // today's date and streak, after the breakpoint
		c.prompt = history + c.tail
		c.output = chatOutput(r, m)
		timing(r, c)
		calls = append(calls, c)

		history += c.output
		t = t.Add(time.Duration(c.latencyMS+thinkTime(r)) * time.Millisecond)
	}
	return calls
}

func chatOutput(r *rng, m *model) int64 {
	if m == haiku45 {
		return r.between(100, 420)
	}
	return r.between(140, 620)
}

// thinkTime is the user's pause before the next message, in ms. One pause
// in eight is long enough for a 5-minute cache entry to expire.
func thinkTime(r *rng) int64 {
	if r.chance(1, 8) {
		return r.between(6*60_000, 30*60_000)
	}
	return r.between(15_000, 150_000)
}

// workoutLogs simulates log_workout: free-text workout notes extracted into
// JSON by gpt-4o-mini with a fixed schema prompt.
func workoutLogs(users []user) []*call {
	r := newRNG(3)
	var calls []*call
	eachHour(r, workoutLogsPerWeek, dayWeight, func(start time.Time) {
		c := &call{
			start: start, endpoint: "log_workout", user: pickUser(r, users), model: gpt4oMini,
			prefix: workoutSchemaTokens, prefixHash: prefixHash("log_workout/schema/v3"),
			cache: cacheOpenAI,
		}
		c.session = "sess_" + r.hex(12)
		c.prompt = workoutSchemaTokens + r.between(25, 220)
		c.output = r.between(70, 260)
		timing(r, c)
		calls = append(calls, c)
	})
	return calls
}

// weeklySummaries simulates weekly_summary: a nightly job from 02:00 UTC
// that writes each subscriber's weekly review one request after another.
// It sets no cache breakpoints and needs no fast response, which makes it
// the sample's candidate for caching and the batch API.
func weeklySummaries(users []user) []*call {
	r := newRNG(4)
	var calls []*call
	for day := range weekDays {
		t := hourStart(day, 2).Add(time.Duration(r.intn(120_000)) * time.Millisecond)
		for _, u := range users {
			if u.index%7 != int64(day) || !wantsSummary(u) {
				continue
			}
			c := weeklySummary(r, u, t)
			calls = append(calls, c)
			t = t.Add(time.Duration(c.latencyMS+r.between(200, 1500)) * time.Millisecond)
		}
	}
	return calls
}

// wantsSummary reports whether u receives the weekly summary: paying users
// do, and so do free users who opted in.
func wantsSummary(u user) bool {
	return u.tier != "free" || u.index%3 == 0
}

func weeklySummary(r *rng, u user, start time.Time) *call {
	m := sonnet45
	if u.tier == "free" {
		m = haiku45
	}
	c := &call{
		start: start, endpoint: "weekly_summary", user: u, model: m,
		prefix: summarySystemTokens, prefixHash: prefixHash("weekly_summary/system/v6"),
	}
	c.prompt = summarySystemTokens + r.between(2500, 7500)
	c.output = r.between(550, 1100)
	timing(r, c)
	return c
}

// mealPlans simulates meal_plan, a separate service that logs the raw
// OpenAI responses: gpt-4o for paying users, gpt-4o-mini for free ones.
// Plans longer than max_tokens are cut off with finish_reason "length".
func mealPlans(users []user) []*call {
	r := newRNG(5)
	var calls []*call
	eachHour(r, mealPlansPerWeek, mealPlanDayWeight, func(start time.Time) {
		u := pickUser(r, users)
		m := gpt4o
		if u.tier == "free" {
			m = gpt4oMini
		}
		c := &call{
			start: start, endpoint: "meal_plan", user: u, model: m, raw: true,
			prefix: mealPlanSystemTokens, prefixHash: prefixHash("meal_plan/system/v9"),
			cache: cacheOpenAI, finish: "stop",
		}
		c.session = "sess_" + r.hex(12)
		c.prompt = mealPlanSystemTokens + r.between(220, 680)
		c.output = r.between(850, 2100)
		if c.output > mealPlanMaxTokens {
			c.output, c.finish = mealPlanMaxTokens, "length"
		}
		timing(r, c)
		calls = append(calls, c)
	})
	return calls
}

const mealPlanMaxTokens = 2048

// acmeTrial is the window in which a slice of classify_intent traffic
// tried a self-hosted model that is in no price table.
var acmeTrial = [2]time.Time{
	time.Date(2025, 11, 5, 10, 0, 0, 0, time.UTC),
	time.Date(2025, 11, 6, 18, 0, 0, 0, time.UTC),
}

// intentClassifications simulates classify_intent: every chat message and
// workout note is first routed by a small model, half a second before the
// call it routes.
func intentClassifications(routed []*call) []*call {
	r := newRNG(6)
	var calls []*call
	for _, next := range routed {
		if next.endpoint != "chat_coach" && next.endpoint != "log_workout" {
			continue
		}
		c := &call{
			endpoint: "classify_intent", user: next.user, session: next.session, model: haiku35,
			prefix: classifySystemTokens, prefixHash: prefixHash("classify_intent/system/v21"),
		}
		c.start = next.start.Add(-time.Duration(r.between(400, 900)) * time.Millisecond)
		if !c.start.Before(acmeTrial[0]) && c.start.Before(acmeTrial[1]) && r.chance(1, 20) {
			c.model = acme7b
		}
		c.prompt = classifySystemTokens + r.between(40, 420)
		c.output = r.between(3, 12)
		timing(r, c)
		calls = append(calls, c)
	}
	return calls
}
