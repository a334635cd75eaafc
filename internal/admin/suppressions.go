package admin

import (
	"net/http"
	"strconv"
	"strings"

	"folio/internal/content"
	"folio/internal/store"
)

func init() {
	flashMessages["lifted"] = "Suppression lifted: newsletters reach the address again."
}

// suppressionsShown bounds the suppressed-addresses table; the search
// finds any address past it.
const suppressionsShown = 200

// SuppressionsView lists the addresses mail providers reported as
// bounced or complained, newest first.
type SuppressionsView struct {
	Base
	Query        string
	Suppressions []*store.MailSuppression
	More         bool // more match than are shown
}

func (a *Admin) handleSuppressions(w http.ResponseWriter, r *http.Request) error {
	if !a.editor(r).Can(content.ActManageMembers) {
		return content.Errorf(content.EFORBIDDEN, "your role may not manage members")
	}
	ss, ok := a.st.(store.SuppressionStore)
	if !ok {
		return content.Errorf(content.EINTERNAL, "this store keeps no mail suppressions")
	}
	v := &SuppressionsView{Query: strings.TrimSpace(r.URL.Query().Get("q"))}
	v.Title = "Suppressed addresses"
	list, err := ss.FindSuppressions(r.Context(), v.Query, suppressionsShown+1)
	if err != nil {
		return err
	}
	if len(list) > suppressionsShown {
		list, v.More = list[:suppressionsShown], true
	}
	v.Suppressions = list
	return a.render(w, r, http.StatusOK, "suppressions", v)
}

// handleSuppressionLift lifts one address's suppression through the
// editorial service. The audit entry names the member and the reason,
// not the address.
func (a *Admin) handleSuppressionLift(w http.ResponseWriter, r *http.Request) error {
	email := strings.ToLower(strings.TrimSpace(r.PostFormValue("email")))
	var was *store.MailSuppression
	if ss, ok := a.st.(store.SuppressionStore); ok && email != "" {
		was, _ = ss.FindSuppression(r.Context(), email) // for the audit entry only
	}
	if err := a.editor(r).LiftSuppression(r.Context(), email); err != nil {
		return err
	}
	var memberID int64
	if rs, err := a.readers(); err == nil {
		if m, err := rs.FindMemberByEmail(r.Context(), email); err == nil {
			memberID = m.ID
		}
	}
	summary := "lifted a suppression"
	if was != nil {
		summary = "lifted a " + was.Reason + " suppression reported by " + was.Provider
	}
	if memberID != 0 {
		summary += " (member " + strconv.FormatInt(memberID, 10) + ")"
	}
	a.audit(r, "suppression.lift", "member", memberID, summary)
	return seeOther(w, r, "/admin/suppressions?done=lifted")
}
