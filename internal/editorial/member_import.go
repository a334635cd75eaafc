package editorial

import (
	"context"
	"fmt"

	"folio/internal/cache/key"
	"folio/internal/content"
	"folio/internal/store"
)

// MemberImport is one member brought from another system's export.
type MemberImport struct {
	Email     string
	Name      string
	Languages []string
	// Newsletters to subscribe the member to; empty when they want no mail.
	Newsletters []int64
}

// ImportResult counts what ImportMembers did.
type ImportResult struct{ Created, Updated, Blocked int }

// ImportMembers creates or updates members from an export (editors and
// the system). An existing member keeps their own name and languages when
// the row has none, and gains the row's newsletters; blocked members are
// left alone. The addresses were confirmed by the system they come from.
// Every row is checked (a bad address or profile names its row) before
// the first is written. One event, with no keys (member data
// is on no cached page), names every member written.
func (e *Editor) ImportMembers(ctx context.Context, rows []MemberImport) (ImportResult, error) {
	var res ImportResult
	if err := e.require(content.ActManageMembers, "import members"); err != nil {
		return res, err
	}
	rs, err := e.readersFor("a member import")
	if err != nil {
		return res, err
	}
	for i := range rows {
		if rows[i].Email, err = content.NormalizeEmail(rows[i].Email); err != nil {
			return res, fmt.Errorf("editorial: import members: row %d: %w", i+1, err)
		}
		if err := content.CheckMemberProfile(rows[i].Name, rows[i].Languages); err != nil {
			return res, fmt.Errorf("editorial: import members: row %d (%s): %w", i+1, rows[i].Email, err)
		}
	}
	var changes []key.Change
	for _, r := range rows {
		m, err := rs.FindMemberByEmail(ctx, r.Email)
		switch {
		case content.ErrorCode(err) == content.ENOTFOUND:
			m = &store.Member{Email: r.Email, Name: r.Name, Languages: r.Languages, Newsletters: r.Newsletters, Status: store.MemberActive}
			if err := rs.CreateMember(ctx, m); err != nil {
				return res, wrap(err, "import member %s", r.Email)
			}
			res.Created++
			changes = append(changes, key.Change{Entity: key.EntityMember, ID: m.ID, Op: key.OpCreate})
			continue
		case err != nil:
			return res, wrap(err, "import member %s", r.Email)
		case m.Status == store.MemberBlocked:
			res.Blocked++
			continue
		}
		if r.Name != "" {
			m.Name = r.Name
		}
		if len(r.Languages) > 0 {
			m.Languages = r.Languages
		}
		for _, id := range r.Newsletters {
			if !containsID(m.Newsletters, id) {
				m.Newsletters = append(m.Newsletters, id)
			}
		}
		if err := rs.UpdateMember(ctx, m); err != nil {
			return res, wrap(err, "import member %s", r.Email)
		}
		res.Updated++
		changes = append(changes, key.Change{Entity: key.EntityMember, ID: m.ID, Op: key.OpUpdate})
	}
	e.s.publish(key.Event{Changes: changes})
	return res, nil
}

func containsID(ids []int64, id int64) bool {
	for _, v := range ids {
		if v == id {
			return true
		}
	}
	return false
}
