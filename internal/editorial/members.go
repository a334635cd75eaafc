package editorial

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"folio/internal/cache/key"
	"folio/internal/content"
	"folio/internal/store"
)

// Reader data lives on no cached public page: a member's name, address,
// languages and subscriptions are shown only on their own (uncached)
// profile and in the admin. Member writes therefore publish events whose
// Keys are empty: they drop nothing from the page cache and are announced
// for other consumers (audit, other nodes). Comments are the exception and
// name key.Comments (comments.go).

// readerChanged publishes one committed reader-side write.
func (s *Service) readerChanged(c key.Change, keys ...string) {
	var ks key.Set
	ks.Add(keys...)
	s.publish(key.Event{Changes: []key.Change{c}, Keys: ks.Keys()})
}

// ReaderStore is what the reader services need beyond store.Store.
type ReaderStore interface {
	store.MemberStore
	store.CommentStore
	store.NewsletterStore
	DeleteComment(ctx context.Context, id int64) error
}

// readersFor is readers for a staff or system write, which a batch cannot
// hold (reader tables are outside the batch's transaction).
func (e *Editor) readersFor(what string) (ReaderStore, error) {
	if err := e.outsideBatch(what); err != nil {
		return nil, err
	}
	return e.s.readers()
}

// KeepsReaders reports whether the store keeps members, comments and
// newsletters (the SQLite store does; the PostgreSQL store does not yet).
func (s *Service) KeepsReaders() bool {
	_, ok := s.store.(ReaderStore)
	return ok
}

func (s *Service) readers() (ReaderStore, error) {
	rs, ok := s.store.(ReaderStore)
	if !ok {
		return nil, content.Errorf(content.EINTERNAL, "this store keeps no members")
	}
	return rs, nil
}

// JoinMember returns the member with email, creating them when new. The
// sign-in flow calls it, as the system, once an address has proved itself
// by opening a mailed link in the browser that asked for it; staff who
// manage members may too. A blocked member is refused with forbidden.
func (e *Editor) JoinMember(ctx context.Context, email string, langs []string) (*store.Member, error) {
	if err := e.require(content.ActManageMembers, "add members"); err != nil {
		return nil, err
	}
	rs, err := e.readersFor("a member")
	if err != nil {
		return nil, err
	}
	email, err = content.NormalizeEmail(email)
	if err != nil {
		return nil, err
	}
	m, err := rs.FindMemberByEmail(ctx, email)
	if content.ErrorCode(err) == content.ENOTFOUND {
		m = &store.Member{Email: email, Status: store.MemberActive, Languages: validLangs(langs)}
		if err = rs.CreateMember(ctx, m); content.ErrorCode(err) == content.ECONFLICT {
			// Two links of one address opened at once: the other made it.
			m, err = rs.FindMemberByEmail(ctx, email)
		} else if err == nil {
			e.changed(key.Change{Entity: key.EntityMember, ID: m.ID, Op: key.OpCreate})
		}
	}
	if err != nil {
		return nil, wrap(err, "join member")
	}
	if m.Status == store.MemberBlocked {
		return nil, content.Errorf(content.EFORBIDDEN, "this account is blocked")
	}
	return m, nil
}

func validLangs(langs []string) []string {
	var out []string
	for _, l := range langs {
		if content.ValidLanguageTag(l) && !slices.Contains(out, l) && len(out) < content.MaxMemberLangs {
			out = append(out, l)
		}
	}
	return out
}

// Member is the Service acting for one signed-in member on their own data.
type Member struct {
	s *Service
	m *store.Member
}

// AsMember returns the service acting for m; a nil member may do nothing.
func (s *Service) AsMember(m *store.Member) *Member { return &Member{s: s, m: m} }

func (a *Member) check(what string) (ReaderStore, error) {
	if a.m == nil || a.m.ID == 0 {
		return nil, content.Errorf(content.EUNAUTHORIZED, "sign in to %s", what)
	}
	if a.m.Status == store.MemberBlocked {
		return nil, content.Errorf(content.EFORBIDDEN, "this account is blocked")
	}
	return a.s.readers()
}

// Profile is what a member may change about themselves.
type Profile struct {
	Name        string
	Languages   []string
	Newsletters []int64
}

// UpdateProfile stores the member's name, languages and subscriptions.
func (a *Member) UpdateProfile(ctx context.Context, p Profile) (*store.Member, error) {
	rs, err := a.check("edit your profile")
	if err != nil {
		return nil, err
	}
	p.Name = strings.TrimSpace(p.Name)
	if err := content.CheckMemberProfile(p.Name, p.Languages); err != nil {
		return nil, err
	}
	m, err := rs.FindMemberByID(ctx, a.m.ID)
	if err != nil {
		return nil, wrap(err, "update member %d", a.m.ID)
	}
	m.Name, m.Languages, m.Newsletters = p.Name, p.Languages, p.Newsletters
	if err := rs.UpdateMember(ctx, m); err != nil {
		return nil, wrap(err, "update member %d", m.ID)
	}
	a.s.readerChanged(key.Change{Entity: key.EntityMember, ID: m.ID, Op: key.OpUpdate})
	return m, nil
}

