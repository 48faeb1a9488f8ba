package queue

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/hibiken/asynq"
)

// CallbackQueue is the Asynq queue of callback deliveries, apart from the
// images so that a slow receiver never delays recognition.
const CallbackQueue = "kyc-callbacks"

// TypeCallback is the task type of delivering a finished session to its
// schema's callback URL.
const TypeCallback = "kyc:callback"

// CallbackPayload is the payload of a TypeCallback task.
type CallbackPayload struct {
	SessionID string `json:"sessionId"`
	Account   string `json:"account"`
	SchemaID  string `json:"schemaId"`
	// Images is how many images the session had when it finished: a
	// session finished again after more images is delivered again.
	Images int `json:"images"`
}

// NewCallbackTask returns the task for p; its id is the session and its
// image count, kept for a day after delivery, so a retried finishing step
// does not deliver twice.
func NewCallbackTask(p CallbackPayload, maxRetry int) (*asynq.Task, error) {
	b, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("queue: encode callback payload: %w", err)
	}
	return asynq.NewTask(TypeCallback, b,
		asynq.TaskID("callback:"+p.SessionID+":"+strconv.Itoa(p.Images)),
		asynq.Queue(CallbackQueue),
		asynq.MaxRetry(maxRetry),
		asynq.Timeout(time.Minute),
		asynq.Retention(24*time.Hour),
	), nil
}

// ParseCallbackPayload decodes the payload of a TypeCallback task.
func ParseCallbackPayload(t *asynq.Task) (CallbackPayload, error) {
	var p CallbackPayload
	if err := json.Unmarshal(t.Payload(), &p); err != nil {
		return p, fmt.Errorf("queue: decode %s payload: %w", t.Type(), err)
	}
	if p.SessionID == "" {
		return p, fmt.Errorf("queue: %s payload without session id", t.Type())
	}
	return p, nil
}
