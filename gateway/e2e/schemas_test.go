package e2e

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/openkyc/kyc/pkg/kyc"
)

func saveSchema(t *testing.T, tok string, sch map[string]any) {
	t.Helper()
	wantOK(t, "save schema", svc.post(t, "/v1/schema/save", tok, map[string]any{"schema": sch}), nil)
}

func TestSchemas(t *testing.T) {
	saveSchema(t, tokenA, map[string]any{"id": "a-only", "steps": []string{"document", "selfie"},
		"callbackUrl": "https://example.test/hook", "callbackSecret": "0123456789abcdef0123"})
	var list struct {
		Schemas []map[string]any
	}
	wantOK(t, "list", svc.post(t, "/v1/schemas", tokenA, map[string]any{}), &list)
	i := slices.IndexFunc(list.Schemas, func(s map[string]any) bool { return s["id"] == "a-only" })
	if i < 0 || !slices.ContainsFunc(list.Schemas, func(s map[string]any) bool { return s["id"] == "default" }) {
		t.Fatalf("list %v", list.Schemas)
	}
	if _, shown := list.Schemas[i]["callbackSecret"]; shown {
		t.Fatal("the callback secret is listed")
	}
	// Another account has only the default schema: a-only is invalid there.
	wantOK(t, "list B", svc.post(t, "/v1/schemas", tokenB, map[string]any{}), &list)
	if slices.ContainsFunc(list.Schemas, func(s map[string]any) bool { return s["id"] == "a-only" }) {
		t.Fatal("account B sees A's schema")
	}
	img := []file{{name: "a.jpg", data: syntheticJPEG(t, 400, 300)}}
	wantError(t, "B uses A's schema", svc.process(t, processReq{headers: bearer(tokenB), fields: map[string]string{"schemaId": "a-only"}, files: img}),
		400, kyc.MsgInvalidSchema)
	wantError(t, "B deletes A's schema", svc.post(t, "/v1/schema/delete", tokenB, map[string]any{"schemaId": "a-only"}), 404, kyc.MsgNotFound)
	wantError(t, "invalid schema", svc.post(t, "/v1/schema/save", tokenA, map[string]any{"schema": map[string]any{"id": "x", "steps": []string{"dance"}}}),
		400, kyc.MsgInvalidRequest+`: schema x: unknown step "dance"`)

	// A selfie alone does not satisfy document + selfie: the session fails.
	a := svc.process(t, processReq{headers: bearer(tokenA), fields: map[string]string{"schemaId": "a-only"},
		files: []file{{name: "selfie.jpg", data: selfieJPEG(t)}}})
	var r kyc.ProcessResponse
	wantOK(t, "process", a, &r)
	var st kyc.SessionStatus
	wantOK(t, "status", svc.status(t, tokenA, map[string]string{"sessionId": r.SessionID}), &st)
	if st.Status != kyc.StatusFailed || !slices.Contains(st.Errors, "[general] schema steps not satisfied: document") || st.SchemaID != "a-only" {
		t.Fatalf("session %s %v", st.Status, st.Errors)
	}
	if len(st.Results) != 1 || st.Results[0].Type != kyc.TypeSelfie || st.Results[0].Status != kyc.StatusSuccess {
		t.Fatalf("the selfie itself: %+v", st.Results)
	}
	wantOK(t, "delete", svc.post(t, "/v1/schema/delete", tokenA, map[string]any{"schemaId": "a-only"}), nil)
	wantError(t, "deleted schema", svc.process(t, processReq{headers: bearer(tokenA), fields: map[string]string{"schemaId": "a-only"}, files: img}),
		400, kyc.MsgInvalidSchema)
}

