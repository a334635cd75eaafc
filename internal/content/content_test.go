package content

import (
	"testing"
	"time"
)

func TestCopyrightLine(t *testing.T) {
	d := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		authors []string
		want    string
	}{
		{nil, "Copyright © The Meridian Review, 2025"},
		{[]string{"Leyla Hosseini"}, "Copyright © Leyla Hosseini, The Meridian Review, 2025"},
		{[]string{"A", "B"}, "Copyright © A and B, The Meridian Review, 2025"},
		{[]string{"A", "B", "C"}, "Copyright © A, B and C, The Meridian Review, 2025"},
	}
	for _, tt := range tests {
		if got := CopyrightLine(tt.authors, "The Meridian Review", d); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
}

func TestArticleValidate(t *testing.T) {
	tests := []struct {
		name  string
		a     Article
		field string
	}{
		{"no title", Article{Language: "en"}, "title"},
		{"bad language", Article{Language: "not a tag!", Title: "x"}, "language"},
		{"bad status", Article{Language: "en", Title: "x", Status: "live"}, "status"},
		{"scheduled without time", Article{Language: "en", Title: "x", Status: StatusScheduled}, "published_at"},
		{"bad license", Article{Language: "en", Title: "x", License: "mine"}, "license"},
		{"javascript source", Article{Language: "en", Title: "x", SourceURL: "javascript:alert(1)"}, "source_url"},
		{"image without alt", Article{Language: "en", Title: "x", Image: &Image{URL: "/media/a.jpg"}}, "image.alt"},
		{"bad slug", Article{Language: "en", Title: "x", Slug: "Bad Slug"}, "slug"},
		{"duplicate author", Article{Language: "en", Title: "x", Authors: []*Author{{ID: 1}, {ID: 1}}}, "authors"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.a.Validate()
			if ErrorCode(err) != EINVALID {
				t.Fatalf("code = %q (%v), want invalid", ErrorCode(err), err)
			}
			if _, ok := ErrorFields(err)[tt.field]; !ok {
				t.Fatalf("fields %v lack %q", ErrorFields(err), tt.field)
			}
		})
	}
	ok := Article{Language: "fa", Title: "سیاست آب"}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	if ok.Slug == "" || ok.Status != StatusDraft {
		t.Fatalf("defaults not filled: %+v", ok)
	}
}

func TestRoleCan(t *testing.T) {
	tests := []struct {
		role Role
		act  Action
		want bool
	}{
		{RoleContributor, ActCreateArticle, true},
		{RoleContributor, ActPublishOwn, false},
		{RoleAuthor, ActPublishOwn, true},
		{RoleAuthor, ActPublishAny, false},
		{RoleEditor, ActPublishAny, true},
		{RoleEditor, ActManageSettings, false},
		{RoleAdmin, ActManageTokens, true},
		{Role("owner"), ActCreateArticle, false},
		{RoleAdmin, Action("nuke"), false},
	}
	for _, tt := range tests {
		if got := tt.role.Can(tt.act); got != tt.want {
			t.Errorf("%s.Can(%s) = %v, want %v", tt.role, tt.act, got, tt.want)
		}
	}
}
