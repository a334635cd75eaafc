package auth

import (
	"sync/atomic"

	"github.com/alexedwards/argon2id"
)

// DefaultParams are the production argon2id parameters, for the test that
// checks them.
var DefaultParams = defaultParams

// fastParams keep the sign-in tests quick under -race; hashes made with
// them still verify through the same code.
var fastParams = &argon2id.Params{Memory: 1024, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}

// UseFastHashes switches new hashes to fastParams; call it from TestMain only.
func UseFastHashes() { params = fastParams }

// HashWithDefaults hashes with the production parameters.
func HashWithDefaults(pw string) (string, error) {
	saved := params
	params = defaultParams
	defer func() { params = saved }()
	return HashPassword(pw)
}

// Checks counts password checks since TestMain called CountChecks.
var Checks atomic.Int64

// CountChecks makes every password check add to Checks; TestMain only.
func CountChecks() { onCheck = func() { Checks.Add(1) } }
