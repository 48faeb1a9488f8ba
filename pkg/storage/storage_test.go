package storage

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/openkyc/kyc/pkg/testenv"
)

func TestStore(t *testing.T) {
	ctx := context.Background()
	st, err := New(Options{Endpoint: testenv.MinIO(t), AccessKey: testenv.MinIOAccessKey,
		SecretKey: testenv.MinIOSecretKey, Bucket: "kyc", Region: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	for range 2 { // idempotent
		if err := st.EnsureBucket(ctx, 36*time.Hour); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	// An upload of unknown length streams in parts.
	big := strings.Repeat("x", 6<<20)
	if err := st.Put(ctx, OriginalKey("img1"), strings.NewReader(big), -1, "image/jpeg"); err != nil {
		t.Fatal(err)
	}
	if err := st.PutBytes(ctx, CropKey("img1", "face-0"), []byte("face"), "image/jpeg"); err != nil {
		t.Fatal(err)
	}
	b, err := st.Get(ctx, OriginalKey("img1"), 7<<20)
	if err != nil || len(b) != len(big) {
		t.Fatalf("Get = %d bytes, %v", len(b), err)
	}
	if _, err := st.Get(ctx, OriginalKey("img1"), 1<<20); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("Get over the limit: %v", err)
	}
	if _, err := st.Get(ctx, OriginalKey("none"), 1<<20); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get of a missing key: %v", err)
	}

	u, err := st.PresignGet(ctx, CropKey("img1", "face-0"), time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != "face" {
		t.Fatalf("presigned GET = %d %q", resp.StatusCode, body)
	}

	if err := st.DeletePrefix(ctx, ImagePrefix("img1")); err != nil {
		t.Fatal(err)
	}
	if keys, err := st.List(ctx, ImagesRoot); err != nil || len(keys) != 0 {
		t.Fatalf("after delete: %v, %v", keys, err)
	}
}
