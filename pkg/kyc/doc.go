// Package kyc holds the public contract of the service: the JSON shapes of
// sessions and results, the status words, and every error string the API
// answers. Gateway and worker both speak it; neither defines its own.
package kyc
