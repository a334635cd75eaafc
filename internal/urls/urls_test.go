package urls

import (
	"testing"

	"folio/internal/content"
)

func TestBuilder(t *testing.T) {
	b := Builder{Base: "https://meridian.example", DefaultLang: "en"}
	tests := []struct{ got, want string }{
		{b.Home("en"), "/"},
		{b.Home("fa"), "/fa/"},
		{b.Article(&content.Article{Language: "en", Slug: "water"}), "/water/"},
		{b.Article(&content.Article{Language: "fa", Slug: "سیاست-آب"}), "/fa/%D8%B3%DB%8C%D8%A7%D8%B3%D8%AA-%D8%A2%D8%A8/"},
		{b.Author("en", "leyla"), "/author/leyla/"},
		{b.Term("en", content.KindDossier, "amu"), "/dossier/amu/"},
		{b.Page("/region/iran/", 1), "/region/iran/"},
		{b.Page("/region/iran/", 3), "/region/iran/page/3/"},
		{b.Feed("/theme/water/", FeedAtom), "/theme/water/atom.xml"},
		{b.Media("2026/11/a b.jpg"), "/media/2026/11/a%20b.jpg"},
		{b.Abs("/x/"), "https://meridian.example/x/"},
		{b.Abs("https://other.example/a"), "https://other.example/a"},
	}
	for i, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%d: got %q, want %q", i, tt.got, tt.want)
		}
	}
}
