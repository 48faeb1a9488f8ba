package server

import (
	"encoding/json"
	"errors"
	"io"

	"github.com/labstack/echo/v4"
)

// decodeJSON reads the request's JSON body into v; an empty body leaves v
// as it is.
func decodeJSON(c echo.Context, v any) error {
	dec := json.NewDecoder(c.Request().Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if bodyExceeded(c) {
			return errBodyTooLarge
		}
		if !errors.Is(err, io.EOF) {
			return invalid("malformed JSON body: " + err.Error())
		}
	}
	return nil
}

// success is the answer of management calls that return nothing else.
type success struct {
	Status string `json:"status"`
}

func succeeded() success { return success{Status: "success"} }
