package pipeline

import (
	"testing"

	"github.com/openkyc/kyc/pkg/kyc"
)

func TestResultStatus(t *testing.T) {
	check := func(statuses ...kyc.Status) []kyc.Check {
		c := kyc.Check{Caption: "x"}
		for _, s := range statuses {
			c.Items = append(c.Items, kyc.CheckItem{Caption: "i", Status: s})
		}
		return []kyc.Check{c}
	}
	tests := []struct {
		name string
		r    kyc.Result
		want kyc.Status
	}{
		{"clean", kyc.Result{Checks: check(kyc.StatusSuccess)}, kyc.StatusSuccess},
		{"no checks", kyc.Result{}, kyc.StatusSuccess},
		{"expired document only", kyc.Result{Checks: check(kyc.StatusSuccess, kyc.StatusExpired)}, kyc.StatusSuccess},
		{"failed item", kyc.Result{Checks: check(kyc.StatusSuccess, kyc.StatusFailed)}, kyc.StatusSuspicious},
		{"errors win", kyc.Result{Errors: []string{kyc.ErrLowLight}, Checks: check(kyc.StatusFailed)}, kyc.StatusFailed},
	}
	for _, tt := range tests {
		if got := resultStatus(tt.r); got != tt.want {
			t.Errorf("%s: resultStatus = %s, want %s", tt.name, got, tt.want)
		}
	}
}
