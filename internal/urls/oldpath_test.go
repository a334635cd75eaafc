package urls

import "testing"

func TestOldPath(t *testing.T) {
	const persian = "/2019/05/%D8%A2%D8%A8-%D9%88-%D8%B2%D9%85%DB%8C%D9%86/"
	want := "/2019/05/آب-و-زمین/"
	for _, tt := range []struct{ in, want string }{
		{persian, want},
		{"/2019/05/%d8%a2%d8%a8-%d9%88-%d8%b2%d9%85%db%8c%d9%86/", want}, // case of escapes
		{"/2019/05/آب-و-زمین/", want},                                    // already decoded
		{"/2019/05/آب-و-زمین", want},                                     // no trailing slash
		{"//2019//05/آب-و-زمین/", want},                                  // doubled slashes
		{"/feed/", "/feed/"},
		{"/wp-content/uploads/a.jpg", "/wp-content/uploads/a.jpg"}, // a file keeps its name
		{"/bad/%ff/", "/bad/%ff/"},                                 // not UTF-8: as written
		{"", "/"},
		{"about", "/about/"},
	} {
		if got := OldPath(tt.in); got != tt.want {
			t.Errorf("OldPath(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
