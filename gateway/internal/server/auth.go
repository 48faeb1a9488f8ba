package server

import (
	"crypto/sha256"
	"net/http"
	"strings"
)

// headerToken returns the token of the `token` header or of
// `Authorization: Bearer`, or "" when the request carries neither.
func headerToken(r *http.Request) string {
	if t := strings.TrimSpace(r.Header.Get("token")); t != "" {
		return t
	}
	auth := r.Header.Get("Authorization")
	if scheme, tok, ok := strings.Cut(auth, " "); ok && strings.EqualFold(scheme, "Bearer") {
		return strings.TrimSpace(tok)
	}
	return ""
}

// account returns the account a token belongs to. Tokens are compared by
// their SHA-256, so the raw tokens are not kept in memory as map keys.
func (s *Server) account(token string) (string, bool) {
	if token == "" {
		return "", false
	}
	acct, ok := s.tokens[sha256.Sum256([]byte(token))]
	return acct, ok
}
