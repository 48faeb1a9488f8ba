package e2e

import (
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/openkyc/kyc/pkg/kyc"
)

type tokenInfo struct {
	Token       string   `json:"token"`
	TokenID     string   `json:"tokenId"`
	Permissions []string `json:"permissions"`
	Expires     string   `json:"expires"`
	Configured  bool     `json:"configured"`
}

// authorised reports whether tok passes authentication for a session
// status call: an unknown session is 404 to a valid token, 401 otherwise.
func authorised(t *testing.T, tok string) bool {
	t.Helper()
	a := svc.status(t, tok, map[string]string{"sessionId": "00000000-0000-1000-8000-000000000000"})
	switch a.code {
	case http.StatusNotFound:
		return true
	case http.StatusUnauthorized:
		return false
	}
	t.Fatalf("status: %d %s", a.code, a.body)
	return false
}

func TestPermanentTokens(t *testing.T) {
	// Create: the secret is answered once.
	var created tokenInfo
	wantOK(t, "create", svc.post(t, "/v1/token/create", tokenA, map[string]any{
		"name": "backend", "permissions": []string{"process", "sessions"},
		"expires": time.Now().Add(time.Hour).UTC().Format("2006-01-02T15:04:05.000Z")}), &created)
	if created.Token == "" || created.TokenID == "" || created.Token == created.TokenID || created.Expires == "" {
		t.Fatalf("created %+v", created)
	}
	if !authorised(t, created.Token) {
		t.Fatal("a new token is refused")
	}
	// The token in the body works too.
	wantError(t, "token in body", svc.post(t, "/v1/kyc/session/status", "", map[string]string{
		"token": created.Token, "sessionId": "00000000-0000-1000-8000-000000000000"}), 404, kyc.MsgNotFound)

	// List: ids and permissions, no secrets; the configured token first.
	var list struct{ Tokens []tokenInfo }
	wantOK(t, "list", svc.post(t, "/v1/tokens", tokenA, map[string]any{}), &list)
	i := slices.IndexFunc(list.Tokens, func(ti tokenInfo) bool { return ti.TokenID == created.TokenID })
	if i < 0 || list.Tokens[i].Token != "" || !list.Tokens[0].Configured {
		t.Fatalf("list %+v", list.Tokens)
	}
	// Its permissions do not include tokens: it cannot list.
	wantError(t, "list without permission", svc.post(t, "/v1/tokens", created.Token, map[string]any{}), 401, kyc.MsgAccessDenied)
	// Nor grant what it lacks.
	wantError(t, "escalation", svc.post(t, "/v1/token/create", created.Token, map[string]any{"permissions": []string{"tokens"}}), 401, kyc.MsgAccessDenied)
	wantError(t, "unknown permission", svc.post(t, "/v1/token/create", tokenA, map[string]any{"permissions": []string{"root"}}),
		400, kyc.MsgInvalidRequest+": permissions must be among process, sessions, tokens, schemas")

	// Update: without sessions it can no longer filter.
	wantOK(t, "filter before", svc.post(t, "/v1/kyc/sessions/filter", created.Token, map[string]any{}), nil)
	var updated tokenInfo
	wantOK(t, "update", svc.post(t, "/v1/token/update", tokenA, map[string]any{"token_id": created.TokenID, "permissions": []string{"process"}}), &updated)
	if !slices.Equal(updated.Permissions, []string{"process"}) || updated.Expires != "" {
		t.Fatalf("updated %+v", updated)
	}
	wantError(t, "filter after update", svc.post(t, "/v1/kyc/sessions/filter", created.Token, map[string]any{}), 401, kyc.MsgAccessDenied)

	// Another account cannot see, change or delete it: 404, not 403.
	wantError(t, "update by B", svc.post(t, "/v1/token/update", tokenB, map[string]any{"token_id": created.TokenID}), 404, kyc.MsgNotFound)
	wantError(t, "delete by B", svc.post(t, "/v1/token/delete", tokenB, map[string]any{"token_id": created.TokenID}), 404, kyc.MsgNotFound)
	var listB struct{ Tokens []tokenInfo }
	wantOK(t, "list B", svc.post(t, "/v1/tokens", tokenB, map[string]any{}), &listB)
	if slices.ContainsFunc(listB.Tokens, func(ti tokenInfo) bool { return ti.TokenID == created.TokenID }) {
		t.Fatal("account B lists A's token")
	}

	// Delete: refused at once.
	wantOK(t, "delete", svc.post(t, "/v1/token/delete", tokenA, map[string]any{"token_id": created.TokenID}), nil)
	if authorised(t, created.Token) {
		t.Fatal("a deleted token still works")
	}
	wantError(t, "delete again", svc.post(t, "/v1/token/delete", tokenA, map[string]any{"token_id": created.TokenID}), 404, kyc.MsgNotFound)
}

