package storetest

import (
	"context"
	"slices"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"

	"folio/internal/content"
	"folio/internal/store"
)

// MediaVariantsStore is what the media variant contract needs.
type MediaVariantsStore interface {
	store.MediaStore
	store.MediaVariantStore
}

// RunMediaVariants runs the store.MediaVariantStore contract.
func RunMediaVariants(t *testing.T, newStore func(t *testing.T) MediaVariantsStore) {
	ctx := context.Background()
	newMedia := func(t *testing.T, s MediaVariantsStore, path string) *content.Media {
		t.Helper()
		m := &content.Media{Path: path, ContentType: "image/jpeg", Width: 2000, Height: 1000}
		if err := s.CreateMedia(ctx, m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	variants := func(id int64, base string, widths ...int) []content.MediaVariant {
		var vs []content.MediaVariant
		for _, f := range []string{"jpeg", "webp"} {
			for _, w := range widths {
				vs = append(vs, content.MediaVariant{MediaID: id, Width: w, Height: w / 2, Format: f,
					Path: base + ".w" + strconv.Itoa(w) + "." + f})
			}
		}
		return vs
	}

	t.Run("OK", func(t *testing.T) {
		s := newStore(t)
		a := newMedia(t, s, "2026/11/a.jpg")
		b := newMedia(t, s, "2026/11/b.jpg")
		c := newMedia(t, s, "2026/11/c.jpg")
		// Given out of order: the store sorts.
		va := variants(a.ID, "2026/11/a", 640, 320)
		if err := s.ReplaceMediaVariants(ctx, a.ID, va); err != nil {
			t.Fatal(err)
		}
		if err := s.ReplaceMediaVariants(ctx, b.ID, variants(0, "2026/11/b", 320)); err != nil {
			t.Fatal(err)
		}
		got, err := s.FindMediaVariants(ctx, []int64{a.ID, b.ID, c.ID, 999999})
		if err != nil {
			t.Fatal(err)
		}
		want := map[int64][]content.MediaVariant{
			a.ID: variants(a.ID, "2026/11/a", 320, 640),
			b.ID: variants(b.ID, "2026/11/b", 320),
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("variants (-want +got):\n%s", diff)
		}
	})

	t.Run("Replace", func(t *testing.T) {
		s := newStore(t)
		a := newMedia(t, s, "2026/11/a.jpg")
		if err := s.ReplaceMediaVariants(ctx, a.ID, variants(a.ID, "2026/11/a", 320, 640)); err != nil {
			t.Fatal(err)
		}
		if err := s.ReplaceMediaVariants(ctx, a.ID, variants(a.ID, "2026/11/a", 960)); err != nil {
			t.Fatal(err)
		}
		got, err := s.FindMediaVariants(ctx, []int64{a.ID})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(variants(a.ID, "2026/11/a", 960), got[a.ID]); diff != "" {
			t.Fatalf("variants after replace (-want +got):\n%s", diff)
		}
	})

	t.Run("CascadeOnMediaDelete", func(t *testing.T) {
		s := newStore(t)
		a := newMedia(t, s, "2026/11/a.jpg")
		if err := s.ReplaceMediaVariants(ctx, a.ID, variants(a.ID, "2026/11/a", 320)); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteMedia(ctx, a.ID); err != nil {
			t.Fatal(err)
		}
		got, err := s.FindMediaVariants(ctx, []int64{a.ID})
		if err != nil || len(got) != 0 {
			t.Fatalf("variants of deleted media: %v, %v; want none", got, err)
		}
		// A new media row reusing nothing must be able to take the paths.
		b := newMedia(t, s, "2026/11/b.jpg")
		if err := s.ReplaceMediaVariants(ctx, b.ID, variants(b.ID, "2026/11/a", 320)); err != nil {
			t.Fatalf("paths of deleted variants still taken: %v", err)
		}
	})

	t.Run("Paths", func(t *testing.T) {
		s := newStore(t)
		if got, err := s.FindMediaPaths(ctx); err != nil || len(got) != 0 {
			t.Fatalf("empty store: %v, %v", got, err)
		}
		a := newMedia(t, s, "2026/11/a.jpg")
		newMedia(t, s, "2026/12/b.png")
		if err := s.ReplaceMediaVariants(ctx, a.ID, variants(a.ID, "2026/11/a", 320)); err != nil {
			t.Fatal(err)
		}
		got, err := s.FindMediaPaths(ctx)
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(got)
		want := []string{"2026/11/a.jpg", "2026/11/a.w320.jpeg", "2026/11/a.w320.webp", "2026/12/b.png"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("paths (-want +got):\n%s", diff)
		}
		// A deleted record names its files no more.
		if err := s.DeleteMedia(ctx, a.ID); err != nil {
			t.Fatal(err)
		}
		if got, err := s.FindMediaPaths(ctx); err != nil || !slices.Equal(got, []string{"2026/12/b.png"}) {
			t.Fatalf("after delete: %v, %v", got, err)
		}
	})

	t.Run("Empty", func(t *testing.T) {
		s := newStore(t)
		got, err := s.FindMediaVariants(ctx, nil)
		if err != nil || len(got) != 0 {
			t.Fatalf("FindMediaVariants(nil) = %v, %v", got, err)
		}
	})

	t.Run("Errors", func(t *testing.T) {
		s := newStore(t)
		a := newMedia(t, s, "2026/11/a.jpg")
		b := newMedia(t, s, "2026/11/b.jpg")
		if err := s.ReplaceMediaVariants(ctx, a.ID, variants(a.ID, "2026/11/a", 320)); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name string
			id   int64
			vs   []content.MediaVariant
			code string
		}{
			{"ErrNotFound", 999999, variants(0, "x", 320), content.ENOTFOUND},
			{"ErrNoPath", b.ID, []content.MediaVariant{{Width: 1, Height: 1, Format: "webp"}}, content.EINVALID},
			{"ErrNoFormat", b.ID, []content.MediaVariant{{Width: 1, Height: 1, Path: "p"}}, content.EINVALID},
			{"ErrBadSize", b.ID, []content.MediaVariant{{Width: 0, Height: 1, Format: "webp", Path: "p"}}, content.EINVALID},
			{"ErrPathTaken", b.ID, variants(b.ID, "2026/11/a", 320), content.ECONFLICT},
			{"ErrDuplicateWidth", b.ID, append(variants(b.ID, "b1", 320), variants(b.ID, "b2", 320)...), content.ECONFLICT},
		} {
			t.Run(tc.name, func(t *testing.T) {
				err := s.ReplaceMediaVariants(ctx, tc.id, tc.vs)
				if got := content.ErrorCode(err); got != tc.code {
					t.Fatalf("code %q (%v), want %q", got, err, tc.code)
				}
			})
		}
		// A failed replace changes nothing.
		got, err := s.FindMediaVariants(ctx, []int64{a.ID, b.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(got[a.ID]) != 2 || len(got[b.ID]) != 0 {
			t.Fatalf("after failed replaces: %v", got)
		}
	})
}
