package callback

import "testing"

func TestSign(t *testing.T) {
	tests := []struct {
		secret, body, want string
	}{
		// RFC 4231, test case 2.
		{"Jefe", "what do ya want for nothing?", "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
		// The HMAC example of Wikipedia.
		{"key", "The quick brown fox jumps over the lazy dog", "sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"},
	}
	for _, tt := range tests {
		if got := Sign(tt.secret, []byte(tt.body)); got != tt.want {
			t.Errorf("Sign(%q, %q) = %s, want %s", tt.secret, tt.body, got, tt.want)
		}
	}
	if Sign("a-secret-of-16-chars", []byte("x")) == Sign("another-secret-16ch", []byte("x")) {
		t.Error("the secret does not change the signature")
	}
}
