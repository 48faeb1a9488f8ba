package e2e

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/png"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/openkyc/kyc/pkg/kyc"
)

// pngBomb is a valid PNG header declaring w x h pixels, with a few bytes
// of data behind it: decoding it for real would need gigabytes.
func pngBomb(t testing.TB, w, h uint32) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, 1, 1))); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	binary.BigEndian.PutUint32(b[16:20], w)
	binary.BigEndian.PutUint32(b[20:24], h)
	binary.BigEndian.PutUint32(b[29:33], crc32.ChecksumIEEE(b[12:29]))
	return b
}

func TestBadInputs(t *testing.T) {
	good := syntheticJPEG(t, 400, 300)
	truncated := syntheticJPEG(t, 800, 600)
	truncated = truncated[:len(truncated)/2]
	tests := []struct {
		name string
		req  processReq
		code int
		msg  string // error message, for error answers
		// resultErr is the error the single image result must carry, for 200 answers.
		resultErr string
	}{
		{name: "no token", req: processReq{files: []file{{name: "a.jpg", data: good}}},
			code: 401, msg: kyc.MsgAccessDenied},
		{name: "bad token in header", req: processReq{headers: map[string]string{"token": "nope"}, files: []file{{name: "a.jpg", data: good}}},
			code: 401, msg: kyc.MsgAccessDenied},
		{name: "bad bearer", req: processReq{headers: bearer("nope"), files: []file{{name: "a.jpg", data: good}}},
			code: 401, msg: kyc.MsgAccessDenied},
		{name: "bad token in form", req: processReq{fields: map[string]string{"token": "nope"}, files: []file{{name: "a.jpg", data: good}}},
			code: 401, msg: kyc.MsgAccessDenied},
		{name: "unknown schema", req: processReq{headers: bearer(tokenA), fields: map[string]string{"schemaId": "schema-404"}, files: []file{{name: "a.jpg", data: good}}},
			code: 400, msg: kyc.MsgInvalidSchema},
		{name: "no images", req: processReq{headers: bearer(tokenA), fields: map[string]string{"mode": "sync"}},
			code: 400, msg: kyc.MsgInvalidSchema},
		{name: "bad mode", req: processReq{headers: bearer(tokenA), fields: map[string]string{"mode": "later"}, files: []file{{name: "a.jpg", data: good}}},
			code: 400, msg: kyc.MsgInvalidRequest + ": mode must be sync or async"},
		{name: "bad ocr", req: processReq{headers: bearer(tokenA), fields: map[string]string{"ocr": "maybe"}, files: []file{{name: "a.jpg", data: good}}},
			code: 400, msg: kyc.MsgInvalidRequest + ": ocr must be true or false"},
		{name: "clientKey too long", req: processReq{headers: bearer(tokenA), fields: map[string]string{"clientKey": strings.Repeat("k", 37)}, files: []file{{name: "a.jpg", data: good}}},
			code: 400, msg: kyc.MsgInvalidRequest + ": clientKey must be 1 to 36 printable characters"},
		{name: "unknown session", req: processReq{headers: bearer(tokenA), fields: map[string]string{"sessionId": "00000000-0000-0000-0000-000000000000"}, files: []file{{name: "a.jpg", data: good}}},
			code: 404, msg: kyc.MsgNotFound},
		{name: "png bomb", req: processReq{headers: bearer(tokenA), files: []file{{name: "bomb.png", data: pngBomb(t, 20000, 20000)}}},
			code: 413, msg: kyc.MsgTooManyPixels},
		{name: "file too large", req: processReq{headers: bearer(tokenA), files: []file{{name: "big.jpg", data: bytes.Repeat([]byte{0xff}, maxFile+1)}}},
			code: 413, msg: kyc.MsgFileTooLarge},
		{name: "body too large", req: processReq{headers: bearer(tokenA), files: []file{
			{name: "1.jpg", data: bytes.Repeat([]byte{1}, maxFile-1000)}, {name: "2.jpg", data: bytes.Repeat([]byte{2}, maxFile-1000)},
			{name: "3.jpg", data: bytes.Repeat([]byte{3}, maxFile-1000)}}},
			code: 413, msg: kyc.MsgBodyTooLarge},
		{name: "too many images", req: processReq{headers: bearer(tokenA), files: slices.Repeat([]file{{name: "a.jpg", data: good}}, maxImages+1)},
			code: 413, msg: kyc.MsgTooManyImages},
		{name: "text file named jpg", req: processReq{headers: bearer(tokenA), files: []file{{name: "notes.jpg", data: []byte("this is not a picture\n")}}},
			code: 200, resultErr: kyc.ErrBadImage},
		{name: "truncated jpeg", req: processReq{headers: bearer(tokenA), files: []file{{name: "half.jpg", data: truncated}}},
			code: 200, resultErr: kyc.ErrBadImage},
		{name: "neither document nor face", req: processReq{headers: bearer(tokenA), files: []file{{name: "gradient.jpg", data: good}}},
			code: 200, resultErr: kyc.ErrNotSelfie},
		{name: "under 300 px", req: processReq{headers: bearer(tokenA), files: []file{{name: "tiny.jpg", data: syntheticJPEG(t, 299, 200)}}},
			code: 200, resultErr: kyc.ErrTooSmallImage},
	}
	before := objectCount(t)
	var kept int // images the service accepted, each stored as original + maybe a copy
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := svc.process(t, tt.req)
			if a.code != tt.code {
				t.Fatalf("code %d, want %d: %s", a.code, tt.code, a.body)
			}
			if tt.code != http.StatusOK {
				if e := a.errorBody(t); e.Message != tt.msg || e.Status != "error" {
					t.Fatalf("body %+v, want message %q", e, tt.msg)
				}
				return
			}
			kept++
			var r kyc.ProcessResponse
			mustJSON(t, a.body, &r)
			if r.Status != kyc.StatusFailed || len(r.Results) != 1 {
				t.Fatalf("session %s with %d results, want failed with 1: %s", r.Status, len(r.Results), a.body)
			}
			res := r.Results[0]
			if res.Status != kyc.StatusFailed || !slices.Contains(res.Errors, tt.resultErr) || res.ImageFull == "" {
				t.Fatalf("result %+v, want failed with %q", res, tt.resultErr)
			}
		})
	}
	// Refused requests leave no object behind; accepted ones keep their originals.
	after := objectCount(t)
	if after-before < kept || after-before > 2*kept {
		t.Errorf("objects grew by %d for %d accepted images", after-before, kept)
	}
	// The service still serves.
	a := svc.process(t, processReq{headers: bearer(tokenA), files: []file{{name: "ok.jpg", data: selfieJPEG(t)}}})
	var r kyc.ProcessResponse
	mustJSON(t, a.body, &r)
	if a.code != http.StatusOK || r.Status != kyc.StatusSuccess {
		t.Fatalf("after bad inputs: %d %s", a.code, a.body)
	}
}

