-- +goose Up
-- Article revisions, optimistic concurrency and server-side autosaves.
-- Every article write stores a full revision in the same transaction, so
-- the history is complete whichever path (admin, API, scheduler) wrote.

ALTER TABLE articles ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE articles ADD COLUMN created_by INTEGER REFERENCES users (id) ON DELETE SET NULL;

CREATE TABLE article_revisions (
    id            INTEGER PRIMARY KEY,
    article_id    INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    version       INTEGER NOT NULL,
    user_id       INTEGER REFERENCES users (id) ON DELETE SET NULL,
    at            TEXT    NOT NULL,
    title         TEXT    NOT NULL,
    deck          TEXT    NOT NULL DEFAULT '',
    slug          TEXT    NOT NULL,
    body_markdown TEXT    NOT NULL DEFAULT '',
    excerpt       TEXT    NOT NULL DEFAULT '',
    status        TEXT    NOT NULL,
    snapshot      TEXT    NOT NULL DEFAULT '{}', -- JSON of the other fields (store.RevisionSnapshot)
    note          TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX article_revisions_article ON article_revisions (article_id, version DESC);

-- One autosave per article and user: the text being typed, kept apart from
-- the article so an unfinished edit never reaches readers or the history.
CREATE TABLE article_autosaves (
    article_id    INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    base_version  INTEGER NOT NULL,
    at            TEXT    NOT NULL,
    title         TEXT    NOT NULL DEFAULT '',
    body_markdown TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (article_id, user_id)
);
