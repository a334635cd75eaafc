package newsletter

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"html"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// First-party open and click tracking, off unless the operator turns it
// on: the message carries a 1×1 image and its links go through the site's
// own redirect, each signed for one send, member and URL, so nobody else
// learns who read what and the redirect cannot be pointed anywhere else.

// Paths of the tracking image and the click redirect.
const (
	OpenPath  = "/mail/o"
	ClickPath = "/mail/c"
)

func trackToken(key []byte, kind string, sendID, memberID int64, target string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("track\x00" + kind + "\x00" + strconv.FormatInt(sendID, 10) + "\x00" + strconv.FormatInt(memberID, 10) + "\x00" + target))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:18])
}

// CheckTrackToken reports whether tok signs (kind, send, member, target).
func CheckTrackToken(key []byte, kind string, sendID, memberID int64, target, tok string) bool {
	return hmac.Equal([]byte(tok), []byte(trackToken(key, kind, sendID, memberID, target)))
}

// OpenURL is the tracking image of one recipient of a send.
func OpenURL(key []byte, base string, sendID, memberID int64) string {
	q := url.Values{"s": {strconv.FormatInt(sendID, 10)}, "m": {strconv.FormatInt(memberID, 10)},
		"t": {trackToken(key, "open", sendID, memberID, "")}}
	return base + OpenPath + "?" + q.Encode()
}

// ClickURL is the redirect to target for one recipient of a send.
func ClickURL(key []byte, base string, sendID, memberID int64, target string) string {
	q := url.Values{"s": {strconv.FormatInt(sendID, 10)}, "m": {strconv.FormatInt(memberID, 10)}, "u": {target},
		"t": {trackToken(key, "click", sendID, memberID, target)}}
	return base + ClickPath + "?" + q.Encode()
}

var hrefAttr = regexp.MustCompile(`href="(https?://[^"]+)"`)

// track rewrites the http(s) links of a message's HTML through ClickURL,
// except skip (the unsubscribe link, which must work without a detour),
// and adds the tracking image before </body>.
func track(body string, key []byte, base string, sendID, memberID int64, skip string) string {
	body = hrefAttr.ReplaceAllStringFunc(body, func(attr string) string {
		target := html.UnescapeString(hrefAttr.FindStringSubmatch(attr)[1])
		if target == skip {
			return attr
		}
		return `href="` + html.EscapeString(ClickURL(key, base, sendID, memberID, target)) + `"`
	})
	img := `<img src="` + html.EscapeString(OpenURL(key, base, sendID, memberID)) + `" width="1" height="1" alt="" style="display:block;border:0;">`
	if i := strings.LastIndex(body, "</body>"); i >= 0 {
		return body[:i] + img + "\n" + body[i:]
	}
	return body + img
}
