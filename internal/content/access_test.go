package content

import (
	"strings"
	"testing"
	"time"
)

func TestArticle_FullTextFor(t *testing.T) {
	pub := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	before, during, after := pub.Add(-time.Hour), pub.Add(48*time.Hour), pub.Add(8*24*time.Hour)
	anon, member := Reader{}, Reader{Member: true}
	supporter := Reader{Member: true, Tiers: []string{"supporter"}}
	patron := Reader{Member: true, Tiers: []string{"patron"}}
	tests := []struct {
		name   string
		a      Article
		r      Reader
		at     time.Time
		want   bool
		public bool
	}{
		{"EmptyIsPublic", Article{}, anon, during, true, true},
		{"Public", Article{Access: AccessPublic}, anon, during, true, true},
		{"MembersAnon", Article{Access: AccessMembers}, anon, during, false, false},
		{"MembersMember", Article{Access: AccessMembers}, member, during, true, false},
		{"FirstDuringAnon", Article{Access: AccessMembersFirst, PublishedAt: pub}, anon, during, false, false},
		{"FirstDuringMember", Article{Access: AccessMembersFirst, PublishedAt: pub}, member, during, true, false},
		{"FirstAfterDefaultWeek", Article{Access: AccessMembersFirst, PublishedAt: pub}, anon, after, true, true},
		{"FirstFreeAtSet", Article{Access: AccessMembersFirst, PublishedAt: pub, FreeAt: pub.Add(24 * time.Hour)}, anon, during, true, true},
		{"FirstUnpublished", Article{Access: AccessMembersFirst}, anon, before, false, false},
		{"PaidAnon", Article{Access: AccessPaid}, anon, during, false, false},
		{"PaidFreeMember", Article{Access: AccessPaid}, member, during, false, false},
		{"PaidAnyTier", Article{Access: AccessPaid}, patron, during, true, false},
		{"PaidOtherTier", Article{Access: AccessPaid, AccessTier: "supporter"}, patron, during, false, false},
		{"PaidThatTier", Article{Access: AccessPaid, AccessTier: "supporter"}, supporter, during, true, false},
		{"TiersWithoutMembership", Article{Access: AccessPaid}, Reader{Tiers: []string{"patron"}}, during, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.a.FullTextFor(tt.r, tt.at); got != tt.want {
				t.Errorf("FullTextFor = %v, want %v", got, tt.want)
			}
			if got := tt.a.PublicFullText(tt.at); got != tt.public {
				t.Errorf("PublicFullText = %v, want %v", got, tt.public)
			}
		})
	}
}

func TestLede(t *testing.T) {
	long := strings.Repeat("word ", 70)
	tests := []struct{ name, body, want string }{
		{"Empty", "", ""},
		{"NoParagraph", "<h2>Only a heading</h2>", ""},
		{"LongFirst", "<p>" + long + "</p>\n<p>Second.</p>", "<p>" + long + "</p>"},
		{"ShortFirstTakesMore", "<p>One.</p>\n<p>Two.</p>\n<p>Three.</p>\n<p>Four.</p>", "<p>One.</p>\n<p>Two.</p>\n<p>Three.</p>"},
		{"NestedParagraphNotCut", "<blockquote>\n<p>" + long + "</p>\n</blockquote>\n<p>After.</p>\n<p>Gone.</p>",
			"<blockquote>\n<p>" + long + "</p>\n</blockquote>\n<p>After.</p>"},
		{"VoidElements", "<p>A<br>b <img src=\"/x.jpg\" alt=\"\"> " + long + "</p><p>No.</p>", "<p>A<br>b <img src=\"/x.jpg\" alt=\"\"> " + long + "</p>"},
		{"FigureFirst", "<figure><img src=\"/a.jpg\" alt=\"a\"></figure>\n<p>" + long + "</p><p>No.</p>", "<figure><img src=\"/a.jpg\" alt=\"a\"></figure>\n<p>" + long + "</p>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Lede(tt.body); got != tt.want {
				t.Errorf("Lede = %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestArticle_PublicBodyHTML(t *testing.T) {
	a := &Article{Access: AccessMembers, BodyHTML: "<p>" + strings.Repeat("lede ", 80) + "</p>\n<p>SECRET part.</p>"}
	if got := a.PublicBodyHTML(time.Now()); strings.Contains(got, "SECRET") || !strings.Contains(got, "lede") {
		t.Fatalf("members-only public body = %q", got)
	}
	a.Access = AccessPublic
	if got := a.PublicBodyHTML(time.Now()); got != a.BodyHTML {
		t.Fatalf("public body = %q", got)
	}
}
