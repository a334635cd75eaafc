package admin

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"folio/internal/auth"
	"folio/internal/content"
	"folio/internal/editorial"
	"folio/internal/store"
)

func init() {
	for k, v := range map[string]string{
		"domain": "Domain rule saved.", "domain_deleted": "Domain rule removed.", "revoked": "Partner token revoked: its feed stops at once.",
		"release": "Partner release time saved.", "webhook_deleted": "Webhook removed.",
	} {
		flashMessages[k] = v
	}
}

// republishDays is how far back the dashboard looks.
const republishDays = 30

// RepublishView is the republishing dashboard: who republished what, the
// domain rules, syndication partners and webhooks.
type RepublishView struct {
	Base
	Domains  []DomainRow
	Daily    []DailyRow
	Rules    []*store.DomainRule
	Partners []*store.Partner
	Webhooks []WebhookRow
	Events   []string
	// Shown once, in the response that made them.
	PartnerSecret, PartnerFeed string
	WebhookSecret              string
	CanManage                  bool
}

// DomainRow sums one republishing domain.
type DomainRow struct {
	Domain   string
	Pages    int
	Views    int64
	LastDay  time.Time
	Articles int
}

// DailyRow is one article's views on one page on one day.
type DailyRow struct {
	Day     time.Time
	Article string
	ID      int64
	Domain  string
	Page    string
	Views   int64
}

// WebhookRow is a webhook with its latest deliveries.
type WebhookRow struct {
	*store.Webhook
	Deliveries []*store.WebhookDelivery
}

func (a *Admin) syndication() (editorial.SyndicationStore, error) {
	ss, ok := a.st.(editorial.SyndicationStore)
	if !ok {
		return nil, content.Errorf(content.EINTERNAL, "this store keeps no republishing data")
	}
	return ss, nil
}

// republishCounts returns the stored counts of the last days plus those
// still in memory, merged.
func (a *Admin) republishCounts(r *http.Request, ss editorial.SyndicationStore) ([]store.RepublishView, error) {
	since := a.now().UTC().AddDate(0, 0, -republishDays).Truncate(24 * time.Hour)
	vs, err := ss.FindRepublishViews(r.Context(), store.RepublishViewFilter{Since: since})
	if err != nil {
		return nil, err
	}
	if a.cfg.RepublishPending == nil {
		return vs, nil
	}
	type k struct {
		id           int64
		domain, page string
		day          time.Time
	}
	idx := map[k]int{}
	for i, v := range vs {
		idx[k{v.ArticleID, v.Domain, v.Page, v.Day}] = i
	}
	for _, p := range a.cfg.RepublishPending() {
		if i, ok := idx[k{p.ArticleID, p.Domain, p.Page, p.Day}]; ok {
			vs[i].Views += p.Views
			continue
		}
		vs = append(vs, p)
	}
	sort.SliceStable(vs, func(i, j int) bool {
		if !vs[i].Day.Equal(vs[j].Day) {
			return vs[i].Day.After(vs[j].Day)
		}
		return vs[i].Views > vs[j].Views
	})
	return vs, nil
}

