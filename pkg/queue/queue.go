// Package queue defines the Asynq tasks the gateway enqueues and the worker
// runs: their type names, payloads and options.
package queue

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"
)

// Name is the Asynq queue that carries image tasks.
const Name = "kyc"

// TypeImage is the task type of processing one uploaded image.
const TypeImage = "kyc:image"

// ImagePayload is the payload of a TypeImage task.
type ImagePayload struct {
	SessionID string `json:"sessionId"`
	ImageID   string `json:"imageId"`
	// Seq orders the image's result within the session.
	Seq      int    `json:"seq"`
	Account  string `json:"account"`
	SchemaID string `json:"schemaId"`
	OCR      bool   `json:"ocr"`
	// RequestID ties the worker's logs to the gateway request.
	RequestID string `json:"requestId,omitempty"`
}

// NewImageTask returns the task for p. Its task id is the image id, so the
// same image is never queued twice; timeout bounds one attempt.
func NewImageTask(p ImagePayload, maxRetry int, timeout time.Duration) (*asynq.Task, error) {
	b, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("queue: encode payload: %w", err)
	}
	return asynq.NewTask(TypeImage, b,
		asynq.TaskID(p.ImageID),
		asynq.Queue(Name),
		asynq.MaxRetry(maxRetry),
		asynq.Timeout(timeout),
	), nil
}

// ParseImagePayload decodes the payload of a TypeImage task.
func ParseImagePayload(t *asynq.Task) (ImagePayload, error) {
	var p ImagePayload
	if err := json.Unmarshal(t.Payload(), &p); err != nil {
		return p, fmt.Errorf("queue: decode %s payload: %w", t.Type(), err)
	}
	if p.SessionID == "" || p.ImageID == "" {
		return p, fmt.Errorf("queue: %s payload without session or image id", t.Type())
	}
	return p, nil
}

// RetryDelay is the backoff before retry n (1-based): 1s, 2s, 4s ... capped
// at 30s, so a short outage of Redis or MinIO is ridden out well within a
// sync request's deadline.
func RetryDelay(n int, _ error, _ *asynq.Task) time.Duration {
	if n < 1 {
		n = 1
	}
	d := time.Second << min(n-1, 5)
	return min(d, 30*time.Second)
}

// RedisOpt returns asynq's connection options for a go-redis configuration.
func RedisOpt(o *redis.Options) asynq.RedisClientOpt {
	return asynq.RedisClientOpt{Addr: o.Addr, Password: o.Password, DB: o.DB}
}
