// Package captcha draws the challenges of GET /v1/captcha: a number of
// distorted digits as a PNG. Their answers are kept by pkg/guard.
package captcha

import (
	"bytes"
	"fmt"

	"github.com/dchest/captcha"
	"github.com/google/uuid"
)

// Digits is the length of a challenge's answer.
const Digits = 6

// Image size of a challenge.
const (
	width  = 240
	height = 80
)

// Challenge is a new captcha: its id, its answer and its PNG.
type Challenge struct {
	ID     string
	Answer string
	PNG    []byte
}

// New draws a fresh challenge.
func New() (Challenge, error) {
	digits := captcha.RandomDigits(Digits)
	id := uuid.NewString()
	var buf bytes.Buffer
	if _, err := captcha.NewImage(id, digits, width, height).WriteTo(&buf); err != nil {
		return Challenge{}, fmt.Errorf("captcha: draw: %w", err)
	}
	answer := make([]byte, len(digits))
	for i, d := range digits {
		answer[i] = '0' + d
	}
	return Challenge{ID: id, Answer: string(answer), PNG: buf.Bytes()}, nil
}
