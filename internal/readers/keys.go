package readers

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// keyFile holds the secret that signs unsubscribe links and form
// timestamps, in the data directory so every node sharing it agrees.
const keyFile = "readers.key"

// LoadKey reads the data directory's reader key, creating it on first use.
func LoadKey(dataDir string) ([]byte, error) {
	path := filepath.Join(dataDir, keyFile)
	b, err := os.ReadFile(path)
	if err == nil {
		k, err := hex.DecodeString(strings.TrimSpace(string(b)))
		if err != nil || len(k) < 32 {
			return nil, fmt.Errorf("readers: %s is not a 32-byte hex key", path)
		}
		return k, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("readers: read key: %w", err)
	}
	k := make([]byte, 32)
	_, _ = rand.Read(k)
	if err := os.WriteFile(path, []byte(hex.EncodeToString(k)+"\n"), 0o600); err != nil {
		return nil, fmt.Errorf("readers: write key: %w", err)
	}
	return k, nil
}

func (h *Readers) mac(parts ...string) string {
	m := hmac.New(sha256.New, h.cfg.Key)
	m.Write([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(m.Sum(nil))[:32]
}

// formStamp marks when a form was shown, signed so it cannot be backdated.
func (h *Readers) formStamp() string {
	ts := strconv.FormatInt(h.now().Unix(), 10)
	return ts + "." + h.mac("form", ts)
}

// checkStamp refuses a form sent sooner than MinTimeOnPage after it was
// shown (robots post at once), or a day later, or with a forged stamp; it
// returns the catalog key of the problem, or "".
func (h *Readers) checkStamp(stamp string) string {
	ts, sig, ok := strings.Cut(stamp, ".")
	n, err := strconv.ParseInt(ts, 10, 64)
	if !ok || err != nil || !hmac.Equal([]byte(sig), []byte(h.mac("form", ts))) {
		return "members.error.form"
	}
	age := h.now().Sub(time.Unix(n, 0))
	switch {
	case age < h.cfg.MinTimeOnPage:
		return "members.error.quick"
	case age > 24*time.Hour:
		return "members.error.form"
	}
	return ""
}
