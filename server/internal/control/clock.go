package control

import (
	"math"
	"time"

	"github.com/claudemock/claudemock/server/internal/apierror"
	"github.com/claudemock/claudemock/server/internal/request"
)

// DecodeTime reads the virtual time to set from a JSON body:
// {"now": "2026-01-01T00:00:00Z"}.
func DecodeTime(raw []byte) (time.Time, error) {
	var now *string
	if err := decodeObject(raw, request.Fields{"now": &now}); err != nil {
		return time.Time{}, err
	}
	if now == nil {
		return time.Time{}, apierror.Invalid("now: Field required")
	}
	t, err := time.Parse(time.RFC3339Nano, *now)
	if err != nil {
		return time.Time{}, apierror.Invalid("now: %q is not an RFC 3339 time such as \"2026-01-01T00:00:00Z\"", *now)
	}
	return t, nil
}

// DecodeAdvance reads how far to move virtual time from a JSON body:
// {"duration": "90s"} or {"seconds": 90}, one of them.
func DecodeAdvance(raw []byte) (time.Duration, error) {
	var duration *string
	var seconds *float64
	if err := decodeObject(raw, request.Fields{"duration": &duration, "seconds": &seconds}); err != nil {
		return 0, err
	}
	switch {
	case duration != nil && seconds != nil:
		return 0, apierror.Invalid("give either duration or seconds, not both")
	case duration != nil:
		d, err := time.ParseDuration(*duration)
		if err != nil {
			return 0, apierror.Invalid("duration: %q is not a duration such as \"90s\" or \"1h30m\"", *duration)
		}
		return d, nil
	case seconds != nil:
		return secondsDuration(*seconds)
	}
	return 0, apierror.Invalid("duration: Field required (or seconds)")
}

// maxAdvanceSeconds is the longest advance a time.Duration holds (about 292
// years); a larger float would wrap around to a negative duration.
const maxAdvanceSeconds = float64(math.MaxInt64 / int64(time.Second))

// secondsDuration converts an advance in seconds, refusing what no
// duration can hold before converting, so that 1e300 is named as itself.
func secondsDuration(seconds float64) (time.Duration, error) {
	if !(seconds >= 0 && seconds <= maxAdvanceSeconds) {
		return 0, apierror.Invalid("seconds: must be between 0 and %.0f (about 292 years), got %g", maxAdvanceSeconds, seconds)
	}
	return time.Duration(seconds * float64(time.Second)), nil
}

// DecodeAmount reads a credit purchase in USD from a JSON body:
// {"amount": 40}.
func DecodeAmount(raw []byte) (float64, error) {
	var amount *float64
	if err := decodeObject(raw, request.Fields{"amount": &amount}); err != nil {
		return 0, err
	}
	if amount == nil {
		return 0, apierror.Invalid("amount: Field required")
	}
	return *amount, nil
}