func TestTokenExpiry(t *testing.T) {
	var created tokenInfo
	wantOK(t, "create", svc.post(t, "/v1/token/create", tokenA, map[string]any{
		"expires": time.Now().Add(1500 * time.Millisecond).UTC().Format("2006-01-02T15:04:05.000Z")}), &created)
	if !authorised(t, created.Token) {
		t.Fatal("refused before its expiry")
	}
	time.Sleep(2 * time.Second)
	if authorised(t, created.Token) {
		t.Fatal("accepted after its expiry")
	}
	wantError(t, "expiry in the past", svc.post(t, "/v1/token/create", tokenA, map[string]any{"expires": "2020-01-01T00:00:00.000Z"}),
		400, kyc.MsgInvalidRequest+": expires must be in the future")
}

func TestOperatorLogin(t *testing.T) {
	var jwt struct{ Token, Expires string }
	wantOK(t, "login", svc.post(t, "/v1/user/login", "", map[string]any{"email": ownerA, "password": passwordA, "valid_days": 2}), &jwt)
	exp, err := time.Parse(time.RFC3339, jwt.Expires)
	if err != nil || exp.Before(time.Now().Add(47*time.Hour)) || exp.After(time.Now().Add(49*time.Hour)) {
		t.Fatalf("expires %q", jwt.Expires)
	}
	// The management calls take it, for the operator's account.
	var created tokenInfo
	wantOK(t, "create with operator token", svc.post(t, "/v1/token/create", jwt.Token, map[string]any{"permissions": []string{"process"}}), &created)
	if !authorised(t, created.Token) {
		t.Fatal("token created by the operator refused")
	}
	var list struct{ Tokens []tokenInfo }
	wantOK(t, "list", svc.post(t, "/v1/tokens", jwt.Token, map[string]any{}), &list)
	if !slices.ContainsFunc(list.Tokens, func(ti tokenInfo) bool { return ti.TokenID == created.TokenID }) {
		t.Fatal("operator's list misses the account's token")
	}
	// The widget's calls do not (another audience).
	wantError(t, "operator token on status", svc.status(t, jwt.Token, map[string]string{"sessionId": "x"}), 401, kyc.MsgAccessDenied)
	wantError(t, "operator token on process", svc.process(t, processReq{headers: bearer(jwt.Token),
		files: []file{{name: "a.jpg", data: syntheticJPEG(t, 400, 300)}}}), 401, kyc.MsgAccessDenied)

	wantError(t, "wrong password", svc.post(t, "/v1/user/login", "", map[string]any{"email": ownerA, "password": "nope"}), 401, kyc.MsgAccessDenied)
	wantError(t, "unknown user", svc.post(t, "/v1/user/login", "", map[string]any{"email": "who@x.test", "password": passwordA}), 401, kyc.MsgAccessDenied)
	wantError(t, "valid_days", svc.post(t, "/v1/user/login", "", map[string]any{"email": ownerA, "password": passwordA, "valid_days": 90}),
		400, kyc.MsgInvalidRequest+": valid_days must be between 1 and 30")
}
