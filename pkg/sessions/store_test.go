package sessions

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/openkyc/kyc/pkg/kyc"
	"github.com/openkyc/kyc/pkg/testenv"
	"github.com/redis/go-redis/v9"
)

// clock is a settable time source.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func newStore(t *testing.T) (*Store, *clock, *redis.Client) {
	t.Helper()
	rdb := redis.NewClient(&redis.Options{Addr: testenv.Redis(t)})
	t.Cleanup(func() { rdb.Close() })
	c := &clock{t: time.Date(2026, 1, 2, 3, 4, 5, 6e6, time.UTC)}
	return New(rdb, time.Hour, c.now), c, rdb
}

func TestSessionLifecycle(t *testing.T) {
	ctx := context.Background()
	st, clk, _ := newStore(t)
	sess := &Session{ID: "s1", Account: "acme", SchemaID: "default", ClientKey: "k"}
	if err := st.Create(ctx, sess); err != nil {
		t.Fatal(err)
	}
	first, err := st.AddImages(ctx, "s1", []string{"a", "b"})
	if err != nil || first != 0 {
		t.Fatalf("AddImages = %d, %v", first, err)
	}
	sub, err := st.Subscribe(ctx, "s1")
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()

	rec := func(id string, seq int) Record {
		return Record{ImageID: id, Seq: seq, Result: kyc.Result{Status: kyc.StatusSuccess, Type: kyc.TypeUnknown}}
	}
	// b lands first and twice (a retried task): still one result, one pending.
	for range 2 {
		if n, err := st.PutResult(ctx, "s1", rec("b", 1)); err != nil || n != 1 {
			t.Fatalf("PutResult(b) = %d, %v", n, err)
		}
	}
	if ok, err := st.Finish(ctx, "s1", kyc.StatusSuccess, nil, nil); err != nil || ok {
		t.Fatalf("Finish with a pending image = %v, %v; want false", ok, err)
	}
	if n, err := st.PutResult(ctx, "s1", rec("a", 0)); err != nil || n != 0 {
		t.Fatalf("PutResult(a) = %d, %v", n, err)
	}
	clk.t = clk.t.Add(1500 * time.Millisecond)
	faces := &Record{Seq: 99, Result: kyc.Result{Status: kyc.StatusSuccess, Type: kyc.TypeFaces}}
	if ok, err := st.Finish(ctx, "s1", kyc.StatusSuccess, nil, faces); err != nil || !ok {
		t.Fatalf("Finish = %v, %v", ok, err)
	}
	wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := sub.Wait(wctx); err != nil {
		t.Fatalf("no announcement: %v", err)
	}

	got, err := st.Get(ctx, "s1")
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != kyc.StatusSuccess || got.Pending != 0 || got.Images != 2 || got.Account != "acme" {
		t.Fatalf("session = %+v", got)
	}
	if len(got.Records) != 3 || got.Records[0].ImageID != "a" || got.Records[1].ImageID != "b" || got.Records[2].ImageID != FacesRecordID {
		t.Fatalf("records out of order: %+v", got.Records)
	}
	if s := got.Spent(clk.t.Add(time.Hour)); s != 1500*time.Millisecond {
		t.Fatalf("Spent = %v, want 1.5s", s)
	}
	if s := got.ResponseTime(clk.t.Add(time.Hour)); s != 1500*time.Millisecond {
		t.Fatalf("ResponseTime = %v, want 1.5s", s)
	}
	if got.TTL <= 0 || got.TTL > time.Hour {
		t.Fatalf("TTL = %v", got.TTL)
	}

	// Adding images reopens the session and numbers them after the others.
	first, err = st.AddImages(ctx, "s1", []string{"c"})
	if err != nil || first != 2 {
		t.Fatalf("AddImages = %d, %v", first, err)
	}
	got, _ = st.Get(ctx, "s1")
	if got.Status != kyc.StatusProcessing || got.Pending != 1 {
		t.Fatalf("after adding: status %s pending %d", got.Status, got.Pending)
	}
}

func TestMissingSession(t *testing.T) {
	ctx := context.Background()
	st, _, _ := newStore(t)
	if _, err := st.Get(ctx, "nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get: %v", err)
	}
	if _, err := st.AddImages(ctx, "nope", []string{"x"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("AddImages: %v", err)
	}
	if _, err := st.PutResult(ctx, "nope", Record{ImageID: "x"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("PutResult: %v", err)
	}
	if _, err := st.Finish(ctx, "nope", kyc.StatusSuccess, nil, nil); !errors.Is(err, ErrNotFound) {
		t.Errorf("Finish: %v", err)
	}
}

func TestClients(t *testing.T) {
	ctx := context.Background()
	st, _, _ := newStore(t)
	id1, new1, err := st.Client(ctx, "acme", "user-1")
	if err != nil || !new1 || id1 == "" {
		t.Fatalf("first Client = %q, %v, %v", id1, new1, err)
	}
	id2, new2, err := st.Client(ctx, "acme", "user-1")
	if err != nil || new2 || id2 != id1 {
		t.Fatalf("second Client = %q, %v, %v", id2, new2, err)
	}
	other, _, _ := st.Client(ctx, "other", "user-1")
	if other == id1 {
		t.Fatal("accounts share a client")
	}
	if _, err := st.Latest(ctx, "acme", "user-1"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Latest before any session: %v", err)
	}
	if err := st.SetLatest(ctx, "acme", "user-1", "s9"); err != nil {
		t.Fatal(err)
	}
	if id, err := st.Latest(ctx, "acme", "user-1"); err != nil || id != "s9" {
		t.Fatalf("Latest = %q, %v", id, err)
	}
}
