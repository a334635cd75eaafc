package content

import (
	"slices"
	"strings"
	"time"
)

// Access says who may read an article's full text. Everyone sees the
// headline, the deck and the lede; the rest is what access governs.
type Access string

// The access levels. The empty value is public, so articles stored before
// access existed (and imports that never heard of it) stay open.
const (
	AccessPublic Access = "public"
	// AccessMembers: signed-in members only, paid or not.
	AccessMembers Access = "members"
	// AccessMembersFirst: members only until FreeAt, then public.
	AccessMembersFirst Access = "members-first"
	// AccessPaid: members with an active paid tier (AccessTier, or any
	// paid tier when AccessTier is empty).
	AccessPaid Access = "paid"
)

// AccessLevels lists the levels in the order the editor offers them.
var AccessLevels = []Access{AccessPublic, AccessMembers, AccessMembersFirst, AccessPaid}

// DefaultMembersFirst is how long a members-first article stays for
// members when it names no FreeAt: a week from its publication.
const DefaultMembersFirst = 7 * 24 * time.Hour

// Valid reports whether a is a known access level (the empty value included).
func (a Access) Valid() bool {
	return a == "" || slices.Contains(AccessLevels, a)
}

// OrPublic returns a, or AccessPublic for the empty value.
func (a Access) OrPublic() Access {
	if a == "" {
		return AccessPublic
	}
	return a
}

// Reader is what access rules know of whoever asks for an article: whether
// they are a signed-in member, and the paid tiers they hold now.
type Reader struct {
	Member bool
	Tiers  []string // slugs of active paid tiers
}

// FreeFrom returns when a members-first article's full text becomes
// public: FreeAt, or DefaultMembersFirst after publication. Zero for other
// levels and for unpublished members-first articles without FreeAt.
func (a *Article) FreeFrom() time.Time {
	if a.Access != AccessMembersFirst {
		return time.Time{}
	}
	if !a.FreeAt.IsZero() {
		return a.FreeAt
	}
	if a.PublishedAt.IsZero() {
		return time.Time{}
	}
	return a.PublishedAt.Add(DefaultMembersFirst)
}

// PublicFullText reports whether anyone, signed in or not, may read the
// article's full text at time now. It is the predicate every public copy
// of the text obeys: pages in the shared cache, feeds, search indexes and
// snippets, the forward page, republishing, static exports. When it is
// false those carry the headline, deck and lede only.
func (a *Article) PublicFullText(now time.Time) bool {
	switch a.Access {
	case "", AccessPublic:
		return true
	case AccessMembersFirst:
		f := a.FreeFrom()
		return !f.IsZero() && !f.After(now)
	}
	return false
}

// FullTextFor reports whether reader r may read the article's full text at
// time now.
func (a *Article) FullTextFor(r Reader, now time.Time) bool {
	if a.PublicFullText(now) {
		return true
	}
	switch a.Access {
	case AccessMembers, AccessMembersFirst:
		return r.Member
	case AccessPaid:
		if !r.Member {
			return false
		}
		if a.AccessTier == "" {
			return len(r.Tiers) > 0
		}
		return slices.Contains(r.Tiers, a.AccessTier)
	}
	return false
}

// checkAccess validates the access fields and normalises the empty level
// to public.
func (a *Article) checkAccess(p Problems) {
	if a.Access == "" {
		a.Access = AccessPublic
	}
	if !a.Access.Valid() {
		p.Add("access", "must be one of public, members, members-first, paid (got %q)", a.Access)
		return
	}
	if a.AccessTier != "" {
		if a.Access != AccessPaid {
			p.Add("access_tier", "is only for paid articles (access is %q)", a.Access)
		} else if err := CheckSlug(a.AccessTier); err != nil {
			p.Add("access_tier", "%s", err.Error())
		}
	}
	if !a.FreeAt.IsZero() && a.Access != AccessMembersFirst {
		p.Add("free_at", "is only for members-first articles (access is %q)", a.Access)
	}
	if !a.FreeAt.IsZero() && !a.PublishedAt.IsZero() && a.FreeAt.Before(a.PublishedAt) {
		p.Add("free_at", "is before the publication time")
	}
}

// ledeMinText is how much text the lede of a gated article aims for: the
// first paragraph, and the next ones while the text is shorter than this.
const ledeMinText = 280

// Lede returns the opening of a sanitized article body: everything up to
// the end of the first top-level paragraph, and of following ones while
// the lede is shorter than a few sentences (an opening one-liner alone says
// little), at most three paragraphs. The cut is always between top-level
// elements, so the lede is balanced HTML. A body with no top-level
// paragraph gives "".
func Lede(bodyHTML string) string {
	cut, paras, depth := 0, 0, 0
	for i := 0; i < len(bodyHTML) && paras < 3; {
		lt := strings.IndexByte(bodyHTML[i:], '<')
		if lt < 0 {
			break
		}
		lt += i
		gt := strings.IndexByte(bodyHTML[lt:], '>')
		if gt < 0 {
			break
		}
		gt += lt
		tag := bodyHTML[lt+1 : gt]
		i = gt + 1
		closing := strings.HasPrefix(tag, "/")
		name := tagName(tag)
		switch {
		case strings.HasPrefix(tag, "!"), voidElements[name], strings.HasSuffix(tag, "/"):
		case closing:
			depth--
			if depth == 0 && name == "p" {
				cut, paras = i, paras+1
				if textLen(bodyHTML[:cut]) >= ledeMinText {
					return bodyHTML[:cut]
				}
			}
		default:
			depth++
		}
	}
	return bodyHTML[:cut]
}

// tagName is the lower-case element name of the text between < and >.
func tagName(tag string) string {
	tag = strings.TrimPrefix(tag, "/")
	if i := strings.IndexAny(tag, " \t\n/"); i >= 0 {
		tag = tag[:i]
	}
	return strings.ToLower(tag)
}

// textLen counts the characters outside tags (an entity counts as
// several; close enough for a length target).
func textLen(h string) int {
	n, in := 0, false
	for _, r := range h {
		switch {
		case r == '<':
			in = true
		case r == '>':
			in = false
		case !in:
			n++
		}
	}
	return n
}

var voidElements = map[string]bool{"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true,
	"img": true, "input": true, "link": true, "meta": true, "source": true, "track": true, "wbr": true}

// PublicBodyHTML is the body any reader may see at time now: the whole
// body when PublicFullText, else only the Lede. Every shared copy of an
// article (cached page, feed, forward page, search snippet, republished
// copy) takes its text from here.
func (a *Article) PublicBodyHTML(now time.Time) string {
	if a.PublicFullText(now) {
		return a.BodyHTML
	}
	return Lede(a.BodyHTML)
}
