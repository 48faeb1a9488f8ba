package e2e

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/openkyc/kyc/pkg/kyc"
)

func bearer(tok string) map[string]string { return map[string]string{"Authorization": "Bearer " + tok} }

// keys returns the top-level keys of a JSON object.
func keys(t testing.TB, b []byte) []string {
	t.Helper()
	var m map[string]json.RawMessage
	mustJSON(t, b, &m)
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// fetch GETs a URL of a result and returns its bytes.
func fetch(t testing.TB, url string) []byte {
	t.Helper()
	if url == "" {
		t.Fatal("empty image URL")
	}
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", url, resp.StatusCode, b)
	}
	return b
}

func TestSyncDocumentAndSelfie(t *testing.T) {
	doc := sharedImage(t, "doc_selfie_pairs/idenfy/TheresaMay.jpg")
	selfie := sharedImage(t, "doc_selfie_pairs/idenfy/TheresaMayFace.jpg")
	a := svc.process(t, processReq{
		headers: bearer(tokenA),
		fields:  map[string]string{"mode": "sync", "schemaId": "default", "ocr": "true"},
		files:   []file{{name: "passport.jpg", data: doc}, {name: "selfie.jpg", data: selfie}},
	})
	if a.code != http.StatusOK {
		t.Fatalf("process: %d %s", a.code, a.body)
	}
	// The seed's success example, field by field at the top level.
	want := []string{"clientId", "createdAt", "isClientNew", "results", "sessionId", "spent", "status"}
	if got := keys(t, a.body); !slices.Equal(got, want) {
		t.Fatalf("top-level fields %v, want %v", got, want)
	}
	var r kyc.ProcessResponse
	mustJSON(t, a.body, &r)
	if !r.Status.Final() {
		t.Fatalf("sync answer not final: %s", r.Status)
	}
	if r.ClientID != "" || r.IsClientNew {
		t.Errorf("no clientKey sent, yet clientId %q isClientNew %v", r.ClientID, r.IsClientNew)
	}
	var images []kyc.Result
	for _, res := range r.Results {
		if res.Type != kyc.TypeFaces {
			images = append(images, res)
		}
	}
	if len(images) != 2 {
		t.Fatalf("want 2 image results, got %d: %s", len(images), a.body)
	}
	for i, res := range images {
		if res.Spent <= 0 || !res.Status.Final() {
			t.Errorf("result %d: spent %v status %s", i, res.Spent, res.Status)
		}
		// imageFull serves the upload byte for byte; image the normalised copy.
		if orig := fetch(t, res.ImageFull); !bytes.Equal(orig, [][]byte{doc, selfie}[i]) {
			t.Errorf("result %d: imageFull serves %d bytes, not the upload", i, len(orig))
		}
		if norm := fetch(t, res.Image); len(norm) < 100 || !bytes.HasPrefix(norm, []byte{0xff, 0xd8}) {
			t.Errorf("result %d: image is not a JPEG", i)
		}
	}
}

func TestAsyncThenPoll(t *testing.T) {
	start := time.Now()
	a := svc.process(t, processReq{
		fields: map[string]string{"mode": "async", "token": tokenA},
		files:  []file{{name: "a.jpg", data: selfieJPEG(t)}},
	})
	elapsed := time.Since(start)
	if a.code != http.StatusOK {
		t.Fatalf("process: %d %s", a.code, a.body)
	}
	var r kyc.ProcessResponse
	mustJSON(t, a.body, &r)
	if r.SessionID == "" {
		t.Fatal("no sessionId")
	}
	t.Logf("async answer in %v with status %s", elapsed, r.Status)
	st := svc.pollFinal(t, tokenA, r.SessionID, 60*time.Second)
	if st.Status != kyc.StatusSuccess || len(st.Results) != 1 || st.SecondsToLive <= 0 || st.SchemaID != "default" {
		t.Fatalf("final session: %+v", st)
	}
	if st.Results[0].Status != kyc.StatusSuccess || len(st.Results[0].Errors) != 0 {
		t.Fatalf("result: %+v", st.Results[0])
	}
}