func (a *Admin) republishView(r *http.Request, v *RepublishView) error {
	ed := a.editor(r)
	if !ed.Can(content.ActManageSettings) && !ed.Can(content.ActPublishAny) {
		return content.Errorf(content.EFORBIDDEN, "your role may not see republishing")
	}
	ss, err := a.syndication()
	if err != nil {
		return err
	}
	ctx := r.Context()
	v.Title, v.CanManage, v.Events = "Republishing", ed.Can(content.ActManageSettings), content.WebhookEvents
	vs, err := a.republishCounts(r, ss)
	if err != nil {
		return err
	}
	titles, err := a.articleTitles(r, vs)
	if err != nil {
		return err
	}
	byDomain := map[string]*DomainRow{}
	pages := map[string]map[string]bool{}
	arts := map[string]map[int64]bool{}
	for _, x := range vs {
		d := byDomain[x.Domain]
		if d == nil {
			d = &DomainRow{Domain: x.Domain}
			byDomain[x.Domain], pages[x.Domain], arts[x.Domain] = d, map[string]bool{}, map[int64]bool{}
		}
		d.Views += x.Views
		pages[x.Domain][x.Page] = true
		arts[x.Domain][x.ArticleID] = true
		if x.Day.After(d.LastDay) {
			d.LastDay = x.Day
		}
		if len(v.Daily) < 500 {
			v.Daily = append(v.Daily, DailyRow{Day: x.Day, Article: titles[x.ArticleID], ID: x.ArticleID, Domain: x.Domain, Page: x.Page, Views: x.Views})
		}
	}
	for name, d := range byDomain {
		d.Pages, d.Articles = len(pages[name]), len(arts[name])
		v.Domains = append(v.Domains, *d)
	}
	sort.Slice(v.Domains, func(i, j int) bool { return v.Domains[i].Views > v.Domains[j].Views })
	if v.Rules, err = ss.FindDomainRules(ctx); err != nil {
		return err
	}
	if !v.CanManage {
		return nil
	}
	if v.Partners, err = ss.FindPartners(ctx); err != nil {
		return err
	}
	hooks, err := ss.FindWebhooks(ctx)
	if err != nil {
		return err
	}
	for _, h := range hooks {
		ds, err := ss.FindWebhookDeliveries(ctx, h.ID, 10)
		if err != nil {
			return err
		}
		v.Webhooks = append(v.Webhooks, WebhookRow{Webhook: h, Deliveries: ds})
	}
	return nil
}

func (a *Admin) articleTitles(r *http.Request, vs []store.RepublishView) (map[int64]string, error) {
	seen := map[int64]bool{}
	var ids []int64
	for _, v := range vs {
		if !seen[v.ArticleID] {
			seen[v.ArticleID] = true
			ids = append(ids, v.ArticleID)
		}
	}
	out := map[int64]string{}
	if len(ids) == 0 {
		return out, nil
	}
	arts, _, err := a.st.FindArticles(r.Context(), store.ArticleFilter{IDs: ids, NoTotal: true})
	if err != nil {
		return nil, err
	}
	for _, x := range arts {
		out[x.ID] = x.Title
	}
	return out, nil
}

func (a *Admin) handleRepublish(w http.ResponseWriter, r *http.Request) error {
	v := &RepublishView{}
	if err := a.republishView(r, v); err != nil {
		return err
	}
	return a.render(w, r, http.StatusOK, "republish", v)
}