func TestCaptcha(t *testing.T) {
	saveSchema(t, tokenA, map[string]any{"id": "captcha-after-1", "maxFailedAttempts": 1})
	key := "captcha-" + time.Now().Format("150405.000")
	tooSmall := []file{{name: "a.jpg", data: syntheticJPEG(t, 100, 100)}}
	fields := func(extra ...string) map[string]string {
		f := map[string]string{"schemaId": "captcha-after-1", "clientKey": key}
		for i := 0; i+1 < len(extra); i += 2 {
			f[extra[i]] = extra[i+1]
		}
		return f
	}
	// The first failure is free.
	var r kyc.ProcessResponse
	wantOK(t, "first attempt", svc.process(t, processReq{headers: bearer(tokenA), fields: fields(), files: tooSmall}), &r)
	if r.Status != kyc.StatusFailed {
		t.Fatalf("first attempt %s", r.Status)
	}
	// Then the captcha is demanded.
	wantError(t, "no captcha", svc.process(t, processReq{headers: bearer(tokenA), fields: fields(), files: tooSmall}), 400, kyc.MsgCaptchaRequired)
	// Another client of the account is not affected.
	wantOK(t, "other client", svc.process(t, processReq{headers: bearer(tokenA), fields: map[string]string{"schemaId": "captcha-after-1", "clientKey": key + "-2"},
		files: []file{{name: "a.jpg", data: syntheticJPEG(t, 400, 300)}}}), nil)

	challenge := func() (string, string) {
		var c struct{ ID, Image string }
		wantOK(t, "captcha", svc.getJSON(t, "/v1/captcha", tokenA), &c)
		if c.ID == "" || !strings.HasPrefix(c.Image, "data:image/png;base64,") {
			t.Fatalf("challenge %+v", c)
		}
		return c.ID, svc.captchaAnswer(t, c.ID)
	}
	id, answer := challenge()
	wrong := "000000"
	if answer == wrong {
		wrong = "111111"
	}
	wantError(t, "wrong answer", svc.process(t, processReq{headers: bearer(tokenA), fields: fields("captcha", id+":"+wrong), files: tooSmall}), 400, kyc.MsgCaptchaInvalid)
	// A challenge tried once is used up, even with the right answer now.
	wantError(t, "after a wrong answer", svc.process(t, processReq{headers: bearer(tokenA), fields: fields("captcha", id+":"+answer), files: tooSmall}), 400, kyc.MsgCaptchaInvalid)

	id, answer = challenge()
	good := []file{{name: "a.jpg", data: syntheticJPEG(t, 400, 300)}}
	wantOK(t, "right answer", svc.process(t, processReq{headers: bearer(tokenA), fields: fields("captcha", id+":"+answer), files: good}), &r)
	wantError(t, "reused answer", svc.process(t, processReq{headers: bearer(tokenA), fields: fields("captcha", id+":"+answer), files: good}), 400, kyc.MsgCaptchaInvalid)
	// Account B cannot answer A's challenges.
	saveSchema(t, tokenB, map[string]any{"id": "captcha-always", "captcha": "always"})
	wantError(t, "B without captcha", svc.process(t, processReq{headers: bearer(tokenB),
		fields: map[string]string{"schemaId": "captcha-always"}, files: good}), 400, kyc.MsgCaptchaRequired)
	id, answer = challenge()
	wantError(t, "B answers A's challenge", svc.process(t, processReq{headers: bearer(tokenB),
		fields: map[string]string{"schemaId": "captcha-always", "captcha": id + ":" + answer}, files: good}), 400, kyc.MsgCaptchaInvalid)
}

// hookServer is a callback receiver on loopback that fails its first
// delivery with 500.
type hookServer struct {
	*httptest.Server
	mu    sync.Mutex
	calls []hookCall
}

type hookCall struct {
	sig, session string
	body         []byte
}

