// Package config reads the service's configuration from environment
// variables. Every setting has a default that works on one machine with the
// services `make run` starts, so an empty environment is a valid one.
package config

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// Config is the configuration shared by the gateway and the worker; each
// process reads the fields it needs.
type Config struct {
	// RedisAddr is host:port of Redis (KYC_REDIS_ADDR).
	RedisAddr string
	// RedisPassword authenticates to Redis (KYC_REDIS_PASSWORD).
	RedisPassword string
	// RedisDB selects the Redis database (KYC_REDIS_DB).
	RedisDB int

	// MinIOEndpoint is host:port of the object store (KYC_MINIO_ENDPOINT).
	MinIOEndpoint string
	// MinIOAccessKey and MinIOSecretKey are its credentials
	// (KYC_MINIO_ACCESS_KEY, KYC_MINIO_SECRET_KEY).
	MinIOAccessKey, MinIOSecretKey string
	// MinIOBucket holds originals and crops (KYC_MINIO_BUCKET).
	MinIOBucket string
	// MinIORegion is the bucket's region; set so that presigning needs no
	// round trip (KYC_MINIO_REGION).
	MinIORegion string
	// MinIOSecure selects https to the object store (KYC_MINIO_SECURE).
	MinIOSecure bool
	// PublicMinIOEndpoint, when set, is the host:port clients reach the
	// object store on, used in presigned image URLs (KYC_MINIO_PUBLIC_ENDPOINT).
	PublicMinIOEndpoint string

	// HTTPAddr is the gateway's listen address (KYC_HTTP_ADDR).
	HTTPAddr string
	// MetricsAddr is the worker's /metrics and /healthz address (KYC_WORKER_METRICS_ADDR).
	MetricsAddr string

	// Tokens maps permanent API tokens to their account
	// (KYC_TOKENS="token=account,token2=account2"; a bare token belongs to "default").
	Tokens map[string]string
	// DevToken is one more token of account "dev" for local use (KYC_DEV_TOKEN).
	DevToken string
	// SchemasFile names a JSON file of schemas; empty means the built-in
	// default schema only (KYC_SCHEMAS_FILE).
	SchemasFile string
	// AccountsFile names a JSON array of accounts and their owners
	// ({"id","owner","password"}) created or updated at start
	// (KYC_ACCOUNTS_FILE).
	AccountsFile string

	// JWTIssuer is the iss of the service's JWTs (KYC_JWT_ISSUER).
	JWTIssuer string
	// JWTKeyRotation is how long one signing key signs before the next one
	// takes over (KYC_JWT_KEY_ROTATION).
	JWTKeyRotation time.Duration
	// TempTokenTTL is the default lifetime of a temporary token
	// (KYC_TEMP_TOKEN_TTL); a request may ask for less, or up to
	// MaxTempTokenTTL.
	TempTokenTTL time.Duration
	// RateLimit is how many requests one token may make per RateWindow; 0
	// disables the limit (KYC_RATE_LIMIT, KYC_RATE_WINDOW).
	RateLimit  int
	RateWindow time.Duration
	// CallbackMaxRetry is how often a failed callback delivery is retried
	// (KYC_CALLBACK_MAX_RETRY); CallbackTimeout bounds one attempt
	// (KYC_CALLBACK_TIMEOUT).
	CallbackMaxRetry int
	CallbackTimeout  time.Duration

	// Retention is how long sessions and their images are kept (KYC_RETENTION).
	Retention time.Duration
	// URLExpiry is the lifetime of presigned image URLs (KYC_URL_EXPIRY).
	URLExpiry time.Duration
	// SyncTimeout is how long a mode=sync request waits before it answers
	// the session as it stands (KYC_SYNC_TIMEOUT).
	SyncTimeout time.Duration

	// MaxBodyBytes limits a whole request body (KYC_MAX_BODY_BYTES).
	MaxBodyBytes int64
	// MaxFileBytes limits one uploaded image (KYC_MAX_FILE_BYTES).
	MaxFileBytes int64
	// MaxImages limits the images of one request (KYC_MAX_IMAGES).
	MaxImages int
	// MaxPixels limits width*height of one image (KYC_MAX_PIXELS).
	MaxPixels int64

	// Concurrency is the number of images a worker processes at once
	// (KYC_WORKER_CONCURRENCY).
	Concurrency int
	// TaskTimeout bounds one image task (KYC_TASK_TIMEOUT, at most 2m).
	TaskTimeout time.Duration
	// TaskCheckInterval is how often an idle worker polls the queue; it
	// bounds the latency a task waits before it starts
	// (KYC_TASK_CHECK_INTERVAL).
	TaskCheckInterval time.Duration
	// MaxRetry is how often a failed image task is retried (KYC_MAX_RETRY).
	MaxRetry int
	// ShutdownTimeout bounds a graceful shutdown (KYC_SHUTDOWN_TIMEOUT).
	ShutdownTimeout time.Duration
	// Stages are the recognition stages the worker runs, in order
	// (KYC_STAGES, comma-separated; "none" for none, to measure the
	// service's own overhead).
	Stages []string
	// ModelsDir holds the face models (KYC_MODELS_DIR).
	ModelsDir string
	// DebugStageDelay makes every image task wait this long before its
	// stages; for crash-recovery tests only (KYC_DEBUG_STAGE_DELAY).
	DebugStageDelay time.Duration
	// LogLevel is debug, info, warn or error (KYC_LOG_LEVEL).
	LogLevel string
}

