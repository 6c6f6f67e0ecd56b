package simulate

import (
	"github.com/costctl/costctl/analyze"
)

// qualityAcc sums eval scores of one endpoint's scored requests.
type qualityAcc struct {
	requests      int64
	before, after float64
}

// noteQuality adds a request whose endpoint has scores for both its logged
// and its projected model.
func (r *runner) noteQuality(base, proj *analyze.Request) {
	q := r.e.policy.Quality
	if q == nil || base.Status == analyze.StatusNoUsage {
		return
	}
	scores := q.byID[base.Endpoint]
	before, ok1 := scores[base.ModelID]
	after, ok2 := scores[proj.ModelID]
	if !ok1 || !ok2 {
		return
	}

	acc, ok := r.quality[base.Endpoint]
	if !ok {
		acc = &qualityAcc{}
		r.quality[base.Endpoint] = acc
	}
	acc.requests++
	acc.before += before
	acc.after += after
}

// qualityResult returns request-weighted scores per endpoint and overall,
// and warns about each route rule whose target model scores below an
// endpoint's minimum.
func (r *runner) qualityResult() QualityResult {
	res := QualityResult{Endpoints: []QualityEndpoint{}}
	q := r.e.policy.Quality
	if q == nil {
		return res
	}
	r.flagRules(q)

	var before, after float64
	for _, ep := range sortedKeys(r.quality) {
		acc := r.quality[ep]
		qe := QualityEndpoint{Endpoint: ep, Requests: acc.requests,
			Before: acc.before / float64(acc.requests), After: acc.after / float64(acc.requests)}
		if m, ok := q.Min[ep]; ok {
			qe.Min = &m
			qe.BelowMin = qe.After < m
		}
		res.Endpoints = append(res.Endpoints, qe)
		res.Scored += acc.requests
		before += acc.before
		after += acc.after
	}
	if res.Scored > 0 {
		b, a := before/float64(res.Scored), after/float64(res.Scored)
		res.Before, res.After = &b, &a
	}
	return res
}

func (r *runner) flagRules(q *Quality) {
	for i := range r.e.policy.Route {
		rule := &r.e.policy.Route[i]
		for _, ep := range sortedKeys(q.Min) {
			score, ok := q.byID[ep][rule.model.ID]
			if ok && rule.Match.Endpoint.contains(ep) && score < q.Min[ep] {
				r.e.warnf("quality: route rule %d sends endpoint %s to %s, which scores %v, below the minimum %v",
					i+1, ep, rule.Model, score, q.Min[ep])
			}
		}
	}
}