func newHookServer(t *testing.T) *hookServer {
	h := &hookServer{}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		h.mu.Lock()
		h.calls = append(h.calls, hookCall{sig: r.Header.Get("X-KYC-Signature"), session: r.Header.Get("X-KYC-Session"), body: b})
		n := len(h.calls)
		h.mu.Unlock()
		if n == 1 {
			http.Error(w, "not now", http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(h.Close)
	return h
}

func (h *hookServer) snapshot() []hookCall {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.calls)
}

func TestCallback(t *testing.T) {
	const secret = "a-callback-secret-for-tests"
	hook := newHookServer(t)
	saveSchema(t, tokenA, map[string]any{"id": "with-callback", "callbackUrl": hook.URL + "/kyc", "callbackSecret": secret})

	var r kyc.ProcessResponse
	wantOK(t, "process", svc.process(t, processReq{headers: bearer(tokenA), fields: map[string]string{"schemaId": "with-callback", "mode": "async"},
		files: []file{{name: "a.jpg", data: selfieJPEG(t)}}}), &r)

	deadline := time.Now().Add(60 * time.Second)
	for len(hook.snapshot()) < 2 && time.Now().Before(deadline) {
		time.Sleep(200 * time.Millisecond)
	}
	calls := hook.snapshot()
	if len(calls) != 2 {
		t.Fatalf("%d deliveries, want 2 (a failed one, then a retry)", len(calls))
	}
	for i, c := range calls {
		mac := hmac.New(sha256.New, []byte(secret))
		mac.Write(c.body)
		if want := "sha256=" + hex.EncodeToString(mac.Sum(nil)); !hmac.Equal([]byte(c.sig), []byte(want)) {
			t.Errorf("delivery %d: signature %q, want %q", i+1, c.sig, want)
		}
		var st kyc.SessionStatus
		mustJSON(t, c.body, &st)
		if c.session != r.SessionID || st.SessionID != r.SessionID || st.Status != kyc.StatusSuccess || len(st.Results) != 1 {
			t.Errorf("delivery %d: session %s %s, %d results", i+1, st.SessionID, st.Status, len(st.Results))
		}
	}
	// The attempts are in the session: 500, then 204.
	var st kyc.SessionStatus
	for time.Now().Before(deadline) {
		wantOK(t, "status", svc.status(t, tokenA, map[string]string{"sessionId": r.SessionID}), &st)
		if len(st.Callbacks) >= 2 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if len(st.Callbacks) != 2 || st.Callbacks[0].Code != 500 || st.Callbacks[0].Error == "" || st.Callbacks[1].Code != 204 || st.Callbacks[1].Attempt != 2 {
		t.Fatalf("callbacks %+v", st.Callbacks)
	}
	// A sync session of the same schema gets none: callbacks are for async ones.
	wantOK(t, "sync", svc.process(t, processReq{headers: bearer(tokenA), fields: map[string]string{"schemaId": "with-callback"},
		files: []file{{name: "a.jpg", data: syntheticJPEG(t, 400, 300)}}}), nil)
	time.Sleep(time.Second)
	if n := len(hook.snapshot()); n != 2 {
		t.Errorf("%d deliveries after a sync session, want still 2", n)
	}
}

func TestRateLimit(t *testing.T) {
	t.Parallel()
	s, err := startStack(bins, "KYC_RATE_LIMIT=3", "KYC_RATE_WINDOW=1m", "KYC_STAGES=none")
	if err != nil {
		t.Fatal(err)
	}
	defer s.stop()
	for i := 1; i <= 3; i++ {
		wantError(t, "within the limit", s.status(t, tokenA, map[string]string{"sessionId": "x"}), 404, kyc.MsgNotFound)
	}
	req, _ := http.NewRequest(http.MethodPost, s.base+"/v1/kyc/session/status", strings.NewReader(`{"sessionId":"x"}`))
	req.Header.Set("token", tokenA)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("past the limit: %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	a := s.status(t, tokenA, map[string]string{"sessionId": "x"})
	wantError(t, "past the limit", a, 429, kyc.MsgTooManyRequests)
	wantError(t, "process past the limit", s.process(t, processReq{headers: bearer(tokenA), files: []file{{name: "a.jpg", data: syntheticJPEG(t, 400, 300)}}}),
		429, kyc.MsgTooManyRequests)
	// Another token has its own window.
	wantError(t, "other token", s.status(t, tokenB, map[string]string{"sessionId": "x"}), 404, kyc.MsgNotFound)
}
