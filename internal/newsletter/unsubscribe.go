package newsletter

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/url"
	"strconv"
)

// UnsubscribePath is where unsubscribe links point. GET shows a button;
// POST (the button, or a mail client's RFC 8058 one-click request)
// unsubscribes.
const UnsubscribePath = "/newsletters/unsubscribe"

// Token signs (member, newsletter) with key, so an unsubscribe link works
// without signing in and cannot be made for anyone else.
func Token(key []byte, memberID, newsletterID int64) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("unsubscribe\x00" + strconv.FormatInt(memberID, 10) + "\x00" + strconv.FormatInt(newsletterID, 10)))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:18])
}

// CheckToken reports whether tok is Token(key, memberID, newsletterID).
func CheckToken(key []byte, memberID, newsletterID int64, tok string) bool {
	return hmac.Equal([]byte(tok), []byte(Token(key, memberID, newsletterID)))
}

// UnsubscribeURL is the absolute unsubscribe link of one member and newsletter.
func UnsubscribeURL(key []byte, base string, memberID, newsletterID int64) string {
	q := url.Values{"m": {strconv.FormatInt(memberID, 10)}, "n": {strconv.FormatInt(newsletterID, 10)},
		"t": {Token(key, memberID, newsletterID)}}
	return base + UnsubscribePath + "?" + q.Encode()
}
