package admin

import (
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"folio/internal/content"
	"folio/internal/editorial"
	"folio/internal/store"
)

func init() {
	for k, v := range map[string]string{
		"blocked": "Member blocked: signed out, comments hidden.", "unblocked": "Member unblocked.",
		"moderated": "Done.", "sending": "Sending: the newsletter goes out in the background.", "mode": "Comment setting saved.",
	} {
		flashMessages[k] = v
	}
}

// readers returns the store's member, comment and newsletter side.
func (a *Admin) readers() (editorial.ReaderStore, error) {
	rs, ok := a.st.(editorial.ReaderStore)
	if !ok {
		return nil, content.Errorf(content.EINTERNAL, "this store keeps no members")
	}
	return rs, nil
}

// membersPerPage is the length of the members table.
const membersPerPage = 50

// MembersView lists members with search and filters.
type MembersView struct {
	Base
	Members     []*store.Member
	Total       int
	Newsletters []*store.Newsletter
	Query       string
	Newsletter  int64
	Language    string
	Status      string
	Page, Pages int
	NextURL     string
	PrevURL     string
}

func (a *Admin) handleMembers(w http.ResponseWriter, r *http.Request) error {
	v := &MembersView{}
	if err := a.membersView(r, v); err != nil {
		return err
	}
	return a.render(w, r, http.StatusOK, "members", v)
}

func (a *Admin) membersView(r *http.Request, v *MembersView) error {
	if !a.editor(r).Can(content.ActManageMembers) {
		return content.Errorf(content.EFORBIDDEN, "your role may not manage members")
	}
	rs, err := a.readers()
	if err != nil {
		return err
	}
	q := r.URL.Query()
	v.Query, v.Language, v.Status, v.Page = strings.TrimSpace(q.Get("q")), strings.TrimSpace(q.Get("lang")), q.Get("status"), 1
	v.Title = "Members"
	if n, err := strconv.ParseInt(q.Get("newsletter"), 10, 64); err == nil {
		v.Newsletter = n
	}
	if p, err := strconv.Atoi(q.Get("page")); err == nil && p > 1 {
		v.Page = p
	}
	f := store.MemberFilter{Search: v.Query, NewsletterID: v.Newsletter, Language: v.Language, Status: v.Status,
		Limit: membersPerPage, Offset: (v.Page - 1) * membersPerPage}
	if v.Members, v.Total, err = rs.FindMembers(r.Context(), f); err != nil {
		return err
	}
	if v.Newsletters, err = rs.FindNewsletters(r.Context()); err != nil {
		return err
	}
	v.Pages = max(1, (v.Total+membersPerPage-1)/membersPerPage)
	page := func(n int) string {
		qq := r.URL.Query()
		qq.Set("page", strconv.Itoa(n))
		return "/admin/members?" + qq.Encode()
	}
	if v.Page < v.Pages {
		v.NextURL = page(v.Page + 1)
	}
	if v.Page > 1 {
		v.PrevURL = page(v.Page - 1)
	}
	return nil
}

func (a *Admin) handleMemberBlock(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	blocked := r.PostFormValue("blocked") == "1"
	if _, err := a.editor(r).SetMemberBlocked(r.Context(), id, blocked); err != nil {
		return err
	}
	a.audit(r, "member.block", "member", id, "blocked: "+strconv.FormatBool(blocked))
	if blocked {
		return seeOther(w, r, "/admin/members?done=blocked")
	}
	return seeOther(w, r, "/admin/members?done=unblocked")
}

// CommentRow is one comment of the moderation queue.
type CommentRow struct {
	*store.Comment
	Body         template.HTML // sanitized when stored
	ArticleTitle string
	ArticleURL   string
}

// CommentsView is the moderation queue.
type CommentsView struct {
	Base
	Status   string
	Statuses []string
	Comments []CommentRow
	Total    int
}

func (a *Admin) handleComments(w http.ResponseWriter, r *http.Request) error {
	if !a.editor(r).Can(content.ActModerateComments) {
		return content.Errorf(content.EFORBIDDEN, "your role may not moderate comments")
	}
	rs, err := a.readers()
	if err != nil {
		return err
	}
	v := &CommentsView{Status: r.URL.Query().Get("status"), Statuses: []string{store.CommentPending, store.CommentApproved, store.CommentSpam}}
	v.Title = "Comments"
	if v.Status == "" {
		v.Status = store.CommentPending
	}
	cs, total, err := rs.FindCommentQueue(r.Context(), store.CommentFilter{Statuses: []string{v.Status}, Limit: 100})
	if err != nil {
		return err
	}
	v.Total = total
	titles := map[int64]*content.Article{}
	for _, c := range cs {
		art, ok := titles[c.ArticleID]
		if !ok {
			if art, err = a.st.FindArticleByID(r.Context(), c.ArticleID); err != nil {
				art = &content.Article{Title: "(article " + strconv.FormatInt(c.ArticleID, 10) + ")"}
			}
			titles[c.ArticleID] = art
		}
		row := CommentRow{Comment: c, Body: template.HTML(c.BodyHTML), ArticleTitle: art.Title}
		if art.ID != 0 {
			row.ArticleURL = "/admin/articles/" + strconv.FormatInt(art.ID, 10) + "/readers"
		}
		v.Comments = append(v.Comments, row)
	}
	return a.render(w, r, http.StatusOK, "comments", v)
}

