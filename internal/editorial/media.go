package editorial

import (
	"context"
	"fmt"
	"io"
	"path"
	"strings"

	"folio/internal/cache/key"
	"folio/internal/content"
	"folio/internal/media"
)

// SaveMedia stores an uploaded image: its file through lib, its record in
// the store, and the job that makes its variants (any staff role). A new
// image is on no page yet, so it drops none.
func (e *Editor) SaveMedia(ctx context.Context, lib *media.Library, filename string, r io.Reader, meta media.Meta) (*content.Media, error) {
	if err := e.require(content.ActUploadMedia, "upload media"); err != nil {
		return nil, err
	}
	if err := e.outsideBatch("media"); err != nil {
		return nil, err
	}
	m, err := lib.Ingest(ctx, filename, r, meta)
	if err != nil {
		return nil, err
	}
	if err := e.s.store.CreateMedia(ctx, m); err != nil {
		lib.Discard(m)
		return nil, fmt.Errorf("editorial: record media %s: %w", m.Path, err)
	}
	// Once the upload is accepted the variants are owed: a failed enqueue
	// undoes it rather than leave an image that never gets them.
	if err := lib.QueueVariants(ctx, m.ID); err != nil {
		if derr := e.s.store.DeleteMedia(context.WithoutCancel(ctx), m.ID); derr == nil {
			lib.Discard(m)
		}
		return nil, err
	}
	e.changed(key.Change{Entity: key.EntityMedia, ID: m.ID, Op: key.OpCreate})
	return m, nil
}

// RecordMedia adds the library record of an image whose file is already in
// the media tree at m.Path (the demo's images, which its loader writes;
// they are trusted SVGs an upload would refuse), with its metadata and
// republish flag (editors). No variants are made of it.
func (e *Editor) RecordMedia(ctx context.Context, m *content.Media) error {
	if err := e.require(content.ActManageMedia, "record media"); err != nil {
		return err
	}
	if err := e.outsideBatch("media"); err != nil {
		return err
	}
	p := content.Problems{}
	if m.Path == "" || path.IsAbs(m.Path) || path.Clean(m.Path) != m.Path || strings.HasPrefix(m.Path, "../") || m.Path == ".." {
		p.Add("path", "%q must be a clean path inside the media tree", m.Path)
	}
	if !strings.HasPrefix(m.ContentType, "image/") {
		p.Add("content_type", "%q is not an image type", m.ContentType)
	}
	if err := p.Err("media"); err != nil {
		return err
	}
	if err := (media.Meta{Alt: m.Alt, Caption: m.Caption, Credit: m.Credit, CreditURL: m.CreditURL}).Validate(); err != nil {
		return err
	}
	if m.Filename == "" {
		m.Filename = path.Base(m.Path)
	}
	if err := e.s.store.CreateMedia(ctx, m); err != nil {
		return wrap(err, "record media %s", m.Path)
	}
	e.changed(key.Change{Entity: key.EntityMedia, ID: m.ID, Op: key.OpCreate})
	return nil
}

// UpdateMedia stores changed image metadata (editors).
func (e *Editor) UpdateMedia(ctx context.Context, m *content.Media) error {
	if err := e.require(content.ActManageMedia, "edit media"); err != nil {
		return err
	}
	if err := (media.Meta{Alt: m.Alt, Caption: m.Caption, Credit: m.Credit, CreditURL: m.CreditURL, CreditType: m.CreditType}).Validate(); err != nil {
		return err
	}
	if err := e.s.store.UpdateMedia(ctx, m); err != nil {
		return wrap(err, "update media %d", m.ID)
	}
	e.changed(key.Change{Entity: key.EntityMedia, ID: m.ID, Op: key.OpUpdate}, key.Media(m.ID))
	return nil
}

// DeleteMedia removes an image's record, then its files (editors). The
// record goes first: a stray file is harmless, a record pointing at nothing
// breaks pages.
func (e *Editor) DeleteMedia(ctx context.Context, lib *media.Library, id int64) error {
	if err := e.require(content.ActManageMedia, "delete media"); err != nil {
		return err
	}
	if err := e.outsideBatch("media"); err != nil {
		return err
	}
	m, err := e.s.store.FindMediaByID(ctx, id)
	if err != nil {
		return wrap(err, "delete media %d", id)
	}
	if err := e.s.store.DeleteMedia(ctx, id); err != nil {
		return wrap(err, "delete media %d", id)
	}
	e.changed(key.Change{Entity: key.EntityMedia, ID: id, Op: key.OpDelete}, key.Media(id))
	return lib.RemoveFiles(m)
}

// SetMediaVariants records the responsive variants made of an image (the
// variant worker, acting as the system) and drops the pages showing it, so
// they are rendered again with srcset. not_found when the image is gone.
func (e *Editor) SetMediaVariants(ctx context.Context, id int64, vs []content.MediaVariant) error {
	if err := e.require(content.ActManageMedia, "record image variants"); err != nil {
		return err
	}
	if err := e.s.store.ReplaceMediaVariants(ctx, id, vs); err != nil {
		return wrap(err, "record variants of media %d", id)
	}
	e.changed(key.Change{Entity: key.EntityMedia, ID: id, Op: key.OpUpdate}, key.Media(id))
	return nil
}

// QueueMediaVariants asks for the responsive variants of a stored image
// again, as after a restore from an archive, which carries originals only:
// the variant worker makes them and records them through the service.
func (e *Editor) QueueMediaVariants(ctx context.Context, lib *media.Library, id int64) error {
	if err := e.require(content.ActUploadMedia, "upload media"); err != nil {
		return err
	}
	return lib.QueueVariants(ctx, id)
}
