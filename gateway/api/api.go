// Package api carries the gateway's OpenAPI description, served at
// /openapi.yaml and used by the tests to validate real answers.
package api

import _ "embed"

// Spec is the OpenAPI 3.1 description of every route of the gateway.
//
//go:embed openapi.yaml
var Spec []byte
