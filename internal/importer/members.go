package importer

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"folio/internal/content"
	"folio/internal/store"
)

// MemberRow is one member read from a CSV file.
type MemberRow struct {
	Line      int
	Email     string
	Name      string
	Languages []string
	// Subscribed is false when the file says the address wants no mail
	// (Ghost subscribed_to_emails=false, Substack email_disabled=true).
	Subscribed bool
	// Newsletters are slugs from Folio's own export; empty for other files.
	Newsletters []string
}

// MaxMemberRows bounds one members file.
const MaxMemberRows = 100000

// column names of Folio's own member CSV, in order.
var memberColumns = []string{"email", "name", "languages", "newsletters", "status", "created_at"}

// ParseMembersCSV reads a members file: Folio's own export, Ghost's member
// export or Substack's subscriber export, told apart by their header row.
// It checks every row before returning and reports each bad one by line;
// at most MaxMemberRows rows.
func ParseMembersCSV(r io.Reader) ([]MemberRow, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return nil, content.Errorf(content.EINVALID, "members file: line 1: %v", err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\uFEFF")))] = i
	}
	emailCol, ok := col["email"]
	if !ok {
		if emailCol, ok = col["email_address"]; !ok {
			return nil, content.Errorf(content.EINVALID, "members file: line 1: no email column (got %q)", strings.Join(head, ","))
		}
	}
	field := func(rec []string, names ...string) string {
		for _, n := range names {
			if i, ok := col[n]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
		}
		return ""
	}
	var rows []MemberRow
	var problems []error
	seen := map[string]int{}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, content.Errorf(content.EINVALID, "members file: line %d: %v", line, err)
		}
		if len(rows) >= MaxMemberRows {
			return nil, content.Errorf(content.ETOOLARGE, "members file: more than %d members", MaxMemberRows)
		}
		if emailCol >= len(rec) {
			problems = append(problems, fmt.Errorf("line %d: no email", line))
			continue
		}
		email, err := content.NormalizeEmail(rec[emailCol])
		if err != nil {
			problems = append(problems, fmt.Errorf("line %d: email %q: %s", line, rec[emailCol], content.ErrorFields(err)["email"]))
			continue
		}
		if first, dup := seen[email]; dup {
			problems = append(problems, fmt.Errorf("line %d: %s is also on line %d", line, email, first))
			continue
		}
		seen[email] = line
		row := MemberRow{Line: line, Email: email, Name: field(rec, "name", "full_name"), Subscribed: true,
			Languages: strings.Fields(field(rec, "languages")), Newsletters: strings.Fields(field(rec, "newsletters"))}
		if v := strings.ToLower(field(rec, "subscribed_to_emails", "subscribed")); v == "false" || v == "0" || v == "no" {
			row.Subscribed = false
		}
		if v := strings.ToLower(field(rec, "email_disabled")); v == "true" || v == "1" || v == "yes" {
			row.Subscribed = false
		}
		if field(rec, "deleted_at") != "" {
			continue // Ghost lists deleted members with a date; they are not members
		}
		if err := content.CheckMemberProfile(row.Name, row.Languages); err != nil {
			problems = append(problems, fmt.Errorf("line %d: %v", line, err))
			continue
		}
		rows = append(rows, row)
	}
	if len(problems) > 0 {
		if len(problems) > 20 {
			problems = append(problems[:20], fmt.Errorf("and %d more", len(problems)-20))
		}
		return nil, &content.Error{Code: content.EINVALID, Message: "members file: " + errors.Join(problems...).Error()}
	}
	return rows, nil
}

// WriteMembersCSV writes members in Folio's CSV (memberColumns), which
// ParseMembersCSV reads back; slugs names newsletters by ID.
func WriteMembersCSV(w io.Writer, members []*store.Member, slugs map[int64]string) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(memberColumns); err != nil {
		return err
	}
	for _, m := range members {
		var nl []string
		for _, id := range m.Newsletters {
			if s, ok := slugs[id]; ok {
				nl = append(nl, s)
			}
		}
		rec := []string{m.Email, safeCell(m.Name), strings.Join(m.Languages, " "), strings.Join(nl, " "), m.Status,
			m.CreatedAt.UTC().Format(time.RFC3339)}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// safeCell keeps a spreadsheet from reading a cell as a formula.
func safeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
