package content

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// EmailHash is how stored bookkeeping names an address without keeping
// it: the hex SHA-256 of the address in lower case, the same digest the
// sign-in counters use.
func EmailHash(email string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(email))))
	return hex.EncodeToString(sum[:])
}
