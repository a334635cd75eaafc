-- +goose Up
-- Times are UTC RFC 3339 text with a fixed nine-digit fraction, so text order
-- is time order and the listing indexes work on plain comparisons.

CREATE TABLE articles (
    id                INTEGER PRIMARY KEY,
    language          TEXT    NOT NULL,
    translation_group INTEGER NOT NULL DEFAULT 0,
    title             TEXT    NOT NULL,
    deck              TEXT    NOT NULL DEFAULT '',
    slug              TEXT    NOT NULL,
    body_markdown     TEXT    NOT NULL DEFAULT '',
    body_html         TEXT    NOT NULL DEFAULT '',
    excerpt           TEXT    NOT NULL DEFAULT '',
    status            TEXT    NOT NULL DEFAULT 'draft',
    featured          INTEGER NOT NULL DEFAULT 0,
    image             TEXT,             -- JSON content.Image, NULL when none
    license           TEXT    NOT NULL DEFAULT '',
    source_url        TEXT    NOT NULL DEFAULT '',
    source_name       TEXT    NOT NULL DEFAULT '',
    published_at      TEXT,             -- NULL until a publish time is set
    sort_time         TEXT    NOT NULL, -- COALESCE(published_at, created_at), kept by the store
    created_at        TEXT    NOT NULL,
    updated_at        TEXT    NOT NULL,
    UNIQUE (language, slug)
);
CREATE INDEX articles_status_sort ON articles (status, sort_time DESC, id DESC);
CREATE INDEX articles_sort ON articles (sort_time DESC, id DESC);
CREATE INDEX articles_language_sort ON articles (language, sort_time DESC, id DESC);
CREATE INDEX articles_translation_group ON articles (translation_group);
CREATE INDEX articles_scheduled ON articles (published_at) WHERE status = 'scheduled';

CREATE TABLE authors (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    slug       TEXT NOT NULL UNIQUE,
    bio        TEXT NOT NULL DEFAULT '',
    photo_url  TEXT NOT NULL DEFAULT '',
    email      TEXT NOT NULL DEFAULT '',
    links      TEXT NOT NULL DEFAULT '[]', -- JSON []content.Link
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE article_authors (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    author_id  INTEGER NOT NULL REFERENCES authors (id),
    position   INTEGER NOT NULL,
    PRIMARY KEY (article_id, author_id)
);
CREATE INDEX article_authors_author ON article_authors (author_id, article_id);

CREATE TABLE terms (
    id          INTEGER PRIMARY KEY,
    kind        TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    slug        TEXT    NOT NULL,
    description TEXT    NOT NULL DEFAULT '',
    names       TEXT    NOT NULL DEFAULT '{}', -- JSON map of language to name
    active      INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL,
    UNIQUE (kind, slug)
);

CREATE TABLE article_terms (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    term_id    INTEGER NOT NULL REFERENCES terms (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    PRIMARY KEY (article_id, term_id)
);
CREATE INDEX article_terms_term ON article_terms (term_id, article_id);

CREATE TABLE settings (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    data       TEXT NOT NULL, -- JSON content.Settings
    updated_at TEXT NOT NULL
);

CREATE TABLE redirects (
    from_path  TEXT PRIMARY KEY,
    to_path    TEXT    NOT NULL DEFAULT '',
    status     INTEGER NOT NULL,
    created_at TEXT    NOT NULL
);
CREATE INDEX redirects_to ON redirects (to_path);

CREATE TABLE media (
    id           INTEGER PRIMARY KEY,
    path         TEXT    NOT NULL UNIQUE,
    filename     TEXT    NOT NULL DEFAULT '',
    content_type TEXT    NOT NULL DEFAULT '',
    size         INTEGER NOT NULL DEFAULT 0,
    width        INTEGER NOT NULL DEFAULT 0,
    height       INTEGER NOT NULL DEFAULT 0,
    alt          TEXT    NOT NULL DEFAULT '',
    caption      TEXT    NOT NULL DEFAULT '',
    credit       TEXT    NOT NULL DEFAULT '',
    credit_url   TEXT    NOT NULL DEFAULT '',
    created_at   TEXT    NOT NULL
);
CREATE INDEX media_created ON media (created_at DESC, id DESC);

CREATE TABLE tokens (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    hash         TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    last_used_at TEXT
);
