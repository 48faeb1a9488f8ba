package server

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/openkyc/kyc/gateway/internal/auth"
	"github.com/openkyc/kyc/pkg/accounts"
	"github.com/openkyc/kyc/pkg/kyc"
	"github.com/openkyc/kyc/pkg/sessions"
	"github.com/openkyc/kyc/pkg/storage"
)

// filterRequest is the body of POST /v1/kyc/sessions/filter.
type filterRequest struct {
	Token    string `json:"token"`
	Page     int    `json:"page"`
	PageSize int    `json:"pageSize"`
	Filters  struct {
		Range struct {
			Start     *kyc.Timestamp `json:"start"`
			End       *kyc.Timestamp `json:"end"`
			SortOrder string         `json:"sortOrder"`
		} `json:"range"`
		Status    kyc.Status `json:"status"`
		ClientKey string     `json:"clientKey"`
	} `json:"filters"`
}

// filterAnswer is one page of sessions.
type filterAnswer struct {
	Status   string               `json:"status"`
	Page     int                  `json:"page"`
	PageSize int                  `json:"pageSize"`
	Total    int                  `json:"total"`
	Sessions []kyc.SessionSummary `json:"sessions"`
}

// maxPageSize bounds a page of sessions.
const maxPageSize = 100

// filterSessions implements POST /v1/kyc/sessions/filter: the account's
// sessions created in a range, of a status and a clientKey, a page at a
// time, newest first unless sortOrder is "asc".
func (s *Server) filterSessions(c echo.Context) error {
	var req filterRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	pr, err := s.authorize(c, req.Token, accounts.PermSessions, auth.AudienceOperator)
	if err != nil {
		return err
	}
	f := sessions.Filter{Page: req.Page, PageSize: req.PageSize, Status: req.Filters.Status, ClientKey: req.Filters.ClientKey}
	if f.Page == 0 {
		f.Page = 1
	}
	if f.PageSize == 0 {
		f.PageSize = 20
	}
	if f.Page < 1 || f.PageSize < 1 || f.PageSize > maxPageSize {
		return invalid("page must be at least 1 and pageSize between 1 and 100")
	}
	switch strings.ToLower(req.Filters.Range.SortOrder) {
	case "", "desc":
	case "asc":
		f.Ascending = true
	default:
		return invalid("sortOrder must be asc or desc")
	}
	if f.Status != "" && !validStatus(f.Status) {
		return invalid("unknown status")
	}
	if r := req.Filters.Range; r.Start != nil {
		f.Start = r.Start.Time()
	}
	if r := req.Filters.Range; r.End != nil {
		f.End = r.End.Time()
	}
	list, total, err := s.deps.Sessions.Filter(c.Request().Context(), pr.Account, f)
	if err != nil {
		return unavailable(err)
	}
	out := filterAnswer{Status: "success", Page: f.Page, PageSize: f.PageSize, Total: total, Sessions: []kyc.SessionSummary{}}
	for _, sess := range list {
		out.Sessions = append(out.Sessions, sess.Summary())
	}
	return c.JSON(http.StatusOK, out)
}

func validStatus(st kyc.Status) bool {
	return st.Final() || st == kyc.StatusIdle || st == kyc.StatusProcessing
}

// deleteRequest is the body of POST /v1/kyc/session/delete.
type deleteRequest struct {
	Token     string `json:"token"`
	SessionID string `json:"sessionId"`
}

// deleteSession implements POST /v1/kyc/session/delete: the session's
// records go from Redis first (so that a task still queued for it is
// dropped), then every object of its images from the object store.
func (s *Server) deleteSession(c echo.Context) error {
	var req deleteRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	pr, err := s.authorize(c, req.Token, accounts.PermSessions, auth.AudienceOperator)
	if err != nil {
		return err
	}
	if req.SessionID == "" {
		return invalid("sessionId is required")
	}
	ctx := c.Request().Context()
	images, err := s.deps.Sessions.Delete(ctx, pr.Account, req.SessionID)
	if errors.Is(err, sessions.ErrNotFound) {
		return errNotFound
	}
	if err != nil && images == nil {
		return unavailable(err)
	}
	var failed error
	for _, id := range images {
		if derr := s.deps.Storage.DeletePrefix(context.WithoutCancel(ctx), storage.ImagePrefix(id)); derr != nil {
			failed = errors.Join(failed, derr)
		}
	}
	if err = errors.Join(err, failed); err != nil {
		return unavailable(err)
	}
	return c.JSON(http.StatusOK, succeeded())
}
