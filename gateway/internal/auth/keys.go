package auth

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/lestrrat-go/jwx/v2/jwa"
	"github.com/lestrrat-go/jwx/v2/jwk"
	"github.com/openkyc/kyc/pkg/accounts"
)

// KeyStore keeps the signing keys; *accounts.Store implements it.
type KeyStore interface {
	SigningKeys(ctx context.Context) ([]accounts.SigningKey, string, error)
	RotateSigningKey(ctx context.Context, candidate accounts.SigningKey, maxAge, keep time.Duration) (string, error)
}

// Algorithm is the only JWS algorithm the service signs and accepts.
const Algorithm = jwa.ES256

// KeyRing caches the shared signing keys. A gateway signs with the current
// key; it verifies with any key not yet dropped, reloading the set when a
// token names a kid it does not know (at most once a second).
type KeyRing struct {
	store    KeyStore
	rotation time.Duration
	keep     time.Duration
	now      func() time.Time

	mu         sync.Mutex
	private    map[string]jwk.Key
	created    map[string]time.Time
	current    string
	loadedAt   time.Time
	lastReload time.Time
}

// NewKeyRing returns a ring whose current key signs for rotation and whose
// keys are kept for keep after they were made (longer than any token they
// sign lives).
func NewKeyRing(store KeyStore, rotation, keep time.Duration, now func() time.Time) *KeyRing {
	if now == nil {
		now = time.Now
	}
	return &KeyRing{store: store, rotation: rotation, keep: keep, now: now,
		private: map[string]jwk.Key{}, created: map[string]time.Time{}}
}

// signer returns the current private key, rotating it when it is due.
func (r *KeyRing) signer(ctx context.Context) (jwk.Key, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	now := r.now()
	if k, ok := r.private[r.current]; ok && now.Sub(r.created[r.current]) < r.rotation {
		return k, nil
	}
	cand, err := newSigningKey()
	if err != nil {
		return nil, err
	}
	if _, err := r.store.RotateSigningKey(ctx, cand, r.rotation, r.keep); err != nil {
		return nil, err
	}
	if err := r.loadLocked(ctx); err != nil {
		return nil, err
	}
	k, ok := r.private[r.current]
	if !ok {
		return nil, fmt.Errorf("auth: current signing key %q missing", r.current)
	}
	return k, nil
}

// public returns the public key of kid, or nil when there is none.
func (r *KeyRing) public(ctx context.Context, kid string) (jwk.Key, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	k, ok := r.private[kid]
	if !ok && r.now().Sub(r.lastReload) >= time.Second {
		if err := r.loadLocked(ctx); err != nil {
			return nil, err
		}
		k, ok = r.private[kid]
	}
	if !ok || r.now().Sub(r.created[kid]) > r.keep {
		return nil, nil
	}
	return k.PublicKey()
}

// PublicSet returns the public keys as a JWK set (the JWKS document),
// reloading them when the cache is older than a minute.
func (r *KeyRing) PublicSet(ctx context.Context) (jwk.Set, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.private) == 0 || r.now().Sub(r.loadedAt) > time.Minute {
		if err := r.loadLocked(ctx); err != nil {
			return nil, err
		}
	}
	set := jwk.NewSet()
	for _, k := range r.private {
		if err := set.AddKey(k); err != nil {
			return nil, fmt.Errorf("auth: jwks: %w", err)
		}
	}
	return jwk.PublicSetOf(set)
}

func (r *KeyRing) loadLocked(ctx context.Context) error {
	r.lastReload = r.now()
	stored, cur, err := r.store.SigningKeys(ctx)
	if err != nil {
		return err
	}
	priv := make(map[string]jwk.Key, len(stored))
	created := make(map[string]time.Time, len(stored))
	for _, sk := range stored {
		k, err := jwk.ParseKey(sk.JWK)
		if err != nil {
			continue
		}
		priv[sk.ID], created[sk.ID] = k, sk.CreatedAt
	}
	r.private, r.created, r.current, r.loadedAt = priv, created, cur, r.now()
	return nil
}

// newSigningKey makes a P-256 key with a fresh kid.
func newSigningKey() (accounts.SigningKey, error) {
	raw, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return accounts.SigningKey{}, fmt.Errorf("auth: generate key: %w", err)
	}
	k, err := jwk.FromRaw(raw)
	if err != nil {
		return accounts.SigningKey{}, fmt.Errorf("auth: jwk: %w", err)
	}
	kid := uuid.NewString()
	for name, v := range map[string]any{jwk.KeyIDKey: kid, jwk.AlgorithmKey: Algorithm, jwk.KeyUsageKey: "sig"} {
		if err := k.Set(name, v); err != nil {
			return accounts.SigningKey{}, fmt.Errorf("auth: jwk %s: %w", name, err)
		}
	}
	b, err := json.Marshal(k)
	if err != nil {
		return accounts.SigningKey{}, fmt.Errorf("auth: encode jwk: %w", err)
	}
	return accounts.SigningKey{ID: kid, JWK: b}, nil
}
