package sessions

import (
	"time"

	"github.com/openkyc/kyc/pkg/kyc"
)

// PresentedResults returns the session's results with every image reference
// replaced by url of it, and nil lists made empty, as the API shows them.
func (s *Session) PresentedResults(url func(string) string) []kyc.Result {
	rs := s.Results()
	for i := range rs {
		rs[i].MapImages(url)
		if rs[i].Errors == nil {
			rs[i].Errors = []string{}
		}
		if rs[i].Checks == nil {
			rs[i].Checks = []kyc.Check{}
		}
	}
	return rs
}

// StatusView is the session as /v1/kyc/session/status answers it (and as
// callbacks carry it), at now, with image references turned into URLs by
// url.
func (s *Session) StatusView(now time.Time, url func(string) string) kyc.SessionStatus {
	errs := s.Errors
	if errs == nil {
		errs = []string{}
	}
	return kyc.SessionStatus{
		Status:        s.Status,
		SessionID:     s.ID,
		Errors:        errs,
		SchemaID:      s.SchemaID,
		ClientID:      s.ClientID,
		Spent:         kyc.SecondsOf(s.Spent(now)),
		CreatedAt:     kyc.Timestamp(s.CreatedAt),
		IsClientNew:   s.IsClientNew,
		ClientKey:     s.ClientKey,
		SecondsToLive: max(int64(s.TTL/time.Second), 0),
		ResponseTime:  kyc.SecondsOf(s.ResponseTime(now)),
		Results:       s.PresentedResults(url),
		Callbacks:     s.Callbacks,
	}
}

// Summary is the session as a page of /v1/kyc/sessions/filter lists it.
func (s *Session) Summary() kyc.SessionSummary {
	errs := s.Errors
	if errs == nil {
		errs = []string{}
	}
	return kyc.SessionSummary{SessionID: s.ID, Status: s.Status, SchemaID: s.SchemaID, ClientID: s.ClientID,
		ClientKey: s.ClientKey, CreatedAt: kyc.Timestamp(s.CreatedAt), Errors: errs}
}
