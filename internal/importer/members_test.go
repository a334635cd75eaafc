package importer

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"folio/internal/content"
	"folio/internal/store"
)

func TestParseMembersCSV(t *testing.T) {
	t.Run("Ghost", func(t *testing.T) {
		in := "id,email,name,note,subscribed_to_emails,complimentary_plan,stripe_customer_id,created_at,deleted_at,labels,tiers\n" +
			"1,Ana@Example.org,Ana Ruiz,,true,false,,2024-01-02T10:00:00.000Z,,,\n" +
			"2,ben@example.org,Ben,,false,false,,2024-01-02T10:00:00.000Z,,,\n" +
			"3,gone@example.org,Gone,,true,false,,2024-01-02T10:00:00.000Z,2024-02-01T00:00:00.000Z,,\n"
		rows, err := ParseMembersCSV(strings.NewReader(in))
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 2 || rows[0].Email != "ana@example.org" || rows[0].Name != "Ana Ruiz" || !rows[0].Subscribed || rows[1].Subscribed {
			t.Fatalf("rows %+v", rows)
		}
	})
	t.Run("Substack", func(t *testing.T) {
		in := "email,active_subscription,expiry,plan,email_disabled,created_at,first_payment_at\n" +
			"a@example.org,false,,,false,2023-05-01 10:00:00,\n" +
			"b@example.org,false,,,true,2023-05-01 10:00:00,\n"
		rows, err := ParseMembersCSV(strings.NewReader(in))
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 2 || !rows[0].Subscribed || rows[1].Subscribed {
			t.Fatalf("rows %+v", rows)
		}
	})
	t.Run("FolioRoundTrip", func(t *testing.T) {
		var buf bytes.Buffer
		ms := []*store.Member{{Email: "a@example.org", Name: "=cmd()", Languages: []string{"fa", "en"}, Newsletters: []int64{1, 2},
			Status: store.MemberActive, CreatedAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}}
		if err := WriteMembersCSV(&buf, ms, map[int64]string{1: "weekly", 2: "water"}); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(buf.String(), "'=cmd()") {
			t.Fatalf("formula not neutralized: %s", buf.String())
		}
		rows, err := ParseMembersCSV(&buf)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 1 || strings.Join(rows[0].Newsletters, " ") != "weekly water" || strings.Join(rows[0].Languages, " ") != "fa en" {
			t.Fatalf("rows %+v", rows)
		}
	})
	t.Run("ErrLines", func(t *testing.T) {
		in := "email,name\nok@example.org,Ok\nnot-an-address,X\nok@example.org,Again\nx@mailinator.com,Y\n"
		_, err := ParseMembersCSV(strings.NewReader(in))
		msg := err.Error()
		if content.ErrorCode(err) != content.EINVALID || !strings.Contains(msg, "line 3") || !strings.Contains(msg, "line 4: ok@example.org is also on line 2") ||
			!strings.Contains(msg, "line 5") {
			t.Fatalf("error %v", err)
		}
		if _, err := ParseMembersCSV(strings.NewReader("name,city\nA,B\n")); err == nil || !strings.Contains(err.Error(), "no email column") {
			t.Fatalf("no email column: %v", err)
		}
	})
}
