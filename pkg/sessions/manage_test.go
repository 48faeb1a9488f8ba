package sessions

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/openkyc/kyc/pkg/kyc"
)

func TestFilterAndDelete(t *testing.T) {
	ctx := context.Background()
	st, clk, rdb := newStore(t)
	t0 := clk.t
	for i, id := range []string{"s1", "s2", "s3", "s4"} {
		acct := "acme"
		if id == "s4" {
			acct = "other"
		}
		clk.t = t0.Add(time.Duration(i) * time.Minute)
		if err := st.Create(ctx, &Session{ID: id, Account: acct, SchemaID: "default", ClientKey: "k" + id[1:]}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.Finish(ctx, "s2", kyc.StatusFailed, []string{kyc.ErrBadImage}, nil); err != nil {
		t.Fatal(err)
	}
	ids := func(list []*Session) []string {
		var out []string
		for _, s := range list {
			out = append(out, s.ID)
		}
		return out
	}
	tests := []struct {
		name  string
		f     Filter
		want  []string
		total int
	}{
		{"newest first", Filter{Page: 1, PageSize: 10}, []string{"s3", "s2", "s1"}, 3},
		{"oldest first", Filter{Page: 1, PageSize: 10, Ascending: true}, []string{"s1", "s2", "s3"}, 3},
		{"page 2", Filter{Page: 2, PageSize: 2}, []string{"s1"}, 3},
		{"past the end", Filter{Page: 3, PageSize: 2}, nil, 3},
		{"status", Filter{Page: 1, PageSize: 10, Status: kyc.StatusFailed}, []string{"s2"}, 1},
		{"clientKey", Filter{Page: 1, PageSize: 10, ClientKey: "k3"}, []string{"s3"}, 1},
		{"range", Filter{Page: 1, PageSize: 10, Start: t0.Add(time.Minute), End: t0.Add(time.Minute)}, []string{"s2"}, 1},
		{"range descending", Filter{Page: 1, PageSize: 10, Start: t0, End: t0.Add(90 * time.Second)}, []string{"s2", "s1"}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			list, total, err := st.Filter(ctx, "acme", tt.f)
			if err != nil || total != tt.total || !slices.Equal(ids(list), tt.want) {
				t.Fatalf("Filter = %v, %d, %v; want %v, %d", ids(list), total, err, tt.want, tt.total)
			}
		})
	}

	if _, err := st.AddImages(ctx, "s1", []string{"img-a", "img-b"}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.PutResult(ctx, "s1", Record{ImageID: "img-a"}); err != nil {
		t.Fatal(err)
	}
	_ = st.SetLatest(ctx, "acme", "k1", "s1")
	_ = st.AddCallbackAttempt(ctx, "s1", kyc.CallbackAttempt{Attempt: 1, Code: 200})
	if _, err := st.Delete(ctx, "other", "s1"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("another account deleted it: %v", err)
	}
	images, err := st.Delete(ctx, "acme", "s1")
	slices.Sort(images)
	if err != nil || !slices.Equal(images, []string{"img-a", "img-b"}) {
		t.Fatalf("Delete = %v, %v", images, err)
	}
	if n := rdb.Exists(ctx, metaKey("s1"), pendingKey("s1"), resultsKey("s1"), callbacksKey("s1")).Val(); n != 0 {
		t.Fatalf("%d keys left", n)
	}
	if _, err := st.Latest(ctx, "acme", "k1"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("client still links it: %v", err)
	}
	if list, total, _ := st.Filter(ctx, "acme", Filter{Page: 1, PageSize: 10}); total != 2 || slices.Contains(ids(list), "s1") {
		t.Fatalf("index still lists it: %v", ids(list))
	}
}