// handleRepublishExport writes every count of the last days as CSV.
func (a *Admin) handleRepublishExport(w http.ResponseWriter, r *http.Request) error {
	ed := a.editor(r)
	if !ed.Can(content.ActManageSettings) && !ed.Can(content.ActPublishAny) {
		return content.Errorf(content.EFORBIDDEN, "your role may not see republishing")
	}
	ss, err := a.syndication()
	if err != nil {
		return err
	}
	vs, err := a.republishCounts(r, ss)
	if err != nil {
		return err
	}
	titles, err := a.articleTitles(r, vs)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="republications.csv"`)
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"day", "article_id", "article", "domain", "page", "views"})
	for _, v := range vs {
		_ = cw.Write([]string{v.Day.Format("2006-01-02"), strconv.FormatInt(v.ArticleID, 10), csvSafe(titles[v.ArticleID]),
			csvSafe(v.Domain), csvSafe(v.Page), strconv.FormatInt(v.Views, 10)})
	}
	cw.Flush()
	return cw.Error()
}

// csvSafe keeps a spreadsheet from running a cell as a formula.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func (a *Admin) republishError(w http.ResponseWriter, r *http.Request, err error, fill func(v *RepublishView)) error {
	if !userError(err) {
		return err
	}
	v := &RepublishView{}
	if verr := a.republishView(r, v); verr != nil {
		return verr
	}
	v.Error, v.Fields = content.ErrorMessage(err), fieldsOf(err)
	if fill != nil {
		fill(v)
	}
	return a.render(w, r, statusOf(err), "republish", v)
}

func (a *Admin) handleDomainRule(w http.ResponseWriter, r *http.Request) error {
	if _, err := a.editor(r).PutDomainRule(r.Context(), r.PostFormValue("domain"), r.PostFormValue("rule"), r.PostFormValue("note")); err != nil {
		return a.republishError(w, r, err, nil)
	}
	return seeOther(w, r, "/admin/republish?done=domain")
}

func (a *Admin) handleDomainRuleDelete(w http.ResponseWriter, r *http.Request) error {
	if err := a.editor(r).DeleteDomainRule(r.Context(), r.PostFormValue("domain")); err != nil {
		return a.republishError(w, r, err, nil)
	}
	return seeOther(w, r, "/admin/republish?done=domain_deleted")
}

func (a *Admin) handlePartnerCreate(w http.ResponseWriter, r *http.Request) error {
	secret := auth.RandomToken()
	p := &store.Partner{Name: r.PostFormValue("name"), TokenHash: auth.HashToken(secret)}
	if err := a.editor(r).CreatePartner(r.Context(), p); err != nil {
		return a.republishError(w, r, err, nil)
	}
	a.audit(r, "partner.create", "partner", p.ID, fmt.Sprintf("created syndication partner %q", p.Name))
	v := &RepublishView{}
	if err := a.republishView(r, v); err != nil {
		return err
	}
	base := strings.TrimRight(a.baseURL(r), "/")
	// The secret is in this response only: no redirect, so it is never in a URL the browser keeps.
	v.PartnerSecret, v.PartnerFeed = secret, base+"/syndication/feed.xml?token="+secret
	return a.render(w, r, http.StatusOK, "republish", v)
}

func (a *Admin) handlePartnerRevoke(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := a.editor(r).RevokePartner(r.Context(), id); err != nil {
		return a.republishError(w, r, err, nil)
	}
	a.audit(r, "partner.revoke", "partner", id, "revoked syndication partner token")
	return seeOther(w, r, "/admin/republish?done=revoked")
}

func (a *Admin) handlePartnerRelease(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(strings.TrimSpace(r.PostFormValue("article")), 10, 64)
	if err != nil {
		return a.republishError(w, r, &content.Error{Code: content.EINVALID, Message: "partner release is invalid",
			Fields: map[string]string{"article": "must be an article number"}}, nil)
	}
	var at time.Time
	if s := strings.TrimSpace(r.PostFormValue("release_at")); s != "" {
		a.refreshZone(r.Context())
		loc := a.zone.Load()
		if at, err = time.ParseInLocation("2006-01-02T15:04", s, loc); err != nil {
			return a.republishError(w, r, &content.Error{Code: content.EINVALID, Message: "partner release is invalid",
				Fields: map[string]string{"release_at": "must be a date and time (" + loc.String() + "), e.g. 2026-12-03T09:00"}}, nil)
		}
	}
	if err := a.editor(r).SetPartnerRelease(r.Context(), id, at); err != nil {
		return a.republishError(w, r, err, nil)
	}
	return seeOther(w, r, "/admin/republish?done=release")
}

func (a *Admin) handleWebhookCreate(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return content.Errorf(content.EINVALID, "form: %v", err)
	}
	h := &store.Webhook{URL: r.PostFormValue("url"), Events: r.PostForm["events"], Active: true,
		AllowPrivate: r.PostFormValue("allow_private") == "1"}
	if err := a.editor(r).CreateWebhook(r.Context(), h); err != nil {
		return a.republishError(w, r, err, nil)
	}
	a.audit(r, "webhook.create", "webhook", h.ID, "created webhook")
	v := &RepublishView{}
	if err := a.republishView(r, v); err != nil {
		return err
	}
	v.WebhookSecret = h.Secret
	return a.render(w, r, http.StatusOK, "republish", v)
}

func (a *Admin) handleWebhookDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := a.editor(r).DeleteWebhook(r.Context(), id); err != nil {
		return a.republishError(w, r, err, nil)
	}
	a.audit(r, "webhook.delete", "webhook", id, "deleted webhook")
	return seeOther(w, r, "/admin/republish?done=webhook_deleted")
}

// baseURL is the site's public base URL: the configured one, else the stored.
func (a *Admin) baseURL(r *http.Request) string {
	if a.cfg.BaseURL != "" {
		return a.cfg.BaseURL
	}
	st, err := a.st.Settings(r.Context())
	if err != nil {
		return ""
	}
	return st.BaseURL
}
