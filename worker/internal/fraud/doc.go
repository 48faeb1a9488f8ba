// Package fraud computes the fraud scores of an image (isEdited, isDisplay,
// isPrinted, and liveness for selfies) and the pipeline stage that reports
// them as the "fraud" check. Every score is in [0, 1], higher meaning more
// likely an attack, and fails at the schema's threshold (default 0.5). See
// docs/fraud.md for the features, how the thresholds were chosen and the
// measured error rates.
package fraud
