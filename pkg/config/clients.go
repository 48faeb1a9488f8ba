package config

import (
	"log/slog"
	"os"
	"strings"

	"github.com/openkyc/kyc/pkg/storage"
	"github.com/redis/go-redis/v9"
)

// RedisOptions returns the options of a go-redis client for c.
func (c Config) RedisOptions() *redis.Options {
	return &redis.Options{Addr: c.RedisAddr, Password: c.RedisPassword, DB: c.RedisDB}
}

// StorageOptions returns the options of the object store for c.
func (c Config) StorageOptions() storage.Options {
	return storage.Options{
		Endpoint: c.MinIOEndpoint, AccessKey: c.MinIOAccessKey, SecretKey: c.MinIOSecretKey,
		Bucket: c.MinIOBucket, Region: c.MinIORegion, Secure: c.MinIOSecure,
		PublicEndpoint: c.PublicMinIOEndpoint,
	}
}

// Logger returns a JSON logger on stderr at c.LogLevel that names service.
func (c Config) Logger(service string) *slog.Logger {
	var level slog.Level
	switch strings.ToLower(c.LogLevel) {
	case "debug":
		level = slog.LevelDebug
	case "warn":
		level = slog.LevelWarn
	case "error":
		level = slog.LevelError
	}
	h := slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: level})
	return slog.New(h).With("service", service)
}
