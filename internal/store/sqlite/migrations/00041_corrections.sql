-- +goose Up
-- Correction and update notes of articles: dated, public, shown on the
-- article (top or bottom), in its feeds and JSON-LD and in the corrections
-- log. A note goes with its article.
CREATE TABLE corrections (
    id         INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    kind       TEXT    NOT NULL DEFAULT 'correction',
    text       TEXT    NOT NULL,
    position   TEXT    NOT NULL DEFAULT 'bottom',
    at         TEXT    NOT NULL,
    created_by INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX corrections_article ON corrections (article_id, at);
CREATE INDEX corrections_at ON corrections (at DESC, id DESC);

-- +goose Down
DROP TABLE corrections;
