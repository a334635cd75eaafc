package content

import (
	"net/mail"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/language"
)

func checkText(p Problems, field, s string, minLen, maxLen int) {
	if !utf8.ValidString(s) {
		p.Add(field, "is not valid UTF-8")
		return
	}
	if minLen > 0 && strings.TrimSpace(s) == "" {
		p.Add(field, "is required")
		return
	}
	if len(s) > maxLen {
		p.Add(field, "is longer than %d bytes", maxLen)
	}
}

func checkURL(p Problems, field, s string, optional bool) {
	if s == "" {
		if !optional {
			p.Add(field, "is required")
		}
		return
	}
	if !isHTTPURL(s) {
		p.Add(field, "%q must be an absolute http(s) URL", s)
	}
}

func isHTTPURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

func looksLikeEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s
}

// ValidLanguageTag reports whether tag is a well-formed BCP 47 tag such as
// "en", "fa" or "zh-Hant".
func ValidLanguageTag(tag string) bool {
	if tag == "" || len(tag) > 35 {
		return false
	}
	_, err := language.Parse(tag)
	return err == nil
}

// ValidTimeZone reports whether name is a loadable IANA zone.
func ValidTimeZone(name string) bool {
	if name == "" {
		return false
	}
	_, err := time.LoadLocation(name)
	return err == nil
}
