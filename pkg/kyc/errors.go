package kyc

// Messages of the API's error answers, {"message": ..., "status": "error"}.
// The first three are the public API's own words (the typo included).
const (
	MsgInvalidSchema    = "invalid schema"
	MsgAccessDenied     = "access denied"
	MsgNotFound         = "item with this id does not found"
	MsgInvalidRequest   = "invalid request"
	MsgBodyTooLarge     = "request body too large"
	MsgFileTooLarge     = "image file too large"
	MsgTooManyImages    = "too many images"
	MsgTooManyPixels    = "image dimensions too large"
	MsgInternal         = "internal error"
	MsgUnavailable      = "service unavailable"
	MsgMethodNotAllowed = "method not allowed"
	MsgRouteNotFound    = "no such route"
	MsgTooManyRequests  = "too many requests"
	MsgCaptchaRequired  = "captcha required"
	MsgCaptchaInvalid   = "invalid captcha"
)

// Error strings that appear inside results and sessions, prefixed by area.
const (
	ErrBadImage        = "[general] bad image"
	ErrTooSmallImage   = "[general] too small image"
	ErrNoDocuments     = "[general] no documents on image"
	ErrNotSelfie       = "[general] not a selfie"
	ErrLowLight        = "[general] low light"
	ErrBlackAndWhite   = "[general] black and white image"
	ErrAgeMismatch     = "[general] age requirement mismatch"
	ErrTextNotVisible  = "[document] text fields not visible"
	ErrSystemException = "[system] exception"
	// ErrStepsNotSatisfied is followed by the missing steps, comma-separated:
	// "[general] schema steps not satisfied: selfie".
	ErrStepsNotSatisfied = "[general] schema steps not satisfied"
)

// ErrorBody is the body of every error answer.
type ErrorBody struct {
	Message string `json:"message"`
	Status  string `json:"status"`
}

// NewErrorBody returns the error answer for msg.
func NewErrorBody(msg string) ErrorBody { return ErrorBody{Message: msg, Status: "error"} }