func TestAddImagesToSession(t *testing.T) {
	first := svc.process(t, processReq{headers: bearer(tokenA),
		files: []file{{name: "a.jpg", data: selfieJPEG(t)}}})
	var r1 kyc.ProcessResponse
	mustJSON(t, first.body, &r1)
	second := svc.process(t, processReq{headers: bearer(tokenA),
		fields: map[string]string{"sessionId": r1.SessionID},
		files:  []file{{name: "b.jpg", data: selfieJPEG(t)}, {name: "c.jpg", data: selfieJPEG(t)}}})
	if second.code != http.StatusOK {
		t.Fatalf("second request: %d %s", second.code, second.body)
	}
	var r2 kyc.ProcessResponse
	mustJSON(t, second.body, &r2)
	if r2.SessionID != r1.SessionID || r2.Status != kyc.StatusSuccess {
		t.Fatalf("second answer: session %s status %s", r2.SessionID, r2.Status)
	}
	var n int
	for _, res := range r2.Results {
		if res.Type != kyc.TypeFaces {
			n++
		}
	}
	if n != 3 {
		t.Fatalf("session holds %d image results, want 3", n)
	}
	if !r2.CreatedAt.Time().Equal(r1.CreatedAt.Time()) {
		t.Errorf("createdAt changed: %v → %v", r1.CreatedAt.Time(), r2.CreatedAt.Time())
	}
	// Another account cannot add to it, nor read it.
	other := svc.process(t, processReq{headers: bearer(tokenB),
		fields: map[string]string{"sessionId": r1.SessionID},
		files:  []file{{name: "d.jpg", data: syntheticJPEG(t, 400, 400)}}})
	if other.code != http.StatusNotFound || other.errorBody(t).Message != kyc.MsgNotFound {
		t.Errorf("other account adding: %d %s", other.code, other.body)
	}
	if a := svc.status(t, tokenB, map[string]string{"sessionId": r1.SessionID}); a.code != http.StatusNotFound {
		t.Errorf("other account reading: %d %s", a.code, a.body)
	}
}

func TestClientKey(t *testing.T) {
	key := "client:" + strings.ReplaceAll(t.Name(), "/", "-")
	a1 := svc.process(t, processReq{headers: bearer(tokenA), fields: map[string]string{"clientKey": key},
		files: []file{{name: "a.jpg", data: syntheticJPEG(t, 400, 400)}}})
	var r1 kyc.ProcessResponse
	mustJSON(t, a1.body, &r1)
	if !r1.IsClientNew || r1.ClientID == "" {
		t.Fatalf("first session: isClientNew %v clientId %q", r1.IsClientNew, r1.ClientID)
	}
	a2 := svc.process(t, processReq{headers: bearer(tokenA), fields: map[string]string{"clientKey": key, "mode": "async"},
		files: []file{{name: "b.jpg", data: syntheticJPEG(t, 400, 400)}}})
	var r2 kyc.ProcessResponse
	mustJSON(t, a2.body, &r2)
	if r2.IsClientNew || r2.ClientID != r1.ClientID || r2.SessionID == r1.SessionID {
		t.Fatalf("second session: isClientNew %v clientId %q session %s", r2.IsClientNew, r2.ClientID, r2.SessionID)
	}
	// clientKey wins over sessionId: the latest session of the client.
	st := svc.status(t, tokenA, map[string]string{"clientKey": key, "sessionId": r1.SessionID})
	var s kyc.SessionStatus
	mustJSON(t, st.body, &s)
	if st.code != http.StatusOK || s.SessionID != r2.SessionID || s.ClientKey != key {
		t.Fatalf("status by clientKey: %d session %s (want %s)", st.code, s.SessionID, r2.SessionID)
	}
	// The same key of another account is another client.
	if a := svc.status(t, tokenB, map[string]string{"clientKey": key}); a.code != http.StatusNotFound {
		t.Errorf("other account's clientKey: %d %s", a.code, a.body)
	}
}
