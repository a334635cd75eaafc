package render

import (
	"strings"
	"testing"

	"folio/internal/i18n"
)

func TestScrollable(t *testing.T) {
	if err := i18n.Load(); err != nil {
		t.Fatal(err)
	}
	en, fa := i18n.For("en"), i18n.For("fa")
	const region = `<div class="table-scroll" tabindex="0" role="region" aria-label="Table">`
	for _, tc := range []struct {
		name, in, want string
		l              *i18n.Locale
	}{
		{"Table", `<p>a</p><table><tr><td>1</td></tr></table><p>b</p>`, `<p>a</p>` + region + `<table><tr><td>1</td></tr></table></div><p>b</p>`, en},
		{"NestedTableOneRegion", `<table class="x"><tr><td><table><tr><td>in</td></tr></table></td></tr></table>`,
			region + `<table class="x"><tr><td><table><tr><td>in</td></tr></table></td></tr></table></div>`, en},
		{"TwoTables", `<table></table><table></table>`, region + `<table></table></div>` + region + `<table></table></div>`, en},
		{"Code", "<pre><code>x := 1\n</code></pre>", `<pre tabindex="0" role="region" aria-label="Code sample"><code>x := 1` + "\n</code></pre>", en},
		{"LabelInTheBodysLanguage", `<table></table>`, `<div class="table-scroll" tabindex="0" role="region" aria-label="جدول"><table></table></div>`, fa},
		{"UnbalancedLeftAlone", `<table><tr><td>1</td></tr>`, `<table><tr><td>1</td></tr>`, en},
		{"Nothing", `<p>prefix of a <preface></p>`, `<p>prefix of a <preface></p>`, en},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := scrollable(tc.in, tc.l); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
	if strings.Contains(scrollable("<p>no wide parts</p>", en), "region") {
		t.Error("a region without a table or code block")
	}
}
