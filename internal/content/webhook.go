package content

import (
	"net/url"
	"strings"
)

// Webhook event names. A subscription names the events it wants; each is
// derived from a change event (see internal/webhooks).
const (
	EventArticlePublished   = "article.published"
	EventArticleUpdated     = "article.updated" // a public article was edited
	EventArticleUnpublished = "article.unpublished"
	EventArticleDeleted     = "article.deleted"
	EventCommentCreated     = "comment.created"  // posted; it may await moderation
	EventCommentApproved    = "comment.approved" // shown on its article
	EventCommentHeld        = "comment.held"     // back to awaiting moderation
	EventCommentSpam        = "comment.spam"     // marked spam (or its author banned)
	EventCommentDeleted     = "comment.deleted"
	EventMemberCreated      = "member.created"
	EventMemberUpdated      = "member.updated" // profile or an import changed the record
	EventMemberBlocked      = "member.blocked"
	EventMemberUnblocked    = "member.unblocked"
	EventMemberDeleted      = "member.deleted" // the member deleted their account
)

// WebhookEvents lists every event a webhook may subscribe to.
var WebhookEvents = []string{EventArticlePublished, EventArticleUpdated, EventArticleUnpublished, EventArticleDeleted,
	EventCommentCreated, EventCommentApproved, EventCommentHeld, EventCommentSpam, EventCommentDeleted,
	EventMemberCreated, EventMemberUpdated, EventMemberBlocked, EventMemberUnblocked, EventMemberDeleted}

// CheckWebhookURL reports why raw cannot receive webhooks, or nil: it must
// be an absolute http(s) URL without credentials. Whether its address is
// private is decided when it is dialled, as DNS answers can change.
func CheckWebhookURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Hostname() == "" {
		return Errorf(EINVALID, "url %q must be an absolute http(s) URL", raw)
	}
	if u.User != nil {
		return Errorf(EINVALID, "url must not carry a user name or password; use the signing secret to authenticate")
	}
	if len(raw) > 2000 {
		return Errorf(EINVALID, "url is longer than 2000 bytes")
	}
	return nil
}

// NormalizeDomain returns host lower-cased without a leading "www.", the
// form republication counts and domain rules use; "" when host is not a
// plausible host name (with an optional port).
func NormalizeDomain(host string) string {
	h := strings.TrimSuffix(strings.ToLower(strings.TrimSpace(host)), ".")
	h = strings.TrimPrefix(h, "www.")
	if h == "" || len(h) > 253 {
		return ""
	}
	for _, c := range h {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == ':' || c == '[' || c == ']') {
			return ""
		}
	}
	return h
}