// MaxTaskTimeout is the longest an image task may run.
const MaxTaskTimeout = 2 * time.Minute

// MaxTempTokenTTL is the longest a temporary token may live.
const MaxTempTokenTTL = time.Hour

// Load reads the configuration from the process environment.
func Load() (Config, error) { return LoadFrom(os.Getenv) }

// LoadFrom reads the configuration through getenv, so tests can pass a map.
func LoadFrom(getenv func(string) string) (Config, error) {
	r := reader{getenv: getenv}
	c := Config{
		RedisAddr:           r.str("KYC_REDIS_ADDR", "127.0.0.1:6379"),
		RedisPassword:       r.str("KYC_REDIS_PASSWORD", ""),
		RedisDB:             r.int("KYC_REDIS_DB", 0),
		MinIOEndpoint:       r.str("KYC_MINIO_ENDPOINT", "127.0.0.1:9000"),
		MinIOAccessKey:      r.str("KYC_MINIO_ACCESS_KEY", "minioadmin"),
		MinIOSecretKey:      r.str("KYC_MINIO_SECRET_KEY", "minioadmin"),
		MinIOBucket:         r.str("KYC_MINIO_BUCKET", "kyc"),
		MinIORegion:         r.str("KYC_MINIO_REGION", "us-east-1"),
		MinIOSecure:         r.bool("KYC_MINIO_SECURE", false),
		PublicMinIOEndpoint: r.str("KYC_MINIO_PUBLIC_ENDPOINT", ""),
		HTTPAddr:            r.str("KYC_HTTP_ADDR", "127.0.0.1:8080"),
		MetricsAddr:         r.str("KYC_WORKER_METRICS_ADDR", "127.0.0.1:9091"),
		DevToken:            r.str("KYC_DEV_TOKEN", ""),
		SchemasFile:         r.str("KYC_SCHEMAS_FILE", ""),
		AccountsFile:        r.str("KYC_ACCOUNTS_FILE", ""),
		JWTIssuer:           r.str("KYC_JWT_ISSUER", "openkyc"),
		JWTKeyRotation:      r.dur("KYC_JWT_KEY_ROTATION", 24*time.Hour),
		TempTokenTTL:        r.dur("KYC_TEMP_TOKEN_TTL", 15*time.Minute),
		RateLimit:           r.int("KYC_RATE_LIMIT", 600),
		RateWindow:          r.dur("KYC_RATE_WINDOW", time.Minute),
		CallbackMaxRetry:    r.int("KYC_CALLBACK_MAX_RETRY", 8),
		CallbackTimeout:     r.dur("KYC_CALLBACK_TIMEOUT", 10*time.Second),
		Retention:           r.dur("KYC_RETENTION", 24*time.Hour),
		URLExpiry:           r.dur("KYC_URL_EXPIRY", time.Hour),
		SyncTimeout:         r.dur("KYC_SYNC_TIMEOUT", 60*time.Second),
		MaxBodyBytes:        r.int64("KYC_MAX_BODY_BYTES", 64<<20),
		MaxFileBytes:        r.int64("KYC_MAX_FILE_BYTES", 15<<20),
		MaxImages:           r.int("KYC_MAX_IMAGES", 10),
		MaxPixels:           r.int64("KYC_MAX_PIXELS", 40_000_000),
		Concurrency:         r.int("KYC_WORKER_CONCURRENCY", runtime.NumCPU()),
		TaskTimeout:         r.dur("KYC_TASK_TIMEOUT", MaxTaskTimeout),
		MaxRetry:            r.int("KYC_MAX_RETRY", 5),
		TaskCheckInterval:   r.dur("KYC_TASK_CHECK_INTERVAL", 20*time.Millisecond),
		ShutdownTimeout:     r.dur("KYC_SHUTDOWN_TIMEOUT", 30*time.Second),
		ModelsDir:           r.str("KYC_MODELS_DIR", "models"),
		DebugStageDelay:     r.dur("KYC_DEBUG_STAGE_DELAY", 0),
		LogLevel:            r.str("KYC_LOG_LEVEL", "info"),
	}
	c.Tokens = parseTokens(r.str("KYC_TOKENS", ""))
	c.Stages = parseList(r.str("KYC_STAGES", "faces,document,fraud"))
	if r.err != nil {
		return Config{}, r.err
	}
	if err := c.validate(); err != nil {
		return Config{}, err
	}
	return c, nil
}

