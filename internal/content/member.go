package content

import (
	"net/mail"
	"strings"
)

// Limits of reader input.
const (
	MaxMemberName   = 80
	MaxMemberLangs  = 10
	MaxCommentBytes = 5000
	// MaxCommentLinks is how many links a comment may carry; more is the
	// mark of spam far more often than of a reader.
	MaxCommentLinks = 2
)

// disposableDomains are throwaway-mail services that sign-ups are refused
// from; a list kept short on purpose: the rate limits do the real work.
var disposableDomains = map[string]bool{
	"mailinator.com": true, "guerrillamail.com": true, "10minutemail.com": true, "trashmail.com": true,
	"yopmail.com": true, "tempmail.com": true, "temp-mail.org": true, "sharklasers.com": true,
	"getnada.com": true, "dispostable.com": true, "maildrop.cc": true, "throwawaymail.com": true,
}

// NormalizeEmail returns the address in lower case, or an invalid error
// naming the field "email" for anything that is not one plain address
// (no display name, no line breaks) or that belongs to a disposable-mail
// service.
func NormalizeEmail(s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	p := Problems{}
	a, err := mail.ParseAddress(s)
	switch {
	case s == "":
		p.Add("email", "is required")
	case len(s) > 254 || strings.ContainsAny(s, "\r\n\"<> ") || err != nil || a.Address != s || !strings.Contains(s[strings.LastIndexByte(s, '@')+1:], "."):
		p.Add("email", "%q is not an email address", s)
	case disposableDomains[s[strings.LastIndexByte(s, '@')+1:]]:
		p.Add("email", "addresses at %s are disposable; use your own address", s[strings.LastIndexByte(s, '@')+1:])
	}
	if err := p.Err("email"); err != nil {
		return "", err
	}
	return s, nil
}

// CheckMemberProfile validates a member's name and languages.
func CheckMemberProfile(name string, langs []string) error {
	p := Problems{}
	checkText(p, "name", name, 0, MaxMemberName)
	if strings.ContainsAny(name, "\r\n<>") {
		p.Add("name", "may not contain line breaks or angle brackets")
	}
	if len(langs) > MaxMemberLangs {
		p.Add("languages", "lists more than %d languages", MaxMemberLangs)
	}
	for _, l := range langs {
		if !ValidLanguageTag(l) {
			p.Add("languages", "%q is not a language tag", l)
		}
	}
	return p.Err("profile")
}
