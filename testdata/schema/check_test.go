package schema

import (
	"strings"
	"testing"
)

const validCheck = `{
  "kind": "check", "schema_version": 1, "generated_by": "costctl test", "status": "fail",
  "basis": "total", "by": ["endpoint"],
  "baseline": {"files": ["base.json"], "kind": "report", "window": {"since": null, "until": null, "tz": "UTC"},
    "days": null, "cost_usd": 5, "requests": 20, "unpriced_requests": 0, "unknown_cost_requests": 0},
  "current": {"files": ["cur.json"], "kind": "report", "window": {"since": null, "until": null, "tz": "UTC"},
    "days": null, "cost_usd": 5.5, "requests": 22, "unpriced_requests": 0, "unknown_cost_requests": 0},
  "baseline_cost_usd": 5, "current_cost_usd": 5.5, "change_usd": 0.5, "change_pct": 10,
  "baseline_requests": 20, "current_requests": 22,
  "baseline_cost_per_request_usd": 0.25, "current_cost_per_request_usd": 0.25,
  "effects": {"volume_usd": 0.5, "mix_usd": 0, "price_usd": 0, "tokens_usd": 0},
  "thresholds": [{"name": "increase_pct", "warn": null, "fail": 5, "value": 10, "breaches": 1, "status": "fail", "message": "+10.00% is above the fail level +5.00%"}],
  "groups": [{"key": {"endpoint": "a"}, "baseline_requests": 20, "current_requests": 22, "baseline_cost_usd": 5,
    "current_cost_usd": 5.5, "change_usd": 0.5, "change_pct": 10,
    "effects": {"volume_usd": 0.5, "mix_usd": 0, "price_usd": 0, "tokens_usd": 0}}],
  "cells": [], "warnings": []
}`

func TestValidateCheck(t *testing.T) {
	cases := []struct {
		name, doc, want string
	}{
		{"valid", validCheck, ""},
		{"wrong kind", strings.Replace(validCheck, `"kind": "check"`, `"kind": "report"`, 1), "check.schema.json"},
		{"unknown status", strings.Replace(validCheck, `"status": "fail",`, `"status": "red",`, 1), "check.schema.json"},
		// 0.5 + 0.1 ≠ 0.5: the total's effects are 0.1 off.
		{"effects off", strings.Replace(validCheck, `"volume_usd": 0.5, "mix_usd": 0,`, `"volume_usd": 0.5, "mix_usd": 0.1,`, 1), "USD off change_usd"},
		{"group effects off", strings.Replace(validCheck, `"current_cost_usd": 5.5, "change_usd": 0.5, "change_pct": 10,
    "effects"`, `"current_cost_usd": 5.5, "change_usd": 0.7, "change_pct": 10,
    "effects"`, 1), "groups[0]"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := ValidateCheck([]byte(tc.doc))
			if tc.want == "" {
				if err != nil {
					t.Fatalf("valid document rejected: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want one containing %q", err, tc.want)
			}
		})
	}
}
