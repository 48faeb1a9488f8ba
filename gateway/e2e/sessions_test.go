package e2e

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/openkyc/kyc/pkg/kyc"
	"github.com/openkyc/kyc/pkg/storage"
	"github.com/openkyc/kyc/pkg/testenv"
)

type filterPage struct {
	Page, PageSize, Total int
	Sessions              []kyc.SessionSummary
}

func filter(t *testing.T, tok string, body map[string]any) filterPage {
	t.Helper()
	var p filterPage
	wantOK(t, "filter", svc.post(t, "/v1/kyc/sessions/filter", tok, body), &p)
	return p
}

// imageIDs are the ids of the images behind a session's results, read from
// their URLs (…/images/<id>/…).
func imageIDs(t *testing.T, st kyc.SessionStatus) []string {
	t.Helper()
	var ids []string
	for _, r := range st.Results {
		if r.ImageFull == "" {
			continue
		}
		u, err := url.Parse(r.ImageFull)
		if err != nil {
			t.Fatal(err)
		}
		_, rest, ok := strings.Cut(u.Path, "/"+storage.ImagesRoot)
		id, _, _ := strings.Cut(rest, "/")
		if !ok || id == "" {
			t.Fatalf("no image id in %s", r.ImageFull)
		}
		ids = append(ids, id)
	}
	return ids
}

func TestFilterSessions(t *testing.T) {
	key := "filter-" + time.Now().Format("150405.000")
	start := time.Now().Add(-time.Second)
	var ids []string
	// A picture of nothing fails, a too small one too, a selfie succeeds.
	for _, img := range [][]byte{syntheticJPEG(t, 400, 400), syntheticJPEG(t, 100, 100), selfieJPEG(t)} {
		a := svc.process(t, processReq{headers: bearer(tokenA), fields: map[string]string{"clientKey": key},
			files: []file{{name: "a.jpg", data: img}}})
		var r kyc.ProcessResponse
		wantOK(t, "process", a, &r)
		ids = append(ids, r.SessionID)
	}
	ts := func(tm time.Time) string { return tm.UTC().Format("2006-01-02T15:04:05.000Z") }
	byKey := map[string]any{"clientKey": key}
	p := filter(t, tokenA, map[string]any{"pageSize": 2, "filters": byKey})
	if p.Total != 3 || len(p.Sessions) != 2 || p.Sessions[0].SessionID != ids[2] || p.Sessions[1].SessionID != ids[1] {
		t.Fatalf("page 1 (newest first): %+v", p)
	}
	p = filter(t, tokenA, map[string]any{"page": 2, "pageSize": 2, "filters": byKey})
	if p.Total != 3 || len(p.Sessions) != 1 || p.Sessions[0].SessionID != ids[0] {
		t.Fatalf("page 2: %+v", p)
	}
	p = filter(t, tokenA, map[string]any{"filters": map[string]any{"clientKey": key, "range": map[string]any{"sortOrder": "asc"}}})
	if len(p.Sessions) != 3 || p.Sessions[0].SessionID != ids[0] || p.Sessions[0].ClientKey != key {
		t.Fatalf("ascending: %+v", p)
	}
	p = filter(t, tokenA, map[string]any{"filters": map[string]any{"clientKey": key, "status": "failed"}})
	if p.Total != 2 || p.Sessions[0].SessionID != ids[1] || p.Sessions[0].Errors[0] != kyc.ErrTooSmallImage {
		t.Fatalf("failed ones: %+v", p)
	}
	p = filter(t, tokenA, map[string]any{"filters": map[string]any{"clientKey": key, "status": "success"}})
	if p.Total != 1 || p.Sessions[0].SessionID != ids[2] || len(p.Sessions[0].Errors) != 0 {
		t.Fatalf("successful ones: %+v", p)
	}
	p = filter(t, tokenA, map[string]any{"filters": map[string]any{"clientKey": key, "range": map[string]any{"start": ts(start), "end": ts(time.Now())}}})
	if p.Total != 3 {
		t.Fatalf("in range: %+v", p)
	}
	p = filter(t, tokenA, map[string]any{"filters": map[string]any{"clientKey": key, "range": map[string]any{"end": ts(start)}}})
	if p.Total != 0 || len(p.Sessions) != 0 {
		t.Fatalf("before the range: %+v", p)
	}
	// Another account sees none of them.
	if p := filter(t, tokenB, map[string]any{"filters": byKey}); p.Total != 0 {
		t.Fatalf("account B sees %+v", p)
	}
	wantError(t, "bad page size", svc.post(t, "/v1/kyc/sessions/filter", tokenA, map[string]any{"pageSize": 1000}),
		400, kyc.MsgInvalidRequest+": page must be at least 1 and pageSize between 1 and 100")
}

