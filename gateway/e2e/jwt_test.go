package e2e

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/openkyc/kyc/pkg/kyc"
)

// mintTemporary mints a widget token from permanent token tok.
func mintTemporary(t *testing.T, tok string, body map[string]any) string {
	t.Helper()
	var jwt struct{ Token string }
	wantOK(t, "mint", svc.post(t, "/v1/token/temporary", tok, body), &jwt)
	if strings.Count(jwt.Token, ".") != 2 {
		t.Fatalf("not a JWT: %q", jwt.Token)
	}
	return jwt.Token
}

func seg(v any) string {
	b, _ := json.Marshal(v)
	return base64.RawURLEncoding.EncodeToString(b)
}

func TestTemporaryTokens(t *testing.T) {
	key := "widget-" + time.Now().Format("150405.000")
	jwt := mintTemporary(t, tokenA, map[string]any{"clientKey": key, "schemaId": "default", "expiresIn": 120})

	// The JWKS names the signing key; the JWT's header points at it.
	var jwks struct {
		Keys []map[string]any `json:"keys"`
	}
	wantOK(t, "jwks", svc.getJSON(t, "/.well-known/jwks.json", ""), &jwks)
	parts := strings.Split(jwt, ".")
	hb, _ := base64.RawURLEncoding.DecodeString(parts[0])
	var hdr map[string]string
	mustJSON(t, hb, &hdr)
	var pub map[string]any
	for _, k := range jwks.Keys {
		if k["kid"] == hdr["kid"] {
			pub = k
		}
		if _, private := k["d"]; private {
			t.Fatal("the JWKS publishes a private key")
		}
	}
	if hdr["alg"] != "ES256" || pub == nil {
		t.Fatalf("header %v, keys %v", hdr, jwks.Keys)
	}

	// It processes within its scope; the clientKey comes from the token.
	small := []file{{name: "a.jpg", data: syntheticJPEG(t, 400, 300)}}
	a := svc.process(t, processReq{headers: bearer(jwt), fields: map[string]string{"mode": "async"}, files: small})
	var r kyc.ProcessResponse
	wantOK(t, "process with JWT", a, &r)
	var st kyc.SessionStatus
	wantOK(t, "status with JWT", svc.status(t, jwt, map[string]string{"clientKey": key}), &st)
	if st.SessionID != r.SessionID || st.ClientKey != key {
		t.Fatalf("status %s/%s, want %s/%s", st.SessionID, st.ClientKey, r.SessionID, key)
	}
	// In the form's token field too.
	wantOK(t, "JWT in form", svc.process(t, processReq{fields: map[string]string{"token": jwt, "mode": "async"}, files: small}), nil)

	// A session of the account outside the token's scope is not there.
	other := svc.process(t, processReq{headers: bearer(tokenA), fields: map[string]string{"mode": "async", "clientKey": key + "-x"}, files: small})
	var ro kyc.ProcessResponse
	wantOK(t, "process other client", other, &ro)
	wantError(t, "other client's session", svc.status(t, jwt, map[string]string{"sessionId": ro.SessionID}), 404, kyc.MsgNotFound)

	hs256 := func(secret []byte) string {
		input := seg(map[string]string{"alg": "HS256", "typ": "JWT", "kid": hdr["kid"]}) + "." + parts[1]
		mac := hmac.New(sha256.New, secret)
		mac.Write([]byte(input))
		return input + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
	}
	pubJSON, _ := json.Marshal(pub)
	expired := mintTemporary(t, tokenA, map[string]any{"expiresIn": 1})
	operator := func() string {
		var j struct{ Token string }
		wantOK(t, "login", svc.post(t, "/v1/user/login", "", map[string]any{"email": ownerA, "password": passwordA}), &j)
		return j.Token
	}()
	time.Sleep(2500 * time.Millisecond) // past expired's exp and the 1 s leeway

	bad := []struct {
		name   string
		tok    string
		fields map[string]string
	}{
		{name: "alg none", tok: seg(map[string]string{"alg": "none", "typ": "JWT"}) + "." + parts[1] + "."},
		{name: "alg none with kid", tok: seg(map[string]string{"alg": "none", "kid": hdr["kid"]}) + "." + parts[1] + "."},
		{name: "HS256 signed with the public key", tok: hs256(pubJSON)},
		{name: "HS256 signed with the public x coordinate", tok: hs256([]byte(pub["x"].(string)))},
		{name: "expired", tok: expired},
		{name: "another audience (operator)", tok: operator},
		{name: "tampered payload", tok: parts[0] + "." + seg(map[string]any{"acct": "acct-b"}) + "." + parts[2]},
		{name: "another clientKey than its scope", tok: jwt, fields: map[string]string{"clientKey": key + "-other"}},
		{name: "another schema than its scope", tok: mintTemporary(t, tokenA, map[string]any{"schemaId": "default"}), fields: map[string]string{"schemaId": "schema-x"}},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			fields := map[string]string{"mode": "async"}
			for k, v := range tt.fields {
				fields[k] = v
			}
			wantError(t, "process", svc.process(t, processReq{headers: bearer(tt.tok), fields: fields, files: small}), 401, kyc.MsgAccessDenied)
			if tt.fields == nil {
				wantError(t, "status", svc.status(t, tt.tok, map[string]string{"sessionId": r.SessionID}), 401, kyc.MsgAccessDenied)
			}
		})
	}
	wantError(t, "status of another clientKey", svc.status(t, jwt, map[string]string{"clientKey": key + "-other"}), 401, kyc.MsgAccessDenied)

	// A temporary token manages nothing and mints nothing.
	wantError(t, "JWT on tokens", svc.post(t, "/v1/tokens", jwt, map[string]any{}), 401, kyc.MsgAccessDenied)
	wantError(t, "JWT on filter", svc.post(t, "/v1/kyc/sessions/filter", jwt, map[string]any{}), 401, kyc.MsgAccessDenied)
	wantError(t, "JWT minting", svc.post(t, "/v1/token/temporary", jwt, map[string]any{}), 401, kyc.MsgAccessDenied)
	wantError(t, "unknown schema", svc.post(t, "/v1/token/temporary", tokenA, map[string]any{"schemaId": "nope"}), 400, kyc.MsgInvalidSchema)

	// It dies with the permanent token it came from.
	var parent tokenInfo
	wantOK(t, "create parent", svc.post(t, "/v1/token/create", tokenA, map[string]any{"permissions": []string{"process"}}), &parent)
	child := mintTemporary(t, parent.Token, map[string]any{})
	if a := svc.status(t, child, map[string]string{"sessionId": r.SessionID}); a.code != http.StatusOK {
		t.Fatalf("child token: %d %s", a.code, a.body)
	}
	wantOK(t, "delete parent", svc.post(t, "/v1/token/delete", tokenA, map[string]any{"token_id": parent.TokenID}), nil)
	wantError(t, "child of a deleted token", svc.status(t, child, map[string]string{"sessionId": r.SessionID}), 401, kyc.MsgAccessDenied)
}
