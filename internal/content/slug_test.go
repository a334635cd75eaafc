package content

import (
	"strings"
	"testing"
)

func TestSlugify(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"Water Politics in the Amu Darya Basin", "water-politics-in-the-amu-darya-basin"},
		{"  Élections: ce qui change  ", "elections-ce-qui-change"},
		{"Выборы в Кыргызстане", "vybory-v-kyrgyzstane"},
		{"سیاست آب در افغانستان", "سیاست-آب-در-افغانستان"},
		{"گزارش ۱۴۰۳", "گزارش-1403"},
		{"中国的水政策", "中国的水政策"},
		{"!!!", "untitled"},
		{"", "untitled"},
		{"Admin", "admin-1"},
		{"100% Sure_thing", "100-sure-thing"},
	}
	for _, tt := range tests {
		if got := Slugify(tt.in); got != tt.want {
			t.Errorf("Slugify(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if err := CheckSlug(Slugify(tt.in)); err != nil {
			t.Errorf("CheckSlug(Slugify(%q)): %v", tt.in, err)
		}
	}
}

func TestSlugify_Long(t *testing.T) {
	got := Slugify(strings.Repeat("long words here ", 40))
	if len(got) > MaxSlug || strings.HasSuffix(got, "-") {
		t.Fatalf("slug %q: len %d", got, len(got))
	}
	fa := Slugify(strings.Repeat("سیاست ", 60))
	if len(fa) > MaxSlug || CheckSlug(fa) != nil {
		t.Fatalf("slug %q: len %d, %v", fa, len(fa), CheckSlug(fa))
	}
}

func TestCheckSlug(t *testing.T) {
	for _, bad := range []string{"", "Upper", "a--b", "-a", "a-", "a b", "a/b", "<script>", "feed.xml", "api"} {
		if CheckSlug(bad) == nil {
			t.Errorf("CheckSlug(%q) = nil, want error", bad)
		}
	}
}

func TestUniqueSlug(t *testing.T) {
	taken := map[string]bool{"a": true, "a-2": true}
	got, err := UniqueSlug("a", func(s string) (bool, error) { return taken[s], nil })
	if err != nil || got != "a-3" {
		t.Fatalf("got %q, %v", got, err)
	}
}
