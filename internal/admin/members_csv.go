package admin

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"

	"folio/internal/content"
	"folio/internal/editorial"
	"folio/internal/importer"
	"folio/internal/store"
)

// handleMembersExport downloads every member as CSV (Folio's columns,
// which the import reads back). Addresses leave the site only this way,
// to staff who may manage members.
func (a *Admin) handleMembersExport(w http.ResponseWriter, r *http.Request) error {
	if !a.editor(r).Can(content.ActManageMembers) {
		return content.Errorf(content.EFORBIDDEN, "your role may not manage members")
	}
	rs, err := a.readers()
	if err != nil {
		return err
	}
	ms, _, err := rs.FindMembers(r.Context(), store.MemberFilter{})
	if err != nil {
		return err
	}
	nls, err := rs.FindNewsletters(r.Context())
	if err != nil {
		return err
	}
	slugs := map[int64]string{}
	for _, n := range nls {
		slugs[n.ID] = n.Slug
	}
	var buf bytes.Buffer
	if err := importer.WriteMembersCSV(&buf, ms, slugs); err != nil {
		return err
	}
	a.audit(r, "member.export", "", 0, strconv.Itoa(len(ms))+" members")
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="members.csv"`)
	_, err = w.Write(buf.Bytes())
	return err
}

// handleMembersImport reads a members CSV (Folio's, Ghost's or
// Substack's) and subscribes those who want mail to the chosen newsletter
// (and, from Folio's own file, to the newsletters it names).
func (a *Admin) handleMembersImport(w http.ResponseWriter, r *http.Request) error {
	rs, err := a.readers()
	if err != nil {
		return err
	}
	f, _, err := r.FormFile("file")
	if err != nil {
		return content.Errorf(content.EINVALID, "choose a CSV file to import")
	}
	defer f.Close()
	rows, err := importer.ParseMembersCSV(f)
	if err != nil {
		return err
	}
	nls, err := rs.FindNewsletters(r.Context())
	if err != nil {
		return err
	}
	bySlug := map[string]int64{}
	for _, n := range nls {
		bySlug[n.Slug] = n.ID
	}
	var into int64
	if v := r.PostFormValue("newsletter"); v != "" {
		if into, err = strconv.ParseInt(v, 10, 64); err != nil {
			return content.Errorf(content.EINVALID, "newsletter %q is not a newsletter id", v)
		}
	}
	in := make([]editorial.MemberImport, 0, len(rows))
	for _, row := range rows {
		mi := editorial.MemberImport{Email: row.Email, Name: row.Name, Languages: row.Languages}
		if row.Subscribed {
			if into != 0 {
				mi.Newsletters = append(mi.Newsletters, into)
			}
			for _, s := range row.Newsletters {
				id, ok := bySlug[s]
				if !ok {
					return content.Errorf(content.EINVALID, "members file: line %d: no newsletter %q", row.Line, s)
				}
				mi.Newsletters = append(mi.Newsletters, id)
			}
		}
		in = append(in, mi)
	}
	res, err := a.editor(r).ImportMembers(r.Context(), in)
	if err != nil {
		return err
	}
	summary := fmt.Sprintf("%d new, %d updated, %d blocked left alone", res.Created, res.Updated, res.Blocked)
	a.audit(r, "member.import", "", 0, summary)
	v := &MembersView{}
	if err := a.membersView(r, v); err != nil {
		return err
	}
	v.Flash = "Imported: " + summary + "."
	return a.render(w, r, http.StatusOK, "members", v)
}
