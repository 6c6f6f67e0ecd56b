package check

import (
	"fmt"
	"math"
)

// Statuses of a threshold and of a whole check, from best to worst.
const (
	StatusPass = "pass"
	StatusWarn = "warn"
	StatusFail = "fail"
)

// Threshold names, as the config's budgets.thresholds section and the
// JSON document spell them.
const (
	IncreaseUSD       = "increase_usd"
	IncreasePct       = "increase_pct"
	GroupIncreaseUSD  = "group_increase_usd"
	GroupIncreasePct  = "group_increase_pct"
	CostPerRequestUSD = "cost_per_request_usd"
	UnpricedRequests  = "unpriced_requests"
)

// ThresholdNames lists every threshold in the order results are shown.
var ThresholdNames = []string{IncreaseUSD, IncreasePct, GroupIncreaseUSD, GroupIncreasePct, CostPerRequestUSD, UnpricedRequests}

// Level is a threshold's warn and fail values; nil leaves a level unset. A
// value strictly above a level breaches it.
type Level struct {
	Warn *float64 `json:"warn"`
	Fail *float64 `json:"fail"`
}

func (l Level) set() bool { return l.Warn != nil || l.Fail != nil }

// judge returns the status of value v against the level.
func (l Level) judge(v float64) string {
	if l.Fail != nil && v > *l.Fail {
		return StatusFail
	}
	if l.Warn != nil && v > *l.Warn {
		return StatusWarn
	}
	return StatusPass
}

// ThresholdResult is one threshold's outcome. For a group threshold, Value
// and Group are those of the worst group and Breaches counts the groups
// over a level.
type ThresholdResult struct {
	Name     string         `json:"name"`
	Warn     *float64       `json:"warn"`
	Fail     *float64       `json:"fail"`
	Value    *float64       `json:"value"`
	Group    map[string]any `json:"group,omitempty"`
	Breaches int            `json:"breaches"`
	Status   string         `json:"status"`
	Message  string         `json:"message"`
}

// worse returns the worse of two statuses.
func worse(a, b string) string {
	rank := map[string]int{StatusPass: 0, StatusWarn: 1, StatusFail: 2}
	if rank[b] > rank[a] {
		return b
	}
	return a
}

// evaluate judges every threshold that has a level set, in ThresholdNames
// order.
func evaluate(levels map[string]Level, r *Result) []ThresholdResult {
	out := []ThresholdResult{}
	for _, name := range ThresholdNames {
		l, ok := levels[name]
		if !ok || !l.set() {
			continue
		}
		var res ThresholdResult
		switch name {
		case GroupIncreaseUSD, GroupIncreasePct:
			res = judgeGroups(name, l, r.Groups)
		default:
			res = judgeTotal(name, l, r)
		}
		res.Name, res.Warn, res.Fail = name, l.Warn, l.Fail
		out = append(out, res)
	}
	return out
}

func judgeTotal(name string, l Level, r *Result) ThresholdResult {
	var v float64
	switch name {
	case IncreaseUSD:
		v = r.ChangeUSD
	case IncreasePct:
		if r.ChangePct == nil {
			return ThresholdResult{Status: StatusPass, Message: "not applicable: the baseline cost is $0 (the USD thresholds still apply)"}
		}
		v = *r.ChangePct
	case CostPerRequestUSD:
		v = r.CurrentCostPerRequestUSD
	case UnpricedRequests:
		v = float64(r.Current.UnpricedRequests)
	}
	res := ThresholdResult{Value: &v, Status: l.judge(v)}
	if res.Status != StatusPass {
		res.Breaches = 1
	}
	res.Message = describe(name, v, l, res.Status)
	return res
}

// judgeGroups judges each group. A group without baseline cost has no
// percentage increase; the USD threshold still judges it.
func judgeGroups(name string, l Level, groups []GroupChange) ThresholdResult {
	res := ThresholdResult{Status: StatusPass}
	worst := math.Inf(-1)
	for i := range groups {
		g := &groups[i]
		v := g.ChangeUSD
		if name == GroupIncreasePct {
			if g.ChangePct == nil {
				continue
			}
			v = *g.ChangePct
		}
		status := l.judge(v)
		if status != StatusPass {
			res.Breaches++
		}
		res.Status = worse(res.Status, status)
		if v > worst {
			worst, res.Group = v, g.Key
		}
	}
	if res.Group == nil {
		res.Message = "no group to judge"
		return res
	}
	res.Value = &worst
	res.Message = fmt.Sprintf("%d of %d groups over a level; worst: %s", res.Breaches, len(groups), describe(name, worst, l, worse(StatusPass, l.judge(worst))))
	return res
}

func describe(name string, v float64, l Level, status string) string {
	text := formatValue(name, v)
	switch status {
	case StatusFail:
		return fmt.Sprintf("%s is above the fail level %s", text, formatValue(name, *l.Fail))
	case StatusWarn:
		return fmt.Sprintf("%s is above the warn level %s", text, formatValue(name, *l.Warn))
	}
	return fmt.Sprintf("%s is within the levels", text)
}

func formatValue(name string, v float64) string {
	switch name {
	case IncreasePct, GroupIncreasePct:
		return fmt.Sprintf("%+.2f%%", v)
	case UnpricedRequests:
		return fmt.Sprintf("%.0f unpriced requests", v)
	case CostPerRequestUSD:
		return fmt.Sprintf("$%.6f per request", v)
	}
	return fmt.Sprintf("%+.6f USD", v)
}
