package queue

import (
	"testing"
	"time"

	"github.com/hibiken/asynq"
)

func TestRetryDelay(t *testing.T) {
	tests := []struct {
		n    int
		want time.Duration
	}{{0, time.Second}, {1, time.Second}, {2, 2 * time.Second}, {3, 4 * time.Second}, {6, 30 * time.Second}, {50, 30 * time.Second}}
	for _, tt := range tests {
		if got := RetryDelay(tt.n, nil, nil); got != tt.want {
			t.Errorf("RetryDelay(%d) = %v, want %v", tt.n, got, tt.want)
		}
	}
}

func TestImagePayloadRoundTrip(t *testing.T) {
	p := ImagePayload{SessionID: "s", ImageID: "i", Seq: 3, Account: "a", SchemaID: "default", OCR: true}
	task, err := NewImageTask(p, 3, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ParseImagePayload(task)
	if err != nil || got != p {
		t.Fatalf("got %+v, %v; want %+v", got, err, p)
	}
	if _, err := ParseImagePayload(asynq.NewTask(TypeImage, []byte(`{}`))); err == nil {
		t.Fatal("empty payload accepted")
	}
	if _, err := ParseImagePayload(asynq.NewTask(TypeImage, []byte(`{`))); err == nil {
		t.Fatal("malformed payload accepted")
	}
}
