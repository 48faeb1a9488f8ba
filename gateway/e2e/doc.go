// Package e2e holds the end-to-end tests: they build the gateway and the
// worker, run them as processes against a real Redis and a real MinIO, and
// drive them over HTTP as a client would.
package e2e
