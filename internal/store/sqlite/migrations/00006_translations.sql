-- +goose Up
-- Machine and human translation: where each translated article came from,
-- the segment-level translation memory, translation job progress and the
-- notices sent when a source changes under its translations.

-- One row per translated article; originals have none.
CREATE TABLE article_translations (
    article_id     INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    source_id      INTEGER NOT NULL, -- not a foreign key: the record outlives a deleted source
    source_lang    TEXT    NOT NULL,
    machine        INTEGER NOT NULL DEFAULT 0,
    reviewed       INTEGER NOT NULL DEFAULT 0,
    outdated       INTEGER NOT NULL DEFAULT 0,
    provider       TEXT    NOT NULL DEFAULT '',
    source_version TEXT    NOT NULL DEFAULT '', -- hash of the source text translated
    translated_by  INTEGER NOT NULL DEFAULT 0   -- user id; 0 for machine
);
CREATE INDEX article_translations_source ON article_translations (source_id);

-- Segment cache: an unchanged segment is never sent to a provider twice.
CREATE TABLE translation_memory (
    source_lang TEXT    NOT NULL,
    target_lang TEXT    NOT NULL,
    provider    TEXT    NOT NULL,
    source_hash TEXT    NOT NULL, -- hex SHA-256 of source_text
    source_text TEXT    NOT NULL,
    target_text TEXT    NOT NULL,
    created_at  TEXT    NOT NULL,
    hits        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (source_lang, target_lang, provider, source_hash)
);

-- Progress of translation runs, for the admin. The durable queue holds the
-- work itself; this holds what a person asks about it.
CREATE TABLE translation_jobs (
    id            INTEGER PRIMARY KEY,
    article_id    INTEGER NOT NULL, -- the source article
    target_lang   TEXT    NOT NULL,
    provider      TEXT    NOT NULL DEFAULT '',
    requested_by  INTEGER NOT NULL DEFAULT 0,
    state         TEXT    NOT NULL DEFAULT 'queued', -- queued, running, done, failed
    segments_done INTEGER NOT NULL DEFAULT 0,
    segments_total INTEGER NOT NULL DEFAULT 0,
    result_id     INTEGER NOT NULL DEFAULT 0, -- the translated article when done
    error         TEXT    NOT NULL DEFAULT '',
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL
);
CREATE INDEX translation_jobs_article ON translation_jobs (article_id, id DESC);

-- Who was told that a translation went out of date, so the admin can show
-- it and a failed mail can be retried.
CREATE TABLE translation_notices (
    id             INTEGER PRIMARY KEY,
    user_id        INTEGER NOT NULL,
    article_id     INTEGER NOT NULL, -- the outdated translation
    source_id      INTEGER NOT NULL,
    message        TEXT    NOT NULL,
    created_at     TEXT    NOT NULL,
    delivered_at   TEXT              -- NULL until mailed
);
CREATE INDEX translation_notices_user ON translation_notices (user_id, id DESC);