func (a *Admin) handleModerate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	act := r.PostFormValue("action")
	if err := a.editor(r).Moderate(r.Context(), id, act); err != nil {
		return err
	}
	a.audit(r, "comment."+act, "comment", id, act)
	back := "/admin/comments?done=moderated"
	if s := r.PostFormValue("status"); s != "" {
		back += "&status=" + s
	}
	return seeOther(w, r, back)
}

// ArticleReadersView is an article's comments setting and newsletter sends.
type ArticleReadersView struct {
	Base
	Article     *content.Article
	Mode        string
	Modes       []string
	Newsletters []*store.Newsletter
	Sends       []*store.NewsletterSend
	CanSend     bool
}

func (a *Admin) handleArticleReaders(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	rs, err := a.readers()
	if err != nil {
		return err
	}
	// Like the editor: another author's draft is not a contributor's to see.
	art, _, err := a.ownArticle(r, id, "see this article's readers")
	if err != nil {
		return err
	}
	v := &ArticleReadersView{Article: art, Modes: []string{store.CommentsMembers, store.CommentsOpen, store.CommentsClosed},
		CanSend: a.editor(r).Can(content.ActSendNewsletter) && art.IsPublic(a.now())}
	v.Title = "Readers: " + art.Title
	if v.Mode, err = rs.CommentMode(r.Context(), id); err != nil {
		return err
	}
	if v.Newsletters, err = rs.FindNewsletters(r.Context()); err != nil {
		return err
	}
	if v.Sends, err = rs.FindSends(r.Context(), id); err != nil {
		return err
	}
	return a.render(w, r, http.StatusOK, "article_readers", v)
}

func (a *Admin) handleCommentMode(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := a.editor(r).SetCommentMode(r.Context(), id, r.PostFormValue("mode")); err != nil {
		return err
	}
	return seeOther(w, r, "/admin/articles/"+strconv.FormatInt(id, 10)+"/readers?done=mode")
}

func (a *Admin) handleSendNewsletter(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	nl, err := strconv.ParseInt(r.PostFormValue("newsletter"), 10, 64)
	if err != nil {
		return content.Errorf(content.EINVALID, "choose a newsletter")
	}
	send, err := a.editor(r).SendArticle(r.Context(), nl, id)
	if err != nil {
		return err
	}
	a.audit(r, "newsletter.send", "article", id, "send "+strconv.FormatInt(send.ID, 10)+" to "+strconv.Itoa(send.Total)+" members")
	return seeOther(w, r, "/admin/articles/"+strconv.FormatInt(id, 10)+"/readers?done=sending")
}

// NewslettersView lists newsletters and the latest sends.
type NewslettersView struct {
	Base
	Newsletters []*store.Newsletter
	Sends       []*store.NewsletterSend
	CanCreate   bool
	Name, Slug  string
	Description string
	Language    string
	Schedule    string // "" or "weekly:DAY": a digest
}

// DigestDays are the schedule choices of the new-newsletter form.
var DigestDays = [][2]string{{"weekly:mon", "Mondays"}, {"weekly:tue", "Tuesdays"}, {"weekly:wed", "Wednesdays"},
	{"weekly:thu", "Thursdays"}, {"weekly:fri", "Fridays"}, {"weekly:sat", "Saturdays"}, {"weekly:sun", "Sundays"}}

// Days is DigestDays, for the template.
func (v *NewslettersView) Days() [][2]string { return DigestDays }

func (a *Admin) newslettersView(r *http.Request, v *NewslettersView) error {
	if !a.editor(r).Can(content.ActSendNewsletter) {
		return content.Errorf(content.EFORBIDDEN, "your role may not manage newsletters")
	}
	rs, err := a.readers()
	if err != nil {
		return err
	}
	v.Title = "Newsletters"
	v.CanCreate = a.editor(r).Can(content.ActManageNewsletters)
	if v.Newsletters, err = rs.FindNewsletters(r.Context()); err != nil {
		return err
	}
	v.Sends, err = rs.FindSends(r.Context(), 0)
	return err
}

func (a *Admin) handleNewsletters(w http.ResponseWriter, r *http.Request) error {
	v := &NewslettersView{}
	if err := a.newslettersView(r, v); err != nil {
		return err
	}
	return a.render(w, r, http.StatusOK, "newsletters", v)
}

func (a *Admin) handleNewsletterCreate(w http.ResponseWriter, r *http.Request) error {
	v := &NewslettersView{Name: r.PostFormValue("name"), Slug: r.PostFormValue("slug"), Description: r.PostFormValue("description"),
		Language: r.PostFormValue("language"), Schedule: r.PostFormValue("schedule")}
	n := &store.Newsletter{Name: v.Name, Slug: v.Slug, Description: v.Description, Language: v.Language, Schedule: v.Schedule}
	err := a.editor(r).CreateNewsletter(r.Context(), n)
	if err == nil {
		return seeOther(w, r, "/admin/newsletters?done=created")
	}
	if content.ErrorCode(err) != content.EINVALID && content.ErrorCode(err) != content.ECONFLICT {
		return err
	}
	if verr := a.newslettersView(r, v); verr != nil {
		return verr
	}
	v.Error, v.Fields = content.ErrorMessage(err), fieldsOf(err)
	return a.render(w, r, statusOf(err), "newsletters", v)
}
