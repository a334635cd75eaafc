-- +goose Up
-- import_sources remembers which Folio entity an item of an outside export
-- (WordPress, Ghost) became, so a second run updates instead of duplicating,
-- and the hash of what the import wrote, so a later run can tell that an
-- editor changed the piece in Folio since.
CREATE TABLE import_sources (
    kind         TEXT    NOT NULL, -- wordpress, ghost
    source_id    TEXT    NOT NULL, -- the item's id in the source system
    entity_kind  TEXT    NOT NULL, -- article, author, term, media, comment
    entity_id    INTEGER NOT NULL,
    imported_at  TEXT    NOT NULL,
    content_hash TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (kind, source_id, entity_kind)
);
CREATE INDEX import_sources_entity ON import_sources (entity_kind, entity_id);

-- comments are kept from imports until the site has comments of its own.
CREATE TABLE comments (
    id           INTEGER PRIMARY KEY,
    article_id   INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    parent_id    INTEGER NOT NULL DEFAULT 0, -- 0 for a top-level comment
    author_name  TEXT    NOT NULL DEFAULT '',
    author_email TEXT    NOT NULL DEFAULT '',
    author_url   TEXT    NOT NULL DEFAULT '',
    body_html    TEXT    NOT NULL DEFAULT '', -- sanitized
    status       TEXT    NOT NULL DEFAULT 'approved', -- approved, pending, spam
    created_at   TEXT    NOT NULL,
    source_id    TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX comments_article ON comments (article_id, created_at, id);
CREATE UNIQUE INDEX comments_source ON comments (article_id, source_id) WHERE source_id <> '';
