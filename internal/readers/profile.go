package readers

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"folio/internal/content"
	"folio/internal/editorial"
	"folio/internal/store"
)

// requireMember redirects a signed-out GET to sign-in and refuses other
// methods; it returns the member or nil when it answered.
func (h *Readers) requireMember(w http.ResponseWriter, r *http.Request) *store.Member {
	if m := memberFrom(r.Context()); m != nil {
		return m
	}
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		ctx := r.Context()
		http.Redirect(w, r, h.path(ctx, "/members/signin?"+url.Values{"next": {h.path(ctx, r.URL.RequestURI())}}.Encode()), http.StatusSeeOther)
		return nil
	}
	h.fail(w, r, h.errT(r.Context(), content.EUNAUTHORIZED, "members.error.signin"))
	return nil
}

type newsletterChoice struct {
	*store.Newsletter
	On bool
}

type profileData struct {
	Name        string
	Email       string
	Languages   string
	Newsletters []newsletterChoice
	Welcome     bool
	Replies     bool // reply notices on
	RepliesKept bool // the store keeps the choice
}

func (h *Readers) profileData(r *http.Request, m *store.Member) (*profileData, error) {
	nls, err := h.st.FindNewsletters(r.Context())
	if err != nil {
		return nil, err
	}
	d := &profileData{Name: m.Name, Email: m.Email, Languages: strings.Join(m.Languages, " "), Welcome: r.URL.Query().Get("welcome") == "1"}
	if rs, ok := h.st.(store.ReplyNoticeStore); ok {
		off, err := rs.ReplyNoticesOff(r.Context(), content.EmailHash(m.Email))
		if err != nil {
			return nil, err
		}
		d.Replies, d.RepliesKept = !off, true
	}
	for _, n := range nls {
		d.Newsletters = append(d.Newsletters, newsletterChoice{Newsletter: n, On: slices.Contains(m.Newsletters, n.ID)})
	}
	return d, nil
}

func (h *Readers) handleProfile(w http.ResponseWriter, r *http.Request) error {
	m := h.requireMember(w, r)
	if m == nil {
		return nil
	}
	d, err := h.profileData(r, m)
	if err != nil {
		return err
	}
	p := h.newPage(r, "members.profile.title", d)
	switch {
	case r.URL.Query().Get("saved") == "1":
		p.Notice = p.T("members.saved")
	case r.URL.Query().Get("paid") == "1":
		// Back from Stripe Checkout: the webhook, not this page, says
		// whether the payment went through.
		p.Notice = p.T("members.profile.paid")
	}
	h.html(w, r, http.StatusOK, "profile", p)
	return nil
}

func (h *Readers) handleProfileSave(w http.ResponseWriter, r *http.Request) error {
	m := h.requireMember(w, r)
	if m == nil {
		return nil
	}
	prof := editorial.Profile{Name: r.PostFormValue("name"), Languages: strings.Fields(strings.ReplaceAll(r.PostFormValue("languages"), ",", " "))}
	for _, v := range r.PostForm["newsletter"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return content.Errorf(content.EINVALID, "newsletter %q is not a number", v)
		}
		prof.Newsletters = append(prof.Newsletters, id)
	}
	updated, err := h.svc.AsMember(m).UpdateProfile(r.Context(), prof)
	if content.ErrorCode(err) == content.EINVALID {
		d, derr := h.profileData(r, m)
		if derr != nil {
			return derr
		}
		d.Name, d.Languages = prof.Name, r.PostFormValue("languages")
		h.html(w, r, http.StatusBadRequest, "profile", h.newPage(r, "members.profile.title", d).withError(err))
		return nil
	}
	if err != nil {
		return err
	}
	if r.PostFormValue("replies_shown") == "1" {
		if err := h.svc.AsMember(updated).SetReplyNotices(r.Context(), r.PostFormValue("replies") == "1"); err != nil {
			return err
		}
	}
	http.Redirect(w, r, h.path(r.Context(), "/members/profile?saved=1"), http.StatusSeeOther)
	return nil
}

// Export is a member's own data, as /members/export gives it.
type Export struct {
	ExportedAt  time.Time           `json:"exported_at"`
	Member      *store.Member       `json:"member"`
	Newsletters []*store.Newsletter `json:"newsletters"`
	Comments    []ExportComment     `json:"comments"`
	// ReplyNotices is whether mail about replies to their comments is on.
	ReplyNotices bool `json:"reply_notices"`
}

// ExportComment is one of the member's comments, whatever its status.
type ExportComment struct {
	ID        int64     `json:"id"`
	ArticleID int64     `json:"article_id"`
	ParentID  int64     `json:"parent_id,omitempty"`
	Status    string    `json:"status"`
	BodyHTML  string    `json:"body_html"`
	CreatedAt time.Time `json:"created_at"`
}

// maxExportComments bounds the export; no reader writes more.
const maxExportComments = 10000

func (h *Readers) handleExport(w http.ResponseWriter, r *http.Request) error {
	m := h.requireMember(w, r)
	if m == nil {
		return nil
	}
	ctx := r.Context()
	ex := Export{ExportedAt: h.now().UTC(), Member: m, Newsletters: []*store.Newsletter{}, Comments: []ExportComment{}}
	nls, err := h.st.FindNewsletters(ctx)
	if err != nil {
		return err
	}
	for _, n := range nls {
		if slices.Contains(m.Newsletters, n.ID) {
			cp := *n
			cp.Subscribers = 0 // others' numbers are not the member's data
			ex.Newsletters = append(ex.Newsletters, &cp)
		}
	}
	if rs, ok := h.st.(store.ReplyNoticeStore); ok {
		off, err := rs.ReplyNoticesOff(ctx, content.EmailHash(m.Email))
		if err != nil {
			return err
		}
		ex.ReplyNotices = !off
	}
	cs, _, err := h.st.FindCommentQueue(ctx, store.CommentFilter{MemberID: m.ID, Limit: maxExportComments})
	if err != nil {
		return err
	}
	for _, c := range cs {
		ex.Comments = append(ex.Comments, ExportComment{ID: c.ID, ArticleID: c.ArticleID, ParentID: c.ParentID,
			Status: c.Status, BodyHTML: c.BodyHTML, CreatedAt: c.CreatedAt})
	}
	b, err := json.MarshalIndent(ex, "", "  ")
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="my-data.json"`)
	_, _ = w.Write(append(b, '\n'))
	return nil
}

func (h *Readers) handleDelete(w http.ResponseWriter, r *http.Request) error {
	m := h.requireMember(w, r)
	if m == nil {
		return nil
	}
	if r.PostFormValue("confirm") != "delete" {
		d, err := h.profileData(r, m)
		if err != nil {
			return err
		}
		err = h.errT(r.Context(), content.EINVALID, "members.profile.confirm_error", "confirm")
		h.html(w, r, http.StatusBadRequest, "profile", h.newPage(r, "members.profile.title", d).withError(err))
		return nil
	}
	if err := h.svc.AsMember(m).DeleteAccount(r.Context()); err != nil {
		return err
	}
	http.SetCookie(w, h.cookie(SessionCookie, "", "/", -1))
	p := h.newPage(r, "members.deleted.title", nil)
	p.Member = nil
	p.Notice = p.T("members.deleted.notice")
	h.html(w, r, http.StatusOK, "message", p)
	return nil
}
