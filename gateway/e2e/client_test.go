package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/openkyc/kyc/gateway/api"
	"github.com/openkyc/kyc/pkg/kyc"
	"github.com/openkyc/kyc/pkg/storage"
	"github.com/openkyc/kyc/pkg/testenv"
)

// file is one multipart file part.
type file struct {
	field, name string
	data        []byte
}

// processReq is a /v1/kyc/process request.
type processReq struct {
	headers map[string]string
	fields  map[string]string
	files   []file
}

// answer is a decoded HTTP answer.
type answer struct {
	code int
	body []byte
}

func (a answer) errorBody(t *testing.T) kyc.ErrorBody {
	t.Helper()
	var e kyc.ErrorBody
	if err := json.Unmarshal(a.body, &e); err != nil {
		t.Fatalf("error body %q: %v", a.body, err)
	}
	return e
}

func multipartBody(t testing.TB, r processReq) (*bytes.Buffer, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range r.fields {
		if err := mw.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range r.files {
		field := f.field
		if field == "" {
			field = "images"
		}
		w, err := mw.CreateFormFile(field, f.name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(f.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return &buf, mw.FormDataContentType()
}

// do sends req and validates the answer against the OpenAPI description.
func (s *stack) do(t testing.TB, req *http.Request) answer {
	t.Helper()
	reqBody := []byte{}
	if req.Body != nil && req.Header.Get("Content-Type") == "application/json" {
		reqBody, _ = io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(reqBody))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	req.Body = io.NopCloser(bytes.NewReader(reqBody))
	validateAnswer(t, req, resp, body)
	return answer{code: resp.StatusCode, body: body}
}

func (s *stack) process(t testing.TB, r processReq) answer {
	t.Helper()
	body, ctype := multipartBody(t, r)
	req, err := http.NewRequest(http.MethodPost, s.base+"/v1/kyc/process", body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", ctype)
	for k, v := range r.headers {
		req.Header.Set(k, v)
	}
	return s.do(t, req)
}

func (s *stack) status(t testing.TB, token string, body map[string]string) answer {
	t.Helper()
	return s.post(t, "/v1/kyc/session/status", token, body)
}

// pollFinal polls the session until it is final or the timeout passes.
func (s *stack) pollFinal(t testing.TB, token, id string, timeout time.Duration) kyc.SessionStatus {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		a := s.status(t, token, map[string]string{"sessionId": id})
		if a.code != http.StatusOK {
			t.Fatalf("status: %d %s", a.code, a.body)
		}
		var st kyc.SessionStatus
		mustJSON(t, a.body, &st)
		if st.Status.Final() {
			return st
		}
		if time.Now().After(deadline) {
			t.Fatalf("session %s still %s after %v", id, st.Status, timeout)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func mustJSON(t testing.TB, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("decode %q: %v", b, err)
	}
}

// newRouter loads and validates the gateway's OpenAPI description.
func newRouter() (routers.Router, error) {
	doc, err := openapi3.NewLoader().LoadFromData(api.Spec)
	if err != nil {
		return nil, fmt.Errorf("openapi.yaml: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("openapi.yaml is invalid: %w", err)
	}
	doc.Servers = nil // match any host
	return gorillamux.NewRouter(doc)
}

// validateAnswer checks an answer against the OpenAPI description: the
// status code must be documented and the body must fit its schema.
func validateAnswer(t testing.TB, req *http.Request, resp *http.Response, body []byte) {
	t.Helper()
	route, params, err := router.FindRoute(req)
	if err != nil {
		// Undocumented routes answer in the error shape, checked by the caller.
		return
	}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, ExcludeRequestBody: true}}
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in, Status: resp.StatusCode, Header: resp.Header,
		Body:    io.NopCloser(bytes.NewReader(body)),
		Options: &openapi3filter.Options{IncludeResponseStatus: true},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		t.Errorf("%s %s answered %d, not as documented: %v\nbody: %.500s", req.Method, req.URL.Path, resp.StatusCode, err, body)
	}
}

// sharedImage reads an image of the development set.
func sharedImage(t testing.TB, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testenv.SharedDir(t), "testdata", rel))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// syntheticJPEG is a colourful w x h JPEG made in memory.
func syntheticJPEG(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.NRGBA{uint8(x * 255 / w), uint8(y * 255 / h), uint8(128 + (x+y)%64), 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// objectCount is the number of image objects in the stack's bucket.
func objectCount(t testing.TB) int {
	t.Helper()
	st, err := storage.New(storage.Options{Endpoint: svc.minio.Addr, AccessKey: testenv.MinIOAccessKey,
		SecretKey: testenv.MinIOSecretKey, Bucket: "kyc", Region: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	keys, err := st.List(context.Background(), storage.ImagesRoot)
	if err != nil {
		t.Fatal(err)
	}
	return len(keys)
}

// selfieJPEG is a real photo of the development set (853x480, one face, no
// editing software in its metadata).
func selfieJPEG(t testing.TB) []byte {
	t.Helper()
	return sharedImage(t, "faces/face_recognition/obama/obama-480p.jpg")
}
