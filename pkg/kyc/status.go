package kyc

// Status is a session or result status word of the API.
type Status string

// The status words of the API; sessions and results share them.
const (
	StatusIdle       Status = "idle"
	StatusProcessing Status = "processing"
	StatusSuccess    Status = "success"
	StatusFailed     Status = "failed"
	StatusException  Status = "exception"
	StatusSuspicious Status = "suspicious"
	StatusExpired    Status = "expired"
)

// Final reports whether s is a status a session or result stays in.
func (s Status) Final() bool {
	switch s {
	case StatusSuccess, StatusFailed, StatusException, StatusSuspicious, StatusExpired:
		return true
	}
	return false
}

// Combine returns the session status implied by its result statuses: any
// exception wins, then any failure, then any suspicious result; success
// otherwise. An empty list is success.
func Combine(statuses ...Status) Status {
	rank := map[Status]int{StatusSuccess: 0, StatusSuspicious: 1, StatusFailed: 2, StatusException: 3}
	out := StatusSuccess
	for _, s := range statuses {
		r, ok := rank[s]
		if !ok {
			// A non-final result (still processing) keeps the session processing.
			return StatusProcessing
		}
		if r > rank[out] {
			out = s
		}
	}
	return out
}