func TestDeleteSession(t *testing.T) {
	ctx := context.Background()
	key := "delete-" + time.Now().Format("150405.000")
	a := svc.process(t, processReq{headers: bearer(tokenA), fields: map[string]string{"clientKey": key},
		files: []file{{name: "a.jpg", data: selfieJPEG(t)}, {name: "b.jpg", data: syntheticJPEG(t, 400, 300)}}})
	var r kyc.ProcessResponse
	wantOK(t, "process", a, &r)
	var st kyc.SessionStatus
	wantOK(t, "status", svc.status(t, tokenA, map[string]string{"sessionId": r.SessionID}), &st)
	images := imageIDs(t, st)
	bucket, err := storage.New(storage.Options{Endpoint: svc.minio.Addr, AccessKey: testenv.MinIOAccessKey,
		SecretKey: testenv.MinIOSecretKey, Bucket: "kyc", Region: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	objects := func() int {
		n := 0
		for _, id := range images {
			keys, err := bucket.List(ctx, storage.ImagePrefix(id))
			if err != nil {
				t.Fatal(err)
			}
			n += len(keys)
		}
		return n
	}
	rdb := svc.redisOf(t)
	keysOf := func() []string {
		var out []string
		for _, pat := range []string{"*" + r.SessionID + "*"} {
			ks, err := rdb.Keys(ctx, pat).Result()
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, ks...)
		}
		return out
	}
	if len(images) != 2 || objects() < 4 || len(keysOf()) == 0 {
		t.Fatalf("before: images %v, %d objects, keys %v", images, objects(), keysOf())
	}

	// Another account cannot delete it.
	wantError(t, "delete by B", svc.post(t, "/v1/kyc/session/delete", tokenB, map[string]string{"sessionId": r.SessionID}), 404, kyc.MsgNotFound)
	wantOK(t, "delete", svc.post(t, "/v1/kyc/session/delete", tokenA, map[string]string{"sessionId": r.SessionID}), nil)

	if n := objects(); n != 0 {
		t.Errorf("%d objects of the session's images left in the bucket", n)
	}
	if ks := keysOf(); len(ks) != 0 {
		t.Errorf("Redis keys left: %v", ks)
	}
	// Nor does any Redis value point at it (index, client's latest).
	var cursor uint64
	for {
		ks, next, err := rdb.Scan(ctx, cursor, "kyc:*", 100).Result()
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range ks {
			switch rdb.Type(ctx, k).Val() {
			case "zset":
				if _, err := rdb.ZScore(ctx, k, r.SessionID).Result(); err == nil {
					t.Errorf("%s still lists the session", k)
				}
			case "hash":
				for f, v := range rdb.HGetAll(ctx, k).Val() {
					if strings.Contains(v, r.SessionID) {
						t.Errorf("%s[%s] still names the session", k, f)
					}
				}
			}
		}
		if cursor = next; cursor == 0 {
			break
		}
	}
	wantError(t, "status after delete", svc.status(t, tokenA, map[string]string{"sessionId": r.SessionID}), 404, kyc.MsgNotFound)
	wantError(t, "status by clientKey after delete", svc.status(t, tokenA, map[string]string{"clientKey": key}), 404, kyc.MsgNotFound)
	if p := filter(t, tokenA, map[string]any{"filters": map[string]any{"clientKey": key}}); p.Total != 0 {
		t.Errorf("filter still lists it: %+v", p)
	}
	wantError(t, "delete again", svc.post(t, "/v1/kyc/session/delete", tokenA, map[string]string{"sessionId": r.SessionID}), 404, kyc.MsgNotFound)
	if code := svc.post(t, "/v1/kyc/session/delete", "", map[string]string{"sessionId": r.SessionID}).code; code != http.StatusUnauthorized {
		t.Errorf("delete without token: %d", code)
	}
}
