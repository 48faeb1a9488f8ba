package guard

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/openkyc/kyc/pkg/testenv"
	"github.com/redis/go-redis/v9"
)

func TestWindow(t *testing.T) {
	base := time.UnixMilli(60_000 * 1000)
	tests := []struct {
		name      string
		t         time.Time
		w         time.Duration
		idx       int64
		remaining time.Duration
	}{
		{"window start", base, time.Minute, 1000, time.Minute},
		{"mid window", base.Add(15 * time.Second), time.Minute, 1000, 45 * time.Second},
		{"last ms", base.Add(time.Minute - time.Millisecond), time.Minute, 1000, time.Millisecond},
		{"next window", base.Add(time.Minute), time.Minute, 1001, time.Minute},
		{"second windows", base.Add(1500 * time.Millisecond), time.Second, 60_001, 500 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			idx, rem := Window(tt.t, tt.w)
			if idx != tt.idx || rem != tt.remaining {
				t.Fatalf("Window = %d, %v; want %d, %v", idx, rem, tt.idx, tt.remaining)
			}
		})
	}
}

func TestAllowAndCaptcha(t *testing.T) {
	ctx := context.Background()
	rdb := redis.NewClient(&redis.Options{Addr: testenv.Redis(t)})
	defer rdb.Close()
	now := time.Date(2026, 1, 1, 0, 0, 10, 0, time.UTC)
	g := New(rdb, func() time.Time { return now })
	for i := 1; i <= 4; i++ {
		ok, retry, err := g.Allow(ctx, "tok", 3, time.Minute)
		if err != nil || ok != (i <= 3) {
			t.Fatalf("request %d: ok %v err %v", i, ok, err)
		}
		if !ok && retry != 50*time.Second {
			t.Fatalf("retry %v", retry)
		}
	}
	if ok, _, _ := g.Allow(ctx, "other", 3, time.Minute); !ok {
		t.Fatal("another subject shares the window")
	}
	now = now.Add(time.Minute)
	if ok, _, _ := g.Allow(ctx, "tok", 3, time.Minute); !ok {
		t.Fatal("the next window is still limited")
	}

	if err := g.PutCaptcha(ctx, "acme", "c1", "12345", time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := g.SolveCaptcha(ctx, "other", "c1", "12345"); !errors.Is(err, ErrCaptcha) {
		t.Fatalf("another account solved it: %v", err)
	}
	_ = g.PutCaptcha(ctx, "acme", "c2", "12345", time.Minute)
	if err := g.SolveCaptcha(ctx, "acme", "c2", "54321"); !errors.Is(err, ErrCaptcha) {
		t.Fatalf("wrong answer: %v", err)
	}
	if err := g.SolveCaptcha(ctx, "acme", "c2", "12345"); !errors.Is(err, ErrCaptcha) {
		t.Fatalf("a challenge answered wrongly once is used up: %v", err)
	}
	_ = g.PutCaptcha(ctx, "acme", "c3", "777", time.Minute)
	if err := g.SolveCaptcha(ctx, "acme", "c3", "777"); err != nil {
		t.Fatalf("right answer: %v", err)
	}
	if err := g.SolveCaptcha(ctx, "acme", "c3", "777"); !errors.Is(err, ErrCaptcha) {
		t.Fatalf("reused answer: %v", err)
	}
}