func TestOtherBadRequests(t *testing.T) {
	post := func(path, ctype, token, body string) answer {
		req, err := http.NewRequest(http.MethodPost, svc.base+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", ctype)
		if token != "" {
			req.Header.Set("token", token)
		}
		return svc.do(t, req)
	}
	tests := []struct {
		name      string
		got       func() answer
		code      int
		msgPrefix string
	}{
		{"process not multipart", func() answer { return post("/v1/kyc/process", "application/json", tokenA, `{}`) }, 400, kyc.MsgInvalidRequest},
		{"process malformed multipart", func() answer {
			return post("/v1/kyc/process", "multipart/form-data; boundary=xyz", tokenA, "--xyz\r\ngarbage")
		}, 400, kyc.MsgInvalidRequest},
		{"status no token", func() answer { return post("/v1/kyc/session/status", "application/json", "", `{"sessionId":"x"}`) }, 401, kyc.MsgAccessDenied},
		{"status token in body", func() answer {
			return post("/v1/kyc/session/status", "application/json", "", `{"sessionId":"00000000-0000-0000-0000-000000000000","token":"`+tokenA+`"}`)
		}, 404, kyc.MsgNotFound},
		{"status no id", func() answer { return post("/v1/kyc/session/status", "application/json", tokenA, `{}`) }, 400, kyc.MsgInvalidRequest},
		{"status malformed", func() answer { return post("/v1/kyc/session/status", "application/json", tokenA, `{"sessionId":`) }, 400, kyc.MsgInvalidRequest},
		{"status unknown client", func() answer {
			return post("/v1/kyc/session/status", "application/json", tokenA, `{"clientKey":"nobody"}`)
		}, 404, kyc.MsgNotFound},
		{"unknown route", func() answer { return post("/v1/nothing", "application/json", tokenA, `{}`) }, 404, kyc.MsgRouteNotFound},
		{"wrong method", func() answer {
			req, _ := http.NewRequest(http.MethodGet, svc.base+"/v1/kyc/process", nil)
			return svc.do(t, req)
		}, 405, kyc.MsgMethodNotAllowed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tt.got()
			if a.code != tt.code {
				t.Fatalf("code %d, want %d: %s", a.code, tt.code, a.body)
			}
			if e := a.errorBody(t); !strings.HasPrefix(e.Message, tt.msgPrefix) || e.Status != "error" {
				t.Fatalf("body %+v, want message %q", e, tt.msgPrefix)
			}
		})
	}
}
