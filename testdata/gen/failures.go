package main

// Failure rates of the app's own calls, per 1,000 calls.
const (
	errorPerMille   = 3 // stream broke after some output: billed, status error
	noUsagePerMille = 3 // client timed out before any usage arrived
)

// injectFailures marks a few calls as failed. Raw OpenAI responses are
// only logged on success, so the meal_plan service never fails here.
func injectFailures(calls []*call) {
	r := newRNG(7)
	for _, c := range calls {
		c.status = "ok"
		if c.raw || c.endpoint == "classify_intent" {
			continue
		}

		switch n := r.intn(1000); {
		case n < errorPerMille:
			c.status = "error"
			c.output = r.intn(c.output/4 + 1)
			c.latencyMS = c.ttftMS + c.output*10
		case n < errorPerMille+noUsagePerMille:
			c.status = "no_usage"
			c.latencyMS = 60_000
			c.ttftMS = 0
		}
	}
}
