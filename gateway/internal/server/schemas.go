package server

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/openkyc/kyc/pkg/accounts"
	"github.com/openkyc/kyc/pkg/schema"
)

// schemaRequest is the body of the schema management calls.
type schemaRequest struct {
	Token    string         `json:"token"`
	SchemaID string         `json:"schemaId"`
	Schema   *schema.Schema `json:"schema"`
}

// schemaList is the answer of POST /v1/schemas.
type schemaList struct {
	Status  string          `json:"status"`
	Schemas []schema.Schema `json:"schemas"`
}

// schemaAnswer is the answer of POST /v1/schema/save.
type schemaAnswer struct {
	Status string        `json:"status"`
	Schema schema.Schema `json:"schema"`
}

// listSchemas implements POST /v1/schemas: the seeded schemas and the
// account's own. Callback secrets are not shown.
func (s *Server) listSchemas(c echo.Context) error {
	var req schemaRequest
	pr, err := s.managementCall(c, &req, accounts.PermSchemas)
	if err != nil {
		return err
	}
	list, err := s.deps.Accounts.Schemas(c.Request().Context(), pr.Account)
	if err != nil {
		return unavailable(err)
	}
	for i := range list {
		list[i].CallbackSecret = ""
	}
	return c.JSON(http.StatusOK, schemaList{Status: "success", Schemas: list})
}

// saveSchema implements POST /v1/schema/save: creates or replaces one of
// the account's schemas (one of a seeded id overrides the seed for the
// account).
func (s *Server) saveSchema(c echo.Context) error {
	var req schemaRequest
	pr, err := s.managementCall(c, &req, accounts.PermSchemas)
	if err != nil {
		return err
	}
	if req.Schema == nil {
		return invalid("schema is required")
	}
	if err := req.Schema.Validate(); err != nil {
		return invalid(err.Error())
	}
	if err := s.deps.Accounts.PutSchema(c.Request().Context(), pr.Account, *req.Schema); err != nil {
		return unavailable(err)
	}
	out := *req.Schema
	out.CallbackSecret = ""
	return c.JSON(http.StatusOK, schemaAnswer{Status: "success", Schema: out})
}

// deleteSchema implements POST /v1/schema/delete: removes one of the
// account's own schemas.
func (s *Server) deleteSchema(c echo.Context) error {
	var req schemaRequest
	pr, err := s.managementCall(c, &req, accounts.PermSchemas)
	if err != nil {
		return err
	}
	err = s.deps.Accounts.DeleteSchema(c.Request().Context(), pr.Account, req.SchemaID)
	if errors.Is(err, accounts.ErrNotFound) {
		return errNotFound
	}
	if err != nil {
		return unavailable(err)
	}
	return c.JSON(http.StatusOK, succeeded())
}

// bodyToken is the token a management request may carry in its body.
func (r *schemaRequest) bodyToken() string { return r.Token }
