// Package storage keeps the service's objects in MinIO: uploaded originals,
// the normalised copy of each image and the crops the worker cuts from it.
// Every object of one image lives under ImagePrefix(imageID), so an image is
// removed as one prefix.
package storage

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
	"github.com/minio/minio-go/v7/pkg/lifecycle"
)

// ErrTooLarge is returned by Get when an object exceeds the allowed size.
var ErrTooLarge = errors.New("storage: object too large")

// ErrNotFound is returned by Get when the object does not exist.
var ErrNotFound = errors.New("storage: object not found")

// Options configures a Store.
type Options struct {
	Endpoint, AccessKey, SecretKey, Bucket, Region string
	Secure                                         bool
	// PublicEndpoint, when set, is the host:port used in presigned URLs.
	PublicEndpoint string
}

// Store reads and writes the objects of one bucket. It is safe for
// concurrent use; its fields are immutable after construction.
type Store struct {
	client *minio.Client
	// signer presigns URLs for PublicEndpoint; it is client when none is set.
	signer *minio.Client
	bucket string
}

// New connects to the object store. It makes no request; call EnsureBucket
// once at start.
func New(opts Options) (*Store, error) {
	mk := func(endpoint string) (*minio.Client, error) {
		return minio.New(endpoint, &minio.Options{
			Creds:  credentials.NewStaticV4(opts.AccessKey, opts.SecretKey, ""),
			Secure: opts.Secure,
			Region: opts.Region,
		})
	}
	c, err := mk(opts.Endpoint)
	if err != nil {
		return nil, fmt.Errorf("storage: client for %s: %w", opts.Endpoint, err)
	}
	s := &Store{client: c, signer: c, bucket: opts.Bucket}
	if opts.PublicEndpoint != "" {
		if s.signer, err = mk(opts.PublicEndpoint); err != nil {
			return nil, fmt.Errorf("storage: client for %s: %w", opts.PublicEndpoint, err)
		}
	}
	return s, nil
}

// EnsureBucket creates the bucket when missing and sets a lifecycle rule
// that expires objects after retention (rounded up to whole days, MinIO's
// granularity; sessions themselves expire to the second in Redis).
func (s *Store) EnsureBucket(ctx context.Context, retention time.Duration) error {
	ok, err := s.client.BucketExists(ctx, s.bucket)
	if err != nil {
		return fmt.Errorf("storage: bucket %s: %w", s.bucket, err)
	}
	if !ok {
		if err := s.client.MakeBucket(ctx, s.bucket, minio.MakeBucketOptions{}); err != nil {
			// Another process may have created it since.
			if exists, err2 := s.client.BucketExists(ctx, s.bucket); err2 != nil || !exists {
				return fmt.Errorf("storage: make bucket %s: %w", s.bucket, err)
			}
		}
	}
	days := int((retention + 24*time.Hour - 1) / (24 * time.Hour))
	cfg := lifecycle.NewConfiguration()
	cfg.Rules = []lifecycle.Rule{{
		ID:         "kyc-retention",
		Status:     "Enabled",
		RuleFilter: lifecycle.Filter{Prefix: ImagesRoot},
		Expiration: lifecycle.Expiration{Days: lifecycle.ExpirationDays(days)},
	}}
	if err := s.client.SetBucketLifecycle(ctx, s.bucket, cfg); err != nil {
		return fmt.Errorf("storage: lifecycle of %s: %w", s.bucket, err)
	}
	return nil
}

// Ping checks that the bucket is reachable.
func (s *Store) Ping(ctx context.Context) error {
	if _, err := s.client.BucketExists(ctx, s.bucket); err != nil {
		return fmt.Errorf("storage: ping: %w", err)
	}
	return nil
}

// Put stores r under key. A size of -1 streams r in parts of 5 MiB, so
// memory stays bounded whatever the upload's length.
func (s *Store) Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error {
	_, err := s.client.PutObject(ctx, s.bucket, key, r, size, minio.PutObjectOptions{
		ContentType: contentType,
		PartSize:    5 << 20,
	})
	if err != nil {
		return fmt.Errorf("storage: put %s: %w", key, err)
	}
	return nil
}

// PutBytes stores b under key.
func (s *Store) PutBytes(ctx context.Context, key string, b []byte, contentType string) error {
	return s.Put(ctx, key, bytes.NewReader(b), int64(len(b)), contentType)
}

// Get reads the object under key, refusing with ErrTooLarge one of more
// than maxBytes.
func (s *Store) Get(ctx context.Context, key string, maxBytes int64) ([]byte, error) {
	obj, err := s.client.GetObject(ctx, s.bucket, key, minio.GetObjectOptions{})
	if err != nil {
		return nil, fmt.Errorf("storage: get %s: %w", key, err)
	}
	defer obj.Close()
	b, err := io.ReadAll(io.LimitReader(obj, maxBytes+1))
	if err != nil {
		if minio.ToErrorResponse(err).Code == minio.NoSuchKey {
			return nil, fmt.Errorf("storage: get %s: %w", key, ErrNotFound)
		}
		return nil, fmt.Errorf("storage: get %s: %w", key, err)
	}
	if int64(len(b)) > maxBytes {
		return nil, fmt.Errorf("storage: get %s: %w", key, ErrTooLarge)
	}
	return b, nil
}

// PresignGet returns a URL that serves key without credentials until expiry.
func (s *Store) PresignGet(ctx context.Context, key string, expiry time.Duration) (string, error) {
	u, err := s.signer.PresignedGetObject(ctx, s.bucket, key, expiry, url.Values{})
	if err != nil {
		return "", fmt.Errorf("storage: presign %s: %w", key, err)
	}
	return u.String(), nil
}

// DeletePrefix removes every object whose key starts with prefix.
func (s *Store) DeletePrefix(ctx context.Context, prefix string) error {
	objs := s.client.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Prefix: prefix, Recursive: true})
	for e := range s.client.RemoveObjects(ctx, s.bucket, objs, minio.RemoveObjectsOptions{}) {
		if e.Err != nil {
			return fmt.Errorf("storage: delete %s: %w", e.ObjectName, e.Err)
		}
	}
	return nil
}

// List returns the keys under prefix.
func (s *Store) List(ctx context.Context, prefix string) ([]string, error) {
	var keys []string
	for o := range s.client.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Prefix: prefix, Recursive: true}) {
		if o.Err != nil {
			return nil, fmt.Errorf("storage: list %s: %w", prefix, o.Err)
		}
		keys = append(keys, o.Key)
	}
	return keys, nil
}
