package auth

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/alexedwards/argon2id"

	"folio/internal/content"
)

// params follow RFC 9106's second recommendation (m = 64 MiB, t = 3,
// p = 4): strong on a small machine without the 2 GiB of the first one.
var defaultParams = &argon2id.Params{
	Memory:      64 * 1024,
	Iterations:  3,
	Parallelism: 4,
	SaltLength:  16,
	KeyLength:   32,
}

// params are the parameters of new hashes. Tests of the sign-in flows
// lower them; checking an existing hash always uses the hash's own.
var params = defaultParams

// hashSlots bounds concurrent hashes: each takes 64 MiB, and a burst of
// sign-ins must not run a small server out of memory.
var hashSlots = make(chan struct{}, max(2, runtime.NumCPU()))

func withHashSlot[T any](f func() (T, error)) (T, error) {
	hashSlots <- struct{}{}
	defer func() { <-hashSlots }()
	return f()
}

// Password length limits. The upper one keeps hashing cheap to refuse.
const (
	MinPasswordLen   = 12  // characters
	MaxPasswordBytes = 256 // bytes
)

// HashPassword returns the argon2id hash of pw in the PHC string format.
func HashPassword(pw string) (string, error) {
	h, err := withHashSlot(func() (string, error) { return argon2id.CreateHash(pw, params) })
	if err != nil {
		return "", fmt.Errorf("auth: hash password: %w", err)
	}
	return h, nil
}

// CheckPassword reports whether pw matches hash, comparing in constant time.
// An empty hash (an invitation not yet accepted) never matches.
func CheckPassword(hash, pw string) (bool, error) {
	if hash == "" {
		return false, nil
	}
	if onCheck != nil {
		onCheck()
	}
	ok, err := withHashSlot(func() (bool, error) { return argon2id.ComparePasswordAndHash(pw, hash) })
	if err != nil {
		return false, fmt.Errorf("auth: check password: %w", err)
	}
	return ok, nil
}

// onCheck, when set by a test, is called before each password check.
var onCheck func()

var (
	dummyOnce sync.Once
	dummyHash string
)

// burnHash spends the time of one password check, so an unknown email
// answers as slowly as a known one.
func burnHash(pw string) {
	dummyOnce.Do(func() {
		dummyHash, _ = HashPassword("folio dummy password for unknown accounts")
	})
	_, _ = CheckPassword(dummyHash, pw)
}

// ValidatePassword checks a new password: at least MinPasswordLen
// characters, at most MaxPasswordBytes bytes, valid UTF-8, and not one
// character repeated.
func ValidatePassword(pw string) error {
	msg := ""
	switch {
	case !utf8.ValidString(pw):
		msg = "is not valid text"
	case len(pw) > MaxPasswordBytes:
		msg = fmt.Sprintf("must be at most %d bytes", MaxPasswordBytes)
	case utf8.RuneCountInString(pw) < MinPasswordLen:
		msg = fmt.Sprintf("must be at least %d characters", MinPasswordLen)
	case strings.Count(pw, pw[:utf8.RuneLen([]rune(pw)[0])]) == utf8.RuneCountInString(pw):
		msg = "must not be one character repeated"
	default:
		return nil
	}
	return &content.Error{Code: content.EINVALID, Message: "password " + msg, Fields: map[string]string{"password": msg}}
}