func (c Config) validate() error {
	switch {
	case c.TaskTimeout <= 0 || c.TaskTimeout > MaxTaskTimeout:
		return fmt.Errorf("config: KYC_TASK_TIMEOUT must be in (0, %v], got %v", MaxTaskTimeout, c.TaskTimeout)
	case c.MaxBodyBytes <= 0 || c.MaxFileBytes <= 0 || c.MaxImages <= 0 || c.MaxPixels <= 0:
		return fmt.Errorf("config: size and count limits must be positive")
	case c.Concurrency <= 0:
		return fmt.Errorf("config: KYC_WORKER_CONCURRENCY must be positive, got %d", c.Concurrency)
	case c.Retention < time.Minute:
		return fmt.Errorf("config: KYC_RETENTION must be at least 1m, got %v", c.Retention)
	case c.TaskCheckInterval <= 0:
		return fmt.Errorf("config: KYC_TASK_CHECK_INTERVAL must be positive")
	case c.MaxRetry < 0:
		return fmt.Errorf("config: KYC_MAX_RETRY must not be negative")
	case c.TempTokenTTL <= 0 || c.TempTokenTTL > MaxTempTokenTTL:
		return fmt.Errorf("config: KYC_TEMP_TOKEN_TTL must be in (0, %v]", MaxTempTokenTTL)
	case c.JWTKeyRotation < time.Minute:
		return fmt.Errorf("config: KYC_JWT_KEY_ROTATION must be at least 1m")
	case c.RateLimit < 0 || c.RateWindow <= 0:
		return fmt.Errorf("config: KYC_RATE_LIMIT must not be negative and KYC_RATE_WINDOW positive")
	case c.CallbackMaxRetry < 0 || c.CallbackTimeout <= 0:
		return fmt.Errorf("config: KYC_CALLBACK_MAX_RETRY must not be negative and KYC_CALLBACK_TIMEOUT positive")
	}
	return nil
}

// AllTokens returns Tokens plus DevToken (account "dev") when set.
func (c Config) AllTokens() map[string]string {
	out := make(map[string]string, len(c.Tokens)+1)
	for k, v := range c.Tokens {
		out[k] = v
	}
	if c.DevToken != "" {
		out[c.DevToken] = "dev"
	}
	return out
}

func parseTokens(s string) map[string]string {
	out := map[string]string{}
	for _, item := range strings.Split(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		tok, acct, ok := strings.Cut(item, "=")
		if !ok || acct == "" {
			acct = "default"
		}
		out[strings.TrimSpace(tok)] = strings.TrimSpace(acct)
	}
	return out
}

func parseList(s string) []string {
	var out []string
	for _, item := range strings.Split(s, ",") {
		if item = strings.TrimSpace(item); item != "" && item != "none" {
			out = append(out, item)
		}
	}
	return out
}

// reader collects the first malformed variable so Load reports it.
type reader struct {
	getenv func(string) string
	err    error
}

func (r *reader) str(key, def string) string {
	if v := r.getenv(key); v != "" {
		return v
	}
	return def
}

func (r *reader) fail(key, v string, err error) {
	if r.err == nil {
		r.err = fmt.Errorf("config: %s=%q: %w", key, v, err)
	}
}

func (r *reader) int(key string, def int) int {
	return int(r.int64(key, int64(def)))
}

func (r *reader) int64(key string, def int64) int64 {
	v := r.getenv(key)
	if v == "" {
		return def
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		r.fail(key, v, err)
		return def
	}
	return n
}

func (r *reader) bool(key string, def bool) bool {
	v := r.getenv(key)
	if v == "" {
		return def
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		r.fail(key, v, err)
		return def
	}
	return b
}

func (r *reader) dur(key string, def time.Duration) time.Duration {
	v := r.getenv(key)
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		r.fail(key, v, err)
		return def
	}
	return d
}
