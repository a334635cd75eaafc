package admin

import (
	"context"
	"strings"
	"testing"

	"folio/internal/content"
)

func TestMediaList_Thumbnails(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	save := func(name string) *content.Media {
		m, err := e.svc.System("test").SaveMedia(ctx, e.admin.cfg.Media, name, strings.NewReader(string(pngBytes(t))), mediaMeta(name))
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	withWebP, jpegOnly, plain := save("a.png"), save("b.png"), save("c.png")
	base := func(m *content.Media) string { return strings.TrimSuffix(m.Path, ".png") }
	if err := e.db.ReplaceMediaVariants(ctx, withWebP.ID, []content.MediaVariant{
		{Width: 320, Height: 200, Format: "jpeg", Path: base(withWebP) + ".w320.jpg"},
		{Width: 320, Height: 200, Format: "webp", Path: base(withWebP) + ".w320.webp"},
		{Width: 640, Height: 400, Format: "webp", Path: base(withWebP) + ".w640.webp"},
	}); err != nil {
		t.Fatal(err)
	}
	if err := e.db.ReplaceMediaVariants(ctx, jpegOnly.ID, []content.MediaVariant{
		{Width: 320, Height: 200, Format: "png", Path: base(jpegOnly) + ".w320.png"},
	}); err != nil {
		t.Fatal(err)
	}
	b := e.login(e.users[content.RoleContributor])
	_, body := b.get("/admin/media")
	for _, tc := range []struct {
		name string
		want string
	}{
		{"WebP 320 variant", `src="/media/` + base(withWebP) + `.w320.webp"`},
		{"fallback-format 320 variant", `src="/media/` + base(jpegOnly) + `.w320.png"`},
		{"original without variants", `src="/media/` + plain.Path + `"`},
	} {
		t.Run(tc.name, func(t *testing.T) { mustContain(t, body, tc.want) })
	}
	for _, m := range []*content.Media{withWebP, jpegOnly} {
		if strings.Contains(body, `src="/media/`+m.Path+`"`) {
			t.Errorf("list shows the original %s although a 320 variant exists", m.Path)
		}
	}
}