// SetSubscription subscribes or unsubscribes the member. A blocked member
// may still unsubscribe.
func (a *Member) SetSubscription(ctx context.Context, newsletterID int64, on bool) error {
	rs, err := a.check("subscribe")
	if err != nil && (on || content.ErrorCode(err) != content.EFORBIDDEN) {
		return err
	}
	if rs == nil {
		if rs, err = a.s.readers(); err != nil {
			return err
		}
	}
	if _, err := rs.FindNewsletterByID(ctx, newsletterID); err != nil {
		return wrap(err, "subscription")
	}
	if err := rs.SetSubscription(ctx, a.m.ID, newsletterID, on); err != nil {
		return wrap(err, "subscription")
	}
	op := key.OpCreate
	if !on {
		op = key.OpDelete
	}
	a.s.readerChanged(key.Change{Entity: key.EntitySubscription, ID: a.m.ID, Ref: strconv.FormatInt(newsletterID, 10), Op: op})
	return nil
}

// DeleteAccount removes the member, their sessions, subscriptions and
// comments. Their approved comments were on article pages, so those pages
// are dropped (CommentsDep of each).
func (a *Member) DeleteAccount(ctx context.Context) error {
	if a.m == nil || a.m.ID == 0 {
		return content.Errorf(content.EUNAUTHORIZED, "sign in to delete your account")
	}
	rs, err := a.s.readers()
	if err != nil {
		return err
	}
	arts, err := rs.DeleteMember(ctx, a.m.ID)
	if err != nil {
		return wrap(err, "delete member %d", a.m.ID)
	}
	keys := make([]string, 0, len(arts))
	for _, id := range arts {
		keys = append(keys, key.Comments(id))
	}
	a.s.readerChanged(key.Change{Entity: key.EntityMember, ID: a.m.ID, Op: key.OpDelete}, keys...)
	return nil
}

// SetMemberBlocked blocks or unblocks a member. Blocking ends their
// sessions' use (the session check reads the status) and removes their
// approved comments from the site by marking them spam.
func (e *Editor) SetMemberBlocked(ctx context.Context, id int64, blocked bool) (*store.Member, error) {
	if err := e.require(content.ActManageMembers, "manage members"); err != nil {
		return nil, err
	}
	rs, err := e.readersFor("a member")
	if err != nil {
		return nil, err
	}
	m, err := rs.FindMemberByID(ctx, id)
	if err != nil {
		return nil, wrap(err, "block member %d", id)
	}
	m.Status = store.MemberActive
	if blocked {
		m.Status = store.MemberBlocked
	}
	if err := rs.UpdateMember(ctx, m); err != nil {
		return nil, wrap(err, "block member %d", id)
	}
	var keys []string
	if blocked {
		if err := rs.DeleteMemberSessions(ctx, id); err != nil {
			return nil, wrap(err, "block member %d", id)
		}
		for _, from := range []string{store.CommentApproved, store.CommentPending} {
			arts, err := rs.SetMemberCommentsStatus(ctx, id, from, store.CommentSpam)
			if err != nil {
				return nil, wrap(err, "block member %d", id)
			}
			if from == store.CommentApproved {
				for _, a := range arts {
					keys = append(keys, key.Comments(a))
				}
			}
		}
	}
	e.changed(key.Change{Entity: key.EntityMember, ID: id, Op: key.OpUpdate, State: m.Status}, keys...)
	return m, nil
}

// CreateNewsletter adds a newsletter members can subscribe to (admins,
// and the demo seeder as the system).
func (e *Editor) CreateNewsletter(ctx context.Context, n *store.Newsletter) error {
	if err := e.require(content.ActManageNewsletters, "create newsletters"); err != nil {
		return err
	}
	rs, err := e.readersFor("a newsletter")
	if err != nil {
		return err
	}
	n.Name, n.Slug = strings.TrimSpace(n.Name), strings.TrimSpace(n.Slug)
	if n.Slug == "" {
		n.Slug = content.Slugify(n.Name)
	}
	p := content.Problems{}
	if n.Name == "" || len(n.Name) > 120 {
		p.Add("name", "is required, at most 120 bytes")
	}
	if err := content.CheckSlug(n.Slug); err != nil {
		p.Add("slug", "%q is not a slug: %v", n.Slug, err)
	}
	if n.Language != "" && !content.ValidLanguageTag(n.Language) {
		p.Add("language", "%q is not a language tag", n.Language)
	}
	if _, _, err := ParseSchedule(n.Schedule); err != nil {
		p.Add("schedule", "%v", err)
	}
	if err := p.Err("newsletter"); err != nil {
		return err
	}
	if err := rs.CreateNewsletter(ctx, n); err != nil {
		return wrap(err, "create newsletter")
	}
	e.changed(key.Change{Entity: key.EntityNewsletter, ID: n.ID, Op: key.OpCreate})
	return nil
}
